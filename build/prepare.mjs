// Runs after `npm ci`/`npm install`: builds what the app needs locally (native compute path, tfjs gradient bundle,
// renderer bundle). Every step is allowed to fail on machines that lack a toolchain: the engine then falls back (or
// builds the piece on first use) and says so.
import { spawnSync } from 'node:child_process';
import { buildNative } from './native.mjs';

buildNative();

/** Runs one build step in its own Node process; a failure is reported, not fatal. */
function step(what, args, whenFailed) {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) console.warn(`[ebm-hep] prepare: ${what} failed (${r.error?.message ?? `exit ${r.status}`}); ${whenFailed}`);
}

// tfjs-core's gradient registrations for the tfjs backends (src-main/model/tfjs-grads.ts).
step('tfjs gradient bundle', ['--import', 'tsx', new URL('../src-main/model/tfjs-grads.ts', import.meta.url).pathname], 'it is built on first use instead');

// The renderer bundle (dist/renderer) that Electron and `ebm-hep serve` load.
step('renderer build', [new URL('./build-renderer.mjs', import.meta.url).pathname], 'run `npm run build:renderer` to see why (`npm start` builds it when missing)');
