// The precomputed energy-cut index answers exactly what a brute-force pass over the jets gives (ε_S, ε_B, passing
// mass histogram), at any threshold, including ties, NaN scores and thresholds outside the range.
import { describe, expect, it } from 'vitest';
import { CutIndex } from '../../src-main/api/cut-index.ts';
import { Rng } from '../../src-main/util/rng.ts';

function brute(scores: Float32Array, mass: Float32Array, sig: Float32Array, t: number, edges: number[]) {
  const bins = edges.length - 1;
  const lo = edges[0]!;
  const w = (edges[bins]! - lo) / bins;
  const passing = new Array<number>(bins).fill(0);
  let n = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!(scores[i]! >= t)) continue;
    n++;
    let b = Math.floor((mass[i]! - lo) / w);
    b = Math.min(bins - 1, Math.max(0, b));
    passing[b]!++;
  }
  let s = 0;
  for (const v of sig) if (v >= t) s++;
  return { epsB: n / scores.length, epsS: s / sig.length, passing };
}

describe('CutIndex', () => {
  it('matches a brute-force cut at many thresholds (small stride so checkpoints and remainders both matter)', () => {
    const rng = new Rng(3);
    const n = 5000;
    const scores = new Float32Array(n);
    const mass = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      mass[i] = 10 + 200 * rng.uniform();
      scores[i] = Math.round(10 * (rng.normal() + mass[i]! / 100)) / 10; // many ties
    }
    scores[7] = NaN;
    scores[8] = -Infinity;
    scores[9] = Infinity;
    scores[10] = -0;
    scores[11] = 1e-40; // float32 denormal
    scores[12] = -3.4e38;
    const sig = Float32Array.from({ length: 800 }, () => rng.normal() + 1);
    const idx = new CutIndex({ backgroundScores: scores, backgroundMassGeV: mass, signals: [{ name: 'top', scores: sig }], stride: 64, massBins: 20, massRange: [0, 250] });
    for (const t of [-Infinity, -1e38, -10, -1, 0, 1e-41, 0.3, 0.5, 1, 1.7, 2.5, 10, Infinity, idx.thresholdAtAcceptance(0.1)]) {
      const got = idx.cut(t);
      const want = brute(scores, mass, sig, t, idx.massEdges);
      expect(got.epsB).toBeCloseTo(want.epsB, 12);
      expect(got.signals[0]!.epsS).toBeCloseTo(want.epsS, 12);
      expect(got.passing).toEqual(want.passing);
      expect(got.nPassing).toBe(want.passing.reduce((a, b) => a + b, 0));
    }
    expect(idx.uncut.reduce((a, b) => a + b, 0)).toBe(n);
    expect(idx.cut(-Infinity).nPassing).toBe(n - 1); // everything but the NaN jet passes
    expect(idx.cut(-Infinity).jsd).toBeCloseTo(0, 3);
    expect(idx.cut(Infinity)).toMatchObject({ nPassing: 1 }); // the +∞ jet
    expect(idx.cut(1e39)).toMatchObject({ nPassing: 1 });
    const k = idx.thresholdAtAcceptance(0.2);
    expect(idx.cut(k).epsB).toBeGreaterThanOrEqual(0.2);
  });
});
