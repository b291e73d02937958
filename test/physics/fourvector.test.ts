// Four-vector arithmetic against hand-computed values: two-particle masses, a boosted W, φ wrap-around.
import { describe, expect, it } from 'vitest';
import {
  addConstituent, deltaPhi, deltaR, etaOf, fromPtEtaPhiE, fromPtEtaPhiM, invariantMass, phiOf, ptOf, rapidityOf,
  sumFourVectors, wrapPhi, zeroFourVector,
} from '../../src-main/physics/fourvector.ts';

describe('wrapPhi / deltaPhi / deltaR', () => {
  it('maps into (−π, π]', () => {
    expect(wrapPhi(0)).toBe(0);
    expect(wrapPhi(Math.PI)).toBeCloseTo(Math.PI, 15);
    expect(wrapPhi(-Math.PI)).toBeCloseTo(Math.PI, 15); // −π is outside (−π, π]
    expect(wrapPhi(3 * Math.PI / 2)).toBeCloseTo(-Math.PI / 2, 12);
    expect(wrapPhi(-3 * Math.PI / 2)).toBeCloseTo(Math.PI / 2, 12);
    expect(wrapPhi(7 * Math.PI + 0.1)).toBeCloseTo(-Math.PI + 0.1, 12);
    for (let k = -50; k <= 50; k++) {
      const w = wrapPhi(k * 0.37);
      expect(w).toBeGreaterThan(-Math.PI);
      expect(w).toBeLessThanOrEqual(Math.PI);
    }
  });
  it('takes the short way round at ±π', () => {
    expect(deltaPhi(3.1, -3.1)).toBeCloseTo(6.2 - 2 * Math.PI, 12); // −0.0832
    expect(deltaPhi(-3.1, 3.1)).toBeCloseTo(2 * Math.PI - 6.2, 12);
    // (0.3, 3.1) to (0, −3.1): Δη = 0.3, Δφ = 0.0832 → ΔR = 0.31131...
    expect(deltaR(0.3, 3.1, 0, -3.1)).toBeCloseTo(Math.hypot(0.3, 2 * Math.PI - 6.2), 12);
  });
});

describe('four-vectors', () => {
  it('builds massless and massive vectors', () => {
    const v = fromPtEtaPhiE(10, 0, 0);
    expect([v.px, v.py, v.pz, v.e]).toEqual([10, 0, 0, 10]);
    const w = fromPtEtaPhiM(30, 1, 0.5, 4);
    expect(invariantMass(w)).toBeCloseTo(4, 9);
    expect(ptOf(w)).toBeCloseTo(30, 12);
    expect(etaOf(w)).toBeCloseTo(1, 12);
    expect(phiOf(w)).toBeCloseTo(0.5, 12);
  });
  it('mass of two massless particles at 90° is √2·100 GeV', () => {
    // m² = 2 pT1 pT2 (cosh Δη − cos Δφ) = 2·100·100·(1 − 0) = 20000
    const p = sumFourVectors([fromPtEtaPhiE(100, 0, 0), fromPtEtaPhiE(100, 0, Math.PI / 2)]);
    expect(invariantMass(p)).toBeCloseTo(Math.sqrt(20000), 9);
    expect(ptOf(p)).toBeCloseTo(Math.sqrt(20000), 9);
    expect(phiOf(p)).toBeCloseTo(Math.PI / 4, 12);
  });
  it('mass of two massless particles separated in η: m² = 2·50·20·(cosh 1 − 1)', () => {
    const p = sumFourVectors([fromPtEtaPhiE(50, 0.5, 1), fromPtEtaPhiE(20, -0.5, 1)]);
    expect(invariantMass(p)).toBeCloseTo(Math.sqrt(2 * 50 * 20 * (Math.cosh(1) - 1)), 9);
  });
  it('collinear massless particles give mass 0, never NaN', () => {
    const acc = zeroFourVector();
    for (let i = 0; i < 100; i++) addConstituent(acc, 1 + i * 0.13, 1.7, 2.9);
    const m = invariantMass(acc);
    expect(Number.isNaN(m)).toBe(false);
    expect(m).toBeLessThan(1e-3); // √(rounding of E² ≈ 4·10⁶ GeV²)
    expect(invariantMass({ px: 1, py: 0, pz: 0, e: 1 - 1e-12 })).toBe(0); // m² < 0 from rounding → 0
  });
  it("a boosted W's mass from its two daughters (pT 600 GeV, daughters straddling φ = π)", () => {
    // W rest frame: daughters back-to-back, |p*| = m/2 = 40.2, perpendicular to the boost. Boost to pT = 600:
    // each daughter has p∥ = γβ·m/2 = (600/80.4)·40.2 = 300, p⊥ = ±40.2, so pT = √(300² + 40.2²) = 302.68142...,
    // φ = φ_W ± atan(40.2/300) = φ_W ± 0.133206..., η = η_W (massless: rapidity = η, shifted by the boost).
    const mW = 80.4;
    const pt = Math.hypot(300, 40.2);
    expect(pt).toBeCloseTo(302.68142, 4);
    const half = Math.atan(40.2 / 300);
    expect(half).toBeCloseTo(0.133206, 5);
    const phiW = 3.1;
    const etaW = 1.2;
    const d1 = fromPtEtaPhiE(pt, etaW, wrapPhi(phiW + half)); // 3.233206 → −3.049979
    const d2 = fromPtEtaPhiE(pt, etaW, wrapPhi(phiW - half));
    expect(wrapPhi(phiW + half)).toBeCloseTo(-3.049979, 5);
    const w = sumFourVectors([d1, d2]);
    expect(invariantMass(w)).toBeCloseTo(mW, 9);
    expect(ptOf(w)).toBeCloseTo(600, 9);
    expect(rapidityOf(w)).toBeCloseTo(etaW, 12); // a massive W: rapidity 1.2, pseudorapidity a bit larger
    expect(etaOf(w)).toBeGreaterThan(etaW);
    expect(phiOf(w)).toBeCloseTo(phiW, 12);
    // ΔR between daughters = 2·atan(40.2/300) ≈ 2m/pT
    expect(deltaR(etaW, wrapPhi(phiW + half), etaW, phiW - half)).toBeCloseTo(2 * half, 12);
  });
});
