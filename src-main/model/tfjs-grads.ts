// Registers tfjs-core's gradient functions under plain Node. tfjs-core's CommonJS entry ships none, and its ESM
// `register_all_gradients.js` uses directory imports Node's ESM loader rejects; so it is bundled with esbuild (installed
// with tsx) into one CommonJS file and required. `npm ci` builds it (build/prepare.mjs) into node_modules/.cache/ebm-hep;
// where that is missing it is built on first use there, or — in a read-only install — in the user's own cache dir
// (~/.cache/ebm-hep), never in a shared temp dir another user could write to. The bundled ops share the one global
// tfjs engine and kernel/gradient registries (tfjs keeps them on the global object; Tensor instanceof is duck-typed).
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

const req = createRequire(import.meta.url);
let done = false;

/** Where the bundle may live, in order of preference: beside the installed tfjs-core, then the user's cache. */
function bundleCandidates(): string[] {
  const corePkg = req.resolve('@tensorflow/tfjs-core/package.json');
  const version = (req('@tensorflow/tfjs-core/package.json') as { version: string }).version;
  const name = `tfjs-core-${version}-gradients.cjs`;
  const marker = `${sep}node_modules${sep}`;
  const nodeModules = corePkg.slice(0, corePkg.lastIndexOf(marker) + marker.length - 1);
  const userCache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return [join(nodeModules, '.cache', 'ebm-hep', name), join(userCache, 'ebm-hep', name)];
}

/** Bundles the gradients into the first writable candidate location and returns its path. */
export function buildTfjsGradientsBundle(): string {
  const entry = req.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const esbuild = createRequire(req.resolve('tsx')).call(null, 'esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'silent' });
  const errors: string[] = [];
  for (const file of bundleCandidates()) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, out.outputFiles[0]!.text);
      renameSync(tmp, file);
      return file;
    } catch (err) {
      errors.push(`${file}: ${(err as Error).message}`);
    }
  }
  throw new Error(`could not write the tfjs gradient bundle (${errors.join('; ')})`);
}

export function ensureTfjsGradients(): void {
  if (done || tf.getGradient('BatchMatMul')) {
    done = true;
    return;
  }
  const file = bundleCandidates().find((f) => existsSync(f)) ?? buildTfjsGradientsBundle();
  req(file);
  if (!tf.getGradient('BatchMatMul')) throw new Error(`tfjs gradients did not register from ${file}`);
  done = true;
}

// `node --import tsx src-main/model/tfjs-grads.ts` (run by build/prepare.mjs): build the bundle now.
if (process.argv[1] && import.meta.filename === process.argv[1]) console.log(`[ebm-hep] tfjs gradients bundled: ${buildTfjsGradientsBundle()}`);
