// Jet observables (pT, η, φ, mass, multiplicity) computed from constituents, for stored JetSets and for padded
// generated jets in (log pT, Δη, Δφ) features. Sums in float64; constituents massless when no energy is stored.
import type { JetSet } from '../data/jetset.ts';
import { addConstituent, etaOf, invariantMass, phiOf, ptOf, zeroFourVector, type FourVector } from './fourvector.ts';

/** Per-jet observables computed from constituents. Empty jets get pT = η = φ = mass = 0. */
export interface JetObservables {
  /** Jet transverse momentum |Σ p⃗T| [GeV]. */
  ptGeV: Float32Array;
  /** Jet pseudorapidity of Σ p. */
  eta: Float32Array;
  /** Jet azimuth in (−π, π] [rad]. */
  phi: Float32Array;
  /** Jet invariant mass from the constituents [GeV]. */
  massGeV: Float32Array;
  /** Number of (real) constituents. */
  multiplicity: Int32Array;
}

/** Number of features per particle in padded arrays: (log pT, Δη, Δφ). */
export const FEATURES = 3;

/** The jet four-momentum Σ pᵢ of jet j (float64). */
export function jetFourMomentum(jets: JetSet, j: number): FourVector {
  const acc = zeroFourVector();
  const e = jets.energy;
  for (let i = jets.offsets[j]!, end = jets.offsets[j + 1]!; i < end; i++) {
    addConstituent(acc, jets.pt[i]!, jets.eta[i]!, jets.phi[i]!, e ? e[i]! : undefined);
  }
  return acc;
}

function allocate(n: number): JetObservables {
  return {
    ptGeV: new Float32Array(n),
    eta: new Float32Array(n),
    phi: new Float32Array(n),
    massGeV: new Float32Array(n),
    multiplicity: new Int32Array(n),
  };
}

function store(out: JetObservables, j: number, p: FourVector, count: number): void {
  out.multiplicity[j] = count;
  if (count === 0) return;
  out.ptGeV[j] = ptOf(p);
  out.eta[j] = etaOf(p);
  out.phi[j] = phiOf(p);
  out.massGeV[j] = invariantMass(p);
}

/** Observables of every jet of a JetSet, from its constituents as stored (massless where no energy is stored). */
export function jetObservables(jets: JetSet): JetObservables {
  const out = allocate(jets.nJets);
  for (let j = 0; j < jets.nJets; j++) {
    store(out, j, jetFourMomentum(jets, j), jets.offsets[j + 1]! - jets.offsets[j]!);
  }
  return out;
}

/**
 * Observables of padded jets given as un-standardised features x [size, particles, 3] = (log pT [log GeV], Δη, Δφ)
 * with mask [size, particles] (1 = real). Particles are massless; padded slots are skipped whatever they hold.
 * η and φ are relative to the frame of the features (the jet axis after preprocessing).
 */
export function observablesFromFeatures(x: Float32Array, mask: Uint8Array, size: number, particles: number): JetObservables {
  if (x.length !== size * particles * FEATURES) {
    throw new Error(`observablesFromFeatures: x has ${x.length} values, expected ${size}×${particles}×${FEATURES}`);
  }
  if (mask.length !== size * particles) {
    throw new Error(`observablesFromFeatures: mask has ${mask.length} values, expected ${size}×${particles}`);
  }
  const out = allocate(size);
  for (let j = 0; j < size; j++) {
    const acc = zeroFourVector();
    let count = 0;
    for (let k = 0; k < particles; k++) {
      const slot = j * particles + k;
      if (!mask[slot]) continue;
      const o = slot * FEATURES;
      addConstituent(acc, Math.exp(x[o]!), x[o + 1]!, x[o + 2]!);
      count++;
    }
    store(out, j, acc, count);
  }
  return out;
}
