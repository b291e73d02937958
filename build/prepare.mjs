// Runs after `npm ci`/`npm install`: builds what the app needs locally (native compute path, renderer bundle).
// Every step is allowed to fail on machines that lack a toolchain: the engine then falls back and says so.
const { buildNative } = await import('./native.mjs');
buildNative();

// The renderer bundle (dist/renderer) that Electron and `ebm-hep serve` load. A failure is reported, not fatal:
// `npm run build:renderer` retries it, and `npm start` builds it when missing.
try {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [new URL('./build-renderer.mjs', import.meta.url).pathname], { stdio: 'inherit' });
  if (r.status !== 0) console.warn('[ebm-hep] prepare: renderer build failed; run `npm run build:renderer` to see why');
} catch (err) {
  console.warn(`[ebm-hep] prepare: renderer build skipped (${err instanceof Error ? err.message : err})`);
}
