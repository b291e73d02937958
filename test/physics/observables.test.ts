// Jet observables from constituents: hand-computed small jets, padded-feature jets, and the shared Pythia QCD medians.
import { describe, expect, it } from 'vitest';
import type { JetSet } from '../../src-main/data/jetset.ts';
import { jetObservables, observablesFromFeatures } from '../../src-main/physics/observables.ts';
import { hasShared, sharedPath } from '../helpers/shared.ts';
import { readJets } from '../../src-main/data/read.ts';

function tinyJets(withEnergy = false): JetSet {
  // jet 0: two massless 100 GeV particles at 90° (m = √20000, pT = √20000, φ = π/4)
  // jet 1: boosted-W daughters straddling φ = π (m = 80.4, pT = 600, φ = 3.1)
  // jet 2: empty
  const half = Math.atan(40.2 / 300);
  const ptD = Math.hypot(300, 40.2);
  const pt = [100, 100, ptD, ptD];
  const eta = [0, 0, 1.2, 1.2];
  const phi = [0, Math.PI / 2, 3.1 + half - 2 * Math.PI, 3.1 - half];
  const jets: JetSet = {
    nJets: 3,
    offsets: Uint32Array.from([0, 2, 4, 4]),
    pt: Float32Array.from(pt),
    eta: Float32Array.from(eta),
    phi: Float32Array.from(phi),
    source: { path: 'memory', format: 'test', featureMap: {}, notes: [] },
  };
  if (withEnergy) jets.energy = Float32Array.from(pt.map((p, i) => Math.sqrt((p * Math.cosh(eta[i]!)) ** 2 + 1)));
  return jets;
}

describe('jetObservables', () => {
  it('matches hand-computed masses, pT, φ and multiplicity (float32 storage tolerance)', () => {
    const o = jetObservables(tinyJets());
    expect(o.massGeV[0]).toBeCloseTo(Math.sqrt(20000), 3);
    expect(o.ptGeV[0]).toBeCloseTo(Math.sqrt(20000), 3);
    expect(o.phi[0]).toBeCloseTo(Math.PI / 4, 5);
    expect(o.eta[0]).toBeCloseTo(0, 6);
    expect(o.massGeV[1]).toBeCloseTo(80.4, 2);
    expect(o.ptGeV[1]).toBeCloseTo(600, 2);
    expect(o.phi[1]).toBeCloseTo(3.1, 5);
    expect(Array.from(o.multiplicity)).toEqual([2, 2, 0]);
    expect([o.ptGeV[2], o.eta[2], o.phi[2], o.massGeV[2]]).toEqual([0, 0, 0, 0]);
  });
  it('uses stored energies when present (1 GeV mass per particle raises the jet mass)', () => {
    const o = jetObservables(tinyJets(true));
    // m² = m1² + m2² + 2(E1E2 − p1·p2) with m = 1 each; E·E − p·p for the 90° pair: E = √(100²+1)
    const e = Math.sqrt(100 * 100 + 1);
    expect(o.massGeV[0]).toBeCloseTo(Math.sqrt(2 + 2 * e * e), 2);
    expect(o.massGeV[0]).toBeGreaterThan(Math.sqrt(20000));
  });
});

describe('observablesFromFeatures', () => {
  it('skips padded slots whatever they hold and treats particles as massless', () => {
    const size = 2, particles = 3;
    const x = new Float32Array(size * particles * 3);
    const mask = new Uint8Array(size * particles);
    // jet 0: two 100 GeV particles at Δφ = ±π/4 (90° apart), a junk padded slot
    x.set([Math.log(100), 0, Math.PI / 4, Math.log(100), 0, -Math.PI / 4, 9, 9, 9], 0);
    mask.set([1, 1, 0], 0);
    // jet 1: one particle
    x.set([Math.log(50), 0.3, 0.1], 9);
    mask.set([1, 0, 0], 3);
    const o = observablesFromFeatures(x, mask, size, particles);
    expect(o.massGeV[0]).toBeCloseTo(Math.sqrt(20000), 3);
    expect(o.phi[0]).toBeCloseTo(0, 6);
    expect(o.multiplicity[0]).toBe(2);
    expect(o.massGeV[1]).toBeLessThan(1e-3); // one massless particle (rounding only)
    expect(o.ptGeV[1]).toBeCloseTo(50, 4);
    expect(o.eta[1]).toBeCloseTo(0.3, 6);
    expect(o.multiplicity[1]).toBe(1);
  });
  it('rejects mis-sized arrays', () => {
    expect(() => observablesFromFeatures(new Float32Array(5), new Uint8Array(2), 1, 2)).toThrow(/expected 1×2×3/);
  });
});

describe.skipIf(!hasShared)('jetObservables on the shared Pythia QCD jets', () => {
  it('median constituent mass ≈ 61 GeV and pT in the 550–650 window (README)', async () => {
    const jets = await readJets(sharedPath('pythia8/qcd.h5'), { maxJets: 2000 });
    const o = jetObservables(jets);
    const median = (a: Float32Array) => { const s = Float32Array.from(a).sort(); return s[s.length >> 1]!; };
    expect(median(o.massGeV)).toBeGreaterThan(55);
    expect(median(o.massGeV)).toBeLessThan(67);
    expect(median(o.ptGeV)).toBeGreaterThan(500);
    expect(median(o.ptGeV)).toBeLessThan(650);
    expect(Math.max(...o.multiplicity)).toBeLessThanOrEqual(40);
  });
});
