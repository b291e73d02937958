// Writers of jets to disk in the project's shared HDF5 layout (h5wasm, gzip) and as NumPy .npy/.npz, so imported,
// subset and generated jets can be handed to other tools. Files appear atomically (temp file, then rename).
//
// HDF5 layout (the same as ../shared/data/pythia8):
//   particles       float32 [n, N, 3]  (pT [GeV], η, φ [rad]) of the N hardest constituents, pT-ordered, zero rows
//                                      after the last; [n, N, 4] with E [GeV] appended when the JetSet stores energies
//   n_constituents  int16   [n]        constituents of the full jet (stored value when known, else the multiplicity)
//   jets            float32 [n, 4]     (pT [GeV], η, φ [rad], mass [GeV]) of the jet, computed from all its constituents
//                                      (or the values stored in the source with `jetKinematics: 'stored'`)
//   label           int8    [n]        class index into the root attribute `labels` ("0=qcd,1=top,...") (only when labelled)
// Root attributes: particle_features, jet_features, labels, plus any given by the caller.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { zipSync } from 'fflate';
import h5wasm from '../util/h5wasm.ts';
import type { JetSet } from './jetset.ts';
import { jetObservables } from '../physics/observables.ts';
import { toJetSet } from '../physics/preprocess.ts';
import { UserError } from '../util/errors.ts';

export interface WriteJetsOptions {
  /** Constituent slots per jet (default 40); harder constituents kept when a jet has more. */
  particles?: number;
  /** `jets` dataset from the constituents (default) or from the source's stored per-jet values (all four required). */
  jetKinematics?: 'constituents' | 'stored';
  /** Extra root attributes (strings), e.g. generator settings or provenance. */
  attributes?: Record<string, string>;
  /** gzip level 0–9 for the HDF5 datasets (default 6; 0 = uncompressed). */
  gzipLevel?: number;
}

/** Dense arrays of the shared layout built from a JetSet. */
export interface DenseJets {
  n: number;
  particles: number;
  /** 3, or 4 with energies. */
  features: number;
  /** [n, particles, features] */
  x: Float32Array;
  nConstituents: Int16Array;
  /** [n, 4] pT, η, φ, mass */
  jets: Float32Array;
  label?: Int8Array;
  labelNames?: string[];
}

/** The shared layout's arrays for a JetSet (pure; no I/O). */
export function toDenseJets(jets: JetSet, opts: Pick<WriteJetsOptions, 'particles' | 'jetKinematics'> = {}): DenseJets {
  const N = opts.particles ?? 40;
  if (!Number.isInteger(N) || N < 1) throw new UserError('BAD_INPUT', `particles per jet must be a positive integer, got ${N}`);
  const n = jets.nJets;
  const F = jets.energy ? 4 : 3;
  const x = new Float32Array(n * N * F);
  const nConstituents = new Int16Array(n);
  const order: number[] = [];
  for (let j = 0; j < n; j++) {
    const a = jets.offsets[j]!, b = jets.offsets[j + 1]!;
    order.length = 0;
    for (let i = a; i < b; i++) order.push(i);
    order.sort((p, q) => jets.pt[q]! - jets.pt[p]! || p - q);
    const kept = Math.min(N, order.length);
    for (let k = 0; k < kept; k++) {
      const i = order[k]!, o = (j * N + k) * F;
      x[o] = jets.pt[i]!;
      x[o + 1] = jets.eta[i]!;
      x[o + 2] = jets.phi[i]!;
      if (F === 4) x[o + 3] = jets.energy![i]!;
    }
    const full = jets.stored?.nConstituents?.[j] ?? b - a;
    nConstituents[j] = Math.min(full, 32767);
  }
  const kin = new Float32Array(n * 4);
  const s = jets.stored;
  if (opts.jetKinematics === 'stored') {
    if (!s?.ptGeV || !s.etaJet || !s.phiJet || !s.massGeV) {
      throw new UserError('BAD_INPUT', `${jets.source.path}: no stored jet pT, η, φ and mass to write`, { hint: "Use jetKinematics: 'constituents'." });
    }
    for (let j = 0; j < n; j++) kin.set([s.ptGeV[j]!, s.etaJet[j]!, s.phiJet[j]!, s.massGeV[j]!], j * 4);
  } else {
    const o = jetObservables(jets);
    for (let j = 0; j < n; j++) kin.set([o.ptGeV[j]!, o.eta[j]!, o.phi[j]!, o.massGeV[j]!], j * 4);
  }
  const out: DenseJets = { n, particles: N, features: F, x, nConstituents, jets: kin };
  if (jets.label) {
    if (jets.labelNames && jets.labelNames.length > 127) throw new UserError('BAD_INPUT', `${jets.labelNames.length} classes do not fit the int8 label`);
    out.label = Int8Array.from(jets.label);
    out.labelNames = jets.labelNames ?? [];
  }
  return out;
}

function tempPath(path: string): string {
  return `${path}.tmp-${process.pid}-${Date.now().toString(36)}`;
}

/** Runs `write(tmp)` then renames tmp → path; removes the temp file on failure. */
function atomically(path: string, write: (tmp: string) => void): void {
  const tmp = tempPath(path);
  try {
    write(tmp);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    if (err instanceof UserError) throw err;
    throw new UserError('RESOURCE', `${path}: cannot write (${(err as Error).message})`, {
      where: path,
      hint: 'Check the directory exists, is writable and the disk is not full.',
      cause: err,
    });
  }
}

let h5ready: Promise<unknown> | null = null;

/** Writes a JetSet as HDF5 in the shared layout. */
export async function writeJetsHdf5(path: string, jets: JetSet, opts: WriteJetsOptions = {}): Promise<void> {
  const d = toDenseJets(jets, opts);
  h5ready ??= h5wasm.ready;
  await h5ready;
  const level = opts.gzipLevel ?? 6;
  atomically(path, (tmp) => {
    const f = new h5wasm.File(tmp, 'w');
    try {
      const ds = (name: string, data: Float32Array | Int16Array | Int8Array, shape: number[], dtype: string) => {
        const rowsPerChunk = Math.max(1, Math.min(shape[0]!, Math.floor((1 << 20) / Math.max(1, (data.length / Math.max(1, shape[0]!)) * data.BYTES_PER_ELEMENT))));
        const compressed = level > 0 && shape[0]! > 0;
        f.create_dataset({
          name,
          data,
          shape,
          dtype,
          ...(compressed ? { chunks: [rowsPerChunk, ...shape.slice(1)], compression: 'gzip' as const, compression_opts: level } : {}),
        });
      };
      ds('particles', d.x, [d.n, d.particles, d.features], '<f');
      ds('n_constituents', d.nConstituents, [d.n], '<h');
      ds('jets', d.jets, [d.n, 4], '<f');
      if (d.label) ds('label', d.label, [d.n], '<b');
      f.create_attribute('particle_features', d.features === 4 ? 'pt,eta,phi,e' : 'pt,eta,phi');
      f.create_attribute('jet_features', 'pt,eta,phi,mass');
      if (d.labelNames) f.create_attribute('labels', d.labelNames.map((name, i) => `${i}=${name}`).join(','));
      for (const [k, v] of Object.entries(opts.attributes ?? {})) f.create_attribute(k, v);
    } finally {
      f.close();
    }
  });
}

/** Options for writing generated (padded-feature) jets. */
export interface WriteGeneratedOptions extends Omit<WriteJetsOptions, 'jetKinematics'> {
  /** [size, 3] axes from `preprocess` to map back to detector coordinates; absent: jets stay centered at (0, 0). */
  axis?: Float32Array;
  label?: Int32Array;
  labelNames?: string[];
}

/** Writes generated jets given as un-standardised (ln pT, Δη, Δφ) features with a mask, via `toJetSet`. */
export async function writeGeneratedHdf5(path: string, x: Float32Array, mask: Uint8Array, size: number, particles: number, opts: WriteGeneratedOptions = {}): Promise<void> {
  const jets = toJetSet(x, mask, size, particles, { axis: opts.axis, label: opts.label, labelNames: opts.labelNames, sourcePath: path });
  await writeJetsHdf5(path, jets, { ...opts, particles: opts.particles ?? particles });
}

type NpyArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Int32Array | Uint32Array;

function npyDescr(a: NpyArray): string {
  if (a instanceof Float32Array) return '<f4';
  if (a instanceof Float64Array) return '<f8';
  if (a instanceof Int8Array) return '|i1';
  if (a instanceof Uint8Array) return '|u1';
  if (a instanceof Int16Array) return '<i2';
  if (a instanceof Int32Array) return '<i4';
  return '<u4';
}

/** A .npy (format 1.0, C order, little-endian) of `data` with `shape`. */
export function encodeNpy(data: NpyArray, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`encodeNpy: shape (${shape.join(', ')}) holds ${count} values, data has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${npyDescr(data)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1; // magic(6) + version(2) + len(2) + header + '\n'
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  if (header.length > 65535) throw new Error('encodeNpy: header too long');
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8], 0);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // Typed arrays are little-endian on every platform Node runs on (x64, arm64).
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

function writeBytes(path: string, bytes: Uint8Array): void {
  atomically(path, (tmp) => {
    const fd = openSync(tmp, 'w');
    try {
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    } finally {
      closeSync(fd);
    }
  });
}

/** Writes one array as .npy. */
export function writeNpy(path: string, data: NpyArray, shape: number[]): void {
  writeBytes(path, encodeNpy(data, shape));
}

/** Writes a JetSet's constituents as one .npy [n, N, 3|4] (pT, η, φ[, E]), pT-ordered and zero-padded. */
export function writeJetsNpy(path: string, jets: JetSet, opts: Pick<WriteJetsOptions, 'particles'> = {}): void {
  const d = toDenseJets(jets, opts);
  writeNpy(path, d.x, [d.n, d.particles, d.features]);
}

/** Writes a JetSet as .npz with the HDF5 layout's arrays (particles, n_constituents, jets[, label]). */
export function writeJetsNpz(path: string, jets: JetSet, opts: Pick<WriteJetsOptions, 'particles' | 'jetKinematics'> = {}): void {
  const d = toDenseJets(jets, opts);
  const members: Record<string, Uint8Array> = {
    'particles.npy': encodeNpy(d.x, [d.n, d.particles, d.features]),
    'n_constituents.npy': encodeNpy(d.nConstituents, [d.n]),
    'jets.npy': encodeNpy(d.jets, [d.n, 4]),
  };
  if (d.label) members['label.npy'] = encodeNpy(d.label, [d.n]);
  writeBytes(path, zipSync(members, { level: 6 }));
}
