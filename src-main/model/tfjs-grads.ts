// Registers tfjs-core's gradient functions under plain Node. tfjs-core's CommonJS entry ships none, and its ESM
// `register_all_gradients.js` uses directory imports Node's ESM loader rejects; so it is bundled once with esbuild
// (already installed with tsx) into a CommonJS file in the OS temp dir and required. The bundled ops share the one
// global tfjs engine and kernel/gradient registries (tfjs keeps them on the global object; Tensor instanceof is duck-typed).
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

let done = false;

export function ensureTfjsGradients(): void {
  if (done || tf.getGradient('BatchMatMul')) {
    done = true;
    return;
  }
  const req = createRequire(import.meta.url);
  const entry = req.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const version = (req('@tensorflow/tfjs-core/package.json') as { version: string }).version;
  const dir = join(tmpdir(), 'ebm-hep-cache');
  const file = join(dir, `tfjs-core-${version}-gradients.cjs`);
  if (!existsSync(file)) {
    const esbuild = createRequire(req.resolve('tsx')).call(null, 'esbuild') as typeof import('esbuild');
    const out = esbuild.buildSync({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'silent' });
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, out.outputFiles[0]!.text);
    renameSync(tmp, file);
  }
  req(file);
  if (!tf.getGradient('BatchMatMul')) throw new Error(`tfjs gradients did not register from ${file} (${dirname(entry)})`);
  done = true;
}
