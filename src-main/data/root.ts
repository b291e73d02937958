// ROOT jet readers via jsroot: (a) Delphes `Jet`/`FatJet` with constituents resolved through `<C>.Constituents`
// TRefArrays into EFlowTrack/EFlowPhoton/EFlowNeutralHadron (match fUniqueID & 0xffffff); (b) NanoAOD/PFNano flat
// jagged `FatJet_*` + `PFCands_*` (links `FatJetPFCands_jetIdx/pFCandsIdx` when present, else ΔR < R matching);
// (c) a plain tree, one jet per entry, of jagged constituent branches named by the user (or recognised by name).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { jsroot } from '../util/jsroot.ts';

const { openFile, treeProcess, TSelector } = jsroot;
import type { JetSet, JetSource } from './jetset.ts';
import { JetSetBuilder } from './builder.ts';
import { pushCartesian, type FeatureMap } from './features.ts';
import { labelIndexer } from './hdf5.ts';
import { deltaR } from '../physics/fourvector.ts';
import { badFile, UserError } from '../util/errors.ts';

export interface RootReadOptions {
  collection?: string;
  label?: string;
  featureMap?: FeatureMap;
  maxJets?: number;
  skipEmpty?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Minimal shapes of the jsroot objects used here (jsroot ships no types). */
interface RootBranch {
  fName: string;
  _typename: string;
  fClassName?: string;
  fBranches?: { arr: RootBranch[] };
  fLeaves?: { arr: { _typename: string; fTypeName?: string; fTitle?: string }[] };
}
interface RootTree {
  fName: string;
  fEntries: number;
  fBranches: { arr: RootBranch[] };
}
interface RootKey {
  fName: string;
  fCycle: number;
  fClassName: string;
}
interface RootFile {
  fKeys: RootKey[];
  readObject(name: string): Promise<unknown>;
}

export type RootLayout = 'root-delphes' | 'root-nanoaod' | 'root-tree';

export interface RootDescription {
  layout: RootLayout;
  tree: string;
  /** Jet collections (Delphes/NanoAOD) or the tree's branches usable as constituents (plain trees). */
  collections: string[];
}

/** Opens a ROOT file; failures become one UserError naming the file. */
export async function openRoot(path: string): Promise<RootFile> {
  checkRootLength(path);
  try {
    return (await openFile(path)) as RootFile;
  } catch (err) {
    throw badFile(path, `cannot open as a ROOT file (${(err as Error)?.message ?? err})`, 'The file is truncated or corrupt: copy or produce it again.', err);
  }
}

/** A ROOT header records where the file ends (fEND); a shorter file was cut off. */
function checkRootLength(path: string): void {
  const fd = openSync(path, 'r');
  try {
    const h = Buffer.alloc(20);
    readSync(fd, h, 0, 20, 0);
    const version = h.readInt32BE(4);
    const end = version >= 1000000 ? Number(h.readBigInt64BE(12)) : h.readInt32BE(12);
    const size = fstatSync(fd).size;
    if (end > size) throw badFile(path, `truncated: the ROOT header says the file ends at byte ${end} but it has ${size} bytes`, 'The file was not written or copied completely: copy or produce it again.');
  } finally {
    closeSync(fd);
  }
}

/** TTree keys, highest cycle of each name (a file rewritten in place keeps older cycles of the same tree). */
function treeKeys(f: RootFile): RootKey[] {
  const best = new Map<string, RootKey>();
  for (const k of f.fKeys ?? []) {
    if (k.fClassName !== 'TTree') continue;
    const prev = best.get(k.fName);
    if (!prev || k.fCycle > prev.fCycle) best.set(k.fName, k);
  }
  return [...best.values()];
}

function topBranches(t: RootTree): Map<string, RootBranch> {
  return new Map((t.fBranches?.arr ?? []).map((b) => [b.fName, b]));
}

function subBranches(b: RootBranch | undefined): Set<string> {
  return new Set((b?.fBranches?.arr ?? []).map((s) => s.fName));
}

function layoutOf(t: RootTree): { layout: RootLayout; collections: string[] } {
  const br = topBranches(t);
  const clones = (n: string) => br.get(n)?.fClassName === 'TClonesArray';
  const delphesJets = ['FatJet', 'Jet', 'GenJet'].filter(clones);
  if (delphesJets.length && ['EFlowTrack', 'EFlowPhoton', 'EFlowNeutralHadron', 'Track', 'Tower'].some(clones)) return { layout: 'root-delphes', collections: delphesJets };
  const nano = [...br.keys()].filter((n) => /^n[A-Z]\w*$/.test(n) && br.has(`${n.slice(1)}_pt`) && br.has(`${n.slice(1)}_eta`) && /Jet/.test(n)).map((n) => n.slice(1));
  if (nano.length && br.has('PFCands_pt')) return { layout: 'root-nanoaod', collections: nano.sort((a, b) => (a === 'FatJet' ? -1 : b === 'FatJet' ? 1 : 0)) };
  return { layout: 'root-tree', collections: [...br.keys()] };
}

/** Finds the jet tree and its layout. `collection` may name a tree, a jet collection, or "tree:collection". */
export async function describeRoot(path: string, f: RootFile, collection?: string): Promise<{ tree: RootTree; desc: RootDescription; collection?: string }> {
  const keys = treeKeys(f);
  if (!keys.length) throw badFile(path, 'holds no TTree', 'Give a ROOT file with an event or jet tree (Delphes, NanoAOD, or a flat tree).');
  let [treeName, coll] = collection?.includes(':') ? collection.split(':', 2) : [undefined, collection];
  if (coll && keys.some((k) => k.fName === coll)) [treeName, coll] = [coll, undefined];
  const key = (treeName && keys.find((k) => k.fName === treeName)) || keys.find((k) => k.fName === 'Delphes') || keys.find((k) => k.fName === 'Events') || keys[0]!;
  if (treeName && key.fName !== treeName) throw new UserError('NOT_FOUND', `${path}: no tree '${treeName}' (trees: ${keys.map((k) => k.fName).join(', ')})`, { where: path, hint: 'Use --collection <tree> or <tree>:<collection>.' });
  let tree: RootTree;
  try {
    tree = (await f.readObject(`${key.fName};${key.fCycle}`)) as RootTree;
  } catch (err) {
    throw badFile(path, `cannot read tree ${key.fName};${key.fCycle} (${(err as Error)?.message ?? err})`, 'The file is truncated or corrupt: copy or produce it again.', err);
  }
  if (!tree?.fBranches) throw badFile(path, `tree ${key.fName} could not be read`, 'The file is truncated or corrupt: copy or produce it again.');
  const { layout, collections } = layoutOf(tree);
  if (coll && layout !== 'root-tree' && !collections.includes(coll)) {
    throw new UserError('NOT_FOUND', `${path}: no jet collection '${coll}' in tree ${key.fName} (found: ${collections.join(', ')})`, { where: path, hint: `Use --collection with one of: ${collections.join(', ')}.` });
  }
  return { tree, desc: { layout, tree: key.fName, collections }, collection: coll };
}

/** Reads jets from a ROOT file (layout detected from the tree's branches). */
export async function readRoot(path: string, opts: RootReadOptions = {}): Promise<JetSet> {
  const f = await openRoot(path);
  const { tree, desc, collection } = await describeRoot(path, f, opts.collection);
  return readRootTree(path, tree, desc, { ...opts, collection });
}

/** Reads a tree already opened (exposed so tests can exercise damaged trees built from real ones). */
export async function readRootTree(path: string, tree: RootTree, desc: RootDescription, opts: RootReadOptions): Promise<JetSet> {
  // An explicit constituent mapping means "read this tree as one jet per entry", whatever else it holds.
  if (opts.featureMap?.pt || opts.featureMap?.px) return readFlatTree(path, tree, { ...desc, layout: 'root-tree' }, opts);
  if (desc.layout === 'root-delphes') return readDelphes(path, tree, desc, opts);
  if (desc.layout === 'root-nanoaod') return readNano(path, tree, desc, opts);
  return readFlatTree(path, tree, desc, opts);
}

type Arr = ArrayLike<number>;

/** Runs jsroot's tree loop over the given branches, calling `each(values, entry)`; `each` returns false to stop. */
async function loop(path: string, tree: RootTree, branches: Record<string, string>, each: (v: Record<string, unknown>, entry: number) => boolean, onProgress?: (done: number, total: number) => void): Promise<void> {
  const sel = new TSelector();
  for (const [member, branch] of Object.entries(branches)) sel.addBranch(branch, member);
  const total = tree.fEntries;
  let failure: unknown = null;
  sel.Process = function (this: { tgtobj: Record<string, unknown> }, entry: number) {
    if (failure) return;
    try {
      if (!each(this.tgtobj, entry)) sel.Abort();
      if (onProgress && (entry & 255) === 0) onProgress(entry, total);
    } catch (err) {
      failure = err;
      sel.Abort();
    }
  };
  try {
    await treeProcess(tree, sel);
  } catch (err) {
    if (!failure) throw badFile(path, `reading tree ${tree.fName} failed (${(err as Error)?.message ?? err})`, 'The file is truncated or corrupt: copy or produce it again.', err);
  }
  if (failure) throw failure;
  onProgress?.(total, total);
}

/** A jagged value must be an array of numbers; jsroot returns nulls/objects for types it cannot decode (RVec, …). */
function numeric(path: string, branch: string, v: unknown, entry: number): Arr {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v, Number);
    return v as unknown as Arr;
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as Arr;
  if (typeof v === 'number') return [v];
  throw new UserError('UNSUPPORTED', `${path}: unsupported branch type for ${branch} (entry ${entry} reads as ${v === null ? 'null' : Array.isArray(v) ? 'a non-numeric array' : typeof v})`, {
    where: path,
    hint: 'Store constituents as std::vector<float>/float[n] branches (e.g. RVec columns written by RDataFrame::Snapshot are not readable here).',
  });
}

/** Rejects branch types known to be read wrongly by jsroot before reading any data. */
function checkBranchType(path: string, b: RootBranch | undefined, name: string): void {
  if (!b) return;
  const types = [b.fClassName ?? '', ...(b.fLeaves?.arr ?? []).map((l) => l.fTypeName ?? '')].join(' ');
  if (/RVec|VecOps/.test(types)) {
    throw new UserError('UNSUPPORTED', `${path}: unsupported branch type for ${name} (${types.trim()})`, {
      where: path,
      hint: 'ROOT::VecOps::RVec branches cannot be read here: re-write them as std::vector<float> (e.g. Snapshot with a vector type) and import again.',
    });
  }
}

// ---------------------------------------------------------------- (a) Delphes
const EFLOW: { name: string; pt: string }[] = [
  { name: 'EFlowTrack', pt: 'PT' },
  { name: 'EFlowPhoton', pt: 'ET' },
  { name: 'EFlowNeutralHadron', pt: 'ET' },
];

async function readDelphes(path: string, tree: RootTree, desc: RootDescription, opts: RootReadOptions): Promise<JetSet> {
  const coll = opts.collection ?? desc.collections[0]!;
  const br = topBranches(tree);
  const jetSubs = subBranches(br.get(coll));
  if (!jetSubs.has(`${coll}.Constituents`)) {
    throw badFile(path, `Delphes collection ${coll} has no constituent references (${coll}.Constituents is missing)`, 'Re-run Delphes with constituents kept for this jet collection, or choose another collection with --collection.');
  }
  const flows = EFLOW.filter((e) => subBranches(br.get(e.name)).has(`${e.name}.fUniqueID`));
  if (!flows.length) throw badFile(path, `the constituents of ${coll} (EFlowTrack/EFlowPhoton/EFlowNeutralHadron) are not stored`, 'Keep the EFlow collections in the Delphes output card, then import again.');
  const branches: Record<string, string> = { jpt: `${coll}.PT`, jeta: `${coll}.Eta`, jphi: `${coll}.Phi`, jmass: `${coll}.Mass`, refs: `${coll}.Constituents` };
  flows.forEach((e, k) => {
    branches[`u${k}`] = `${e.name}.fUniqueID`;
    branches[`pt${k}`] = `${e.name}.${e.pt}`;
    branches[`eta${k}`] = `${e.name}.Eta`;
    branches[`phi${k}`] = `${e.name}.Phi`;
  });
  const b = new JetSetBuilder(path, { hasEnergy: false, hasLabel: !!opts.label, skipEmpty: opts.skipEmpty });
  const stored = { pt: [] as number[], eta: [] as number[], phi: [] as number[], mass: [] as number[] };
  const lookup = new Map<number, number>(); // uid → (flow << 24) | index
  let jet = 0;
  let refs = 0;
  let unmatched = 0;
  const maxJets = opts.maxJets ?? Infinity;
  await loop(
    path,
    tree,
    branches,
    (v, entry) => {
      lookup.clear();
      const cols = flows.map((_, k) => ({ pt: numeric(path, branches[`pt${k}`]!, v[`pt${k}`], entry), eta: numeric(path, branches[`eta${k}`]!, v[`eta${k}`], entry), phi: numeric(path, branches[`phi${k}`]!, v[`phi${k}`], entry) }));
      flows.forEach((_, k) => {
        const u = numeric(path, branches[`u${k}`]!, v[`u${k}`], entry);
        for (let i = 0; i < u.length; i++) lookup.set(u[i]! & 0xffffff, (k << 24) | i);
      });
      const jpt = numeric(path, branches.jpt!, v.jpt, entry), jeta = numeric(path, branches.jeta!, v.jeta, entry), jphi = numeric(path, branches.jphi!, v.jphi, entry), jmass = numeric(path, branches.jmass!, v.jmass, entry);
      const refArrays = v.refs as { fUIDs?: ArrayLike<number>; fLast?: number }[] | null;
      if (!Array.isArray(refArrays)) throw new UserError('UNSUPPORTED', `${path}: unsupported branch type for ${branches.refs} (entry ${entry})`, { where: path });
      for (let j = 0; j < jpt.length && jet < maxJets; j++) {
        const r = refArrays[j];
        const uids = r?.fUIDs ?? [];
        const nRefs = Math.min(uids.length ?? 0, (r?.fLast ?? (uids.length ?? 0) - 1) + 1);
        for (let i = 0; i < nRefs; i++) {
          refs++;
          const hit = lookup.get(uids[i]! & 0xffffff);
          if (hit === undefined) {
            unmatched++;
            continue;
          }
          const k = hit >>> 24, idx = hit & 0xffffff;
          const c = cols[k]!;
          b.push(c.pt[idx]!, c.eta[idx]!, c.phi[idx]!, 0, jet);
        }
        b.endJet(0, jet);
        stored.pt.push(jpt[j]!);
        stored.eta.push(jeta[j]!);
        stored.phi.push(jphi[j]!);
        stored.mass.push(jmass[j]!);
        jet++;
      }
      return jet < maxJets;
    },
    opts.onProgress,
  );
  if (refs > 0 && unmatched === refs) throw badFile(path, `none of the ${refs} constituent references of ${coll} points to a stored EFlow object`, 'The EFlow collections were not written with this tree: re-run Delphes keeping EFlowTrack/EFlowPhoton/EFlowNeutralHadron.');
  const notes = [`Tree ${desc.tree} (highest cycle); constituents from ${flows.map((e) => e.name).join(', ')} matched by fUniqueID & 0xffffff; treated as massless.`];
  if (unmatched) notes.push(`${unmatched} of ${refs} constituent references point to objects not stored (e.g. other collections) and were skipped.`);
  const featureMap: Record<string, string> = { jet: `${coll} (PT, Eta, Phi, Mass stored as-is)`, pt: flows.map((e) => `${e.name}.${e.pt}`).join(' | '), eta: flows.map((e) => `${e.name}.Eta`).join(' | '), phi: flows.map((e) => `${e.name}.Phi`).join(' | '), constituents: `${coll}.Constituents` };
  const set = b.finish({ path, format: 'root-delphes', collection: coll, featureMap, notes }, opts.label ? [opts.label] : undefined);
  const kept = b.keptIndices();
  const pick = (a: number[]) => Float32Array.from(kept, (j) => a[j]!);
  set.stored = { ptGeV: pick(stored.pt), etaJet: pick(stored.eta), phiJet: pick(stored.phi), massGeV: pick(stored.mass) };
  return set;
}

// ---------------------------------------------------------------- (b) NanoAOD / PFNano
async function readNano(path: string, tree: RootTree, desc: RootDescription, opts: RootReadOptions): Promise<JetSet> {
  const coll = opts.collection ?? desc.collections[0]!;
  const br = topBranches(tree);
  const cand = 'PFCands';
  const linkJet = `${coll}PFCands_jetIdx`, linkCand = `${coll}PFCands_pFCandsIdx`;
  const linked = br.has(linkJet) && br.has(linkCand);
  const radius = coll.startsWith('Fat') || coll.startsWith('AK8') ? 0.8 : 0.4;
  const hasMass = br.has(`${cand}_mass`);
  const branches: Record<string, string> = { jpt: `${coll}_pt`, jeta: `${coll}_eta`, jphi: `${coll}_phi`, cpt: `${cand}_pt`, ceta: `${cand}_eta`, cphi: `${cand}_phi` };
  if (br.has(`${coll}_mass`)) branches.jmass = `${coll}_mass`;
  if (hasMass) branches.cmass = `${cand}_mass`;
  if (linked) {
    branches.ljet = linkJet;
    branches.lcand = linkCand;
  }
  for (const name of Object.values(branches)) checkBranchType(path, br.get(name), name);
  const b = new JetSetBuilder(path, { hasEnergy: hasMass, hasLabel: !!opts.label, skipEmpty: opts.skipEmpty });
  const stored = { pt: [] as number[], eta: [] as number[], phi: [] as number[], mass: [] as number[] };
  const maxJets = opts.maxJets ?? Infinity;
  let jet = 0;
  let unassigned = 0;
  const owner: number[] = [];
  const push = (cpt: Arr, ceta: Arr, cphi: Arr, cmass: Arr | null, i: number) => {
    const pt = cpt[i]!, eta = ceta[i]!;
    let e = 0;
    if (cmass) {
      const p = pt * Math.cosh(eta), m = cmass[i]!;
      e = Math.sqrt(p * p + m * m);
    }
    b.push(pt, eta, cphi[i]!, e, jet);
  };
  await loop(
    path,
    tree,
    branches,
    (v, entry) => {
      const get = (k: string) => numeric(path, branches[k]!, v[k], entry);
      const jpt = get('jpt'), jeta = get('jeta'), jphi = get('jphi'), jmass = branches.jmass ? get('jmass') : null;
      const cpt = get('cpt'), ceta = get('ceta'), cphi = get('cphi'), cmass = hasMass ? get('cmass') : null;
      const nJ = Math.min(jpt.length, maxJets - jet);
      if (linked) {
        const lj = get('ljet'), lc = get('lcand');
        for (let j = 0; j < nJ; j++) {
          for (let k = 0; k < lj.length; k++) if (lj[k] === j && lc[k]! >= 0 && lc[k]! < cpt.length) push(cpt, ceta, cphi, cmass, lc[k]!);
          b.endJet(0, jet++);
        }
      } else {
        // Each candidate belongs to the nearest jet axis within ΔR < R (no candidate is shared between jets).
        owner.length = cpt.length;
        for (let i = 0; i < cpt.length; i++) {
          let best = -1, bestDr = radius;
          for (let j = 0; j < jpt.length; j++) {
            const dr = deltaR(ceta[i]!, cphi[i]!, jeta[j]!, jphi[j]!);
            if (dr < bestDr) [best, bestDr] = [j, dr];
          }
          owner[i] = best;
          if (best < 0) unassigned++;
        }
        for (let j = 0; j < nJ; j++) {
          for (let i = 0; i < cpt.length; i++) if (owner[i] === j) push(cpt, ceta, cphi, cmass, i);
          b.endJet(0, jet++);
        }
      }
      for (let j = 0; j < nJ; j++) {
        stored.pt.push(jpt[j]!);
        stored.eta.push(jeta[j]!);
        stored.phi.push(jphi[j]!);
        stored.mass.push(jmass ? jmass[j]! : Number.NaN);
      }
      return jet < maxJets;
    },
    opts.onProgress,
  );
  const notes = [
    linked
      ? `Constituents from ${linkJet}/${linkCand} links into ${cand}.`
      : `No jet→candidate links stored: each ${cand} entry is assigned to the nearest ${coll} axis within ΔR < ${radius} (no sharing); ${unassigned} candidates outside every jet were ignored.`,
    hasMass ? `Constituent energy from pT, η and ${cand}_mass.` : 'Constituents treated as massless.',
  ];
  const featureMap: Record<string, string> = { jet: `${coll}_pt/_eta/_phi${branches.jmass ? '/_mass' : ''} (stored as-is)`, pt: `${cand}_pt`, eta: `${cand}_eta`, phi: `${cand}_phi`, ...(hasMass ? { energy: `√((pT cosh η)² + ${cand}_mass²)` } : {}), constituents: linked ? `${linkJet}, ${linkCand}` : `ΔR < ${radius} to the jet axis` };
  const set = b.finish({ path, format: 'root-nanoaod', collection: coll, featureMap, notes }, opts.label ? [opts.label] : undefined);
  const kept = b.keptIndices();
  const pick = (a: number[]) => Float32Array.from(kept, (j) => a[j]!);
  set.stored = { ptGeV: pick(stored.pt), etaJet: pick(stored.eta), phiJet: pick(stored.phi) };
  if (branches.jmass) set.stored.massGeV = pick(stored.mass);
  return set;
}

// ---------------------------------------------------------------- (c) plain tree, one jet per entry
const FLAT_DEFAULTS: Record<string, string[]> = {
  pt: ['part_pt', 'constituent_pt', 'pt', 'PT', 'jet_constituent_pt'],
  eta: ['part_eta', 'constituent_eta', 'eta', 'Eta', 'jet_constituent_eta'],
  phi: ['part_phi', 'constituent_phi', 'phi', 'Phi', 'jet_constituent_phi'],
  energy: ['part_energy', 'part_e', 'constituent_e', 'E', 'energy'],
  px: ['part_px', 'px'],
  py: ['part_py', 'py'],
  pz: ['part_pz', 'pz'],
  label: ['label', 'jet_label', 'is_signal_new'],
};

async function readFlatTree(path: string, tree: RootTree, desc: RootDescription, opts: RootReadOptions): Promise<JetSet> {
  const br = topBranches(tree);
  const fm = opts.featureMap ?? {};
  const pick = (k: keyof typeof FLAT_DEFAULTS): string | undefined => {
    const u = fm[k as keyof FeatureMap];
    if (u !== undefined) {
      if (!br.has(u)) throw new UserError('BAD_INPUT', `${path}: branch '${u}' (mapped to ${k}) not in tree ${desc.tree} (branches: ${[...br.keys()].slice(0, 20).join(', ')})`, { where: path, hint: 'Map to one of the tree branches.' });
      return u;
    }
    return FLAT_DEFAULTS[k]!.find((n) => br.has(n));
  };
  const pt = pick('pt'), eta = pick('eta'), phi = pick('phi'), energy = pick('energy');
  const px = pick('px'), py = pick('py'), pz = pick('pz');
  const labelBranch = opts.label ? undefined : pick('label');
  const polar = pt && eta && phi;
  const cart = !polar && energy && px && py && pz;
  if (!polar && !cart) {
    throw badFile(path, `tree ${desc.tree}: cannot tell which branches are the constituents' pT, η, φ (branches: ${[...br.keys()].slice(0, 20).join(', ')})`, 'Map them explicitly, e.g. --feature pt=part_pt --feature eta=part_eta --feature phi=part_phi.');
  }
  const branches: Record<string, string> = polar ? { pt: pt!, eta: eta!, phi: phi!, ...(energy ? { e: energy } : {}) } : { e: energy!, px: px!, py: py!, pz: pz! };
  if (labelBranch) branches.label = labelBranch;
  for (const name of Object.values(branches)) checkBranchType(path, br.get(name), name);
  const b = new JetSetBuilder(path, { hasEnergy: !!branches.e, hasLabel: !!opts.label || !!labelBranch, skipEmpty: opts.skipEmpty });
  const labels: number[] = [];
  const maxJets = opts.maxJets ?? Infinity;
  let jet = 0;
  await loop(
    path,
    tree,
    branches,
    (v, entry) => {
      const get = (k: string) => numeric(path, branches[k]!, v[k], entry);
      if (polar) {
        const a = get('pt'), h = get('eta'), f = get('phi'), e = branches.e ? get('e') : null;
        if (h.length !== a.length || f.length !== a.length || (e && e.length !== a.length)) throw badFile(path, `entry ${entry}: constituent branches have different lengths`, 'Map branches of the same jagged collection.');
        for (let i = 0; i < a.length; i++) if (a[i] !== 0) b.push(a[i]!, h[i]!, f[i]!, e ? e[i]! : 0, jet);
      } else {
        const e = get('e'), x = get('px'), y = get('py'), z = get('pz');
        for (let i = 0; i < e.length; i++) if (e[i] !== 0) pushCartesian(b, e[i]!, x[i]!, y[i]!, z[i]!, jet);
      }
      if (labelBranch) labels.push(get('label')[0]!);
      b.endJet(0, jet++);
      return jet < maxJets;
    },
    opts.onProgress,
  );
  const featureMap: Record<string, string> = polar ? { pt: pt!, eta: eta!, phi: phi!, ...(energy ? { energy } : {}) } : { energy: energy!, px: px!, py: py!, pz: pz! };
  if (labelBranch) featureMap.label = labelBranch;
  const source: JetSource = { path, format: 'root-tree', collection: desc.tree, featureMap, notes: [`Tree ${desc.tree}: one jet per entry; zero-${polar ? 'pT' : 'energy'} entries treated as padding.`] };
  let labelNames: string[] | undefined;
  let index: Int32Array | undefined;
  if (opts.label) labelNames = [opts.label];
  else if (labelBranch) {
    const li = labelIndexer(labels, null);
    labelNames = li.names;
    index = li.index;
  }
  const set = b.finish(source, labelNames);
  if (index && set.label) {
    const kept = b.keptIndices();
    for (let j = 0; j < set.nJets; j++) set.label[j] = index[kept[j]!]!;
  }
  return set;
}
