// The seams between the EngineApi and the parts it drives: training/generation/scoring (train/), dataset import and
// the embedded sample (data/). The engine only talks to these interfaces; `default-bridges.ts` wires the real ones.
import type { PresetInfo, RunKind, RunProgress } from './types.ts';

/** What one training event means for the store and the subscribers. */
export interface TrainEventEffect {
  /** Per-step metrics keyed by a global step number (monotone across epochs). */
  step?: { x: number; values: Record<string, number>; progress: RunProgress; losses: Record<string, number>; ePos: number; eNeg: number; lr: number };
  /** Per-epoch validation metrics. */
  epoch?: { epoch: number; epochs: number; values: Record<string, number>; massHistogram?: { edges: number[]; data: number[]; generated: number[] } };
  checkpoint?: { epoch: number; step: number; path: string; sha256?: string };
  /** The compute backend actually used (first event). */
  backend?: string;
  log?: { level: 'info' | 'warn'; message: string };
  /** Terminal status reported by the trainer itself. */
  status?: 'done' | 'stopped' | 'failed';
  reason?: string;
}

export interface BuiltConfig {
  /** The full training config, stored verbatim. */
  config: Record<string, unknown>;
  epochs: number;
  /** Key hyper-parameters for tables. */
  keyParams: Record<string, number | string | boolean>;
}

export interface TrainingBridge {
  listPresets(): PresetInfo[];
  /** Preset + dotted overrides → a validated config (throws UserError naming the bad key). */
  buildConfig(req: { kind: RunKind; preset: string; overrides: Record<string, unknown>; seed: number }): BuiltConfig;
  /** Key parameters of a stored config (for run tables). */
  keyParams(config: Record<string, unknown>): Record<string, number | string | boolean>;
  interpretEvent(event: unknown): TrainEventEffect;
  /** Absolute paths of the worker task modules. */
  modules: { train: string; generate: string; evaluate: string };
  /** Particles per jet of a config (for generation histograms). */
  particles(config: Record<string, unknown>): number;
}

export interface ImportedFile {
  /** The content-addressed file the engine will read. */
  filePath: string;
  format: string;
  labels: string[];
  labelCounts: Record<string, number>;
  nJets: number;
  contentHash: string;
  notes: string[];
  /** Files this import created (removed if registration fails). */
  createdFiles: string[];
}

export interface DataBridge {
  importFile(path: string, opts: { dataDir: string; label?: string; maxJets?: number; onProgress?: (done: number, total: number, phase: 'reading' | 'hashing' | 'writing') => void }): Promise<ImportedFile>;
  /** The embedded sample files (name, label, path). */
  sampleFiles(): { name: string; label: string; path: string }[];
}
