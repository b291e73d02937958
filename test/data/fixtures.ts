// Generators of small jet files for the reader tests (written at run time into a temp dir, never committed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';

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
