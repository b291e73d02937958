// ROC/AUC/rejection, sculpting, correlations, generation and energy distributions on cases with known answers.
import { describe, expect, it } from 'vitest';
import { auc, backgroundEfficiencyAt, rejectionAt, rocArea, rocCurve, taggerMetrics, thinRoc } from '../../src-main/eval/roc.ts';
import { inverseJsdAtSignalEfficiency, sculpting, thresholdAtAcceptance } from '../../src-main/eval/sculpting.ts';
import { distanceCorrelation, pearson, ranks, scoreMassCorrelation, spearman } from '../../src-main/eval/correlation.ts';
import { compareGeneration, dataVsDataFloor, generationMetrics, type FeatureJets } from '../../src-main/eval/generation.ts';
import { energyDistributions } from '../../src-main/eval/energy.ts';
import { Rng } from '../../src-main/util/rng.ts';

/** Standard normal CDF via erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

const gauss = (rng: Rng, n: number, mu = 0, sigma = 1) => Float64Array.from({ length: n }, () => mu + sigma * rng.normal());

describe('ROC and AUC', () => {
  it('AUC of N(μ,1) signal vs N(0,1) background is Φ(μ/√2)', () => {
    const rng = new Rng(11);
    for (const mu of [0.5, 1, 2]) {
      const s = gauss(rng, 20000, mu);
      const b = gauss(rng, 20000);
      // Standard error of the AUC at n = 20000 each is < 0.003.
      expect(Math.abs(auc(s, b) - phi(mu / Math.SQRT2))).toBeLessThan(0.01);
    }
  });
  it('counts ties as ½ and agrees with the trapezoidal ROC area', () => {
    expect(auc([1, 1], [1, 1])).toBe(0.5);
    // Pairs (s, b): (2,1) win, (2,2) tie, (1,1) tie, (1,2) loss → (1 + ½ + ½ + 0) / 4 = 0.5; add (3, ·) wins.
    expect(auc([2, 1], [1, 2])).toBe(0.5);
    expect(auc([3, 2, 2], [2, 1])).toBeCloseTo((2 + 1.5 + 1.5) / 6, 12);
    expect(auc([5, 6], [1, 2])).toBe(1);
    expect(auc([1, 2], [5, 6])).toBe(0);
    const rng = new Rng(3);
    // Integer scores: many ties.
    const s = Float64Array.from({ length: 3000 }, () => Math.round(rng.normal() * 3 + 2));
    const b = Float64Array.from({ length: 2000 }, () => Math.round(rng.normal() * 3));
    expect(rocArea(rocCurve(s, b))).toBeCloseTo(auc(s, b), 12);
    // Brute-force pair count.
    let wins = 0;
    for (const x of s.subarray(0, 300)) for (const y of b.subarray(0, 300)) wins += x > y ? 1 : x === y ? 0.5 : 0;
    expect(auc(s.subarray(0, 300), b.subarray(0, 300))).toBeCloseTo(wins / 90000, 12);
  });
  it('ROC runs from (0,0) to (1,1) with decreasing thresholds', () => {
    const roc = rocCurve([3, 4, 5], [1, 2, 3]);
    expect(roc.epsS[0]).toBe(0);
    expect(roc.epsB[0]).toBe(0);
    expect(roc.epsS[roc.epsS.length - 1]).toBe(1);
    expect(roc.epsB[roc.epsB.length - 1]).toBe(1);
    for (let k = 1; k < roc.threshold.length; k++) expect(roc.threshold[k]!).toBeLessThan(roc.threshold[k - 1]!);
    expect(() => rocCurve([NaN], [1])).toThrow(/NaN/);
    expect(thinRoc(rocCurve(gauss(new Rng(1), 5000), gauss(new Rng(2), 5000)), 100).epsS.length).toBe(100);
  });
  it('rejection 1/ε_B at fixed ε_S matches the Gaussian analytic value', () => {
    const rng = new Rng(5);
    const mu = 2;
    const s = gauss(rng, 50000, mu);
    const b = gauss(rng, 50000);
    const roc = rocCurve(s, b);
    // ε_S = 0.5 at threshold t = μ → ε_B = 1 − Φ(μ); ε_S = 0.3 at t = μ + Φ⁻¹(0.7) (Φ⁻¹(0.7) ≈ 0.524401).
    expect(backgroundEfficiencyAt(roc, 0.5)).toBeCloseTo(1 - phi(mu), 2);
    const r30 = rejectionAt(roc, 0.3);
    const expected = 1 / (1 - phi(mu + 0.524401));
    expect(Math.abs(r30 / expected - 1)).toBeLessThan(0.1);
    // Perfect separation: nothing passes at ε_S = 0.5.
    expect(rejectionAt(rocCurve([5, 6], [1, 2]), 0.5)).toBe(Infinity);
  });
  it('bootstrap errors are seeded, finite and shrink like 1/√n', () => {
    const rng = new Rng(8);
    const small = taggerMetrics(gauss(rng, 400, 1), gauss(rng, 400), { resamples: 100, seed: 1 });
    const again = taggerMetrics(gauss(new Rng(8), 400, 1), gauss(new Rng(8), 400), { resamples: 100, seed: 1 });
    expect(small.auc.std).toBeGreaterThan(0);
    const big = taggerMetrics(gauss(rng, 6400, 1), gauss(rng, 6400), { resamples: 100, seed: 1 });
    // 16× the jets → ≈ 4× smaller error.
    expect(small.auc.std / big.auc.std).toBeGreaterThan(2.5);
    expect(small.auc.std / big.auc.std).toBeLessThan(6.5);
    expect(small.auc.lo).toBeLessThan(small.auc.value);
    expect(small.auc.hi).toBeGreaterThan(small.auc.value);
    expect(Number.isFinite(big.r50.std)).toBe(true);
    // Same inputs and seed → same numbers.
    const rng2 = new Rng(8);
    const s2 = gauss(rng2, 400, 1);
    const b2 = gauss(rng2, 400);
    expect(taggerMetrics(s2, b2, { resamples: 100, seed: 1 }).auc).toEqual(small.auc);
    expect(again.resamples).toBe(100);
  });
});

describe('mass sculpting', () => {
  const rng = new Rng(21);
  const n = 20000;
  // A falling QCD-like mass spectrum [GeV].
  const mass = Float64Array.from({ length: n }, () => 20 + -60 * Math.log(1 - rng.uniform()));
  it('a score that IS the mass sculpts strongly, a random score does not', () => {
    const bySelf = sculpting(mass, mass);
    const random = sculpting(Float64Array.from({ length: n }, () => rng.uniform()), mass);
    expect(bySelf.curves.map((c) => c.acceptance)).toEqual([1, 0.5, 0.2, 0.1, 0.05]);
    expect(bySelf.curves[0]!.jsd).toBe(0);
    const at10 = bySelf.curves[3]!;
    expect(at10.passFraction).toBeCloseTo(0.1, 3);
    expect(at10.jsd).toBeGreaterThan(0.4);
    // Random cut: only statistical fluctuations (≈ bins / (8 n_pass) ≈ 0.0025 at 2000 passing jets, 40 bins).
    expect(random.curves[3]!.jsd).toBeLessThan(0.02);
    expect(random.curves[3]!.jsd).toBeGreaterThan(0);
    // Sculpting grows as the cut tightens.
    for (let k = 1; k < bySelf.curves.length; k++) expect(bySelf.curves[k]!.jsd).toBeGreaterThan(bySelf.curves[k - 1]!.jsd);
  });
  it('threshold at acceptance handles ties by passing all tied jets', () => {
    expect(thresholdAtAcceptance([1, 2, 3, 4], 0.5)).toBe(3);
    expect(thresholdAtAcceptance([1, 2, 3, 4], 1)).toBe(1);
    const tied = sculpting([1, 1, 1, 2], [10, 20, 30, 40], { acceptanceRates: [0.5] });
    expect(tied.curves[0]!.nPassing).toBe(4);
  });
  it('1/JSD at ε_S = 50% (pass vs fail): large for a random score, small for the mass itself', () => {
    const signalMass = Float64Array.from({ length: 5000 }, () => 170 + 15 * rng.normal());
    const d = inverseJsdAtSignalEfficiency(signalMass, mass, mass);
    expect(d.signalEfficiency).toBe(0.5);
    expect(d.nPassing + d.nFailing).toBe(n);
    expect(d.jsd).toBeCloseTo(Math.LN2, 1); // pass and fail masses barely overlap
    const r = inverseJsdAtSignalEfficiency(Float64Array.from({ length: 5000 }, () => rng.uniform()), Float64Array.from({ length: n }, () => rng.uniform()), mass);
    expect(r.inverseJsd).toBeGreaterThan(50);
    expect(r.epsB).toBeCloseTo(0.5, 1);
  });
});

describe('correlations', () => {
  it('Pearson/Spearman on exact cases', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(Array.from(ranks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 12);
    expect(() => pearson([1, 2], [1])).toThrow(/values/);
  });
  it('distance correlation: 1 for linear, ≈ 0 for independent, > 0 for y = x² where Pearson ≈ 0', () => {
    const rng = new Rng(4);
    const x = gauss(rng, 1500);
    expect(distanceCorrelation(x, Float64Array.from(x, (v) => 3 * v - 1))).toBeCloseTo(1, 9);
    expect(distanceCorrelation(x, gauss(rng, 1500))).toBeLessThan(0.1);
    const sq = Float64Array.from(x, (v) => v * v);
    expect(Math.abs(pearson(x, sq))).toBeLessThan(0.1);
    expect(distanceCorrelation(x, sq)).toBeGreaterThan(0.4);
  });
  it('hand-computed dCor of a 3-point sample', () => {
    // x = (0,1,2), y = (0,1,0). Double-centred distance matrices (×9):
    //   A = [[-10, 2, 8], [2, -4, 2], [8, 2, -10]],  B = [[-2, 4, -2], [4, -8, 4], [-2, 4, -2]]
    //   ΣAB = 72, ΣA² = 360, ΣB² = 144 (all /81) → dCor² = 72/√(360·144) = 1/√10 → dCor = 10^(−1/4).
    expect(distanceCorrelation([0, 1, 2], [0, 1, 0])).toBeCloseTo(10 ** -0.25, 12);
  });
  it('subsamples deterministically above maxPoints', () => {
    const rng = new Rng(9);
    const x = gauss(rng, 3000);
    const y = Float64Array.from(x, (v) => v + rng.normal());
    const a = scoreMassCorrelation(x, y, { maxPoints: 500, seed: 2 });
    const b = scoreMassCorrelation(x, y, { maxPoints: 500, seed: 2 });
    expect(a.distanceCorrelation).toBe(b.distanceCorrelation);
    expect(a.nDistance).toBe(500);
    expect(a.pearson).toBeCloseTo(1 / Math.SQRT2, 1);
  });
});

function fakeJets(rng: Rng, size: number, particles: number, shift = 0): FeatureJets {
  const x = new Float32Array(size * particles * 3);
  const mask = new Uint8Array(size * particles);
  for (let j = 0; j < size; j++) {
    const m = 5 + rng.int(particles - 5);
    for (let k = 0; k < m; k++) {
      const s = j * particles + k;
      mask[s] = 1;
      x[s * 3] = 3 - 0.1 * k + 0.3 * rng.normal() + shift;
      x[s * 3 + 1] = 0.1 * rng.normal();
      x[s * 3 + 2] = 0.1 * rng.normal();
    }
  }
  return { x, mask, size, particles };
}

describe('generation metrics', () => {
  it('same generator → small JSD/W1; shifted ln pT → W1(ln pT) ≈ shift and larger pT JSD', () => {
    const rng = new Rng(31);
    const data = fakeJets(rng, 2000, 20);
    const same = generationMetrics(data, fakeJets(rng, 2000, 20));
    const shifted = generationMetrics(data, fakeJets(rng, 2000, 20, 0.5));
    const get = (r: typeof same, name: string) => r.observables.find((o) => o.name === name)!;
    expect(same.observables.map((o) => o.name)).toEqual(['ptGeV', 'massGeV', 'multiplicity', 'logPt', 'deta', 'dphi']);
    expect(get(same, 'ptGeV').jsd).toBeLessThan(0.03);
    expect(get(same, 'logPt').w1).toBeLessThan(0.05);
    expect(get(shifted, 'logPt').w1).toBeCloseTo(0.5, 1);
    expect(get(shifted, 'ptGeV').jsd).toBeGreaterThan(10 * get(same, 'ptGeV').jsd);
    // Multiplicity: one bin per integer.
    const mult = get(same, 'multiplicity');
    expect(mult.binning.range[0]).toBe(-0.5);
    expect(mult.binning.bins).toBe(mult.binning.range[1] + 0.5);
    expect(get(same, 'deta').level).toBe('particle');
  });
  it('data-vs-data floor: disjoint parts of one sample, sized like the generated one; the JSD shrinks with statistics', () => {
    const data = fakeJets(new Rng(37), 4000, 20);
    const small = dataVsDataFloor(data, 200, 1);
    const large = dataVsDataFloor(data, 2000, 1);
    const pt = (r: typeof small) => r.observables.find((o) => o.name === 'ptGeV')!;
    expect(pt(small).nGenerated).toBe(200);
    expect(pt(small).nData).toBe(3800);
    expect(pt(large).nGenerated).toBe(2000); // at most half the data
    expect(pt(small).jsd).toBeGreaterThan(0);
    // 50 bins: the floor of a 200-jet sample is several times that of a 2000-jet sample (~1/n scaling)
    expect(pt(small).jsd).toBeGreaterThan(3 * pt(large).jsd);
    expect(dataVsDataFloor(data, 200, 1).observables.map((o) => o.jsd)).toEqual(small.observables.map((o) => o.jsd));
  });
  it('clamps far-off generated values into the end bins so they count', () => {
    const d = { ptGeV: Float32Array.of(1, 2, 3, 4), massGeV: Float32Array.of(1, 2, 3, 4), multiplicity: Float32Array.of(1, 2, 3, 4), logPt: Float32Array.of(0, 1), deta: Float32Array.of(0, 1), dphi: Float32Array.of(0, 1) };
    const g = { ...d, ptGeV: Float32Array.of(1000, 1000, 1000, 1000) };
    const r = compareGeneration(d, g, { bins: 4 });
    expect(r.observables[0]!.jsd).toBeGreaterThan(0.3);
    expect(r.observables[0]!.w1).toBeCloseTo(997.5, 6);
  });
});

describe('energy distributions', () => {
  it('shares edges, normalises to unit area and orders classes as given', () => {
    const rng = new Rng(41);
    const e = energyDistributions([
      { name: 'qcd', role: 'background', energy: gauss(rng, 3000, 0) },
      { name: 'top', role: 'signal', energy: gauss(rng, 3000, 1) },
      { name: 'noise', role: 'noise', energy: gauss(rng, 1000, 8) },
    ]);
    expect(e.classes.map((c) => c.name)).toEqual(['qcd', 'top', 'noise']);
    for (const c of e.classes) {
      let area = 0;
      for (let i = 0; i < c.density.length; i++) area += c.density[i]! * (e.edges[i + 1]! - e.edges[i]!);
      expect(area).toBeCloseTo(1, 9);
    }
    expect(e.classes[2]!.median).toBeGreaterThan(e.classes[1]!.median);
    expect(e.classes[1]!.mean).toBeCloseTo(1, 1);
  });
});
