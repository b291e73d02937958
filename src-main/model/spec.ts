// The energy function's contract: configuration, presets, flat parameter layout, seeded init, and the
// `EnergyNet` interface every compute backend (tfjs reference, native fast path) implements identically.
//
// Math (paper §3, Table 3; the public code's inverted mask is NOT copied). Input x [B, N, F] (F = 3:
// log pT, Δη, Δφ, standardised), mask m [B, N] (1 = real particle, 0 = padding).
//   h = x·embed.w + embed.b                                               [B, N, d]
//   for each block l:
//     a  = layerNorm ? LN(h; ln1) : h
//     [q k v] = a·attn.wqkv + attn.bqkv, split into H heads of dk = d/H
//     s_ij = q_i·k_j / √dk, with s_ij = −∞ where m_j = 0 (masked keys)
//     A = softmax_j(s);  o = concat_h(A·v_h)
//     h = h + drop(o·attn.wo + attn.bo)
//     f  = layerNorm ? LN(h; ln2) : h
//     h = h + drop(relu(f·ff.w1 + ff.b1)·ff.w2 + ff.b2)
//   p = Σ_i m_i h_i                                                       [B, d]  (masked sum pooling)
//   z = p; for each hidden head layer k: z = swish(z·head.k.w + head.k.b);  out = z·head.K.w + head.K.b   [B, outputs]
// DeepSets: z_i = x_i; for each phi layer: z_i = swish(z_i·phi.k.w + phi.k.b); p = Σ_i m_i z_i; same head.
// swish(z) = z·σ(z). LN(x) = (x − mean)/√(var + 1e-5)·g + b over the feature axis (biased variance).
// drop = inverted dropout with rate `dropout`, only when a dropoutSeed is passed (training passes).
// Weights are row-major [in, out]; the layout order below is THE order of the flat parameter vector.
// EBM: outputs = 1, E(x) = out. EBM-CLF: outputs = C logits g(x), E(x) = −logsumexp_y g(x)_y.
import { Rng } from '../util/rng.ts';

export interface EnergyConfig {
  arch: 'transformer' | 'deepsets';
  /** Particles per jet after padding/truncation (paper: 40). */
  particles: number;
  /** Features per particle (log pT, Δη, Δφ). */
  features: number;
  /** Transformer blocks (paper: 8). */
  layers: number;
  /** Model dimension d (paper: 128). */
  dModel: number;
  /** Attention heads (paper: 16); dModel % heads === 0. */
  heads: number;
  /** Feed-forward width (paper: 1024). */
  ffDim: number;
  /** Dropout rate on the residual branches (paper: 0.1); used only in training passes. */
  dropout: number;
  /** Pre-norm LayerNorm in each block (paper: none). */
  layerNorm: boolean;
  /** DeepSets per-particle MLP widths (arch = 'deepsets'). */
  phiHidden: number[];
  /** Hidden widths of the Swish MLP projector after pooling. */
  headHidden: number[];
  /** Output units: 1 for an EBM, C class logits for EBM-CLF. */
  outputs: number;
}

export type ModelPreset = 'tiny' | 'laptop' | 'paper';

const base: Omit<EnergyConfig, 'layers' | 'dModel' | 'heads' | 'ffDim' | 'headHidden'> = {
  arch: 'transformer',
  particles: 40,
  features: 3,
  dropout: 0,
  layerNorm: false,
  phiHidden: [64, 64],
  outputs: 1,
};

/** Model sizes: `paper` is Table 3 exactly (projector widths as in the reference harness); `laptop` trains an
 *  epoch of 10k jets in minutes on a 2-core CPU; `tiny` is for tests. */
export const MODEL_PRESETS: Record<ModelPreset, EnergyConfig> = {
  tiny: { ...base, layers: 2, dModel: 16, heads: 2, ffDim: 32, headHidden: [32] },
  laptop: { ...base, layers: 3, dModel: 64, heads: 4, ffDim: 128, headHidden: [128, 128] },
  paper: { ...base, layers: 8, dModel: 128, heads: 16, ffDim: 1024, dropout: 0.1, headHidden: [500, 500] },
};

export interface ParamSpec {
  name: string;
  shape: number[];
  /** Offset into the flat parameter vector. */
  offset: number;
  size: number;
  /** Init: 'uniform' ±1/√fanIn (PyTorch Linear default), 'ones', 'zeros'. */
  init: 'uniform' | 'ones' | 'zeros';
  fanIn: number;
}

/** The flat parameter layout, in order. Every backend reads and writes parameters in exactly this layout. */
export function paramLayout(c: EnergyConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], init: ParamSpec['init'], fanIn: number) => {
    const size = shape.reduce((a, b) => a * b, 1);
    specs.push({ name, shape, offset, size, init, fanIn });
    offset += size;
  };
  const linear = (name: string, nIn: number, nOut: number) => {
    add(`${name}.w`, [nIn, nOut], 'uniform', nIn);
    add(`${name}.b`, [nOut], 'uniform', nIn);
  };
  let pooledDim: number;
  if (c.arch === 'transformer') {
    if (c.dModel % c.heads !== 0) throw new Error(`dModel ${c.dModel} is not divisible by heads ${c.heads}`);
    const d = c.dModel;
    linear('embed', c.features, d);
    for (let l = 0; l < c.layers; l++) {
      const p = `blocks.${l}`;
      if (c.layerNorm) {
        add(`${p}.ln1.g`, [d], 'ones', d);
        add(`${p}.ln1.b`, [d], 'zeros', d);
      }
      add(`${p}.attn.wqkv`, [d, 3 * d], 'uniform', d);
      add(`${p}.attn.bqkv`, [3 * d], 'uniform', d);
      linear(`${p}.attn.o`, d, d);
      if (c.layerNorm) {
        add(`${p}.ln2.g`, [d], 'ones', d);
        add(`${p}.ln2.b`, [d], 'zeros', d);
      }
      linear(`${p}.ff.1`, d, c.ffDim);
      linear(`${p}.ff.2`, c.ffDim, d);
    }
    pooledDim = d;
  } else {
    let nIn = c.features;
    c.phiHidden.forEach((w, k) => {
      linear(`phi.${k}`, nIn, w);
      nIn = w;
    });
    pooledDim = nIn;
  }
  let nIn = pooledDim;
  c.headHidden.forEach((w, k) => {
    linear(`head.${k}`, nIn, w);
    nIn = w;
  });
  linear(`head.${c.headHidden.length}`, nIn, c.outputs);
  return specs;
}

export function paramCount(c: EnergyConfig): number {
  const l = paramLayout(c);
  const last = l[l.length - 1]!;
  return last.offset + last.size;
}

/** Seeded initial parameters in the flat layout (identical on every backend). */
export function initParams(c: EnergyConfig, seed: number): Float32Array {
  const rng = new Rng(seed);
  const layout = paramLayout(c);
  const p = new Float32Array(paramCount(c));
  for (const s of layout) {
    const view = p.subarray(s.offset, s.offset + s.size);
    if (s.init === 'ones') view.fill(1);
    else if (s.init === 'zeros') view.fill(0);
    else {
      const bound = 1 / Math.sqrt(s.fanIn);
      for (let i = 0; i < view.length; i++) view[i] = (2 * rng.uniform() - 1) * bound;
    }
  }
  return p;
}

/** A batch of padded jets: x [size, particles, features] row-major, mask [size, particles] (1 = real). */
export interface JetBatch {
  x: Float32Array;
  mask: Uint8Array;
  size: number;
}

export interface PassOptions {
  /** When set, dropout is active with masks drawn from this seed (training passes); unset = deterministic. */
  dropoutSeed?: number;
}

export interface BackwardOptions extends PassOptions {
  /** Accumulate ∂(Σ dOut·out)/∂θ over the batch. */
  paramGrad: boolean;
  /** Return ∂(Σ dOut·out)/∂x, exactly 0 at padded slots. */
  inputGrad: boolean;
}

export interface BackwardResult {
  /** The forward outputs [size·outputs] of the same pass. */
  out: Float32Array;
  /** Gradient w.r.t. the flat parameters (paramCount), or null. */
  gradParams: Float32Array | null;
  /** Gradient w.r.t. x [size·particles·features], or null. */
  gradX: Float32Array | null;
}

/** One energy network on one compute backend. Synchronous: call it from a worker, never the UI thread. */
export interface EnergyNet {
  readonly config: EnergyConfig;
  /** 'native-cpu' | 'tfjs-node-gpu' | 'tfjs-node' | 'tfjs-wasm' | 'tfjs-cpu'. */
  readonly backendName: string;
  readonly paramCount: number;
  getParams(): Float32Array;
  setParams(p: Float32Array): void;
  /** Outputs [size·outputs]. */
  forward(batch: JetBatch, opts?: PassOptions): Float32Array;
  /** Vector–Jacobian product of the outputs with the cotangent dOut [size·outputs]. */
  backward(batch: JetBatch, dOut: Float32Array, opts: BackwardOptions): BackwardResult;
  dispose(): void;
}
