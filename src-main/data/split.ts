// Deterministic train/validation/test splits of jet indices, and JetSet subsetting and concatenation
// (labels merged by class name), so every run sees the same jets for the same seed.
import type { JetSet, JetSource } from './jetset.ts';
import { Rng } from '../util/rng.ts';
import { UserError } from '../util/errors.ts';

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export interface SplitIndices {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

export const DEFAULT_SPLIT: SplitFractions = { train: 0.7, validation: 0.1, test: 0.2 };

/**
 * Splits 0..n−1 into disjoint train/validation/test sets covering all indices: a seeded permutation (same seed →
 * same split on any machine), cut at round(n·train) and round(n·(train + validation)). Fractions are normalised to
 * sum 1. Each subset is returned in ascending index order.
 */
export function splitIndices(n: number, seed: number, fractions: SplitFractions = DEFAULT_SPLIT): SplitIndices {
  if (!Number.isInteger(n) || n < 0) throw new UserError('BAD_INPUT', `cannot split ${n} jets: need a non-negative integer`);
  const { train, validation, test } = fractions;
  if (![train, validation, test].every((f) => Number.isFinite(f) && f >= 0) || train + validation + test <= 0) {
    throw new UserError('BAD_INPUT', `invalid split fractions train=${train}, validation=${validation}, test=${test}`, {
      hint: 'Give non-negative fractions that sum to 1, e.g. 0.7/0.1/0.2.',
    });
  }
  const total = train + validation + test;
  const perm = new Rng(seed).permutation(n);
  const nTrain = Math.round((n * train) / total);
  const nTrainVal = Math.min(n, Math.round((n * (train + validation)) / total));
  const part = (a: number, b: number) => perm.slice(a, b).sort();
  return { train: part(0, nTrain), validation: part(nTrain, nTrainVal), test: part(nTrainVal, n) };
}

/** The jets idx[0], idx[1], … of a JetSet (any order, repeats allowed), copied into a new JetSet. */
export function subsetJets(jets: JetSet, idx: Uint32Array): JetSet {
  const n = idx.length;
  const offsets = new Uint32Array(n + 1);
  for (let k = 0; k < n; k++) {
    const j = idx[k]!;
    if (j >= jets.nJets) throw new Error(`subsetJets: index ${j} out of range (${jets.nJets} jets)`);
    offsets[k + 1] = offsets[k]! + jets.offsets[j + 1]! - jets.offsets[j]!;
  }
  const total = offsets[n]!;
  const pt = new Float32Array(total), eta = new Float32Array(total), phi = new Float32Array(total);
  const energy = jets.energy ? new Float32Array(total) : undefined;
  for (let k = 0; k < n; k++) {
    const a = jets.offsets[idx[k]!]!, b = jets.offsets[idx[k]! + 1]!, at = offsets[k]!;
    pt.set(jets.pt.subarray(a, b), at);
    eta.set(jets.eta.subarray(a, b), at);
    phi.set(jets.phi.subarray(a, b), at);
    if (energy) energy.set(jets.energy!.subarray(a, b), at);
  }
  const out: JetSet = { nJets: n, offsets, pt, eta, phi, source: { ...jets.source, notes: [...jets.source.notes] } };
  if (energy) out.energy = energy;
  if (jets.label) out.label = pick(jets.label, idx, new Int32Array(n));
  if (jets.labelNames) out.labelNames = [...jets.labelNames];
  if (jets.stored) {
    const s = jets.stored;
    out.stored = {};
    if (s.ptGeV) out.stored.ptGeV = pick(s.ptGeV, idx, new Float32Array(n));
    if (s.etaJet) out.stored.etaJet = pick(s.etaJet, idx, new Float32Array(n));
    if (s.phiJet) out.stored.phiJet = pick(s.phiJet, idx, new Float32Array(n));
    if (s.massGeV) out.stored.massGeV = pick(s.massGeV, idx, new Float32Array(n));
    if (s.nConstituents) out.stored.nConstituents = pick(s.nConstituents, idx, new Int32Array(n));
  }
  return out;
}

function pick<T extends Float32Array | Int32Array>(src: T, idx: Uint32Array, out: T): T {
  for (let k = 0; k < idx.length; k++) out[k] = src[idx[k]!]!;
  return out;
}

/**
 * Concatenates JetSets in order. Labels are merged by class name (union in order of first use; a class without a
 * name is named by its index; jets of a set without labels get −1). Energies are kept if any set has them (massless E = pT cosh η filled in for the others);
 * a stored per-jet quantity is kept only when every set has it.
 */
export function concatJets(sets: JetSet[]): JetSet {
  if (sets.length === 0) throw new Error('concatJets: no jet sets given');
  const nJets = sets.reduce((s, js) => s + js.nJets, 0);
  const total = sets.reduce((s, js) => s + js.offsets[js.nJets]!, 0);
  const offsets = new Uint32Array(nJets + 1);
  const pt = new Float32Array(total), eta = new Float32Array(total), phi = new Float32Array(total);
  const anyEnergy = sets.some((s) => s.energy);
  const energy = anyEnergy ? new Float32Array(total) : undefined;
  const anyLabels = sets.some((s) => s.label);
  const labelNames: string[] = [];
  const label = anyLabels ? new Int32Array(nJets) : undefined;
  const storedKeys = ['ptGeV', 'etaJet', 'phiJet', 'massGeV', 'nConstituents'] as const;
  const keep = storedKeys.filter((k) => sets.every((s) => s.stored?.[k]));
  const stored: NonNullable<JetSet['stored']> = {};
  for (const k of keep) stored[k] = (k === 'nConstituents' ? new Int32Array(nJets) : new Float32Array(nJets)) as never;

  let jAt = 0, cAt = 0;
  for (const s of sets) {
    const nC = s.offsets[s.nJets]!;
    for (let j = 0; j < s.nJets; j++) offsets[jAt + j + 1] = cAt + s.offsets[j + 1]!;
    pt.set(s.pt.subarray(0, nC), cAt);
    eta.set(s.eta.subarray(0, nC), cAt);
    phi.set(s.phi.subarray(0, nC), cAt);
    if (energy) {
      if (s.energy) energy.set(s.energy.subarray(0, nC), cAt);
      else for (let i = 0; i < nC; i++) energy[cAt + i] = s.pt[i]! * Math.cosh(s.eta[i]!);
    }
    if (label) {
      const map = new Map<number, number>(); // this set's class index → merged index
      for (let j = 0; j < s.nJets; j++) {
        const l = s.label ? s.label[j]! : -1;
        if (l < 0) {
          label[jAt + j] = -1;
          continue;
        }
        let at = map.get(l);
        if (at === undefined) {
          const name = s.labelNames?.[l] ?? String(l);
          at = labelNames.indexOf(name);
          if (at < 0) at = labelNames.push(name) - 1;
          map.set(l, at);
        }
        label[jAt + j] = at;
      }
    }
    for (const k of keep) (stored[k] as Float32Array | Int32Array).set(s.stored![k]!, jAt);
    jAt += s.nJets;
    cAt += nC;
  }
  const formats = [...new Set(sets.map((s) => s.source.format))];
  const source: JetSource = {
    path: sets.map((s) => s.source.path).join(' + '),
    format: formats.length === 1 ? formats[0]! : 'mixed',
    featureMap: { ...sets[0]!.source.featureMap },
    notes: sets.flatMap((s) => s.source.notes),
  };
  if (sets.length > 1) source.notes.push(`concatenated from ${sets.length} jet sets`);
  const out: JetSet = { nJets, offsets, pt, eta, phi, source };
  if (energy) out.energy = energy;
  if (label) {
    out.label = label;
    out.labelNames = labelNames;
  }
  if (keep.length) out.stored = stored;
  return out;
}
