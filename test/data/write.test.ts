// Writers: JetSet → HDF5 (shared layout) / .npy / .npz → read back with h5wasm directly and with readJets: equal.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from '../../src-main/util/h5wasm.ts';
import { afterAll, describe, expect, it } from 'vitest';
import type { JetSet } from '../../src-main/data/jetset.ts';
import { readJets } from '../../src-main/data/read.ts';
import { subsetJets } from '../../src-main/data/split.ts';
import { encodeNpy, toDenseJets, writeGeneratedHdf5, writeJetsHdf5, writeJetsNpy, writeJetsNpz } from '../../src-main/data/write.ts';
import { jetObservables } from '../../src-main/physics/observables.ts';
import { preprocess } from '../../src-main/physics/preprocess.ts';
import { Rng } from '../../src-main/util/rng.ts';
import { hasShared, sharedPath } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'ebm-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomJets(n: number, seed: number, withEnergy = false): JetSet {
  const rng = new Rng(seed);
  const mults = Array.from({ length: n }, (_, j) => (j === 0 ? 45 : 1 + rng.int(30)));
  const offsets = new Uint32Array(n + 1);
  mults.forEach((m, j) => (offsets[j + 1] = offsets[j]! + m));
  const total = offsets[n]!;
  const pt = Float32Array.from({ length: total }, () => 0.5 + 100 * rng.uniform());
  const eta = Float32Array.from({ length: total }, () => rng.normal() * 0.3 + 1);
  const phi = Float32Array.from({ length: total }, () => 3 * (2 * rng.uniform() - 1));
  const js: JetSet = {
    nJets: n, offsets, pt, eta, phi,
    label: Int32Array.from({ length: n }, (_, j) => j % 3),
    labelNames: ['qcd', 'top', 'w'],
    source: { path: 'memory', format: 'test', featureMap: {}, notes: [] },
  };
  if (withEnergy) js.energy = Float32Array.from(pt, (p, i) => p * Math.cosh(eta[i]!) * 1.01);
  return js;
}

/** The JetSet truncated to its 40 hardest constituents per jet, pT-descending (what the layout stores). */
function sortedTruncated(js: JetSet, N = 40) {
  const out: Array<Array<number[]>> = [];
  for (let j = 0; j < js.nJets; j++) {
    const c: number[][] = [];
    for (let i = js.offsets[j]!; i < js.offsets[j + 1]!; i++) c.push([js.pt[i]!, js.eta[i]!, js.phi[i]!, ...(js.energy ? [js.energy[i]!] : [])]);
    c.sort((a, b) => b[0]! - a[0]!);
    out.push(c.slice(0, N));
  }
  return out;
}
function constituents(js: JetSet) {
  return sortedTruncated(js, Infinity);
}

describe('writeJetsHdf5', () => {
  it('writes the shared layout (h5wasm read-back) and readJets returns the same jets', async () => {
    const js = randomJets(60, 1);
    const path = join(dir, 'a.h5');
    await writeJetsHdf5(path, js, { attributes: { generator: 'unit test' } });
    await h5wasm.ready;
    const f = new h5wasm.File(path, 'r');
    try {
      const p = f.get('particles') as InstanceType<typeof h5wasm.Dataset>;
      expect(p.shape).toEqual([60, 40, 3]);
      expect(p.dtype).toBe('<f');
      expect(p.filters.map((x) => x.name)).toContain('deflate');
      const x = p.value as Float32Array;
      const ref = sortedTruncated(js);
      for (let j = 0; j < 60; j++) {
        for (let k = 0; k < 40; k++) {
          const row = Array.from(x.subarray((j * 40 + k) * 3, (j * 40 + k) * 3 + 3));
          expect(row).toEqual(ref[j]![k] ?? [0, 0, 0]);
        }
      }
      const nc = (f.get('n_constituents') as InstanceType<typeof h5wasm.Dataset>).value as Int16Array;
      expect(nc).toBeInstanceOf(Int16Array);
      expect(nc[0]).toBe(45);
      const lab = (f.get('label') as InstanceType<typeof h5wasm.Dataset>).value as Int8Array;
      expect(Array.from(lab)).toEqual(Array.from(js.label!));
      const kin = (f.get('jets') as InstanceType<typeof h5wasm.Dataset>).value as Float32Array;
      const obs = jetObservables(js);
      expect(kin[1 * 4 + 3]).toBeCloseTo(obs.massGeV[1]!, 3);
      expect(kin[1 * 4 + 0]).toBeCloseTo(obs.ptGeV[1]!, 3);
      expect(f.attrs.labels!.json_value).toBe('0=qcd,1=top,2=w');
      expect(f.attrs.particle_features!.json_value).toBe('pt,eta,phi');
      expect(f.attrs.generator!.json_value).toBe('unit test');
    } finally {
      f.close();
    }
    const back = await readJets(path);
    expect(back.nJets).toBe(60);
    expect(back.labelNames).toEqual(['qcd', 'top', 'w']);
    expect(Array.from(back.label!)).toEqual(Array.from(js.label!));
    expect(constituents(back)).toEqual(sortedTruncated(js));
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('appends energies as a 4th feature and writes uncompressed on request', async () => {
    const js = randomJets(10, 2, true);
    const path = join(dir, 'e.h5');
    await writeJetsHdf5(path, js, { gzipLevel: 0 });
    const back = await readJets(path);
    expect(back.energy).toBeDefined();
    expect(constituents(back)).toEqual(sortedTruncated(js));
  });

  it('writes generated jets from padded features', async () => {
    const js = randomJets(20, 3);
    const p = preprocess(js);
    const path = join(dir, 'g.h5');
    await writeGeneratedHdf5(path, p.x, p.mask, p.size, p.particles, { axis: p.axis, label: p.label, labelNames: p.labelNames });
    const back = await readJets(path);
    const a = jetObservables(back), b = jetObservables(subsetJets(js, Uint32Array.from({ length: 20 }, (_, i) => i)));
    // jet 0 was truncated to 40 by preprocess: compare the others exactly in mass
    for (let j = 1; j < 20; j++) expect(a.massGeV[j]! / b.massGeV[j]!).toBeCloseTo(1, 3);
    expect(back.labelNames).toEqual(['qcd', 'top', 'w']);
  });

  it('fails with a clear error on an unwritable path and leaves no temp file', async () => {
    await expect(writeJetsHdf5(join(dir, 'no-such-dir', 'x.h5'), randomJets(3, 4))).rejects.toThrow(/cannot write/);
  });
});

describe('NumPy writers', () => {
  it('encodes a valid .npy header (64-byte aligned)', () => {
    const b = encodeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const hlen = b[8]! | (b[9]! << 8);
    expect((10 + hlen) % 64).toBe(0);
    const header = new TextDecoder().decode(b.subarray(10, 10 + hlen));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \}\s*\n$/);
    expect(Array.from(new Float32Array(b.slice(10 + hlen).buffer))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new TextDecoder().decode(encodeNpy(new Int8Array(3), [3]).subarray(10, 70))).toContain("'shape': (3,)");
  });
  it('.npy and .npz round-trip through readJets', async () => {
    const js = randomJets(30, 5);
    const npy = join(dir, 'a.npy');
    writeJetsNpy(npy, js);
    expect(constituents(await readJets(npy))).toEqual(sortedTruncated(js));
    const npz = join(dir, 'a.npz');
    writeJetsNpz(npz, js);
    const back = await readJets(npz);
    expect(constituents(back)).toEqual(sortedTruncated(js));
    expect(Array.from(back.label!)).toEqual(Array.from(js.label!));
  });
  it('toDenseJets pads with exact zeros', () => {
    const d = toDenseJets(randomJets(5, 6), { particles: 50 });
    expect(d.x.length).toBe(5 * 50 * 3);
    expect(Array.from(d.x.subarray(d.x.length - 3))).toEqual([0, 0, 0]);
  });
});

describe.skipIf(!hasShared)('write the shared Pythia layout', () => {
  it('read → write → read keeps constituents, labels and stored jet kinematics', async () => {
    const src = await readJets(sharedPath('pythia8/top.h5'), { maxJets: 300 });
    const path = join(dir, 'top.h5');
    await writeJetsHdf5(path, src, { jetKinematics: 'stored' });
    const back = await readJets(path);
    expect(back.nJets).toBe(300);
    expect(constituents(back)).toEqual(constituents(src));
    expect(back.labelNames![back.label![0]!]).toBe('top');
    expect(Array.from(back.stored!.massGeV!)).toEqual(Array.from(src.stored!.massGeV!));
    expect(Array.from(back.stored!.nConstituents!)).toEqual(Array.from(src.stored!.nConstituents!));
  });
});
