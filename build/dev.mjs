// `npm run dev`: rebuilds the renderer on every change (vite build --watch) and serves it with the real engine through
// `ebm-hep serve --open`; reload the page after a rebuild. Arguments are passed to serve (e.g. --db FILE).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const watcher = await build({ configFile: `${root}vite.config.ts`, logLevel: 'info', build: { watch: {} } });
const serve = spawn(process.execPath, [`${root}bin/ebm-hep.mjs`, 'serve', '--open', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
const stop = async () => {
  serve.kill('SIGTERM');
  if ('close' in watcher) await watcher.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
serve.on('exit', stop);
