// Datasets: the list, per-label summaries (pT, mass, multiplicity histograms), imports with live progress, and the
// embedded sample imported on first start.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DatasetInfo, DatasetSummary, ImportProgressEvent } from '../../src-main/api/types.ts';
import { useEngineStore } from './engine.ts';

export interface ImportState {
  requestId: string;
  path: string;
  phase: ImportProgressEvent['phase'] | 'starting';
  done: number;
  total: number;
}

/** Every (dataset, label) pair a run can train on or an evaluation can use as background/signal. */
export interface DataChoice {
  key: string;
  datasetId: string;
  label?: string;
  /** 'sample-qcd (qcd, 5000 jets)'. */
  text: string;
  nJets: number;
}

export function dataChoices(datasets: DatasetInfo[]): DataChoice[] {
  const out: DataChoice[] = [];
  for (const d of datasets) {
    if (d.labels.length <= 1) {
      out.push({ key: `${d.id}:${d.labels[0] ?? ''}`, datasetId: d.id, label: d.labels[0], text: `${d.name}${d.labels[0] ? ` · ${d.labels[0]}` : ''} (${d.nJets} jets)`, nJets: d.nJets });
    } else {
      for (const l of d.labels) {
        const n = d.labelCounts[l] ?? 0;
        out.push({ key: `${d.id}:${l}`, datasetId: d.id, label: l, text: `${d.name} · ${l} (${n} jets)`, nJets: n });
      }
    }
  }
  return out;
}

export const useDatasetsStore = defineStore('datasets', () => {
  const engine = useEngineStore();
  const datasets = ref<DatasetInfo[]>([]);
  const summaries = ref<Record<string, DatasetSummary>>({});
  const selectedId = ref<string | null>(null);
  /** Datasets whose labels are overlaid in the summary plots (default: every embedded sample dataset). */
  const overlayIds = ref<string[]>([]);
  const importing = ref<ImportState | null>(null);
  const loaded = ref(false);
  let importCounter = 0;

  const selected = computed(() => datasets.value.find((d) => d.id === selectedId.value) ?? null);
  const selectedSummary = computed(() => (selectedId.value ? summaries.value[selectedId.value] ?? null : null));
  const choices = computed(() => dataChoices(datasets.value));
  /** Summaries shown together: the selected dataset first, then the other overlaid ones that are loaded. */
  const shownSummaries = computed(() => {
    const ids = [selectedId.value, ...overlayIds.value.filter((id) => id !== selectedId.value)].filter((id): id is string => !!id);
    return ids.map((id) => summaries.value[id]).filter((s): s is DatasetSummary => !!s);
  });

  async function refresh(): Promise<void> {
    const list = await engine.call((api) => api.listDatasets());
    if (list) datasets.value = list;
    if (!datasets.value.some((d) => d.id === selectedId.value)) selectedId.value = datasets.value[0]?.id ?? null;
  }

  /** First start: make sure the embedded sample is there, then list everything and show the first dataset. */
  async function init(): Promise<void> {
    if (loaded.value) return;
    await engine.call((api) => api.ensureSampleDatasets());
    await refresh();
    loaded.value = true;
    engine.client().onImportProgress((ev) => {
      // Imports started elsewhere (the Electron File → Import… dialog) show up when they finish.
      if (ev.phase === 'done' && !importing.value) void refresh();
    });
    const samples = datasets.value.filter((d) => d.isSample).map((d) => d.id);
    if (selectedId.value) await select(selectedId.value);
    for (const id of samples) await toggleOverlay(id, true);
  }

  async function toggleOverlay(id: string, on = !overlayIds.value.includes(id)): Promise<void> {
    overlayIds.value = on ? [...new Set([...overlayIds.value, id])] : overlayIds.value.filter((x) => x !== id);
    if (on && !summaries.value[id]) {
      const s = await engine.call((api) => api.inspectDataset({ datasetId: id, bins: 40 }));
      if (s) summaries.value = { ...summaries.value, [id]: s };
    }
  }

  async function select(id: string): Promise<void> {
    selectedId.value = id;
    if (!summaries.value[id]) {
      const s = await engine.call((api) => api.inspectDataset({ datasetId: id, bins: 40 }));
      if (s) summaries.value = { ...summaries.value, [id]: s };
    }
  }

  /** Imports a file on the engine's machine; progress arrives as events tagged with our request id. */
  async function importPath(path: string, opts: { name?: string; label?: string; maxJets?: number } = {}): Promise<DatasetInfo | undefined> {
    const requestId = `imp-${Date.now()}-${++importCounter}`;
    importing.value = { requestId, path, phase: 'starting', done: 0, total: 0 };
    const api = engine.client();
    const off = api.onImportProgress((ev) => {
      if (ev.requestId === requestId && importing.value) importing.value = { ...importing.value, phase: ev.phase, done: ev.done, total: ev.total };
    });
    try {
      const info = await engine.call((a) => a.importDataset({ path, requestId, ...opts }));
      if (info) {
        engine.notify('info', `Imported ${info.name}: ${info.nJets} jets, format ${info.format}.`);
        await refresh();
        await select(info.id);
      }
      return info;
    } finally {
      off();
      importing.value = null;
    }
  }

  async function remove(id: string): Promise<void> {
    const res = await engine.call((api) => api.deleteDataset({ datasetId: id }));
    if (res) {
      const { [id]: _gone, ...rest } = summaries.value;
      summaries.value = rest;
      overlayIds.value = overlayIds.value.filter((x) => x !== id);
      await refresh();
    }
  }

  return { datasets, summaries, selectedId, selected, selectedSummary, shownSummaries, overlayIds, importing, loaded, choices, refresh, init, select, toggleOverlay, importPath, remove };
});
