// N-subjettiness τ_N (Thaler & Van Tilburg, JHEP 03 (2011) 015) with exclusive-kT axes, and the substructure
// ratios τ21 = τ2/τ1 (two-prong: W, Z, H) and τ32 = τ3/τ2 (three-prong: top). Pure functions, float64.
//
//   τ_N = Σᵢ pTᵢ · min_k ΔR(i, k)^β / Σᵢ pTᵢ · R0^β
//
// Axes: the N exclusive jets of a kT clustering of the constituents with R → ∞ (pairwise distance
// min(pTᵢ², pTⱼ²)·ΔRᵢⱼ², E-scheme recombination, (rapidity, φ) distances), i.e. FastJet contrib Nsubjettiness's
// `KT_Axes()` — WITHOUT the one-pass minimisation of `OnePass_KT_Axes()`, so τ_N here is an upper bound of the
// minimised value (typically a few % higher). ΔR between particle and axis also uses rapidity, as FastJet does.
// A jet with ≤ N constituents has τ_N = 0; a ratio with a zero denominator is 0.
import type { JetSet } from '../data/jetset.ts';
import { FEATURES } from './observables.ts';
import { wrapPhi } from './fourvector.ts';

export interface NSubjettinessOptions {
  /** Angular exponent β (default 1). */
  beta?: number;
  /** Characteristic jet radius R0 of the normalisation (default 0.8, the clustering radius of our jets). */
  R0?: number;
}

export interface NSubjettiness {
  tau1: Float32Array;
  tau2: Float32Array;
  tau3: Float32Array;
  /** τ2/τ1 */
  tau21: Float32Array;
  /** τ3/τ2 */
  tau32: Float32Array;
}

interface Pseudo {
  px: number;
  py: number;
  pz: number;
  e: number;
  pt2: number;
  rap: number;
  phi: number;
}

function pseudo(px: number, py: number, pz: number, e: number): Pseudo {
  const pt2 = px * px + py * py;
  // rapidity, guarded like FastJet for |pz| ≥ E (massless rounding)
  const ePlus = Math.max(e, Math.sqrt(pt2 + pz * pz) * (1 + 1e-15));
  const rap = pt2 === 0 && pz === 0 ? 0 : 0.5 * Math.log((ePlus + pz) / (ePlus - pz));
  return { px, py, pz, e, pt2, rap, phi: pt2 === 0 ? 0 : Math.atan2(py, px) };
}

function dr2(a: { rap: number; phi: number }, rap: number, phi: number): number {
  const dy = a.rap - rap;
  const dp = wrapPhi(a.phi - phi);
  return dy * dy + dp * dp;
}

/**
 * Exclusive-kT axes of one jet for every N in 1..maxN from one clustering: merge the pair with the smallest
 * min(pTᵢ², pTⱼ²)ΔRᵢⱼ² until one object remains, recording the objects left at each N (the sequence is nested).
 * Inputs are the constituents' (pT, η, φ, E or null = massless); result[N − 1] holds min(N, n) axes as (rapidity, φ).
 */
export function exclusiveKtAxesUpTo(pt: ArrayLike<number>, eta: ArrayLike<number>, phi: ArrayLike<number>, energy: ArrayLike<number> | null, maxN: number): Array<Array<{ rap: number; phi: number }>> {
  const n = pt.length;
  const objs: Pseudo[] = [];
  for (let i = 0; i < n; i++) {
    const p = pt[i]!;
    objs.push(pseudo(p * Math.cos(phi[i]!), p * Math.sin(phi[i]!), p * Math.sinh(eta[i]!), energy ? energy[i]! : p * Math.cosh(eta[i]!)));
  }
  const result: Array<Array<{ rap: number; phi: number }>> = [];
  const alive = new Uint8Array(n).fill(1);
  // symmetric kT distance matrix and each object's nearest neighbour (typical O(n²) clustering, as FastJet's N2 plain)
  const d = new Float64Array(n * n);
  const kt = (a: Pseudo, b: Pseudo) => {
    const v = Math.min(a.pt2, b.pt2) * dr2(a, b.rap, b.phi);
    return Number.isNaN(v) ? Infinity : v;
  };
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = kt(objs[i]!, objs[j]!);
  const nnJ = new Int32Array(n).fill(-1);
  const nnD = new Float64Array(n).fill(Infinity);
  const findNn = (i: number) => {
    let best = Infinity, bj = -1;
    for (let j = 0; j < n; j++) {
      if (j === i || !alive[j]) continue;
      const v = d[i * n + j]!;
      if (v < best || bj < 0) {
        best = v;
        bj = j;
      }
    }
    nnJ[i] = bj;
    nnD[i] = best;
  };
  for (let i = 0; i < n; i++) findNn(i);
  const snapshot = () => objs.filter((_, i) => alive[i]).map((o) => ({ rap: o.rap, phi: o.phi }));
  for (let left = n; left >= 1; left--) {
    if (left <= maxN) result[left - 1] = snapshot();
    if (left === 1) break;
    let bi = -1;
    for (let i = 0; i < n; i++) if (alive[i] && (bi < 0 || nnD[i]! < nnD[bi]!)) bi = i;
    const bj = nnJ[bi]!;
    const a = objs[bi]!, b = objs[bj]!;
    objs[bi] = pseudo(a.px + b.px, a.py + b.py, a.pz + b.pz, a.e + b.e);
    alive[bj] = 0;
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === bi) continue;
      const v = kt(objs[k]!, objs[bi]!);
      d[k * n + bi] = d[bi * n + k] = v;
      if (nnJ[k] === bi || nnJ[k] === bj) findNn(k);
      else if (v < nnD[k]!) {
        nnJ[k] = bi;
        nnD[k] = v;
      }
    }
    findNn(bi);
  }
  for (let N = n + 1; N <= maxN; N++) result[N - 1] = result[n - 1] ?? [];
  return result;
}

/** The N exclusive-kT axes of one jet (see exclusiveKtAxesUpTo). */
export function exclusiveKtAxes(pt: ArrayLike<number>, eta: ArrayLike<number>, phi: ArrayLike<number>, energy: ArrayLike<number> | null, n: number): Array<{ rap: number; phi: number }> {
  return exclusiveKtAxesUpTo(pt, eta, phi, energy, n)[n - 1] ?? [];
}

/** τ_1..τ_3 of one jet's constituents. */
function tausOfJet(pt: ArrayLike<number>, eta: ArrayLike<number>, phi: ArrayLike<number>, energy: ArrayLike<number> | null, beta: number, R0: number): [number, number, number] {
  const n = pt.length;
  let d0 = 0;
  for (let i = 0; i < n; i++) d0 += pt[i]! * R0 ** beta;
  const taus: [number, number, number] = [0, 0, 0];
  if (d0 <= 0) return taus;
  // particle rapidities (massless unless energies are stored)
  const rap = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (energy) {
      const pz = pt[i]! * Math.sinh(eta[i]!);
      rap[i] = pseudo(pt[i]! * Math.cos(phi[i]!), pt[i]! * Math.sin(phi[i]!), pz, energy[i]!).rap;
    } else rap[i] = eta[i]!;
  }
  const allAxes = exclusiveKtAxesUpTo(pt, eta, phi, energy, 3);
  for (let N = 1; N <= 3; N++) {
    if (n <= N) break; // every particle is its own axis: τ_N = 0
    const axes = allAxes[N - 1]!;
    let s = 0;
    for (let i = 0; i < n; i++) {
      let m = Infinity;
      for (const a of axes) m = Math.min(m, dr2(a, rap[i]!, phi[i]!));
      s += pt[i]! * (beta === 2 ? m : Math.pow(m, beta / 2));
    }
    taus[N - 1] = s / d0;
  }
  return taus;
}

function allocate(size: number): NSubjettiness {
  return { tau1: new Float32Array(size), tau2: new Float32Array(size), tau3: new Float32Array(size), tau21: new Float32Array(size), tau32: new Float32Array(size) };
}

function store(out: NSubjettiness, j: number, t: [number, number, number]): void {
  out.tau1[j] = t[0];
  out.tau2[j] = t[1];
  out.tau3[j] = t[2];
  out.tau21[j] = t[0] > 0 ? t[1] / t[0] : 0;
  out.tau32[j] = t[1] > 0 ? t[2] / t[1] : 0;
}

/** τ1, τ2, τ3, τ21, τ32 of every jet of a JetSet (all its constituents). */
export function nSubjettiness(jets: JetSet, opts: NSubjettinessOptions = {}): NSubjettiness {
  const beta = opts.beta ?? 1, R0 = opts.R0 ?? 0.8;
  const out = allocate(jets.nJets);
  for (let j = 0; j < jets.nJets; j++) {
    const a = jets.offsets[j]!, b = jets.offsets[j + 1]!;
    const t = tausOfJet(jets.pt.subarray(a, b), jets.eta.subarray(a, b), jets.phi.subarray(a, b), jets.energy ? jets.energy.subarray(a, b) : null, beta, R0);
    store(out, j, t);
  }
  return out;
}

/** The same for padded jets of un-standardised (ln pT, Δη, Δφ) features (massless; padded slots skipped). */
export function nSubjettinessFromFeatures(x: Float32Array, mask: Uint8Array, size: number, particles: number, opts: NSubjettinessOptions = {}): NSubjettiness {
  if (x.length !== size * particles * FEATURES || mask.length !== size * particles) {
    throw new Error(`nSubjettinessFromFeatures: expected x of ${size}×${particles}×${FEATURES} and mask of ${size}×${particles}`);
  }
  const beta = opts.beta ?? 1, R0 = opts.R0 ?? 0.8;
  const out = allocate(size);
  const pt: number[] = [], eta: number[] = [], phi: number[] = [];
  for (let j = 0; j < size; j++) {
    pt.length = eta.length = phi.length = 0;
    for (let k = 0; k < particles; k++) {
      const s = j * particles + k;
      if (!mask[s]) continue;
      pt.push(Math.exp(x[s * FEATURES]!));
      eta.push(x[s * FEATURES + 1]!);
      phi.push(x[s * FEATURES + 2]!);
    }
    store(out, j, tausOfJet(pt, eta, phi, null, beta, R0));
  }
  return out;
}
