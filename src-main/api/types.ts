// The EngineApi contract: every operation the renderer (Electron IPC or the local web server) can ask of the engine,
// with its request/response types and events. Pure types only — no Node, no zod — so the web tsconfig checks it too.
//
// Conventions:
// - One async method per operation; each takes ONE request object (or none) and resolves to a JSON-safe response.
// - Plot-feeding responses are already binned: histograms are `{ edges, counts }` (counts.length = edges.length − 1),
//   curves are parallel `x`/`y` arrays. Never raw per-jet arrays.
// - Every failure rejects with an `ApiError` ({ code, message, hint?, where? }); the renderer shows message + hint.
// - Ids are opaque strings. Times are ISO-8601 UTC strings. Energies are in the model's (dimensionless) units; masses
//   and momenta in GeV.

// ───────────────────────────── errors ─────────────────────────────

export type ApiErrorCode =
  | 'BAD_INPUT' // a file or request the engine cannot use (includes schema validation failures)
  | 'NOT_FOUND' // unknown dataset / run / evaluation id, or a missing file
  | 'UNSUPPORTED' // a format, option or operation we do not handle
  | 'CONFLICT' // e.g. the run is already running, or not resumable
  | 'RESOURCE' // disk full, out of memory, backend unavailable
  | 'UNAUTHORIZED' // web transport: missing or wrong session token
  | 'INTERNAL'; // a bug: the message says what failed

/** The only error shape that leaves the API. */
export interface ApiError {
  code: ApiErrorCode;
  /** One human-readable sentence: what was wrong. */
  message: string;
  /** What the user can do about it. */
  hint?: string;
  /** The file, dataset, run or request field concerned. */
  where?: string;
}

// ───────────────────────────── shared plot shapes ─────────────────────────────

/** A 1-D histogram: counts[i] is the content of [edges[i], edges[i+1]). Overflow is clamped into the end bins. */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** A named series of points (for curves, metrics, CSV export). */
export interface Series {
  name: string;
  x: number[];
  y: number[];
}

/** A 2-D histogram; values are row-major [xBins × yBins]: values[i * (yEdges.length − 1) + j]. */
export interface Histogram2D {
  xEdges: number[];
  yEdges: number[];
  values: number[];
}

/** An average jet image in the (Δη, Δφ) plane: pixel value = mean pT fraction per jet. Row-major [eta × phi]. */
export interface JetImage {
  etaEdges: number[];
  phiEdges: number[];
  values: number[];
  nJets: number;
}

// ───────────────────────────── engine / jobs ─────────────────────────────

export interface EngineInfo {
  appVersion: string;
  /** Compute backends the engine can try, in preference order (each run records the one it actually used). */
  backends: string[];
  /** Where the run store lives. */
  dbPath: string;
  dataDir: string;
  /** 'in-process' | 'web' | 'electron' — which transport this client talks through. */
  transport: string;
}

export type JobKind = 'train' | 'generate' | 'evaluate' | 'import';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'stopped' | 'interrupted';

export interface JobInfo {
  id: string;
  kind: JobKind;
  status: JobStatus;
  /** The run the job belongs to (train/generate/evaluate). */
  runId?: string;
  /** Human label, e.g. 'train qcd-laptop-3'. */
  label: string;
  queuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Failure / interruption reason. */
  reason?: string;
  /** Result ids once done (e.g. sampleId, evaluationId). */
  resultId?: string;
}

export interface JobQueueEvent {
  running: JobInfo | null;
  queued: JobInfo[];
}

// ───────────────────────────── datasets ─────────────────────────────

export interface DatasetInfo {
  id: string;
  name: string;
  /** The file the user imported. */
  sourcePath: string;
  /** Detected format, e.g. 'hdf5-array', 'root-delphes', 'npz', 'csv'. */
  format: string;
  /** Class names present, e.g. ['qcd'] or ['qcd', 'w', 'top']. */
  labels: string[];
  /** Jets per label. */
  labelCounts: Record<string, number>;
  nJets: number;
  /** sha256 of the imported content. */
  contentHash: string;
  /** Import settings used (max jets, particles, label override, ...). */
  settings: Record<string, unknown>;
  /** True for the embedded sample imported on first start. */
  isSample: boolean;
  importedAt: string;
  /** Reader notes shown to the user (truncation, skipped jets, column mapping). */
  notes: string[];
}

export interface ImportDatasetRequest {
  /** Path of the file on the engine's machine. */
  path: string;
  name?: string;
  /** Label for every jet when the file has none (e.g. 'qcd'). */
  label?: string;
  /** Read at most this many jets. */
  maxJets?: number;
  /** Client-chosen id echoed in `onImportProgress` events. */
  requestId?: string;
}

export interface ImportProgressEvent {
  requestId?: string;
  path: string;
  phase: 'reading' | 'hashing' | 'writing' | 'done';
  done: number;
  total: number;
}

export interface DatasetRef {
  datasetId: string;
}

export interface InspectDatasetRequest {
  datasetId: string;
  /** Number of bins (default 50). */
  bins?: number;
}

export interface LabelSummary {
  label: string;
  nJets: number;
  ptGeV: Histogram;
  massGeV: Histogram;
  multiplicity: Histogram;
}

export interface DatasetSummary {
  dataset: DatasetInfo;
  /** Detected format shown in the Data view. */
  format: string;
  /** One entry per label; all labels share the same edges per observable so they overlay. */
  perLabel: LabelSummary[];
}

export interface EnsureSampleResponse {
  /** The embedded sample datasets (already present or just imported). */
  datasets: DatasetInfo[];
  /** How many were imported by this call (0 when already present). */
  imported: number;
}

// ───────────────────────────── presets & runs ─────────────────────────────

export type RunKind = 'ebm' | 'ebm-clf';
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'interrupted' | 'stopped' | 'created';

/** One editable hyper-parameter, addressed by a dotted key into the training config (e.g. 'model.layers'). */
export interface ParamInfo {
  key: string;
  /** The preset's value; null = unset (optional parameter, e.g. 'maxSteps', or 'off' for clip thresholds). */
  default: number | string | boolean | number[] | null;
  /** What it does, one sentence, with its unit. */
  meaning: string;
  type: 'number' | 'integer' | 'string' | 'boolean' | 'number[]' | 'choice';
  choices?: string[];
  min?: number;
  max?: number;
  /** Group for the form, e.g. 'model', 'langevin', 'optimiser', 'data'. */
  group?: string;
}

export interface PresetInfo {
  name: string;
  description: string;
  /** Every hyper-parameter with the preset's default and its meaning. */
  params: ParamInfo[];
  /** The full config of the preset as JSON. */
  config: Record<string, unknown>;
}

export interface CreateRunRequest {
  name?: string;
  kind: RunKind;
  preset: string;
  /** Dotted-key overrides of the preset, e.g. { 'train.epochs': 3, 'model.layers': 2 }. */
  overrides?: Record<string, unknown>;
  /** Training data: dataset ids; `label` = the class name of that dataset's jets in training (EBM-CLF: one dataset
   *  per class; it must be one of the dataset's labels). */
  data: { datasetId: string; label?: string }[];
  seed?: number;
  tags?: string[];
  notes?: string;
  /** Queue it for training right away (default false). */
  start?: boolean;
}

export interface RunRef {
  runId: string;
}

export interface RunProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  etaSeconds?: number;
}

export interface RunSummary {
  id: string;
  name: string;
  kind: RunKind;
  preset: string;
  status: RunStatus;
  /** Why it failed / was interrupted / stopped. */
  statusReason?: string;
  backend?: string;
  seed: number;
  appVersion: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  tags: string[];
  notes: string;
  /** The self-contained run directory on disk. */
  runDir: string;
  /** Latest known progress. */
  progress?: RunProgress;
  /** Key hyper-parameters for the table (e.g. layers, dModel, lr, batch, langevin steps). */
  keyParams: Record<string, number | string | boolean>;
  /** Headline metrics: last jsdMass, jsdPt, loss; best auc/r30/r50 of its evaluations. */
  headline: Record<string, number>;
  /** Training datasets. */
  data: { datasetId: string; label?: string }[];
}

export interface CheckpointInfo {
  epoch: number;
  step: number;
  path: string;
  sha256: string;
  createdAt: string;
}

export interface SampleInfo {
  id: string;
  runId: string;
  nJets: number;
  steps: number;
  stepSize: number;
  seed: number;
  createdAt: string;
}

export interface EvaluationInfo {
  id: string;
  runId: string;
  background: { datasetId: string; label?: string; nJets: number };
  signals: { name: string; datasetId: string; label?: string; nJets: number }[];
  /** Per signal: AUC, R30 = 1/ε_B at ε_S = 0.3, R50 (null when ε_B = 0 there). */
  metrics: { signal: string; auc: number; r30: number | null; r50: number | null }[];
  /** Range of the energy score over all scored jets (for the cut slider). */
  energyRange: [number, number];
  /** Score kinds available: 'energy' always; 'pBackground' for EBM-CLF (p(QCD|x)). */
  scoreKinds: ScoreKind[];
  createdAt: string;
}

/** 'energy': E(x). 'pBackground' (EBM-CLF): thresholds and curves use the anomaly score 1 − p(background|x), so
 *  for both kinds higher = more anomalous and a jet passes a cut when score ≥ threshold. */
export type ScoreKind = 'energy' | 'pBackground';

export interface RunDetail extends RunSummary {
  /** The full training config, verbatim. */
  config: Record<string, unknown>;
  checkpoints: CheckpointInfo[];
  samples: SampleInfo[];
  evaluations: EvaluationInfo[];
}

export interface ListRunsRequest {
  status?: RunStatus[];
  kind?: RunKind;
  /** Runs carrying ALL of these tags. */
  tags?: string[];
  /** Case-insensitive substring of name, notes, preset or tags. */
  search?: string;
  limit?: number;
  offset?: number;
}

export interface RenameRunRequest {
  runId: string;
  name: string;
}

export interface TagRunRequest {
  runId: string;
  /** The run's full new tag set. */
  tags: string[];
}

export interface NoteRunRequest {
  runId: string;
  notes: string;
}

export interface CompareRunsRequest {
  runIds: string[];
}

export interface CompareRunsResponse {
  runs: RunSummary[];
  /** Only the config keys whose values differ; values[i] belongs to runs[i] (null when absent). */
  configDiff: { key: string; values: unknown[] }[];
  /** Headline metrics side by side; values[i] belongs to runs[i]. */
  metrics: { key: string; values: (number | null)[] }[];
}

// ───────────────────────────── metrics ─────────────────────────────

export interface GetMetricSeriesRequest {
  runIds: string[];
  /** Metric names, e.g. 'loss', 'ePos', 'eNeg', 'lr', 'jsdMass', 'jsdPt'; omit for all. */
  names?: string[];
  /** 'step' series are thinned to at most maxPoints (default 2000) by bucket means. */
  per?: 'step' | 'epoch';
  maxPoints?: number;
}

export interface MetricSeries extends Series {
  runId: string;
  runName: string;
  per: 'step' | 'epoch';
}

export interface GetMetricSeriesResponse {
  series: MetricSeries[];
}

// ───────────────────────────── samples ─────────────────────────────

export interface GenerateSamplesRequest {
  runId: string;
  nJets: number;
  /** Langevin steps (default 200) and step size λ (default 0.05). */
  steps?: number;
  stepSize?: number;
  seed?: number;
  /** Resolve only when the job is finished (default true). */
  wait?: boolean;
}

export interface GenerateSamplesResponse {
  job: JobInfo;
  /** Set when wait = true. */
  sample?: SampleInfo;
}

export interface GenerationHistogramsRequest {
  runId: string;
  /** Default: the run's latest sample. */
  sampleId?: string;
  /** Reference data (default: the run's training data). */
  datasetId?: string;
  bins?: number;
}

export interface ObservableComparison {
  /** 'ptGeV' | 'massGeV' | 'multiplicity' | 'logPt' | 'deta' | 'dphi'. */
  name: string;
  /** Axis label with unit, e.g. 'jet mass [GeV]'. */
  label: string;
  /** 'jet' observables or per-'particle' features. */
  level: 'jet' | 'particle';
  /** Same edges for both. Counts are normalised to unit area when `density` is true. */
  data: Histogram;
  generated: Histogram;
  density: boolean;
  /** Jensen–Shannon divergence [nats] of the two binned shapes, and Wasserstein-1 of the unbinned values. */
  jsd: number;
  w1: number;
}

export interface GenerationHistogramsResponse {
  sampleId: string;
  nData: number;
  nGenerated: number;
  observables: ObservableComparison[];
  images: { data: JetImage; generated: JetImage };
}

// ───────────────────────────── evaluation ─────────────────────────────

export interface EvaluateRunRequest {
  runId: string;
  background: { datasetId: string; label?: string };
  signals: { datasetId: string; label?: string; name?: string }[];
  /** At most this many jets per class (default all). */
  maxJets?: number;
  /** 'test' (default): only held-out jets — the run's own test split for files it trained on, the test part of a
   *  seeded split otherwise; 'all': every jet (only for files the run never saw). */
  split?: 'test' | 'all';
  /** Random-noise jets scored alongside (paper Fig. 4; default 1000). */
  noiseJets?: number;
  /** Resolve only when the job is finished (default true). */
  wait?: boolean;
}

export interface EvaluateRunResponse {
  job: JobInfo;
  evaluation?: EvaluationInfo;
}

export interface EvaluationRef {
  evaluationId: string;
  /** Which score (default 'energy'). */
  score?: ScoreKind;
}

export interface RocCurve {
  signal: string;
  /** Signal efficiency ε_S and background efficiency ε_B at decreasing thresholds (≤ ~500 points). */
  epsS: number[];
  epsB: number[];
  auc: number;
  r30: number | null;
  r50: number | null;
}

export interface GetRocResponse {
  curves: RocCurve[];
}

export interface EnergyHistogramsRequest extends EvaluationRef {
  bins?: number;
}

export interface EnergyHistogramsResponse {
  /** Shared edges so classes overlay. */
  edges: number[];
  /** 'background' name first, then the signals, then 'noise' (random-noise jets). Counts normalised to unit area. */
  classes: { name: string; role: 'background' | 'signal' | 'noise'; n: number; counts: number[] }[];
}

export interface SculptingRequest extends EvaluationRef {
  /** Fractions of background kept (default [1, 0.5, 0.2, 0.1, 0.05]). */
  acceptanceRates?: number[];
}

export interface SculptingResponse {
  massEdges: number[];
  uncut: number[];
  /** Background mass shape of the jets passing the cut that keeps `acceptance` of the background; JSD vs uncut. */
  curves: { acceptance: number; threshold: number; n: number; counts: number[]; jsd: number }[];
}

export interface CutAtEnergyRequest extends EvaluationRef {
  /** Jets with score ≥ threshold pass (are selected as anomalous). */
  threshold: number;
}

export interface CutAtEnergyResponse {
  threshold: number;
  /** Background efficiency (fraction of background passing). */
  epsB: number;
  signals: { name: string; epsS: number }[];
  massEdges: number[];
  /** Passing-background mass histogram and the uncut background mass histogram (raw counts). */
  passing: number[];
  uncut: number[];
  nPassing: number;
  /** JSD [nats] of the normalised passing shape vs the uncut shape (0 when nothing passes). */
  jsd: number;
}

export interface ScoreMassCorrelationRequest extends EvaluationRef {
  bins?: number;
}

export interface ScoreMassCorrelationResponse {
  /** Background jets: x = mass [GeV], y = score. */
  histogram: Histogram2D;
  /** Mean score per mass bin (x = bin centres). */
  profile: Series;
  pearson: number;
  spearman: number;
}

// ───────────────────────────── export ─────────────────────────────

export interface ExportSeriesCsvRequest {
  /** Series to write as given (x,y per series, long format: series,x,y). */
  series?: Series[];
  /** Or metric series fetched from the store. */
  metrics?: GetMetricSeriesRequest;
  /** Suggested file name stem. */
  title?: string;
}

export interface ExportSeriesCsvResponse {
  filename: string;
  csv: string;
}

// ───────────────────────────── events ─────────────────────────────

export type RunProgressEvent =
  | {
      runId: string;
      type: 'step';
      epoch: number;
      step: number;
      stepsPerEpoch: number;
      /** Loss terms, e.g. { loss, cd, kl, reg, ce }. */
      losses: Record<string, number>;
      ePos: number;
      eNeg: number;
      lr: number;
      etaSeconds?: number;
    }
  | {
      runId: string;
      type: 'epoch';
      epoch: number;
      epochs: number;
      /** Validation metrics, e.g. { jsdMass, jsdPt }. */
      metrics: Record<string, number>;
      /** Data vs current generated jet mass (same edges). */
      massHistogram?: { edges: number[]; data: number[]; generated: number[] };
    }
  | { runId: string; type: 'log'; level: 'info' | 'warn'; message: string };

export interface RunStatusEvent {
  runId: string;
  status: RunStatus;
  reason?: string;
}

export type Unsubscribe = () => void;

export interface EngineEvents {
  onRunProgress(listener: (ev: RunProgressEvent) => void): Unsubscribe;
  onRunStatus(listener: (ev: RunStatusEvent) => void): Unsubscribe;
  onJobQueue(listener: (ev: JobQueueEvent) => void): Unsubscribe;
  onImportProgress(listener: (ev: ImportProgressEvent) => void): Unsubscribe;
}

// ───────────────────────────── the API ─────────────────────────────

export interface EngineApi extends EngineEvents {
  // engine
  getEngineInfo(): Promise<EngineInfo>;
  listJobs(): Promise<JobQueueEvent>;

  // datasets
  importDataset(req: ImportDatasetRequest): Promise<DatasetInfo>;
  listDatasets(): Promise<DatasetInfo[]>;
  inspectDataset(req: InspectDatasetRequest): Promise<DatasetSummary>;
  deleteDataset(req: DatasetRef): Promise<{ deleted: string }>;
  ensureSampleDatasets(): Promise<EnsureSampleResponse>;

  // runs
  listPresets(): Promise<PresetInfo[]>;
  createRun(req: CreateRunRequest): Promise<RunDetail>;
  startRun(req: RunRef): Promise<RunSummary>;
  stopRun(req: RunRef): Promise<RunSummary>;
  resumeRun(req: RunRef): Promise<RunSummary>;
  listRuns(req?: ListRunsRequest): Promise<RunSummary[]>;
  getRun(req: RunRef): Promise<RunDetail>;
  renameRun(req: RenameRunRequest): Promise<RunSummary>;
  tagRun(req: TagRunRequest): Promise<RunSummary>;
  noteRun(req: NoteRunRequest): Promise<RunSummary>;
  deleteRun(req: RunRef): Promise<{ deleted: string }>;
  compareRuns(req: CompareRunsRequest): Promise<CompareRunsResponse>;

  // metrics
  getMetricSeries(req: GetMetricSeriesRequest): Promise<GetMetricSeriesResponse>;

  // samples
  generateSamples(req: GenerateSamplesRequest): Promise<GenerateSamplesResponse>;
  getGenerationHistograms(req: GenerationHistogramsRequest): Promise<GenerationHistogramsResponse>;

  // evaluation
  evaluateRun(req: EvaluateRunRequest): Promise<EvaluateRunResponse>;
  getRoc(req: EvaluationRef): Promise<GetRocResponse>;
  getEnergyHistograms(req: EnergyHistogramsRequest): Promise<EnergyHistogramsResponse>;
  getSculpting(req: SculptingRequest): Promise<SculptingResponse>;
  cutAtEnergy(req: CutAtEnergyRequest): Promise<CutAtEnergyResponse>;
  getScoreMassCorrelation(req: ScoreMassCorrelationRequest): Promise<ScoreMassCorrelationResponse>;

  // export
  exportSeriesCsv(req: ExportSeriesCsvRequest): Promise<ExportSeriesCsvResponse>;
}

/** The fixed table of request/response methods (no events): the web transport's routes and the preload's bridge. */
export const ENGINE_METHODS = [
  'getEngineInfo',
  'listJobs',
  'importDataset',
  'listDatasets',
  'inspectDataset',
  'deleteDataset',
  'ensureSampleDatasets',
  'listPresets',
  'createRun',
  'startRun',
  'stopRun',
  'resumeRun',
  'listRuns',
  'getRun',
  'renameRun',
  'tagRun',
  'noteRun',
  'deleteRun',
  'compareRuns',
  'getMetricSeries',
  'generateSamples',
  'getGenerationHistograms',
  'evaluateRun',
  'getRoc',
  'getEnergyHistograms',
  'getSculpting',
  'cutAtEnergy',
  'getScoreMassCorrelation',
  'exportSeriesCsv',
] as const satisfies readonly (keyof EngineApi)[];

export type EngineMethod = (typeof ENGINE_METHODS)[number];

/** Compile-time check that ENGINE_METHODS lists every request/response method (fails to type-check otherwise). */
type MissingMethods = Exclude<Exclude<keyof EngineApi, keyof EngineEvents>, EngineMethod>;
export const ENGINE_METHODS_COMPLETE: [MissingMethods] extends [never] ? true : MissingMethods = true;

/** The event names, in the order of EngineEvents. */
export const ENGINE_EVENTS = ['onRunProgress', 'onRunStatus', 'onJobQueue', 'onImportProgress'] as const satisfies readonly (keyof EngineEvents)[];

export type EngineEventName = (typeof ENGINE_EVENTS)[number];

/** Payload type of each event. */
export interface EngineEventPayloads {
  onRunProgress: RunProgressEvent;
  onRunStatus: RunStatusEvent;
  onJobQueue: JobQueueEvent;
  onImportProgress: ImportProgressEvent;
}

/** True when a value looks like an ApiError (for clients that receive errors as plain objects). */
export function isApiError(x: unknown): x is ApiError {
  return typeof x === 'object' && x !== null && typeof (x as ApiError).code === 'string' && typeof (x as ApiError).message === 'string';
}
