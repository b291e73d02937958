// Bundles the Electron shell with esbuild: main process as ESM (node_modules stay external, native modules are
// rebuilt by electron-builder), preload as one self-contained CJS file (a sandboxed preload cannot require files).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', absWorkingDir: root };

await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.mjs', format: 'esm', packages: 'external' });
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] });
console.log('[ebm-hep] electron shell built into dist/electron/');
