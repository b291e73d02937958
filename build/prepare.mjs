// Runs after `npm ci`/`npm install`: builds what the app needs locally (native compute path, renderer bundle).
// Every step is allowed to fail on machines that lack a toolchain: the engine then falls back and says so.
const { buildNative } = await import('./native.mjs');
buildNative();
