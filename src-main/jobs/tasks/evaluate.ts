// Worker task: score background, signals and random-noise jets with a run's model: energy (and EBM-CLF
// p(background|x)) plus the jet mass of each jet, for the evaluation queries (ROC, sculpting, energy cut).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJets } from '../../data/read.ts';
import { readRunSplit, selectJets } from '../../eval/samples.ts';
import { subsetJets } from '../../data/split.ts';
import { jetObservables, observablesFromFeatures } from '../../physics/observables.ts';
import { destandardize } from '../../physics/preprocess.ts';
import { noiseJets } from '../../train/buffer.ts';
import { energies } from '../../train/energy.ts';
import { loadModelForUse, scoreJets } from '../../train/generate.ts';
import { UserError } from '../../util/errors.ts';
import { Rng } from '../../util/rng.ts';
import type { EvaluateTaskResult } from '../../api/engine.ts';
import type { TaskContext } from '../protocol.ts';

export interface EvaluatePayload {
  runDir: string;
  classes: { name: string; role: 'background' | 'signal'; path: string; label?: string }[];
  maxJets?: number;
  /** 'test' (default): held-out jets only; 'all': every jet (files the run never saw). */
  split?: 'test' | 'all';
  noiseJets: number;
  seed: number;
}

export async function run(p: EvaluatePayload, ctx: TaskContext): Promise<EvaluateTaskResult> {
  const model = await loadModelForUse(p.runDir);
  const out: EvaluateTaskResult = { classes: [] };
  const classNames = model.meta.classNames ?? [];
  const bgName = p.classes.find((c) => c.role === 'background')?.label ?? 'qcd';
  const bgLogit = Math.max(0, classNames.indexOf(bgName));
  const run = existsSync(join(p.runDir, 'run.json')) ? readRunSplit(p.runDir) : null;
  // run.json should list each input's jet count (docs/RUN_DIRECTORY.md); count them when it does not
  for (const d of run?.data ?? []) if (typeof d.nJets !== 'number') d.nJets = (await readJets(d.path, d.label ? { label: d.label } : {})).nJets;
  for (const c of p.classes) {
    let jets = await readJets(c.path);
    // held-out jets only: the run's own test split for files it trained on (eval/samples.ts), unless 'all'
    if ((p.split ?? 'test') === 'test') jets = selectJets(c.path, jets, 'test', run).jets;
    if (c.label) {
      const k = jets.labelNames?.indexOf(c.label) ?? -1;
      if (k < 0 || !jets.label) throw new UserError('BAD_INPUT', `${c.path}: no jets labelled '${c.label}'`, { hint: 'Choose a label the dataset has.', where: c.path });
      const idx: number[] = [];
      for (let j = 0; j < jets.nJets; j++) if (jets.label[j] === k) idx.push(j);
      jets = subsetJets(jets, Uint32Array.from(idx));
    }
    if (p.maxJets && jets.nJets > p.maxJets) jets = subsetJets(jets, Uint32Array.from({ length: p.maxJets }, (_, i) => i));
    ctx.emit({ type: 'log', level: 'info', message: `scoring ${jets.nJets} ${c.name} jets` });
    const s = await scoreJets(model, jets);
    const entry: EvaluateTaskResult['classes'][number] = { name: c.name, role: c.role, energy: s.energy, massGeV: jetObservables(jets).massGeV };
    if (s.probs && classNames.length) {
      const C = classNames.length;
      entry.pBackground = Float32Array.from({ length: jets.nJets }, (_, j) => s.probs![j * C + bgLogit]!);
    }
    out.classes.push(entry);
  }
  if (p.noiseJets > 0) {
    // Gaussian noise in the standardised feature space with multiplicities from training (paper Fig. 4).
    const N = model.meta.config.particles;
    const F = model.meta.config.features;
    const noise = noiseJets(p.noiseJets, N, F, model.meta.multiplicityHistogram, new Rng(p.seed ^ 0x5eed));
    const e = energies({ net: model.net, kind: model.meta.kind }, { x: noise.x, mask: noise.mask, size: p.noiseJets });
    const physical = destandardize(noise.x, noise.mask, model.meta.standardizer);
    out.classes.push({ name: 'noise', role: 'noise', energy: e.energy, massGeV: observablesFromFeatures(physical, noise.mask, p.noiseJets, N).massGeV });
  }
  return out;
}
