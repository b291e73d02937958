// Builds the native CPU energy addon (native/ → native/build/Release/ebm_native.node) with npm's bundled node-gyp
// against the local Node headers. Never fails the install: without a toolchain the engine falls back to tfjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const output = join(nativeDir, 'build', 'Release', 'ebm_native.node');

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p));
}

/** Local Node headers, so node-gyp needs no download: npm's nodedir setting, else the headers beside node. */
function findNodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function newestSource() {
  let t = statSync(join(nativeDir, 'binding.gyp')).mtimeMs;
  for (const f of readdirSync(join(nativeDir, 'src'))) t = Math.max(t, statSync(join(nativeDir, 'src', f)).mtimeMs);
  return t;
}

export function buildNative({ force = false } = {}) {
  const say = (msg) => console.log(`[ebm-hep] native CPU path: ${msg}`);
  if (process.env.EBM_NATIVE_SKIP_BUILD === '1') return say('build skipped (EBM_NATIVE_SKIP_BUILD=1)'), false;
  if (!existsSync(join(nativeDir, 'binding.gyp'))) return say('no native/ sources here; skipped'), false;
  if (!force && existsSync(output) && statSync(output).mtimeMs >= newestSource()) return say('up to date'), true;
  const gyp = findNodeGyp();
  if (!gyp) return say('node-gyp not found; the engine will fall back to tfjs-wasm'), false;
  const args = [gyp, 'rebuild', '--release', `--jobs=${process.env.EBM_NATIVE_JOBS ?? 2}`];
  const nodedir = findNodeDir();
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: nativeDir, encoding: 'utf8', timeout: 600_000 });
  const log = join(nativeDir, 'build', 'build.log');
  try {
    mkdirSync(dirname(log), { recursive: true });
    writeFileSync(log, `${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  } catch {
    /* the log is a courtesy */
  }
  if (r.status === 0 && existsSync(output)) return say(`built in ${((Date.now() - t0) / 1000).toFixed(0)} s`), true;
  say(`build failed (see ${log}); the engine will fall back to tfjs-wasm. Needs a C++17 compiler, make and python3.`);
  return false;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildNative({ force: process.argv.includes('--force') });
}
