// Precomputed per-evaluation index so an energy-cut query over millions of scored jets answers in well under 50 ms:
// background scores sorted with their mass-bin indices, cumulative mass histograms every `stride` jets from the top,
// and sorted signal scores. A query is a binary search plus at most `stride` bin increments.
import { jsd } from '../eval/divergence.ts';
import { linearEdges } from '../eval/histogram.ts';

export interface CutIndexInput {
  /** Background anomaly scores (higher = more anomalous; a jet passes when score ≥ threshold) and masses [GeV]. */
  backgroundScores: Float32Array;
  backgroundMassGeV: Float32Array;
  signals: { name: string; scores: Float32Array }[];
  /** Mass binning (default 40 bins over [0, 400] GeV, out-of-range masses clamped into the end bins). */
  massBins?: number;
  massRange?: [number, number];
  /** Jets between stored cumulative histograms (default 2048). */
  stride?: number;
}

export interface CutResult {
  threshold: number;
  epsB: number;
  nPassing: number;
  signals: { name: string; epsS: number }[];
  massEdges: number[];
  passing: number[];
  uncut: number[];
  jsd: number;
}

/** First index i of an ascending array with a[i] ≥ t (a.length when none). NaN scores are sorted last by TypedArray sort. */
export function lowerBound(a: Float32Array | Float64Array, t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Order-preserving map of a float32 value to a uint32 (negatives flipped, positives offset; NaN above +∞). */
function sortableBits(x: number): number {
  f32[0] = Number.isNaN(x) ? NaN : x;
  const u = u32[0]!;
  return u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
}

function fromSortableBits(v: number): number {
  u32[0] = v & 0x80000000 ? (v & 0x7fffffff) >>> 0 : ~v >>> 0;
  return f32[0]!;
}

export class CutIndex {
  readonly nBackground: number;
  readonly massEdges: number[];
  readonly uncut: number[];
  /** Score range over background and signals (finite values). */
  readonly scoreRange: [number, number];
  private readonly sortedScores: Float32Array;
  /** Mass-bin index of each background jet in ascending score order. */
  private readonly sortedBins: Uint16Array;
  private readonly bins: number;
  private readonly stride: number;
  /** cumulative[k * bins + b] = passing counts in bin b for the top k·stride jets (descending score). */
  private readonly cumulative: Float64Array;
  private readonly signalSorted: { name: string; scores: Float32Array }[];

  constructor(input: CutIndexInput) {
    const n = input.backgroundScores.length;
    if (input.backgroundMassGeV.length !== n) throw new RangeError(`cut index: ${n} scores but ${input.backgroundMassGeV.length} masses`);
    this.nBackground = n;
    const bins = (this.bins = input.massBins ?? 40);
    const [lo, hi] = input.massRange ?? [0, 400];
    if (bins > 65536) throw new RangeError(`cut index: at most 65536 mass bins, got ${bins}`);
    this.massEdges = Array.from(linearEdges(lo, hi, bins));
    this.stride = input.stride ?? 2048;
    // Sort (score, mass bin) pairs in one native numeric sort: each pair is packed into a float64 key
    // sortableBits(score) · 2¹⁶ + bin (< 2⁴⁸, exact), an order-preserving map of the float32 score (NaN last).
    const s = input.backgroundScores;
    const w = (hi - lo) / bins;
    const keys = new Float64Array(n);
    const uncut = new Float64Array(bins);
    for (let j = 0; j < n; j++) {
      let b = Math.floor((input.backgroundMassGeV[j]! - lo) / w);
      if (!(b >= 0)) b = 0;
      if (b >= bins) b = bins - 1;
      uncut[b]!++;
      keys[j] = sortableBits(s[j]!) * 65536 + b;
    }
    keys.sort();
    this.sortedScores = new Float32Array(n);
    this.sortedBins = new Uint16Array(n);
    for (let k = 0; k < n; k++) {
      const key = keys[k]!;
      const b = key % 65536;
      this.sortedBins[k] = b;
      this.sortedScores[k] = fromSortableBits((key - b) / 65536);
    }
    this.uncut = Array.from(uncut);
    const nCheck = Math.floor(n / this.stride) + 1;
    this.cumulative = new Float64Array(nCheck * bins);
    for (let c = 1; c < nCheck; c++) {
      const base = c * bins;
      this.cumulative.copyWithin(base, base - bins, base);
      for (let k = n - c * this.stride; k < n - (c - 1) * this.stride; k++) this.cumulative[base + this.sortedBins[k]!]!++;
    }
    this.signalSorted = input.signals.map((x) => ({ name: x.name, scores: Float32Array.from(x.scores).sort() }));
    let min = Infinity;
    let max = -Infinity;
    for (const arr of [this.sortedScores, ...this.signalSorted.map((x) => x.scores)]) {
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i]!;
        if (Number.isFinite(v)) {
          if (v < min) min = v;
          break;
        }
      }
      for (let i = arr.length - 1; i >= 0; i--) {
        const v = arr[i]!;
        if (Number.isFinite(v)) {
          if (v > max) max = v;
          break;
        }
      }
    }
    this.scoreRange = min <= max ? [min, max] : [0, 0];
  }

  /** ε_S, ε_B and the passing-background mass histogram for the cut score ≥ threshold. */
  cut(threshold: number): CutResult {
    const n = this.nBackground;
    const first = lowerBound(this.sortedScores, threshold);
    // NaN scores sit at the end of the sorted array and never pass.
    let end = n;
    while (end > first && Number.isNaN(this.sortedScores[end - 1]!)) end--;
    const nPassing = end - first;
    const top = n - first; // jets from `first` to the end, in stride units from the top
    const c = Math.floor(top / this.stride);
    const passing = Array.from(this.cumulative.subarray(c * this.bins, (c + 1) * this.bins));
    for (let k = first; k < n - c * this.stride; k++) passing[this.sortedBins[k]!]!++;
    for (let k = end; k < n; k++) passing[this.sortedBins[k]!]!--; // remove NaN-scored jets counted by the checkpoint
    return {
      threshold,
      epsB: n ? nPassing / n : NaN,
      nPassing,
      signals: this.signalSorted.map((x) => {
        const lo = lowerBound(x.scores, threshold);
        let e = x.scores.length;
        while (e > lo && Number.isNaN(x.scores[e - 1]!)) e--;
        return { name: x.name, epsS: x.scores.length ? (e - lo) / x.scores.length : NaN };
      }),
      massEdges: this.massEdges,
      passing,
      uncut: this.uncut,
      jsd: nPassing > 0 ? jsd(passing, this.uncut) : 0,
    };
  }

  /** The threshold that keeps a fraction `acceptance` of the background (k-th largest score). */
  thresholdAtAcceptance(acceptance: number): number {
    const n = this.nBackground;
    const k = Math.max(1, Math.round(acceptance * n));
    return this.sortedScores[n - k]!;
  }
}
