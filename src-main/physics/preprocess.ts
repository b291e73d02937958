// The paper's input preprocessing (Appendix A) and its inverse: center each jet on its axis, rotate its principal
// axis vertical, pT-order, pad/truncate to N with a mask, features (log pT, Δη, Δφ); per-feature standardisation.
//
// Conventions (chosen here, relied on by model/, train/ and eval/):
// - Only the N hardest constituents (by pT) are kept; the axis and rotation are computed from those kept, so the
//   padded jet is exactly centered on what the model sees and `toJetSet(preprocess(j))` reproduces them.
// - Center: on the jet four-momentum axis: Δηᵢ = ηᵢ − y_J, Δφᵢ = wrap(φᵢ − φ_J), y_J the jet rapidity. For massless
//   constituents the η shift is exactly the longitudinal boost to y_J = 0 (the paper's "longitudinally boosted"), so
//   the centered jet sits at (0, 0) and its pT and mass are unchanged; the φ shift is a rotation about the beam.
//   φ wrap-around at ±π is handled (a jet straddling π is centered correctly).
// - Rotate: u = (Σ Δηᵢ Eᵢ/Rᵢ, Σ Δφᵢ Eᵢ/Rᵢ), Rᵢ = √(Δηᵢ² + Δφᵢ²) (particles with Rᵢ = 0 skipped), Eᵢ the constituent
//   energy in the boosted frame (pT cosh Δη, plus the stored mass when energies are stored). The plane is rotated by
//   α so that u points along +Δφ (u is a vector sum, so "up" is unique, no sign ambiguity); α = 0 when u = 0 or
//   `rotate: false`. Rotation in (η, φ) is not a Lorentz transformation: jet masses move at O(R⁴) (shared Pythia
//   QCD jets: median 0.4%, p99 4%; the mass distribution's median moves < 1%). Compare data and generated jets in the
//   same frame (observablesFromFeatures on both) when the last percent matters.
// - Features: x[j, k] = (ln(pT/GeV), Δη', Δφ'), pT-descending; padded slots are all-zero with mask 0.
// - axis[j] = (y_J, φ_J, α) of the kept constituents, enough to invert the map exactly.
import type { JetSet } from '../data/jetset.ts';
import { UserError } from '../util/errors.ts';
import { addConstituent, phiOf, rapidityOf, wrapPhi, zeroFourVector } from './fourvector.ts';
import { FEATURES } from './observables.ts';

/** Preprocessed jets, ready for the energy network (after standardisation). */
export interface PaddedJets {
  size: number;
  particles: number;
  features: number;
  /** [size, particles, 3]: ln pT [ln GeV], Δη, Δφ after centering and rotation; padded slots exactly 0. */
  x: Float32Array;
  /** [size, particles], 1 = real particle, 0 = padding. */
  mask: Uint8Array;
  /** [size, 3]: jet rapidity y_J (the η shift), jet φ [rad], rotation angle α [rad]; the inverse map needs it. */
  axis: Float32Array;
  label?: Int32Array;
  labelNames?: string[];
}

export interface PreprocessOptions {
  /** Particles per jet after padding/truncation (default 40, the paper's N). */
  particles?: number;
  /** Rotate the principal axis vertical (default true, as in the paper). */
  rotate?: boolean;
}

/** Per-feature mean and standard deviation over real particles; stored with the model. */
export interface Standardizer {
  mean: number[];
  std: number[];
}

export const DEFAULT_PARTICLES = 40;

/** Preprocess every jet of a JetSet into padded (ln pT, Δη, Δφ) features with a mask. */
export function preprocess(jets: JetSet, opts: PreprocessOptions = {}): PaddedJets {
  const N = opts.particles ?? DEFAULT_PARTICLES;
  const rotate = opts.rotate ?? true;
  if (!Number.isInteger(N) || N < 1) throw new UserError('BAD_INPUT', `particles per jet must be a positive integer, got ${N}`);
  const size = jets.nJets;
  const x = new Float32Array(size * N * FEATURES);
  const mask = new Uint8Array(size * N);
  const axis = new Float32Array(size * 3);
  const order: number[] = [];
  const dEta = new Float64Array(N), dPhi = new Float64Array(N), eBoost = new Float64Array(N);
  const energy = jets.energy;

  for (let j = 0; j < size; j++) {
    const start = jets.offsets[j]!, end = jets.offsets[j + 1]!;
    order.length = 0;
    for (let i = start; i < end; i++) {
      const pt = jets.pt[i]!, eta = jets.eta[i]!, phi = jets.phi[i]!;
      if (!(pt > 0) || !Number.isFinite(pt) || !Number.isFinite(eta) || !Number.isFinite(phi)) {
        throw new UserError('BAD_INPUT', `${jets.source.path}: jet ${j} has a constituent with pT=${pt}, η=${eta}, φ=${phi}`, {
          where: jets.source.path,
          hint: 'Constituents need a finite pT > 0 and finite η, φ; remove padding rows and NaN/inf values before preprocessing.',
        });
      }
      order.push(i);
    }
    order.sort((a, b) => jets.pt[b]! - jets.pt[a]! || a - b);
    const n = Math.min(order.length, N);
    if (n === 0) continue;

    // jet axis of the kept constituents
    const p = zeroFourVector();
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      addConstituent(p, jets.pt[i]!, jets.eta[i]!, jets.phi[i]!, energy ? energy[i]! : undefined);
    }
    const etaJ = rapidityOf(p), phiJ = phiOf(p);

    // center, and accumulate the principal axis u
    let uEta = 0, uPhi = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const pt = jets.pt[i]!;
      dEta[k] = jets.eta[i]! - etaJ;
      dPhi[k] = wrapPhi(jets.phi[i]! - phiJ);
      const pBoost = pt * Math.cosh(dEta[k]!);
      let m2 = 0;
      if (energy) {
        const pLab = pt * Math.cosh(jets.eta[i]!);
        m2 = Math.max(0, energy[i]! * energy[i]! - pLab * pLab);
      }
      eBoost[k] = Math.sqrt(pBoost * pBoost + m2);
      const R = Math.sqrt(dEta[k]! * dEta[k]! + dPhi[k]! * dPhi[k]!);
      if (R > 0) {
        uEta += (dEta[k]! * eBoost[k]!) / R;
        uPhi += (dPhi[k]! * eBoost[k]!) / R;
      }
    }
    const alpha = rotate && (uEta !== 0 || uPhi !== 0) ? wrapPhi(Math.PI / 2 - Math.atan2(uPhi, uEta)) : 0;
    const c = Math.cos(alpha), s = Math.sin(alpha);
    for (let k = 0; k < n; k++) {
      const o = (j * N + k) * FEATURES;
      x[o] = Math.log(jets.pt[order[k]!]!);
      x[o + 1] = dEta[k]! * c - dPhi[k]! * s;
      x[o + 2] = dEta[k]! * s + dPhi[k]! * c;
      mask[j * N + k] = 1;
    }
    axis[j * 3] = etaJ;
    axis[j * 3 + 1] = phiJ;
    axis[j * 3 + 2] = alpha;
  }
  const out: PaddedJets = { size, particles: N, features: FEATURES, x, mask, axis };
  if (jets.label) out.label = Int32Array.from(jets.label);
  if (jets.labelNames) out.labelNames = [...jets.labelNames];
  return out;
}

function checkShapes(fn: string, x: Float32Array, mask: Uint8Array): void {
  if (x.length !== mask.length * FEATURES) {
    throw new Error(`${fn}: x has ${x.length} values but mask has ${mask.length} slots (expected ${FEATURES} features per slot)`);
  }
}

/** Mean and standard deviation of each feature over real particles only (float64; std 0 → 1). */
export function fitStandardizer(p: Pick<PaddedJets, 'x' | 'mask'>): Standardizer {
  checkShapes('fitStandardizer', p.x, p.mask);
  const sum = new Float64Array(FEATURES), sum2 = new Float64Array(FEATURES);
  let count = 0;
  for (let s = 0; s < p.mask.length; s++) {
    if (!p.mask[s]) continue;
    count++;
    for (let f = 0; f < FEATURES; f++) {
      const v = p.x[s * FEATURES + f]!;
      sum[f]! += v;
      sum2[f]! += v * v;
    }
  }
  if (count === 0) throw new UserError('BAD_INPUT', 'cannot fit the feature standardisation: the training jets contain no particles', { hint: 'Check the training data set is not empty.' });
  const mean: number[] = [], std: number[] = [];
  for (let f = 0; f < FEATURES; f++) {
    const m = sum[f]! / count;
    const v = Math.max(0, sum2[f]! / count - m * m);
    mean.push(m);
    std.push(v > 0 && Number.isFinite(v) ? Math.sqrt(v) : 1);
  }
  return { mean, std };
}

/** (x − mean)/std at real particles; padded slots are exactly 0. Returns a new array. */
export function standardize(x: Float32Array, mask: Uint8Array, s: Standardizer): Float32Array {
  checkShapes('standardize', x, mask);
  const out = new Float32Array(x.length);
  for (let slot = 0; slot < mask.length; slot++) {
    if (!mask[slot]) continue;
    for (let f = 0; f < FEATURES; f++) out[slot * FEATURES + f] = (x[slot * FEATURES + f]! - s.mean[f]!) / s.std[f]!;
  }
  return out;
}

/** x·std + mean at real particles; padded slots are exactly 0. Returns a new array. */
export function destandardize(x: Float32Array, mask: Uint8Array, s: Standardizer): Float32Array {
  checkShapes('destandardize', x, mask);
  const out = new Float32Array(x.length);
  for (let slot = 0; slot < mask.length; slot++) {
    if (!mask[slot]) continue;
    for (let f = 0; f < FEATURES; f++) out[slot * FEATURES + f] = x[slot * FEATURES + f]! * s.std[f]! + s.mean[f]!;
  }
  return out;
}

export interface ToJetSetOptions {
  /** [size, 3] (y_J, φ_J, α) from `preprocess`: undo rotation and centering. Absent: η, φ relative to (0, 0). */
  axis?: Float32Array;
  label?: Int32Array;
  labelNames?: string[];
  /** Shown as the JetSet's source path (default 'generated'). */
  sourcePath?: string;
}

/**
 * The inverse map: un-standardised features x [size, particles, 3] (ln pT, Δη, Δφ) + mask → physical constituents
 * pT = exp(ln pT), (η, φ) un-rotated and un-centered when `axis` is given (φ wrapped into (−π, π]). Padded slots are
 * dropped; constituents keep their slot order. Massless (no energy array). Non-finite features pass through as is.
 */
export function toJetSet(x: Float32Array, mask: Uint8Array, size: number, particles: number, opts: ToJetSetOptions = {}): JetSet {
  if (mask.length !== size * particles) throw new Error(`toJetSet: mask has ${mask.length} slots, expected ${size}×${particles}`);
  checkShapes('toJetSet', x, mask);
  if (opts.axis && opts.axis.length !== size * 3) throw new Error(`toJetSet: axis has ${opts.axis.length} values, expected ${size}×3`);
  let total = 0;
  for (let s = 0; s < mask.length; s++) if (mask[s]) total++;
  const offsets = new Uint32Array(size + 1);
  const pt = new Float32Array(total), eta = new Float32Array(total), phi = new Float32Array(total);
  let c = 0;
  for (let j = 0; j < size; j++) {
    const etaJ = opts.axis ? opts.axis[j * 3]! : 0;
    const phiJ = opts.axis ? opts.axis[j * 3 + 1]! : 0;
    const alpha = opts.axis ? opts.axis[j * 3 + 2]! : 0;
    const cs = Math.cos(alpha), sn = Math.sin(alpha);
    for (let k = 0; k < particles; k++) {
      const slot = j * particles + k;
      if (!mask[slot]) continue;
      const o = slot * FEATURES;
      const de = x[o + 1]!, dp = x[o + 2]!;
      pt[c] = Math.exp(x[o]!);
      eta[c] = de * cs + dp * sn + etaJ;
      phi[c] = wrapPhi(-de * sn + dp * cs + phiJ);
      c++;
    }
    offsets[j + 1] = c;
  }
  const jets: JetSet = {
    nJets: size,
    offsets,
    pt,
    eta,
    phi,
    source: {
      path: opts.sourcePath ?? 'generated',
      format: 'padded-features',
      featureMap: { pt: 'exp(x[...,0])', eta: opts.axis ? 'x[...,1] un-rotated + jet η' : 'x[...,1]', phi: opts.axis ? 'x[...,2] un-rotated + jet φ' : 'x[...,2]' },
      notes: [],
    },
  };
  if (opts.label) jets.label = Int32Array.from(opts.label);
  if (opts.labelNames) jets.labelNames = [...opts.labelNames];
  return jets;
}

/** Number of jets with each multiplicity 0..particles (length particles + 1), e.g. to draw negatives' particle counts. */
export function multiplicityHistogram(mask: Uint8Array, size: number, particles: number): Float64Array {
  if (mask.length !== size * particles) throw new Error(`multiplicityHistogram: mask has ${mask.length} slots, expected ${size}×${particles}`);
  const h = new Float64Array(particles + 1);
  for (let j = 0; j < size; j++) {
    let n = 0;
    for (let k = 0; k < particles; k++) if (mask[j * particles + k]) n++;
    h[n]!++;
  }
  return h;
}

/** Draws `count` multiplicities from a histogram (weights per multiplicity) with a uniform source in [0, 1). */
export function sampleMultiplicities(hist: Float64Array, count: number, uniform: () => number): Int32Array {
  let total = 0;
  for (let m = 0; m < hist.length; m++) total += hist[m]!;
  if (!(total > 0)) throw new Error('sampleMultiplicities: the multiplicity histogram is empty');
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let r = uniform() * total;
    let m = 0;
    while (m < hist.length - 1 && r >= hist[m]!) r -= hist[m++]!;
    while (hist[m] === 0 && m > 0) m--; // rounding ran past the last populated bin
    out[i] = m;
  }
  return out;
}

/** A mask [counts.length, particles] with the first counts[j] slots of jet j real (padded jets are left-aligned). */
export function maskFromMultiplicities(counts: Int32Array, particles: number): Uint8Array {
  const mask = new Uint8Array(counts.length * particles);
  for (let j = 0; j < counts.length; j++) mask.fill(1, j * particles, j * particles + Math.min(counts[j]!, particles));
  return mask;
}
