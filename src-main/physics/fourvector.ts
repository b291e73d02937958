// Four-vectors of jet constituents from collider coordinates (pT [GeV], η, φ [rad], E [GeV] or massless),
// their sums, invariant mass, and angular distances with φ wrap-around. Pure functions, float64.

/** A four-momentum in Cartesian components [GeV]; z is the beam axis. */
export interface FourVector {
  px: number;
  py: number;
  pz: number;
  e: number;
}

const TWO_PI = 2 * Math.PI;

/** Azimuth wrapped into (−π, π]. Finite input only (NaN/∞ come back as NaN). */
export function wrapPhi(phi: number): number {
  let x = phi % TWO_PI; // (−2π, 2π)
  if (x > Math.PI) x -= TWO_PI;
  else if (x <= -Math.PI) x += TWO_PI;
  return x;
}

/** φ₁ − φ₂ wrapped into (−π, π]. */
export function deltaPhi(phi1: number, phi2: number): number {
  return wrapPhi(phi1 - phi2);
}

/** ΔR = √(Δη² + Δφ²) with Δφ wrapped, the angular distance used for jet cones. */
export function deltaR(eta1: number, phi1: number, eta2: number, phi2: number): number {
  const dEta = eta1 - eta2;
  const dPhi = deltaPhi(phi1, phi2);
  return Math.sqrt(dEta * dEta + dPhi * dPhi);
}

/** Four-vector from (pT, η, φ) and energy E; with E omitted the particle is massless (E = |p| = pT cosh η). */
export function fromPtEtaPhiE(ptGeV: number, eta: number, phi: number, energyGeV?: number): FourVector {
  const pz = ptGeV * Math.sinh(eta);
  return {
    px: ptGeV * Math.cos(phi),
    py: ptGeV * Math.sin(phi),
    pz,
    e: energyGeV ?? ptGeV * Math.cosh(eta),
  };
}

/** Four-vector from (pT, η, φ) and mass m: E = √(pT² cosh²η + m²). */
export function fromPtEtaPhiM(ptGeV: number, eta: number, phi: number, massGeV: number): FourVector {
  const p = ptGeV * Math.cosh(eta);
  return fromPtEtaPhiE(ptGeV, eta, phi, Math.sqrt(p * p + massGeV * massGeV));
}

/** The zero four-vector, a starting point for accumulating sums. */
export function zeroFourVector(): FourVector {
  return { px: 0, py: 0, pz: 0, e: 0 };
}

/** Adds the constituent (pT, η, φ[, E]) into `acc` in place (the allocation-free path for jet sums). */
export function addConstituent(acc: FourVector, ptGeV: number, eta: number, phi: number, energyGeV?: number): FourVector {
  acc.px += ptGeV * Math.cos(phi);
  acc.py += ptGeV * Math.sin(phi);
  acc.pz += ptGeV * Math.sinh(eta);
  acc.e += energyGeV ?? ptGeV * Math.cosh(eta);
  return acc;
}

/** Σ of four-vectors. */
export function sumFourVectors(vs: readonly FourVector[]): FourVector {
  const s = zeroFourVector();
  for (const v of vs) {
    s.px += v.px;
    s.py += v.py;
    s.pz += v.pz;
    s.e += v.e;
  }
  return s;
}

/** Transverse momentum √(px² + py²) [GeV]. */
export function ptOf(v: FourVector): number {
  return Math.sqrt(v.px * v.px + v.py * v.py);
}

/** Pseudorapidity asinh(pz/pT); ±∞ along the beam, 0 for the zero vector. */
export function etaOf(v: FourVector): number {
  const pt = ptOf(v);
  if (pt === 0) return v.pz === 0 ? 0 : v.pz > 0 ? Infinity : -Infinity;
  return Math.asinh(v.pz / pt);
}

/** Rapidity y = ½ ln((E + pz)/(E − pz)); equals η for massless vectors. */
export function rapidityOf(v: FourVector): number {
  return 0.5 * Math.log((v.e + v.pz) / (v.e - v.pz));
}

/** Azimuth atan2(py, px) in (−π, π]; 0 for zero pT. */
export function phiOf(v: FourVector): number {
  if (v.px === 0 && v.py === 0) return 0;
  return wrapPhi(Math.atan2(v.py, v.px));
}

/** Invariant mass squared E² − |p|² [GeV²] (may be slightly negative from rounding). */
export function massSquared(v: FourVector): number {
  return v.e * v.e - v.px * v.px - v.py * v.py - v.pz * v.pz;
}

/** Invariant mass √max(0, E² − |p|²) [GeV]: small negative m² from rounding (massless collinear sums) gives 0. */
export function invariantMass(v: FourVector): number {
  const m2 = massSquared(v);
  return m2 > 0 ? Math.sqrt(m2) : 0;
}
