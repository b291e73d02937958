// HDF5 pandas layouts (Top Tagging): fixed `block*_values` and PyTables `table`, E/PX/PY/PZ → (pT, η, φ, E).
// Runtime-generated files via h5wasm, plus two tiny committed fixtures written by real pandas/PyTables
// (h5wasm cannot write compound datasets with array members, which the PyTables table format uses).
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readJets, detectFormat } from '../../src-main/data/read.ts';
import { pickledStrings } from '../../src-main/data/hdf5-pandas.ts';
import type { JetSet } from '../../src-main/data/jetset.ts';
import { tempDir, writeH5 } from './fixtures.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

// Jets as (pT, η, φ) per slot; energies massive by +0.1 GeV like the pandas fixtures.
const MULT = [3, 1, 2, 3, 2];
const P = 3;
const LABELS = [0, 1, 0, 1, 1];
function kin(j: number, i: number) {
  const pt = 100 / (i + 1) + j, eta = 0.1 * i - 0.2, phi = -3 + 0.5 * i + 0.01 * j;
  const px = pt * Math.cos(phi), py = pt * Math.sin(phi), pz = pt * Math.sinh(eta);
  return { pt, eta, phi, px, py, pz, e: Math.sqrt(px * px + py * py + pz * pz) + 0.1 };
}
function columns() {
  const names: string[] = [];
  for (let i = 0; i < P; i++) for (const c of ['E', 'PX', 'PY', 'PZ']) names.push(`${c}_${i}`);
  const rows = new Float32Array(MULT.length * names.length);
  MULT.forEach((m, j) => {
    for (let i = 0; i < m; i++) {
      const k = kin(j, i);
      rows.set([k.e, k.px, k.py, k.pz], j * names.length + 4 * i);
    }
  });
  return { names, rows };
}

function expectTopTagging(s: JetSet, format: string) {
  expect(s.source.format).toBe(format);
  expect(s.nJets).toBe(5);
  expect(Array.from(s.offsets)).toEqual([0, 3, 4, 6, 9, 11]);
  expect(s.labelNames).toEqual(['qcd', 'top']);
  expect(Array.from(s.label!)).toEqual(LABELS);
  MULT.forEach((m, j) => {
    for (let i = 0; i < m; i++) {
      const k = kin(j, i);
      const at = s.offsets[j]! + i;
      expect(s.pt[at]).toBeCloseTo(k.pt, 2);
      expect(s.eta[at]).toBeCloseTo(k.eta, 4);
      expect(s.phi[at]).toBeCloseTo(k.phi, 4);
      expect(s.energy![at]).toBeCloseTo(k.e, 2);
    }
  });
}

describe('pandas fixed format', () => {
  it('generated with h5wasm: block0 floats + block1 int64 label, zero-E slots dropped', async () => {
    const { names, rows } = columns();
    const p = join(tmp.dir, 'fixed.h5');
    await writeH5(p, {
      'table/block0_items': { data: names },
      'table/block0_values': { data: rows, shape: [5, names.length] },
      'table/block1_items': { data: ['ttv', 'is_signal_new'] },
      'table/block1_values': { data: BigInt64Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 1].map(BigInt)), shape: [5, 2] },
      'table/axis1': { data: BigInt64Array.from([0n, 1n, 2n, 3n, 4n]) },
    });
    const info = await detectFormat(p);
    expect(info.layout).toBe('hdf5-pandas-fixed');
    expectTopTagging(await readJets(p), 'hdf5-pandas-fixed');
  });
  it('written by pandas 1.5 (committed fixture)', async () => {
    expectTopTagging(await readJets(join(import.meta.dirname, 'fixtures/pandas_fixed.h5')), 'hdf5-pandas-fixed');
  });
});

describe('pandas table format', () => {
  it('written by PyTables (values_block_* array members, pickled column names; committed fixture)', async () => {
    const p = join(import.meta.dirname, 'fixtures/pandas_table.h5');
    expect((await detectFormat(p)).layout).toBe('hdf5-pandas-table');
    expectTopTagging(await readJets(p), 'hdf5-pandas-table');
    const few = await readJets(p, { maxJets: 2, label: 'mixed' });
    expect(few.nJets).toBe(2);
    expect(few.labelNames).toEqual(['mixed']);
  });
  it('generated with h5wasm as scalar data columns (compound of one member per column)', async () => {
    const { names, rows } = columns();
    const cols = new Map<string, Float32Array | BigInt64Array>();
    cols.set('index', BigInt64Array.from([0n, 1n, 2n, 3n, 4n]));
    names.forEach((n, c) => cols.set(n, Float32Array.from({ length: 5 }, (_, j) => rows[j * names.length + c]!)));
    cols.set('is_signal_new', BigInt64Array.from(LABELS.map(BigInt)));
    const p = join(tmp.dir, 'table.h5');
    await writeH5(p, { 'table/table': { data: cols as never } });
    expect((await detectFormat(p)).layout).toBe('hdf5-pandas-table');
    expectTopTagging(await readJets(p), 'hdf5-pandas-table');
  });
  it('parses pickled column lists (protocol 0 text and binary)', () => {
    expect(pickledStrings("(lp0\nVE_0\np1\naVPX_0\np2\na.")).toEqual(['E_0', 'PX_0']);
    expect(pickledStrings("(lp1\nS'E_0'\np2\naS'PX_0'\np3\na.")).toEqual(['E_0', 'PX_0']);
    const bin = Uint8Array.from([0x80, 0x04, 0x95, 0, 0, 0, 0, 0, 0, 0, 0, 0x5d, 0x94, 0x28, 0x8c, 3, 0x45, 0x5f, 0x30, 0x94, 0x8c, 4, 0x50, 0x58, 0x5f, 0x30, 0x94, 0x65, 0x2e]);
    expect(pickledStrings(bin)).toEqual(['E_0', 'PX_0']);
  });
});
