// The embedded sample: present in the checkout, readable, labelled, and exactly a subset of the shared Pythia jets.
import { afterEach, describe, expect, it } from 'vitest';
import { readJets } from '../../src-main/data/read.ts';
import { resourcesDir, sampleDir, sampleFiles } from '../../src-main/data/sample.ts';
import { jetObservables } from '../../src-main/physics/observables.ts';
import { hasShared, sharedPath } from '../helpers/shared.ts';

const saved = process.env.EBM_HEP_RESOURCES;
afterEach(() => {
  if (saved === undefined) delete process.env.EBM_HEP_RESOURCES;
  else process.env.EBM_HEP_RESOURCES = saved;
});

describe('embedded sample', () => {
  it('ships four labelled files with the documented jet counts', async () => {
    const files = sampleFiles();
    const expected = { qcd: 4000, w: 1000, top: 1000, hh4b: 1000 };
    for (const [cls, path] of Object.entries(files)) {
      const jets = await readJets(path);
      expect(jets.nJets).toBe(expected[cls as keyof typeof expected]);
      expect(jets.labelNames).toEqual(['qcd', 'top', 'w', 'hh4b']);
      expect(new Set(Array.from(jets.label!, (l) => jets.labelNames![l]))).toEqual(new Set([cls]));
      expect(jets.stored?.massGeV?.length).toBe(jets.nJets);
    }
    const w = jetObservables(await readJets(files.w));
    const m = Float32Array.from(w.massGeV).sort()[500]!;
    expect(m).toBeGreaterThan(60); // W peak from 40 massless constituents
    expect(m).toBeLessThan(95);
  });
  it('honours EBM_HEP_RESOURCES and names the missing file', () => {
    process.env.EBM_HEP_RESOURCES = '/nonexistent/res';
    expect(resourcesDir()).toBe('/nonexistent/res');
    expect(sampleDir()).toBe('/nonexistent/res/sample');
    expect(() => sampleFiles()).toThrow(/\/nonexistent\/res\/sample\/qcd\.h5 is missing/);
  });
});

describe.skipIf(!hasShared)('embedded sample vs ../shared', () => {
  it('every sample jet is a jet of the shared file, constituents bit-identical', async () => {
    const sample = await readJets(sampleFiles().top);
    const full = await readJets(sharedPath('pythia8/top.h5'));
    const key = (js: typeof full, j: number) => Array.from(js.pt.subarray(js.offsets[j]!, js.offsets[j + 1]!)).join(',') + '|' + Array.from(js.eta.subarray(js.offsets[j]!, js.offsets[j + 1]!)).join(',');
    const keys = new Set(Array.from({ length: full.nJets }, (_, j) => key(full, j)));
    for (let j = 0; j < sample.nJets; j++) expect(keys.has(key(sample, j))).toBe(true);
  });
});
