// `ebm-hep train`: trains an EBM or EBM-CLF from jet files into a run directory (docs/RUN_DIRECTORY.md), with a
// progress bar on stderr (epoch, step, loss, ETA), live metric lines, --json events on stdout, and --resume.
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { formatSeconds, progressBar } from '../progress.ts';
import { sampleFiles } from '../../data/sample.ts';
import { BACKEND_CHOICES } from '../../model/backend.ts';
import { resolveTrainConfig, TRAIN_PRESETS, type TrainConfigOverrides, type TrainPreset } from '../../train/config.ts';
import { runTraining, type TrainEvent } from '../../train/run.ts';
import { UserError } from '../../util/errors.ts';

const usage = `usage: ebm-hep train [--data FILE[:label] …] [options]

Trains an energy-based model of jets (paper Algorithm 1: Langevin negatives from a replay buffer, CD + KL through
the chain + L2) and writes a run directory: config.json, run.json, metrics.jsonl, checkpoints/, model/.

  --data FILE[:label]  training jets (HDF5, ROOT, .npy/.npz, CSV); repeatable; ':label' names the class of every
                       jet in FILE (EBM-CLF: one file per class; default label = the file name).
                       Default: the embedded sample's QCD jets.
  --kind ebm|ebm-clf   energy model, or classifier + energy hybrid (JEM-style; default ebm)
  --preset NAME        tiny | laptop | paper (Table 3 of the paper) — default laptop
  --config FILE.json   overrides merged over the preset (any TrainConfig field, e.g. {"langevin":{"steps":32}})
  --epochs N           number of epochs
  --max-steps N        stop after N optimiser steps in total
  --seed S             seed of everything (init, split, batches, buffer, noise); same seed + backend = same run
  --backend NAME       ${BACKEND_CHOICES.join(' | ')} (default auto: fastest available, recorded in run.json)
  --threads N          compute threads (native, wasm)
  --out DIR            run directory (default runs/<kind>-<preset>-<date>)
  --resume             continue the run in --out from its latest checkpoint (exactly), with the run's own
                       config.json; --epochs / --max-steps given with --resume extend it
  --json               one JSON event per line on stdout (start, step, epoch, divergence, log, done/stopped)
  --db FILE            run store the run is registered in when it ends (default $EBM_HEP_HOME/ebm-hep.sqlite)

Ctrl-C, or SIGTERM (a batch system's time limit), stops after the current step and writes a checkpoint (resume
with --resume).`;

function int(v: string | undefined, name: string, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError('BAD_INPUT', `--${name} ${v}: expected an integer ≥ ${min}`, { where: `--${name}` });
  return n;
}

/** FILE[:label]; a ':' followed by path separators or a drive letter is part of the path. */
export function parseDataArg(arg: string): { path: string; label?: string } {
  const i = arg.lastIndexOf(':');
  if (i > 1 && !/[\\/]/.test(arg.slice(i + 1)) && arg.slice(i + 1).length > 0) return { path: arg.slice(0, i), label: arg.slice(i + 1) };
  return { path: arg };
}

function fmt(v: number | undefined, d = 3): string {
  return v === undefined || !Number.isFinite(v) ? 'nan' : v.toFixed(d);
}

const command: Command = {
  summary: 'train an EBM / EBM-CLF on jets (Langevin, CD + KL + L2), with checkpoints and live validation',
  usage,
  async run({ argv, stdout, stderr }) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        data: { type: 'string', multiple: true },
        kind: { type: 'string' },
        preset: { type: 'string' },
        config: { type: 'string' },
        epochs: { type: 'string' },
        'max-steps': { type: 'string' },
        seed: { type: 'string' },
        backend: { type: 'string' },
        threads: { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'boolean' },
        json: { type: 'boolean' },
        db: { type: 'string' },
      },
    });
    const preset = (values.preset ?? 'laptop') as TrainPreset;
    if (!TRAIN_PRESETS.includes(preset)) throw new UserError('BAD_INPUT', `--preset ${values.preset}: expected one of ${TRAIN_PRESETS.join(', ')}`, { where: '--preset' });
    const kind = (values.kind ?? 'ebm') as 'ebm' | 'ebm-clf';
    if (kind !== 'ebm' && kind !== 'ebm-clf') throw new UserError('BAD_INPUT', `--kind ${values.kind}: expected ebm or ebm-clf`, { where: '--kind' });
    if (values.backend && !BACKEND_CHOICES.includes(values.backend as never)) throw new UserError('BAD_INPUT', `--backend ${values.backend}: expected one of ${BACKEND_CHOICES.join(', ')}`, { where: '--backend' });

    let data = (values.data ?? []).map(parseDataArg);
    if (data.length === 0) {
      if (kind === 'ebm-clf') {
        const f = sampleFiles();
        data = [{ path: f.qcd, label: 'qcd' }, { path: f.w, label: 'w' }, { path: f.top, label: 'top' }];
      } else data = [{ path: sampleFiles().qcd }];
    }
    if (kind === 'ebm-clf') data = data.map((d) => ({ ...d, label: d.label ?? basename(d.path, extname(d.path)) }));

    let overrides: TrainConfigOverrides = {};
    if (values.config) {
      try {
        overrides = JSON.parse(readFileSync(values.config, 'utf8')) as TrainConfigOverrides;
      } catch (err) {
        throw new UserError('BAD_INPUT', `${values.config}: cannot read a JSON config (${(err as Error).message})`, { where: values.config, hint: 'Pass a JSON file with TrainConfig fields to override.' });
      }
    }
    const classes = kind === 'ebm-clf' ? new Set(data.map((d) => d.label)).size : 1;
    overrides = { ...overrides, kind, model: { ...(overrides.model ?? {}), ...(kind === 'ebm-clf' ? { outputs: classes } : {}) } };
    const epochs = int(values.epochs, 'epochs', 1);
    const maxSteps = int(values['max-steps'], 'max-steps', 1);
    const seed = int(values.seed, 'seed', 0);
    if (epochs !== undefined) overrides.epochs = epochs;
    if (maxSteps !== undefined) overrides.maxSteps = maxSteps;
    if (seed !== undefined) overrides.seed = seed;
    const config = resolveTrainConfig(preset, overrides, values.config ?? `--preset ${preset}`);
    const out = values.out ?? join('runs', `${kind}-${preset}-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}`);
    const threads = int(values.threads, 'threads', 1);

    // Ctrl-C, or SIGTERM from a batch system's time limit (SLURM, HTCondor): finish the step, checkpoint, register.
    let stop = false;
    const onStopSignal = (signal: NodeJS.Signals) => {
      if (stop) process.exit(signal === 'SIGINT' ? 130 : 143);
      stop = true;
      stderr.write(`\n${signal}: stopping after the current step (send it again to abort without a checkpoint)…\n`);
    };
    process.on('SIGINT', onStopSignal);
    process.on('SIGTERM', onStopSignal);
    const bar = progressBar('train', stderr);
    let spe = 1;
    let totalSteps = 1;
    const line = (s: string) => {
      if (!values.json) stderr.write(`${(stderr as NodeJS.WriteStream).isTTY ? '\r\x1b[K' : ''}${s}\n`);
    };
    const onEvent = (e: TrainEvent) => {
      if (values.json) stdout.write(JSON.stringify(e) + '\n');
      switch (e.type) {
        case 'start':
          spe = e.stepsPerEpoch;
          totalSteps = Math.min(e.config.epochs * spe, e.config.maxSteps ?? Infinity);
          line(`run ${e.runDir}: ${e.config.kind}, preset ${e.config.preset}, backend ${e.backend}${e.fallbackReason ? ` (${e.fallbackReason})` : ''}; ${e.nTrain} training / ${e.nValidation} validation jets, ${spe} steps per epoch${e.resumedFrom ? `, resumed from ${e.resumedFrom}` : ''}`);
          break;
        case 'step':
          bar.update(e.globalStep, totalSteps, `epoch ${e.epoch} step ${e.step + 1}/${e.stepsPerEpoch} loss ${fmt(e.loss)} E+ ${fmt(e.ePos)} E- ${fmt(e.eNeg)}${e.lossCE !== undefined ? ` CE ${fmt(e.lossCE)}` : ''} ${fmt(e.secondsPerStep, 2)} s/step ETA ${formatSeconds(e.etaSeconds)}`);
          break;
        case 'validation':
        case 'epoch': {
          const m = e.metrics;
          if (m.jsdMass !== undefined) {
            line(`${e.type === 'validation' ? 'untrained' : `epoch ${e.epoch}`}: JSD mass ${fmt(m.jsdMass)} pT ${fmt(m.jsdPt)} multiplicity ${fmt(m.jsdMultiplicity)} nats; mean mass ${fmt(m.meanMassGeV, 1)} GeV (data ${fmt(m.dataMeanMassGeV, 1)}), peak ${fmt(m.massPeakGeV, 1)} (data ${fmt(m.dataMassPeakGeV, 1)}), multiplicity ${fmt(m.meanMultiplicity, 1)} (data ${fmt(m.dataMeanMultiplicity, 1)})`);
          } else if (e.type === 'epoch') line(`epoch ${e.epoch}: checkpoint ${e.checkpoint}`);
          break;
        }
        case 'divergence':
          line(`divergence at epoch ${e.epoch} step ${e.step}: ${e.reason}; rolled back to ${e.rolledBackTo}, lr × ${e.lrScale}`);
          break;
        case 'log':
          if (e.level !== 'info') line(`${e.level}: ${e.message}`);
          break;
        case 'done':
        case 'stopped':
          bar.done(`${e.type} at global step ${e.globalStep}`);
          line(`${e.type}: ${e.runDir} (checkpoint ${e.checkpoint})`);
          break;
      }
    };
    try {
      await runTraining(
        {
          config,
          data,
          outDir: out,
          ...(values.resume ? { resume: true, ...(epochs !== undefined || maxSteps !== undefined ? { extend: { ...(epochs !== undefined ? { epochs } : {}), ...(maxSteps !== undefined ? { maxSteps } : {}) } } : {}) } : {}),
          ...(values.backend ? { backend: values.backend } : {}),
          ...(threads ? { threads } : {}),
        },
        { onEvent, shouldStop: () => stop },
      );
    } finally {
      process.off('SIGINT', onStopSignal);
      process.off('SIGTERM', onStopSignal);
      const { registerRunInStore } = await import('../../store/import-run.ts');
      const { defaultDbPath } = await import('../../store/paths.ts');
      if (existsSync(join(out, 'config.json'))) stderr.write(`${await registerRunInStore(values.db ?? defaultDbPath(), out)}\n`);
    }
    return 0;
  },
};

export default command;
