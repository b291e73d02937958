// THE training entry point (job worker and CLI): reads data, splits, preprocesses and standardises, trains by
// Algorithm 1 with checkpoints, divergence rollback and per-epoch validation, and writes a run directory
// (docs/RUN_DIRECTORY.md). Progress streams through hooks.onEvent; hooks.shouldStop() stops after the current step.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readJets } from '../data/read.ts';
import { concatJets, splitIndices, subsetJets } from '../data/split.ts';
import type { JetSet } from '../data/jetset.ts';
import { createEnergyNet, type BackendChoice } from '../model/backend.ts';
import { saveModel, type ModelMeta } from '../model/io.ts';
import { initParams } from '../model/spec.ts';
import { fitStandardizer, multiplicityHistogram, preprocess, standardize } from '../physics/preprocess.ts';
import { UserError } from '../util/errors.ts';
import { cloneState, latestCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { validateTrainConfig, type TrainConfig } from './config.ts';
import type { EnergyModel } from './energy.ts';
import { indexByClass, initState, nextEpoch, positiveBatch, stepsPerEpoch, trainStep, type LossTerms, type TrainContext, type TrainState } from './trainer.ts';
import { dataObservables, validateModel, type ValidationMetrics } from './validate.ts';

export const RUN_FORMAT = 'ebm-hep-run';
export const RUN_FORMAT_VERSION = 1;

export interface TrainRequest {
  config: TrainConfig;
  /** Input files; `label` names the class of every jet in the file (EBM-CLF needs one per class). */
  data: { path: string; label?: string }[];
  outDir: string;
  /** Continue from outDir/checkpoints/latest.json (config.json of the run is used, `config` is ignored). */
  resume?: boolean;
  /** On resume: train to a new number of epochs / total steps (e.g. extend a finished run). */
  extend?: { epochs?: number; maxSteps?: number };
  backend?: BackendChoice | string;
  threads?: number;
}

export type TrainEvent =
  | { type: 'start'; backend: string; fallbackReason?: string; config: TrainConfig; nTrain: number; nValidation: number; stepsPerEpoch: number; resumedFrom?: string; runDir: string }
  | ({
      type: 'step';
      epoch: number;
      step: number;
      globalStep: number;
      stepsPerEpoch: number;
      lr: number;
      gradNorm: number;
      secondsPerStep: number;
      etaSeconds: number;
    } & LossTerms)
  | { type: 'epoch'; epoch: number; globalStep: number; metrics: Partial<ValidationMetrics> & { seconds?: number }; checkpoint: string; massHistogram?: { edges: number[]; data: number[]; generated: number[] } }
  | { type: 'validation'; epoch: number; metrics: ValidationMetrics; massHistogram: { edges: number[]; data: number[]; generated: number[] } }
  | { type: 'divergence'; epoch: number; step: number; globalStep: number; reason: string; rolledBackTo: string; lrScale: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'done' | 'stopped'; epoch: number; globalStep: number; runDir: string; checkpoint: string | null };

export interface TrainHooks {
  onEvent(ev: TrainEvent): void;
  shouldStop(): boolean;
}

export interface TrainSummary {
  status: 'done' | 'stopped';
  runDir: string;
  backend: string;
  fallbackReason?: string;
  epochsCompleted: number;
  globalStep: number;
  lastCheckpoint: string | null;
  /** Validation of the untrained model (fresh runs with validation.atStart) and of the last epoch. */
  initialMetrics?: ValidationMetrics;
  finalMetrics?: ValidationMetrics;
  modelDir: string;
}

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function writeJsonAtomic(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(value, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

/** Reads and concatenates the inputs; labels come from each file's `label` (or what the file stores). */
async function readInputs(data: TrainRequest['data'], onLog: (m: string) => void): Promise<{ all: JetSet; perInput: number[] }> {
  if (data.length === 0) throw new UserError('BAD_INPUT', 'no training data given', { hint: 'Pass at least one --data <file[:label]>.' });
  const sets: JetSet[] = [];
  for (const d of data) {
    const jets = await readJets(d.path, d.label ? { label: d.label } : {});
    onLog(`read ${jets.nJets} jets from ${d.path}${d.label ? ` as '${d.label}'` : ''}`);
    sets.push(jets);
  }
  return { all: sets.length === 1 ? sets[0]! : concatJets(sets), perInput: sets.map((j) => j.nJets) };
}

interface Prepared {
  ctx: Omit<TrainContext, 'model'>;
  meta: Omit<ModelMeta, 'config'>;
  valObs: ReturnType<typeof dataObservables>;
  nTrain: number;
  nValidation: number;
  nTest: number;
  nJets: number;
  /** Jets read from each input, in order (run.json data[].nJets: evaluations rebuild the split from them). */
  perInput: number[];
  classNames?: string[];
}

async function prepare(config: TrainConfig, data: TrainRequest['data'], onLog: (m: string) => void): Promise<Prepared> {
  const { all, perInput } = await readInputs(data, onLog);
  const split = splitIndices(all.nJets, config.seed, config.split);
  let trainIdx = split.train;
  if (config.maxTrainJets && trainIdx.length > config.maxTrainJets) trainIdx = trainIdx.subarray(0, config.maxTrainJets);
  if (trainIdx.length < config.batchSize) {
    throw new UserError('BAD_INPUT', `only ${trainIdx.length} training jets after the split, fewer than one batch of ${config.batchSize}`, { hint: 'Use more data or a smaller batchSize.' });
  }
  if (split.validation.length === 0) throw new UserError('BAD_INPUT', 'the validation split is empty', { hint: 'Use more data or a larger split.validation fraction.' });
  const N = config.model.particles;
  const train = preprocess(subsetJets(all, trainIdx), { particles: N, rotate: config.rotate });
  const val = preprocess(subsetJets(all, split.validation), { particles: N, rotate: config.rotate });
  const standardizer = fitStandardizer(train);
  const x = standardize(train.x, train.mask, standardizer);
  const hist = multiplicityHistogram(train.mask, train.size, N);
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let s = 0; s < train.mask.length; s++) {
    if (!train.mask[s]) continue;
    for (let f = 0; f < 3; f++) {
      const v = x[s * 3 + f]!;
      if (v < min[f]!) min[f] = v;
      if (v > max[f]!) max[f] = v;
    }
  }
  const m = config.langevin.clampMargin;
  const clamp = config.langevin.clampToDataRange ? { min: min.map((v, f) => v - m * (max[f]! - v)), max: max.map((v, f) => v + m * (v - min[f]!)) } : null;
  let labels: Int32Array | undefined;
  let classNames: string[] | undefined;
  let classIndex: Uint32Array[] | undefined;
  if (config.kind === 'ebm-clf') {
    if (!train.label || !train.labelNames || train.labelNames.length < 2) {
      throw new UserError('BAD_INPUT', 'EBM-CLF training needs labelled jets of at least two classes', { hint: 'Pass one file per class with a label, e.g. --data qcd.h5:qcd --data top.h5:top.' });
    }
    classNames = train.labelNames;
    if (classNames.length !== config.model.outputs) {
      throw new UserError('BAD_INPUT', `the data has ${classNames.length} classes (${classNames.join(', ')}) but model.outputs is ${config.model.outputs}`, { hint: 'Set model.outputs to the number of classes (the CLI does this for you).' });
    }
    labels = train.label;
    classIndex = indexByClass(labels, classNames.length);
  }
  onLog(`split (seed ${config.seed}): ${trainIdx.length} train, ${split.validation.length} validation, ${split.test.length} test jets`);
  return {
    ctx: { config, data: { x, mask: train.mask, size: train.size, ...(labels ? { labels } : {}) }, hist, clamp, ...(classIndex ? { classIndex } : {}) },
    meta: {
      kind: config.kind,
      ...(classNames ? { classNames } : {}),
      standardizer,
      preprocessing: { particles: N, rotate: config.rotate },
      multiplicityHistogram: Array.from(hist),
      featureRange: { min, max },
    },
    valObs: dataObservables(val.x, val.mask, val.size, N),
    nTrain: trainIdx.length,
    nValidation: split.validation.length,
    nTest: split.test.length,
    nJets: all.nJets,
    perInput,
    ...(classNames ? { classNames } : {}),
  };
}

/** Trains a model; see docs/RUN_DIRECTORY.md for what lands in req.outDir. Any error marks the run 'failed'. */
export async function runTraining(req: TrainRequest, hooks: TrainHooks): Promise<TrainSummary> {
  try {
    return await trainRun(req, hooks);
  } catch (err) {
    const runJsonPath = join(resolve(req.outDir), 'run.json');
    try {
      const run = JSON.parse(readFileSync(runJsonPath, 'utf8')) as Record<string, unknown>;
      if (run.status === 'running') {
        const now = new Date().toISOString();
        writeJsonAtomic(runJsonPath, { ...run, status: 'failed', error: { message: (err as Error).message, ...(err instanceof UserError ? { code: err.code } : {}) }, updatedAt: now, finishedAt: now });
      }
    } catch {
      // no run record yet (e.g. bad config): nothing to mark
    }
    throw err;
  }
}

async function trainRun(req: TrainRequest, hooks: TrainHooks): Promise<TrainSummary> {
  const runDir = resolve(req.outDir);
  const ckDir = join(runDir, 'checkpoints');
  const modelDir = join(runDir, 'model');
  const runJsonPath = join(runDir, 'run.json');
  const metricsPath = join(runDir, 'metrics.jsonl');
  const now = () => new Date().toISOString();
  const log = (message: string, level: 'info' | 'warn' | 'error' = 'info') => {
    hooks.onEvent({ type: 'log', level, message });
    if (existsSync(runDir)) appendFileSync(metricsPath, JSON.stringify({ type: 'log', level, message, time: now() }) + '\n');
  };

  let config: TrainConfig;
  let run: Record<string, unknown>;
  const resuming = Boolean(req.resume) && latestCheckpoint(ckDir) !== null;
  if (req.resume && !resuming && existsSync(join(runDir, 'config.json'))) {
    log(`no checkpoint in ${ckDir} yet: starting the run from the beginning`, 'warn');
  }
  if (resuming) {
    const stored = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    if (req.extend?.epochs !== undefined) stored.epochs = req.extend.epochs;
    if (req.extend?.maxSteps !== undefined) stored.maxSteps = req.extend.maxSteps;
    config = validateTrainConfig(stored, join(runDir, 'config.json'));
    if (req.extend) writeJsonAtomic(join(runDir, 'config.json'), config);
    run = JSON.parse(readFileSync(runJsonPath, 'utf8')) as Record<string, unknown>;
  } else {
    config = validateTrainConfig(req.config);
    if (existsSync(join(runDir, 'run.json')) && !req.resume) {
      throw new UserError('CONFLICT', `${runDir} already holds a run`, { where: runDir, hint: 'Pass --resume to continue it, or choose another --out directory.' });
    }
    mkdirSync(ckDir, { recursive: true });
    writeJsonAtomic(join(runDir, 'config.json'), config);
    writeFileSync(metricsPath, '');
    run = {
      format: RUN_FORMAT,
      formatVersion: RUN_FORMAT_VERSION,
      name: basename(runDir),
      status: 'running',
      kind: config.kind,
      seed: config.seed,
      appVersion: appVersion(),
      node: process.version,
      createdAt: now(),
      data: req.data.map((d) => ({ path: resolve(d.path), ...(d.label ? { label: d.label } : {}) })),
      epochs: config.epochs,
      epochsCompleted: 0,
      globalStep: 0,
      lastCheckpoint: null,
      rollbacks: 0,
      resumedAt: [],
    };
  }
  const saveRun = (patch: Record<string, unknown>) => {
    run = { ...run, ...patch, updatedAt: now() };
    writeJsonAtomic(runJsonPath, run);
  };

  const data = resuming ? (run.data as TrainRequest['data']) : req.data;
  let prep: Prepared;
  try {
    prep = await prepare(config, data, (m) => log(m));
  } catch (err) {
    saveRun({ status: 'failed', error: { message: (err as Error).message, ...(err instanceof UserError ? { code: err.code } : {}) }, finishedAt: now() });
    throw err;
  }
  const created = await createEnergyNet(config.model, initParams(config.model, config.seed), { ...(req.backend ? { backend: req.backend } : {}), ...(req.threads ? { threads: req.threads } : {}) });
  const model: EnergyModel = { net: created.net, kind: config.kind };
  const ctx: TrainContext = { ...prep.ctx, model };
  const spe = stepsPerEpoch(config, prep.nTrain);
  const K = config.langevin.steps;
  const klSteps = Math.min(config.loss.klSteps, K);
  const chainBytes = (K + 1) * config.batchSize * config.model.particles * 3 * 4;

  let st: TrainState;
  let resumedFrom: string | undefined;
  if (resuming) {
    resumedFrom = latestCheckpoint(ckDir)!;
    st = loadCheckpoint(join(ckDir, resumedFrom), prep.ctx.hist, config.model.features);
    model.net.setParams(st.params);
    log(`resumed from checkpoints/${resumedFrom} (epoch ${st.epoch}, step ${st.stepInEpoch}, global step ${st.globalStep})`);
  } else {
    st = initState(ctx, model.net.getParams(), config.seed);
  }
  saveRun({
    status: 'running',
    backend: created.backend,
    ...(created.fallbackReason ? { fallbackReason: created.fallbackReason } : {}),
    data: data.map((d, i) => ({ path: resolve(d.path), ...(d.label ? { label: d.label } : {}), nJets: prep.perInput[i]! })),
    split: { seed: config.seed, fractions: config.split, nTrain: prep.nTrain, nValidation: prep.nValidation, nTest: prep.nTest, nJets: prep.nJets },
    ...(prep.classNames ? { classNames: prep.classNames } : {}),
    stepsPerEpoch: spe,
    klChain: {
      klSteps,
      method: 'adjoint through the Langevin chain; Hessian-vector and mixed products by central differences of first-order gradients',
      memoryBytes: chainBytes,
      note: `the whole chain's states (K·B·N·3 floats = ${(chainBytes / 1e6).toFixed(1)} MB) are always held, so klSteps is never reduced for memory`,
    },
    ...(resuming ? { resumedAt: [...((run.resumedAt as string[]) ?? []), now()] } : {}),
  });
  hooks.onEvent({ type: 'start', backend: created.backend, ...(created.fallbackReason ? { fallbackReason: created.fallbackReason } : {}), config, nTrain: prep.nTrain, nValidation: prep.nValidation, stepsPerEpoch: spe, ...(resumedFrom ? { resumedFrom } : {}), runDir });
  if (created.fallbackReason) log(`backend ${created.backend} (${created.fallbackReason})`);

  const appendMetric = (o: Record<string, unknown>) => appendFileSync(metricsPath, JSON.stringify({ ...o, time: now() }) + '\n');
  const saveModelDir = () =>
    saveModel(modelDir, { ...prep.meta, config: config.model }, st.params);
  const validationSeed = (epoch: number) => (config.seed * 7919 + epoch * 104729) >>> 0;
  const runValidation = (epoch: number) =>
    validateModel(model, prep.meta.standardizer, prep.ctx.hist, prep.valObs, config.validation, validationSeed(epoch), prep.ctx.clamp);

  let initialMetrics: ValidationMetrics | undefined;
  let finalMetrics: ValidationMetrics | undefined;
  if (!resuming && config.validation.atStart) {
    const v = runValidation(0);
    initialMetrics = v.metrics;
    appendMetric({ type: 'epoch', epoch: 0, globalStep: 0, metrics: v.metrics, checkpoint: null, massHistogram: v.massHistogram });
    hooks.onEvent({ type: 'validation', epoch: 0, metrics: v.metrics, massHistogram: v.massHistogram });
  }

  let lastCheckpoint: string | null = resumedFrom ? `checkpoints/${resumedFrom}` : null;
  let good = cloneState(st);
  let goodName = resumedFrom ?? 'start';
  const checkpoint = (): string => {
    const name = saveCheckpoint(ckDir, st, config.checkpoint.keep);
    saveModelDir();
    good = cloneState(st);
    goodName = name;
    lastCheckpoint = `checkpoints/${name}`;
    return lastCheckpoint;
  };
  if (!resuming) checkpoint(); // the start state, so a divergence in epoch 1 has somewhere to go back to

  const maxSteps = config.maxSteps ?? Infinity;
  const totalSteps = Math.min(config.epochs * spe, maxSteps);
  let stepSeconds = 0;
  let stepsTimed = 0;
  let status: 'done' | 'stopped' = 'done';
  let best = (run.best as { epoch: number; jsdMass: number } | undefined) ?? undefined;

  try {
    outer: while (st.epoch <= config.epochs && st.globalStep < maxSteps) {
      while (st.stepInEpoch < spe && st.globalStep < maxSteps) {
        const t0 = performance.now();
        const pos = positiveBatch(ctx, st);
        const r = trainStep(ctx, st, pos);
        if (r.divergence) {
          if (st.rollbacks >= config.divergence.maxRollbacks) {
            throw new UserError('INTERNAL', `training diverged (${r.divergence}) ${st.rollbacks + 1} times; gave up after ${config.divergence.maxRollbacks} rollbacks`, {
              where: runDir,
              hint: 'Lower optimizer.lr, raise loss.alpha, or enable langevin.gradClip / clampToDataRange.',
            });
          }
          const ev = { epoch: st.epoch, step: st.stepInEpoch, globalStep: st.globalStep, reason: r.divergence, rolledBackTo: goodName, lrScale: st.lrScale * config.divergence.lrFactor };
          const rollbacks = st.rollbacks + 1;
          st = cloneState(good);
          st.lrScale = ev.lrScale;
          st.rollbacks = rollbacks;
          model.net.setParams(st.params);
          appendMetric({ type: 'divergence', ...ev });
          hooks.onEvent({ type: 'divergence', ...ev });
          log(`divergence at epoch ${ev.epoch} step ${ev.step}: ${ev.reason}; rolled back to ${goodName} with learning-rate factor ${ev.lrScale}`, 'warn');
          saveRun({ rollbacks });
          continue;
        }
        const dt = (performance.now() - t0) / 1000;
        stepSeconds += dt;
        stepsTimed++;
        const sps = stepSeconds / stepsTimed;
        const stepEv = {
          epoch: st.epoch,
          step: st.stepInEpoch - 1,
          globalStep: st.globalStep,
          stepsPerEpoch: spe,
          loss: r.loss,
          lossCD: r.lossCD,
          lossKL: r.lossKL,
          lossL2: r.lossL2,
          ...(r.lossCE !== undefined ? { lossCE: r.lossCE, accuracy: r.accuracy } : {}),
          ePos: r.ePos,
          eNeg: r.eNeg,
          lr: r.lr,
          gradNorm: r.gradNorm,
          secondsPerStep: dt,
          etaSeconds: sps * Math.max(0, totalSteps - st.globalStep),
        };
        appendMetric({ type: 'step', ...stepEv });
        hooks.onEvent({ type: 'step', ...stepEv });
        // A step is synchronous compute: yield once so signal handlers (the CLI's Ctrl-C / SIGTERM) and IPC get to run.
        await new Promise<void>((r) => setImmediate(r));
        if (hooks.shouldStop()) {
          const ck = checkpoint();
          status = 'stopped';
          log(`stopped by request at epoch ${st.epoch} step ${st.stepInEpoch}; checkpoint ${ck}`);
          break outer;
        }
      }
      // End of the epoch (or of maxSteps): validate, move to the next epoch, checkpoint.
      const finishedEpoch = st.stepInEpoch >= spe;
      const epochDone = st.epoch;
      const lastEpoch = epochDone >= config.epochs || st.globalStep >= maxSteps;
      let metrics: Partial<ValidationMetrics> = {};
      let massHistogram: { edges: number[]; data: number[]; generated: number[] } | undefined;
      if ((finishedEpoch && epochDone % config.validation.every === 0) || lastEpoch) {
        const v = runValidation(epochDone);
        metrics = v.metrics;
        massHistogram = v.massHistogram;
        finalMetrics = v.metrics;
        if (!best || v.metrics.jsdMass < best.jsdMass) best = { epoch: epochDone, jsdMass: v.metrics.jsdMass };
      }
      if (finishedEpoch) nextEpoch(ctx, st);
      const ck = checkpoint();
      appendMetric({ type: 'epoch', epoch: epochDone, globalStep: st.globalStep, metrics, checkpoint: ck, ...(massHistogram ? { massHistogram } : {}) });
      hooks.onEvent({ type: 'epoch', epoch: epochDone, globalStep: st.globalStep, metrics, checkpoint: ck, ...(massHistogram ? { massHistogram } : {}) });
      saveRun({ epochsCompleted: st.epoch - 1, globalStep: st.globalStep, lastCheckpoint: ck, ...(best ? { best } : {}) });
      if (lastEpoch) break;
    }
  } catch (err) {
    saveRun({ status: 'failed', error: { message: (err as Error).message, ...(err instanceof UserError ? { code: err.code } : {}) }, finishedAt: now(), globalStep: st.globalStep });
    model.net.dispose();
    throw err;
  }
  const epochsCompleted = st.epoch - 1;
  saveRun({ status, globalStep: st.globalStep, lastCheckpoint, finishedAt: now(), epochsCompleted });
  hooks.onEvent({ type: status, epoch: st.epoch, globalStep: st.globalStep, runDir, checkpoint: lastCheckpoint });
  model.net.dispose();
  return {
    status,
    runDir,
    backend: created.backend,
    ...(created.fallbackReason ? { fallbackReason: created.fallbackReason } : {}),
    epochsCompleted,
    globalStep: st.globalStep,
    lastCheckpoint,
    ...(initialMetrics ? { initialMetrics } : {}),
    ...(finalMetrics ? { finalMetrics } : {}),
    modelDir,
  };
}
