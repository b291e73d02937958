// The reference EnergyNet on TensorFlow.js (cpu / wasm / tfjs-node backends): spec.ts's math, first-order only.
// Forward and the vector–Jacobian product (param- and/or input-gradient) run in chunks of jets to bound memory.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '../util/rng.ts';
import { ensureTfjsGradients } from './tfjs-grads.ts';
import {
  paramCount,
  paramLayout,
  type BackwardOptions,
  type BackwardResult,
  type EnergyConfig,
  type EnergyNet,
  type JetBatch,
  type ParamSpec,
  type PassOptions,
} from './spec.ts';

/** Additive score for masked keys: exp(s − 1e9 − max) underflows to exactly 0 in float32, i.e. −∞ in effect. */
const MASKED_SCORE = -1e9;
const LN_EPS = 1e-5;

type Params = Record<string, tf.Tensor>;

/** Bytes of tfjs intermediates one jet costs in a backward pass (rough upper bound, used to size chunks). */
function bytesPerJet(c: EnergyConfig): number {
  const N = c.particles;
  if (c.arch === 'deepsets') return 4 * N * 4 * (c.phiHidden.reduce((a, b) => a + b, 0) + c.features) + 4 * 4 * c.headHidden.reduce((a, b) => a + b, 1);
  const perLayer = 4 * c.heads * N * N + N * (10 * c.dModel + 3 * c.ffDim);
  return 4 * (c.layers * perLayer + N * c.dModel * 2) + 4 * 4 * c.headHidden.reduce((a, b) => a + b, 1);
}

/** Jets per chunk so one chunk's intermediates stay under ~384 MB (the wasm heap caps at 4 GB). */
export function defaultChunkJets(c: EnergyConfig): number {
  return Math.max(1, Math.min(2048, Math.floor(384e6 / bytesPerJet(c))));
}

function swish(z: tf.Tensor): tf.Tensor {
  return tf.mul(z, tf.sigmoid(z));
}

function layerNorm(h: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(h, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, LN_EPS))), g), b);
}

/** Row-major [rows, in] · [in, out] + bias. */
function linear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);
}

/**
 * The energy network's outputs [B, outputs] for x [B, N, F] and mask m [B, N] (float 0/1).
 * `drop` holds one inverted-dropout multiplier tensor [B·N, d] per residual branch (2 per block), or null.
 */
export function energyForward(c: EnergyConfig, P: Params, x: tf.Tensor, m: tf.Tensor, drop: tf.Tensor[] | null): tf.Tensor {
  const [B, N, F] = x.shape as [number, number, number];
  const p = (name: string): tf.Tensor => {
    const t = P[name];
    if (!t) throw new Error(`missing parameter ${name}`);
    return t;
  };
  let pooled: tf.Tensor;
  if (c.arch === 'transformer') {
    const d = c.dModel;
    const H = c.heads;
    const dk = d / H;
    let h = linear(tf.reshape(x, [B * N, F]), p('embed.w'), p('embed.b')); // [B·N, d]
    const keyBias = tf.reshape(tf.mul(tf.sub(1, m), MASKED_SCORE), [B, 1, 1, N]);
    for (let l = 0; l < c.layers; l++) {
      const pre = `blocks.${l}`;
      const a = c.layerNorm ? layerNorm(h, p(`${pre}.ln1.g`), p(`${pre}.ln1.b`)) : h;
      const qkv = linear(a, p(`${pre}.attn.wqkv`), p(`${pre}.attn.bqkv`)); // [B·N, 3d]
      const heads = tf.transpose(tf.reshape(qkv, [B, N, 3, H, dk]), [2, 0, 3, 1, 4]); // [3, B, H, N, dk]
      const [q, k, v] = tf.unstack(heads, 0).map((t) => tf.reshape(t, [B * H, N, dk])) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
      // Explicit transpose of k: non-transposed matMuls take the fast path on wasm.
      const s = tf.add(tf.reshape(tf.mul(tf.matMul(q, tf.transpose(k, [0, 2, 1])), 1 / Math.sqrt(dk)), [B, H, N, N]), keyBias);
      const attn = tf.reshape(tf.softmax(s), [B * H, N, N]) as tf.Tensor3D;
      const o = tf.reshape(tf.transpose(tf.reshape(tf.matMul(attn, v), [B, H, N, dk]), [0, 2, 1, 3]), [B * N, d]);
      let branch = linear(o, p(`${pre}.attn.o.w`), p(`${pre}.attn.o.b`));
      if (drop) branch = tf.mul(branch, drop[2 * l]!);
      h = tf.add(h, branch);
      const f = c.layerNorm ? layerNorm(h, p(`${pre}.ln2.g`), p(`${pre}.ln2.b`)) : h;
      let ff = linear(tf.relu(linear(f, p(`${pre}.ff.1.w`), p(`${pre}.ff.1.b`))), p(`${pre}.ff.2.w`), p(`${pre}.ff.2.b`));
      if (drop) ff = tf.mul(ff, drop[2 * l + 1]!);
      h = tf.add(h, ff);
    }
    pooled = tf.sum(tf.mul(tf.reshape(h, [B, N, d]), tf.reshape(m, [B, N, 1])), 1); // masked sum pooling
  } else {
    let z = tf.reshape(x, [B * N, F]);
    c.phiHidden.forEach((_, k) => {
      z = swish(linear(z, p(`phi.${k}.w`), p(`phi.${k}.b`)));
    });
    const width = z.shape[1]!;
    pooled = tf.sum(tf.mul(tf.reshape(z, [B, N, width]), tf.reshape(m, [B, N, 1])), 1);
  }
  let z = pooled;
  c.headHidden.forEach((_, k) => {
    z = swish(linear(z, p(`head.${k}.w`), p(`head.${k}.b`)));
  });
  const K = c.headHidden.length;
  return linear(z, p(`head.${K}.w`), p(`head.${K}.b`)); // [B, outputs]
}

/**
 * Inverted-dropout multipliers for a whole batch, drawn from Rng(dropoutSeed): for each block l, first the
 * attention branch then the feed-forward branch, each [size, N, d] row-major; value 0 (dropped) or 1/(1 − rate).
 * Backends that implement dropout draw the same stream so a seeded training pass is identical everywhere.
 */
export function dropoutMasks(c: EnergyConfig, size: number, seed: number): Float32Array[] {
  if (c.arch !== 'transformer' || c.dropout <= 0) return [];
  const rng = new Rng(seed);
  const keep = 1 / (1 - c.dropout);
  const n = size * c.particles * c.dModel;
  const out: Float32Array[] = [];
  for (let l = 0; l < 2 * c.layers; l++) {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = rng.uniform() < c.dropout ? 0 : keep;
    out.push(a);
  }
  return out;
}

function checkBatch(c: EnergyConfig, batch: JetBatch): void {
  const per = c.particles * c.features;
  if (batch.x.length !== batch.size * per || batch.mask.length !== batch.size * c.particles) {
    throw new Error(
      `JetBatch of size ${batch.size} needs x of ${batch.size * per} and mask of ${batch.size * c.particles} values, got ${batch.x.length} and ${batch.mask.length}`,
    );
  }
}

class TfjsEnergyNet implements EnergyNet {
  readonly config: EnergyConfig;
  readonly backendName: string;
  readonly paramCount: number;
  private readonly layout: ParamSpec[];
  private readonly tfBackend: string;
  private params: Float32Array;
  private P: Params = {};
  private readonly chunkJets: number;

  constructor(config: EnergyConfig, params: Float32Array | undefined, tfBackend: string, chunkJets?: number) {
    ensureTfjsGradients();
    this.config = { ...config, phiHidden: [...config.phiHidden], headHidden: [...config.headHidden] };
    this.layout = paramLayout(config);
    this.paramCount = paramCount(config);
    this.tfBackend = tfBackend;
    this.backendName = `tfjs-${tfBackend === 'tensorflow' ? 'node' : tfBackend}`;
    this.chunkJets = chunkJets ?? defaultChunkJets(config);
    this.params = new Float32Array(this.paramCount);
    if (params) this.setParams(params);
    else this.upload();
  }

  private use(): void {
    if (tf.engine().backendName !== this.tfBackend) {
      // Synchronous for a backend that is already initialised (createEnergyNet awaits initialisation).
      void tf.setBackend(this.tfBackend);
      if (tf.engine().backendName !== this.tfBackend) throw new Error(`tfjs backend '${this.tfBackend}' is not initialised`);
    }
  }

  private upload(): void {
    this.use();
    for (const t of Object.values(this.P)) t.dispose();
    this.P = {};
    for (const s of this.layout) this.P[s.name] = tf.tensor(this.params.slice(s.offset, s.offset + s.size), s.shape, 'float32');
  }

  getParams(): Float32Array {
    return this.params.slice();
  }

  setParams(p: Float32Array): void {
    if (p.length !== this.paramCount) throw new Error(`expected ${this.paramCount} parameters, got ${p.length}`);
    this.params = Float32Array.from(p);
    this.upload();
  }

  /** Runs fn on each chunk [start, end) with its x / mask / dropout tensors (inside a tidy). */
  private chunks(batch: JetBatch, opts: PassOptions | undefined, fn: (start: number, end: number, x: tf.Tensor, m: tf.Tensor, drop: tf.Tensor[] | null) => void): void {
    checkBatch(this.config, batch);
    this.use();
    const c = this.config;
    const N = c.particles;
    const F = c.features;
    const masks = opts?.dropoutSeed !== undefined ? dropoutMasks(c, batch.size, opts.dropoutSeed) : [];
    for (let start = 0; start < batch.size; start += this.chunkJets) {
      const end = Math.min(batch.size, start + this.chunkJets);
      const b = end - start;
      tf.tidy(() => {
        const x = tf.tensor3d(batch.x.subarray(start * N * F, end * N * F), [b, N, F]);
        const m = tf.tensor2d(Float32Array.from(batch.mask.subarray(start * N, end * N)), [b, N]);
        const drop = masks.length ? masks.map((a) => tf.tensor2d(a.subarray(start * N * c.dModel, end * N * c.dModel), [b * N, c.dModel])) : null;
        fn(start, end, x, m, drop);
      });
    }
  }

  forward(batch: JetBatch, opts?: PassOptions): Float32Array {
    const O = this.config.outputs;
    const out = new Float32Array(batch.size * O);
    this.chunks(batch, opts, (start, _end, x, m, drop) => {
      out.set(energyForward(this.config, this.P, x, m, drop).dataSync() as Float32Array, start * O);
    });
    return out;
  }

  backward(batch: JetBatch, dOut: Float32Array, opts: BackwardOptions): BackwardResult {
    const c = this.config;
    const O = c.outputs;
    const N = c.particles;
    const F = c.features;
    if (dOut.length !== batch.size * O) throw new Error(`dOut needs ${batch.size * O} values, got ${dOut.length}`);
    const out = new Float32Array(batch.size * O);
    const gradParams = opts.paramGrad ? new Float32Array(this.paramCount) : null;
    const gradX = opts.inputGrad ? new Float32Array(batch.size * N * F) : null;
    if (!opts.paramGrad && !opts.inputGrad) {
      out.set(this.forward(batch, opts));
      return { out, gradParams, gradX };
    }
    this.chunks(batch, opts, (start, end, x, m, drop) => {
      const dy = tf.tensor2d(dOut.subarray(start * O, end * O), [end - start, O]);
      const xs: tf.Tensor[] = [];
      if (opts.inputGrad) xs.push(x);
      if (opts.paramGrad) for (const s of this.layout) xs.push(this.P[s.name]!);
      const { value, grads } = tf.engine().gradients(() => energyForward(c, this.P, x, m, drop), xs, dy);
      out.set(value.dataSync() as Float32Array, start * O);
      let gi = 0;
      if (gradX) {
        const g = grads[gi++]!.dataSync() as Float32Array;
        const base = start * N * F;
        for (let j = 0; j < g.length; j++) gradX[base + j] = batch.mask[start * N + Math.floor(j / F)] ? g[j]! : 0;
      }
      if (gradParams) {
        for (const s of this.layout) {
          const g = grads[gi++]!.dataSync() as Float32Array;
          for (let j = 0; j < s.size; j++) gradParams[s.offset + j]! += g[j]!;
        }
      }
    });
    return { out, gradParams, gradX };
  }

  dispose(): void {
    for (const t of Object.values(this.P)) t.dispose();
    this.P = {};
  }
}

/**
 * A tfjs EnergyNet. `backend` is a registered tfjs backend name ('cpu' default, 'wasm', 'tensorflow'); it must
 * already be initialised (createEnergyNet in backend.ts does that) except for 'cpu', which initialises synchronously.
 */
export function createTfjsEnergyNet(config: EnergyConfig, params?: Float32Array, backend = 'cpu', opts: { chunkJets?: number } = {}): EnergyNet {
  if (backend === 'cpu' && tf.engine().backendName !== 'cpu') void tf.setBackend('cpu');
  return new TfjsEnergyNet(config, params, backend, opts.chunkJets);
}
