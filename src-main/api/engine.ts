// The in-process EngineApi: validates every request (schema.ts), runs it over the store, the job supervisor, the data
// readers and the eval metrics, and maps every failure to an ApiError. Both transports (Electron IPC, web) wrap this.
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { readJets } from '../data/read.ts';
import { subsetJets } from '../data/split.ts';
import type { JetSet } from '../data/jetset.ts';
import { auc as aucOf, rejectionAt, rocCurve, thinRoc } from '../eval/roc.ts';
import { energyDistributions } from '../eval/energy.ts';
import { sculpting as sculptingOf, ACCEPTANCE_RATES } from '../eval/sculpting.ts';
import { pearson, spearman } from '../eval/correlation.ts';
import { compareGeneration, generationSample, OBSERVABLES, type FeatureJets } from '../eval/generation.ts';
import { histogram, commonRange } from '../eval/histogram.ts';
import { jetObservables } from '../physics/observables.ts';
import { preprocess } from '../physics/preprocess.ts';
import { JobSupervisor, type SupervisorOptions } from '../jobs/supervisor.ts';
import { Store, newId, nowIso, type DatasetRecord, type EvaluationRecord, type RunRecord } from '../store/store.ts';
import { defaultDbPath } from '../store/paths.ts';
import { UserError } from '../util/errors.ts';
import { averageJetImage, configDiff, seriesToCsv, sharedHistograms, thinSeries } from './aggregate.ts';
import type { DataBridge, TrainingBridge } from './bridges.ts';
import { CutIndex } from './cut-index.ts';
import { saveEvaluation, type EvaluatedClass, type EvaluateTaskResult } from './evaluation-record.ts';
import { EngineError, toApiError } from './errors.ts';
import { parseRequest } from './schema.ts';
import type * as T from './types.ts';

export type { EvaluateTaskResult } from './evaluation-record.ts';

export interface EngineOptions {
  /** SQLite run store (default `$EBM_HEP_HOME/ebm-hep.sqlite` or `~/.ebm-hep/ebm-hep.sqlite`). */
  dbPath?: string;
  appVersion?: string;
  /** Name reported in getEngineInfo().transport. */
  transport?: string;
  supervisor?: SupervisorOptions;
  training: TrainingBridge;
  data: DataBridge;
}

type Impl = { [K in T.EngineMethod]: (req: never) => Promise<unknown> };

/** Per-evaluation cached arrays and index. */
interface EvalCache {
  record: EvaluationRecord;
  classes: { name: string; role: 'background' | 'signal' | 'noise'; scores: Map<string, Float32Array>; massGeV?: Float32Array }[];
  index: Map<string, CutIndex>;
}

function apiRun(r: RunRecord, keyParams: Record<string, number | string | boolean>, headline: Record<string, number>): T.RunSummary {
  const s: T.RunSummary = {
    id: r.id, name: r.name, kind: r.kind, preset: r.preset, status: r.status, seed: r.seed, appVersion: r.appVersion, createdAt: r.createdAt,
    tags: r.tags, notes: r.notes, runDir: r.runDir, keyParams, headline, data: r.data,
  };
  if (r.statusReason) s.statusReason = r.statusReason;
  if (r.backend) s.backend = r.backend;
  if (r.startedAt) s.startedAt = r.startedAt;
  if (r.finishedAt) s.finishedAt = r.finishedAt;
  if (r.progress) s.progress = r.progress;
  return s;
}

function apiDataset(d: DatasetRecord): T.DatasetInfo {
  return {
    id: d.id, name: d.name, sourcePath: d.sourcePath, format: d.format, labels: d.labels, labelCounts: d.labelCounts, nJets: d.nJets,
    contentHash: d.contentHash, settings: d.settings, isSample: d.isSample, importedAt: d.importedAt, notes: d.notes,
  };
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export class Engine implements T.EngineApi {
  readonly store: Store;
  readonly jobs: JobSupervisor;
  private readonly events = new EventEmitter();
  private readonly training: TrainingBridge;
  private readonly data: DataBridge;
  private readonly appVersion: string;
  private readonly transport: string;
  private readonly evalCache = new Map<string, EvalCache>();
  private readonly jetCache = new Map<string, JetSet>();
  private readonly impl: Impl;

  constructor(opts: EngineOptions) {
    this.store = new Store(opts.dbPath ?? defaultDbPath());
    this.training = opts.training;
    this.data = opts.data;
    this.appVersion = opts.appVersion ?? '0.0.0';
    this.transport = opts.transport ?? 'in-process';
    this.jobs = new JobSupervisor(opts.supervisor);
    this.events.setMaxListeners(0);
    for (const id of this.store.markOrphanedRunsInterrupted()) this.emitStatus(id);
    this.jobs.onQueue((ev) => this.events.emit('onJobQueue', ev));
    this.impl = this.buildImpl();
  }

  async close(): Promise<void> {
    await this.jobs.shutdown();
    this.store.close();
  }

  /** Validate, run, map errors: every public method goes through here. */
  private async call<R>(method: T.EngineMethod, req: unknown): Promise<R> {
    try {
      const parsed = parseRequest(method, req);
      return (await (this.impl[method] as (r: unknown) => Promise<unknown>)(parsed ?? {})) as R;
    } catch (err) {
      throw new EngineError(toApiError(err, method));
    }
  }

  // ───────── events ─────────
  private on<K extends keyof T.EngineEventPayloads>(name: K, listener: (ev: T.EngineEventPayloads[K]) => void): T.Unsubscribe {
    this.events.on(name, listener);
    return () => void this.events.off(name, listener);
  }
  onRunProgress(l: (ev: T.RunProgressEvent) => void): T.Unsubscribe {
    return this.on('onRunProgress', l);
  }
  onRunStatus(l: (ev: T.RunStatusEvent) => void): T.Unsubscribe {
    return this.on('onRunStatus', l);
  }
  onJobQueue(l: (ev: T.JobQueueEvent) => void): T.Unsubscribe {
    return this.on('onJobQueue', l);
  }
  onImportProgress(l: (ev: T.ImportProgressEvent) => void): T.Unsubscribe {
    return this.on('onImportProgress', l);
  }
  private emitStatus(runId: string): void {
    const r = this.store.getRun(runId);
    const ev: T.RunStatusEvent = { runId, status: r.status };
    if (r.statusReason) ev.reason = r.statusReason;
    this.events.emit('onRunStatus', ev);
  }

  // ───────── methods (each delegates to call) ─────────
  getEngineInfo = () => this.call<T.EngineInfo>('getEngineInfo', undefined);
  listJobs = () => this.call<T.JobQueueEvent>('listJobs', undefined);
  importDataset = (req: T.ImportDatasetRequest) => this.call<T.DatasetInfo>('importDataset', req);
  listDatasets = () => this.call<T.DatasetInfo[]>('listDatasets', undefined);
  inspectDataset = (req: T.InspectDatasetRequest) => this.call<T.DatasetSummary>('inspectDataset', req);
  deleteDataset = (req: T.DatasetRef) => this.call<{ deleted: string }>('deleteDataset', req);
  ensureSampleDatasets = () => this.call<T.EnsureSampleResponse>('ensureSampleDatasets', undefined);
  listPresets = () => this.call<T.PresetInfo[]>('listPresets', undefined);
  createRun = (req: T.CreateRunRequest) => this.call<T.RunDetail>('createRun', req);
  startRun = (req: T.RunRef) => this.call<T.RunSummary>('startRun', req);
  stopRun = (req: T.RunRef) => this.call<T.RunSummary>('stopRun', req);
  resumeRun = (req: T.RunRef) => this.call<T.RunSummary>('resumeRun', req);
  listRuns = (req?: T.ListRunsRequest) => this.call<T.RunSummary[]>('listRuns', req);
  getRun = (req: T.RunRef) => this.call<T.RunDetail>('getRun', req);
  renameRun = (req: T.RenameRunRequest) => this.call<T.RunSummary>('renameRun', req);
  tagRun = (req: T.TagRunRequest) => this.call<T.RunSummary>('tagRun', req);
  noteRun = (req: T.NoteRunRequest) => this.call<T.RunSummary>('noteRun', req);
  deleteRun = (req: T.RunRef) => this.call<{ deleted: string }>('deleteRun', req);
  compareRuns = (req: T.CompareRunsRequest) => this.call<T.CompareRunsResponse>('compareRuns', req);
  getMetricSeries = (req: T.GetMetricSeriesRequest) => this.call<T.GetMetricSeriesResponse>('getMetricSeries', req);
  generateSamples = (req: T.GenerateSamplesRequest) => this.call<T.GenerateSamplesResponse>('generateSamples', req);
  getGenerationHistograms = (req: T.GenerationHistogramsRequest) => this.call<T.GenerationHistogramsResponse>('getGenerationHistograms', req);
  evaluateRun = (req: T.EvaluateRunRequest) => this.call<T.EvaluateRunResponse>('evaluateRun', req);
  getRoc = (req: T.EvaluationRef) => this.call<T.GetRocResponse>('getRoc', req);
  getEnergyHistograms = (req: T.EnergyHistogramsRequest) => this.call<T.EnergyHistogramsResponse>('getEnergyHistograms', req);
  getSculpting = (req: T.SculptingRequest) => this.call<T.SculptingResponse>('getSculpting', req);
  cutAtEnergy = (req: T.CutAtEnergyRequest) => this.call<T.CutAtEnergyResponse>('cutAtEnergy', req);
  getScoreMassCorrelation = (req: T.ScoreMassCorrelationRequest) => this.call<T.ScoreMassCorrelationResponse>('getScoreMassCorrelation', req);
  exportSeriesCsv = (req: T.ExportSeriesCsvRequest) => this.call<T.ExportSeriesCsvResponse>('exportSeriesCsv', req);

  // ───────── helpers ─────────
  private summary(r: RunRecord): T.RunSummary {
    const headline: Record<string, number> = {};
    const lastEpoch = this.store.lastMetrics(r.id, 'epoch');
    for (const k of ['jsdMass', 'jsdPt', 'jsdMultiplicity']) if (lastEpoch[k] !== undefined) headline[k] = lastEpoch[k]!;
    const lastStep = this.store.lastMetrics(r.id, 'step');
    if (lastStep.loss !== undefined) headline.loss = lastStep.loss;
    for (const e of this.store.listEvaluations(r.id)) {
      for (const m of (e.metrics.perSignal as T.EvaluationInfo['metrics'] | undefined) ?? []) {
        headline.auc = Math.max(headline.auc ?? 0, m.auc);
        if (m.r30 != null) headline.r30 = Math.max(headline.r30 ?? 0, m.r30);
        if (m.r50 != null) headline.r50 = Math.max(headline.r50 ?? 0, m.r50);
      }
    }
    let keyParams: Record<string, number | string | boolean> = {};
    try {
      keyParams = this.training.keyParams(r.config);
    } catch {
      keyParams = {};
    }
    return apiRun(r, keyParams, headline);
  }

  private detail(r: RunRecord): T.RunDetail {
    return {
      ...this.summary(r),
      config: r.config,
      checkpoints: this.store.listCheckpoints(r.id).map((c) => ({ epoch: c.epoch, step: c.step, path: c.path, sha256: c.sha256, createdAt: c.createdAt })),
      samples: this.store.listSamples(r.id).map((s) => ({ id: s.id, runId: s.runId, nJets: s.nJets, steps: s.steps, stepSize: s.stepSize, seed: s.seed, createdAt: s.createdAt })),
      evaluations: this.store.listEvaluations(r.id).map((e) => this.evaluationInfo(e)),
    };
  }

  private evaluationInfo(e: EvaluationRecord): T.EvaluationInfo {
    const m = e.metrics as { perSignal?: T.EvaluationInfo['metrics']; energyRange?: [number, number]; scoreKinds?: T.ScoreKind[] };
    return {
      id: e.id, runId: e.runId,
      background: e.background as T.EvaluationInfo['background'],
      signals: e.signals as T.EvaluationInfo['signals'],
      metrics: m.perSignal ?? [],
      energyRange: m.energyRange ?? [0, 0],
      scoreKinds: m.scoreKinds ?? ['energy'],
      createdAt: e.createdAt,
    };
  }

  private async jetsOf(d: DatasetRecord): Promise<JetSet> {
    const hit = this.jetCache.get(d.id);
    if (hit) return hit;
    const jets = await readJets(d.filePath);
    if (this.jetCache.size > 8) this.jetCache.delete(this.jetCache.keys().next().value!);
    this.jetCache.set(d.id, jets);
    return jets;
  }

  /** Indices of jets with a given label (all when label is undefined or the set is unlabelled with that name). */
  private static labelIndices(jets: JetSet, label: string | undefined, where: string): Int32Array | null {
    if (!label) return null;
    const names = jets.labelNames ?? [];
    const k = names.indexOf(label);
    if (k < 0 || !jets.label) throw new UserError('BAD_INPUT', `dataset ${where} has no label '${label}' (labels: ${names.join(', ') || 'none'})`, { hint: 'Choose one of the labels listed in the Data view.', where });
    const out: number[] = [];
    for (let j = 0; j < jets.nJets; j++) if (jets.label[j] === k) out.push(j);
    return Int32Array.from(out);
  }

  private evalData(evaluationId: string): EvalCache {
    const hit = this.evalCache.get(evaluationId);
    if (hit) return hit;
    const record = this.store.getEvaluation(evaluationId);
    const byClass = new Map<string, EvalCache['classes'][number]>();
    for (const s of this.store.listScores(evaluationId)) {
      let c = byClass.get(s.className);
      if (!c) {
        c = { name: s.className, role: s.role, scores: new Map() };
        byClass.set(s.className, c);
      }
      const arr = this.store.readScores(s);
      if (s.kind === 'massGeV') c.massGeV = arr;
      else c.scores.set(s.kind, arr);
    }
    const order = { background: 0, signal: 1, noise: 2 } as const;
    const classes = [...byClass.values()].sort((a, b) => order[a.role] - order[b.role]);
    const cache: EvalCache = { record, classes, index: new Map() };
    if (this.evalCache.size > 4) this.evalCache.delete(this.evalCache.keys().next().value!);
    this.evalCache.set(evaluationId, cache);
    return cache;
  }

  private scoresOf(c: EvalCache['classes'][number], kind: T.ScoreKind, evaluationId: string): Float32Array {
    const s = c.scores.get(kind);
    if (!s) throw new UserError('UNSUPPORTED', `evaluation ${evaluationId} has no '${kind}' scores`, { hint: kind === 'pBackground' ? 'Only EBM-CLF runs have class probabilities; use score "energy".' : 'Re-run the evaluation.', where: evaluationId });
    return s;
  }

  private background(ev: EvalCache): EvalCache['classes'][number] {
    const b = ev.classes.find((c) => c.role === 'background');
    if (!b?.massGeV) throw new UserError('INTERNAL', `evaluation ${ev.record.id} has no background scores`, { where: ev.record.id });
    return b;
  }

  /** The precomputed cut index of an evaluation and score kind (built once, ~0.5 s per 1M jets). */
  cutIndex(evaluationId: string, kind: T.ScoreKind = 'energy'): CutIndex {
    const ev = this.evalData(evaluationId);
    let idx = ev.index.get(kind);
    if (!idx) {
      const bg = this.background(ev);
      const range = commonRange([bg.massGeV!], { lowQuantile: 0, highQuantile: 0.999 });
      idx = new CutIndex({
        backgroundScores: this.scoresOf(bg, kind, evaluationId),
        backgroundMassGeV: bg.massGeV!,
        signals: ev.classes.filter((c) => c.role === 'signal').map((c) => ({ name: c.name, scores: this.scoresOf(c, kind, evaluationId) })),
        massRange: [0, Math.max(1, Math.ceil(range[1] / 10) * 10)],
      });
      ev.index.set(kind, idx);
    }
    return idx;
  }

  private runTrainJob(run: RunRecord, resume: boolean): T.JobInfo {
    const datasets = run.data.map((d) => ({ ds: this.store.getDataset(d.datasetId), label: d.label }));
    const runId = run.id;
    const payload = {
      config: run.config,
      data: datasets.map(({ ds, label }) => (label ? { path: ds.filePath, label } : { path: ds.filePath })),
      outDir: run.runDir,
      resume,
    };
    const job = this.jobs.submit({
      kind: 'train',
      label: `${resume ? 'resume' : 'train'} ${run.name}`,
      runId,
      module: this.training.modules.train,
      payload,
      handler: {
        onStart: () => {
          this.store.setRunStatus(runId, 'running');
          this.emitStatus(runId);
        },
        onEvent: (ev) => this.onTrainEvent(runId, ev),
        onResult: (res) => {
          const summary = res as { status?: string; backend?: string } | undefined;
          if (summary?.backend) this.store.updateRun(runId, { backend: summary.backend });
          const stopped = summary?.status ? summary.status === 'stopped' : this.stopRequested.has(runId);
          this.stopRequested.delete(runId);
          this.store.setRunStatus(runId, stopped ? 'stopped' : 'done', stopped ? 'stopped by the user; resume continues from the last checkpoint' : undefined);
          this.emitStatus(runId);
          return stopped ? 'stopped' : 'done';
        },
        onFailure: (status, reason) => {
          this.stopRequested.delete(runId);
          this.store.setRunStatus(runId, status, reason);
          this.emitStatus(runId);
        },
      },
    });
    this.store.setRunStatus(runId, 'queued');
    this.emitStatus(runId);
    return job;
  }

  private readonly stopRequested = new Set<string>();

  private onTrainEvent(runId: string, raw: unknown): void {
    const fx = this.training.interpretEvent(raw);
    if (fx.backend) this.store.updateRun(runId, { backend: fx.backend });
    const run = fx.step || fx.epoch || fx.checkpoint ? this.store.getRun(runId) : undefined;
    const epochs = (run?.config.epochs as number | undefined) ?? 0;
    if (fx.step && !fx.step.progress.epochs) fx.step.progress.epochs = epochs;
    if (fx.epoch && !fx.epoch.epochs) fx.epoch.epochs = epochs;
    if (fx.checkpoint && run) fx.checkpoint.path = resolve(run.runDir, fx.checkpoint.path);
    if (fx.step) {
      this.store.addMetrics(runId, 'step', fx.step.x, fx.step.values);
      this.store.updateRun(runId, { progress: fx.step.progress });
      const ev: T.RunProgressEvent = {
        runId, type: 'step', epoch: fx.step.progress.epoch, step: fx.step.progress.step, stepsPerEpoch: fx.step.progress.stepsPerEpoch,
        losses: fx.step.losses, ePos: fx.step.ePos, eNeg: fx.step.eNeg, lr: fx.step.lr,
      };
      if (fx.step.progress.etaSeconds !== undefined) ev.etaSeconds = fx.step.progress.etaSeconds;
      this.events.emit('onRunProgress', ev);
    }
    if (fx.epoch) {
      this.store.addMetrics(runId, 'epoch', fx.epoch.epoch, fx.epoch.values);
      const ev: T.RunProgressEvent = { runId, type: 'epoch', epoch: fx.epoch.epoch, epochs: fx.epoch.epochs, metrics: fx.epoch.values };
      if (fx.epoch.massHistogram) ev.massHistogram = fx.epoch.massHistogram;
      this.events.emit('onRunProgress', ev);
    }
    if (fx.checkpoint) {
      this.store.addCheckpoint({ runId, epoch: fx.checkpoint.epoch, step: fx.checkpoint.step, path: fx.checkpoint.path, sha256: fx.checkpoint.sha256 ?? '', createdAt: nowIso() });
    }
    if (fx.log) this.events.emit('onRunProgress', { runId, type: 'log', level: fx.log.level, message: fx.log.message } satisfies T.RunProgressEvent);
  }

  private buildImpl(): Impl {
    const store = this.store;
    const impl = {
      getEngineInfo: async (): Promise<T.EngineInfo> => ({
        appVersion: this.appVersion,
        backends: (await import('../model/backend.ts')).BACKEND_CHOICES.filter((b) => b !== 'auto'), // lazy: loads tfjs
        dbPath: store.dbPath,
        dataDir: store.dirs.home,
        transport: this.transport,
      }),
      listJobs: async (): Promise<T.JobQueueEvent> => this.jobs.snapshot(),

      // ───── datasets ─────
      importDataset: async (req: T.ImportDatasetRequest): Promise<T.DatasetInfo> => this.importOne(req, false),
      listDatasets: async () => store.listDatasets().map(apiDataset),
      inspectDataset: async (req: T.InspectDatasetRequest): Promise<T.DatasetSummary> => {
        const d = store.getDataset(req.datasetId);
        const jets = await this.jetsOf(d);
        const obs = jetObservables(jets);
        const names = jets.labelNames?.length && jets.label ? jets.labelNames : [d.labels[0] ?? 'all'];
        const groups = names.map((name, k) => {
          const idx: number[] = [];
          for (let j = 0; j < jets.nJets; j++) if (!jets.label || jets.label[j] === k || names.length === 1) idx.push(j);
          return { name, idx };
        }).filter((g) => g.idx.length > 0);
        const pick = (a: ArrayLike<number>, idx: number[]) => Float32Array.from(idx, (j) => a[j]!);
        const bins = req.bins ?? 50;
        const pt = sharedHistograms(groups.map((g) => pick(obs.ptGeV, g.idx)), bins);
        const mass = sharedHistograms(groups.map((g) => pick(obs.massGeV, g.idx)), bins);
        const mult = sharedHistograms(groups.map((g) => pick(obs.multiplicity, g.idx)), bins, undefined, true);
        return {
          dataset: apiDataset(d),
          format: d.format,
          perLabel: groups.map((g, i) => ({ label: g.name, nJets: g.idx.length, ptGeV: pt[i]!, massGeV: mass[i]!, multiplicity: mult[i]! })),
        };
      },
      deleteDataset: async (req: T.DatasetRef) => {
        const used = store.listRuns().filter((r) => r.data.some((x) => x.datasetId === req.datasetId));
        if (used.length) throw new UserError('CONFLICT', `dataset ${req.datasetId} is used by run${used.length > 1 ? 's' : ''} ${used.map((r) => r.name).join(', ')}`, { hint: 'Delete those runs first.', where: req.datasetId });
        store.deleteDataset(req.datasetId);
        this.jetCache.delete(req.datasetId);
        return { deleted: req.datasetId };
      },
      ensureSampleDatasets: async (): Promise<T.EnsureSampleResponse> => {
        const have = store.listDatasets().filter((d) => d.isSample);
        let imported = 0;
        for (const f of this.data.sampleFiles()) {
          if (have.some((d) => d.name === f.name)) continue;
          if (!existsSync(f.path)) throw new UserError('NOT_FOUND', `embedded sample file ${f.path} is missing`, { hint: 'Reinstall ebm-hep, or set EBM_HEP_RESOURCES to the resources directory.', where: f.path });
          await this.importOne({ path: f.path, name: f.name, label: f.label }, true);
          imported++;
        }
        return { datasets: store.listDatasets().filter((d) => d.isSample).map(apiDataset), imported };
      },

      // ───── runs ─────
      listPresets: async () => this.training.listPresets(),
      createRun: async (req: T.CreateRunRequest): Promise<T.RunDetail> => {
        const classes = new Set<string>();
        const data = req.data.map((d) => {
          const ds = store.getDataset(d.datasetId);
          if (d.label && !ds.labels.includes(d.label)) throw new UserError('BAD_INPUT', `dataset ${ds.name} has no label '${d.label}' (labels: ${ds.labels.join(', ')})`, { hint: 'Choose one of its labels or none.', where: ds.id });
          // EBM-CLF: a single-class dataset trains as that class
          const label = d.label ?? (req.kind === 'ebm-clf' && ds.labels.length === 1 ? ds.labels[0] : undefined);
          for (const l of label ? [label] : ds.labels) classes.add(l);
          return label ? { datasetId: d.datasetId, label } : { datasetId: d.datasetId };
        });
        const overrides = { ...(req.overrides ?? {}) };
        if (req.kind === 'ebm-clf') {
          if (classes.size < 2) throw new UserError('BAD_INPUT', `an EBM-CLF needs at least two classes in its training data, got ${[...classes].join(', ') || 'none'}`, { hint: 'Add datasets of other classes (e.g. qcd, w, top).', where: 'data' });
          if (!('model.outputs' in overrides)) overrides['model.outputs'] = classes.size;
        }
        const seed = req.seed ?? Math.floor(Math.random() * 2 ** 31);
        const built = this.training.buildConfig({ kind: req.kind, preset: req.preset, overrides, seed });
        const id = newId('run');
        const runDir = resolve(store.dirs.runs, id);
        const n = store.listRuns().length + 1;
        const rec: RunRecord = {
          id, name: req.name ?? `${req.kind}-${req.preset}-${n}`, kind: req.kind, preset: req.preset, config: built.config, status: 'created', seed,
          appVersion: this.appVersion, createdAt: nowIso(), tags: req.tags ?? [], notes: req.notes ?? '', runDir, data,
          progress: { epoch: 0, epochs: built.epochs, step: 0, stepsPerEpoch: 0 },
        };
        store.transact('createRun', () => {
          store.insertRun(rec);
          mkdirSync(runDir, { recursive: true });
        }, () => [runDir]);
        if (req.start) this.runTrainJob(rec, false);
        return this.detail(store.getRun(id));
      },
      startRun: async (req: T.RunRef) => {
        const r = store.getRun(req.runId);
        const hasCheckpoint = existsSync(resolve(r.runDir, 'checkpoints', 'latest.json'));
        const restartable = r.status === 'created' || (['stopped', 'interrupted', 'failed'].includes(r.status) && !hasCheckpoint);
        if (!restartable) throw new UserError('CONFLICT', `run ${r.name} is ${r.status}, not new`, { hint: hasCheckpoint ? 'Use resume to continue it from its last checkpoint.' : 'Create a new run.', where: r.id });
        this.runTrainJob(r, false);
        return this.summary(store.getRun(r.id));
      },
      stopRun: async (req: T.RunRef) => {
        const r = store.getRun(req.runId);
        const job = this.jobs.activeJobOfRun(r.id, 'train');
        if (!job) throw new UserError('CONFLICT', `run ${r.name} is not running (status ${r.status})`, { where: r.id });
        this.stopRequested.add(r.id);
        this.jobs.stop(job.id);
        return this.summary(store.getRun(r.id));
      },
      resumeRun: async (req: T.RunRef) => {
        const r = store.getRun(req.runId);
        if (!['stopped', 'interrupted', 'failed'].includes(r.status)) throw new UserError('CONFLICT', `run ${r.name} is ${r.status}; only stopped, interrupted or failed runs resume`, { where: r.id });
        if (!existsSync(resolve(r.runDir, 'checkpoints', 'latest.json'))) throw new UserError('CONFLICT', `run ${r.name} has no checkpoint to resume from`, { hint: 'It stopped before its first checkpoint; start a new run with the same settings.', where: r.runDir });
        this.runTrainJob(r, true);
        return this.summary(store.getRun(r.id));
      },
      listRuns: async (req?: T.ListRunsRequest) => store.listRuns(req ?? {}).map((r) => this.summary(r)),
      getRun: async (req: T.RunRef) => this.detail(store.getRun(req.runId)),
      renameRun: async (req: T.RenameRunRequest) => this.summary(store.updateRun(req.runId, { name: req.name })),
      tagRun: async (req: T.TagRunRequest) => this.summary(store.updateRun(req.runId, { tags: [...new Set(req.tags)] })),
      noteRun: async (req: T.NoteRunRequest) => this.summary(store.updateRun(req.runId, { notes: req.notes })),
      deleteRun: async (req: T.RunRef) => {
        const r = store.getRun(req.runId);
        if (this.jobs.activeJobOfRun(r.id)) throw new UserError('CONFLICT', `run ${r.name} has a job running or queued`, { hint: 'Stop it first.', where: r.id });
        for (const e of store.listEvaluations(r.id)) this.evalCache.delete(e.id);
        store.deleteRun(r.id);
        return { deleted: r.id };
      },
      compareRuns: async (req: T.CompareRunsRequest): Promise<T.CompareRunsResponse> => {
        const runs = req.runIds.map((id) => store.getRun(id));
        const summaries = runs.map((r) => this.summary(r));
        const keys = [...new Set(summaries.flatMap((s) => Object.keys(s.headline)))].sort();
        return {
          runs: summaries,
          configDiff: configDiff(runs.map((r) => ({ kind: r.kind, preset: r.preset, seed: r.seed, ...r.config }))),
          metrics: keys.map((key) => ({ key, values: summaries.map((s) => s.headline[key] ?? null) })),
        };
      },

      // ───── metrics ─────
      getMetricSeries: async (req: T.GetMetricSeriesRequest): Promise<T.GetMetricSeriesResponse> => ({ series: this.metricSeries(req) }),

      // ───── samples ─────
      generateSamples: async (req: T.GenerateSamplesRequest): Promise<T.GenerateSamplesResponse> => {
        const r = store.getRun(req.runId);
        if (!existsSync(resolve(r.runDir, 'model'))) throw new UserError('CONFLICT', `run ${r.name} has no trained model yet`, { hint: 'Train it for at least one epoch first.', where: r.runDir });
        const sampleId = newId('smp');
        const steps = req.steps ?? 200;
        const stepSize = req.stepSize ?? 0.05;
        const seed = req.seed ?? 1;
        let sample: T.SampleInfo | undefined;
        const job = this.jobs.submit({
          kind: 'generate', label: `generate ${req.nJets} jets from ${r.name}`, runId: r.id, module: this.training.modules.generate,
          payload: { runDir: r.runDir, config: r.config, nJets: req.nJets, steps, stepSize, seed },
          handler: {
            onResult: (res) => {
              const g = res as { x: Float32Array; mask: Uint8Array; size: number; particles: number };
              const header = new TextEncoder().encode(JSON.stringify({ size: g.size, particles: g.particles }).padEnd(256, ' '));
              const bytes = new Uint8Array(256 + g.x.byteLength + g.mask.byteLength);
              bytes.set(header, 0);
              bytes.set(new Uint8Array(g.x.buffer, g.x.byteOffset, g.x.byteLength), 256);
              bytes.set(g.mask, 256 + g.x.byteLength);
              const rec = store.addSample({ id: sampleId, runId: r.id, nJets: g.size, steps, stepSize, seed, createdAt: nowIso() }, bytes);
              sample = { id: rec.id, runId: rec.runId, nJets: rec.nJets, steps, stepSize, seed, createdAt: rec.createdAt };
              return 'done';
            },
          },
        });
        if (req.wait === false) return { job };
        const out = await this.jobs.wait(job.id);
        if (out.error || !sample) throw out.error ? new EngineError(out.error) : new UserError('RESOURCE', `generation for run ${r.name} ended: ${out.job.reason ?? out.job.status}`, { where: r.id });
        return { job: out.job, sample };
      },
      getGenerationHistograms: async (req: T.GenerationHistogramsRequest): Promise<T.GenerationHistogramsResponse> => {
        const r = store.getRun(req.runId);
        const samples = store.listSamples(r.id);
        const s = req.sampleId ? store.getSample(req.sampleId) : samples[samples.length - 1];
        if (!s) throw new UserError('NOT_FOUND', `run ${r.name} has no generated samples`, { hint: 'Generate samples first.', where: r.id });
        const gen = readSample(store.readVerified(s.path, s.sha256));
        const dsRef = req.datasetId ? { datasetId: req.datasetId, label: undefined } : r.data[0];
        if (!dsRef) throw new UserError('BAD_INPUT', `run ${r.name} has no training data to compare with`, { hint: 'Pass datasetId.', where: r.id });
        const ds = store.getDataset(dsRef.datasetId);
        const jets = await this.jetsOf(ds);
        const sel = Engine.labelIndices(jets, dsRef.label, ds.id);
        const data = preprocessSubset(jets, sel, gen.particles, 20_000);
        const report = compareGeneration(generationSample(data), generationSample(gen), { bins: req.bins ?? 40, particles: gen.particles });
        const observables: T.ObservableComparison[] = report.observables.map((o) => {
          const meta = OBSERVABLES.find((m) => m.name === o.name)!;
          return {
            name: o.name, label: meta.label, level: meta.level, density: false,
            data: { edges: Array.from(o.data.edges), counts: Array.from(o.data.counts) },
            generated: { edges: Array.from(o.generated.edges), counts: Array.from(o.generated.counts) },
            jsd: o.jsd, w1: o.w1,
          };
        });
        return {
          sampleId: s.id, nData: data.size, nGenerated: gen.size, observables,
          images: { data: averageJetImage(data.x, data.mask, data.size, data.particles), generated: averageJetImage(gen.x, gen.mask, gen.size, gen.particles) },
        };
      },

      // ───── evaluation ─────
      evaluateRun: async (req: T.EvaluateRunRequest): Promise<T.EvaluateRunResponse> => {
        const r = store.getRun(req.runId);
        if (!existsSync(resolve(r.runDir, 'model'))) throw new UserError('CONFLICT', `run ${r.name} has no trained model yet`, { hint: 'Train it for at least one epoch first.', where: r.runDir });
        const bg = store.getDataset(req.background.datasetId);
        const classes = [
          { name: req.background.label ?? bg.labels[0] ?? bg.name, role: 'background' as const, path: bg.filePath, label: req.background.label, datasetId: bg.id },
          ...req.signals.map((s) => {
            const d = store.getDataset(s.datasetId);
            return { name: s.name ?? s.label ?? d.labels[0] ?? d.name, role: 'signal' as const, path: d.filePath, label: s.label, datasetId: d.id };
          }),
        ];
        const names = classes.map((c) => c.name);
        if (new Set(names).size !== names.length) throw new UserError('BAD_INPUT', `two evaluated classes are both named '${names.find((n, i) => names.indexOf(n) !== i)}'`, { hint: 'Give each signal a distinct name.', where: 'signals' });
        const evaluationId = newId('eval');
        let info: T.EvaluationInfo | undefined;
        const job = this.jobs.submit({
          kind: 'evaluate', label: `evaluate ${r.name}`, runId: r.id, module: this.training.modules.evaluate,
          payload: { runDir: r.runDir, config: r.config, classes: classes.map((c) => ({ name: c.name, role: c.role, path: c.path, label: c.label })), maxJets: req.maxJets, split: req.split ?? 'test', noiseJets: req.noiseJets ?? 1000, seed: r.seed },
          handler: {
            onResult: (res) => {
              info = this.storeEvaluation(evaluationId, r, classes, res as EvaluateTaskResult);
              this.jobs.setResultId(job.id, evaluationId);
              return 'done';
            },
          },
        });
        if (req.wait === false) return { job };
        const out = await this.jobs.wait(job.id);
        if (out.error || !info) throw out.error ? new EngineError(out.error) : new UserError('RESOURCE', `evaluation of run ${r.name} ended: ${out.job.reason ?? out.job.status}`, { where: r.id });
        return { job: out.job, evaluation: info };
      },
      getRoc: async (req: T.EvaluationRef): Promise<T.GetRocResponse> => {
        const ev = this.evalData(req.evaluationId);
        const kind = req.score ?? 'energy';
        const bg = this.scoresOf(this.background(ev), kind, req.evaluationId);
        return {
          curves: ev.classes.filter((c) => c.role === 'signal').map((c) => {
            const sig = this.scoresOf(c, kind, req.evaluationId);
            const roc = rocCurve(sig, bg);
            const thin = thinRoc(roc, 500);
            return { signal: c.name, epsS: Array.from(thin.epsS), epsB: Array.from(thin.epsB), auc: aucOf(sig, bg), r30: finiteOrNull(rejectionAt(roc, 0.3)), r50: finiteOrNull(rejectionAt(roc, 0.5)) };
          }),
        };
      },
      getEnergyHistograms: async (req: T.EnergyHistogramsRequest): Promise<T.EnergyHistogramsResponse> => {
        const ev = this.evalData(req.evaluationId);
        const kind = req.score ?? 'energy';
        const dist = energyDistributions(ev.classes.filter((c) => c.scores.has(kind)).map((c) => ({ name: c.name, role: c.role, energy: c.scores.get(kind)! })), { bins: req.bins ?? 60 });
        return { edges: Array.from(dist.edges), classes: dist.classes.map((c) => ({ name: c.name, role: c.role, n: c.n, counts: Array.from(c.density) })) };
      },
      getSculpting: async (req: T.SculptingRequest): Promise<T.SculptingResponse> => {
        const idx = this.cutIndex(req.evaluationId, req.score ?? 'energy');
        const rates = req.acceptanceRates ?? [...ACCEPTANCE_RATES];
        return {
          massEdges: idx.massEdges,
          uncut: idx.uncut,
          curves: rates.map((acceptance) => {
            const threshold = idx.thresholdAtAcceptance(acceptance);
            const c = idx.cut(threshold);
            return { acceptance, threshold, n: c.nPassing, counts: c.passing, jsd: c.jsd };
          }),
        };
      },
      cutAtEnergy: async (req: T.CutAtEnergyRequest): Promise<T.CutAtEnergyResponse> => this.cutIndex(req.evaluationId, req.score ?? 'energy').cut(req.threshold),
      getScoreMassCorrelation: async (req: T.ScoreMassCorrelationRequest): Promise<T.ScoreMassCorrelationResponse> => {
        const ev = this.evalData(req.evaluationId);
        const bg = this.background(ev);
        const score = this.scoresOf(bg, req.score ?? 'energy', req.evaluationId);
        const mass = bg.massGeV!;
        const bins = req.bins ?? 40;
        const xr = commonRange([mass], { lowQuantile: 0, highQuantile: 0.999 });
        const yr = commonRange([score], { lowQuantile: 0.001, highQuantile: 0.999, pad: 0.02 });
        const xh = histogram([], { bins, range: xr });
        const yh = histogram([], { bins, range: yr });
        const values = new Array<number>(bins * bins).fill(0);
        const sum = new Float64Array(bins);
        const cnt = new Float64Array(bins);
        const clampBin = (v: number, [lo, hi]: [number, number]) => Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
        for (let i = 0; i < mass.length; i++) {
          const m = mass[i]!;
          const s = score[i]!;
          if (!Number.isFinite(m) || !Number.isFinite(s)) continue;
          const bx = clampBin(m, xr);
          values[bx * bins + clampBin(s, yr)]!++;
          sum[bx]! += s;
          cnt[bx]!++;
        }
        const centres = Array.from({ length: bins }, (_, i) => 0.5 * (xh.edges[i]! + xh.edges[i + 1]!));
        const px: number[] = [];
        const py: number[] = [];
        centres.forEach((c, i) => {
          if (cnt[i]! > 0) {
            px.push(c);
            py.push(sum[i]! / cnt[i]!);
          }
        });
        return {
          histogram: { xEdges: Array.from(xh.edges), yEdges: Array.from(yh.edges), values },
          profile: { name: 'mean score per mass bin', x: px, y: py },
          pearson: pearson(score, mass),
          spearman: spearman(score, mass),
        };
      },

      // ───── export ─────
      exportSeriesCsv: async (req: T.ExportSeriesCsvRequest): Promise<T.ExportSeriesCsvResponse> => {
        const series: T.Series[] = [...(req.series ?? [])];
        if (req.metrics) for (const m of this.metricSeries(req.metrics)) series.push({ name: `${m.runName}:${m.name}`, x: m.x, y: m.y });
        const stem = (req.title ?? 'series').replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80) || 'series';
        return { filename: `${stem}.csv`, csv: seriesToCsv(series) };
      },
    } satisfies Impl;
    return impl;
  }

  private metricSeries(req: T.GetMetricSeriesRequest): T.MetricSeries[] {
    const out: T.MetricSeries[] = [];
    for (const runId of req.runIds) {
      const r = this.store.getRun(runId);
      for (const { name, per } of this.store.metricNames(runId, req.per)) {
        if (req.names && !req.names.includes(name)) continue;
        const s = this.store.metricSeries(runId, per, name);
        const thin = per === 'step' ? thinSeries(s.x, s.y, req.maxPoints ?? 2000) : s;
        out.push({ runId, runName: r.name, name, per, x: thin.x, y: thin.y.map((v) => (Number.isFinite(v) ? v : NaN)) });
      }
    }
    return out;
  }

  private async importOne(req: T.ImportDatasetRequest, isSample: boolean): Promise<T.DatasetInfo> {
    const path = resolve(req.path);
    if (!existsSync(path)) throw new UserError('NOT_FOUND', `${path}: no such file`, { hint: 'Check the path (it is read on the machine where the engine runs).', where: path });
    const emit = (phase: T.ImportProgressEvent['phase'], done: number, total: number) => {
      const ev: T.ImportProgressEvent = { path, phase, done, total };
      if (req.requestId) ev.requestId = req.requestId;
      this.events.emit('onImportProgress', ev);
    };
    const opts: Parameters<DataBridge['importFile']>[1] = { dataDir: this.store.dirs.datasets, onProgress: (d, t, p) => emit(p, d, t) };
    if (req.label) opts.label = req.label;
    if (req.maxJets) opts.maxJets = req.maxJets;
    const f = await this.data.importFile(path, opts);
    const rec: DatasetRecord = {
      id: newId('ds'),
      name: req.name ?? path.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, ''),
      sourcePath: path, format: f.format, filePath: f.filePath, labels: f.labels, labelCounts: f.labelCounts, nJets: f.nJets,
      contentHash: f.contentHash, settings: { label: req.label, maxJets: req.maxJets }, isSample, notes: f.notes, importedAt: nowIso(),
    };
    this.store.addDataset(rec, f.createdFiles);
    emit('done', f.nJets, f.nJets);
    return apiDataset(rec);
  }

  private storeEvaluation(evaluationId: string, r: RunRecord, classes: EvaluatedClass[], res: EvaluateTaskResult): T.EvaluationInfo {
    const rec = saveEvaluation(this.store, evaluationId, r.id, classes, res);
    this.cutIndex(rec.id); // build the energy-cut index now, so the first slider move is instant
    return this.evaluationInfo(rec);
  }

  /** Registers evaluation results computed elsewhere (CLI `eval`, tests, benchmarks). */
  registerEvaluation(runId: string, classes: EvaluatedClass[], res: EvaluateTaskResult): T.EvaluationInfo {
    return this.storeEvaluation(newId('eval'), this.store.getRun(runId), classes, res);
  }
}

/** Decodes a stored sample file: 256-byte JSON header, float32 x [size, N, 3], uint8 mask [size, N]. */
export function readSample(bytes: Uint8Array): FeatureJets {
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, 256)).trim()) as { size: number; particles: number };
  const nx = header.size * header.particles * 3;
  const copy = bytes.slice(256);
  return {
    size: header.size,
    particles: header.particles,
    x: new Float32Array(copy.buffer, 0, nx),
    mask: new Uint8Array(copy.buffer, nx * 4, header.size * header.particles),
  };
}

/** Preprocessed (un-standardised) features of at most `max` jets of a JetSet (optionally a subset). */
function preprocessSubset(jets: JetSet, sel: Int32Array | null, particles: number, max: number): FeatureJets {
  let set = jets;
  const n = sel ? sel.length : jets.nJets;
  if (sel || n > max) {
    const idx = sel ? Uint32Array.from(sel.subarray(0, Math.min(max, sel.length))) : Uint32Array.from({ length: Math.min(max, n) }, (_, i) => i);
    set = subsetJets(jets, idx);
  }
  const p = preprocess(set, { particles });
  return { x: p.x, mask: p.mask, size: p.size, particles: p.particles };
}
