// NumPy .npy/.npz (dtypes, endianness, Fortran order) and long-format CSV readers against known jets.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { readJets, detectFormat } from '../../src-main/data/read.ts';
import type { JetSet } from '../../src-main/data/jetset.ts';
import { denseJets, npyBytes, tempDir, writeH5 } from './fixtures.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const mult = [2, 3, 1];
const P = 4;
const { data, expected } = denseJets(mult, P);

function expectJets(s: JetSet, tol = 4): void {
  expect(s.nJets).toBe(mult.length);
  expect(Array.from(s.offsets)).toEqual([0, 2, 5, 6]);
  for (let j = 0; j < mult.length; j++)
    for (let k = 0; k < mult[j]!; k++) {
      const i = s.offsets[j]! + k;
      const [pt, eta, phi] = expected[j]![k]!;
      expect(s.pt[i]).toBeCloseTo(pt!, tol - 2);
      expect(s.eta[i]).toBeCloseTo(eta!, tol - 2);
      expect(s.phi[i]).toBeCloseTo(phi!, tol - 2);
    }
}

describe('.npy', () => {
  for (const descr of ['<f4', '>f4', '<f8', '>f8', '<f2']) {
    for (const fortran of [false, true]) {
      it(`${descr}${fortran ? ' Fortran order' : ''}`, async () => {
        const p = join(tmp.dir, `a${descr.replace(/[<>]/, (c) => (c === '<' ? 'le' : 'be'))}${fortran ? 'F' : 'C'}.npy`);
        writeFileSync(p, npyBytes(data, [3, P, 3], descr, fortran));
        expect((await detectFormat(p)).container).toBe('npy');
        expectJets(await readJets(p), descr === '<f2' ? 3 : 5);
      });
    }
  }
  it('integer dtypes (int64 big-endian, uint16, int8) convert exactly', async () => {
    const ints = [5, 1, 2, 3, 0, 0, 0, 0, 0, 7, -1, 1, 0, 0, 0, 0, 0, 0];
    for (const descr of ['>i8', '<i8', '<u2', '|i1', '<i4']) {
      const vals = descr.includes('u') ? ints.map(Math.abs) : ints;
      const p = join(tmp.dir, `int${descr.replace(/[<>|]/g, '_')}.npy`);
      writeFileSync(p, npyBytes(vals, [3, 2, 3], descr));
      const s = await readJets(p, { skipEmpty: true });
      expect(s.nJets).toBe(2);
      expect(Array.from(s.pt)).toEqual([5, 3, 7]);
      expect(s.eta[2]).toBe(descr.includes('u') ? 1 : -1);
    }
  });
});

describe('[jets, features, particles] layout', () => {
  it('.npy (3, 3, 12) is recognised as features-first; HDF5 (3, 3, 4) via its feature names', async () => {
    const P2 = 12;
    const { data: pf } = denseJets(mult, P2);
    const fp = new Float32Array(pf.length);
    for (let j = 0; j < 3; j++) for (let p = 0; p < P2; p++) for (let k = 0; k < 3; k++) fp[j * 3 * P2 + k * P2 + p] = pf[(j * P2 + p) * 3 + k]!;
    const p1 = join(tmp.dir, 'fp.npy');
    writeFileSync(p1, npyBytes(fp, [3, 3, P2]));
    const s = await readJets(p1);
    expectJets(s);
    expect(s.source.notes.join(' ')).toMatch(/\[jets, features, particles\]/);
    expect(s.source.featureMap.pt).toMatch(/\[:, 0, :\]/);

    const { data: pf4 } = denseJets(mult, P);
    const fp4 = new Float32Array(pf4.length);
    for (let j = 0; j < 3; j++) for (let p = 0; p < P; p++) for (let k = 0; k < 3; k++) fp4[j * 3 * P + k * P + p] = pf4[(j * P + p) * 3 + k]!;
    const p2 = join(tmp.dir, 'fp.h5');
    await writeH5(p2, { particles: { data: fp4, shape: [3, 3, P], attrs: { features: 'pt,eta,phi' } } });
    expectJets(await readJets(p2));
  });
});

describe('.npz', () => {
  it('finds the rank-3 array and the label array', async () => {
    const p = join(tmp.dir, 'jets.npz');
    writeFileSync(p, zipSync({ 'particles.npy': npyBytes(data, [3, P, 3]), 'label.npy': npyBytes([1, 0, 1], [3], '<i8') }));
    expect((await detectFormat(p)).container).toBe('npz');
    const s = await readJets(p);
    expectJets(s);
    expect(s.labelNames).toEqual(['0', '1']);
    expect(Array.from(s.label!)).toEqual([1, 0, 1]);
    expect(s.source.format).toBe('npz');
  });
});

describe('CSV long format', () => {
  it('one row per constituent with header, label column, shown mapping', async () => {
    const lines = ['jet_id,label,pt,eta,phi'];
    expected.forEach((rows, j) => rows.forEach((r) => lines.push(`${10 + j},${j === 1 ? 'top' : 'qcd'},${r[0]},${r[1]},${r[2]}`)));
    const p = join(tmp.dir, 'jets.txt');
    writeFileSync(p, lines.join('\n') + '\n');
    expect((await detectFormat(p)).container).toBe('csv');
    const s = await readJets(p);
    expectJets(s);
    expect(s.labelNames).toEqual(['qcd', 'top']);
    expect(Array.from(s.label!)).toEqual([0, 1, 0]);
    expect(s.source.featureMap).toMatchObject({ jet: 'jet_id', pt: 'pt', eta: 'eta', phi: 'phi', label: 'label' });
  });
  it('CRLF line ends, comments, blank lines, quoted header and maxJets', async () => {
    const p = join(tmp.dir, 'crlf.csv');
    writeFileSync(p, '# produced by a test\r\n"jet_id","pt","eta","phi"\r\n1,10,0.1,0.2\r\n\r\n1,5,0.2,0.3\r\n2,7,0,1\r\n3,8,0,1');
    const s = await readJets(p);
    expect(Array.from(s.offsets)).toEqual([0, 2, 3, 4]);
    expect(Array.from(s.pt)).toEqual([10, 5, 7, 8]);
    const two = await readJets(p, { maxJets: 2 });
    expect(two.nJets).toBe(2);
    expect(two.source.notes.join(' ')).toMatch(/first 2 jets/);
  });
  it('(E, px, py, pz) columns convert to (pT, η, φ, E); user mapping of columns', async () => {
    const p = join(tmp.dir, 'cart.csv');
    // pT 3-4-5 triangle: px=3, py=4 → pT=5, φ=atan2(4,3); pz = 5 sinh(0.5)
    const pz = 5 * Math.sinh(0.5);
    writeFileSync(p, `evt;Energy;PX;PY;PZ\n1;100;3;4;${pz}\n1;50;-1;0;0\n`);
    const s = await readJets(p, { featureMap: { jet: 'evt', energy: 'Energy', px: 'PX', py: 'PY', pz: 'PZ' } });
    expect(s.nJets).toBe(1);
    expect(s.pt[0]).toBeCloseTo(5, 5);
    expect(s.eta[0]).toBeCloseTo(0.5, 5);
    expect(s.phi[0]).toBeCloseTo(Math.atan2(4, 3), 5);
    expect(s.phi[1]).toBeCloseTo(Math.PI, 5);
    expect(Array.from(s.energy!)).toEqual([100, 50]);
  });
});
