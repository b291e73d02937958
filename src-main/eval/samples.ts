// Which jets an evaluation uses, and their per-jet observables: the held-out test split of each file (the run's own
// split for files it trained on, so training and evaluation never share a jet) and jet mass/pT/multiplicity.
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { DEFAULT_SPLIT, splitIndices, subsetJets, type SplitFractions } from '../data/split.ts';
import type { JetSet } from '../data/jetset.ts';
import { jetObservables } from '../physics/observables.ts';
import { badFile, UserError } from '../util/errors.ts';

/** The parts of a run directory's run.json an evaluation needs (docs/RUN_DIRECTORY.md). */
export interface RunSplitInfo {
  runDir: string;
  kind?: 'ebm' | 'ebm-clf';
  seed: number;
  fractions: SplitFractions;
  /** Training inputs in order, as given to `train` (the split is over their concatenation); nJets filled in by
   *  `completeRunCounts` when run.json does not record it. */
  data: { path: string; label?: string; nJets?: number }[];
  /** Total jets split (run.json split.nJets), to check the counts against. */
  nJets?: number;
  classNames?: string[];
}

/** Default split seed when no run is given (the training default seed, src-main/train/config.ts). */
export const DEFAULT_SPLIT_SEED = 1;

/** Read run.json of a run directory; a clear error when it is not one. */
export function readRunSplit(runDir: string): RunSplitInfo {
  const path = join(runDir, 'run.json');
  if (!existsSync(path)) throw badFile(runDir, 'has no run.json: not a run directory', 'Pass the directory `ebm-hep train` wrote (it holds run.json, config.json and model/).');
  let raw: Record<string, any>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw badFile(path, 'is not valid JSON', 'The run directory is damaged.', err);
  }
  const split = raw.split ?? {};
  return {
    runDir,
    kind: raw.kind,
    seed: Number.isInteger(split.seed) ? split.seed : Number.isInteger(raw.seed) ? raw.seed : DEFAULT_SPLIT_SEED,
    fractions: split.fractions ?? DEFAULT_SPLIT,
    data: Array.isArray(raw.data) ? raw.data : [],
    ...(Number.isInteger(split.nJets) ? { nJets: split.nJets } : {}),
    ...(Array.isArray(raw.classNames) ? { classNames: raw.classNames } : {}),
  };
}

/**
 * Fill in the jet count of every training input that run.json does not record, by reading the file (training reads
 * whole files), and check the total against the split's nJets.
 */
export async function completeRunCounts(run: RunSplitInfo, count: (path: string) => Promise<number>): Promise<RunSplitInfo> {
  const data = [];
  for (const d of run.data) data.push(d.nJets !== undefined ? d : { ...d, nJets: await count(d.path) });
  const total = data.reduce((s, d) => s + (d.nJets ?? 0), 0);
  if (run.nJets !== undefined && total !== run.nJets) {
    throw new UserError('BAD_INPUT', `${run.runDir}: its training files now hold ${total} jets but the run split ${run.nJets}`, {
      where: run.runDir,
      hint: 'A training file changed since the run was trained; evaluate with the original files.',
    });
  }
  return { ...run, data };
}

/** `path[:name]` → { path, name }; the name defaults to the file name without extension (e.g. 'top'). */
export function parseSampleArg(arg: string): { path: string; name: string } {
  const m = /^(.*\.[A-Za-z0-9]+):([^:/\\]+)$/.exec(arg);
  const path = m ? m[1]! : arg;
  const name = m ? m[2]! : basename(path, extname(path));
  return { path, name };
}

export type SplitChoice = 'test' | 'all';

export interface Selection {
  jets: JetSet;
  /** What was selected, in words, for metrics.json and the report. */
  description: string;
  nFile: number;
  /** Indices into the file's jets, ascending. */
  indices: Uint32Array;
}

/**
 * The jets of `file` (already read, `nFile` jets) an evaluation uses. `split = 'all'`: every jet. `split = 'test'`:
 * if the file is one of the run's training inputs, exactly the run's test jets inside it (splitIndices over the
 * concatenation of the inputs, seed and fractions from run.json); otherwise the test part of `splitIndices(nFile,
 * seed, fractions)` of the file alone — held out either way, and the same jets for every run with the same seed.
 */
export function selectJets(path: string, jets: JetSet, split: SplitChoice, run: RunSplitInfo | null): Selection {
  const n = jets.nJets;
  if (split === 'all') {
    const all = Uint32Array.from({ length: n }, (_, i) => i);
    return { jets, description: `all ${n} jets`, nFile: n, indices: all };
  }
  const seed = run?.seed ?? DEFAULT_SPLIT_SEED;
  const fractions = run?.fractions ?? DEFAULT_SPLIT;
  const abs = resolve(path);
  const at = run ? run.data.findIndex((d) => resolve(d.path) === abs) : -1;
  if (run && at >= 0) {
    if (run.data.some((d) => d.nJets === undefined)) throw new Error('selectJets: run input counts missing (call completeRunCounts first)');
    const offset = run.data.slice(0, at).reduce((s, d) => s + d.nJets!, 0);
    const total = run.data.reduce((s, d) => s + d.nJets!, 0);
    const trained = run.data[at]!;
    if (trained.nJets !== n) {
      throw new UserError('BAD_INPUT', `${path}: has ${n} jets but the run trained on ${trained.nJets} of it`, {
        where: path,
        hint: 'Evaluate with the same file (and --max-jets) the run was trained with, or pass --split all for a file the run never saw.',
      });
    }
    const test = splitIndices(total, seed, fractions).test;
    const local: number[] = [];
    for (const i of test) if (i >= offset && i < offset + n) local.push(i - offset);
    const idx = Uint32Array.from(local);
    return { jets: subsetJets(jets, idx), description: `run's test split: ${idx.length} of ${n} jets (training input ${at + 1}, seed ${seed})`, nFile: n, indices: idx };
  }
  const idx = splitIndices(n, seed, fractions).test;
  return { jets: subsetJets(jets, idx), description: `test split of this file: ${idx.length} of ${n} jets (splitIndices(n, seed ${seed}, ${fractions.train}/${fractions.validation}/${fractions.test}))`, nFile: n, indices: idx };
}

export interface JetQuantities {
  massGeV: Float32Array;
  ptGeV: Float32Array;
  multiplicity: Float32Array;
  /** Which mass / multiplicity these are, in words. */
  massDefinition: string;
  multiplicityDefinition: string;
}

/**
 * Jet mass, pT and multiplicity for evaluation: the file's stored full-jet values when present (FastJet mass and pT of
 * all constituents; n_constituents before truncation), else computed from the stored constituents (massless).
 */
export function jetQuantities(jets: JetSet): JetQuantities {
  const obs = jetObservables(jets);
  const s = jets.stored;
  return {
    massGeV: s?.massGeV ? Float32Array.from(s.massGeV) : obs.massGeV,
    ptGeV: s?.ptGeV ? Float32Array.from(s.ptGeV) : obs.ptGeV,
    multiplicity: s?.nConstituents ? Float32Array.from(s.nConstituents) : Float32Array.from(obs.multiplicity),
    massDefinition: s?.massGeV ? 'stored full-jet mass (file, e.g. FastJet jets[:,3])' : 'mass of the stored constituents (massless)',
    multiplicityDefinition: s?.nConstituents ? 'stored constituent count of the full jet (n_constituents)' : 'number of stored constituents',
  };
}
