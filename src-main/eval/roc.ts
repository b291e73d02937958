// ROC curves, exact AUC, background rejection at fixed signal efficiency, and their bootstrap uncertainties for a
// tagger score. Convention everywhere: HIGHER score = MORE signal-like; a jet is selected when score ≥ threshold.
// (For an EBM the anomaly score is the energy E(x) itself: anomalies have high energy. For EBM-CLF's p(QCD|x) pass
// 1 − p, as the paper's Table 2 does.)
import { Rng } from '../util/rng.ts';

/** A ROC curve at every distinct threshold, from the tightest (nothing selected) to the loosest (everything). */
export interface RocCurve {
  /** Thresholds, decreasing; point k selects jets with score ≥ threshold[k]; threshold[0] = +∞. */
  threshold: Float64Array;
  /** Signal efficiency ε_S = fraction of signal jets selected, non-decreasing from 0 to 1. */
  epsS: Float64Array;
  /** Background efficiency ε_B = fraction of background jets selected (mistag rate), non-decreasing from 0 to 1. */
  epsB: Float64Array;
  nSignal: number;
  nBackground: number;
}

function finiteCopy(scores: ArrayLike<number>, what: string): Float64Array {
  const out = Float64Array.from(scores as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i]!)) throw new RangeError(`${what}: score ${i} is NaN`);
  }
  return out;
}

/**
 * The ROC curve of a score: for every distinct score value t (descending), ε_S(t) = #{signal ≥ t}/n_S and
 * ε_B(t) = #{background ≥ t}/n_B. Tied scores move both efficiencies in one diagonal step, so the trapezoidal area
 * under (ε_B, ε_S) equals the Mann–Whitney AUC with ties counted ½. Scores may be ±∞ but not NaN. O(n log n).
 * Reference: T. Fawcett, "An introduction to ROC analysis", Pattern Recognit. Lett. 27 (2006) 861, Algorithm 1.
 */
export function rocCurve(signalScores: ArrayLike<number>, backgroundScores: ArrayLike<number>): RocCurve {
  const s = finiteCopy(signalScores, 'rocCurve (signal)').sort().reverse();
  const b = finiteCopy(backgroundScores, 'rocCurve (background)').sort().reverse();
  const nS = s.length;
  const nB = b.length;
  if (nS === 0 || nB === 0) throw new RangeError(`rocCurve: need signal and background scores (got ${nS} and ${nB})`);
  const thr: number[] = [Infinity];
  const es: number[] = [0];
  const eb: number[] = [0];
  let i = 0;
  let j = 0;
  while (i < nS || j < nB) {
    const t = j >= nB || (i < nS && s[i]! >= b[j]!) ? s[i]! : b[j]!;
    while (i < nS && s[i]! >= t) i++;
    while (j < nB && b[j]! >= t) j++;
    thr.push(t);
    es.push(i / nS);
    eb.push(j / nB);
  }
  return { threshold: Float64Array.from(thr), epsS: Float64Array.from(es), epsB: Float64Array.from(eb), nSignal: nS, nBackground: nB };
}

/**
 * Exact area under the ROC curve, AUC = P(score_S > score_B) + ½ P(score_S = score_B), via the Mann–Whitney U
 * statistic with mid-ranks for ties: AUC = (R_S − n_S(n_S+1)/2) / (n_S n_B), R_S = rank sum of the signal in the
 * pooled sample. 0.5 = random guessing, 1 = perfect. O(n log n).
 * Reference: D. J. Hand & R. J. Till, Mach. Learn. 45 (2001) 171, eq. (3); H. B. Mann & D. R. Whitney,
 * Ann. Math. Statist. 18 (1947) 50.
 */
export function auc(signalScores: ArrayLike<number>, backgroundScores: ArrayLike<number>): number {
  const nS = signalScores.length;
  const nB = backgroundScores.length;
  if (nS === 0 || nB === 0) throw new RangeError(`auc: need signal and background scores (got ${nS} and ${nB})`);
  const s = finiteCopy(signalScores, 'auc (signal)').sort();
  const b = finiteCopy(backgroundScores, 'auc (background)').sort();
  // Merge the two sorted lists; for each block of equal values, signal in the block gets the block's mid-rank.
  let i = 0;
  let j = 0;
  let rank = 0; // number of pooled values already ranked
  let rankSumS = 0;
  while (i < nS || j < nB) {
    const v = j >= nB || (i < nS && s[i]! <= b[j]!) ? s[i]! : b[j]!;
    let cs = 0;
    let cb = 0;
    while (i < nS && s[i]! === v) {
      i++;
      cs++;
    }
    while (j < nB && b[j]! === v) {
      j++;
      cb++;
    }
    const mid = rank + (cs + cb + 1) / 2; // mean of ranks rank+1 .. rank+cs+cb
    rankSumS += cs * mid;
    rank += cs + cb;
  }
  return (rankSumS - (nS * (nS + 1)) / 2) / (nS * nB);
}

/** Trapezoidal area under a RocCurve's (ε_B, ε_S); equals `auc` of the same scores. */
export function rocArea(roc: RocCurve): number {
  let a = 0;
  for (let k = 1; k < roc.epsB.length; k++) {
    a += (roc.epsB[k]! - roc.epsB[k - 1]!) * 0.5 * (roc.epsS[k]! + roc.epsS[k - 1]!);
  }
  return a;
}

/**
 * Background efficiency ε_B at signal efficiency `signalEfficiency` (0 < ε_S ≤ 1), linearly interpolated along the
 * ROC curve between the two points that bracket it (the first point reaching ε_S, i.e. the lowest ε_B achieving it).
 */
export function backgroundEfficiencyAt(roc: RocCurve, signalEfficiency: number): number {
  if (!(signalEfficiency > 0 && signalEfficiency <= 1)) throw new RangeError(`signal efficiency must be in (0, 1], got ${signalEfficiency}`);
  const { epsS, epsB } = roc;
  let k = 1;
  while (k < epsS.length && epsS[k]! < signalEfficiency) k++;
  if (k >= epsS.length) return epsB[epsB.length - 1]!;
  const s0 = epsS[k - 1]!;
  const s1 = epsS[k]!;
  const f = s1 > s0 ? (signalEfficiency - s0) / (s1 - s0) : 1;
  return epsB[k - 1]! + f * (epsB[k]! - epsB[k - 1]!);
}

/**
 * Background rejection R_x = 1/ε_B at signal efficiency ε_S = x (R30: x = 0.3, R50: x = 0.5), with ε_B interpolated
 * as in `backgroundEfficiencyAt`. +∞ when no background passes there (report as "> n_B" or null in JSON).
 * Reference: G. Kasieczka et al., "The Machine Learning landscape of top taggers", SciPost Phys. 7 (2019) 014.
 */
export function rejectionAt(roc: RocCurve, signalEfficiency: number): number {
  const eb = backgroundEfficiencyAt(roc, signalEfficiency);
  return eb > 0 ? 1 / eb : Infinity;
}

/** At most `maxPoints` points of a ROC curve for plotting or JSON (first and last kept, evenly spaced in index). */
export function thinRoc(roc: RocCurve, maxPoints = 500): RocCurve {
  const n = roc.epsS.length;
  if (n <= maxPoints) return roc;
  const pick = (a: Float64Array) => {
    const out = new Float64Array(maxPoints);
    for (let k = 0; k < maxPoints; k++) out[k] = a[Math.round((k * (n - 1)) / (maxPoints - 1))]!;
    return out;
  };
  return { ...roc, threshold: pick(roc.threshold), epsS: pick(roc.epsS), epsB: pick(roc.epsB) };
}

/** A value with its bootstrap spread. */
export interface Estimate {
  /** On the full (not resampled) samples. */
  value: number;
  /** Standard deviation over the bootstrap resamples (finite resamples only). */
  std: number;
  /** 16th and 84th percentiles of the resamples (a ±1σ-equivalent interval). */
  lo: number;
  hi: number;
}

export interface TaggerMetrics {
  auc: Estimate;
  /** 1/ε_B at ε_S = 0.3 and 0.5. */
  r30: Estimate;
  r50: Estimate;
  nSignal: number;
  nBackground: number;
  resamples: number;
  seed: number;
}

/**
 * AUC, R30 and R50 with bootstrap uncertainties: `resamples` times (default 200) draw n_S signal and n_B background
 * scores with replacement (independently, seeded Rng `seed`, default 0), recompute the metrics, and report the
 * standard deviation and the 16–84% interval of the resampled values next to the full-sample value.
 * Reference: B. Efron & R. Tibshirani, "An Introduction to the Bootstrap" (1993), ch. 6.
 */
export function taggerMetrics(
  signalScores: ArrayLike<number>,
  backgroundScores: ArrayLike<number>,
  opts: { resamples?: number; seed?: number } = {},
): TaggerMetrics {
  const { resamples = 200, seed = 0 } = opts;
  const roc = rocCurve(signalScores, backgroundScores);
  const full = { auc: auc(signalScores, backgroundScores), r30: rejectionAt(roc, 0.3), r50: rejectionAt(roc, 0.5) };
  const rng = new Rng(seed);
  const nS = signalScores.length;
  const nB = backgroundScores.length;
  const sRes = new Float64Array(nS);
  const bRes = new Float64Array(nB);
  const draws = { auc: [] as number[], r30: [] as number[], r50: [] as number[] };
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < nS; i++) sRes[i] = signalScores[rng.int(nS)]!;
    for (let i = 0; i < nB; i++) bRes[i] = backgroundScores[rng.int(nB)]!;
    const rr = rocCurve(sRes, bRes);
    draws.auc.push(rocArea(rr));
    draws.r30.push(rejectionAt(rr, 0.3));
    draws.r50.push(rejectionAt(rr, 0.5));
  }
  return {
    auc: estimate(full.auc, draws.auc),
    r30: estimate(full.r30, draws.r30),
    r50: estimate(full.r50, draws.r50),
    nSignal: nS,
    nBackground: nB,
    resamples,
    seed,
  };
}

function estimate(value: number, draws: number[]): Estimate {
  const finite = draws.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return { value, std: NaN, lo: NaN, hi: NaN };
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const variance = finite.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(finite.length - 1, 1);
  const at = (q: number) => {
    const pos = q * (finite.length - 1);
    const i = Math.floor(pos);
    return i + 1 < finite.length ? finite[i]! + (pos - i) * (finite[i + 1]! - finite[i]!) : finite[i]!;
  };
  return { value, std: Math.sqrt(variance), lo: at(0.16), hi: at(0.84) };
}
