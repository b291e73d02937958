// Generators of small jet files for the reader tests (written at run time into a temp dir, never committed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from '../../src-main/util/h5wasm.ts';

export function tempDir(prefix = 'ebm-hep-data-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface H5Dataset {
  data: Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | string[];
  shape?: number[];
  dtype?: string;
  attrs?: Record<string, string | number | string[]>;
  compression?: number;
  chunks?: number[];
}

/** Writes an HDF5 file with the given datasets (paths may contain groups) and root attributes. */
export async function writeH5(path: string, datasets: Record<string, H5Dataset>, rootAttrs: Record<string, string | string[]> = {}): Promise<void> {
  await h5wasm.ready;
  const f = new h5wasm.File(path, 'w');
  try {
    for (const [name, d] of Object.entries(datasets)) {
      const parts = name.split('/');
      let g: InstanceType<typeof h5wasm.Group> = f;
      for (const p of parts.slice(0, -1)) g = (g.get(p) as InstanceType<typeof h5wasm.Group> | null) ?? g.create_group(p);
      const ds = g.create_dataset({
        name: parts[parts.length - 1]!,
        data: d.data as never,
        shape: d.shape ?? null,
        dtype: d.dtype ?? null,
        ...(d.compression ? { compression: d.compression, chunks: d.chunks ?? null } : {}),
      });
      for (const [k, v] of Object.entries(d.attrs ?? {})) ds.create_attribute(k, v as never);
    }
    for (const [k, v] of Object.entries(rootAttrs)) f.create_attribute(k, v as never);
  } finally {
    f.close();
  }
}

/** Dense [n, P, 3] (pT, η, φ) rows for jets with the given multiplicities; zero rows pad each jet to P. */
export function denseJets(mult: number[], P: number, F = 3): { data: Float32Array; expected: number[][][] } {
  const data = new Float32Array(mult.length * P * F);
  const expected: number[][][] = [];
  mult.forEach((m, j) => {
    const rows: number[][] = [];
    for (let p = 0; p < m; p++) {
      const row = [100 / (p + 1) + j, 0.1 * p - 0.2, -3 + 0.5 * p + 0.01 * j, 200 / (p + 1)].slice(0, F);
      data.set(row, (j * P + p) * F);
      rows.push(row);
    }
    expected.push(rows);
  });
  return { data, expected };
}

/** Encodes a .npy file (format 1.0) from C-order values with any numeric dtype, endianness and memory order. */
export function npyBytes(values: ArrayLike<number>, shape: number[], descr = '<f4', fortran = false): Uint8Array {
  const m = /^([<>|])([fiub])(\d+)$/.exec(descr)!;
  const le = m[1] !== '>';
  const kind = m[2]!;
  const size = Number(m[3]);
  const n = values.length;
  // C order → memory order
  const mem = new Float64Array(n);
  if (!fortran || shape.length < 2) for (let i = 0; i < n; i++) mem[i] = values[i]!;
  else {
    const idx = new Array<number>(shape.length).fill(0);
    for (let c = 0; c < n; c++) {
      let rem = c;
      for (let k = shape.length - 1; k >= 0; k--) {
        idx[k] = rem % shape[k]!;
        rem = Math.floor(rem / shape[k]!);
      }
      let f = 0;
      for (let k = shape.length - 1; k >= 0; k--) f = f * shape[k]! + idx[k]!;
      mem[f] = values[c]!;
    }
  }
  const data = new Uint8Array(n * size);
  const dv = new DataView(data.buffer);
  for (let i = 0; i < n; i++) {
    const x = mem[i]!;
    if (kind === 'f' && size === 2) dv.setUint16(2 * i, floatToHalf(x), le);
    else if (kind === 'f' && size === 4) dv.setFloat32(4 * i, x, le);
    else if (kind === 'f') dv.setFloat64(8 * i, x, le);
    else if (kind === 'b' || size === 1) dv.setUint8(i, kind === 'i' ? x & 0xff : x);
    else if (size === 2) kind === 'i' ? dv.setInt16(2 * i, x, le) : dv.setUint16(2 * i, x, le);
    else if (size === 4) kind === 'i' ? dv.setInt32(4 * i, x, le) : dv.setUint32(4 * i, x, le);
    else kind === 'i' ? dv.setBigInt64(8 * i, BigInt(x), le) : dv.setBigUint64(8 * i, BigInt(x), le);
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

function floatToHalf(x: number): number {
  const f32 = new Float32Array([x]);
  const u = new Uint32Array(f32.buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  const mant = u & 0x7fffff;
  if (((u >>> 23) & 0xff) === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  if (exp <= 0) return sign; // tiny → 0 (tests use representable values)
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | Math.round(mant / 8192);
}
