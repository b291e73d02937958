// Evaluation jets are the held-out test split: for a run's training files exactly its test jets (split over the
// concatenation of its inputs), never a training or validation jet.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitIndices } from '../../src-main/data/split.ts';
import type { JetSet } from '../../src-main/data/jetset.ts';
import { parseSampleArg, readRunSplit, selectJets } from '../../src-main/eval/samples.ts';

const dir = mkdtempSync(join(tmpdir(), 'ebm-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** n one-particle jets whose pT is the jet index (so selections are readable). */
function jets(n: number): JetSet {
  return {
    nJets: n,
    offsets: Uint32Array.from({ length: n + 1 }, (_, i) => i),
    pt: Float32Array.from({ length: n }, (_, i) => i + 1),
    eta: new Float32Array(n),
    phi: new Float32Array(n),
    source: { path: 'x', format: 'test', featureMap: {}, notes: [] },
  };
}

describe('selectJets', () => {
  it("takes exactly the run's test jets of a training file (second input of a concatenation)", () => {
    const runDir = join(dir, 'run');
    const a = join(dir, 'a.h5');
    const b = join(dir, 'b.h5');
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'run.json'), JSON.stringify({ kind: 'ebm-clf', seed: 7, split: { seed: 7, fractions: { train: 0.7, validation: 0.1, test: 0.2 } }, data: [{ path: a, nJets: 30 }, { path: b, nJets: 50 }] }));
    const run = readRunSplit(runDir);
    const sel = selectJets(b, jets(50), 'test', run);
    const full = splitIndices(80, 7);
    const expected = Array.from(full.test).filter((i) => i >= 30).map((i) => i - 30);
    expect(Array.from(sel.indices)).toEqual(expected);
    // No selected jet is a training or validation jet of the run.
    const used = new Set([...full.train, ...full.validation].filter((i) => i >= 30).map((i) => i - 30));
    for (const i of sel.indices) expect(used.has(i)).toBe(false);
    expect(Array.from(sel.jets.pt)).toEqual(expected.map((i) => i + 1));
    expect(() => selectJets(b, jets(49), 'test', run)).toThrow(/trained on 50/);
  });
  it('splits files the run never saw on their own, and --split all keeps everything', () => {
    const sel = selectJets(join(dir, 'other.h5'), jets(100), 'test', null);
    expect(Array.from(sel.indices)).toEqual(Array.from(splitIndices(100, 1).test));
    expect(selectJets('x', jets(5), 'all', null).jets.nJets).toBe(5);
  });
  it('parses FILE[:name]', () => {
    expect(parseSampleArg('../data/top.h5')).toEqual({ path: '../data/top.h5', name: 'top' });
    expect(parseSampleArg('qcd.h5:background')).toEqual({ path: 'qcd.h5', name: 'background' });
  });
});
