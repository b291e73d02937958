// Fixed-width 1-D histograms and the shared binning helpers every metric and plot uses, so that two samples
// compared by a divergence are always filled on exactly the same bin edges.
//
// Convention (numpy.histogram): bins are half-open [e_i, e_{i+1}) except the last, which is closed [e_{B-1}, e_B];
// values below e_0 go to `underflow`, above e_B to `overflow`, NaN to `nonFinite` (±∞ are under/overflow).
// Counts are float64 so weighted fills and normalised histograms share one type. Units are those of the values.

/** A filled 1-D histogram. */
export interface Histogram {
  /** Bin edges, length bins + 1, strictly increasing. */
  edges: Float64Array;
  /** Sum of weights per bin (unweighted: number of entries), length bins. */
  counts: Float64Array;
  /** Sum of weights of values below edges[0]. */
  underflow: number;
  /** Sum of weights of values above edges[bins]. */
  overflow: number;
  /** Number of NaN values (never filled anywhere). */
  nonFinite: number;
}

/** Number of bins and the [lo, hi] range they cover (units of the values). */
export interface Binning {
  bins: number;
  range: readonly [number, number];
}

export interface HistogramOptions extends Binning {
  /** Per-value weights, same length as the values; default 1 each. */
  weights?: ArrayLike<number>;
  /** Put values below/above the range (±∞ included) into the first/last bin instead of under/overflow. */
  clamp?: boolean;
}

function checkBinning({ bins, range }: Binning): void {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram: bins must be a positive integer, got ${bins}`);
  const [lo, hi] = range;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) {
    throw new RangeError(`histogram: range must be finite with hi > lo, got [${lo}, ${hi}]`);
  }
}

/** `bins + 1` equally spaced edges from lo to hi (the last edge is exactly hi). */
export function linearEdges(lo: number, hi: number, bins: number): Float64Array {
  checkBinning({ bins, range: [lo, hi] });
  const edges = new Float64Array(bins + 1);
  const width = (hi - lo) / bins;
  for (let i = 0; i < bins; i++) edges[i] = lo + i * width;
  edges[bins] = hi;
  return edges;
}

/** Bin centres (e_i + e_{i+1}) / 2, length bins. */
export function binCenters(edges: ArrayLike<number>): Float64Array {
  const out = new Float64Array(edges.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = 0.5 * (edges[i]! + edges[i + 1]!);
  return out;
}

/** Bin index of x on a fixed-width binning: -1 underflow, bins overflow, NaN → -2. The top edge belongs to the last bin. */
export function binIndex(x: number, lo: number, hi: number, bins: number): number {
  if (Number.isNaN(x)) return -2;
  if (x < lo) return -1;
  if (x > hi) return bins;
  if (x === hi) return bins - 1;
  const i = Math.floor(((x - lo) / (hi - lo)) * bins);
  return i >= bins ? bins - 1 : i;
}

/** Fill a fixed-width histogram of `values` on `bins` bins over `range` (optionally weighted). */
export function histogram(values: ArrayLike<number>, opts: HistogramOptions): Histogram {
  checkBinning(opts);
  const { bins, weights, clamp = false } = opts;
  const [lo, hi] = opts.range;
  if (weights && weights.length !== values.length) {
    throw new RangeError(`histogram: ${weights.length} weights for ${values.length} values`);
  }
  const counts = new Float64Array(bins);
  let underflow = 0;
  let overflow = 0;
  let nonFinite = 0;
  for (let k = 0; k < values.length; k++) {
    const w = weights ? weights[k]! : 1;
    const i = binIndex(values[k]!, lo, hi, bins);
    if (i === -2) nonFinite++;
    else if (i === -1) {
      if (clamp) counts[0]! += w;
      else underflow += w;
    } else if (i === bins) {
      if (clamp) counts[bins - 1]! += w;
      else overflow += w;
    } else counts[i]! += w;
  }
  return { edges: linearEdges(lo, hi, bins), counts, underflow, overflow, nonFinite };
}

/** Sum of in-range counts (under/overflow excluded). */
export function histogramTotal(h: Pick<Histogram, 'counts'>): number {
  let s = 0;
  for (let i = 0; i < h.counts.length; i++) s += h.counts[i]!;
  return s;
}

/**
 * Normalised copy of the in-range counts. `mode: 'unit'` (default): Σ pᵢ = 1 (a probability vector, what divergences
 * use); `mode: 'density'`: Σ pᵢ·Δᵢ = 1 (per unit of the value, what a "1/N dN/dx" plot shows). All-zero stays zero.
 */
export function normalize(h: Pick<Histogram, 'counts' | 'edges'>, mode: 'unit' | 'density' = 'unit'): Float64Array {
  const total = histogramTotal(h);
  const out = new Float64Array(h.counts.length);
  if (total <= 0) return out;
  for (let i = 0; i < out.length; i++) {
    const width = mode === 'density' ? h.edges[i + 1]! - h.edges[i]! : 1;
    out[i] = h.counts[i]! / total / width;
  }
  return out;
}

/** Smallest and largest finite value, or null when there is none. */
export function finiteExtent(values: ArrayLike<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The q-quantile (0 ≤ q ≤ 1, linear interpolation as numpy's default) of the finite values; NaN when there are none. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantiles(values, [q])[0]!;
}

/** Several quantiles with one sort (finite values only). */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = sortedFinite(values);
  return qs.map((q) => quantileOfSorted(sorted, q));
}

/** Finite values as a sorted Float64Array. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let k = 0; k < values.length; k++) if (Number.isFinite(values[k]!)) n++;
  const out = new Float64Array(n);
  n = 0;
  for (let k = 0; k < values.length; k++) if (Number.isFinite(values[k]!)) out[n++] = values[k]!;
  return out.sort();
}

/** q-quantile of an ascending array, linear interpolation between order statistics. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = Math.min(Math.max(q, 0), 1) * (n - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < n ? sorted[i]! * (1 - f) + sorted[i + 1]! * f : sorted[i]!;
}

/**
 * One range covering several samples, for filling them on common edges: from the `lowQuantile` to the `highQuantile`
 * of the pooled finite values (defaults 0 and 1 = min and max), widened by `pad` (fraction of the width) on both sides.
 * A degenerate range (all values equal, or no finite values) becomes [v − 0.5, v + 0.5] (or [0, 1]).
 */
export function commonRange(
  samples: readonly ArrayLike<number>[],
  opts: { lowQuantile?: number; highQuantile?: number; pad?: number } = {},
): [number, number] {
  const { lowQuantile = 0, highQuantile = 1, pad = 0 } = opts;
  let lo: number;
  let hi: number;
  if (lowQuantile <= 0 && highQuantile >= 1) {
    lo = Infinity;
    hi = -Infinity;
    for (const s of samples) {
      const e = finiteExtent(s);
      if (e) {
        lo = Math.min(lo, e[0]);
        hi = Math.max(hi, e[1]);
      }
    }
  } else {
    let n = 0;
    for (const s of samples) n += s.length;
    const pooled = new Float64Array(n);
    n = 0;
    for (const s of samples) for (let k = 0; k < s.length; k++) pooled[n++] = s[k]!;
    [lo, hi] = quantiles(pooled, [lowQuantile, highQuantile]) as [number, number];
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi <= lo) return [lo - 0.5, lo + 0.5];
  const w = (hi - lo) * pad;
  return [lo - w, hi + w];
}
