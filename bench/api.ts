// Energy-cut query latency on 1M synthetic scored background jets (+ 2 signals of 100k) through the EngineApi:
// the cut index alone, the in-process engine (zod validation + error mapping), and the web transport (HTTP + JSON via
// the browser client). Median over 200 random thresholds each. Target (issue 6): ≤ 50 ms per query.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CutIndex } from '../src-main/api/cut-index.ts';
import { createDefaultEngine } from '../src-main/api/default-bridges.ts';
import { createHttpClient } from '../src-main/api/http-client.ts';
import { startServer } from '../src-main/server/server.ts';
import { newId, nowIso } from '../src-main/store/store.ts';
import { Rng } from '../src-main/util/rng.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function timeQueries(n: number, rng: Rng, query: (t: number) => Promise<unknown> | unknown): Promise<{ medianMs: number; p95Ms: number; maxMs: number }> {
  const times: number[] = [];
  for (let q = 0; q < n; q++) {
    const t = -3 + 6 * rng.uniform();
    const s = performance.now();
    await query(t);
    times.push(performance.now() - s);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const r = (x: number) => Number(x.toFixed(3));
  return { medianMs: r(median(times)), p95Ms: r(sorted[Math.floor(sorted.length * 0.95)]!), maxMs: r(sorted[sorted.length - 1]!) };
}

export async function run(args: string[]): Promise<object> {
  const nArg = args.find((a) => a.startsWith('--jets='));
  const n = nArg ? Number(nArg.slice(7)) : 1_000_000;
  const rng = new Rng(7);
  const mass = new Float32Array(n);
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    mass[i] = Math.abs(40 + 30 * rng.normal());
    scores[i] = rng.normal() + 0.004 * mass[i]!;
  }
  const sig = (shift: number) => Float32Array.from({ length: 100_000 }, () => rng.normal() + shift);
  const top = sig(1);
  const w = sig(0.5);

  // 1. the index alone
  let t0 = performance.now();
  const index = new CutIndex({ backgroundScores: scores, backgroundMassGeV: mass, signals: [{ name: 'top', scores: top }, { name: 'w', scores: w }] });
  const indexBuildMs = performance.now() - t0;
  const indexOnly = await timeQueries(200, rng, (t) => index.cut(t));

  // 2. through the engine, scores stored in the run store like a real evaluation
  const dir = mkdtempSync(join(tmpdir(), 'ebm-bench-api-'));
  const engine = createDefaultEngine({ dbPath: join(dir, 'bench.sqlite') });
  try {
    const runId = newId('run');
    engine.store.addRun({ id: runId, name: 'bench', kind: 'ebm', preset: 'tiny', config: {}, status: 'done', seed: 1, appVersion: 'bench', createdAt: nowIso(), tags: [], notes: '', runDir: join(engine.store.dirs.runs, runId), data: [] });
    t0 = performance.now();
    const ev = engine.registerEvaluation(runId, [{ name: 'qcd', role: 'background', datasetId: 'synthetic' }, { name: 'top', role: 'signal', datasetId: 'synthetic' }, { name: 'w', role: 'signal', datasetId: 'synthetic' }], {
      classes: [
        { name: 'qcd', role: 'background', energy: scores, massGeV: mass },
        { name: 'top', role: 'signal', energy: top, massGeV: new Float32Array(top.length) },
        { name: 'w', role: 'signal', energy: w, massGeV: new Float32Array(w.length) },
      ],
    });
    const registerMs = performance.now() - t0;
    t0 = performance.now();
    await engine.cutAtEnergy({ evaluationId: ev.id, threshold: 0 }); // loads the score files (sha256-checked) and builds the index
    const firstQueryMs = performance.now() - t0;
    const inProcess = await timeQueries(200, rng, (t) => engine.cutAtEnergy({ evaluationId: ev.id, threshold: t }));

    // 3. through the web transport
    const server = await startServer({ engine, port: 0, staticDir: dir });
    const client = createHttpClient({ baseUrl: server.url, token: server.token });
    let web;
    try {
      web = await timeQueries(200, rng, (t) => client.cutAtEnergy({ evaluationId: ev.id, threshold: t }));
    } finally {
      client.close();
      await server.close();
    }
    return {
      jets: n,
      signals: 2,
      targetMs: 50,
      indexBuildMs: Math.round(indexBuildMs),
      registerEvaluationMs: Math.round(registerMs),
      firstQueryMs: Math.round(firstQueryMs),
      cutIndex: indexOnly,
      engineInProcess: inProcess,
      webTransport: web,
    };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
