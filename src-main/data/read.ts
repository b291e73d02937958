// The single entry point for jet files: detects the format from the content (magic bytes, not the extension)
// and dispatches to the HDF5, ROOT, NumPy or CSV reader, which all return one validated JetSet.
import { open, stat } from 'node:fs/promises';
import type { JetSet } from './jetset.ts';
import type { FeatureMap } from './features.ts';
import { badFile, UserError } from '../util/errors.ts';

export type { FeatureMap } from './features.ts';

export interface ReadOptions {
  /** Dataset / tree / collection inside the file (e.g. 'particles', 'FatJet'); detected when omitted. */
  collection?: string;
  /** Class name assigned to every jet (overrides labels stored in the file). */
  label?: string;
  /** Explicit mapping of stored columns/branches/features to constituent quantities. */
  featureMap?: FeatureMap;
  /** Read at most this many jets (the first ones). */
  maxJets?: number;
  /** Drop jets without constituents (noted in source.notes) instead of failing. */
  skipEmpty?: boolean;
  /** Progress in jets. */
  onProgress?: (done: number, total: number) => void;
}

/** 'jets' is ebm-hep's own imported-dataset file (jetfile.ts). */
export type Container = 'hdf5' | 'root' | 'npy' | 'npz' | 'csv' | 'jets';

export interface FormatInfo {
  /** File container recognised from its first bytes. */
  container: Container;
  /** Jet layout inside it when known without reading the data (e.g. 'hdf5-array', 'root-delphes'). */
  layout?: string;
  /** Candidate jet collections (datasets, trees, collections) found. */
  collections?: string[];
  sizeBytes: number;
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(buf: Uint8Array, at: number, sig: ArrayLike<number>): boolean {
  if (buf.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (buf[at + i] !== sig[i]) return false;
  return true;
}

async function head(path: string): Promise<{ bytes: Uint8Array; size: number }> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    throw new UserError('NOT_FOUND', `${path}: no such file`, { where: path, hint: 'Check the path.', cause: err });
  }
  if (!st.isFile()) throw badFile(path, 'is not a regular file', 'Give the path of a jet file (HDF5, ROOT, .npy/.npz or CSV).');
  if (st.size === 0) throw badFile(path, 'is empty (0 bytes)', 'The file was not written completely: produce or copy it again.');
  const fh = await open(path, 'r');
  try {
    const bytes = new Uint8Array(Math.min(st.size, 4096));
    await fh.read(bytes, 0, bytes.length, 0);
    // HDF5 allows a user block of 512·2^k bytes before the superblock.
    if (!startsWith(bytes, 0, HDF5_MAGIC) && st.size > 512) {
      for (let at = 512; at < st.size && at <= 1 << 20; at *= 2) {
        const sig = new Uint8Array(8);
        await fh.read(sig, 0, 8, at);
        if (startsWith(sig, 0, HDF5_MAGIC)) return { bytes: Uint8Array.from(HDF5_MAGIC), size: st.size };
      }
    }
    return { bytes, size: st.size };
  } finally {
    await fh.close();
  }
}

/** Recognises the container from the first bytes; text that is neither is taken as CSV. */
export function containerFromBytes(path: string, b: Uint8Array): Container {
  if (startsWith(b, 0, HDF5_MAGIC)) return 'hdf5';
  if (startsWith(b, 0, [0x45, 0x42, 0x4d, 0x4a, 0x45, 0x54, 0x53, 0x00])) return 'jets'; // 'EBMJETS\0'
  if (startsWith(b, 0, [0x72, 0x6f, 0x6f, 0x74])) return 'root'; // 'root'
  if (startsWith(b, 0, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return 'npy'; // '\x93NUMPY'
  if (startsWith(b, 0, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, 0, [0x50, 0x4b, 0x05, 0x06])) return 'npz'; // 'PK'
  let bad = 0;
  for (const c of b) if (c === 0 || (c < 9) || (c > 13 && c < 32)) bad++;
  if (bad === 0) return 'csv';
  throw badFile(
    path,
    'is not a recognised jet file (not HDF5, ROOT, NumPy .npy/.npz, or CSV text)',
    'Convert it to one of the supported formats; if it should be one of them, it is corrupt: copy it again.',
  );
}

/** Detects the file's format from its content; for HDF5 also the jet layout and collections. */
export async function detectFormat(path: string): Promise<FormatInfo> {
  try {
    return await detect(path);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw badFile(path, `could not be read (${(err as Error)?.message ?? String(err)})`, 'The file is damaged or not in a supported layout: copy it again.', err);
  }
}

async function detect(path: string): Promise<FormatInfo> {
  const { bytes, size } = await head(path);
  const container = containerFromBytes(path, bytes);
  const info: FormatInfo = { container, sizeBytes: size };
  if (container === 'hdf5') {
    const { openHdf5, detectHdf5Layout, asHdf5Error } = await import('./hdf5.ts');
    const f = await openHdf5(path);
    try {
      const lay = detectHdf5Layout(path, f);
      info.layout = lay.layout;
      info.collections = lay.collections;
    } catch (err) {
      throw asHdf5Error(path, err);
    } finally {
      f.close();
    }
  } else if (container === 'root') {
    const { openRoot, describeRoot } = await import('./root.ts');
    const { desc } = await describeRoot(path, await openRoot(path));
    info.layout = desc.layout;
    info.collections = desc.layout === 'root-tree' ? [desc.tree] : desc.collections;
  } else {
    info.layout = container;
  }
  return info;
}

/** Reads jets from any supported file into one validated JetSet. Every failure is a UserError naming the file. */
export async function readJets(path: string, opts: ReadOptions = {}): Promise<JetSet> {
  try {
    return await dispatch(path, opts);
  } catch (err) {
    if (err instanceof UserError) throw err;
    if (err instanceof RangeError && /allocation|memory/i.test(err.message)) {
      throw new UserError('RESOURCE', `${path}: out of memory while reading`, { where: path, hint: 'Read fewer jets (--max-jets) or free memory.', cause: err });
    }
    throw badFile(path, `could not be read (${(err as Error)?.message ?? String(err)})`, 'The file is damaged or not in a supported layout: check it with `ebm-hep inspect`, or copy it again.', err);
  }
}

async function dispatch(path: string, opts: ReadOptions): Promise<JetSet> {
  const { bytes } = await head(path);
  const container = containerFromBytes(path, bytes);
  if (opts.maxJets !== undefined && !(opts.maxJets > 0)) throw new UserError('BAD_INPUT', `maxJets must be positive (got ${opts.maxJets})`, { where: path });
  switch (container) {
    case 'hdf5': {
      const { readHdf5 } = await import('./hdf5.ts');
      return readHdf5(path, opts);
    }
    case 'root': {
      const { readRoot } = await import('./root.ts');
      return readRoot(path, opts);
    }
    case 'jets': {
      const { readJetFile } = await import('./jetfile.ts');
      const jets = readJetFile(path);
      return opts.maxJets !== undefined && opts.maxJets < jets.nJets ? firstJets(jets, opts.maxJets) : jets;
    }
    case 'npy': {
      const { readNpy } = await import('./npy.ts');
      return readNpy(path, opts);
    }
    case 'npz': {
      const { readNpz } = await import('./npy.ts');
      return readNpz(path, opts);
    }
    case 'csv': {
      const { readCsv } = await import('./csv.ts');
      return readCsv(path, opts);
    }
    default:
      throw new UserError('UNSUPPORTED', `${path}: ${container} files are not read yet`, { where: path });
  }
}

/** The first n jets of a set (views, no copy). */
function firstJets(jets: JetSet, n: number): JetSet {
  const end = jets.offsets[n]!;
  const out: JetSet = { ...jets, nJets: n, offsets: jets.offsets.subarray(0, n + 1), pt: jets.pt.subarray(0, end), eta: jets.eta.subarray(0, end), phi: jets.phi.subarray(0, end) };
  if (jets.energy) out.energy = jets.energy.subarray(0, end);
  if (jets.label) out.label = jets.label.subarray(0, n);
  if (jets.stored) out.stored = Object.fromEntries(Object.entries(jets.stored).map(([k, v]) => [k, v?.subarray(0, n)]));
  out.source = { ...jets.source, notes: [...jets.source.notes, `Read the first ${n} of ${jets.nJets} jets (maxJets).`] };
  return out;
}
