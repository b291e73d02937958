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
  it('uses FatJetPFCands_jetIdx/pFCandsIdx links when present (link branches simulated by renaming int branches)', async () => {
    const f = await openRoot(PFNANO);
    const { tree, desc } = await describeRoot(PFNANO, f);
    const rename = (from: string, to: string) => (tree.fBranches.arr.find((b) => b.fName === from)!.fName = to);
    rename('PFCands_fromPV', 'FatJetPFCands_jetIdx'); // values 0..3
    rename('PFCands_pvAssocQuality', 'FatJetPFCands_pFCandsIdx'); // small non-negative ints
    const s = await readRootTree(PFNANO, tree, desc, {});
    expect(s.source.notes.join(' ')).toMatch(/links into PFCands/);
    // Expected per-jet multiplicities straight from the raw branches.
    const { jsroot } = await import('../../src-main/util/jsroot.ts');
    const raw = await describeRoot(PFNANO, await openRoot(PFNANO));
    const sel = new jsroot.TSelector();
    sel.addBranch('nFatJet', 'nj');
    sel.addBranch('PFCands_fromPV', 'lj');
    sel.addBranch('PFCands_pvAssocQuality', 'lc');
    const expected: number[] = [];
    sel.Process = function () {
      const v = sel.tgtobj as { nj: number; lj: ArrayLike<number>; lc: ArrayLike<number> };
      for (let j = 0; j < v.nj; j++) {
        let n = 0;
        for (let k = 0; k < v.lj.length; k++) if (v.lj[k] === j) n++;
        expected.push(n);
      }
    };
    await jsroot.treeProcess(raw.tree, sel);
    const got = Array.from({ length: s.nJets }, (_, j) => s.offsets[j + 1]! - s.offsets[j]!);
    expect(got).toEqual(expected.filter((n) => n > 0));
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
