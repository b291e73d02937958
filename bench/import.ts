// Import throughput (jets/s, median of a few runs) per format and peak RSS vs the decoded data size.
// Each measurement runs `readJets` in a fresh child process so its peak RSS is its own. Files: the shared Pythia
// HDF5 and ROOT files, plus generated ones in a temp dir: a 1M-jet HDF5 plain array ([1e6, 40, 3] float32, zero-padded,
// uncompressed by default, --gzip for gzip-4 + shuffle-free chunks), .npy and CSV.
// Usage: npm run bench -- import [--jets=N] [--runs=N] [--gzip] [--keep]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import h5wasm from '../src-main/util/h5wasm.ts';

const SHARED = resolve(import.meta.dirname, '../../shared/data');
const P = 40;

interface ChildResult {
  seconds: number;
  /** CPU time of the read (user + system; > seconds when worker threads help, < when the machine is loaded). */
  cpuSeconds: number;
  jets: number;
  constituents: number;
  decodedBytes: number;
  baselineRssMB: number;
  peakRssMB: number;
  format: string;
}

/** Child mode: `node --import tsx bench/import.ts --child <file> [collection]` reads once and prints one JSON line. */
async function child(file: string, collection?: string): Promise<void> {
  const { readJets } = await import('../src-main/data/read.ts');
  await h5wasm.ready;
  // warm the reader's modules and JIT on a small read of the same file, so the timing is the import itself
  await readJets(file, { ...(collection ? { collection } : {}), maxJets: 2000 });
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const jets = await readJets(file, collection ? { collection } : {});
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const n = jets.offsets[jets.nJets]!;
  const decoded = jets.offsets.byteLength + 4 * n * (jets.energy ? 4 : 3) + (jets.label?.byteLength ?? 0);
  const out: ChildResult = {
    seconds,
    cpuSeconds,
    jets: jets.nJets,
    constituents: n,
    decodedBytes: decoded,
    baselineRssMB: baseline / 2 ** 20,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    format: jets.source.format,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

function runChild(file: string, collection?: string): ChildResult {
  const args = ['--import', 'tsx', resolve(import.meta.dirname, 'import.ts'), '--child', file];
  if (collection) args.push(collection);
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : 0.5 * (s[s.length / 2 - 1]! + s[s.length / 2]!);
}

/** Deterministic jets: multiplicity 10..40 (mean ≈ 25), pT-ordered, zero rows after the last constituent. */
function fillBlock(block: Float32Array, first: number, count: number): number {
  block.fill(0);
  let n = 0;
  for (let j = 0; j < count; j++) {
    const g = first + j;
    const m = 10 + ((g * 2654435761) >>> 0) % 31;
    for (let p = 0; p < m; p++) {
      const o = (j * P + p) * 3;
      block[o] = 300 / (p + 1) + (g % 7);
      block[o + 1] = 0.01 * ((g + 3 * p) % 80) - 0.4;
      block[o + 2] = 0.01 * ((g * 7 + p) % 600) - 3;
    }
    n += m;
  }
  return n;
}

export async function makeBigHdf5(path: string, nJets: number, gzip: boolean): Promise<void> {
  await h5wasm.ready;
  const f = new h5wasm.File(path, 'w');
  const CH = 8192;
  const ds = f.create_dataset({ name: 'particles', data: new Float32Array(0), shape: [0, P, 3], maxshape: [null, P, 3], chunks: [CH, P, 3], dtype: '<f', ...(gzip ? { compression: 4 } : {}) });
  const block = new Float32Array(CH * 8 * P * 3);
  const per = CH * 8;
  ds.resize([nJets, P, 3]);
  for (let first = 0; first < nJets; first += per) {
    const count = Math.min(per, nJets - first);
    fillBlock(block, first, count);
    ds.write_slice([[first, first + count]], count === per ? block : block.subarray(0, count * P * 3));
  }
  f.create_attribute('particle_features', 'pt,eta,phi');
  f.close();
}

export function makeNpy(path: string, nJets: number): void {
  const header0 = `{'descr': '<f4', 'fortran_order': False, 'shape': (${nJets}, ${P}, 3), }`;
  const pad = (64 - ((10 + header0.length + 1) % 64)) % 64;
  const header = header0 + ' '.repeat(pad) + '\n';
  const pre = Buffer.alloc(10 + header.length);
  pre.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  pre.writeUInt16LE(header.length, 8);
  pre.write(header, 10, 'latin1');
  const fd = openSync(path, 'w');
  writeSync(fd, pre);
  const per = 65536;
  const block = new Float32Array(per * P * 3);
  for (let first = 0; first < nJets; first += per) {
    const count = Math.min(per, nJets - first);
    fillBlock(block, first, count);
    writeSync(fd, new Uint8Array(block.buffer, 0, count * P * 3 * 4));
  }
  closeSync(fd);
}

function makeCsv(path: string, nJets: number): void {
  const block = new Float32Array(P * 3);
  const lines: string[] = ['jet_id,pt,eta,phi'];
  for (let j = 0; j < nJets; j++) {
    fillBlock(block, j, 1);
    for (let p = 0; p < P && block[p * 3] !== 0; p++) lines.push(`${j},${block[p * 3]},${block[p * 3 + 1]},${block[p * 3 + 2]}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

interface Case {
  name: string;
  file: string;
  collection?: string;
  target?: number;
}

export async function run(args: string[] = []): Promise<object> {
  const opt = (k: string, d: number) => Number(args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d);
  const nBig = opt('jets', 1_000_000);
  const runs = opt('runs', 3);
  const gzip = args.includes('--gzip');
  const dir = mkdtempSync(join(tmpdir(), 'ebm-hep-bench-import-'));
  try {
    const big = join(dir, `jets-${nBig}.h5`);
    console.error(`bench import: writing ${nBig} jets to ${big}${gzip ? ' (gzip)' : ''} ...`);
    await makeBigHdf5(big, nBig, gzip);
    const npy = join(dir, 'jets-200k.npy');
    makeNpy(npy, Math.min(nBig, 200_000));
    const csv = join(dir, 'jets-20k.csv');
    makeCsv(csv, 20_000);
    const cases: Case[] = [
      { name: `hdf5-array generated ${nBig} jets${gzip ? ' gzip' : ''}`, file: big, target: 200_000 },
      { name: 'npy generated 200k jets', file: npy },
      { name: 'csv generated 20k jets', file: csv },
    ];
    if (existsSync(SHARED)) {
      cases.push({ name: 'hdf5-array shared qcd.h5 (gzip-9+shuffle)', file: join(SHARED, 'pythia8/qcd.h5'), target: 200_000 });
      cases.push({ name: 'root-delphes shared Jet (10 events)', file: join(SHARED, 'root/delphes_tth_10ev.root'), collection: 'Jet', target: 50_000 });
      cases.push({ name: 'root-nanoaod shared FatJet (3 events)', file: join(SHARED, 'root/cms_pfnano_skim_qcd_3ev.root'), target: 50_000 });
    }
    const results = [];
    for (const c of cases) {
      const rs: ChildResult[] = [];
      for (let r = 0; r < runs; r++) rs.push(runChild(c.file, c.collection));
      const secs = median(rs.map((r) => r.seconds));
      const r0 = rs[0]!;
      const peak = median(rs.map((r) => r.peakRssMB));
      const base = median(rs.map((r) => r.baselineRssMB));
      const decodedMB = r0.decodedBytes / 2 ** 20;
      const row = {
        case: c.name,
        format: r0.format,
        fileMB: +(statSync(c.file).size / 2 ** 20).toFixed(1),
        jets: r0.jets,
        constituents: r0.constituents,
        secondsMedian: +secs.toFixed(3),
        jetsPerSecond: Math.round(r0.jets / secs),
        jetsPerCpuSecond: Math.round(r0.jets / median(rs.map((r) => r.cpuSeconds))),
        constituentsPerSecond: Math.round(r0.constituents / secs),
        decodedMB: +decodedMB.toFixed(1),
        peakRssMB: +peak.toFixed(0),
        baselineRssMB: +base.toFixed(0),
        peakRssOverDecoded: +(peak / decodedMB).toFixed(2),
        peakRssAboveBaselineOverDecoded: +((peak - base) / decodedMB).toFixed(2),
        ...(c.target ? { targetJetsPerSecond: c.target, meetsTarget: r0.jets / secs >= c.target } : {}),
        runs: rs.map((r) => +r.seconds.toFixed(3)),
      };
      console.error(`bench import: ${c.name}: ${row.jetsPerSecond} jets/s, peak RSS ${row.peakRssMB} MB for ${row.decodedMB} MB decoded`);
      results.push(row);
    }
    // ROOT without the per-file open cost (streamer infos, keys): the tree loop alone, warm, in this process.
    const rootLoop = [];
    if (existsSync(SHARED)) {
      const { openRoot, describeRoot, readRootTree } = await import('../src-main/data/root.ts');
      for (const [file, collection] of [['root/delphes_tth_10ev.root', 'Jet'], ['root/delphes_tth_10ev.root', 'FatJet'], ['root/cms_pfnano_skim_qcd_3ev.root', 'FatJet']] as const) {
        const path = join(SHARED, file);
        const f = await openRoot(path);
        const secs: number[] = [];
        let jets = 0;
        let constituents = 0;
        for (let r = 0; r < 5; r++) {
          const { tree, desc } = await describeRoot(path, f, collection);
          const t0 = performance.now();
          const s = await readRootTree(path, tree, desc, { collection });
          secs.push((performance.now() - t0) / 1000);
          jets = s.nJets;
          constituents = s.offsets[s.nJets]!;
        }
        const med = median(secs.slice(1));
        rootLoop.push({ case: `${file} ${collection} (tree loop only, warm)`, jets, constituents, secondsMedian: +med.toFixed(4), jetsPerSecond: Math.round(jets / med), constituentsPerSecond: Math.round(constituents / med) });
        console.error(`bench import: ${file} ${collection} tree loop: ${Math.round(jets / med)} jets/s`);
      }
    }
    return { runs, rootLoop, loadAverage: loadavg().map((x) => +x.toFixed(1)), cores: cpus().length, note: 'Each run is a fresh child process; seconds = readJets only (module load excluded); ROOT files here are tiny (open overhead dominates).', results };
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]);
