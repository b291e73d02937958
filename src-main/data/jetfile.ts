// The `.jets` file: an exact, lossless dump of a JetSet (flat arrays + offsets) for imported datasets, read back
// without parsing, plus its content hash (what makes an import a duplicate). Format, all little-endian:
//   bytes 0-7    magic "EBMJETS\0"
//   bytes 8-11   u32 format version (1)
//   bytes 12-15  u32 header length H
//   16 .. 16+H   UTF-8 JSON header: { nJets, nConstituents, labelNames?, source, arrays: [{ name, dtype, offset, length }] }
//   then each array at its `offset` (8-byte aligned): offsets u32[nJets+1]; pt, eta, phi[, energy] f32[nConstituents];
//   label i32[nJets]; stored.<key> f32/i32[nJets].
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import type { JetSet, JetSource } from './jetset.ts';
import { badFile } from '../util/errors.ts';

export const JETFILE_MAGIC = 'EBMJETS\0';
const VERSION = 1;

type Dtype = 'u32' | 'i32' | 'f32';
interface ArrayEntry {
  name: string;
  dtype: Dtype;
  offset: number;
  length: number;
}
interface Header {
  nJets: number;
  nConstituents: number;
  labelNames?: string[];
  source: JetSource;
  arrays: ArrayEntry[];
}

type Typed = Uint32Array | Int32Array | Float32Array;

/** The arrays of a JetSet in file order. */
function arraysOf(jets: JetSet): [string, Typed][] {
  const out: [string, Typed][] = [
    ['offsets', jets.offsets],
    ['pt', jets.pt],
    ['eta', jets.eta],
    ['phi', jets.phi],
  ];
  if (jets.energy) out.push(['energy', jets.energy]);
  if (jets.label) out.push(['label', jets.label]);
  for (const [k, v] of Object.entries(jets.stored ?? {})) if (v) out.push([`stored.${k}`, v as Typed]);
  return out;
}

function dtypeOf(a: Typed): Dtype {
  return a instanceof Uint32Array ? 'u32' : a instanceof Int32Array ? 'i32' : 'f32';
}

function bytes(a: Typed): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * sha256 of the physics content: constituents, offsets, labels and label names (not the source path or notes),
 * so the same jets imported twice, from any path, hash the same.
 */
export function contentHash(jets: JetSet): string {
  const h = createHash('sha256');
  h.update(`ebm-hep-jets-v1 n=${jets.nJets} energy=${!!jets.energy} label=${!!jets.label}\n`);
  for (const a of [jets.offsets, jets.pt, jets.eta, jets.phi, jets.energy, jets.label]) if (a) h.update(bytes(a));
  h.update(JSON.stringify(jets.labelNames ?? []));
  return h.digest('hex');
}

/** Writes a JetSet to `path` (the caller handles atomicity: write a temp name, then rename). */
export function writeJetFile(path: string, jets: JetSet): void {
  const arrays = arraysOf(jets);
  // Header size depends on offsets, which depend on the header size: iterate until stable (twice at most).
  let headerLen = 0;
  let header: Header;
  let json = '';
  for (;;) {
    let at = align8(16 + headerLen);
    const entries: ArrayEntry[] = arrays.map(([name, a]) => {
      const e = { name, dtype: dtypeOf(a), offset: at, length: a.length };
      at = align8(at + a.byteLength);
      return e;
    });
    header = { nJets: jets.nJets, nConstituents: jets.offsets[jets.nJets]!, source: jets.source, arrays: entries };
    if (jets.labelNames) header.labelNames = jets.labelNames;
    json = JSON.stringify(header);
    const len = Buffer.byteLength(json);
    if (len <= headerLen) break;
    headerLen = len + 64;
  }
  const fd = openSync(path, 'w');
  try {
    const pre = Buffer.alloc(align8(16 + headerLen), 0x20);
    pre.write(JETFILE_MAGIC, 0, 'latin1');
    pre.writeUInt32LE(VERSION, 8);
    pre.writeUInt32LE(headerLen, 12);
    pre.write(json, 16, 'utf8');
    writeSync(fd, pre, 0, pre.length, 0);
    header!.arrays.forEach((e, i) => writeSync(fd, bytes(arrays[i]![1]), 0, arrays[i]![1].byteLength, e.offset));
  } finally {
    closeSync(fd);
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Reads a `.jets` file; each array is read straight into its own typed array (no second copy). */
export function readJetFile(path: string): JetSet {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const pre = Buffer.alloc(16);
    readSync(fd, pre, 0, 16, 0);
    if (pre.toString('latin1', 0, 8) !== JETFILE_MAGIC) throw badFile(path, 'is not an ebm-hep .jets file', 'Import the original data file again.');
    const version = pre.readUInt32LE(8);
    if (version !== VERSION) throw badFile(path, `.jets format version ${version} is not supported (this ebm-hep reads version ${VERSION})`, 'Import the original data file again with this version.');
    const headerLen = pre.readUInt32LE(12);
    if (16 + headerLen > size) throw badFile(path, 'truncated .jets header', 'Import the original data file again.');
    const hb = Buffer.alloc(headerLen);
    readSync(fd, hb, 0, headerLen, 16);
    let header: Header;
    try {
      header = JSON.parse(hb.toString('utf8').trimEnd()) as Header;
    } catch (err) {
      throw badFile(path, 'damaged .jets header', 'Import the original data file again.', err);
    }
    const arrays = new Map<string, Typed>();
    for (const e of header.arrays) {
      const a = e.dtype === 'u32' ? new Uint32Array(e.length) : e.dtype === 'i32' ? new Int32Array(e.length) : new Float32Array(e.length);
      if (e.offset + a.byteLength > size) throw badFile(path, `truncated .jets file (array ${e.name} runs past the end)`, 'Import the original data file again.');
      readSync(fd, new Uint8Array(a.buffer), 0, a.byteLength, e.offset);
      arrays.set(e.name, a);
    }
    const jets: JetSet = {
      nJets: header.nJets,
      offsets: arrays.get('offsets') as Uint32Array,
      pt: arrays.get('pt') as Float32Array,
      eta: arrays.get('eta') as Float32Array,
      phi: arrays.get('phi') as Float32Array,
      // The data's origin stays in the notes; path and format describe the file actually read.
      source: { ...header.source, path, format: 'ebm-jets', notes: [...header.source.notes, `Imported from ${header.source.path} (${header.source.format}).`] },
    };
    if (arrays.has('energy')) jets.energy = arrays.get('energy') as Float32Array;
    if (arrays.has('label')) jets.label = arrays.get('label') as Int32Array;
    if (header.labelNames) jets.labelNames = header.labelNames;
    const stored: Record<string, Typed> = {};
    for (const [k, v] of arrays) if (k.startsWith('stored.')) stored[k.slice(7)] = v;
    if (Object.keys(stored).length) jets.stored = stored as JetSet['stored'];
    if (jets.offsets.length !== jets.nJets + 1 || jets.offsets[jets.nJets] !== jets.pt.length) throw badFile(path, 'inconsistent .jets file (offsets do not match the constituents)', 'Import the original data file again.');
    return jets;
  } finally {
    closeSync(fd);
  }
}
