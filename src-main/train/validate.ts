// Per-epoch validation (paper §3 "Model Validation"): generate jets from noise with a longer chain, de-standardise,
// and compare jet mass, jet pT and multiplicity to held-out data by JSD (nats) on common bins.
import { histogram, quantiles } from '../eval/histogram.ts';
import { jsd } from '../eval/divergence.ts';
import { destandardize } from '../physics/preprocess.ts';
import { observablesFromFeatures, type JetObservables } from '../physics/observables.ts';
import type { EnergyModel } from './energy.ts';
import { sampleFeatures } from './generate.ts';

export interface ValidationSettings {
  jets: number;
  steps: number;
  stepSize: number;
  noise: number;
  bins: number;
}

export interface ValidationMetrics {
  jsdMass: number;
  jsdPt: number;
  jsdMultiplicity: number;
  meanMassGeV: number;
  meanPtGeV: number;
  meanMultiplicity: number;
  dataMeanMassGeV: number;
  dataMeanPtGeV: number;
  dataMeanMultiplicity: number;
  /** Mode (peak bin centre) of the generated and data mass histograms [GeV]. */
  massPeakGeV: number;
  dataMassPeakGeV: number;
  seconds: number;
}

export interface ValidationResult {
  metrics: ValidationMetrics;
  massHistogram: { edges: number[]; data: number[]; generated: number[] };
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / Math.max(1, a.length);
}

/** Bins from the data's 0.1–99.9% quantiles padded by 10%; generated values outside land in the edge bins. */
function compare(data: ArrayLike<number>, gen: ArrayLike<number>, bins: number) {
  let [lo, hi] = quantiles(Float64Array.from(data), [0.001, 0.999]) as [number, number];
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, lo + 0.5];
  const w = 0.1 * (hi - lo);
  const range: [number, number] = [lo - w, hi + w];
  const hd = histogram(data, { bins, range, clamp: true });
  const hg = histogram(Array.from(gen, (v) => (Number.isFinite(v) ? v : range[1])), { bins, range, clamp: true });
  return { jsd: jsd(hd, hg), hd, hg };
}

function peak(h: { edges: Float64Array; counts: Float64Array }): number {
  let best = 0;
  for (let i = 1; i < h.counts.length; i++) if (h.counts[i]! > h.counts[best]!) best = i;
  return 0.5 * (h.edges[best]! + h.edges[best + 1]!);
}

/** Observables of held-out data computed once: un-standardised features → jet mass, pT, multiplicity. */
export function dataObservables(features: Float32Array, mask: Uint8Array, size: number, particles: number): JetObservables {
  return observablesFromFeatures(features, mask, size, particles);
}

export function validateModel(
  model: EnergyModel,
  standardizer: { mean: number[]; std: number[] },
  hist: ArrayLike<number>,
  data: JetObservables,
  v: ValidationSettings,
  seed: number,
  clamp: { min: number[]; max: number[] } | null,
): ValidationResult {
  const t0 = performance.now();
  const N = model.net.config.particles;
  const s = sampleFeatures(model, hist, { n: v.jets, steps: v.steps, stepSize: v.stepSize, noise: v.noise, seed, clamp });
  const feats = destandardize(s.x, s.mask, standardizer);
  const gen = observablesFromFeatures(feats, s.mask, s.size, N);
  const mass = compare(data.massGeV, gen.massGeV, v.bins);
  const pt = compare(data.ptGeV, gen.ptGeV, v.bins);
  const mult = compare(data.multiplicity, gen.multiplicity, Math.min(v.bins, N + 1));
  return {
    metrics: {
      jsdMass: mass.jsd,
      jsdPt: pt.jsd,
      jsdMultiplicity: mult.jsd,
      meanMassGeV: mean(gen.massGeV),
      meanPtGeV: mean(gen.ptGeV),
      meanMultiplicity: mean(gen.multiplicity),
      dataMeanMassGeV: mean(data.massGeV),
      dataMeanPtGeV: mean(data.ptGeV),
      dataMeanMultiplicity: mean(data.multiplicity),
      massPeakGeV: peak(mass.hg),
      dataMassPeakGeV: peak(mass.hd),
      seconds: (performance.now() - t0) / 1000,
    },
    massHistogram: { edges: Array.from(mass.hd.edges), data: Array.from(mass.hd.counts), generated: Array.from(mass.hg.counts) },
  };
}
