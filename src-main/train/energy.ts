// Per-jet energies and their weighted gradients for both model kinds, on any EnergyNet backend:
// EBM: E(x) = out; EBM-CLF: E(x) = −logsumexp_y g(x)_y with dE/dg = −softmax(g) (one extra forward for the cotangent).
import type { EnergyNet, JetBatch } from '../model/spec.ts';
import type { ModelKind } from '../model/io.ts';

export interface EnergyModel {
  net: EnergyNet;
  kind: ModelKind;
}

export interface EnergyGradResult {
  /** E per jet [size]. */
  energy: Float32Array;
  /** EBM-CLF: logits [size, C] of the same pass. */
  logits?: Float32Array;
  gradParams: Float32Array | null;
  gradX: Float32Array | null;
}

/** E(x) = −logsumexp(g) per row of logits [size, C] (numerically stable). */
export function energyFromLogits(logits: Float32Array, size: number, C: number): Float32Array {
  const e = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let m = -Infinity;
    for (let y = 0; y < C; y++) m = Math.max(m, logits[i * C + y]!);
    let s = 0;
    for (let y = 0; y < C; y++) s += Math.exp(logits[i * C + y]! - m);
    e[i] = -(m + Math.log(s));
  }
  return e;
}

/** softmax rows of logits [size, C]. */
export function softmaxRows(logits: Float32Array, size: number, C: number): Float32Array {
  const p = new Float32Array(size * C);
  for (let i = 0; i < size; i++) {
    let m = -Infinity;
    for (let y = 0; y < C; y++) m = Math.max(m, logits[i * C + y]!);
    let s = 0;
    for (let y = 0; y < C; y++) s += p[i * C + y] = Math.exp(logits[i * C + y]! - m);
    for (let y = 0; y < C; y++) p[i * C + y]! /= s;
  }
  return p;
}

/** Energies only. */
export function energies(m: EnergyModel, batch: JetBatch, dropoutSeed?: number): { energy: Float32Array; logits?: Float32Array } {
  const out = m.net.forward(batch, dropoutSeed !== undefined ? { dropoutSeed } : undefined);
  if (m.kind === 'ebm') return { energy: out };
  return { energy: energyFromLogits(out, batch.size, m.net.config.outputs), logits: out };
}

/**
 * Energies and the gradients of Σᵢ wᵢ·E(xᵢ) (w = 1 when null) w.r.t. the parameters and/or the inputs.
 * `extraLogitCotangent` [size, C] (EBM-CLF) is added to the logits' cotangent, e.g. a cross-entropy term; it must
 * be computed from logits of the same dropout pass, so it is a callback receiving them.
 */
export function energyGrad(
  m: EnergyModel,
  batch: JetBatch,
  weights: Float32Array | null | ((energy: Float32Array) => Float32Array),
  opts: { paramGrad: boolean; inputGrad: boolean; dropoutSeed?: number; extraLogitCotangent?: (logits: Float32Array, energy: Float32Array) => Float32Array },
): EnergyGradResult {
  const pass = { paramGrad: opts.paramGrad, inputGrad: opts.inputGrad, ...(opts.dropoutSeed !== undefined ? { dropoutSeed: opts.dropoutSeed } : {}) };
  const n = batch.size;
  if (m.kind === 'ebm' && typeof weights !== 'function') {
    const r = m.net.backward(batch, weights ?? new Float32Array(n).fill(1), pass);
    return { energy: r.out, gradParams: r.gradParams, gradX: r.gradX };
  }
  // The cotangent depends on the outputs: one forward first (same dropout seed), then the VJP.
  const first = energies(m, batch, opts.dropoutSeed);
  const w = typeof weights === 'function' ? weights(first.energy) : (weights ?? new Float32Array(n).fill(1));
  let dOut: Float32Array;
  if (m.kind === 'ebm') dOut = w;
  else {
    const C = m.net.config.outputs;
    const p = softmaxRows(first.logits!, n, C);
    dOut = new Float32Array(n * C);
    for (let i = 0; i < n; i++) for (let y = 0; y < C; y++) dOut[i * C + y] = -w[i]! * p[i * C + y]!;
    if (opts.extraLogitCotangent) {
      const extra = opts.extraLogitCotangent(first.logits!, first.energy);
      for (let k = 0; k < dOut.length; k++) dOut[k]! += extra[k]!;
    }
  }
  const r = m.net.backward(batch, dOut, pass);
  return { energy: first.energy, ...(first.logits ? { logits: first.logits } : {}), gradParams: r.gradParams, gradX: r.gradX };
}
