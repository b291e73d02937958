// Builds the renderer bundle (Vue + ECharts) into dist/renderer/ with Vite; used by prepare, start and CI.
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({ configFile: `${root}vite.config.ts`, logLevel: 'warn' });
console.log('[ebm-hep] renderer built into dist/renderer/');
