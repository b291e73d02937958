// The training loss as per-sample cotangents on the energies (so the parameter gradient is one backward pass):
// L = mean E(x⁺) − mean E(x⁻) + α·(mean E(x⁺)² + mean E(x⁻)²)  ⇒  dL/dE⁺ᵢ = (1 + 2αE⁺ᵢ)/B, dL/dE⁻ᵢ = (−1 + 2αE⁻ᵢ)/B.
// EBM-CLF adds cross-entropy on the logits of labelled positives: dCE/dg = (softmax(g) − onehot(y))/B.
import { softmaxRows } from './energy.ts';

export interface EbmLossTerms {
  lossCD: number;
  lossL2: number;
  ePos: number;
  eNeg: number;
}

function mean(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / Math.max(1, a.length);
}

function meanSq(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s / Math.max(1, a.length);
}

/** Loss values (lossL2 is α·(…), i.e. as it enters the loss). */
export function ebmLoss(ePos: Float32Array, eNeg: Float32Array, alpha: number): EbmLossTerms {
  const mp = mean(ePos);
  const mn = mean(eNeg);
  return { lossCD: mp - mn, lossL2: alpha * (meanSq(ePos) + meanSq(eNeg)), ePos: mp, eNeg: mn };
}

/** dL/dE⁺ᵢ = scale·(1 + 2αE⁺ᵢ)/B⁺. */
export function positiveCotangent(ePos: Float32Array, alpha: number, scale = 1): Float32Array {
  const B = ePos.length;
  return Float32Array.from(ePos, (e) => (scale * (1 + 2 * alpha * e)) / B);
}

/** dL/dE⁻ᵢ = scale·(−1 + 2αE⁻ᵢ)/B⁻. */
export function negativeCotangent(eNeg: Float32Array, alpha: number, scale = 1): Float32Array {
  const B = eNeg.length;
  return Float32Array.from(eNeg, (e) => (scale * (-1 + 2 * alpha * e)) / B);
}

/** Mean cross-entropy of logits [n, C] against labels, and its cotangent scale·(softmax − onehot)/n. */
export function crossEntropy(logits: Float32Array, labels: Int32Array, C: number, scale = 1): { loss: number; dLogits: Float32Array; accuracy: number } {
  const n = labels.length;
  const p = softmaxRows(logits, n, C);
  const d = new Float32Array(n * C);
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y < 0 || y >= C) throw new Error(`crossEntropy: label ${y} outside 0..${C - 1}`);
    loss -= Math.log(Math.max(p[i * C + y]!, 1e-30));
    let best = 0;
    for (let k = 0; k < C; k++) {
      d[i * C + k] = (scale * (p[i * C + k]! - (k === y ? 1 : 0))) / n;
      if (p[i * C + k]! > p[i * C + best]!) best = k;
    }
    if (best === y) correct++;
  }
  return { loss: loss / Math.max(1, n), dLogits: d, accuracy: correct / Math.max(1, n) };
}
