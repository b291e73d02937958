// Importing a jet file for training: read + validate (readJets), then store it content-addressed in the data
// directory as `<datasets>/<sha256>.jets` (see jetfile.ts) with a JSON manifest `<sha256>.json`. Same content →
// same hash → no second copy. Files appear by rename only, so an interrupted import leaves nothing behind.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { readJets, type ReadOptions } from './read.ts';
import { contentHash, writeJetFile } from './jetfile.ts';
import type { JetSet } from './jetset.ts';
import { UserError } from '../util/errors.ts';

export interface ImportOptions extends Omit<ReadOptions, 'onProgress'> {
  /** Dataset name shown to the user (default: the file name without extension). */
  name?: string;
  /** Root of the local data directory (default `$EBM_HEP_HOME` or `~/.ebm-hep`); files go to `<dataDir>/datasets/`. */
  dataDir?: string;
  /** Exact directory for the dataset files (overrides dataDir; e.g. the store's own datasets directory). */
  datasetsDir?: string;
  onProgress?: (done: number, total: number, phase: 'reading' | 'hashing' | 'writing') => void;
}

/** What an import produced; the manifest JSON holds the same fields. */
export interface ImportedDataset {
  /** = contentHash: the dataset's identity. */
  id: string;
  name: string;
  sourcePath: string;
  /** Detected format, e.g. 'hdf5-array', 'root-delphes', 'csv'. */
  format: string;
  collection?: string;
  /** The `.jets` file holding the jets (read it with readJets or readJetFile). */
  filePath: string;
  manifestPath: string;
  labels: string[];
  labelCounts: Record<string, number>;
  nJets: number;
  nConstituents: number;
  /** sha256 of the constituents, offsets, labels and label names. */
  contentHash: string;
  featureMap: Record<string, string>;
  notes: string[];
  settings: { label?: string; maxJets?: number; collection?: string; skipEmpty?: boolean; featureMap?: Record<string, string> };
  importedAt: string;
  /** True when this content was already in the data directory (nothing was written). */
  duplicate: boolean;
  /** Files this call created (empty for a duplicate); a caller that fails to register them should delete them. */
  createdFiles: string[];
}

/** `$EBM_HEP_HOME`, else `~/.ebm-hep`. */
export function defaultDataDir(): string {
  return process.env.EBM_HEP_HOME ? resolve(process.env.EBM_HEP_HOME) : join(homedir(), '.ebm-hep');
}

export function datasetsDirOf(opts: Pick<ImportOptions, 'dataDir' | 'datasetsDir'> = {}): string {
  return opts.datasetsDir ? resolve(opts.datasetsDir) : join(opts.dataDir ? resolve(opts.dataDir) : defaultDataDir(), 'datasets');
}

/** Jets per class name (unlabelled jets under 'unlabelled'). */
export function labelCounts(jets: JetSet): Record<string, number> {
  const out: Record<string, number> = {};
  if (!jets.label || !jets.labelNames) {
    out.unlabelled = jets.nJets;
    return out;
  }
  for (const k of jets.label) {
    const name = k >= 0 ? (jets.labelNames[k] ?? String(k)) : 'unlabelled';
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

/** Writes `path` via a temp file in the same directory and a rename; the temp file is removed on failure. */
function atomicWrite(path: string, write: (tmp: string) => void): void {
  const tmp = `${path}.partial-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    write(tmp);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC' || e.code === 'EDQUOT') throw new UserError('RESOURCE', `no space left to write ${path}`, { where: path, hint: 'Free disk space or choose another --data-dir.', cause: err });
    if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS') throw new UserError('RESOURCE', `cannot write ${path} (${e.code})`, { where: path, hint: 'Choose a writable --data-dir (or set EBM_HEP_HOME).', cause: err });
    throw err;
  }
}

/** Reads, validates and stores a jet file; re-importing the same content returns the existing dataset. */
export async function importDataset(path: string, opts: ImportOptions = {}): Promise<ImportedDataset> {
  const sourcePath = resolve(path);
  const readOpts: ReadOptions = { onProgress: (d, t) => opts.onProgress?.(d, t, 'reading') };
  for (const k of ['collection', 'label', 'featureMap', 'maxJets', 'skipEmpty'] as const) if (opts[k] !== undefined) (readOpts as Record<string, unknown>)[k] = opts[k];
  const jets = await readJets(sourcePath, readOpts);

  opts.onProgress?.(0, 1, 'hashing');
  const hash = contentHash(jets);
  const dir = datasetsDirOf(opts);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UserError('RESOURCE', `cannot create the data directory ${dir} (${(err as NodeJS.ErrnoException).code})`, { where: dir, hint: 'Choose a writable --data-dir (or set EBM_HEP_HOME).', cause: err });
  }
  const filePath = join(dir, `${hash}.jets`);
  const manifestPath = join(dir, `${hash}.json`);
  if (existsSync(filePath) && existsSync(manifestPath)) {
    const existing = JSON.parse(readFileSync(manifestPath, 'utf8')) as ImportedDataset;
    return { ...existing, filePath, manifestPath, duplicate: true, createdFiles: [] };
  }

  const created: string[] = [];
  opts.onProgress?.(0, 1, 'writing');
  if (!existsSync(filePath)) {
    atomicWrite(filePath, (tmp) => writeJetFile(tmp, jets));
    created.push(filePath);
  }
  const settings: ImportedDataset['settings'] = {};
  if (opts.label) settings.label = opts.label;
  if (opts.maxJets) settings.maxJets = opts.maxJets;
  if (opts.collection) settings.collection = opts.collection;
  if (opts.skipEmpty) settings.skipEmpty = true;
  if (opts.featureMap) settings.featureMap = opts.featureMap as Record<string, string>;
  const counts = labelCounts(jets);
  const record: ImportedDataset = {
    id: hash,
    name: opts.name ?? basename(sourcePath).replace(/\.[^.]+$/, ''),
    sourcePath,
    format: jets.source.format,
    ...(jets.source.collection ? { collection: jets.source.collection } : {}),
    filePath,
    manifestPath,
    labels: Object.keys(counts).filter((k) => k !== 'unlabelled'),
    labelCounts: counts,
    nJets: jets.nJets,
    nConstituents: jets.offsets[jets.nJets]!,
    contentHash: hash,
    featureMap: jets.source.featureMap,
    notes: jets.source.notes,
    settings,
    importedAt: new Date().toISOString(),
    duplicate: false,
    createdFiles: [],
  };
  try {
    const { createdFiles: _c, duplicate: _d, ...manifest } = record;
    atomicWrite(manifestPath, (tmp) => writeFileSync(tmp, JSON.stringify(manifest, null, 2) + '\n'));
    created.push(manifestPath);
  } catch (err) {
    for (const f of created) rmSync(f, { force: true });
    throw err;
  }
  return { ...record, createdFiles: created };
}
