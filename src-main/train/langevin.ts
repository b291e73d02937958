// Langevin dynamics, Eq. 4 as written in Algorithm 1: x_{k+1} = x_k − λ ∇ₓE(x_k) + σ ε_k, ε_k ~ N(0, 1).
// Masks are kept: padded slots stay exactly 0. Optional per-component clip of ∇ₓE and clamp to the data range.
import type { Rng } from '../util/rng.ts';
import { energyGrad, type EnergyModel } from './energy.ts';

export interface LangevinOptions {
  /** K steps. */
  steps: number;
  /** λ. */
  stepSize: number;
  /** σ. */
  noise: number;
  /** Clip each component of ∇ₓE to ±gradClip (null/undefined: off). */
  gradClip?: number | null;
  /** Clamp states per feature into [min, max] after each step (standardised units). */
  clamp?: { min: number[]; max: number[] } | null;
  /** Keep every state x_0..x_K (for L_KL through the chain). */
  keepChain?: boolean;
  rng: Rng;
  /** Called after each step with (k + 1, K). */
  onStep?: (done: number, total: number) => void;
}

export interface LangevinResult {
  /** x_K. */
  x: Float32Array;
  /** x_0..x_K when keepChain (K + 1 arrays). */
  chain?: Float32Array[];
  /** Mean energy over the batch at each step's input x_k (k = 0..K−1). */
  meanEnergy: number[];
}

/** Runs the chain on a copy of x0 ([size, N, F], padded slots 0) with its mask. */
export function langevin(model: EnergyModel, x0: Float32Array, mask: Uint8Array, size: number, opts: LangevinOptions): LangevinResult {
  const F = model.net.config.features;
  const x = Float32Array.from(x0);
  const chain = opts.keepChain ? [Float32Array.from(x0)] : undefined;
  const meanEnergy: number[] = [];
  const clip = opts.gradClip ?? null;
  for (let k = 0; k < opts.steps; k++) {
    const r = energyGrad(model, { x, mask, size }, null, { paramGrad: false, inputGrad: true });
    let se = 0;
    for (let i = 0; i < size; i++) se += r.energy[i]!;
    meanEnergy.push(se / Math.max(1, size));
    const g = r.gradX!;
    for (let s = 0; s < mask.length; s++) {
      if (!mask[s]) continue;
      for (let f = 0; f < F; f++) {
        const j = s * F + f;
        let gj = g[j]!;
        if (clip !== null) gj = gj > clip ? clip : gj < -clip ? -clip : gj;
        let v = x[j]! - opts.stepSize * gj + opts.noise * opts.rng.normal();
        if (opts.clamp) v = Math.min(opts.clamp.max[f]!, Math.max(opts.clamp.min[f]!, v));
        x[j] = v;
      }
    }
    if (chain) chain.push(Float32Array.from(x));
    opts.onStep?.(k + 1, opts.steps);
  }
  return { x, ...(chain ? { chain } : {}), meanEnergy };
}
