// The native CPU EnergyNet ('native-cpu'): loads the N-API addon built from native/ and exposes it through the
// spec.ts EnergyNet contract; says in one sentence why it is unavailable when the addon was not built.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  paramCount as layoutParamCount,
  paramLayout,
  type BackwardOptions,
  type BackwardResult,
  type EnergyConfig,
  type EnergyNet,
  type JetBatch,
  type PassOptions,
} from './spec.ts';
import { dropoutMasks } from './tfjs.ts';

/** The addon's raw surface (native/src/addon.cc). */
interface NativeAddon {
  createNet(desc: Int32Array, dropout: number, threads: number, simd: string, chunkRows: number): unknown;
  setParams(net: unknown, params: Float32Array): void;
  run(
    net: unknown,
    x: Float32Array,
    mask: Uint8Array,
    size: number,
    dOut: Float32Array | null,
    dropMultipliers: Float32Array | null,
    out: Float32Array,
    gradParams: Float32Array | null,
    gradX: Float32Array | null,
  ): void;
  dispose(net: unknown): void;
  info(): { simd: 'avx2-fma' | 'generic'; hardwareThreads: number };
  sgemmSeconds(n: number, reps: number, threads: number, simd: string): Float64Array;
}

export interface NativeOptions {
  /** Worker threads (default: all cores). */
  threads?: number;
  /** 'auto' picks AVX2+FMA when the CPU has it; 'generic' forces the portable kernels (tests, debugging). */
  simd?: 'auto' | 'generic';
  /** Target particle rows per work chunk (cache blocking; default 256). */
  chunkRows?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
/** Where the compiled addon may sit: the source tree, or app.asar.unpacked inside a packaged Electron app. */
function candidatePaths(): string[] {
  const roots = [resolve(here, '../..'), resolve(here, '../..').replace(/app\.asar(?=[\\/]|$)/, 'app.asar.unpacked')];
  const paths: string[] = [];
  if (process.env.EBM_NATIVE_ADDON) paths.push(process.env.EBM_NATIVE_ADDON);
  for (const r of roots) paths.push(join(r, 'native', 'build', 'Release', 'ebm_native.node'));
  return [...new Set(paths)];
}

let loaded: { addon: NativeAddon | null; reason?: string } | null = null;

function load(): { addon: NativeAddon | null; reason?: string } {
  if (loaded) return loaded;
  if (process.env.EBM_NATIVE === '0') {
    loaded = { addon: null, reason: 'native CPU path disabled by EBM_NATIVE=0; falling back to tfjs-wasm' };
    return loaded;
  }
  const path = candidatePaths().find((p) => existsSync(p));
  if (!path) {
    loaded = {
      addon: null,
      reason:
        'native CPU path not built: run `node build/native.mjs` (needs a C++17 compiler, make and python3); falling back to tfjs-wasm',
    };
    return loaded;
  }
  try {
    const require = createRequire(import.meta.url);
    loaded = { addon: require(path) as NativeAddon };
  } catch (err) {
    loaded = {
      addon: null,
      reason: `native CPU addon at ${path} failed to load (${(err as Error).message.split('\n')[0]}); falling back to tfjs-wasm`,
    };
  }
  return loaded;
}

export function nativeAvailable(): { ok: boolean; reason?: string } {
  const l = load();
  return l.addon ? { ok: true } : { ok: false, reason: l.reason };
}

/** The loaded addon (bench/tests only); throws with the reason when absent. */
export function nativeAddon(): NativeAddon {
  const l = load();
  if (!l.addon) throw new Error(l.reason);
  return l.addon;
}

/** The net description the addon decodes: shape, then the flat-layout offset of every tensor (-1 = absent). */
export function nativeNetDescription(c: EnergyConfig): Int32Array {
  const layout = paramLayout(c);
  const off = new Map(layout.map((s) => [s.name, s.offset]));
  const at = (name: string) => off.get(name) ?? -1;
  const need = (name: string) => {
    const o = off.get(name);
    if (o === undefined) throw new Error(`parameter ${name} missing from the layout`);
    return o;
  };
  const isT = c.arch === 'transformer';
  const phi = isT ? [] : c.phiHidden;
  const d: number[] = [
    isT ? 0 : 1,
    c.particles,
    c.features,
    isT ? c.layers : 0,
    c.dModel,
    c.heads,
    c.ffDim,
    c.layerNorm ? 1 : 0,
    c.outputs,
    layoutParamCount(c),
    phi.length,
    ...phi,
    c.headHidden.length,
    ...c.headHidden,
  ];
  d.push(isT ? need('embed.w') : -1, isT ? need('embed.b') : -1);
  if (isT) {
    for (let l = 0; l < c.layers; l++) {
      const p = `blocks.${l}`;
      d.push(
        at(`${p}.ln1.g`),
        at(`${p}.ln1.b`),
        need(`${p}.attn.wqkv`),
        need(`${p}.attn.bqkv`),
        need(`${p}.attn.o.w`),
        need(`${p}.attn.o.b`),
        at(`${p}.ln2.g`),
        at(`${p}.ln2.b`),
        need(`${p}.ff.1.w`),
        need(`${p}.ff.1.b`),
        need(`${p}.ff.2.w`),
        need(`${p}.ff.2.b`),
      );
    }
  }
  phi.forEach((_, k) => d.push(need(`phi.${k}.w`), need(`phi.${k}.b`)));
  for (let k = 0; k <= c.headHidden.length; k++) d.push(need(`head.${k}.w`), need(`head.${k}.b`));
  return Int32Array.from(d);
}

function checkBatch(c: EnergyConfig, batch: JetBatch): void {
  const { x, mask, size } = batch;
  if (!Number.isInteger(size) || size < 0) throw new Error(`batch size ${size} is not a non-negative integer`);
  if (x.length !== size * c.particles * c.features)
    throw new Error(`batch x has ${x.length} values, expected ${size}×${c.particles}×${c.features}`);
  if (mask.length !== size * c.particles)
    throw new Error(`batch mask has ${mask.length} values, expected ${size}×${c.particles}`);
}

/** The inverted-dropout multipliers of a seeded pass, drawn exactly as the tfjs reference draws them. */
function dropOf(c: EnergyConfig, size: number, opts?: PassOptions): Float32Array | null {
  if (opts?.dropoutSeed === undefined || c.arch !== 'transformer' || c.dropout <= 0 || c.layers === 0) return null;
  const masks = dropoutMasks(c, size, opts.dropoutSeed);
  const all = new Float32Array(masks.reduce((n, m) => n + m.length, 0));
  let o = 0;
  for (const m of masks) {
    all.set(m, o);
    o += m.length;
  }
  return all;
}

export function createNativeEnergyNet(config: EnergyConfig, params?: Float32Array, opts: NativeOptions = {}): EnergyNet {
  const addon = nativeAddon();
  if (!(config.dropout >= 0 && config.dropout < 1)) throw new Error(`dropout ${config.dropout} must be in [0, 1)`);
  const count = layoutParamCount(config);
  const handle = addon.createNet(
    nativeNetDescription(config),
    config.dropout,
    opts.threads ?? 0,
    opts.simd ?? 'auto',
    opts.chunkRows ?? 0,
  );
  let current = new Float32Array(count);
  let disposed = false;
  const alive = () => {
    if (disposed) throw new Error('native EnergyNet used after dispose()');
  };
  const setParams = (p: Float32Array) => {
    alive();
    if (p.length !== count) throw new Error(`expected ${count} parameters, got ${p.length}`);
    current = Float32Array.from(p);
    addon.setParams(handle, current);
  };
  if (params) setParams(params);
  return {
    config,
    backendName: 'native-cpu',
    paramCount: count,
    getParams: () => Float32Array.from(current),
    setParams,
    forward(batch: JetBatch, o?: PassOptions): Float32Array {
      alive();
      checkBatch(config, batch);
      const out = new Float32Array(batch.size * config.outputs);
      addon.run(handle, batch.x, batch.mask, batch.size, null, dropOf(config, batch.size, o), out, null, null);
      return out;
    },
    backward(batch: JetBatch, dOut: Float32Array, o: BackwardOptions): BackwardResult {
      alive();
      checkBatch(config, batch);
      if (dOut.length !== batch.size * config.outputs)
        throw new Error(`dOut has ${dOut.length} values, expected ${batch.size}×${config.outputs}`);
      const out = new Float32Array(batch.size * config.outputs);
      const gradParams = o.paramGrad ? new Float32Array(count) : null;
      const gradX = o.inputGrad ? new Float32Array(batch.x.length) : null;
      addon.run(handle, batch.x, batch.mask, batch.size, dOut, dropOf(config, batch.size, o), out, gradParams, gradX);
      return { out, gradParams, gradX };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      addon.dispose(handle);
    },
  };
}
