// CSV reader for the long format, one row per constituent: a header naming a jet-id column and pT, η, φ[, E]
// (or E, px, py, pz) and optionally a label column; rows of one jet are contiguous. Streams line by line.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { JetSet, JetSource } from './jetset.ts';
import { JetSetBuilder } from './builder.ts';
import { pushCartesian, resolveRowMapping, type FeatureMap } from './features.ts';
import { badFile, UserError } from '../util/errors.ts';

export interface CsvReadOptions {
  label?: string;
  featureMap?: FeatureMap;
  maxJets?: number;
  skipEmpty?: boolean;
  onProgress?: (done: number, total: number) => void;
}

const JET_ID = ['jet_id', 'jetid', 'jet', 'jet_index', 'ijet', 'jet_idx', 'event_jet', 'id'];
const LABEL = ['label', 'class', 'is_signal_new', 'y', 'type'];

function splitter(header: string): (line: string) => string[] {
  if (header.includes(',')) return (l) => l.split(',');
  if (header.includes('\t')) return (l) => l.split('\t');
  if (header.includes(';')) return (l) => l.split(';');
  return (l) => l.trim().split(/\s+/);
}

/** Reads a long-format CSV file into a JetSet (progress in bytes converted to an estimated jet count). */
export async function readCsv(path: string, opts: CsvReadOptions = {}): Promise<JetSet> {
  const sizeBytes = (await stat(path)).size;
  let split: ((l: string) => string[]) | null = null;
  let cols: string[] = [];
  let b = null as JetSetBuilder | null;
  let jetCol = -1;
  let labelCol = -1;
  let idx = { pt: -1, eta: -1, phi: -1, energy: -1, px: -1, py: -1, pz: -1 };
  let cartesian = false;
  const featureMap: Record<string, string> = {};
  const notes: string[] = [];
  const seen = new Set<string>();
  const labelIds = new Map<string, number>();
  let currentJet: string | null = null;
  let currentLabel = -1;
  let jetIndex = -1;
  let lineNo = 0;
  let bytesRead = 0;
  let stoppedEarly = false;
  let padding = 0;

  const closeJet = () => {
    if (currentJet !== null) b!.endJet(opts.label ? 0 : currentLabel, jetIndex);
  };

  const num = (f: string[], i: number, what: string): number => {
    const s = f[i]!;
    const x = Number(s); // Number() ignores surrounding blanks; '' → 0, caught below
    if (Number.isNaN(x) || (x === 0 && s.trim() === '')) {
      if (/^\s*[+-]?nan\s*$/i.test(s)) return Number.NaN;
      throw badFile(path, `line ${lineNo}: ${what} '${s.trim()}' is not a number`, 'Fix the value; every constituent needs numeric kinematics.');
    }
    return x;
  };

  /** Handles one line; returns false to stop reading (maxJets reached). */
  const handle = (raw: string): boolean => {
    lineNo++;
    bytesRead += raw.length + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const c0 = line.charCodeAt(0);
    if (line.length === 0 || c0 === 35 /* # */ || (c0 <= 32 && line.trim() === '')) return true;
    if (!split) {
      split = splitter(line);
      cols = split(line).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
      if (cols.every((c) => c !== '' && Number.isFinite(Number(c)))) {
        throw badFile(path, 'CSV has no header line (the first line is numbers)', `Add a header naming the columns, e.g. "jet_id,pt,eta,phi".`);
      }
      const lower = cols.map((c) => c.toLowerCase());
      const pick = (key: keyof FeatureMap, names: string[]) => {
        const u = opts.featureMap?.[key];
        if (u !== undefined) {
          const i = lower.indexOf(u.toLowerCase());
          if (i < 0) throw new UserError('BAD_INPUT', `${path}: column '${u}' (mapped to ${key}) not in the header (${cols.join(', ')})`, { where: path, hint: 'Map to one of the header columns.' });
          return i;
        }
        return names.map((n) => lower.indexOf(n)).find((i) => i >= 0) ?? -1;
      };
      jetCol = pick('jet', JET_ID);
      if (jetCol < 0) throw badFile(path, `no jet-id column in the header (${cols.join(', ')})`, `Name one column jet_id (one row per constituent), or map it: --feature jet=<column>.`);
      labelCol = opts.label ? -1 : pick('label', LABEL);
      const m = resolveRowMapping(path, cols.length, cols, opts.featureMap, cols);
      if (m.kind === 'ptetaphi') idx = { pt: m.pt, eta: m.eta, phi: m.phi, energy: m.energy, px: -1, py: -1, pz: -1 };
      else {
        cartesian = true;
        idx = { pt: -1, eta: -1, phi: -1, energy: m.energy, px: m.px, py: m.py, pz: m.pz };
      }
      featureMap.jet = cols[jetCol]!;
      for (const [k, i] of Object.entries(idx)) if (i >= 0) featureMap[k] = cols[i]!;
      if (labelCol >= 0) featureMap.label = cols[labelCol]!;
      b = new JetSetBuilder(path, { hasEnergy: idx.energy >= 0, hasLabel: labelCol >= 0 || !!opts.label, skipEmpty: opts.skipEmpty });
      return true;
    }
    const f = split(line);
    if (f.length !== cols.length) throw badFile(path, `line ${lineNo} has ${f.length} fields, the header has ${cols.length}`, 'Every row needs one value per header column.');
    const id = f[jetCol]!.trim();
    if (id !== currentJet) {
      closeJet();
      if (seen.has(id)) throw badFile(path, `line ${lineNo}: rows of jet '${id}' are not contiguous`, `Sort the file by ${cols[jetCol]} so each jet's constituents are consecutive.`);
      if (opts.maxJets !== undefined && jetIndex + 1 >= opts.maxJets) {
        stoppedEarly = true;
        currentJet = null;
        return false;
      }
      seen.add(id);
      currentJet = id;
      jetIndex++;
      if (labelCol >= 0) {
        const l = f[labelCol]!.trim();
        let li = labelIds.get(l);
        if (li === undefined) labelIds.set(l, (li = labelIds.size));
        currentLabel = li;
      }
      if ((jetIndex & 1023) === 0) opts.onProgress?.(bytesRead, sizeBytes);
    }
    if (cartesian) {
      const e = num(f, idx.energy, 'E');
      if (e === 0) padding++;
      else pushCartesian(b!, e, num(f, idx.px, 'px'), num(f, idx.py, 'py'), num(f, idx.pz, 'pz'), jetIndex);
    } else {
      const pt = num(f, idx.pt, 'pT');
      if (pt === 0) padding++;
      else b!.push(pt, num(f, idx.eta, 'η'), num(f, idx.phi, 'φ'), idx.energy >= 0 ? num(f, idx.energy, 'E') : 0, jetIndex);
    }
    return true;
  };

  // Large chunks split on '\n' synchronously: far cheaper than readline's per-line events.
  let rest = '';
  let go = true;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 4 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0 && go; nl = text.indexOf('\n', start)) {
      go = handle(text.slice(start, nl));
      start = nl + 1;
    }
    if (!go) break;
    rest = text.slice(start);
  }
  if (go && rest.length) handle(rest);
  if (!b) throw badFile(path, 'CSV has no header and no rows', 'Write a header line and one row per constituent.');
  closeJet();
  if (padding > 0) notes.push(`${padding} rows with zero ${cartesian ? 'energy' : 'pT'} treated as padding, not constituents.`);
  if (stoppedEarly) notes.push(`Read the first ${opts.maxJets} jets (maxJets).`);
  opts.onProgress?.(sizeBytes, sizeBytes);

  let labelNames: string[] | undefined;
  if (opts.label) labelNames = [opts.label];
  else if (labelCol >= 0) labelNames = [...labelIds.keys()];
  const set = b.finish({ path, format: 'csv', featureMap, notes } satisfies JetSource, labelNames);
  if (set.label && labelNames && labelNames.every((n) => /^-?\d+$/.test(n))) renumberNumericLabels(set, labelNames);
  return set;
}

/** Numeric label values ("0","1",…) sorted by value so class index order is stable, not order of appearance. */
function renumberNumericLabels(set: JetSet, names: string[]): void {
  const sorted = [...names].sort((a, b) => Number(a) - Number(b));
  const remap = names.map((n) => sorted.indexOf(n));
  for (let j = 0; j < set.nJets; j++) set.label![j] = remap[set.label![j]!]!;
  set.labelNames = sorted;
}
