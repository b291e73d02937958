// Energy-cut query latency of the EngineApi's cut index on 1M synthetic scored background jets (+ 2 signals of 100k):
// build time once, then the median over 200 random thresholds. Target (issue 6): ≤ 50 ms per query.
import { CutIndex } from '../src-main/api/cut-index.ts';
import { Rng } from '../src-main/util/rng.ts';

export async function run(args: string[]): Promise<object> {
  const nArg = args.find((a) => a.startsWith('--jets='));
  const n = nArg ? Number(nArg.slice(7)) : 1_000_000;
  const rng = new Rng(7);
  const scores = new Float32Array(n);
  const mass = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    mass[i] = Math.abs(40 + 30 * rng.normal());
    scores[i] = rng.normal() + 0.004 * mass[i]!;
  }
  const sig = (shift: number) => {
    const a = new Float32Array(100_000);
    for (let i = 0; i < a.length; i++) a[i] = rng.normal() + shift;
    return a;
  };
  const t0 = performance.now();
  const index = new CutIndex({ backgroundScores: scores, backgroundMassGeV: mass, signals: [{ name: 'top', scores: sig(1) }, { name: 'w', scores: sig(0.5) }] });
  const buildMs = performance.now() - t0;
  const times: number[] = [];
  let sink = 0;
  for (let q = 0; q < 200; q++) {
    const t = -3 + 6 * rng.uniform();
    const s = performance.now();
    const r = index.cut(t);
    // what the transport does too: serialise the response
    sink += JSON.stringify(r).length;
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  return {
    jets: n,
    signals: 2,
    buildMs: Math.round(buildMs),
    queryMedianMs: Number(median.toFixed(3)),
    queryP95Ms: Number(times[Math.floor(times.length * 0.95)]!.toFixed(3)),
    queryMaxMs: Number(times[times.length - 1]!.toFixed(3)),
    targetMs: 50,
    bytesPerResponse: Math.round(sink / 200),
  };
}
