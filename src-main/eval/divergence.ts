// Distances between two distributions: Jensen–Shannon divergence of two histograms on common bins (nats) and the
// exact 1-D Wasserstein-1 distance between two samples (units of the values). Pure functions over arrays.
import { commonRange, histogram, type Binning, type Histogram } from './histogram.ts';

/**
 * Jensen–Shannon divergence between two binned distributions, in nats (natural logarithm):
 *
 *   JSD(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M),   M = ½ (P + Q),   KL(P ‖ M) = Σᵢ pᵢ ln(pᵢ / mᵢ),
 *
 * with P and Q the in-range counts normalised to unit sum inside (under/overflow are NOT included: choose the range
 * to cover the data, e.g. with `commonRange`), and 0·ln 0 = 0. Symmetric, 0 for identical shapes, ln 2 ≈ 0.693 for
 * disjoint supports. This is the divergence itself (scipy's `jensenshannon` returns its square root, in bits when
 * base=2). Reference: J. Lin, "Divergence measures based on the Shannon entropy", IEEE Trans. Inf. Theory 37 (1991)
 * 145; used on jet-observable histograms for EBM validation in the paper (§3, "Model Validation").
 *
 * `p`, `q`: two `Histogram`s filled on identical edges, or two count arrays of equal length. Returns NaN when
 * either histogram is empty (no in-range entries).
 */
export function jsd(p: Histogram | ArrayLike<number>, q: Histogram | ArrayLike<number>): number {
  const pc = countsOf(p);
  const qc = countsOf(q);
  if (pc.length !== qc.length) throw new RangeError(`jsd: histograms have ${pc.length} and ${qc.length} bins`);
  if (isHistogram(p) && isHistogram(q)) checkSameEdges(p.edges, q.edges);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < pc.length; i++) {
    if (pc[i]! < 0 || qc[i]! < 0) throw new RangeError('jsd: negative bin content');
    sp += pc[i]!;
    sq += qc[i]!;
  }
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let d = 0;
  for (let i = 0; i < pc.length; i++) {
    const a = pc[i]! / sp;
    const b = qc[i]! / sq;
    const m = 0.5 * (a + b);
    if (a > 0) d += 0.5 * a * Math.log(a / m);
    if (b > 0) d += 0.5 * b * Math.log(b / m);
  }
  // Rounding can leave a tiny negative for identical inputs.
  return Math.min(Math.max(d, 0), Math.LN2);
}

/**
 * JSD (nats) between two samples filled on common bins: `bins` (default 50) over `range` (default: the pooled
 * min..max of both samples, see `commonRange`). The binning is part of the result's definition; report it.
 */
export function sampleJsd(a: ArrayLike<number>, b: ArrayLike<number>, binning: Partial<Binning> = {}): number {
  const bins = binning.bins ?? 50;
  const range = binning.range ?? commonRange([a, b]);
  return jsd(histogram(a, { bins, range }), histogram(b, { bins, range }));
}

/**
 * Exact Wasserstein-1 (earth mover's) distance between the empirical distributions of two 1-D samples, in the units
 * of the values:
 *
 *   W1(A, B) = ∫ |F_A(x) − F_B(x)| dx,
 *
 * with F the empirical CDFs (each value weight 1/n). Computed exactly by sorting both samples and integrating the
 * piecewise-constant |F_A − F_B| between consecutive pooled values; O((n + m) log(n + m)). Equals
 * `scipy.stats.wasserstein_distance(a, b)`, which JetNet's `w1m`/`w1p` use (R. Kansal et al., "Particle Cloud
 * Generation with Message Passing GANs", NeurIPS 2021, arXiv:2106.11535; C. Villani, "Optimal Transport", 2009).
 * Any NaN in the input makes the result NaN; an empty sample is an error.
 */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) throw new RangeError(`wasserstein1: empty sample (${a.length} vs ${b.length} values)`);
  const x = Float64Array.from(a as ArrayLike<number>).sort();
  const y = Float64Array.from(b as ArrayLike<number>).sort();
  if (Number.isNaN(x[x.length - 1]!) || Number.isNaN(y[y.length - 1]!)) return NaN; // typed-array sort puts NaN last
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  let prev = Math.min(x[0]!, y[0]!);
  let w = 0;
  while (i < n || j < m) {
    // Next pooled value.
    const next = j >= m || (i < n && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    const gap = next - prev;
    if (gap > 0) w += Math.abs(i / n - j / m) * gap;
    while (i < n && x[i]! === next) i++;
    while (j < m && y[j]! === next) j++;
    prev = next;
  }
  return w;
}

function isHistogram(h: Histogram | ArrayLike<number>): h is Histogram {
  return typeof h === 'object' && h !== null && 'counts' in h && 'edges' in h;
}

function countsOf(h: Histogram | ArrayLike<number>): ArrayLike<number> {
  return isHistogram(h) ? h.counts : h;
}

function checkSameEdges(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError('jsd: histograms are on different binnings');
  for (let i = 0; i < a.length; i++) {
    const tol = 1e-9 * Math.max(1, Math.abs(a[i]!));
    if (Math.abs(a[i]! - b[i]!) > tol) throw new RangeError(`jsd: histograms are on different binnings (edge ${i}: ${a[i]} vs ${b[i]})`);
  }
}
