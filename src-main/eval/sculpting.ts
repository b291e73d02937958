// Mass sculpting of a tagger: how a cut on the score distorts the background jet-mass distribution (paper Figs. 6
// right and 7). Convention as in roc.ts: higher score = more signal-like; a jet passes when score ≥ threshold.
import { jsd } from './divergence.ts';
import { histogram, type Binning } from './histogram.ts';

/** The paper's background acceptance rates ε_B (fraction of background kept by the cut). */
export const ACCEPTANCE_RATES: readonly number[] = [1, 0.5, 0.2, 0.1, 0.05];

/**
 * Score threshold keeping a fraction `acceptance` of the given scores: the k-th largest score with
 * k = max(1, round(acceptance·n)); jets with score ≥ threshold pass. With tied scores (e.g. an integer multiplicity
 * used as a score) more than k jets can pass: callers report the realised fraction. acceptance = 1 → the minimum.
 */
export function thresholdAtAcceptance(scores: ArrayLike<number>, acceptance: number): number {
  if (!(acceptance > 0 && acceptance <= 1)) throw new RangeError(`acceptance must be in (0, 1], got ${acceptance}`);
  const n = scores.length;
  if (n === 0) throw new RangeError('thresholdAtAcceptance: no scores');
  const sorted = Float64Array.from(scores as ArrayLike<number>).sort();
  const k = Math.max(1, Math.round(acceptance * n));
  return sorted[n - k]!;
}

/** Fraction of scores ≥ threshold. */
export function passFraction(scores: ArrayLike<number>, threshold: number): number {
  let k = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= threshold) k++;
  return scores.length ? k / scores.length : NaN;
}

export interface SculptingCurve {
  /** Requested background acceptance ε_B. */
  acceptance: number;
  /** Score threshold (pass: score ≥ threshold). */
  threshold: number;
  /** Background jets passing, and their realised fraction (≥ acceptance when scores tie). */
  nPassing: number;
  passFraction: number;
  /** Passing-background mass histogram (raw counts, same edges as `uncut`). */
  counts: Float64Array;
  /** JSD [nats] between the passing and the uncut background mass shapes (both normalised; 0 = no sculpting). */
  jsd: number;
}

export interface SculptingResult {
  /** Mass bin edges [GeV]. */
  edges: Float64Array;
  /** All-background mass histogram (raw counts). */
  uncut: Float64Array;
  curves: SculptingCurve[];
}

/**
 * Background mass histograms after cuts that keep each fraction in `acceptanceRates` (default {1, 0.5, 0.2, 0.1,
 * 0.05}) of the background, and the JSD [nats] of each passing shape against the uncut background shape:
 * JSD(p(m | score ≥ t_ε), p(m)). This is the quantity plotted in the paper's Figs. 6–7 (there only by eye); a mass-
 * decorrelated score gives ≈ 0, a score that is the mass gives large values. `binning` is the mass binning in GeV
 * (default 40 bins over [0, 400]); under/overflow are excluded from the JSD.
 */
export function sculpting(
  backgroundScores: ArrayLike<number>,
  backgroundMassGeV: ArrayLike<number>,
  opts: { acceptanceRates?: readonly number[]; binning?: Binning } = {},
): SculptingResult {
  const { acceptanceRates = ACCEPTANCE_RATES, binning = { bins: 40, range: [0, 400] } } = opts;
  const n = backgroundScores.length;
  if (backgroundMassGeV.length !== n) throw new RangeError(`sculpting: ${n} scores but ${backgroundMassGeV.length} masses`);
  const all = histogram(backgroundMassGeV, binning);
  const curves = acceptanceRates.map((acceptance): SculptingCurve => {
    const threshold = thresholdAtAcceptance(backgroundScores, acceptance);
    const passing = selectMasses(backgroundScores, backgroundMassGeV, threshold, true);
    const h = histogram(passing, binning);
    return { acceptance, threshold, nPassing: passing.length, passFraction: passing.length / n, counts: h.counts, jsd: jsd(h, all) };
  });
  return { edges: all.edges, uncut: all.counts, curves };
}

function selectMasses(scores: ArrayLike<number>, mass: ArrayLike<number>, threshold: number, pass: boolean): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= threshold === pass) out.push(mass[i]!);
  return Float64Array.from(out);
}

export interface DiscoSculpting {
  /** Signal efficiency at which the cut is placed (0.5 by convention). */
  signalEfficiency: number;
  threshold: number;
  /** Background efficiency at that cut. */
  epsB: number;
  nPassing: number;
  nFailing: number;
  /** JSD [nats] between passing and failing background mass shapes. */
  jsd: number;
  /** 1/JSD (larger = less sculpting); +∞ when JSD = 0. */
  inverseJsd: number;
}

/**
 * Mass decorrelation as 1/JSD at fixed signal efficiency, the DisCo convention: place the cut where the signal
 * efficiency is `signalEfficiency` (default 0.5, i.e. the threshold is the signal-score median), fill the background
 * mass histograms of jets PASSING and FAILING that cut, and report JSD(pass, fail) and 1/JSD. We use natural logs
 * (nats) like every JSD in this project; a value in bits is JSD_nats / ln 2 (so 1/JSD_bits = ln 2 / JSD_nats).
 * Reference: G. Kasieczka & D. Shih, "Robust Jet Classifiers through Distance Correlation", PRL 125 (2020) 122001,
 * arXiv:2001.05310, following ATLAS, ATL-PHYS-PUB-2018-014. Default mass binning 40 bins over [0, 400] GeV.
 */
export function inverseJsdAtSignalEfficiency(
  signalScores: ArrayLike<number>,
  backgroundScores: ArrayLike<number>,
  backgroundMassGeV: ArrayLike<number>,
  opts: { signalEfficiency?: number; binning?: Binning } = {},
): DiscoSculpting {
  const { signalEfficiency = 0.5, binning = { bins: 40, range: [0, 400] } } = opts;
  if (backgroundMassGeV.length !== backgroundScores.length) {
    throw new RangeError(`inverseJsdAtSignalEfficiency: ${backgroundScores.length} scores but ${backgroundMassGeV.length} masses`);
  }
  const threshold = thresholdAtAcceptance(signalScores, signalEfficiency);
  const pass = selectMasses(backgroundScores, backgroundMassGeV, threshold, true);
  const fail = selectMasses(backgroundScores, backgroundMassGeV, threshold, false);
  const d = pass.length && fail.length ? jsd(histogram(pass, binning), histogram(fail, binning)) : NaN;
  return {
    signalEfficiency,
    threshold,
    epsB: pass.length / backgroundScores.length,
    nPassing: pass.length,
    nFailing: fail.length,
    jsd: d,
    inverseJsd: d > 0 ? 1 / d : d === 0 ? Infinity : NaN,
  };
}
