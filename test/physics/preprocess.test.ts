// The paper's preprocessing: centering with φ wrap-around, principal-axis rotation, pT order, padding, standardisation,
// the inverse map, and mass invariance on the shared Pythia jets.
import { describe, expect, it } from 'vitest';
import type { JetSet } from '../../src-main/data/jetset.ts';
import { deltaPhi } from '../../src-main/physics/fourvector.ts';
import { jetObservables, observablesFromFeatures } from '../../src-main/physics/observables.ts';
import {
  destandardize, fitStandardizer, maskFromMultiplicities, multiplicityHistogram, preprocess, sampleMultiplicities,
  standardize, toJetSet,
} from '../../src-main/physics/preprocess.ts';
import { Rng } from '../../src-main/util/rng.ts';
import { hasShared, sharedPath } from '../helpers/shared.ts';
import { readJets } from '../../src-main/data/read.ts';

function makeJets(list: Array<Array<[number, number, number]>>, labels?: number[]): JetSet {
  const offsets = new Uint32Array(list.length + 1);
  const flat = list.flat();
  list.forEach((c, j) => (offsets[j + 1] = offsets[j]! + c.length));
  const jets: JetSet = {
    nJets: list.length,
    offsets,
    pt: Float32Array.from(flat.map((c) => c[0])),
    eta: Float32Array.from(flat.map((c) => c[1])),
    phi: Float32Array.from(flat.map((c) => c[2])),
    source: { path: 'memory', format: 'test', featureMap: {}, notes: [] },
  };
  if (labels) {
    jets.label = Int32Array.from(labels);
    jets.labelNames = ['qcd', 'w'];
  }
  return jets;
}

/** A random jet of n particles around (eta0, phi0) with width w. */
function randomJet(rng: Rng, n: number, eta0: number, phi0: number, w: number): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i++) {
    const phi = phi0 + w * rng.normal();
    out.push([1 + 200 * rng.uniform() ** 3, eta0 + w * rng.normal(), Math.atan2(Math.sin(phi), Math.cos(phi))]);
  }
  return out;
}

const feat = (p: { x: Float32Array }, j: number, k: number, N: number) => Array.from(p.x.subarray((j * N + k) * 3, (j * N + k) * 3 + 3));

describe('preprocess', () => {
  it('centers a jet straddling φ = π without wrap-around artefacts', () => {
    const jets = makeJets([[[100, 0.5, 3.1], [100, 0.5, -3.1]]]);
    const p = preprocess(jets, { particles: 4, rotate: false });
    // jet axis φ_J = π; Δφ = 3.1 − π = −0.0416 and −3.1 + π = +0.0416
    expect(Math.abs(Math.abs(p.axis[1]!) - Math.PI)).toBeLessThan(1e-6);
    // centered on the jet rapidity: two massless particles at η = 0.5 form a jet of rapidity exactly 0.5
    expect(p.axis[0]).toBeCloseTo(0.5, 6);
    const d = Math.PI - 3.1;
    expect(Math.abs(feat(p, 0, 0, 4)[2]!)).toBeCloseTo(d, 5);
    expect(feat(p, 0, 0, 4)[2]! + feat(p, 0, 1, 4)[2]!).toBeCloseTo(0, 6);
    expect(feat(p, 0, 0, 4)[1]).toBeCloseTo(0, 6);
    expect(feat(p, 0, 0, 4)[0]).toBeCloseTo(Math.log(100), 6);
  });

  it('rotates a hand-made jet: principal axis along +η ends up along +Δφ', () => {
    // hard particle at the axis-ish, softer ones spread along +η: u points along +η, α = +π/2
    const jets = makeJets([[[300, 0, 0], [100, 0.2, 0], [50, 0.35, 0]]]);
    const p = preprocess(jets, { particles: 3 });
    const alpha = p.axis[2]!;
    expect(Math.abs(alpha)).toBeCloseTo(Math.PI / 2, 5);
    // after rotation every particle lies on the Δη = 0 line
    for (let k = 0; k < 3; k++) expect(feat(p, 0, k, 3)[1]).toBeCloseTo(0, 6);
    // and the principal axis points up: energy-weighted unit vectors sum to +Δφ
    let uPhi = 0;
    for (let k = 0; k < 3; k++) {
      const [lp, de, dp] = feat(p, 0, k, 3) as [number, number, number];
      const R = Math.hypot(de, dp);
      if (R > 0) uPhi += (dp * Math.exp(lp) * Math.cosh(de)) / R;
    }
    expect(uPhi).toBeGreaterThan(0);
  });

  it('after rotation the principal axis is vertical and up for random jets', () => {
    const rng = new Rng(7);
    const list = Array.from({ length: 50 }, (_, j) => randomJet(rng, 3 + (j % 30), rng.normal(), Math.PI * (2 * rng.uniform() - 1), 0.2));
    const p = preprocess(makeJets(list), { particles: 40 });
    for (let j = 0; j < 50; j++) {
      let uEta = 0, uPhi = 0;
      for (let k = 0; k < 40; k++) {
        if (!p.mask[j * 40 + k]) continue;
        const [lp, de, dp] = feat(p, j, k, 40) as [number, number, number];
        const R = Math.hypot(de, dp);
        const a = p.axis[j * 3 + 2]!;
        const e = Math.exp(lp) * Math.cosh(de * Math.cos(a) + dp * Math.sin(a)); // energy in the un-rotated frame
        uEta += (de * e) / R;
        uPhi += (dp * e) / R;
      }
      expect(Math.abs(uEta) / uPhi).toBeLessThan(1e-4);
      expect(uPhi).toBeGreaterThan(0);
    }
  });

  it('pT-orders, truncates to N, and padding never looks like a particle', () => {
    const rng = new Rng(3);
    const big = randomJet(rng, 45, 0.1, -1, 0.3);
    const small = randomJet(rng, 5, -1, 2, 0.3);
    const jets = makeJets([big, small, []], [0, 1, 0]);
    const p = preprocess(jets, { particles: 40 });
    expect(p.x.length).toBe(3 * 40 * 3);
    expect(p.label).toEqual(Int32Array.from([0, 1, 0]));
    expect(p.labelNames).toEqual(['qcd', 'w']);
    const sortedPt = big.map((c) => c[0]).sort((a, b) => b - a);
    for (let k = 0; k < 40; k++) {
      expect(p.mask[k]).toBe(1);
      expect(feat(p, 0, k, 40)[0]).toBeCloseTo(Math.log(Math.fround(sortedPt[k]!)), 5);
    }
    for (let k = 0; k < 40; k++) expect(p.mask[40 + k]).toBe(k < 5 ? 1 : 0);
    expect(Array.from(p.mask.subarray(80))).toEqual(new Array(40).fill(0));
    for (let s = 0; s < 120; s++) if (!p.mask[s]) expect(Array.from(p.x.subarray(s * 3, s * 3 + 3))).toEqual([0, 0, 0]);
    const obs = observablesFromFeatures(p.x, p.mask, 3, 40);
    expect(Array.from(obs.multiplicity)).toEqual([40, 5, 0]);
    expect(obs.ptGeV[2]).toBe(0);
    expect(Array.from(multiplicityHistogram(p.mask, 3, 40)).map((v, m) => (v ? m : -1)).filter((m) => m >= 0)).toEqual([0, 5, 40]);
  });

  it('the inverse map round-trips (preprocess → toJetSet with axis)', () => {
    const rng = new Rng(11);
    const list = Array.from({ length: 30 }, (_, j) => randomJet(rng, 1 + j, 2 * rng.normal(), j % 2 ? 3.05 : -2 + rng.uniform(), 0.15));
    const jets = makeJets(list);
    const p = preprocess(jets, { particles: 40 });
    const back = toJetSet(p.x, p.mask, p.size, p.particles, { axis: p.axis });
    expect(back.nJets).toBe(30);
    for (let j = 0; j < 30; j++) {
      const orig = list[j]!.map((c) => c.map(Math.fround) as [number, number, number]).sort((a, b) => b[0] - a[0]);
      const start = back.offsets[j]!;
      expect(back.offsets[j + 1]! - start).toBe(orig.length);
      orig.forEach(([pt, eta, phi], k) => {
        expect(back.pt[start + k]! / pt).toBeCloseTo(1, 5);
        expect(back.eta[start + k]).toBeCloseTo(eta, 5);
        expect(Math.abs(deltaPhi(back.phi[start + k]!, phi))).toBeLessThan(1e-5);
        expect(back.phi[start + k]!).toBeGreaterThan(-Math.PI - 1e-7);
        expect(back.phi[start + k]!).toBeLessThanOrEqual(Math.PI + 1e-7);
      });
    }
  });

  it('rejects constituents with pT ≤ 0 or NaN naming the file', () => {
    expect(() => preprocess(makeJets([[[0, 0, 0]]]))).toThrow(/memory: jet 0 .*pT=0/);
    expect(() => preprocess(makeJets([[[1, NaN, 0]]]))).toThrow(/η=NaN/);
  });
});

describe('standardisation', () => {
  it('fits on real particles only; padded slots stay exactly 0; destandardize inverts', () => {
    const x = Float32Array.from([1, 2, 3, 3, 4, 5, 99, 99, 99, 0, 0, 0]);
    const mask = Uint8Array.from([1, 1, 0, 0]);
    const s = fitStandardizer({ x, mask });
    expect(s.mean).toEqual([2, 3, 4]);
    expect(s.std).toEqual([1, 1, 1]);
    const z = standardize(x, mask, s);
    expect(Array.from(z)).toEqual([-1, -1, -1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const back = destandardize(z, mask, s);
    expect(Array.from(back.subarray(0, 6))).toEqual([1, 2, 3, 3, 4, 5]);
    expect(Array.from(back.subarray(6))).toEqual([0, 0, 0, 0, 0, 0]);
  });
  it('a constant feature gets std 1, not a division by zero', () => {
    const s = fitStandardizer({ x: Float32Array.from([1, 5, 0, 1, 7, 0]), mask: Uint8Array.from([1, 1]) });
    expect(s.std).toEqual([1, 1, 1]);
  });
});

describe('multiplicities for negatives', () => {
  it('samples from the histogram and builds left-aligned masks', () => {
    const hist = Float64Array.from([0, 0, 3, 0, 1]);
    const rng = new Rng(5);
    const m = sampleMultiplicities(hist, 4000, () => rng.uniform());
    const counts = [0, 0, 0, 0, 0];
    for (const v of m) counts[v]!++;
    expect(counts[0]! + counts[1]! + counts[3]!).toBe(0);
    expect(counts[2]! / 4000).toBeGreaterThan(0.72);
    expect(counts[2]! / 4000).toBeLessThan(0.78);
    expect(Array.from(maskFromMultiplicities(Int32Array.from([2, 4, 0]), 4))).toEqual([1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
  });
});

describe.skipIf(!hasShared)('preprocess on the shared Pythia jets', () => {
  const median = (v: ArrayLike<number>) => Float64Array.from(v).sort()[v.length >> 1]!;

  it('centering alone (boost + azimuthal rotation) keeps every jet mass and pT exactly', async () => {
    const jets = await readJets(sharedPath('pythia8/w.h5'), { maxJets: 1000 });
    const before = jetObservables(jets);
    const p = preprocess(jets, { rotate: false });
    const after = observablesFromFeatures(p.x, p.mask, p.size, p.particles);
    for (let j = 0; j < jets.nJets; j++) {
      expect(after.massGeV[j]! / before.massGeV[j]!).toBeCloseTo(1, 4);
      expect(after.ptGeV[j]! / before.ptGeV[j]!).toBeCloseTo(1, 5);
      expect(Math.abs(after.eta[j]!)).toBeLessThan(1e-6); // boosted to jet rapidity 0
      expect(Math.abs(after.phi[j]!)).toBeLessThan(1e-6);
    }
  });

  it('with the rotation, jet mass is unchanged within 1% (per-jet median, sample median and mean) and round-trips', async () => {
    const jets = await readJets(sharedPath('pythia8/qcd.h5'), { maxJets: 3000 });
    const before = jetObservables(jets);
    const p = preprocess(jets);
    const after = observablesFromFeatures(p.x, p.mask, p.size, p.particles);
    const rel: number[] = [];
    let signed = 0;
    for (let j = 0; j < jets.nJets; j++) {
      const r = after.massGeV[j]! / before.massGeV[j]! - 1;
      rel.push(Math.abs(r));
      signed += r / jets.nJets;
      expect(after.multiplicity[j]).toBe(before.multiplicity[j]);
    }
    rel.sort((a, b) => a - b);
    // The (η, φ)-plane rotation is not a Lorentz transformation: masses move at O(R⁴) (measured: median 0.4%,
    // p99 4% on QCD). The mass distribution, which is what the model learns, moves by well under 1%.
    expect(rel[rel.length >> 1]!).toBeLessThan(0.01);
    expect(Math.abs(signed)).toBeLessThan(0.01);
    expect(Math.abs(median(after.massGeV) / median(before.massGeV) - 1)).toBeLessThan(0.01);
    expect(Math.abs(median(after.ptGeV) / median(before.ptGeV) - 1)).toBeLessThan(0.01);
    // the inverse map brings back the original constituents (masses to float precision)
    const back = jetObservables(toJetSet(p.x, p.mask, p.size, p.particles, { axis: p.axis }));
    for (let j = 0; j < jets.nJets; j++) {
      expect(back.massGeV[j]! / before.massGeV[j]!).toBeCloseTo(1, 3);
      expect(back.eta[j]!).toBeCloseTo(before.eta[j]!, 4);
      expect(Math.abs(deltaPhi(back.phi[j]!, before.phi[j]!))).toBeLessThan(1e-4);
    }
  });
});
