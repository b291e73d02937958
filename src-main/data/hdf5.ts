// HDF5 jet readers via h5wasm: dense [jets, particles, features] arrays (the shared Pythia files, JetNet's
// `particle_features`), read in hyperslab chunks with progress so large files never sit in memory twice.
import h5wasm from '../util/h5wasm.ts';
import type { JetSet, JetSource } from './jetset.ts';
import { breathe, JetSetBuilder } from './builder.ts';
import { describeMapping, featureAxis, fillFromRows, parseLabelNames, parseNameList, resolveRowMapping, type FeatureMap, type RelativeToJet } from './features.ts';
import { badFile, UserError } from '../util/errors.ts';

export type H5File = InstanceType<typeof h5wasm.File>;
type H5Dataset = InstanceType<typeof h5wasm.Dataset>;
type H5Group = InstanceType<typeof h5wasm.Group>;

export interface Hdf5ReadOptions {
  collection?: string;
  label?: string;
  featureMap?: FeatureMap;
  maxJets?: number;
  skipEmpty?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Jets per hyperslab read at most; reads are also capped at READ_CHUNK_BYTES of raw data. */
export const HDF5_CHUNK_JETS = 65536;
/** Raw bytes per read: bounds the transient memory (wasm heap + JS copy) of one chunk. */
export const READ_CHUNK_BYTES = 16 << 20;

/** Opens an HDF5 file read-only; HDF5's diagnostics become one UserError naming the file instead of stderr noise. */
export async function openHdf5(path: string): Promise<H5File> {
  try {
    return new h5wasm.File(path, 'r');
  } catch (err) {
    throw badFile(path, `cannot open as HDF5 (${hdf5Reason(err)})`, 'The file is truncated or corrupt: copy or download it again.', err);
  }
}

/** The most specific line of an HDF5 error stack, e.g. "truncated file: eof = 300000, ... stored_eof = 1031736". */
export function hdf5Reason(err: unknown): string {
  const text = String((err as Error)?.message ?? err);
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = [...lines].reverse().find((l) => /\(\):/.test(l)) ?? lines[lines.length - 1] ?? 'unknown error';
  return last.replace(/^#\d+:\s*\S+\s+line\s+\d+\s+in\s+/, '').slice(0, 200);
}

/** Any HDF5 library failure (damaged metadata, failed filter, …) as one UserError naming the file. */
export function asHdf5Error(path: string, err: unknown): UserError {
  if (err instanceof UserError) return err;
  return badFile(path, `cannot read as HDF5 (${hdf5Reason(err)})`, 'The file is truncated or corrupt: copy or download it again.', err);
}

/** Reads rows [start, end) of a dataset's first axis, turning HDF5 read failures into a UserError. */
export function readRows(path: string, ds: H5Dataset, start: number, end: number): ArrayLike<number> {
  try {
    const v = ds.slice([[start, end]]);
    if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v, Number);
    if (!ArrayBuffer.isView(v)) throw new Error(`non-numeric data in ${ds.path}`);
    return v as unknown as ArrayLike<number>;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw badFile(path, `cannot read ${ds.path} rows ${start}–${end} (${hdf5Reason(err)})`, 'The file is truncated or corrupt: copy or download it again.', err);
  }
}

function isDataset(x: unknown): x is H5Dataset {
  return x instanceof h5wasm.Dataset;
}
function isGroup(x: unknown): x is H5Group {
  return x instanceof h5wasm.Group;
}

function attr(obj: H5Dataset | H5Group, name: string): unknown {
  try {
    return obj.attrs[name] ? obj.get_attribute(name, true) : undefined;
  } catch {
    return undefined;
  }
}

/** Numeric (integer or float) datasets only; compound/string ones are a different layout. */
function isNumeric(ds: H5Dataset): boolean {
  const t = ds.metadata.type;
  return t === 0 || t === 1;
}

/** All datasets and groups, as paths, to describe a file and find layouts. */
function walk(g: H5Group, prefix = '', out: { datasets: string[]; groups: string[] } = { datasets: [], groups: [] }, depth = 0) {
  for (const k of g.keys()) {
    const p = prefix ? `${prefix}/${k}` : k;
    const e = g.get(k);
    if (isDataset(e)) out.datasets.push(p);
    else if (isGroup(e) && depth < 4) {
      out.groups.push(p);
      walk(e, p, out, depth + 1);
    }
  }
  return out;
}

export interface Hdf5Layout {
  layout: 'hdf5-array' | 'hdf5-pandas-fixed' | 'hdf5-pandas-table';
  /** Dataset (array layout) or pandas key (pandas layouts) to read. */
  collection: string;
  /** Every candidate collection in the file. */
  collections: string[];
}

const PREFERRED = ['particles', 'particle_features', 'constituents', 'jetConstituentList', 'x', 'X', 'data'];

/** Finds what jets the file holds: pandas frames (fixed or table) or dense rank-3 arrays. */
export function detectHdf5Layout(path: string, f: H5File, collection?: string): Hdf5Layout {
  const { datasets, groups } = walk(f);
  const pandasFixed = groups.filter((g) => datasets.includes(`${g}/block0_values`) && datasets.includes(`${g}/block0_items`));
  const pandasTable = groups.filter((g) => {
    const t = f.get(`${g}/table`);
    return isDataset(t) && t.metadata.type === 6;
  });
  const arrays = datasets.filter((d) => {
    const e = f.get(d);
    return isDataset(e) && isNumeric(e) && (e.shape?.length ?? 0) === 3;
  });
  const collections = [...pandasFixed, ...pandasTable, ...arrays];
  const pick = (name: string): Hdf5Layout | null => {
    if (pandasFixed.includes(name)) return { layout: 'hdf5-pandas-fixed', collection: name, collections };
    if (pandasTable.includes(name)) return { layout: 'hdf5-pandas-table', collection: name, collections };
    if (arrays.includes(name)) return { layout: 'hdf5-array', collection: name, collections };
    return null;
  };
  if (collection) {
    const hit = pick(collection.replace(/^\//, ''));
    if (hit) return hit;
    throw new UserError('NOT_FOUND', `${path}: no jet collection '${collection}' (found: ${collections.join(', ') || 'none'})`, {
      where: path,
      hint: collections.length ? `Use --collection with one of: ${collections.join(', ')}.` : 'The file holds no [jets, particles, features] array or pandas frame.',
    });
  }
  for (const name of [...pandasFixed, ...pandasTable, ...PREFERRED.filter((p) => arrays.includes(p)), ...arrays]) {
    const hit = pick(name);
    if (hit) return hit;
  }
  const ranks = datasets.map((d) => {
    const e = f.get(d);
    return isDataset(e) ? `${d} ${JSON.stringify(e.shape)}` : d;
  });
  throw badFile(
    path,
    `no jet constituents found: expected a [jets, particles, features] dataset or a pandas frame (datasets: ${ranks.join(', ') || 'none'})`,
    'Store constituents as one [n, particles, features] array, or name the dataset with --collection.',
  );
}

/** Reads an HDF5 file of jets (layout detected from its content). */
export async function readHdf5(path: string, opts: Hdf5ReadOptions = {}): Promise<JetSet> {
  const f = await openHdf5(path);
  try {
    const lay = detectHdf5Layout(path, f, opts.collection);
    if (lay.layout === 'hdf5-array') return await readDenseArray(path, f, lay.collection, opts);
    const { readPandas } = await import('./hdf5-pandas.ts');
    return await readPandas(path, f, lay, opts);
  } catch (err) {
    throw asHdf5Error(path, err);
  } finally {
    f.close();
  }
}

/** Label value → class index and names, from a per-jet label dataset and the file's label-name attributes. */
/** Class index per jet from one-hot (or score) rows [n, k]: the argmax of each row, first maximum wins. */
export function oneHotToClass(values: ArrayLike<number>, n: number, k: number): Int32Array {
  const arg = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (values[j * k + c]! > values[j * k + best]!) best = c;
    arg[j] = best;
  }
  return arg;
}

export function labelIndexer(values: ArrayLike<number>, names: Map<number, string> | null): { index: Int32Array; names: string[] } {
  const distinct = [...new Set(Array.from(values, Number))].sort((a, b) => a - b);
  const order = names ? [...new Set([...names.keys(), ...distinct])].sort((a, b) => a - b) : distinct;
  const pos = new Map(order.map((v, i) => [v, i]));
  const index = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) index[i] = pos.get(Number(values[i]))!;
  return { index, names: order.map((v) => names?.get(v) ?? String(v)) };
}

function readWhole(path: string, ds: H5Dataset, n: number): ArrayLike<number> {
  return readRows(path, ds, 0, n);
}

const JETNET_JET_FEATURES_5 = ['type', 'pt', 'eta', 'mass', 'num_particles'];
const JETNET_JET_FEATURES_4 = ['pt', 'eta', 'mass', 'num_particles'];
const JETNET_TYPES = ['g', 'q', 't', 'w', 'z'];

async function readDenseArray(path: string, f: H5File, name: string, opts: Hdf5ReadOptions): Promise<JetSet> {
  const ds = f.get(name) as H5Dataset;
  const [nAll, dimA, dimB] = ds.shape as [number, number, number];
  const n = Math.min(nAll, opts.maxJets ?? Infinity);
  const notes: string[] = [];
  const jetnet = /particle_features$/.test(name);
  const names = parseNameList(attr(ds, 'features')) ?? parseNameList(attr(ds, 'feature_names')) ?? parseNameList(attr(ds, 'columns')) ?? parseNameList(attr(f, 'particle_features')) ?? parseNameList(attr(f, 'features'));
  const featuresFirst = featureAxis(dimA, dimB, names) === 'middle';
  const [nParticles, nFeatures] = featuresFirst ? [dimB, dimA] : [dimA, dimB];
  if (featuresFirst) notes.push(`${name} is laid out [jets, features, particles] = [${nAll}, ${dimA}, ${dimB}]; read accordingly.`);
  const defaultOrder = jetnet ? ['etarel', 'phirel', 'ptrel', 'mask'] : ['pt', 'eta', 'phi', 'e'];
  if (!names && !opts.featureMap) notes.push(`Feature names not stored; assumed (${defaultOrder.slice(0, nFeatures).join(', ')}).`);
  const m = resolveRowMapping(`${path}:${name}`, nFeatures, names, opts.featureMap, defaultOrder);
  if (ds.metadata.type !== 1) notes.push(`${name} stores integers (${ds.dtype}); converted to float.`);

  // Per-jet datasets next to the constituents.
  const parent = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';
  const sibling = (k: string): H5Dataset | null => {
    const e = f.get(parent + k);
    return isDataset(e) && isNumeric(e) && e.shape?.[0] === nAll ? e : null;
  };

  // Relative (JetNet) features: ptrel × jet pT, etarel + jet η, when the jet kinematics are stored.
  let rel: RelativeToJet | undefined;
  let jetnetType: ArrayLike<number> | undefined;
  const relNames = m.kind === 'ptetaphi' && /rel$/i.test(m.names[m.pt]!);
  const jetFeatures = sibling('jet_features');
  if (jetFeatures && (jetFeatures.shape?.length ?? 0) === 2) {
    const nj = jetFeatures.shape![1]!;
    const jn = parseNameList(attr(jetFeatures, 'features')) ?? parseNameList(attr(f, 'jet_features_names')) ?? (nj === 5 ? JETNET_JET_FEATURES_5 : nj === 4 ? JETNET_JET_FEATURES_4 : null);
    if (jn) {
      const all = readWhole(path, jetFeatures, n);
      const col = (k: string) => {
        const i = jn.indexOf(k);
        if (i < 0) return undefined;
        const out = new Float32Array(n);
        for (let j = 0; j < n; j++) out[j] = all[j * nj + i]!;
        return out;
      };
      const pt = col('pt'), eta = col('eta');
      if (relNames && pt && eta) {
        rel = { jetPt: pt, jetEta: eta };
        notes.push('Relative features (JetNet): pT = ptrel × jet pT, η = etarel + jet η, φ = phirel (jet φ not stored, taken as 0).');
      }
      jetnetType = col('type');
    }
  }
  if (relNames && !rel) notes.push('Features are relative to the jet (ptrel, etarel, phirel) and no jet kinematics are stored: kept as-is.');

  // Labels: user-given class, else a per-jet label dataset (names from attributes), else JetNet's jet type.
  let label: Int32Array | undefined;
  let labelNames: string[] | undefined;
  if (opts.label) {
    labelNames = [opts.label];
  } else {
    const labelDs = (opts.featureMap?.label ? sibling(opts.featureMap.label) : null) ?? sibling('label') ?? sibling('labels') ?? sibling('y') ?? sibling('is_signal_new');
    if (labelDs) {
      let values = readWhole(path, labelDs, n);
      const shape = labelDs.shape!;
      if (shape.length === 2 && shape[1]! > 1) {
        values = oneHotToClass(values, n, shape[1]!);
      }
      const names = parseLabelNames(attr(labelDs, 'labels')) ?? parseLabelNames(attr(labelDs, 'names')) ?? parseLabelNames(attr(f, 'labels')) ?? parseLabelNames(attr(f, 'label_names'));
      const li = labelIndexer(values, names);
      label = li.index;
      labelNames = li.names;
    } else if (jetnetType) {
      const li = labelIndexer(jetnetType, new Map(JETNET_TYPES.map((t, i) => [i, t])));
      label = li.index;
      labelNames = li.names;
    }
  }

  const b = new JetSetBuilder(path, { hasEnergy: m.kind === 'epxpypz' || m.energy >= 0, hasLabel: labelNames !== undefined, skipEmpty: opts.skipEmpty });
  const labelOf = opts.label ? () => 0 : label ? (j: number) => label[j]! : () => -1;
  let chunk = Math.max(1, Math.min(HDF5_CHUNK_JETS, Math.floor(READ_CHUNK_BYTES / Math.max(1, nParticles * nFeatures * ds.metadata.size))));
  // Whole storage chunks per read: a compressed chunk cut by two reads would be inflated twice (chunks often
  // exceed HDF5's 1 MB chunk cache).
  const stored = ds.metadata.chunks?.[0];
  if (stored && stored > 0) chunk = Math.max(1, Math.round(chunk / stored)) * stored;
  opts.onProgress?.(0, n);
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const rows = readRows(path, ds, start, end);
    fillFromRows(b, rows, end - start, nParticles, nFeatures, m, start, labelOf, rel, featuresFirst);
    if (start === 0 && end < n) b.reserve((b.nConstituents / end) * n * 1.02 + nParticles); // extrapolate from the first chunk
    opts.onProgress?.(end, n);
    if (end < n) await breathe();
  }
  if (n < nAll) notes.push(`Read the first ${n} of ${nAll} jets (maxJets).`);

  const source: JetSource = { path, format: 'hdf5-array', collection: name, featureMap: describeMapping(m, name, featuresFirst), notes };
  const set = b.finish(source, labelNames);
  attachStored(path, f, set, b.keptIndices(), n, sibling, attr);
  return set;
}

/** Per-jet stored quantities (FastJet jet kinematics, full multiplicity), subset to the jets kept. */
function attachStored(
  path: string,
  f: H5File,
  set: JetSet,
  kept: Int32Array,
  n: number,
  sibling: (k: string) => H5Dataset | null,
  getAttr: (o: H5File, k: string) => unknown,
): void {
  const stored: NonNullable<JetSet['stored']> = {};
  const jets = sibling('jets');
  if (jets && jets.shape?.length === 2) {
    const k = jets.shape[1]!;
    const jn = parseNameList(attr(jets, 'features')) ?? parseNameList(getAttr(f, 'jet_features')) ?? ['pt', 'eta', 'phi', 'mass'].slice(0, k);
    const all = readWhole(path, jets, n);
    const col = (name: string) => {
      const i = jn.indexOf(name);
      if (i < 0 || i >= k) return undefined;
      const out = new Float32Array(kept.length);
      for (let j = 0; j < kept.length; j++) out[j] = all[kept[j]! * k + i]!;
      return out;
    };
    stored.ptGeV = col('pt');
    stored.etaJet = col('eta');
    stored.phiJet = col('phi');
    stored.massGeV = col('mass');
    set.source.featureMap.jet = `jets (${jn.join(', ')}), stored as-is`;
  }
  const nc = sibling('n_constituents');
  if (nc) {
    const all = readWhole(path, nc, n);
    stored.nConstituents = Int32Array.from(kept, (j) => Number(all[j]));
  }
  for (const key of Object.keys(stored) as (keyof typeof stored)[]) if (stored[key] === undefined) delete stored[key];
  if (Object.keys(stored).length) set.stored = stored;
}
