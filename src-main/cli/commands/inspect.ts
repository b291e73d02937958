// `ebm-hep inspect <file>`: detects the format and summarises the jets — counts per label, median/mean jet pT and
// mass computed from the constituents as stored (massless where no energy is stored), mean multiplicity.
import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { progressBar } from '../progress.ts';
import { DATA_OPTIONS, DATA_USAGE, readOptionsFrom } from '../data-args.ts';
import { readJets } from '../../data/read.ts';
import { labelCounts } from '../../data/import.ts';
import type { JetSet } from '../../data/jetset.ts';
import { jetObservables } from '../../physics/observables.ts';
import { UserError } from '../../util/errors.ts';

const usage = `usage: ebm-hep inspect <file> [--collection NAME] [--json] [options]

Detects the file's format (HDF5, ROOT, .npy/.npz, CSV; from its content) and prints: format, jets, total
constituents, jets per label, median and mean jet pT and mass computed from the constituents as stored
(massless where the file stores no energy), and the mean multiplicity.

  --json               one JSON object on stdout: format, jets, constituents, labels, pt_median_gev,
                       mass_median_gev, mass_mean_gev, multiplicity_mean
${DATA_USAGE}`;

export interface InspectSummary {
  format: string;
  jets: number;
  constituents: number;
  labels: Record<string, number>;
  pt_median_gev: number;
  mass_median_gev: number;
  mass_mean_gev: number;
  multiplicity_mean: number;
}

function median(a: Float32Array): number {
  const s = Float64Array.from(a).sort();
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? s[(n - 1) / 2]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
}

function mean(a: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i]!;
  return a.length ? t / a.length : Number.NaN;
}

/** The numbers `inspect --json` reports, for any JetSet. */
export function summarizeJets(jets: JetSet): InspectSummary {
  return summarize(jets).summary;
}

function summarize(jets: JetSet): { summary: InspectSummary; ptMeanGeV: number } {
  const o = jetObservables(jets);
  return { ptMeanGeV: mean(o.ptGeV), summary: {
    format: jets.source.format,
    jets: jets.nJets,
    constituents: jets.offsets[jets.nJets]!,
    labels: labelCounts(jets),
    pt_median_gev: median(o.ptGeV),
    mass_median_gev: median(o.massGeV),
    mass_mean_gev: mean(o.massGeV),
    multiplicity_mean: mean(o.multiplicity),
  } };
}

const command: Command = {
  summary: 'show what a jet file holds: format, jets, labels, jet pT/mass from constituents, multiplicity',
  usage,
  async run({ argv, stdout, stderr }) {
    const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { ...DATA_OPTIONS, json: { type: 'boolean' } } });
    if (positionals.length !== 1) throw new UserError('BAD_INPUT', positionals.length ? `expected one file, got ${positionals.length}` : 'no file given', { hint: usage.split('\n')[0] });
    const file = positionals[0]!;
    const bar = progressBar('reading', stderr);
    const jets = await readJets(file, { ...readOptionsFrom(values), onProgress: (d, t) => bar.update(d, t) });
    bar.done();
    const { summary: s, ptMeanGeV } = summarize(jets);
    if (values.json) {
      stdout.write(JSON.stringify(s) + '\n');
      return 0;
    }
    const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
    const rows: [string, string][] = [
      ['file', file],
      ['format', `${s.format}${jets.source.collection ? ` (${jets.source.collection})` : ''}`],
      ['jets', String(s.jets)],
      ['constituents', `${s.constituents}${jets.energy ? ' (with energy)' : ' (massless: no energy stored)'}`],
      ['labels', Object.entries(s.labels).map(([k, v]) => `${k} ${v}`).join(', ')],
      ['jet pT median [GeV]', f(s.pt_median_gev)],
      ['jet pT mean [GeV]', f(ptMeanGeV)],
      ['jet mass median [GeV]', f(s.mass_median_gev)],
      ['jet mass mean [GeV]', f(s.mass_mean_gev)],
      ['multiplicity mean', f(s.multiplicity_mean, 2)],
    ];
    if (jets.stored?.massGeV) rows.push(['stored jet mass median [GeV]', `${f(median(jets.stored.massGeV))} (as stored in the file, not from constituents)`]);
    Object.entries(jets.source.featureMap).forEach(([k, v], i) => rows.push([i === 0 ? 'mapping' : '', `${k} ← ${v}`]));
    const w = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) stdout.write(`${k.padEnd(w)}  ${v}\n`);
    for (const n of jets.source.notes) stdout.write(`note: ${n}\n`);
    return 0;
  },
};

export default command;
