// The real seams of the engine: training presets/config and event meaning from train/, the worker task modules, the
// dataset importer and the embedded sample from data/. `createDefaultEngine` wires them into an Engine.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importDataset } from '../data/import.ts';
import { sampleFiles } from '../data/sample.ts';
import { presetConfig, resolveTrainConfig, TRAIN_PRESETS, type TrainConfigOverrides, type TrainPreset } from '../train/config.ts';
import { UserError } from '../util/errors.ts';
import { flatten } from './aggregate.ts';
import type { DataBridge, ImportedFile, TrainEventEffect, TrainingBridge } from './bridges.ts';
import { Engine, type EngineOptions } from './engine.ts';
import type { ParamInfo, PresetInfo, RunProgress } from './types.ts';

const task = (name: string) => fileURLToPath(new URL(`../jobs/tasks/${name}.ts`, import.meta.url));

/** Meaning (with unit) and form group of each editable hyper-parameter, by dotted key into TrainConfig. */
const PARAM_MEANINGS: Record<string, { meaning: string; group: string; choices?: string[] }> = {
  epochs: { meaning: 'Passes over the training jets.', group: 'training' },
  maxSteps: { meaning: 'Stop after this many optimiser steps in total (smoke tests).', group: 'training' },
  maxTrainJets: { meaning: 'Use at most this many training jets (after the split).', group: 'data' },
  batchSize: { meaning: 'Jets per optimiser step (positives; as many negatives).', group: 'training' },
  rotate: { meaning: 'Rotate each jet so its principal axis is vertical (paper preprocessing).', group: 'data' },
  'split.train': { meaning: 'Fraction of jets used for training.', group: 'data' },
  'split.validation': { meaning: 'Fraction of jets held out for validation (JSD per epoch).', group: 'data' },
  'split.test': { meaning: 'Fraction of jets held out for evaluation.', group: 'data' },
  'model.arch': { meaning: 'Energy network: masked transformer (paper) or DeepSets.', group: 'model', choices: ['transformer', 'deepsets'] },
  'model.particles': { meaning: 'Constituents per jet after padding/truncation (paper 40).', group: 'model' },
  'model.features': { meaning: 'Features per particle: ln pT, Δη, Δφ (fixed).', group: 'model' },
  'model.layers': { meaning: 'Transformer blocks L (paper 8).', group: 'model' },
  'model.dModel': { meaning: 'Model width d (paper 128); divisible by heads.', group: 'model' },
  'model.heads': { meaning: 'Attention heads (paper 16).', group: 'model' },
  'model.ffDim': { meaning: 'Feed-forward width (paper 1024).', group: 'model' },
  'model.dropout': { meaning: 'Dropout rate on residual branches during training (paper 0.1).', group: 'model' },
  'model.layerNorm': { meaning: 'Pre-norm LayerNorm in each block (paper: none).', group: 'model' },
  'model.phiHidden': { meaning: 'DeepSets per-particle MLP widths.', group: 'model' },
  'model.headHidden': { meaning: 'Widths of the Swish MLP after masked sum pooling.', group: 'model' },
  'model.outputs': { meaning: 'Output units: 1 for an EBM, number of classes for EBM-CLF.', group: 'model' },
  'langevin.steps': { meaning: 'K: Langevin steps per training iteration (paper 24).', group: 'langevin' },
  'langevin.stepSize': { meaning: 'λ in x ← x − λ∇E(x) + σε (paper 0.1).', group: 'langevin' },
  'langevin.noise': { meaning: 'σ, the Langevin noise scale (paper 0.005).', group: 'langevin' },
  'langevin.gradClip': { meaning: 'Clip each component of ∇ₓE to ± this (empty = off).', group: 'langevin' },
  'langevin.clampToDataRange': { meaning: 'Clamp chain states to the standardised data range.', group: 'langevin' },
  'langevin.clampMargin': { meaning: 'Widening of that range, as a fraction of its width.', group: 'langevin' },
  'buffer.size': { meaning: 'Replay buffer of negatives (paper 10,000).', group: 'langevin' },
  'buffer.reinitFraction': { meaning: 'Fraction of negatives restarted from noise each step (paper 0.05).', group: 'langevin' },
  'loss.alpha': { meaning: 'α of the L2 energy regulariser α·(E(x⁺)² + E(x⁻)²) (paper 0.1).', group: 'loss' },
  'loss.klSteps': { meaning: 'Langevin steps L_KL is differentiated through (0 = off, K = whole chain).', group: 'loss' },
  'loss.klWeight': { meaning: 'Weight of the L_KL term.', group: 'loss' },
  'loss.ceWeight': { meaning: 'EBM-CLF: weight of the cross-entropy term.', group: 'loss' },
  'loss.ebmWeight': { meaning: 'EBM-CLF: weight of the EBM loss on E(x) = −logsumexp g(x).', group: 'loss' },
  'optimizer.lr': { meaning: 'Adam learning rate (paper 1e-4).', group: 'optimiser' },
  'optimizer.lrDecay': { meaning: 'Learning rate × this per epoch (paper 0.98).', group: 'optimiser' },
  'optimizer.beta1': { meaning: 'Adam β1 (paper 0).', group: 'optimiser' },
  'optimizer.beta2': { meaning: 'Adam β2 (paper 0.999).', group: 'optimiser' },
  'optimizer.eps': { meaning: 'Adam ε.', group: 'optimiser' },
  'optimizer.gradClipNorm': { meaning: 'Clip the parameter gradient to this global L2 norm (empty = off).', group: 'optimiser' },
  'validation.jets': { meaning: 'Jets generated and compared per validation.', group: 'validation' },
  'validation.steps': { meaning: 'Langevin steps from noise at validation (paper 128).', group: 'validation' },
  'validation.stepSize': { meaning: 'Langevin step size at validation (paper 0.05).', group: 'validation' },
  'validation.noise': { meaning: 'Langevin noise at validation.', group: 'validation' },
  'validation.every': { meaning: 'Validate every this many epochs.', group: 'validation' },
  'validation.atStart': { meaning: 'Validate the untrained model once at the start.', group: 'validation' },
  'validation.bins': { meaning: 'Histogram bins of the validation JSDs.', group: 'validation' },
  'divergence.maxAbsEnergy': { meaning: '|E| above this counts as divergence (rollback).', group: 'training' },
  'divergence.lrFactor': { meaning: 'Learning-rate factor on each rollback.', group: 'training' },
  'divergence.maxRollbacks': { meaning: 'Give up after this many rollbacks.', group: 'training' },
  'checkpoint.keep': { meaning: 'Checkpoints kept on disk.', group: 'training' },
  seed: { meaning: 'Seed of everything random in the run.', group: 'training' },
};

const DESCRIPTIONS: Record<string, string> = {
  tiny: 'Tests and smoke runs: a 2-block d=16 transformer, seconds per epoch.',
  laptop: 'A 3-block d=64 transformer: an epoch of 10k jets in minutes on a laptop CPU.',
  paper: 'The paper (Table 3): 8 blocks, d=128, 16 heads, K=24 Langevin steps, 50 epochs. Needs a GPU.',
};

function paramType(v: unknown): ParamInfo['type'] {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'number[]';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return 'number';
}

function presetInfo(name: TrainPreset): PresetInfo {
  const config = presetConfig(name) as unknown as Record<string, unknown>;
  const flat = flatten(config);
  const params: ParamInfo[] = [];
  for (const [key, meta] of Object.entries(PARAM_MEANINGS)) {
    const def = key in flat ? flat[key] : undefined;
    if (def === undefined && key !== 'maxSteps' && key !== 'maxTrainJets') continue;
    const p: ParamInfo = {
      key,
      default: (def ?? null) as ParamInfo['default'],
      meaning: meta.meaning,
      type: meta.choices ? 'choice' : paramType(def ?? 0),
      group: meta.group,
    };
    if (meta.choices) p.choices = meta.choices;
    params.push(p);
  }
  return { name, description: DESCRIPTIONS[name] ?? name, params, config };
}

/** Dotted overrides ({ 'model.layers': 2 }) → nested ({ model: { layers: 2 } }); nested objects pass through. */
export function unflatten(overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(overrides)) {
    const parts = key.split('.');
    let o = out;
    for (const p of parts.slice(0, -1)) {
      if (!o[p] || typeof o[p] !== 'object') o[p] = {};
      o = o[p] as Record<string, unknown>;
    }
    o[parts[parts.length - 1]!] = value;
  }
  return out;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Maps one line/event of the trainer (docs/RUN_DIRECTORY.md metrics.jsonl, plus start/done/stopped) to store effects. */
export function interpretTrainEvent(raw: unknown): TrainEventEffect {
  const ev = (raw ?? {}) as Record<string, unknown>;
  const fx: TrainEventEffect = {};
  switch (ev.type) {
    case 'start':
      if (typeof ev.backend === 'string') fx.backend = ev.backend;
      break;
    case 'step': {
      const values: Record<string, number> = {};
      const losses: Record<string, number> = {};
      for (const k of ['loss', 'lossCD', 'lossKL', 'lossL2', 'lossCE', 'ePos', 'eNeg', 'lr', 'gradNorm', 'secondsPerStep']) {
        const v = num(ev[k]);
        if (v === undefined) continue;
        values[k] = v;
        if (k.startsWith('loss')) losses[k] = v;
      }
      const epoch = num(ev.epoch) ?? 0;
      const step = num(ev.step) ?? 0;
      const progress: RunProgress = { epoch, epochs: num(ev.epochs) ?? 0, step, stepsPerEpoch: num(ev.stepsPerEpoch) ?? 0 };
      const eta = num(ev.etaSeconds);
      if (eta !== undefined) progress.etaSeconds = eta;
      fx.step = { x: num(ev.globalStep) ?? step, values, progress, losses, ePos: num(ev.ePos) ?? NaN, eNeg: num(ev.eNeg) ?? NaN, lr: num(ev.lr) ?? NaN };
      break;
    }
    case 'validation':
    case 'epoch': {
      const metrics = (ev.metrics ?? {}) as Record<string, unknown>;
      const values: Record<string, number> = {};
      for (const [k, v] of Object.entries(metrics)) if (num(v) !== undefined) values[k] = v as number;
      fx.epoch = { epoch: num(ev.epoch) ?? 0, epochs: num(ev.epochs) ?? 0, values };
      const mh = ev.massHistogram as { edges?: number[]; data?: number[]; generated?: number[] } | undefined;
      if (mh?.edges && mh.data && mh.generated) fx.epoch.massHistogram = { edges: Array.from(mh.edges), data: Array.from(mh.data), generated: Array.from(mh.generated) };
      const ck = ev.type === 'epoch' ? ev.checkpoint : undefined;
      if (typeof ck === 'string' && ck) fx.checkpoint = { epoch: fx.epoch.epoch, step: num(ev.globalStep) ?? 0, path: ck };
      break;
    }
    case 'divergence':
      fx.log = { level: 'warn', message: `divergence at epoch ${ev.epoch}, step ${ev.step}: ${String(ev.reason ?? '')}; rolled back to ${String(ev.rolledBackTo ?? '?')}` };
      break;
    case 'log':
      fx.log = { level: ev.level === 'warn' ? 'warn' : 'info', message: String(ev.message ?? '') };
      break;
    case 'done':
      fx.status = 'done';
      break;
    case 'stopped':
      fx.status = 'stopped';
      break;
  }
  return fx;
}

export const trainingBridge: TrainingBridge = {
  listPresets: () => TRAIN_PRESETS.map(presetInfo),
  buildConfig: ({ kind, preset, overrides, seed }) => {
    if (!(TRAIN_PRESETS as string[]).includes(preset)) {
      throw new UserError('BAD_INPUT', `unknown preset '${preset}'`, { hint: `Choose one of ${TRAIN_PRESETS.join(', ')}.`, where: 'preset' });
    }
    const nested = unflatten(overrides) as TrainConfigOverrides;
    const config = resolveTrainConfig(preset as TrainPreset, { ...nested, kind, seed }, `run config (preset ${preset})`);
    const c = config as unknown as Record<string, unknown>;
    return { config: c, epochs: config.epochs, keyParams: trainingBridge.keyParams(c) };
  },
  keyParams: (config) => {
    const f = flatten(config);
    const out: Record<string, number | string | boolean> = {};
    for (const k of ['model.arch', 'model.layers', 'model.dModel', 'epochs', 'batchSize', 'optimizer.lr', 'langevin.steps', 'loss.klSteps']) {
      const v = f[k];
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    }
    return out;
  },
  interpretEvent: interpretTrainEvent,
  modules: { train: task('train'), generate: task('generate'), evaluate: task('evaluate') },
  particles: (config) => ((config.model as { particles?: number } | undefined)?.particles ?? 40),
};

/** data/import.ts's content-addressed import into the store's datasets directory. */
async function importFile(path: string, opts: Parameters<DataBridge['importFile']>[1]): Promise<ImportedFile> {
  const d = await importDataset(path, {
    datasetsDir: opts.dataDir,
    ...(opts.label ? { label: opts.label } : {}),
    ...(opts.maxJets ? { maxJets: opts.maxJets } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  return { filePath: d.filePath, format: d.format, labels: d.labels, labelCounts: d.labelCounts, nJets: d.nJets, contentHash: d.contentHash, notes: d.notes, createdFiles: d.createdFiles };
}

export const dataBridge: DataBridge = {
  importFile,
  sampleFiles: () => {
    const f = sampleFiles();
    return (['qcd', 'w', 'top', 'hh4b'] as const).map((label) => ({ name: `sample-${label}`, label, path: f[label] }));
  },
};

export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** An Engine with the real training, data and sample seams. */
export function createDefaultEngine(opts: Partial<Omit<EngineOptions, 'training' | 'data'>> = {}): Engine {
  return new Engine({ appVersion: appVersion(), ...opts, training: trainingBridge, data: dataBridge });
}
