// HDF5 pandas layouts of the Top Quark Tagging reference dataset: fixed format (`<key>/block{i}_items` +
// `block{i}_values`) and PyTables table format (`<key>/table` compound with `values_block_*` array members whose
// column names are pickled in `values_block_*_kind`). Columns E_i, PX_i, PY_i, PZ_i → (pT, η, φ, E); label is_signal_new.
import h5wasm from '../util/h5wasm.ts';
import type { H5File, Hdf5Layout, Hdf5ReadOptions } from './hdf5.ts';
import { hdf5Reason, labelIndexer, readRows } from './hdf5.ts';
import type { JetSet, JetSource } from './jetset.ts';
import { breathe, JetSetBuilder } from './builder.ts';
import { pushCartesian } from './features.ts';
import { badFile, UserError } from '../util/errors.ts';

type H5Dataset = InstanceType<typeof h5wasm.Dataset>;
type H5Module = Awaited<typeof h5wasm.ready>;

/** Rows per read: a Top Tagging row is 806 columns × 4 bytes (8 decoded), so ≈ 13 MB raw per chunk. */
const PANDAS_CHUNK_ROWS = 4096;

/**
 * Strings of a pickled Python list as pandas/PyTables store column names: protocol 0 text ("(lp0\nVE_0\np1\na…")
 * or binary protocols (BINUNICODE / SHORT_BINUNICODE opcodes). Returns the strings in order; ints are skipped.
 */
export function pickledStrings(v: unknown): string[] {
  let text: string;
  if (typeof v === 'string') text = v;
  else if (v instanceof Uint8Array) text = new TextDecoder('latin1').decode(v);
  else if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  else return [];
  const out: string[] = [];
  if (text.charCodeAt(0) === 0x80) {
    const b = Uint8Array.from(text, (c) => c.charCodeAt(0));
    const dv = new DataView(b.buffer);
    for (let i = 2; i < b.length; i++) {
      const op = b[i]!;
      if (op === 0x58 && i + 5 <= b.length) {
        const n = dv.getUint32(i + 1, true); // BINUNICODE
        if (i + 5 + n <= b.length && n < 256) {
          out.push(new TextDecoder().decode(b.subarray(i + 5, i + 5 + n)));
          i += 4 + n;
        }
      } else if (op === 0x8c && i + 2 <= b.length) {
        const n = b[i + 1]!; // SHORT_BINUNICODE
        out.push(new TextDecoder().decode(b.subarray(i + 2, i + 2 + n)));
        i += 1 + n;
      }
    }
    return out;
  }
  for (const line of text.split('\n')) {
    const m = /^[(la]*V(.*)$/.exec(line) ?? /^[(la]*S'(.*)'$/.exec(line) ?? /^[(la]*S"(.*)"$/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** A set of columns read together: one pandas block (fixed) or the whole compound row (table). */
interface ColumnSource {
  /** Decoded block for rows [start, end): row-major, `width` values per row. */
  load(start: number, end: number): { values: ArrayLike<number>; width: number };
}

interface ColumnRef {
  src: ColumnSource;
  index: number;
}

function stringList(path: string, ds: H5Dataset): string[] {
  const v = ds.value;
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw badFile(path, `${ds.path} does not hold column names`, 'The pandas frame is damaged: write it again with DataFrame.to_hdf.');
}

function fixedColumns(path: string, f: H5File, key: string): { columns: Map<string, ColumnRef>; nRows: number } {
  const g = f.get(key) as InstanceType<typeof h5wasm.Group>;
  const columns = new Map<string, ColumnRef>();
  let nRows = -1;
  for (let i = 0; ; i++) {
    const items = g.get(`block${i}_items`);
    const values = g.get(`block${i}_values`);
    if (!(items instanceof h5wasm.Dataset) || !(values instanceof h5wasm.Dataset)) break;
    const names = stringList(path, items);
    const shape = values.shape ?? [];
    if (shape.length !== 2 || (values.metadata.type !== 0 && values.metadata.type !== 1)) continue; // object/string blocks
    // pandas writes the transposed block: [rows, items]; older writers may store [items, rows].
    const rowsFirst = shape[1] === names.length;
    if (!rowsFirst && shape[0] !== names.length) throw badFile(path, `${values.path} has shape (${shape.join(', ')}) but ${names.length} column names`, 'The pandas frame is damaged: write it again.');
    const rows = rowsFirst ? shape[0]! : shape[1]!;
    if (nRows >= 0 && rows !== nRows) throw badFile(path, `pandas blocks of '${key}' disagree on the number of rows`, 'Write the frame again.');
    nRows = rows;
    const width = names.length;
    let whole: ArrayLike<number> | null = null;
    const src: ColumnSource = {
      load(start, end) {
        if (rowsFirst) return { values: readRows(path, values, start, end), width };
        whole ??= readRows(path, values, 0, width);
        const out = new Float64Array((end - start) * width);
        for (let r = start; r < end; r++) for (let c = 0; c < width; c++) out[(r - start) * width + c] = whole[c * rows + r]!;
        return { values: out, width };
      },
    };
    names.forEach((name, index) => columns.set(name, { src, index }));
  }
  return { columns, nRows: Math.max(0, nRows) };
}

/** Reads rows [start, end) of a compound dataset as raw bytes (h5wasm's own decoding allocates per row). */
function compoundBytes(module: H5Module, path: string, ds: H5Dataset, start: number, end: number): Uint8Array {
  const size = ds.metadata.size;
  const nbytes = size * (end - start);
  const ptr = module._malloc(nbytes);
  if (!ptr) throw new UserError('RESOURCE', `${path}: out of memory reading ${ds.path}`, { where: path });
  try {
    module.get_dataset_data(ds.file_id, ds.path, [BigInt(end - start)], [BigInt(start)], [1n], BigInt(ptr));
    return module.HEAPU8.slice(ptr, ptr + nbytes);
  } catch (err) {
    throw badFile(path, `cannot read ${ds.path} rows ${start}–${end} (${hdf5Reason(err)})`, 'The file is truncated or corrupt: copy or download it again.', err);
  } finally {
    module._free(ptr);
  }
}

interface Numeric {
  type: number;
  size: number;
  signed: boolean;
  littleEndian: boolean;
}

function reader(dv: DataView, t: Numeric, where: string): (off: number) => number {
  const le = t.littleEndian;
  if (t.type === 1 && t.size === 4) return (o) => dv.getFloat32(o, le);
  if (t.type === 1 && t.size === 8) return (o) => dv.getFloat64(o, le);
  if (t.type === 0 && t.size === 1) return t.signed ? (o) => dv.getInt8(o) : (o) => dv.getUint8(o);
  if (t.type === 0 && t.size === 2) return t.signed ? (o) => dv.getInt16(o, le) : (o) => dv.getUint16(o, le);
  if (t.type === 0 && t.size === 4) return t.signed ? (o) => dv.getInt32(o, le) : (o) => dv.getUint32(o, le);
  if (t.type === 0 && t.size === 8) return t.signed ? (o) => Number(dv.getBigInt64(o, le)) : (o) => Number(dv.getBigUint64(o, le));
  throw new UserError('UNSUPPORTED', `${where}: unsupported column type (class ${t.type}, ${t.size} bytes)`, { where, hint: 'Store numeric columns (float or integer).' });
}

async function tableColumns(path: string, f: H5File, key: string): Promise<{ columns: Map<string, ColumnRef>; nRows: number }> {
  const module = await h5wasm.ready;
  const ds = f.get(`${key}/table`) as H5Dataset;
  const md = ds.metadata;
  const members = md.compound_type!.members;
  const nRows = ds.shape?.[0] ?? 0;
  // Every numeric member value becomes one column of a flat row: [member0 values..., member1 values...].
  const layout: { name: string; offset: number; count: number; base: Numeric; elem: number }[] = [];
  let width = 0;
  const columns = new Map<string, ColumnRef>();
  const plan: { at: number; member: (typeof layout)[number] }[] = [];
  for (const m of members) {
    const isArray = m.type === 10 && m.array_type;
    const base = (isArray ? m.array_type! : m) as Numeric;
    if (base.type !== 0 && base.type !== 1) continue; // strings, nested compounds: not jet columns
    const count = isArray ? Math.round(m.size / base.size) : 1;
    const entry = { name: m.name, offset: m.offset, count, base, elem: base.size };
    layout.push(entry);
    plan.push({ at: width, member: entry });
    let names: string[] = [];
    if (/^values_block_\d+$/.test(m.name)) names = pickledStrings(ds.attrs[`${m.name}_kind`] ? ds.get_attribute(`${m.name}_kind`, false) : undefined);
    if (names.length !== count) names = count === 1 ? [m.name] : Array.from({ length: count }, (_, i) => `${m.name}[${i}]`);
    const src = null as unknown as ColumnSource; // patched below (one source for all members)
    names.forEach((n, i) => columns.set(n, { src, index: width + i }));
    width += count;
  }
  const rowSize = md.size;
  const src: ColumnSource = {
    load(start, end) {
      const raw = compoundBytes(module, path, ds, start, end);
      const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const out = new Float64Array((end - start) * width);
      for (const { at, member } of plan) {
        const get = reader(dv, member.base, `${path}:${key}/table.${member.name}`);
        for (let r = 0; r < end - start; r++) {
          let o = r * rowSize + member.offset;
          const dst = r * width + at;
          for (let k = 0; k < member.count; k++, o += member.elem) out[dst + k] = get(o);
        }
      }
      return { values: out, width };
    },
  };
  for (const ref of columns.values()) ref.src = src;
  return { columns, nRows };
}

/** Reads a pandas frame of Top-Tagging-style columns into a JetSet. */
export async function readPandas(path: string, f: H5File, lay: Hdf5Layout, opts: Hdf5ReadOptions): Promise<JetSet> {
  const key = lay.collection;
  const { columns, nRows } = lay.layout === 'hdf5-pandas-fixed' ? fixedColumns(path, f, key) : await tableColumns(path, f, key);
  const n = Math.min(nRows, opts.maxJets ?? Infinity);
  const notes: string[] = [];

  // Per-particle column families: (E, PX, PY, PZ)_i, else (PT, ETA, PHI[, E])_i; prefixes may be mapped by the user.
  const fm = opts.featureMap ?? {};
  const prefix = (k: 'energy' | 'px' | 'py' | 'pz' | 'pt' | 'eta' | 'phi', dflt: string) => (fm[k] ?? dflt).replace(/_?$/, '_');
  const family = (p: string) => {
    const idx: number[] = [];
    const re = new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)$`, 'i');
    for (const name of columns.keys()) {
      const m = re.exec(name);
      if (m) idx.push(Number(m[1]));
    }
    return idx;
  };
  const cart = { e: prefix('energy', 'E'), px: prefix('px', 'PX'), py: prefix('py', 'PY'), pz: prefix('pz', 'PZ') };
  const polar = { pt: prefix('pt', 'PT'), eta: prefix('eta', 'ETA'), phi: prefix('phi', 'PHI') };
  const nCart = Math.min(...[cart.e, cart.px, cart.py, cart.pz].map((p) => family(p).length));
  const nPolar = Math.min(...[polar.pt, polar.eta, polar.phi].map((p) => family(p).length));
  const cartesian = nCart > 0;
  const nParticles = cartesian ? nCart : nPolar;
  if (nParticles === 0) {
    const some = [...columns.keys()].slice(0, 8).join(', ');
    throw badFile(path, `pandas frame '${key}' has no constituent columns E_i, PX_i, PY_i, PZ_i (or PT_i, ETA_i, PHI_i); columns: ${some}…`, 'Name the per-particle columns like the Top Tagging dataset, or map the prefixes (--feature px=Px_ …).');
  }
  const find = (name: string): ColumnRef => {
    const hit = columns.get(name) ?? [...columns].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    if (!hit) throw badFile(path, `pandas frame '${key}' lacks column ${name}`, 'Every particle index needs all its columns.');
    return hit;
  };
  const refs = Array.from({ length: nParticles }, (_, i) =>
    cartesian ? [find(`${cart.e}${i}`), find(`${cart.px}${i}`), find(`${cart.py}${i}`), find(`${cart.pz}${i}`)] : [find(`${polar.pt}${i}`), find(`${polar.eta}${i}`), find(`${polar.phi}${i}`)],
  );
  const energyPolar = !cartesian && family(cart.e).length >= nParticles ? Array.from({ length: nParticles }, (_, i) => find(`${cart.e}${i}`)) : null;

  // Label column: user-mapped, Top Tagging's is_signal_new (0 QCD, 1 top), or `label`.
  const labelName = opts.label ? undefined : (fm.label ?? ['is_signal_new', 'label', 'labels', 'y'].find((c) => columns.has(c)));
  const labelRef = labelName ? find(labelName) : undefined;
  const labelValues = labelRef ? new Float64Array(n) : undefined;

  const b = new JetSetBuilder(path, { hasEnergy: cartesian || energyPolar !== null, hasLabel: !!opts.label || !!labelRef, skipEmpty: opts.skipEmpty });
  opts.onProgress?.(0, n);
  const allRefs = refs.flat().concat(energyPolar ?? [], labelRef ? [labelRef] : []);
  const sources = [...new Set(allRefs.map((r) => r.src))];
  // Label values are read in the same pass; class indices are assigned afterwards (labels are per-jet, cheap).
  const rawLabel: number[] = [];
  for (let start = 0; start < n; start += PANDAS_CHUNK_ROWS) {
    const end = Math.min(n, start + PANDAS_CHUNK_ROWS);
    const loaded = new Map(sources.map((s) => [s, s.load(start, end)]));
    // Resolve every column once per chunk to (values, width, index): the inner loop is plain array reads.
    const col = (ref: ColumnRef) => {
      const l = loaded.get(ref.src)!;
      return { v: l.values, w: l.width, i: ref.index };
    };
    const cols = refs.map((c) => c.map(col));
    const colsE = energyPolar?.map(col);
    const lab = labelRef ? col(labelRef) : null;
    for (let r = 0; r < end - start; r++) {
      const jet = start + r;
      if (lab) rawLabel[jet] = lab.v[r * lab.w + lab.i]!;
      for (let i = 0; i < nParticles; i++) {
        const c = cols[i]!;
        const a = c[0]!, x = a.v[r * a.w + a.i]!;
        if (x === 0) continue; // zero-energy (or zero-pT) padding
        const p = c[1]!, q = c[2]!;
        if (cartesian) {
          const z = c[3]!;
          pushCartesian(b, x, p.v[r * p.w + p.i]!, q.v[r * q.w + q.i]!, z.v[r * z.w + z.i]!, jet);
        } else {
          const e = colsE ? colsE[i]! : null;
          b.push(x, p.v[r * p.w + p.i]!, q.v[r * q.w + q.i]!, e ? e.v[r * e.w + e.i]! : 0, jet);
        }
      }
      b.endJet(0, jet); // labels patched below
    }
    opts.onProgress?.(end, n);
    if (end < n) await breathe();
  }
  if (n < nRows) notes.push(`Read the first ${n} of ${nRows} jets (maxJets).`);
  const featureMap: Record<string, string> = cartesian
    ? { pt: `√(${cart.px}i² + ${cart.py}i²)`, eta: `asinh(${cart.pz}i / pT)`, phi: `atan2(${cart.py}i, ${cart.px}i)`, energy: `${cart.e}i`, particles: `i = 0…${nParticles - 1}` }
    : { pt: `${polar.pt}i`, eta: `${polar.eta}i`, phi: `${polar.phi}i`, particles: `i = 0…${nParticles - 1}`, ...(energyPolar ? { energy: `${cart.e}i` } : {}) };
  if (labelName) featureMap.label = labelName;
  notes.push(cartesian ? 'Zero-energy particle slots are padding, not constituents.' : 'Zero-pT particle slots are padding, not constituents.');
  const source: JetSource = { path, format: lay.layout, collection: key, featureMap, notes };

  let labelNames: string[] | undefined;
  let labelOfKept: ((jet: number) => number) | undefined;
  if (opts.label) {
    labelNames = [opts.label];
    labelOfKept = () => 0;
  } else if (labelRef && labelValues) {
    for (let j = 0; j < n; j++) labelValues[j] = rawLabel[j]!;
    const names = labelName === 'is_signal_new' ? new Map([[0, 'qcd'], [1, 'top']]) : null;
    const li = labelIndexer(labelValues, names);
    labelNames = li.names;
    labelOfKept = (jet) => li.index[jet]!;
  }
  const set = b.finish(source, labelNames);
  if (set.label && labelOfKept) {
    const kept = b.keptIndices();
    for (let j = 0; j < set.nJets; j++) set.label[j] = labelOfKept(kept[j]!);
  }
  return set;
}
