// Every plot the user has looked at (title → the ECharts option it shows), and the figure settings used to export
// them (size in inches, dpi). The Export view lists these; each plot's own toolbar uses the same settings.
import { defineStore } from 'pinia';
import { ref, shallowRef, triggerRef } from 'vue';
import { DEFAULT_FIGURE, type FigureSettings } from '../export/figure.ts';

export interface FigureEntry {
  id: string;
  title: string;
  /** Which view it belongs to, e.g. 'Anomaly'. */
  view: string;
  option: Record<string, unknown>;
  updatedAt: number;
}

export const useFiguresStore = defineStore('figures', () => {
  const settings = ref<FigureSettings>({ ...DEFAULT_FIGURE });
  const entries = shallowRef<Map<string, FigureEntry>>(new Map());
  const lastExport = ref<{ filename: string; bytes: number } | null>(null);

  function register(id: string, title: string, view: string, option: Record<string, unknown>): void {
    entries.value.set(id, { id, title, view, option, updatedAt: Date.now() });
    triggerRef(entries);
  }

  function list(): FigureEntry[] {
    return [...entries.value.values()].sort((a, b) => a.view.localeCompare(b.view) || a.title.localeCompare(b.title));
  }

  return { settings, entries, lastExport, register, list };
});
