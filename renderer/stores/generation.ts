// The Generation view's state: which run, its latest sample's data-vs-generated histograms and jet images, and
// generating a new sample by long-run Langevin.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { GenerationHistogramsResponse } from '../../src-main/api/types.ts';
import { useEngineStore } from './engine.ts';

export const useGenerationStore = defineStore('generation', () => {
  const engine = useEngineStore();
  const runId = ref<string>('');
  const result = ref<GenerationHistogramsResponse | null>(null);
  const generating = ref(false);
  const loading = ref(false);
  const nJets = ref(500);
  const steps = ref(200);

  async function load(id: string): Promise<void> {
    runId.value = id;
    result.value = null;
    if (!id) return;
    loading.value = true;
    try {
      const run = await engine.call((api) => api.getRun({ runId: id }));
      if (!run || run.samples.length === 0) return; // nothing generated yet: the view offers to generate
      const res = await engine.call((api) => api.getGenerationHistograms({ runId: id, bins: 40 }));
      if (res && runId.value === id) result.value = res;
    } finally {
      loading.value = false;
    }
  }

  async function generate(): Promise<void> {
    const id = runId.value;
    if (!id) return;
    generating.value = true;
    try {
      const res = await engine.call((api) => api.generateSamples({ runId: id, nJets: nJets.value, steps: steps.value, wait: true }));
      if (res?.sample) {
        const h = await engine.call((api) => api.getGenerationHistograms({ runId: id, sampleId: res.sample!.id, bins: 40 }));
        if (h && runId.value === id) result.value = h;
      }
    } finally {
      generating.value = false;
    }
  }

  return { runId, result, generating, loading, nJets, steps, load, generate };
});
