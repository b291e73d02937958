// The Train view's state: the run being configured (kind, preset, hyper-parameter overrides, training data) and the
// run being watched (live curves from progress events, progress/ETA, stop and resume).
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ParamInfo, PresetInfo, RunKind, RunProgressEvent, RunStatusEvent, RunSummary } from '../../src-main/api/types.ts';
import { useEngineStore } from './engine.ts';
import { applyProgress, emptyLive, liveFromSeries, type LiveRun } from './live.ts';

/** Parses what the user typed for a parameter; returns an error sentence when it is not valid. */
export function parseParam(p: ParamInfo, text: string): { value?: unknown; error?: string } {
  const t = text.trim();
  // Parameters that are off by default (e.g. gradient clipping) stay off when left empty.
  if (t === '' && (p.default === null || p.default === undefined)) return { value: null };
  switch (p.type) {
    case 'boolean':
      if (t === 'true' || t === 'false') return { value: t === 'true' };
      return { error: `${p.key} must be true or false.` };
    case 'number':
    case 'integer': {
      const v = Number(t);
      if (t === '' || !Number.isFinite(v)) return { error: `${p.key} must be a number.` };
      if (p.type === 'integer' && !Number.isInteger(v)) return { error: `${p.key} must be a whole number.` };
      if (p.min !== undefined && v < p.min) return { error: `${p.key} must be ≥ ${p.min}.` };
      if (p.max !== undefined && v > p.max) return { error: `${p.key} must be ≤ ${p.max}.` };
      return { value: v };
    }
    case 'number[]': {
      const parts = t.split(/[\s,]+/).filter(Boolean).map(Number);
      if (!parts.length || parts.some((v) => !Number.isFinite(v))) return { error: `${p.key} must be numbers separated by commas.` };
      return { value: parts };
    }
    case 'choice':
      if (p.choices && !p.choices.includes(t)) return { error: `${p.key} must be one of ${p.choices.join(', ')}.` };
      return { value: t };
    default:
      return { value: t };
  }
}

export function formatParam(v: unknown): string {
  if (v === null || v === undefined) return '';
  return Array.isArray(v) ? v.join(', ') : String(v);
}

export const useTrainStore = defineStore('train', () => {
  const engine = useEngineStore();
  const presets = ref<PresetInfo[]>([]);
  const kind = ref<RunKind>('ebm');
  const presetName = ref<string>('');
  /** What the user typed per parameter key (only keys they changed). */
  const edits = ref<Record<string, string>>({});
  const dataKeys = ref<string[]>([]);
  const runName = ref('');
  const seed = ref(1);
  const watchedRun = ref<RunSummary | null>(null);
  const live = shallowRef<LiveRun | null>(null);
  const busy = ref(false);
  let offProgress: (() => void) | null = null;
  let offStatus: (() => void) | null = null;
  /** Events of runs not (yet) watched, kept briefly: a new run's first events can beat createRun's reply. */
  const early = new Map<string, RunProgressEvent[]>();
  const lastStatus = new Map<string, RunStatusEvent>();

  const preset = computed(() => presets.value.find((p) => p.name === presetName.value) ?? null);
  const errors = computed(() => {
    const out: Record<string, string> = {};
    for (const p of preset.value?.params ?? []) {
      const t = edits.value[p.key];
      if (t === undefined) continue;
      const r = parseParam(p, t);
      if (r.error) out[p.key] = r.error;
    }
    return out;
  });
  const overrides = computed(() => {
    const out: Record<string, unknown> = {};
    for (const p of preset.value?.params ?? []) {
      const t = edits.value[p.key];
      if (t === undefined) continue;
      const r = parseParam(p, t);
      if (r.error === undefined && formatParam(r.value) !== formatParam(p.default)) out[p.key] = r.value;
    }
    return out;
  });

  async function loadPresets(): Promise<void> {
    const list = await engine.call((api) => api.listPresets());
    if (!list) return;
    presets.value = list;
    if (!list.some((p) => p.name === presetName.value)) presetName.value = (list.find((p) => p.name === 'laptop') ?? list[0])?.name ?? '';
  }

  function setEdit(key: string, text: string): void {
    edits.value = { ...edits.value, [key]: text };
  }

  function resetEdits(): void {
    edits.value = {};
  }

  function listen(): void {
    const api = engine.client();
    offProgress ??= api.onRunProgress((ev) => {
      if (live.value && ev.runId === live.value.runId) {
        // A new top-level object per event, so every computed plot that reads it re-evaluates.
        live.value = { ...applyProgress(live.value, ev) };
      } else {
        const list = early.get(ev.runId) ?? [];
        if (list.length < 500) list.push(ev);
        early.set(ev.runId, list);
        if (early.size > 20) early.delete(early.keys().next().value!);
      }
    });
    offStatus ??= api.onRunStatus((ev) => {
      lastStatus.set(ev.runId, ev);
      if (lastStatus.size > 200) lastStatus.delete(lastStatus.keys().next().value!);
      if (watchedRun.value && ev.runId === watchedRun.value.id) {
        watchedRun.value = { ...watchedRun.value, status: ev.status, statusReason: ev.reason };
      }
    });
  }

  /** Watches a run: loads what is stored so far, then follows its events. */
  async function watch(runId: string): Promise<void> {
    listen();
    const run = await engine.call((api) => api.getRun({ runId }));
    if (!run) return;
    watchedRun.value = run;
    const series = await engine.call((api) => api.getMetricSeries({ runIds: [runId] }));
    live.value = series ? liveFromSeries(runId, series.series, run.progress) : emptyLive(runId);
  }

  async function start(data: { datasetId: string; label?: string }[]): Promise<RunSummary | undefined> {
    if (Object.keys(errors.value).length) {
      engine.notify('error', 'Some hyper-parameters are not valid.', Object.values(errors.value)[0]);
      return undefined;
    }
    if (!data.length) {
      engine.notify('error', 'Choose the training data first.', 'Pick at least one dataset (e.g. the sample’s QCD jets).');
      return undefined;
    }
    busy.value = true;
    try {
      listen();
      const run = await engine.call((api) =>
        api.createRun({ kind: kind.value, preset: presetName.value, overrides: overrides.value, data, seed: seed.value, name: runName.value.trim() || undefined, start: true }),
      );
      if (!run) return undefined;
      // Status and progress events that arrived before createRun answered are newer than its reply.
      const seen = lastStatus.get(run.id);
      watchedRun.value = seen ? { ...run, status: seen.status, statusReason: seen.reason } : run;
      let state = emptyLive(run.id);
      for (const ev of early.get(run.id) ?? []) state = applyProgress(state, ev);
      early.delete(run.id);
      live.value = state;
      return run;
    } finally {
      busy.value = false;
    }
  }

  async function stop(): Promise<void> {
    if (!watchedRun.value) return;
    const id = watchedRun.value.id;
    const r = await engine.call((api) => api.stopRun({ runId: id }));
    if (r && watchedRun.value?.id === id) watchedRun.value = { ...watchedRun.value, ...r };
  }

  async function resume(): Promise<void> {
    if (!watchedRun.value) return;
    const id = watchedRun.value.id;
    listen();
    const r = await engine.call((api) => api.resumeRun({ runId: id }));
    if (r && watchedRun.value?.id === id) watchedRun.value = { ...watchedRun.value, ...r };
  }

  return { presets, kind, presetName, preset, edits, errors, overrides, dataKeys, runName, seed, watchedRun, live, busy, loadPresets, setEdit, resetEdits, watch, start, stop, resume };
});
