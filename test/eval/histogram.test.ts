// Histogram filling conventions and the JSD / W1 divergences on hand-computed cases.
import { describe, expect, it } from 'vitest';
import { binCenters, commonRange, histogram, linearEdges, normalize, quantile } from '../../src-main/eval/histogram.ts';
import { jsd, sampleJsd, wasserstein1 } from '../../src-main/eval/divergence.ts';
import { Rng } from '../../src-main/util/rng.ts';

describe('histogram', () => {
  it('fills half-open bins, closes the last one, counts under/overflow and NaN', () => {
    const h = histogram([0, 0.5, 1, 1.999, 2, 3.9, 4, 4.0001, -0.1, NaN, Infinity, -Infinity], { bins: 4, range: [0, 4] });
    expect(Array.from(h.edges)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(h.counts)).toEqual([2, 2, 1, 2]);
    expect(h.underflow).toBe(2);
    expect(h.overflow).toBe(2);
    expect(h.nonFinite).toBe(1);
  });
  it('uses weights and normalises to unit sum or density', () => {
    const h = histogram([0.5, 1.5, 1.5], { bins: 2, range: [0, 4], weights: [1, 2, 3] });
    expect(Array.from(h.counts)).toEqual([6, 0]);
    const g = histogram([0.5, 2.5, 3.5, 3.6], { bins: 2, range: [0, 4] });
    expect(Array.from(normalize(g))).toEqual([0.25, 0.75]);
    expect(Array.from(normalize(g, 'density'))).toEqual([0.125, 0.375]);
  });
  it('rejects bad binnings', () => {
    expect(() => histogram([1], { bins: 0, range: [0, 1] })).toThrow(/bins/);
    expect(() => histogram([1], { bins: 3, range: [1, 1] })).toThrow(/range/);
    expect(() => histogram([1], { bins: 3, range: [0, 1], weights: [1, 2] })).toThrow(/weights/);
  });
  it('helpers: edges, centres, quantiles, common range', () => {
    expect(Array.from(linearEdges(0, 1, 4))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(binCenters([0, 2, 4]))).toEqual([1, 3]);
    expect(quantile([4, 1, 3, 2, NaN], 0.5)).toBe(2.5);
    expect(commonRange([[1, 2], [5, -1]])).toEqual([-1, 5]);
    expect(commonRange([[3, 3]])).toEqual([2.5, 3.5]);
  });
});

describe('jsd (nats)', () => {
  it('is 0 for identical shapes and ln 2 for disjoint supports', () => {
    expect(jsd([1, 2, 3, 0], [2, 4, 6, 0])).toBe(0);
    expect(jsd([1, 2, 0, 0], [0, 0, 5, 1])).toBeCloseTo(Math.LN2, 12);
  });
  it('matches a hand computation and is symmetric', () => {
    // P = (1/2, 1/2), Q = (1, 0), M = (3/4, 1/4): JSD = ½[½ ln(2/3) + ½ ln 2] + ½ ln(4/3) ≈ 0.2158 nats.
    const expected = 0.5 * (0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25)) + 0.5 * Math.log(1 / 0.75);
    expect(jsd([1, 1], [1, 0])).toBeCloseTo(expected, 12);
    expect(jsd([1, 0], [1, 1])).toBeCloseTo(expected, 12);
  });
  it('refuses different binnings and returns NaN for an empty histogram', () => {
    const a = histogram([1, 2], { bins: 4, range: [0, 4] });
    const b = histogram([1, 2], { bins: 4, range: [0, 5] });
    expect(() => jsd(a, b)).toThrow(/binnings/);
    expect(() => jsd([1, 2], [1, 2, 3])).toThrow(/bins/);
    expect(jsd([0, 0], [1, 1])).toBeNaN();
  });
  it('sampleJsd of two draws of one Gaussian is small, of shifted Gaussians large', () => {
    const rng = new Rng(1);
    const a = Float64Array.from({ length: 20000 }, () => rng.normal());
    const b = Float64Array.from({ length: 20000 }, () => rng.normal());
    const c = Float64Array.from({ length: 20000 }, () => rng.normal() + 3);
    expect(sampleJsd(a, b, { bins: 40 })).toBeLessThan(0.005);
    expect(sampleJsd(a, c, { bins: 40 })).toBeGreaterThan(0.4);
  });
});

describe('wasserstein1', () => {
  it('matches hand computations', () => {
    // Half the mass moves 0.5 left, half 0.5 right.
    expect(wasserstein1([0, 1], [0.5])).toBeCloseTo(0.5, 12);
    // A pure shift by 3.
    expect(wasserstein1([1, 2, 4], [4, 5, 7])).toBeCloseTo(3, 12);
    // ([0,1,3], [0,2]) by the CDF integral:
    // F_A − F_B on [0,1): 1/3−1/2, [1,2): 2/3−1/2, [2,3): 2/3−1 → |.|: 1/6 + 1/6 + 1/3 = 2/3.
    expect(wasserstein1([0, 1, 3], [0, 2])).toBeCloseTo(2 / 3, 12);
    expect(wasserstein1([3, 1, 0], [2, 0])).toBeCloseTo(2 / 3, 12);
  });
  it('is 0 for identical samples, symmetric, NaN with NaN, error when empty', () => {
    expect(wasserstein1([3, 1, 2, 2], [2, 1, 2, 3])).toBe(0);
    expect(wasserstein1([0, 10], [1])).toBeCloseTo(wasserstein1([1], [0, 10]), 12);
    expect(wasserstein1([0, NaN], [1])).toBeNaN();
    expect(() => wasserstein1([], [1])).toThrow(/empty/);
  });
  it('equals |μ_A − μ_B| for two Gaussians of equal width (large samples)', () => {
    const rng = new Rng(2);
    const a = Float64Array.from({ length: 50000 }, () => rng.normal());
    const b = Float64Array.from({ length: 50000 }, () => rng.normal() + 0.7);
    expect(wasserstein1(a, b)).toBeCloseTo(0.7, 1);
  });
});
