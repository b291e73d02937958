// Maps the feature columns of a dense [jets, particles, features] array to constituent (pT, η, φ[, E]) and fills
// a JetSetBuilder from it; shared by the HDF5 and NumPy readers. Also parses label-name attributes.
import type { JetSetBuilder } from './builder.ts';
import { UserError } from '../util/errors.ts';

/** User mapping of stored columns/branches/features to constituent quantities, e.g. { pt: 'part_pt', eta: '1' }. */
export type FeatureMap = Partial<Record<'pt' | 'eta' | 'phi' | 'energy' | 'px' | 'py' | 'pz' | 'mask' | 'jet' | 'label', string>>;

/** How to turn one stored row into a constituent. Indices are feature positions within a row. */
export type RowMapping =
  | { kind: 'ptetaphi'; pt: number; eta: number; phi: number; energy: number; mask: number; names: string[] }
  | { kind: 'epxpypz'; energy: number; px: number; py: number; pz: number; mask: number; names: string[] };

const SYNONYMS: Record<string, string[]> = {
  pt: ['pt', 'part_pt', 'ptrel', 'part_ptrel', 'pt_gev', 'constituent_pt'],
  eta: ['eta', 'part_eta', 'etarel', 'part_etarel', 'deta', 'part_deta'],
  phi: ['phi', 'part_phi', 'phirel', 'part_phirel', 'dphi', 'part_dphi'],
  energy: ['e', 'energy', 'part_energy', 'part_e'],
  px: ['px', 'part_px'],
  py: ['py', 'part_py'],
  pz: ['pz', 'part_pz'],
  mask: ['mask', 'part_mask'],
};

/** Feature names from an attribute value: "pt,eta,phi", ["pt","eta","phi"], or null. */
export function parseNameList(v: unknown): string[] | null {
  if (typeof v === 'string') {
    const parts = v.split(/[,;\s]+/).map((s) => s.trim()).filter(Boolean);
    return parts.length ? parts : null;
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return null;
}

/** Label names from "0=qcd,1=top", ["qcd","top"] or "qcd,top"; returns value → name. */
export function parseLabelNames(v: unknown): Map<number, string> | null {
  const out = new Map<number, string>();
  const list = typeof v === 'string' ? v.split(/[,;]+/).map((s) => s.trim()).filter(Boolean) : Array.isArray(v) ? v.map(String) : null;
  if (!list || list.length === 0) return null;
  list.forEach((item, i) => {
    const m = /^\s*(-?\d+)\s*[=:]\s*(.+?)\s*$/.exec(item);
    if (m) out.set(Number(m[1]), m[2]!);
    else out.set(i, item);
  });
  return out;
}

/**
 * Resolves which row position feeds pT, η, φ, E (or E, px, py, pz). `names` are the stored feature names when known
 * (else null and a default order is assumed). The user map wins: values are feature names or 0-based positions.
 */
export function resolveRowMapping(where: string, nFeatures: number, names: string[] | null, user: FeatureMap | undefined, defaultOrder: string[]): RowMapping {
  const effective = names && names.length === nFeatures ? names : defaultOrder.slice(0, nFeatures);
  while (effective.length < nFeatures) effective.push(`f${effective.length}`);
  const lower = effective.map((n) => n.toLowerCase());
  const find = (key: keyof typeof SYNONYMS): number => {
    const u = user?.[key as keyof FeatureMap];
    if (u !== undefined) {
      const byName = lower.indexOf(u.toLowerCase());
      if (byName >= 0) return byName;
      if (/^\d+$/.test(u) && Number(u) < nFeatures) return Number(u);
      throw new UserError('BAD_INPUT', `${where}: feature '${u}' (mapped to ${key}) not found; stored features: ${effective.join(', ')}`, {
        where,
        hint: 'Map to one of the stored feature names or a 0-based feature index.',
      });
    }
    for (const s of SYNONYMS[key]!) {
      const i = lower.indexOf(s);
      if (i >= 0) return i;
    }
    return -1;
  };
  const pt = find('pt'), eta = find('eta'), phi = find('phi'), energy = find('energy'), mask = find('mask');
  if (pt >= 0 && eta >= 0 && phi >= 0) return { kind: 'ptetaphi', pt, eta, phi, energy, mask, names: effective };
  const px = find('px'), py = find('py'), pz = find('pz');
  if (energy >= 0 && px >= 0 && py >= 0 && pz >= 0) return { kind: 'epxpypz', energy, px, py, pz, mask, names: effective };
  throw new UserError('BAD_INPUT', `${where}: cannot tell which features are pT, η, φ (stored features: ${effective.join(', ')})`, {
    where,
    hint: 'Give the mapping explicitly, e.g. --feature pt=0 --feature eta=1 --feature phi=2 (or names).',
  });
}

/** Human-readable mapping for JetSource.featureMap, e.g. { pt: 'particles[..., 0] (pt)' }. */
export function describeMapping(m: RowMapping, dataset: string, featuresFirst = false): Record<string, string> {
  const col = (i: number) => (featuresFirst ? `${dataset}[:, ${i}, :] (${m.names[i]})` : `${dataset}[..., ${i}] (${m.names[i]})`);
  const out: Record<string, string> = {};
  if (m.kind === 'ptetaphi') {
    out.pt = col(m.pt);
    out.eta = col(m.eta);
    out.phi = col(m.phi);
    if (m.energy >= 0) out.energy = col(m.energy);
  } else {
    out.pt = `√(px²+py²) from ${col(m.px)}, ${col(m.py)}`;
    out.eta = `asinh(pz/pT) with ${col(m.pz)}`;
    out.phi = `atan2(py, px)`;
    out.energy = col(m.energy);
  }
  if (m.mask >= 0) out.mask = col(m.mask);
  return out;
}

/** Per-jet affine transform for relative features (JetNet): pT = ptrel·jetPt, η = etarel + jetEta. */
export interface RelativeToJet {
  jetPt: ArrayLike<number>;
  jetEta: ArrayLike<number>;
}

/**
 * Fills jets [first, first+nJets) from a dense block `data` laid out [nJets, nParticles, nFeatures] (or, with
 * `featuresFirst`, [nJets, nFeatures, nParticles]). Padding rows (pT = 0, or E = 0 for four-vectors, or mask = 0)
 * are not constituents and are skipped.
 */
export function fillFromRows(
  b: JetSetBuilder,
  data: ArrayLike<number>,
  nJets: number,
  nParticles: number,
  nFeatures: number,
  m: RowMapping,
  first: number,
  labelOf: (j: number) => number,
  rel?: RelativeToJet,
  featuresFirst = false,
): void {
  const perJet = nParticles * nFeatures;
  // Offset of particle p's row and of feature k within it, for either memory layout.
  const rowStep = featuresFirst ? 1 : nFeatures;
  const featStep = featuresFirst ? nParticles : 1;
  const hasMask = m.mask >= 0;
  const at = (k: number) => (k >= 0 ? k * featStep : -1);
  if (m.kind === 'ptetaphi') {
    const ipt = at(m.pt), ieta = at(m.eta), iphi = at(m.phi), ie = at(m.energy), im = hasMask ? at(m.mask) : -1;
    for (let j = 0; j < nJets; j++) {
      const jet = first + j;
      const scale = rel ? rel.jetPt[jet]! : 1;
      const shift = rel ? rel.jetEta[jet]! : 0;
      b.pushRows(data, j * perJet, nParticles, rowStep, ipt, ieta, iphi, ie, im, scale, shift, jet);
      b.endJet(labelOf(jet), jet);
    }
  } else {
    const ie = at(m.energy), ipx = at(m.px), ipy = at(m.py), ipz = at(m.pz), im = at(m.mask);
    for (let j = 0; j < nJets; j++) {
      const jet = first + j;
      let base = j * perJet;
      for (let p = 0; p < nParticles; p++, base += rowStep) {
        const e = data[base + ie]!;
        if (hasMask ? data[base + im] === 0 : e === 0) continue;
        pushCartesian(b, e, data[base + ipx]!, data[base + ipy]!, data[base + ipz]!, jet);
      }
      b.endJet(labelOf(jet), jet);
    }
  }
}

/**
 * Which axis of a [jets, a, b] array holds the features: the one whose length matches the stored feature names, else
 * the last one — unless the middle axis is 3 or 4 long and the last clearly longer ([jets, features, particles]).
 */
export function featureAxis(dimA: number, dimB: number, names: string[] | null): 'last' | 'middle' {
  if (names && names.length === dimB) return 'last';
  if (names && names.length === dimA) return 'middle';
  return dimA >= 3 && dimA <= 4 && dimB > 8 ? 'middle' : 'last';
}

/** Converts (E, px, py, pz) to (pT, η, φ, E) and pushes it; a constituent along the beam (pT = 0) has no η and is rejected. */
export function pushCartesian(b: JetSetBuilder, e: number, px: number, py: number, pz: number, jet: number): void {
  const pt = Math.sqrt(px * px + py * py);
  const eta = pt > 0 ? Math.asinh(pz / pt) : pz === 0 ? 0 : Number.NaN;
  b.push(pt, eta, Math.atan2(py, px), e, jet);
}
