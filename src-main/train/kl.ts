// L_KL (paper Eq. 6, Algorithm 1): the energy with FROZEN parameters θ̂ at the chain's end, mean over the batch,
// differentiated THROUGH the Langevin chain into θ over its last `klSteps` steps — by the adjoint method:
//
//   x_{k+1} = x_k − λ ∇ₓE_θ(x_k) + σ ε_k,     L_KL = (1/B) Σᵢ E_θ̂(x_K,i)
//   a_K = ∇ₓE(x_K)/B
//   for k = K−1 … K−klSteps:   ∇_θ L_KL += −λ ∇_θ (a_{k+1} · ∇ₓE_θ(x_k))
//                              a_k       = a_{k+1} − λ H(x_k) a_{k+1}
//
// Both the mixed term and the Hessian–vector product H·a are directional derivatives of the first-order gradients
// along a, taken by ONE pair of backward passes (param + input gradient) at x_k ± h·a (central differences, h set
// so max|h·a| = 1e-3 standardised units; O(h²) error; accumulated in float64. 1e-2 was measured too coarse with
// LayerNorm — up to 100% off — while 1e-3 and 1e-4 agree with finite differences of the chain to ~0.3%). This is backend-agnostic (no
// second-order autodiff, whose tfjs version is silently wrong through exp/sigmoid/softmax: tfjs #3252).
// Memory: the chain states, K·B·N·3 floats — the whole chain always fits, klSteps is never reduced for memory.
// Gradient clipping and clamping inside the chain are treated as the identity in this derivative (documented).
import type { JetBatch } from '../model/spec.ts';
import { energyGrad, type EnergyModel } from './energy.ts';

export let KL_PERTURBATION = 1e-3;
/** For experiments and tests: the max |h·a| of the central differences. */
export function setKlPerturbation(v: number): void {
  KL_PERTURBATION = v;
}

export interface KlResult {
  /** mean_i E(x_K,i) (the value of L_KL before its weight). */
  lossKL: number;
  /** weight·∇_θ L_KL in float64, or null when klSteps = 0 (no parameter gradient). */
  gradParams: Float64Array | null;
  /** Backward passes used (1 + 2·klSteps). */
  passes: number;
}

export function klThroughChain(
  model: EnergyModel,
  chain: Float32Array[],
  mask: Uint8Array,
  size: number,
  opts: { stepSize: number; klSteps: number; weight?: number },
): KlResult {
  const K = chain.length - 1;
  const steps = Math.min(opts.klSteps, K);
  const weight = opts.weight ?? 1;
  const end: JetBatch = { x: chain[K]!, mask, size };
  const atEnd = energyGrad(model, end, null, { paramGrad: false, inputGrad: true });
  let lossKL = 0;
  for (let i = 0; i < size; i++) lossKL += atEnd.energy[i]!;
  lossKL /= Math.max(1, size);
  if (steps <= 0) return { lossKL, gradParams: null, passes: 1 };

  const P = model.net.paramCount;
  const gradParams = new Float64Array(P);
  const a = Float64Array.from(atEnd.gradX!, (g) => (weight * g) / size);
  const lambda = opts.stepSize;
  let passes = 1;
  for (let k = K - 1; k >= K - steps; k--) {
    let amax = 0;
    for (let j = 0; j < a.length; j++) amax = Math.max(amax, Math.abs(a[j]!));
    if (!(amax > 0) || !Number.isFinite(amax)) break; // nothing flows back (or it is already broken: the caller sees NaN loss)
    const h = KL_PERTURBATION / amax;
    const xk = chain[k]!;
    const xp = new Float32Array(xk.length);
    const xm = new Float32Array(xk.length);
    for (let j = 0; j < xk.length; j++) {
      xp[j] = xk[j]! + h * a[j]!;
      xm[j] = xk[j]! - h * a[j]!;
    }
    const rp = energyGrad(model, { x: xp, mask, size }, null, { paramGrad: true, inputGrad: true });
    const rm = energyGrad(model, { x: xm, mask, size }, null, { paramGrad: true, inputGrad: true });
    passes += 2;
    const inv = 1 / (2 * h);
    const gp = rp.gradParams!;
    const gm = rm.gradParams!;
    for (let p = 0; p < P; p++) gradParams[p]! -= lambda * (gp[p]! - gm[p]!) * inv;
    const xpG = rp.gradX!;
    const xmG = rm.gradX!;
    for (let j = 0; j < a.length; j++) a[j]! -= lambda * (xpG[j]! - xmG[j]!) * inv;
  }
  return { lossKL, gradParams, passes };
}
