// Generation quality: data vs generated jets compared on jet observables (pT, mass, multiplicity) and per-particle
// features (ln pT, Δη, Δφ) by JSD [nats] of binned shapes and exact Wasserstein-1 of the unbinned values (paper §4.1,
// Fig. 2; W1 per particle feature as JetNet's `w1p`). Both samples must be in the same frame: un-standardised padded
// features as produced by physics/preprocess.ts (data) and by the sampler after de-standardisation (generated).
import { observablesFromFeatures, FEATURES } from '../physics/observables.ts';
import { wasserstein1, jsd } from './divergence.ts';
import { histogram, quantiles, type Binning, type Histogram } from './histogram.ts';
import { Rng } from '../util/rng.ts';

/** Padded jets in (ln pT [ln GeV], Δη, Δφ [rad]) with a mask; padded slots are ignored whatever they hold. */
export interface FeatureJets {
  x: Float32Array;
  mask: Uint8Array;
  size: number;
  particles: number;
}

/** The values compared for one sample: jet-level observables and the flat per-particle features of real particles. */
export interface GenerationSample {
  ptGeV: Float32Array;
  massGeV: Float32Array;
  multiplicity: Float32Array;
  logPt: Float32Array;
  deta: Float32Array;
  dphi: Float32Array;
}

export type ObservableName = keyof GenerationSample;

/** What each compared quantity is, with its axis label (unit included). */
export const OBSERVABLES: readonly { name: ObservableName; label: string; level: 'jet' | 'particle' }[] = [
  { name: 'ptGeV', label: 'jet p_T of the kept constituents [GeV]', level: 'jet' },
  { name: 'massGeV', label: 'jet mass of the kept constituents [GeV]', level: 'jet' },
  { name: 'multiplicity', label: 'kept constituents', level: 'jet' },
  { name: 'logPt', label: 'particle ln(p_T / GeV)', level: 'particle' },
  { name: 'deta', label: 'particle Δη', level: 'particle' },
  { name: 'dphi', label: 'particle Δφ [rad]', level: 'particle' },
];

/** Jet observables (massless constituents, in the features' frame) and flat per-particle features of padded jets. */
export function generationSample(jets: FeatureJets): GenerationSample {
  const { x, mask, size, particles } = jets;
  const obs = observablesFromFeatures(x, mask, size, particles);
  let nReal = 0;
  for (let s = 0; s < mask.length; s++) if (mask[s]) nReal++;
  const logPt = new Float32Array(nReal);
  const deta = new Float32Array(nReal);
  const dphi = new Float32Array(nReal);
  let k = 0;
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s]) continue;
    logPt[k] = x[s * FEATURES]!;
    deta[k] = x[s * FEATURES + 1]!;
    dphi[k] = x[s * FEATURES + 2]!;
    k++;
  }
  return { ptGeV: obs.ptGeV, massGeV: obs.massGeV, multiplicity: Float32Array.from(obs.multiplicity), logPt, deta, dphi };
}

export interface ObservableComparison {
  name: ObservableName;
  label: string;
  level: 'jet' | 'particle';
  /** Binning used for both histograms (out-of-range values are clamped into the end bins). */
  binning: Binning;
  data: Histogram;
  generated: Histogram;
  /** JSD [nats] of the two binned shapes. */
  jsd: number;
  /** Wasserstein-1 of the unbinned values, in the quantity's unit (GeV, ln GeV, rad, particles). NaN if generated has NaN. */
  w1: number;
  nData: number;
  nGenerated: number;
}

export interface GenerationReport {
  observables: ObservableComparison[];
  /** Generated jets with a non-finite observable (diverged chains); they are clamped into the end bins. */
  nonFiniteGenerated: number;
}

/**
 * Compare data and generated samples on every quantity of OBSERVABLES. Binning: `bins` (default 50) equal bins over
 * the data's [0.1%, 99.9%] quantile range (multiplicity: one bin per integer 0.5 .. particles+0.5); values outside are
 * clamped into the end bins so that generated jets far from the data still count against the JSD.
 */
export function compareGeneration(data: GenerationSample, generated: GenerationSample, opts: { bins?: number; particles?: number } = {}): GenerationReport {
  const bins = opts.bins ?? 50;
  let nonFiniteGenerated = 0;
  for (let j = 0; j < generated.ptGeV.length; j++) {
    if (!Number.isFinite(generated.ptGeV[j]!) || !Number.isFinite(generated.massGeV[j]!)) nonFiniteGenerated++;
  }
  const observables = OBSERVABLES.map(({ name, label, level }): ObservableComparison => {
    const a = data[name];
    const b = generated[name];
    const binning = binningFor(name, a, bins, opts.particles);
    const hd = histogram(a, { ...binning, clamp: true });
    const hg = histogram(b, { ...binning, clamp: true });
    return { name, label, level, binning, data: hd, generated: hg, jsd: jsd(hd, hg), w1: a.length && b.length ? wasserstein1(a, b) : NaN, nData: a.length, nGenerated: b.length };
  });
  return { observables, nonFiniteGenerated };
}

function binningFor(name: ObservableName, data: Float32Array, bins: number, particles?: number): Binning {
  if (name === 'multiplicity') {
    let max = particles ?? 0;
    for (let i = 0; i < data.length; i++) max = Math.max(max, data[i]!);
    return { bins: Math.max(1, Math.round(max)) + 1, range: [-0.5, Math.round(max) + 0.5] };
  }
  const [lo, hi] = quantiles(data, [0.001, 0.999]) as [number, number];
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { bins, range: [0, 1] };
  if (hi <= lo) return { bins, range: [lo - 0.5, lo + 0.5] };
  return { bins, range: [lo, hi] };
}

/** Convenience: `compareGeneration(generationSample(data), generationSample(generated))`. */
export function generationMetrics(data: FeatureJets, generated: FeatureJets, opts: { bins?: number } = {}): GenerationReport {
  return compareGeneration(generationSample(data), generationSample(generated), { ...opts, particles: Math.max(data.particles, generated.particles) });
}

/** The jets of `jets` at `indices`, in that order. */
function pickJets(jets: FeatureJets, indices: ArrayLike<number>): FeatureJets {
  const { particles } = jets;
  const x = new Float32Array(indices.length * particles * FEATURES);
  const mask = new Uint8Array(indices.length * particles);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    x.set(jets.x.subarray(j * particles * FEATURES, (j + 1) * particles * FEATURES), i * particles * FEATURES);
    mask.set(jets.mask.subarray(j * particles, (j + 1) * particles), i * particles);
  }
  return { x, mask, size: indices.length, particles };
}

/**
 * The finite-sample floor of compareGeneration: the same comparison between two disjoint random parts of the data,
 * one of nGenerated jets (at most half the data) playing "generated", the rest playing "data". A perfect generator
 * scores about this; differences below it are noise. Pure and seeded.
 */
export function dataVsDataFloor(data: FeatureJets, nGenerated: number, seed: number, opts: { bins?: number } = {}): GenerationReport {
  const perm = new Rng(seed).permutation(data.size);
  const nFake = Math.max(1, Math.min(nGenerated, Math.floor(data.size / 2)));
  const fake = pickJets(data, perm.subarray(0, nFake));
  const rest = pickJets(data, perm.subarray(nFake));
  return compareGeneration(generationSample(rest), generationSample(fake), { ...opts, particles: data.particles });
}
