// ROOT readers on the shared files (Delphes TRefArray constituents, PFNano flat jagged branches, plain-tree mapping)
// and the ROOT failure modes: Delphes without constituent references, RVec branches (unsupported type).
import { describe, expect, it } from 'vitest';
import { readJets, detectFormat } from '../../src-main/data/read.ts';
import { describeRoot, openRoot, readRootTree } from '../../src-main/data/root.ts';
import { jetObservables } from '../../src-main/physics/observables.ts';
import { UserError } from '../../src-main/util/errors.ts';
import { hasShared, sharedPath } from '../helpers/shared.ts';

const DELPHES = sharedPath('root/delphes_tth_10ev.root');
const PFNANO = sharedPath('root/cms_pfnano_skim_qcd_3ev.root');

describe.skipIf(!hasShared)('ROOT: Delphes', () => {
  it('detects the layout and its jet collections (highest tree cycle)', async () => {
    const info = await detectFormat(DELPHES);
    expect(info).toMatchObject({ container: 'root', layout: 'root-delphes' });
    expect(info.collections).toEqual(expect.arrayContaining(['Jet', 'FatJet']));
  });
  it('Jet: 74 jets whose constituents rebuild the stored jet direction and (before calibration) pT', async () => {
    const s = await readJets(DELPHES, { collection: 'Jet' });
    expect(s.nJets).toBe(74);
    expect(s.source.format).toBe('root-delphes');
    const o = jetObservables(s);
    for (let j = 0; j < s.nJets; j++) {
      expect(o.multiplicity[j]).toBeGreaterThan(0);
      expect(Math.abs(o.eta[j]! - s.stored!.etaJet![j]!)).toBeLessThan(0.05);
      // Delphes applies a jet energy scale after clustering: constituent sum within 15% of the stored pT.
      expect(o.ptGeV[j]! / s.stored!.ptGeV![j]!).toBeGreaterThan(0.85);
      expect(o.ptGeV[j]! / s.stored!.ptGeV![j]!).toBeLessThanOrEqual(1.001);
    }
  });
  it('FatJet: constituent sums reproduce the stored pT and mass exactly (no calibration on fat jets)', async () => {
    const s = await readJets(DELPHES, { collection: 'FatJet', label: 'tth' });
    expect(s.nJets).toBeGreaterThan(0);
    expect(s.labelNames).toEqual(['tth']);
    const o = jetObservables(s);
    for (let j = 0; j < s.nJets; j++) {
      expect(o.ptGeV[j]).toBeCloseTo(s.stored!.ptGeV![j]!, 0);
      expect(o.massGeV[j]! / s.stored!.massGeV![j]!).toBeCloseTo(1, 2);
    }
  });
  it('a Delphes jet collection without constituent references is a clear error', async () => {
    const f = await openRoot(DELPHES);
    const { tree, desc } = await describeRoot(DELPHES, f);
    const jet = tree.fBranches.arr.find((b) => b.fName === 'Jet')!;
    jet.fBranches!.arr = jet.fBranches!.arr.filter((b) => b.fName !== 'Jet.Constituents');
    const err = await readRootTree(DELPHES, tree, desc, { collection: 'Jet' }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(DELPHES);
    expect(err.message).toMatch(/no constituent references/);
    expect(err.hint).toMatch(/Delphes/);
  });
});

describe.skipIf(!hasShared)('ROOT: PFNano flat jagged branches', () => {
  it('FatJets with PFCands within ΔR < 0.8 (no links stored), massive constituents', async () => {
    const info = await detectFormat(PFNANO);
    expect(info.layout).toBe('root-nanoaod');
    const s = await readJets(PFNANO);
    expect(s.source.collection).toBe('FatJet');
    expect(s.nJets).toBe(6);
    expect(s.energy).toBeDefined();
    expect(s.source.notes.join(' ')).toMatch(/ΔR < 0.8/);
    const o = jetObservables(s);
    for (let j = 0; j < s.nJets; j++) {
      expect(Math.abs(o.eta[j]! - s.stored!.etaJet![j]!)).toBeLessThan(0.05);
      expect(o.ptGeV[j]! / s.stored!.ptGeV![j]!).toBeGreaterThan(0.8);
      expect(o.ptGeV[j]! / s.stored!.ptGeV![j]!).toBeLessThan(1.1);
    }
    // every candidate is used at most once: fewer constituents than candidates in the file
    const all = await readJets(PFNANO, { featureMap: { pt: 'PFCands_pt', eta: 'PFCands_eta', phi: 'PFCands_phi' } });
    expect(s.offsets[s.nJets]).toBeLessThan(all.offsets[all.nJets]!);
  });
  it('(c) plain-tree mode with user-mapped jagged branches: one jet per entry', async () => {
    const s = await readJets(PFNANO, { featureMap: { pt: 'PFCands_pt', eta: 'PFCands_eta', phi: 'PFCands_phi' } });
    expect(s.source.format).toBe('root-tree');
    expect(s.nJets).toBe(3);
    expect(s.source.featureMap).toMatchObject({ pt: 'PFCands_pt', eta: 'PFCands_eta', phi: 'PFCands_phi' });
    expect(s.offsets[3]).toBeGreaterThan(1000);
  });
  it('a mapped branch that does not exist names the branch', async () => {
    const err = await readJets(PFNANO, { featureMap: { pt: 'nope_pt', eta: 'PFCands_eta', phi: 'PFCands_phi' } }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/nope_pt/);
  });
  it('RVec branches are rejected as an unsupported branch type, never read as garbage', async () => {
    const f = await openRoot(PFNANO);
    const { tree, desc } = await describeRoot(PFNANO, f);
    const b = tree.fBranches.arr.find((x) => x.fName === 'PFCands_pt')!;
    b.fClassName = 'ROOT::VecOps::RVec<float>';
    const err = await readRootTree(PFNANO, tree, desc, {}).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toMatch(/unsupported branch type/);
  });
});
