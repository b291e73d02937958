// Energy distributions per sample — background (QCD), signals, and random-noise inputs — on common bins (the paper's
// Fig. 4 left). Energies are in the model's dimensionless units; a good anomaly detector puts signals above QCD.
import { commonRange, histogram, normalize, quantileOfSorted, sortedFinite } from './histogram.ts';

export interface EnergySample {
  name: string;
  role: 'background' | 'signal' | 'noise';
  energy: ArrayLike<number>;
}

export interface EnergyClassHistogram {
  name: string;
  role: EnergySample['role'];
  /** Jets scored, and those with a non-finite energy (NaN: not filled; ±∞: clamped into the end bins). */
  n: number;
  nonFinite: number;
  /** Raw counts (out-of-range values clamped into the end bins). */
  counts: Float64Array;
  /** Density: counts / (n_finite · bin width), unit area. */
  density: Float64Array;
  mean: number;
  median: number;
}

export interface EnergyDistributions {
  edges: Float64Array;
  classes: EnergyClassHistogram[];
}

/**
 * Histogram each sample's energies on shared edges: `bins` (default 60) over `range`, by default the pooled
 * [0.1%, 99.9%] quantiles of all finite energies widened by 2% (out-of-range values go into the end bins, so noise far
 * above the data still shows). Order of the input is kept (background, signals, noise by convention).
 */
export function energyDistributions(samples: readonly EnergySample[], opts: { bins?: number; range?: [number, number] } = {}): EnergyDistributions {
  const bins = opts.bins ?? 60;
  const range = opts.range ?? commonRange(samples.map((s) => s.energy), { lowQuantile: 0.001, highQuantile: 0.999, pad: 0.02 });
  const classes = samples.map((s): EnergyClassHistogram => {
    const h = histogram(s.energy, { bins, range, clamp: true });
    const sorted = sortedFinite(s.energy);
    let sum = 0;
    for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
    return {
      name: s.name,
      role: s.role,
      n: s.energy.length,
      nonFinite: s.energy.length - sorted.length,
      counts: h.counts,
      density: normalize(h, 'density'),
      mean: sorted.length ? sum / sorted.length : NaN,
      median: quantileOfSorted(sorted, 0.5),
    };
  });
  const edges = histogram([], { bins, range }).edges;
  return { edges, classes };
}
