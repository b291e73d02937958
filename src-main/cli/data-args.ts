// Options shared by the CLI commands that read jet files (inspect, import): collection, feature mapping, limits.
import type { ReadOptions } from '../data/read.ts';
import type { FeatureMap } from '../data/features.ts';
import { UserError } from '../util/errors.ts';

export const DATA_OPTIONS = {
  collection: { type: 'string' },
  feature: { type: 'string', multiple: true },
  'max-jets': { type: 'string' },
  'skip-empty': { type: 'boolean' },
} as const;

export const DATA_USAGE = `  --collection NAME    dataset / tree / jet collection inside the file (e.g. particles, FatJet, Events:FatJet)
  --feature K=V        map a stored column/branch/feature to a quantity, repeatable; K is one of
                       pt, eta, phi, energy, px, py, pz, mask, jet (CSV jet id), label; V a name or 0-based index
  --max-jets N         read only the first N jets
  --skip-empty         drop jets without constituents instead of failing`;

const KEYS = ['pt', 'eta', 'phi', 'energy', 'px', 'py', 'pz', 'mask', 'jet', 'label'];

/** ReadOptions from parsed CLI values. */
export function readOptionsFrom(values: { collection?: string; feature?: string[]; 'max-jets'?: string; 'skip-empty'?: boolean }): ReadOptions {
  const opts: ReadOptions = {};
  if (values.collection) opts.collection = values.collection;
  if (values['skip-empty']) opts.skipEmpty = true;
  if (values['max-jets'] !== undefined) {
    const n = Number(values['max-jets']);
    if (!Number.isInteger(n) || n < 1) throw new UserError('BAD_INPUT', `--max-jets ${values['max-jets']}: expected a positive integer`, { where: '--max-jets' });
    opts.maxJets = n;
  }
  if (values.feature?.length) {
    const map: FeatureMap = {};
    for (const kv of values.feature) {
      const m = /^([a-z]+)=(.+)$/.exec(kv.trim());
      if (!m || !KEYS.includes(m[1]!)) throw new UserError('BAD_INPUT', `--feature ${kv}: expected K=V with K one of ${KEYS.join(', ')}`, { where: '--feature', hint: 'e.g. --feature pt=part_pt --feature eta=part_eta --feature phi=part_phi' });
      map[m[1] as keyof FeatureMap] = m[2]!;
    }
    opts.featureMap = map;
  }
  return opts;
}
