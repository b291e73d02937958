// HDF5 dense-array reader: the shared Pythia layout, zero-padding, labels from attributes, JetNet relative features.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readJets, detectFormat } from '../../src-main/data/read.ts';
import { hasShared, sharedPath } from '../helpers/shared.ts';
import { denseJets, tempDir, writeH5 } from './fixtures.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('HDF5 dense arrays (generated)', () => {
  it('drops zero-padded rows, keeps order, maps labels through the label attribute', async () => {
    const mult = [3, 1, 4, 2];
    const { data, expected } = denseJets(mult, 5);
    const p = join(tmp.dir, 'dense.h5');
    await writeH5(
      p,
      { particles: { data, shape: [4, 5, 3] }, label: { data: new Int8Array([1, 0, 1, 3]), dtype: '<b' }, jets: { data: new Float32Array(16).fill(7), shape: [4, 4] } },
      { labels: '0=qcd,1=top,2=w,3=hh4b', particle_features: 'pt,eta,phi' },
    );
    expect((await detectFormat(p)).layout).toBe('hdf5-array');
    const s = await readJets(p);
    expect(s.nJets).toBe(4);
    expect(Array.from(s.offsets)).toEqual([0, 3, 4, 8, 10]);
    expect(s.energy).toBeUndefined();
    for (let j = 0; j < 4; j++) {
      for (let k = 0; k < mult[j]!; k++) {
        const i = s.offsets[j]! + k;
        expect(s.pt[i]).toBeCloseTo(expected[j]![k]![0]!, 4);
        expect(s.eta[i]).toBeCloseTo(expected[j]![k]![1]!, 5);
        const phi = expected[j]![k]![2]!;
        const wrapped = phi <= -Math.PI ? phi + 2 * Math.PI : phi;
        expect(s.phi[i]).toBeCloseTo(wrapped, 5);
      }
    }
    expect(s.labelNames).toEqual(['qcd', 'top', 'w', 'hh4b']);
    expect(Array.from(s.label!)).toEqual([1, 0, 1, 3]);
    expect(s.stored?.massGeV?.[0]).toBe(7);
    const forced = await readJets(p, { label: 'signal', maxJets: 2 });
    expect(forced.nJets).toBe(2);
    expect(forced.labelNames).toEqual(['signal']);
    expect(Array.from(forced.label!)).toEqual([0, 0]);
  });

  it('reads JetNet particle_features (etarel, phirel, ptrel, mask) back to absolute pT and η', async () => {
    const p = join(tmp.dir, 'jetnet.h5');
    // 2 jets × 3 particles: second jet has one masked slot.
    const pf = new Float32Array([0.1, 0.2, 0.5, 1, -0.1, 0.0, 0.3, 1, 0.05, -0.05, 0.2, 1, 0.0, 0.1, 0.6, 1, 0.2, 0.2, 0.4, 1, 0, 0, 0, 0]);
    const jf = new Float32Array([2, 1000, 0.5, 80, 3, 2, 500, -1, 90, 2]);
    await writeH5(p, { particle_features: { data: pf, shape: [2, 3, 4] }, jet_features: { data: jf, shape: [2, 5] } });
    const s = await readJets(p);
    expect(Array.from(s.offsets)).toEqual([0, 3, 5]);
    expect(s.pt[0]).toBeCloseTo(500, 3);
    expect(s.eta[0]).toBeCloseTo(0.6, 5);
    expect(s.phi[0]).toBeCloseTo(0.2, 5);
    expect(s.pt[3]).toBeCloseTo(300, 3);
    expect(s.eta[3]).toBeCloseTo(-1, 5);
    expect(s.labelNames).toEqual(['g', 'q', 't', 'w', 'z']);
    expect(Array.from(s.label!)).toEqual([2, 2]);
  });
});

describe.skipIf(!hasShared)('HDF5 shared Pythia files', () => {
  it('reads w.h5 with labels, no padding rows, and consistent stored multiplicity', async () => {
    const s = await readJets(sharedPath('pythia8/w.h5'));
    expect(s.nJets).toBe(4000);
    expect(s.labelNames).toEqual(['qcd', 'top', 'w', 'hh4b']);
    expect(s.label!.every((l) => l === 2)).toBe(true);
    let zero = 0;
    for (const x of s.pt) if (x === 0) zero++;
    expect(zero).toBe(0);
    for (let j = 0; j < s.nJets; j++) {
      const m = s.offsets[j + 1]! - s.offsets[j]!;
      expect(m).toBe(Math.min(40, s.stored!.nConstituents![j]!));
    }
  });
});
