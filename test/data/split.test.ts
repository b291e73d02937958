// Deterministic, disjoint, covering splits; JetSet subsetting and concatenation with labels merged by name.
import { describe, expect, it } from 'vitest';
import type { JetSet } from '../../src-main/data/jetset.ts';
import { concatJets, splitIndices, subsetJets } from '../../src-main/data/split.ts';

function jetsOf(mults: number[], labels?: number[], names?: string[], tag = 0): JetSet {
  const offsets = new Uint32Array(mults.length + 1);
  mults.forEach((m, j) => (offsets[j + 1] = offsets[j]! + m));
  const n = offsets[mults.length]!;
  const js: JetSet = {
    nJets: mults.length,
    offsets,
    pt: Float32Array.from({ length: n }, (_, i) => tag * 1000 + i + 1),
    eta: Float32Array.from({ length: n }, (_, i) => i * 0.01),
    phi: Float32Array.from({ length: n }, (_, i) => -i * 0.01),
    stored: { massGeV: Float32Array.from(mults, (m) => m * 10) },
    source: { path: `set${tag}.h5`, format: 'hdf5-array', featureMap: { pt: 'p' }, notes: [] },
  };
  if (labels) js.label = Int32Array.from(labels);
  if (names) js.labelNames = names;
  return js;
}

describe('splitIndices', () => {
  it('is deterministic, disjoint and covering with the requested sizes', () => {
    const a = splitIndices(1001, 42);
    const b = splitIndices(1001, 42);
    expect(a).toEqual(b);
    expect(a.train.length).toBe(701);
    expect(a.validation.length).toBe(100);
    expect(a.test.length).toBe(200);
    const all = [...a.train, ...a.validation, ...a.test].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 1001 }, (_, i) => i));
    for (const part of [a.train, a.validation, a.test]) for (let i = 1; i < part.length; i++) expect(part[i]!).toBeGreaterThan(part[i - 1]!);
    const c = splitIndices(1001, 43);
    expect(Array.from(c.test)).not.toEqual(Array.from(a.test));
  });
  it('handles edge cases and rejects bad fractions', () => {
    expect(splitIndices(0, 1).train.length).toBe(0);
    const s = splitIndices(10, 1, { train: 1, validation: 0, test: 0 });
    expect(s.train.length).toBe(10);
    expect(s.test.length).toBe(0);
    const norm = splitIndices(100, 1, { train: 2, validation: 1, test: 1 });
    expect([norm.train.length, norm.validation.length, norm.test.length]).toEqual([50, 25, 25]);
    expect(() => splitIndices(10, 1, { train: -1, validation: 1, test: 1 })).toThrow(/invalid split fractions/);
    expect(() => splitIndices(-3, 1)).toThrow(/cannot split/);
  });
});

describe('subsetJets / concatJets', () => {
  it('subsets constituents, labels and stored quantities', () => {
    const js = jetsOf([2, 0, 3, 1], [0, 1, 1, 0], ['qcd', 'w']);
    const sub = subsetJets(js, Uint32Array.from([2, 0, 1]));
    expect(sub.nJets).toBe(3);
    expect(Array.from(sub.offsets)).toEqual([0, 3, 5, 5]);
    expect(Array.from(sub.pt)).toEqual([3, 4, 5, 1, 2]);
    expect(Array.from(sub.label!)).toEqual([1, 0, 1]);
    expect(Array.from(sub.stored!.massGeV!)).toEqual([30, 20, 0]);
    expect(sub.labelNames).toEqual(['qcd', 'w']);
    expect(() => subsetJets(js, Uint32Array.from([4]))).toThrow(/out of range/);
  });
  it('concatenates with labels merged by name', () => {
    const a = jetsOf([1, 2], [0, 1], ['qcd', 'top'], 1);
    const b = jetsOf([1], [0], ['w'], 2);
    const c = jetsOf([2], [1], ['w', 'qcd'], 3);
    const d = jetsOf([1], undefined, undefined, 4);
    const all = concatJets([a, b, c, d]);
    expect(all.nJets).toBe(5);
    expect(Array.from(all.offsets)).toEqual([0, 1, 3, 4, 6, 7]);
    expect(all.labelNames).toEqual(['qcd', 'top', 'w']);
    expect(Array.from(all.label!)).toEqual([0, 1, 2, 0, -1]);
    expect(Array.from(all.pt)).toEqual([1001, 1002, 1003, 2001, 3001, 3002, 4001]);
    expect(Array.from(all.stored!.massGeV!)).toEqual([10, 20, 10, 20, 10]);
    expect(all.source.path).toBe('set1.h5 + set2.h5 + set3.h5 + set4.h5');
    expect(all.energy).toBeUndefined();
  });
  it('fills massless energies for sets without them when another set has energies', () => {
    const a = jetsOf([1], [0], ['qcd'], 1);
    a.energy = Float32Array.from([5000]);
    const b = jetsOf([1], [0], ['qcd'], 2);
    const all = concatJets([a, b]);
    expect(all.energy![0]).toBe(5000);
    expect(all.energy![1]).toBeCloseTo(2001 * Math.cosh(0), 3);
  });
  it('split + subset + concat round-trips a data set', () => {
    const js = jetsOf(Array.from({ length: 50 }, (_, j) => j % 7), Array.from({ length: 50 }, (_, j) => j % 2), ['qcd', 'w']);
    const s = splitIndices(50, 9);
    const parts = [subsetJets(js, s.train), subsetJets(js, s.validation), subsetJets(js, s.test)];
    const back = concatJets(parts);
    const order = Uint32Array.from([...s.train, ...s.validation, ...s.test]);
    expect(back).toMatchObject({ nJets: 50 });
    const direct = subsetJets(js, order);
    expect(Array.from(back.pt)).toEqual(Array.from(direct.pt));
    expect(Array.from(back.label!)).toEqual(Array.from(direct.label!));
  });
});
