// The Runs view's state: all runs with filter/search, rename/tag/note/delete, and the comparison of selected runs
// (overlaid metric curves, config diff of only what differs, headline metrics side by side).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CompareRunsResponse, MetricSeries, RunKind, RunStatus, RunSummary } from '../../src-main/api/types.ts';
import { useEngineStore } from './engine.ts';

export interface RunFilter {
  search: string;
  status: RunStatus | '';
  kind: RunKind | '';
  tag: string;
}

/** Splits "a, b  c" into unique trimmed tags. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[,\s]+/).map((t) => t.trim()).filter(Boolean))];
}

/** The same filter the engine applies, used to filter the already loaded list as the user types. */
export function matchesFilter(r: RunSummary, f: RunFilter): boolean {
  if (f.status && r.status !== f.status) return false;
  if (f.kind && r.kind !== f.kind) return false;
  if (f.tag && !r.tags.includes(f.tag)) return false;
  const q = f.search.trim().toLowerCase();
  if (q) {
    const hay = [r.name, r.notes, r.preset, r.kind, ...r.tags].join(' ').toLowerCase();
    if (!hay.includes(q)) return false;
  }
  return true;
}

export const useRunsStore = defineStore('runs', () => {
  const engine = useEngineStore();
  const runs = ref<RunSummary[]>([]);
  const filter = ref<RunFilter>({ search: '', status: '', kind: '', tag: '' });
  const selectedIds = ref<string[]>([]);
  const comparison = ref<CompareRunsResponse | null>(null);
  const compareSeries = ref<MetricSeries[]>([]);
  const loading = ref(false);
  let offStatus: (() => void) | null = null;

  const visible = computed(() => runs.value.filter((r) => matchesFilter(r, filter.value)));
  const allTags = computed(() => [...new Set(runs.value.flatMap((r) => r.tags))].sort());

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const list = await engine.call((api) => api.listRuns({}));
      if (list) runs.value = list;
      selectedIds.value = selectedIds.value.filter((id) => runs.value.some((r) => r.id === id));
    } finally {
      loading.value = false;
    }
    offStatus ??= engine.client().onRunStatus((ev) => {
      const r = runs.value.find((x) => x.id === ev.runId);
      if (r) {
        r.status = ev.status;
        r.statusReason = ev.reason;
      } else void refresh();
    });
  }

  function replace(updated: RunSummary): void {
    runs.value = runs.value.map((r) => (r.id === updated.id ? updated : r));
  }

  async function rename(runId: string, name: string): Promise<void> {
    const r = await engine.call((api) => api.renameRun({ runId, name: name.trim() }));
    if (r) replace(r);
  }

  async function setTags(runId: string, tags: string[]): Promise<void> {
    const r = await engine.call((api) => api.tagRun({ runId, tags }));
    if (r) replace(r);
  }

  async function setNotes(runId: string, notes: string): Promise<void> {
    const r = await engine.call((api) => api.noteRun({ runId, notes }));
    if (r) replace(r);
  }

  async function remove(runId: string): Promise<void> {
    const r = await engine.call((api) => api.deleteRun({ runId }));
    if (r) {
      runs.value = runs.value.filter((x) => x.id !== runId);
      selectedIds.value = selectedIds.value.filter((id) => id !== runId);
      if (comparison.value?.runs.some((x) => x.id === runId)) comparison.value = null;
    }
  }

  function toggleSelected(runId: string): void {
    selectedIds.value = selectedIds.value.includes(runId) ? selectedIds.value.filter((id) => id !== runId) : [...selectedIds.value, runId];
  }

  async function compare(): Promise<void> {
    if (selectedIds.value.length < 2) {
      engine.notify('error', 'Select at least two runs to compare.', 'Tick the boxes in the first column of the table.');
      return;
    }
    const runIds = [...selectedIds.value];
    const [cmp, series] = await Promise.all([
      engine.call((api) => api.compareRuns({ runIds })),
      engine.call((api) => api.getMetricSeries({ runIds, maxPoints: 500 })),
    ]);
    if (cmp) comparison.value = cmp;
    compareSeries.value = series?.series ?? [];
  }

  return { runs, filter, visible, allTags, selectedIds, comparison, compareSeries, loading, refresh, rename, setTags, setNotes, remove, toggleSelected, compare };
});
