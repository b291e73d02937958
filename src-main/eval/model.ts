// A trained model as the evaluation sees it — a thin adapter over train/generate.ts (loadModelForUse, scoreJets,
// generateJets): score jets, score random-noise inputs (paper Fig. 4), generate jets, and give data features in the
// model's frame so data and generated jets are compared like for like.
import type { JetSet } from '../data/jetset.ts';
import type { ModelMeta } from '../model/io.ts';
import { preprocess } from '../physics/preprocess.ts';
import { noiseJets } from '../train/buffer.ts';
import { energies } from '../train/energy.ts';
import { generateJets, loadModelForUse, resolveModelDir, scoreJets, type LoadedModel } from '../train/generate.ts';
import { Rng } from '../util/rng.ts';
import type { FeatureJets } from './generation.ts';

export interface JetScores {
  /** E(x) per jet (dimensionless; higher = less data-like). */
  energy: Float32Array;
  /** EBM-CLF: p(y|x) row-major [n × C] in `meta.classNames` order. */
  probs?: Float32Array;
}

export interface EvalModel {
  meta: ModelMeta;
  backend: string;
  /** E(x) (and p(y|x)) of jets preprocessed exactly as at training (train/generate.ts scoreJets). */
  score(jets: JetSet, onProgress?: (done: number, total: number) => void): Promise<JetScores>;
  /** Un-standardised (ln pT, Δη, Δφ) features of jets in the model's frame (for generation comparisons, images). */
  features(jets: JetSet): FeatureJets;
  /** Energies of random inputs: N(0, 1) in standardised space, particle counts from the training multiplicities. */
  noiseEnergy(n: number, seed: number): Float32Array;
  /** Jets generated from noise by Langevin dynamics (train/generate.ts generateJets), un-standardised features. */
  generate(n: number, opts: { steps: number; stepSize: number; noise?: number; seed: number; onProgress?: (done: number, total: number) => void }): Promise<FeatureJets>;
  dispose(): void;
}

export { resolveModelDir };

/** Load the model of a run (or model) directory onto the best available backend (or `backend`). */
export async function loadEvalModel(dir: string, opts: { backend?: string; threads?: number } = {}): Promise<EvalModel> {
  const m: LoadedModel = await loadModelForUse(dir, opts);
  const { meta } = m;
  const N = meta.config.particles;
  const F = meta.config.features;
  return {
    meta,
    backend: m.backend ?? m.net.backendName,
    async score(jets, onProgress) {
      const s = await scoreJets(m, jets, onProgress ? { onProgress } : {});
      return s.probs ? { energy: s.energy, probs: s.probs } : { energy: s.energy };
    },
    features(jets) {
      const p = preprocess(jets, { particles: N, rotate: meta.preprocessing.rotate });
      return { x: p.x, mask: p.mask, size: p.size, particles: p.particles };
    },
    noiseEnergy(n, seed) {
      const noise = noiseJets(n, N, F, meta.multiplicityHistogram, new Rng(seed));
      const energy = new Float32Array(n);
      for (let a = 0; a < n; a += 256) {
        const b = Math.min(n, a + 256);
        energy.set(energies({ net: m.net, kind: meta.kind }, { x: noise.x.subarray(a * N * F, b * N * F), mask: noise.mask.subarray(a * N, b * N), size: b - a }).energy, a);
      }
      return energy;
    },
    async generate(n, o) {
      const g = await generateJets(m, { n, steps: o.steps, stepSize: o.stepSize, noise: o.noise ?? 0.005, seed: o.seed, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
      return { x: g.features, mask: g.mask, size: g.size, particles: g.particles };
    },
    dispose() {
      m.net.dispose();
    },
  };
}
