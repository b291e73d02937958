// Live training state built from run-progress events (and from stored metric series when re-attaching to a run):
// per-step loss terms and energies, per-epoch validation metrics, the latest generated-vs-data mass histogram. Pure.
import type { MetricSeries, RunProgress, RunProgressEvent } from '../../src-main/api/types.ts';

export interface SeriesTable {
  x: number[];
  /** name → y values, aligned with x (NaN where a term was missing at that point). */
  y: Record<string, number[]>;
}

export interface LiveRun {
  runId: string;
  steps: SeriesTable;
  epochs: SeriesTable;
  massHistogram: { epoch: number; edges: number[]; data: number[]; generated: number[] } | null;
  progress: RunProgress | null;
  log: { level: 'info' | 'warn'; message: string }[];
}

/** Live step series are thinned (every other point dropped) once they exceed this many points. */
export const MAX_LIVE_POINTS = 4000;

export function emptyLive(runId: string): LiveRun {
  return { runId, steps: { x: [], y: {} }, epochs: { x: [], y: {} }, massHistogram: null, progress: null, log: [] };
}

function push(table: SeriesTable, x: number, values: Record<string, number>): void {
  const n = table.x.length;
  table.x.push(x);
  for (const [k, v] of Object.entries(values)) {
    if (!table.y[k]) table.y[k] = new Array<number>(n).fill(NaN);
    table.y[k]!.push(v);
  }
  for (const ys of Object.values(table.y)) if (ys.length < n + 1) ys.push(NaN);
}

function thin(table: SeriesTable): void {
  const keep = (_: unknown, i: number) => i % 2 === 0 || i === table.x.length - 1;
  table.x = table.x.filter(keep);
  for (const k of Object.keys(table.y)) table.y[k] = table.y[k]!.filter(keep);
}

/** Global optimiser step of a step event (epochs counted from 1, steps within an epoch from 0 or 1). */
export function globalStep(ev: { epoch: number; step: number; stepsPerEpoch: number }): number {
  // Engines may report the step within the epoch or already globally; a step beyond one epoch is global.
  if (ev.step > ev.stepsPerEpoch) return ev.step;
  return Math.max(0, ev.epoch - 1) * ev.stepsPerEpoch + ev.step;
}

/** Folds one progress event into the live state (mutates and returns it). */
export function applyProgress(live: LiveRun, ev: RunProgressEvent): LiveRun {
  if (ev.runId !== live.runId) return live;
  if (ev.type === 'step') {
    push(live.steps, globalStep(ev), { ...ev.losses, ePos: ev.ePos, eNeg: ev.eNeg, lr: ev.lr });
    if (live.steps.x.length > MAX_LIVE_POINTS) thin(live.steps);
    live.progress = { epoch: ev.epoch, epochs: live.progress?.epochs ?? 0, step: ev.step, stepsPerEpoch: ev.stepsPerEpoch, etaSeconds: ev.etaSeconds };
  } else if (ev.type === 'epoch') {
    push(live.epochs, ev.epoch, ev.metrics);
    if (ev.massHistogram) live.massHistogram = { epoch: ev.epoch, ...ev.massHistogram };
    live.progress = { ...(live.progress ?? { step: 0, stepsPerEpoch: 0 }), epoch: ev.epoch, epochs: ev.epochs };
  } else {
    live.log.push({ level: ev.level, message: ev.message });
    if (live.log.length > 200) live.log.splice(0, live.log.length - 200);
  }
  return live;
}

/** Rebuilds the live state of a run from its stored metric series (when the view opens on a running/finished run). */
export function liveFromSeries(runId: string, series: MetricSeries[], progress?: RunProgress): LiveRun {
  const live = emptyLive(runId);
  for (const per of ['step', 'epoch'] as const) {
    const mine = series.filter((s) => s.runId === runId && s.per === per);
    const xs = [...new Set(mine.flatMap((s) => s.x))].sort((a, b) => a - b);
    const table: SeriesTable = { x: xs, y: {} };
    const index = new Map(xs.map((x, i) => [x, i]));
    for (const s of mine) {
      const ys = new Array<number>(xs.length).fill(NaN);
      s.x.forEach((x, i) => (ys[index.get(x)!] = s.y[i]!));
      table.y[s.name] = ys;
    }
    if (per === 'step') live.steps = table;
    else live.epochs = table;
  }
  live.progress = progress ?? null;
  return live;
}

/** Fraction of training done, 0…1. */
export function progressFraction(p: RunProgress | null): number {
  if (!p || !p.epochs || !p.stepsPerEpoch) return 0;
  const done = Math.max(0, p.epoch - 1) * p.stepsPerEpoch + Math.min(p.step, p.stepsPerEpoch);
  return Math.min(1, Math.max(0, done / (p.epochs * p.stepsPerEpoch)));
}

/** '1 h 05 min', '4 min 10 s', '12 s'. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}
