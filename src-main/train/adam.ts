// Adam (Kingma & Ba 2015) with β1 = 0 allowed (the paper's setting), serialisable state; global-norm gradient
// clipping; the per-epoch learning-rate schedule lr·decay^(epoch−1).

export interface AdamState {
  m: Float32Array;
  v: Float32Array;
  /** Update count (bias correction). */
  t: number;
}

export interface AdamSettings {
  beta1: number;
  beta2: number;
  eps: number;
}

export function adamInit(n: number): AdamState {
  return { m: new Float32Array(n), v: new Float32Array(n), t: 0 };
}

/** One Adam update of params in place with gradient g (float64 or float32) at learning rate lr. */
export function adamStep(params: Float32Array, g: ArrayLike<number>, st: AdamState, lr: number, s: AdamSettings): void {
  st.t += 1;
  const bc1 = 1 - Math.pow(s.beta1, st.t);
  const bc2 = 1 - Math.pow(s.beta2, st.t);
  const { m, v } = st;
  for (let i = 0; i < params.length; i++) {
    const gi = g[i]!;
    m[i] = s.beta1 * m[i]! + (1 - s.beta1) * gi;
    v[i] = s.beta2 * v[i]! + (1 - s.beta2) * gi * gi;
    params[i]! -= (lr * (m[i]! / bc1)) / (Math.sqrt(v[i]! / bc2) + s.eps);
  }
}

/** L2 norm of a gradient. */
export function globalNorm(g: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return Math.sqrt(s);
}

/** Scales g in place to norm ≤ maxNorm (null: no clipping); returns the norm before clipping. */
export function clipGlobalNorm(g: Float64Array, maxNorm: number | null): number {
  const n = globalNorm(g);
  if (maxNorm !== null && n > maxNorm && Number.isFinite(n)) {
    const f = maxNorm / n;
    for (let i = 0; i < g.length; i++) g[i]! *= f;
  }
  return n;
}

/** Learning rate of an epoch (1-based): lr·decay^(epoch−1)·scale (scale < 1 after divergence rollbacks). */
export function learningRate(lr: number, decay: number, epoch: number, scale = 1): number {
  return lr * Math.pow(decay, epoch - 1) * scale;
}
