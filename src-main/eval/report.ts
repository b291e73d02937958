// The anomaly-detection report: for every score (EBM energy, EBM-CLF 1 − p(bkg|x), baselines) and every signal,
// AUC ± bootstrap, R30, R50, DisCo 1/JSD; per score, background mass sculpting and score–mass correlations.
// Pure function of per-jet arrays; the CLI (cli/commands/eval.ts) does the reading, scoring and plotting.
import { scoreMassCorrelation, type ScoreMassCorrelation } from './correlation.ts';
import { histogram, quantiles, type Binning } from './histogram.ts';
import { rocCurve, taggerMetrics, thinRoc, type RocCurve, type TaggerMetrics } from './roc.ts';
import { ACCEPTANCE_RATES, inverseJsdAtSignalEfficiency, sculpting, type DiscoSculpting, type SculptingResult } from './sculpting.ts';

/** Per-jet values of one evaluated sample (a background or a signal), all arrays of length n. */
export interface EvalSample {
  name: string;
  role: 'background' | 'signal';
  /** Jet mass [GeV] used for sculpting and correlations. */
  massGeV: Float32Array;
  /** Scores by score name; higher = more anomalous / signal-like (roc.ts convention). */
  scores: Record<string, Float32Array>;
}

export interface SignalResult {
  signal: string;
  metrics: TaggerMetrics;
  /** DisCo-convention decorrelation: 1/JSD(pass, fail) of the background mass at ε_S = 50%. */
  disco: DiscoSculpting;
  /** Thinned ROC curve for plots. */
  roc: RocCurve;
}

export interface ScoreResult {
  score: string;
  signals: SignalResult[];
  sculpting: SculptingResult;
  correlation: ScoreMassCorrelation;
}

export interface AnomalyReport {
  scores: ScoreResult[];
  massBinning: Binning;
  settings: { resamples: number; seed: number; acceptanceRates: readonly number[] };
}

/** Mass binning shared by every sculpting histogram: 40 bins over [0, background 99.5% quantile rounded up to 50 GeV]. */
export function massBinning(backgroundMassGeV: ArrayLike<number>, bins = 40): Binning {
  const [hi] = quantiles(backgroundMassGeV, [0.995]) as [number];
  const top = Number.isFinite(hi) && hi > 0 ? Math.ceil(hi / 50) * 50 : 400;
  return { bins, range: [0, top] };
}

/**
 * Evaluate every score present on the background (and on each signal) — see the module header. `resamples` (default
 * 200) bootstrap resamples with `seed` (default 0).
 */
export function anomalyReport(background: EvalSample, signals: EvalSample[], opts: { resamples?: number; seed?: number; acceptanceRates?: readonly number[] } = {}): AnomalyReport {
  const resamples = opts.resamples ?? 200;
  const seed = opts.seed ?? 0;
  const acceptanceRates = opts.acceptanceRates ?? ACCEPTANCE_RATES;
  const binning = massBinning(background.massGeV);
  const scores = Object.keys(background.scores).map((score): ScoreResult => {
    const b = background.scores[score]!;
    return {
      score,
      signals: signals
        .filter((s) => s.scores[score])
        .map((s) => {
          const sig = s.scores[score]!;
          return {
            signal: s.name,
            metrics: taggerMetrics(sig, b, { resamples, seed }),
            disco: inverseJsdAtSignalEfficiency(sig, b, background.massGeV, { binning }),
            roc: thinRoc(rocCurve(sig, b), 400),
          };
        }),
      sculpting: sculpting(b, background.massGeV, { acceptanceRates, binning }),
      correlation: scoreMassCorrelation(b, background.massGeV, { seed }),
    };
  });
  return { scores, massBinning: binning, settings: { resamples, seed, acceptanceRates } };
}

/** A 2-D histogram (x = mass, y = score; row-major [x × y]) and the mean score per mass bin, for the correlation plot. */
export function scoreMassHistogram2D(massGeV: ArrayLike<number>, score: ArrayLike<number>, massRange: [number, number], bins: [number, number] = [40, 40]) {
  const [ylo, yhi] = quantiles(score, [0.005, 0.995]) as [number, number];
  const yRange: [number, number] = Number.isFinite(ylo) && yhi > ylo ? [ylo, yhi] : [ylo - 0.5, ylo + 0.5];
  const [nx, ny] = bins;
  const values = new Float64Array(nx * ny);
  const sum = new Float64Array(nx);
  const cnt = new Float64Array(nx);
  const hx = histogram([], { bins: nx, range: massRange });
  const hy = histogram([], { bins: ny, range: yRange });
  const wx = (massRange[1] - massRange[0]) / nx;
  const wy = (yRange[1] - yRange[0]) / ny;
  for (let k = 0; k < massGeV.length; k++) {
    const m = massGeV[k]!;
    const s = score[k]!;
    if (!Number.isFinite(m) || !Number.isFinite(s)) continue;
    const i = Math.min(nx - 1, Math.max(0, Math.floor((m - massRange[0]) / wx)));
    const j = Math.min(ny - 1, Math.max(0, Math.floor((s - yRange[0]) / wy)));
    values[i * ny + j]! += 1;
    sum[i]! += s;
    cnt[i]! += 1;
  }
  const centres = Array.from({ length: nx }, (_, i) => massRange[0] + (i + 0.5) * wx);
  const mean = Array.from({ length: nx }, (_, i) => (cnt[i]! >= 10 ? sum[i]! / cnt[i]! : NaN));
  return { xEdges: hx.edges, yEdges: hy.edges, values, profile: { x: centres, y: mean } };
}

/** JSON-safe copy: typed arrays → arrays, ±∞ and NaN → null (JSON has neither). */
export function jsonSafe(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonSafe(x);
    return out;
  }
  return v;
}
