// Generation and scoring with a trained model: jets from Gaussian noise by long-run Langevin (masks drawn from the
// training multiplicity histogram), de-standardised and mapped back to physical (pT, η, φ); batched energies/p(y|x).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JetSet } from '../data/jetset.ts';
import { createEnergyNet, type BackendChoice } from '../model/backend.ts';
import { loadModel, type ModelMeta } from '../model/io.ts';
import type { EnergyNet } from '../model/spec.ts';
import { destandardize, preprocess, standardize, toJetSet } from '../physics/preprocess.ts';
import { observablesFromFeatures, type JetObservables } from '../physics/observables.ts';
import { Rng } from '../util/rng.ts';
import { noiseJets } from './buffer.ts';
import { energies, softmaxRows, type EnergyModel } from './energy.ts';
import { langevin } from './langevin.ts';

export interface LoadedModel {
  net: EnergyNet;
  meta: ModelMeta;
  backend?: string;
  fallbackReason?: string;
}

/** A model directory, or a run directory (its model/). */
export function resolveModelDir(dir: string): string {
  return existsSync(join(dir, 'model.json')) ? dir : join(dir, 'model');
}

/** Loads a model directory (or a run directory's model/) onto a compute backend. */
export async function loadModelForUse(dir: string, opts: { backend?: BackendChoice | string; threads?: number } = {}): Promise<LoadedModel> {
  const { meta, params } = loadModel(resolveModelDir(dir));
  const created = await createEnergyNet(meta.config, params, { ...(opts.backend ? { backend: opts.backend } : {}), ...(opts.threads ? { threads: opts.threads } : {}) });
  return { net: created.net, meta, backend: created.backend, ...(created.fallbackReason ? { fallbackReason: created.fallbackReason } : {}) };
}

export interface SampleOptions {
  n: number;
  steps: number;
  stepSize: number;
  noise: number;
  seed: number;
  /** Clamp range (standardised), or null. */
  clamp?: { min: number[]; max: number[] } | null;
  /** Jets per Langevin batch (default 256). */
  batchSize?: number;
  /** Progress in Langevin steps × batches done/total. */
  onProgress?: (done: number, total: number) => void;
}

/** Standardised samples: noise with masks from `hist`, then `steps` Langevin steps, batch by batch. */
export function sampleFeatures(model: EnergyModel, hist: ArrayLike<number>, o: SampleOptions): { x: Float32Array; mask: Uint8Array; size: number } {
  const c = model.net.config;
  const N = c.particles;
  const F = c.features;
  const rng = new Rng(o.seed);
  const init = noiseJets(o.n, N, F, hist, rng);
  const x = new Float32Array(o.n * N * F);
  const bs = Math.max(1, o.batchSize ?? 256);
  const nBatches = Math.ceil(o.n / bs);
  for (let b = 0; b < nBatches; b++) {
    const s = b * bs;
    const e = Math.min(o.n, s + bs);
    const r = langevin(model, init.x.subarray(s * N * F, e * N * F), init.mask.subarray(s * N, e * N), e - s, {
      steps: o.steps,
      stepSize: o.stepSize,
      noise: o.noise,
      clamp: o.clamp ?? null,
      rng,
      onStep: (k) => o.onProgress?.(b * o.steps + k, nBatches * o.steps),
    });
    x.set(r.x, s * N * F);
  }
  return { x, mask: init.mask, size: o.n };
}

export interface GenerateOptions {
  n: number;
  /** Langevin steps from noise (default 200, the paper's generation setting). */
  steps?: number;
  /** Step size λ (default 0.05). */
  stepSize?: number;
  /** Noise σ (default 0.005, as in training). */
  noise?: number;
  seed?: number;
  /** Clamp states to the training data's standardised range widened by this fraction of it (as the
   *  langevin.clampToDataRange training option does; 0.05 there by default). Absent: no clamping. */
  clampMargin?: number;
  backend?: BackendChoice | string;
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The clamp range of a model's training data widened by `margin` × its width per side, or null. */
export function clampRange(meta: ModelMeta, margin: number | undefined): { min: number[]; max: number[] } | null {
  if (margin === undefined || !meta.featureRange) return null;
  const { min, max } = meta.featureRange;
  return { min: min.map((v, f) => v - margin * (max[f]! - v)), max: max.map((v, f) => v + margin * (v - min[f]!)) };
}

export interface GeneratedJets {
  /** Un-standardised features [n, N, 3] (ln pT, Δη, Δφ) in the jet frame. */
  features: Float32Array;
  mask: Uint8Array;
  size: number;
  particles: number;
  /** Physical constituents (pT [GeV], η, φ relative to the jet axis at (0, 0)). */
  jets: JetSet;
  observables: JetObservables;
}

/** Generates jets from a model directory / run directory or a loaded model. */
export async function generateJets(model: string | LoadedModel, o: GenerateOptions): Promise<GeneratedJets> {
  const m = typeof model === 'string' ? await loadModelForUse(model, { ...(o.backend ? { backend: o.backend } : {}), ...(o.threads ? { threads: o.threads } : {}) }) : model;
  const N = m.meta.config.particles;
  const s = sampleFeatures({ net: m.net, kind: m.meta.kind }, m.meta.multiplicityHistogram, {
    n: o.n,
    steps: o.steps ?? 200,
    stepSize: o.stepSize ?? 0.05,
    noise: o.noise ?? 0.005,
    seed: o.seed ?? 1,
    clamp: clampRange(m.meta, o.clampMargin),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  const features = destandardize(s.x, s.mask, m.meta.standardizer);
  const jets = toJetSet(features, s.mask, s.size, N, { sourcePath: 'generated' });
  jets.source.notes.push(`generated by Langevin dynamics: ${o.steps ?? 200} steps, step size ${o.stepSize ?? 0.05}, noise ${o.noise ?? 0.005}, seed ${o.seed ?? 1}`);
  return { features, mask: s.mask, size: s.size, particles: N, jets, observables: observablesFromFeatures(features, s.mask, s.size, N) };
}

export interface JetScores {
  /** E(x) per jet. */
  energy: Float32Array;
  /** EBM-CLF: p(y|x) [n, C] row-major. */
  probs?: Float32Array;
  classNames?: string[];
}

/** Energies (and class probabilities for EBM-CLF) of jets, preprocessed exactly as at training. */
export async function scoreJets(model: string | LoadedModel, jets: JetSet, opts: { batchSize?: number; backend?: string; onProgress?: (done: number, total: number) => void } = {}): Promise<JetScores> {
  const m = typeof model === 'string' ? await loadModelForUse(model, opts.backend ? { backend: opts.backend } : {}) : model;
  const N = m.meta.config.particles;
  const F = m.meta.config.features;
  const p = preprocess(jets, { particles: N, rotate: m.meta.preprocessing.rotate });
  const x = standardize(p.x, p.mask, m.meta.standardizer);
  const n = p.size;
  const energy = new Float32Array(n);
  const C = m.meta.config.outputs;
  const probs = m.meta.kind === 'ebm-clf' ? new Float32Array(n * C) : undefined;
  const bs = Math.max(1, opts.batchSize ?? 1024);
  for (let s = 0; s < n; s += bs) {
    const e = Math.min(n, s + bs);
    const r = energies({ net: m.net, kind: m.meta.kind }, { x: x.subarray(s * N * F, e * N * F), mask: p.mask.subarray(s * N, e * N), size: e - s });
    energy.set(r.energy, s);
    if (probs && r.logits) probs.set(softmaxRows(r.logits, e - s, C), s * C);
    opts.onProgress?.(e, n);
  }
  return { energy, ...(probs ? { probs, classNames: m.meta.classNames ?? [] } : {}) };
}
