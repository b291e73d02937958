// N-subjettiness against hand-computed two- and three-particle jets, and the W/top vs QCD substructure ordering.
import { describe, expect, it } from 'vitest';
import type { JetSet } from '../../src-main/data/jetset.ts';
import { readJets } from '../../src-main/data/read.ts';
import { exclusiveKtAxes, nSubjettiness, nSubjettinessFromFeatures } from '../../src-main/physics/nsubjettiness.ts';
import { preprocess } from '../../src-main/physics/preprocess.ts';
import { hasShared, sharedPath } from '../helpers/shared.ts';

function jetsOf(list: Array<Array<[number, number, number]>>): JetSet {
  const offsets = new Uint32Array(list.length + 1);
  list.forEach((c, j) => (offsets[j + 1] = offsets[j]! + c.length));
  const flat = list.flat();
  return {
    nJets: list.length, offsets,
    pt: Float64Array.from(flat.map((c) => c[0])) as unknown as Float32Array, // float64 for exact hand values
    eta: Float64Array.from(flat.map((c) => c[1])) as unknown as Float32Array,
    phi: Float64Array.from(flat.map((c) => c[2])) as unknown as Float32Array,
    source: { path: 'memory', format: 'test', featureMap: {}, notes: [] },
  };
}

describe('nSubjettiness', () => {
  it('two equal particles at φ = ±0.1: τ1 = (100·0.1 + 100·0.1)/(200·0.8) = 0.125, τ2 = 0', () => {
    const t = nSubjettiness(jetsOf([[[100, 0, 0.1], [100, 0, -0.1]]]));
    expect(t.tau1[0]).toBeCloseTo(0.125, 6);
    expect(t.tau2[0]).toBe(0);
    expect(t.tau21[0]).toBe(0);
    expect(t.tau32[0]).toBe(0);
  });

  it('three particles: τ2 from merging the kT-closest pair, by hand', () => {
    // A = (100, 0, 0), B = (50, 0, 0.05), C = (80, 0, 0.5). kT distances: AB = 50²·0.05² = 6.25,
    // AC = 80²·0.5² = 1600, BC = 50²·0.45² = 506 → merge A+B: axis φ = atan2(100 sin 0 + 50 sin .05, 100 + 50 cos .05).
    const phiAB = Math.atan2(50 * Math.sin(0.05), 100 + 50 * Math.cos(0.05));
    const tau2 = (100 * phiAB + 50 * (0.05 - phiAB) + 0) / (230 * 0.8);
    const t = nSubjettiness(jetsOf([[[100, 0, 0], [50, 0, 0.05], [80, 0, 0.5]]]));
    expect(t.tau2[0]).toBeCloseTo(tau2, 6);
    expect(t.tau3[0]).toBe(0);
    const axes = exclusiveKtAxes([100, 50, 80], [0, 0, 0], [0, 0.05, 0.5], null, 2);
    expect(axes.map((a) => a.phi).sort()).toEqual([expect.closeTo(phiAB, 9), expect.closeTo(0.5, 9)]);
  });

  it('handles φ wrap-around and β = 2', () => {
    const t = nSubjettiness(jetsOf([[[100, 0, Math.PI - 0.1], [100, 0, -Math.PI + 0.1]]]), { beta: 2 });
    // axis at φ = π; τ1 = Σ pT ΔR² / (Σ pT R0²) = 200·0.01 / (200·0.64)
    expect(t.tau1[0]).toBeCloseTo(0.01 / 0.64, 6);
  });

  it('from features equals from constituents (rotation keeps ΔR up to rapidity effects)', () => {
    const jets = jetsOf([[[100, 0.3, 1], [60, 0.4, 1.1], [30, 0.1, 0.8], [10, 0.5, 0.7]]]);
    const a = nSubjettiness(jets);
    const p = preprocess(jets);
    const b = nSubjettinessFromFeatures(p.x, p.mask, p.size, p.particles);
    expect(b.tau21[0]).toBeCloseTo(a.tau21[0]!, 2);
    expect(b.tau1[0]).toBeCloseTo(a.tau1[0]!, 3);
  });
});

describe.skipIf(!hasShared)('N-subjettiness on the shared Pythia jets', () => {
  it('W jets are two-prong (lower τ21) and top jets three-prong (lower τ32) than QCD', async () => {
    const med = (v: Float32Array) => Float32Array.from(v).sort()[v.length >> 1]!;
    const qcd = nSubjettiness(await readJets(sharedPath('pythia8/qcd.h5'), { maxJets: 500 }));
    const w = nSubjettiness(await readJets(sharedPath('pythia8/w.h5'), { maxJets: 500 }));
    const top = nSubjettiness(await readJets(sharedPath('pythia8/top.h5'), { maxJets: 500 }));
    console.log(`[nsubjettiness] median τ21 qcd ${med(qcd.tau21).toFixed(3)} w ${med(w.tau21).toFixed(3)}; τ32 qcd ${med(qcd.tau32).toFixed(3)} top ${med(top.tau32).toFixed(3)}`);
    expect(med(w.tau21)).toBeLessThan(med(qcd.tau21) - 0.1);
    expect(med(top.tau32)).toBeLessThan(med(qcd.tau32) - 0.05);
  });
});
