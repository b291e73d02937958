// `npm run bench [-- <name> ...] [--flags]`: runs bench/<name>.ts modules (all by default) and writes one JSON per
// module to bench/results/<name>-<timestamp>.json. Each module exports `run(args: string[]): Promise<object>`.
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve, basename } from 'node:path';

const here = import.meta.dirname;
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => basename(f, '.ts'));
const chosen = names.length ? names : all;
mkdirSync(resolve(here, 'results'), { recursive: true });
let failed = 0;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`bench: no bench/${name}.ts (have: ${all.join(', ')})`);
    failed++;
    continue;
  }
  const mod = (await import(resolve(here, `${name}.ts`))) as { run(args: string[]): Promise<object> };
  console.error(`bench: ${name} ...`);
  const result = { bench: name, date: new Date().toISOString(), node: process.version, ...(await mod.run(flags)) };
  const out = resolve(here, 'results', `${name}-${result.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result));
  console.error(`bench: ${name} → ${out}`);
}
process.exitCode = failed ? 1 : 0;
