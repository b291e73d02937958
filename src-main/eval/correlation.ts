// Correlation between a tagger score and the jet mass (paper Fig. 4 right): Pearson (linear), Spearman (rank) and
// distance correlation (any dependence). Pure functions over paired samples; NaN pairs are an error.
import { Rng } from '../util/rng.ts';

function checkPairs(x: ArrayLike<number>, y: ArrayLike<number>, what: string): void {
  if (x.length !== y.length) throw new RangeError(`${what}: ${x.length} x values but ${y.length} y values`);
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]!) || Number.isNaN(y[i]!)) throw new RangeError(`${what}: pair ${i} contains NaN`);
  }
}

/**
 * Pearson correlation coefficient ρ = cov(x, y) / (σ_x σ_y) ∈ [−1, 1] (two-pass, float64). NaN when either sample
 * is constant or has fewer than 2 values.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPairs(x, y, 'pearson');
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Mid-ranks (1-based, ties get their average rank). */
export function ranks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const r = new Float64Array(n);
  for (let k = 0; k < n; ) {
    let e = k;
    while (e + 1 < n && x[order[e + 1]!]! === x[order[k]!]!) e++;
    const mid = (k + e) / 2 + 1;
    for (let t = k; t <= e; t++) r[order[t]!] = mid;
    k = e + 1;
  }
  return r;
}

/** Spearman rank correlation = Pearson correlation of the mid-ranks (C. Spearman, Am. J. Psychol. 15 (1904) 72). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPairs(x, y, 'spearman');
  return pearson(ranks(x), ranks(y));
}

/** Default largest sample for the O(n²) distance correlation. */
export const DISTANCE_CORRELATION_MAX_POINTS = 4000;

/**
 * Distance correlation dCor(x, y) ∈ [0, 1] (0 iff independent, for the population value), the V-statistic of
 * G. J. Székely, M. L. Rizzo & N. K. Bakirov, "Measuring and testing dependence by correlation of distances",
 * Ann. Statist. 35 (2007) 2769, eqs. (2.8)–(2.10):
 *   a_ij = |x_i − x_j|, A_ij = a_ij − ā_i· − ā_·j + ā_··  (same for B from y),
 *   dCov²(x, y) = (1/n²) Σ_ij A_ij B_ij,   dCor² = dCov²(x, y) / √(dCov²(x, x) dCov²(y, y)).
 * This is the quantity DisCo regularises (Kasieczka & Shih, arXiv:2001.05310). Cost O(n²) time, O(n) memory: above
 * `maxPoints` (default 4000) pairs, a deterministic subsample of `maxPoints` pairs (seeded permutation, `seed`
 * default 0) is used; the result then carries a statistical error of order 1/√maxPoints.
 */
export function distanceCorrelation(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  opts: { maxPoints?: number; seed?: number } = {},
): number {
  checkPairs(x, y, 'distanceCorrelation');
  const { maxPoints = DISTANCE_CORRELATION_MAX_POINTS, seed = 0 } = opts;
  let xs: Float64Array;
  let ys: Float64Array;
  if (x.length > maxPoints) {
    const perm = new Rng(seed).permutation(x.length);
    xs = new Float64Array(maxPoints);
    ys = new Float64Array(maxPoints);
    for (let k = 0; k < maxPoints; k++) {
      xs[k] = x[perm[k]!]!;
      ys[k] = y[perm[k]!]!;
    }
  } else {
    xs = Float64Array.from(x as ArrayLike<number>);
    ys = Float64Array.from(y as ArrayLike<number>);
  }
  const n = xs.length;
  if (n < 2) return NaN;
  const rowMean = (v: Float64Array) => {
    const m = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.abs(v[i]! - v[j]!);
      m[i] = s / n;
    }
    return m;
  };
  const ax = rowMean(xs);
  const ay = rowMean(ys);
  let gx = 0;
  let gy = 0;
  for (let i = 0; i < n; i++) {
    gx += ax[i]!;
    gy += ay[i]!;
  }
  gx /= n;
  gy /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const xi = xs[i]!;
    const yi = ys[i]!;
    const axi = ax[i]!;
    const ayi = ay[i]!;
    for (let j = 0; j < n; j++) {
      const A = Math.abs(xi - xs[j]!) - axi - ax[j]! + gx;
      const B = Math.abs(yi - ys[j]!) - ayi - ay[j]! + gy;
      sxy += A * B;
      sxx += A * A;
      syy += B * B;
    }
  }
  if (!(sxx > 0 && syy > 0)) return NaN;
  const dcor2 = sxy / Math.sqrt(sxx * syy);
  return Math.sqrt(Math.max(dcor2, 0));
}

export interface ScoreMassCorrelation {
  pearson: number;
  spearman: number;
  distanceCorrelation: number;
  n: number;
  /** Points used for the distance correlation (≤ DISTANCE_CORRELATION_MAX_POINTS). */
  nDistance: number;
}

/** All three correlations between a score and the jet mass [GeV] (or any paired quantity). */
export function scoreMassCorrelation(score: ArrayLike<number>, massGeV: ArrayLike<number>, opts: { maxPoints?: number; seed?: number } = {}): ScoreMassCorrelation {
  const maxPoints = opts.maxPoints ?? DISTANCE_CORRELATION_MAX_POINTS;
  return {
    pearson: pearson(score, massGeV),
    spearman: spearman(score, massGeV),
    distanceCorrelation: distanceCorrelation(score, massGeV, { ...opts, maxPoints }),
    n: score.length,
    nDistance: Math.min(score.length, maxPoints),
  };
}
