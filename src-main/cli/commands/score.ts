// `ebm-hep score`: per-jet scores of a trained run as CSV — index, label, E(x), p(y|x) per class (EBM-CLF), jet mass
// and pT — for analyses outside the workstation (pandas, ROOT's RDataFrame::FromCSV).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { progressBar } from '../progress.ts';
import { readJets } from '../../data/read.ts';
import { loadEvalModel } from '../../eval/model.ts';
import { completeRunCounts, jetQuantities, readRunSplit, selectJets, type RunSplitInfo, type SplitChoice } from '../../eval/samples.ts';
import { UserError } from '../../util/errors.ts';
import { parseOrExplain } from './eval.ts';

const usage = `usage: ebm-hep score --run DIR --data FILE --out scores.csv [--split all|test] [--max-jets N] [--backend NAME]

Writes one CSV row per jet:
  index       jet index in FILE (0-based)
  label       class name stored in FILE (empty when unknown)
  energy      E(x) (dimensionless; higher = more anomalous)
  p_<class>   EBM-CLF only: p(class|x) for each class of the model
  mass_gev    jet mass [GeV] (the file's stored full-jet mass when present, else from the constituents)
  pt_gev      jet pT [GeV] (same rule)

  --run DIR        run directory (or model directory) from \`ebm-hep train\`
  --data FILE      jets to score (any format readJets reads)
  --out FILE       CSV to write ('-' = stdout)
  --split all|test all jets (default) or only the held-out test split (the run's own split for its training files)
  --max-jets N     read at most N jets
  --backend NAME   compute backend (auto, native, wasm, cpu, …; default auto)`;

const command: Command = {
  summary: 'per-jet energies (and class probabilities for EBM-CLF) of a run as CSV',
  usage,
  async run({ argv, stdout, stderr }) {
    const { values } = parseOrExplain(() =>
      parseArgs({
        args: argv,
        strict: true,
        options: { run: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, split: { type: 'string' }, 'max-jets': { type: 'string' }, backend: { type: 'string' } },
      }),
    );
    if (!values.run) throw new UserError('BAD_INPUT', 'no run given', { hint: 'Add --run <run directory written by `ebm-hep train`>.', where: '--run' });
    if (!values.data) throw new UserError('BAD_INPUT', 'no jets given', { hint: 'Add --data <file> (e.g. ../shared/data/pythia8/top.h5).', where: '--data' });
    if (!values.out) throw new UserError('BAD_INPUT', 'no output file given', { hint: "Add --out scores.csv (or --out - for stdout).", where: '--out' });
    const split = (values.split ?? 'all') as SplitChoice;
    if (split !== 'all' && split !== 'test') throw new UserError('BAD_INPUT', `--split ${values.split}: expected all or test`, { where: '--split' });
    const maxJets = values['max-jets'] !== undefined ? Number(values['max-jets']) : undefined;
    if (maxJets !== undefined && !(Number.isInteger(maxJets) && maxJets > 0)) throw new UserError('BAD_INPUT', `--max-jets ${values['max-jets']}: expected a positive integer`, { where: '--max-jets' });

    let run: RunSplitInfo | null = null;
    try {
      run = readRunSplit(values.run);
    } catch {
      run = null; // a bare model directory: its test split is the file's own (seed 1)
    }
    if (run && split === 'test') run = await completeRunCounts(run, async (p) => (await readJets(p)).nJets);
    const model = await loadEvalModel(values.run, { ...(values.backend ? { backend: values.backend } : {}) });
    try {
      const all = await readJets(values.data, { ...(maxJets ? { maxJets } : {}) });
      const sel = selectJets(values.data, all, split, run);
      const q = jetQuantities(sel.jets);
      const bar = progressBar('scoring', stderr);
      const s = await model.score(sel.jets, (d, t) => bar.update(d, t));
      bar.done();
      const classes = model.meta.kind === 'ebm-clf' ? (model.meta.classNames ?? Array.from({ length: model.meta.config.outputs }, (_, i) => `class${i}`)) : [];
      const C = classes.length;
      const toStdout = values.out === '-';
      const sink = toStdout ? stdout : createWriteStream(resolve(values.out));
      const header = ['index', 'label', 'energy', ...classes.map((c) => `p_${c.replace(/[^\w]+/g, '_')}`), 'mass_gev', 'pt_gev'];
      const lines: string[] = [header.join(',')];
      const labels = sel.jets.label;
      const names = sel.jets.labelNames ?? [];
      for (let j = 0; j < sel.jets.nJets; j++) {
        const l = labels ? labels[j]! : -1;
        const row: (string | number)[] = [sel.indices[j]!, l >= 0 ? (names[l] ?? String(l)) : '', num(s.energy[j]!)];
        for (let c = 0; c < C; c++) row.push(num(s.probs![j * C + c]!));
        row.push(num(q.massGeV[j]!), num(q.ptGeV[j]!));
        lines.push(row.join(','));
        if (lines.length >= 4096) {
          if (!sink.write(lines.join('\n') + '\n')) await once(sink, 'drain');
          lines.length = 0;
        }
      }
      if (lines.length) sink.write(lines.join('\n') + '\n');
      if (!toStdout) {
        (sink as NodeJS.WritableStream & { end(): void }).end();
        await once(sink, 'finish');
        stderr.write(`ebm-hep score: ${sel.jets.nJets} jets (${sel.description}) → ${resolve(values.out)}\n`);
      }
    } finally {
      model.dispose();
    }
    return 0;
  },
};

/** Shortest round-trip text of a float32 value; NaN/∞ as in pandas ('nan', 'inf'). */
function num(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(Math.fround(v) === v ? Number(v.toPrecision(8)) : v);
}

export default command;
