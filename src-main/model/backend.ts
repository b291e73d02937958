// Picks the compute backend for an EnergyNet: tfjs-node-gpu → native (C++ addon) → tfjs-node → tfjs-wasm → tfjs-cpu.
// Optional packages are imported dynamically; every fallback is explained in `fallbackReason` (recorded in the run).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createNativeEnergyNet, nativeAvailable } from './native.ts';
import { createTfjsEnergyNet } from './tfjs.ts';
import type { EnergyConfig, EnergyNet } from './spec.ts';

export type BackendChoice = 'auto' | 'native' | 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: BackendChoice[] = ['auto', 'native', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

export interface CreatedNet {
  net: EnergyNet;
  /** The EnergyNet's backendName ('native-cpu', 'tfjs-wasm', 'tfjs-cpu', ...). */
  backend: string;
  /** Why a preferred backend was not used (one clause per skipped backend), absent when the first choice worked. */
  fallbackReason?: string;
}

export interface BackendOptions {
  backend?: BackendChoice | string;
  /** Compute threads (native, wasm); default: all cores. */
  threads?: number;
}

const AUTO_ORDER: Exclude<BackendChoice, 'auto'>[] = ['tfjs-node-gpu', 'native', 'tfjs-node', 'wasm', 'cpu'];

type Attempt = (config: EnergyConfig, params: Float32Array | undefined, threads: number | undefined) => Promise<EnergyNet>;

/** Dynamic import that TypeScript does not resolve (optional packages, modules that may not exist yet). */
async function importOptional(specifier: string): Promise<Record<string, unknown>> {
  return (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
}

function message(err: unknown): string {
  if ((err as { code?: string })?.code === 'ERR_MODULE_NOT_FOUND') return 'not installed';
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0]!.slice(0, 200);
}

let wasmReady: Promise<void> | null = null;

async function initWasm(threads: number | undefined): Promise<void> {
  if (!wasmReady) {
    wasmReady = (async () => {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const req = createRequire(import.meta.url);
      const dir = dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(dir + '/');
      if (threads) wasm.setThreadsCount(threads);
      const prev = tf.engine().backendName;
      const ok = await tf.setBackend('wasm');
      if (!ok) throw new Error('the wasm backend failed to initialise');
      if (prev) await tf.setBackend(prev);
    })();
    wasmReady.catch(() => {
      wasmReady = null;
    });
  }
  return wasmReady;
}

async function initTfjsNode(pkg: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu'): Promise<void> {
  await importOptional(pkg); // registers the 'tensorflow' backend
  const ok = await tf.setBackend('tensorflow');
  if (!ok) throw new Error(`${pkg} loaded but its backend did not initialise`);
}

const ATTEMPTS: Record<Exclude<BackendChoice, 'auto'>, Attempt> = {
  'tfjs-node-gpu': async (c, p) => {
    await initTfjsNode('@tensorflow/tfjs-node-gpu');
    return createTfjsEnergyNet(c, p, 'tensorflow');
  },
  native: async (c, p, threads) => {
    const st = nativeAvailable();
    if (!st.ok) throw new Error(st.reason ?? 'native addon not available');
    return createNativeEnergyNet(c, p, threads ? { threads } : {});
  },
  'tfjs-node': async (c, p) => {
    await initTfjsNode('@tensorflow/tfjs-node');
    return createTfjsEnergyNet(c, p, 'tensorflow');
  },
  wasm: async (c, p, threads) => {
    await initWasm(threads);
    return createTfjsEnergyNet(c, p, 'wasm');
  },
  cpu: async (c, p) => createTfjsEnergyNet(c, p, 'cpu'),
};

/**
 * Creates an EnergyNet on the requested backend, falling back along the auto order (the requested one first)
 * when it cannot load; the reasons are returned. 'cpu' always works.
 */
export async function createEnergyNet(config: EnergyConfig, params?: Float32Array, opts: BackendOptions = {}): Promise<CreatedNet> {
  const want = (opts.backend ?? 'auto') as BackendChoice;
  if (!BACKEND_CHOICES.includes(want)) throw new Error(`unknown backend '${opts.backend}'; choose one of ${BACKEND_CHOICES.join(', ')}`);
  const order = want === 'auto' ? AUTO_ORDER : [want, ...AUTO_ORDER.slice(AUTO_ORDER.indexOf(want) + 1)];
  const reasons: string[] = [];
  for (const name of order) {
    try {
      const net = await ATTEMPTS[name](config, params, opts.threads);
      return { net, backend: net.backendName, ...(reasons.length ? { fallbackReason: reasons.join('; ') } : {}) };
    } catch (err) {
      reasons.push(`${name}: ${message(err)}`);
    }
  }
  throw new Error(`no compute backend could be created: ${reasons.join('; ')}`);
}
