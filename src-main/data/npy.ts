// NumPy .npy (hand-written: every numeric dtype, float16, big-endian, Fortran order) and .npz (zip via fflate)
// readers of dense [jets, particles, features] constituent arrays with optional per-jet label arrays.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { JetSet, JetSource } from './jetset.ts';
import { breathe, JetSetBuilder } from './builder.ts';
import { describeMapping, featureAxis, fillFromRows, resolveRowMapping, type FeatureMap } from './features.ts';
import { labelIndexer, oneHotToClass, READ_CHUNK_BYTES } from './hdf5.ts';
import { badFile, UserError } from '../util/errors.ts';

export interface NpyReadOptions {
  collection?: string;
  label?: string;
  featureMap?: FeatureMap;
  maxJets?: number;
  skipEmpty?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Header of a .npy array. */
export interface NpyHeader {
  /** NumPy dtype string, e.g. '<f4', '>i8', '|b1'. */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data. */
  dataOffset: number;
  kind: 'f' | 'i' | 'u' | 'b';
  itemSize: number;
  littleEndian: boolean;
}

/** Random access to the bytes of an array (a file on disk or a member of an .npz held in memory). */
interface ByteSource {
  size: number;
  read(offset: number, length: number): Uint8Array;
}

function fileSource(fd: number): ByteSource {
  return {
    size: fstatSync(fd).size,
    read(offset, length) {
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return got === length ? buf : buf.subarray(0, got);
    },
  };
}

function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

/** Parses the .npy header (format versions 1.0, 2.0, 3.0). */
export function parseNpyHeader(where: string, src: ByteSource): NpyHeader {
  const pre = src.read(0, 12);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (pre.length < 10 || magic.some((b, i) => pre[i] !== b)) throw badFile(where, 'not a NumPy .npy array (bad magic bytes)', 'Save the array with numpy.save, or check the file is not corrupt.');
  const major = pre[6]!;
  const dv = new DataView(pre.buffer, pre.byteOffset, pre.byteLength);
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (major < 1 || major > 3 || start + headerLen > src.size) throw badFile(where, `.npy header is damaged (version ${major}, header length ${headerLen})`, 'The file is truncated or corrupt: save or copy it again.');
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(src.read(start, headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    if (/'descr'\s*:\s*\[/.test(text)) throw new UserError('UNSUPPORTED', `${where}: structured (record) dtypes are not supported`, { where, hint: 'Save a plain numeric [jets, particles, features] array instead.' });
    throw badFile(where, `.npy header is not understood: ${text.trim().slice(0, 120)}`, 'Save the array with numpy.save.');
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (!m || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new UserError('UNSUPPORTED', `${where}: unsupported dtype '${descr}'`, { where, hint: 'Use a float (f2/f4/f8), integer or bool array.' });
  }
  const kind = m[2] as NpyHeader['kind'];
  const itemSize = Number(m[3]);
  const ok = kind === 'f' ? [2, 4, 8].includes(itemSize) : kind === 'b' ? itemSize === 1 : [1, 2, 4, 8].includes(itemSize);
  if (!ok) throw new UserError('UNSUPPORTED', `${where}: unsupported dtype '${descr}'`, { where, hint: 'Use a float (f2/f4/f8), integer or bool array.' });
  const expected = shape.reduce((a, b) => a * b, 1) * itemSize;
  const dataOffset = start + headerLen;
  if (src.size - dataOffset < expected) {
    throw badFile(where, `truncated: the header promises ${expected} bytes of data for shape (${shape.join(', ')}) but only ${src.size - dataOffset} are present`, 'The file was not written completely: save or copy it again.');
  }
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset, kind, itemSize, littleEndian: m[1] !== '>' };
}

/** IEEE half → float. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? Number.NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Decodes raw bytes of `count` elements into numbers (Float32Array for f2/f4, Float64Array otherwise). */
export function decodeNpy(h: Pick<NpyHeader, 'kind' | 'itemSize' | 'littleEndian'>, bytes: Uint8Array, count: number): Float32Array | Float64Array {
  const { kind, itemSize, littleEndian } = h;
  // Fast path: native little-endian float32 — a view when aligned (fresh file reads are), else one aligned copy.
  if (kind === 'f' && itemSize === 4 && littleEndian) {
    return bytes.byteOffset % 4 === 0 ? new Float32Array(bytes.buffer, bytes.byteOffset, count) : new Float32Array(bytes.slice(0, count * 4).buffer);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = littleEndian;
  if (kind === 'f' && itemSize <= 4) {
    const out = new Float32Array(count);
    if (itemSize === 2) for (let i = 0; i < count; i++) out[i] = halfToFloat(dv.getUint16(2 * i, le));
    else for (let i = 0; i < count; i++) out[i] = dv.getFloat32(4 * i, le);
    return out;
  }
  const out = new Float64Array(count);
  if (kind === 'f') for (let i = 0; i < count; i++) out[i] = dv.getFloat64(8 * i, le);
  else if (kind === 'b') for (let i = 0; i < count; i++) out[i] = bytes[i]! ? 1 : 0;
  else if (itemSize === 1) for (let i = 0; i < count; i++) out[i] = kind === 'i' ? dv.getInt8(i) : dv.getUint8(i);
  else if (itemSize === 2) for (let i = 0; i < count; i++) out[i] = kind === 'i' ? dv.getInt16(2 * i, le) : dv.getUint16(2 * i, le);
  else if (itemSize === 4) for (let i = 0; i < count; i++) out[i] = kind === 'i' ? dv.getInt32(4 * i, le) : dv.getUint32(4 * i, le);
  else for (let i = 0; i < count; i++) out[i] = Number(kind === 'i' ? dv.getBigInt64(8 * i, le) : dv.getBigUint64(8 * i, le));
  return out;
}

/** One array inside a .npy or .npz, readable by leading-axis row ranges. */
class NpyArray {
  constructor(
    readonly where: string,
    readonly header: NpyHeader,
    private readonly src: ByteSource,
  ) {}
  get shape(): number[] {
    return this.header.shape;
  }
  /** Elements per leading-axis row. */
  get rowSize(): number {
    return this.header.shape.slice(1).reduce((a, b) => a * b, 1);
  }
  /** Rows [start, end) in C order. Fortran-ordered arrays are transposed (they are read whole: a note says so). */
  rows(start: number, end: number): Float32Array | Float64Array {
    const h = this.header;
    const rs = this.rowSize;
    if (!h.fortranOrder || h.shape.length <= 1) {
      const bytes = this.src.read(h.dataOffset + start * rs * h.itemSize, (end - start) * rs * h.itemSize);
      return decodeNpy(h, bytes, (end - start) * rs);
    }
    const all = this.allFortran();
    const dims = h.shape;
    const n = dims[0]!;
    const out = new (all instanceof Float32Array ? Float32Array : Float64Array)((end - start) * rs);
    // C index (j, rest...) ← Fortran index j + n·(flattened rest in Fortran order)
    const rest = dims.slice(1);
    const idx = new Array<number>(rest.length).fill(0);
    for (let r = 0; r < rs; r++) {
      // r is the C-order flat index over rest; its Fortran flat index:
      let rem = r;
      for (let k = rest.length - 1; k >= 0; k--) {
        idx[k] = rem % rest[k]!;
        rem = Math.floor(rem / rest[k]!);
      }
      let f = 0;
      for (let k = rest.length - 1; k >= 0; k--) f = f * rest[k]! + idx[k]!;
      for (let j = start; j < end; j++) out[(j - start) * rs + r] = all[j + n * f]!;
    }
    return out;
  }
  private fortranCache: Float32Array | Float64Array | null = null;
  private allFortran(): Float32Array | Float64Array {
    if (!this.fortranCache) {
      const h = this.header;
      const count = h.shape.reduce((a, b) => a * b, 1);
      this.fortranCache = decodeNpy(h, this.src.read(h.dataOffset, count * h.itemSize), count);
    }
    return this.fortranCache;
  }
}

/** Reads a .npy file of shape [jets, particles, features]. */
export async function readNpy(path: string, opts: NpyReadOptions = {}): Promise<JetSet> {
  const fd = openSync(path, 'r');
  try {
    const src = fileSource(fd);
    const arr = new NpyArray(path, parseNpyHeader(path, src), src);
    return await fillJets(path, 'npy', 'array', arr, null, opts);
  } finally {
    closeSync(fd);
  }
}

const PREFERRED = ['particles', 'particle_features', 'constituents', 'x', 'X', 'data', 'arr_0'];
const LABELS = ['label', 'labels', 'y', 'is_signal_new', 'arr_1'];

/** Reads a .npz: the constituent array is the requested member, a preferred name, or the only rank-3 array. */
export async function readNpz(path: string, opts: NpyReadOptions = {}): Promise<JetSet> {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(readFileSync(path), { filter: (f) => f.name.endsWith('.npy') });
  } catch (err) {
    throw badFile(path, `cannot unzip as .npz (${(err as Error).message})`, 'The file is truncated or corrupt: save it again with numpy.savez.', err);
  }
  const arrays = new Map<string, NpyArray>();
  for (const [name, bytes] of Object.entries(members)) {
    const key = name.replace(/\.npy$/, '');
    const where = `${path}:${key}`;
    const src = memorySource(bytes);
    arrays.set(key, new NpyArray(where, parseNpyHeader(where, src), src));
  }
  const rank3 = [...arrays].filter(([, a]) => a.shape.length === 3).map(([k]) => k);
  let key: string | undefined;
  if (opts.collection) {
    if (!arrays.has(opts.collection)) throw new UserError('NOT_FOUND', `${path}: no array '${opts.collection}' (found: ${[...arrays.keys()].join(', ')})`, { where: path, hint: `Use --collection with one of: ${rank3.join(', ')}.` });
    key = opts.collection;
  } else {
    key = PREFERRED.find((k) => rank3.includes(k)) ?? (rank3.length === 1 ? rank3[0] : undefined);
  }
  if (!key) {
    const desc = [...arrays].map(([k, a]) => `${k} (${a.shape.join('×')})`).join(', ');
    throw badFile(path, `no single [jets, particles, features] array found (arrays: ${desc || 'none'})`, 'Name the constituent array with --collection, or save it as "particles".');
  }
  const n = arrays.get(key)!.shape[0];
  const labelKey = opts.featureMap?.label ?? LABELS.find((k) => k !== key && arrays.get(k)?.shape[0] === n);
  return fillJets(path, 'npz', key, arrays.get(key)!, labelKey ? (arrays.get(labelKey) ?? null) : null, opts);
}

async function fillJets(path: string, format: 'npy' | 'npz', name: string, arr: NpyArray, labelArr: NpyArray | null, opts: NpyReadOptions): Promise<JetSet> {
  if (arr.shape.length !== 3) {
    throw badFile(path, `${name} has shape (${arr.shape.join(', ')}); expected [jets, particles, features]`, 'Reshape to (n_jets, n_particles, n_features) before saving, e.g. x.reshape(n, -1, 3).');
  }
  const [nAll, dimA, dimB] = arr.shape as [number, number, number];
  const featuresFirst = featureAxis(dimA, dimB, null) === 'middle';
  const [nParticles, nFeatures] = featuresFirst ? [dimB, dimA] : [dimA, dimB];
  const n = Math.min(nAll, opts.maxJets ?? Infinity);
  const notes: string[] = [];
  if (!opts.featureMap) notes.push('NumPy arrays store no feature names; assumed (pt, eta, phi[, e]) — override with a feature map.');
  if (featuresFirst) notes.push(`${name} is laid out [jets, features, particles] = [${nAll}, ${dimA}, ${dimB}]; read accordingly.`);
  if (arr.header.fortranOrder) notes.push('Fortran-ordered array: read whole and transposed.');
  if (arr.header.kind !== 'f') notes.push(`Array dtype ${arr.header.descr} converted to float.`);
  const m = resolveRowMapping(`${path}:${name}`, nFeatures, null, opts.featureMap, ['pt', 'eta', 'phi', 'e']);

  let label: Int32Array | undefined;
  let labelNames: string[] | undefined;
  if (opts.label) labelNames = [opts.label];
  else if (labelArr) {
    let values: ArrayLike<number> = labelArr.rows(0, n);
    if (labelArr.shape.length === 2 && labelArr.shape[1]! > 1) {
      values = oneHotToClass(values, n, labelArr.shape[1]!);
    }
    const li = labelIndexer(values, null);
    label = li.index;
    labelNames = li.names;
  }
  const b = new JetSetBuilder(path, { hasEnergy: m.kind === 'epxpypz' || m.energy >= 0, hasLabel: labelNames !== undefined, skipEmpty: opts.skipEmpty });
  const labelOf = opts.label ? () => 0 : label ? (j: number) => label[j]! : () => -1;
  const chunk = Math.max(1, Math.floor(READ_CHUNK_BYTES / Math.max(1, nParticles * nFeatures * arr.header.itemSize)));
  opts.onProgress?.(0, n);
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    fillFromRows(b, arr.rows(start, end), end - start, nParticles, nFeatures, m, start, labelOf, undefined, featuresFirst);
    if (start === 0 && end < n) b.reserve((b.nConstituents / end) * n * 1.02 + nParticles); // extrapolate from the first chunk
    opts.onProgress?.(end, n);
    if (end < n) await breathe();
  }
  if (n < nAll) notes.push(`Read the first ${n} of ${nAll} jets (maxJets).`);
  const source: JetSource = { path, format, collection: name, featureMap: describeMapping(m, name, featuresFirst), notes };
  return b.finish(source, labelNames);
}
