// `npm start`: opens the desktop app in Electron when its binary is installed; otherwise (offline installs, where
// Electron's download cannot happen) says so in one line and opens the same renderer through `ebm-hep serve --open`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** Path of the Electron executable, or null when the package or its binary is absent. */
function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function run(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}

// The renderer bundle is built by `npm ci` (build/prepare.mjs); build it here if someone skipped that.
if (!existsSync(`${root}dist/renderer/index.html`)) {
  spawnSync(process.execPath, [`${root}build/build-renderer.mjs`], { cwd: root, stdio: 'inherit' });
}

const electron = electronBinary();
if (electron) {
  if (!existsSync(`${root}dist/electron/main.mjs`)) {
    spawnSync(process.execPath, [`${root}build/build-electron.mjs`], { cwd: root, stdio: 'inherit' });
  }
  run(electron, [`${root}dist/electron/main.mjs`, ...process.argv.slice(2)]);
} else {
  console.log('[ebm-hep] Electron binary not installed (offline install): opening the app in your browser via `ebm-hep serve --open` instead.');
  run(process.execPath, [`${root}bin/ebm-hep.mjs`, 'serve', '--open', ...process.argv.slice(2)]);
}
