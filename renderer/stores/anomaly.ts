// The Anomaly view's state: up to two runs side by side, each with its evaluation (ROC, energy distributions,
// sculpting, score–mass correlation) and a live energy cut. Cut queries coalesce: while one is in flight only the
// latest slider position is sent next, so dragging stays smooth and the shown numbers always match the slider.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  CutAtEnergyResponse,
  EnergyHistogramsResponse,
  EvaluationInfo,
  GetRocResponse,
  ScoreKind,
  ScoreMassCorrelationResponse,
  SculptingResponse,
} from '../../src-main/api/types.ts';
import { useEngineStore } from './engine.ts';

export const ACCEPTANCE_RATES = [1, 0.5, 0.2, 0.1, 0.05];

export interface AnomalyPane {
  runId: string;
  evaluation: EvaluationInfo | null;
  score: ScoreKind;
  roc: GetRocResponse | null;
  energy: EnergyHistogramsResponse | null;
  sculpting: SculptingResponse | null;
  correlation: ScoreMassCorrelationResponse | null;
  threshold: number | null;
  cut: CutAtEnergyResponse | null;
  loading: boolean;
  evaluating: boolean;
}

export function emptyPane(): AnomalyPane {
  return { runId: '', evaluation: null, score: 'energy', roc: null, energy: null, sculpting: null, correlation: null, threshold: null, cut: null, loading: false, evaluating: false };
}

/** The slider's range for a pane: the binned range of the chosen score (so 1 − p(QCD) piled up near 0 still gets
 *  the whole slider), else the evaluation's energy range. */
export function sliderRange(pane: AnomalyPane): [number, number] {
  const edges = pane.energy?.edges;
  if (edges && edges.length > 1 && edges.at(-1)! > edges[0]!) return [edges[0]!, edges.at(-1)!];
  if (pane.score === 'pBackground') return [0, 1];
  return pane.evaluation?.energyRange ?? [0, 1];
}

/** AUC / R30 / R50 per signal for the chosen score (the ROC answer), else the evaluation's energy metrics. */
export function paneMetrics(pane: AnomalyPane): { signal: string; auc: number; r30: number | null; r50: number | null }[] {
  if (pane.roc?.curves.length) return pane.roc.curves.map((c) => ({ signal: c.signal, auc: c.auc, r30: c.r30, r50: c.r50 }));
  return pane.evaluation?.metrics ?? [];
}

/** A starting cut: the threshold that keeps 10 % of the background, else the middle of the range. */
export function initialThreshold(pane: AnomalyPane): number {
  const at10 = pane.sculpting?.curves.find((c) => Math.abs(c.acceptance - 0.1) < 1e-9);
  if (at10 && Number.isFinite(at10.threshold)) return at10.threshold;
  const [lo, hi] = sliderRange(pane);
  return (lo + hi) / 2;
}

export const useAnomalyStore = defineStore('anomaly', () => {
  const engine = useEngineStore();
  const panes = ref<AnomalyPane[]>([emptyPane(), emptyPane()]);
  const backgroundKey = ref('');
  const signalKeys = ref<string[]>([]);
  const maxJets = ref(2000);
  const inFlight = [false, false];
  const pending: (number | null)[] = [null, null];

  async function setRun(i: number, runId: string): Promise<void> {
    panes.value[i] = { ...emptyPane(), runId };
    if (!runId) return;
    panes.value[i]!.loading = true;
    const run = await engine.call((api) => api.getRun({ runId }));
    panes.value[i]!.loading = false;
    const latest = run?.evaluations.at(-1);
    if (latest && panes.value[i]!.runId === runId) await loadEvaluation(i, latest);
  }

  async function evaluate(i: number, background: { datasetId: string; label?: string }, signals: { datasetId: string; label?: string; name?: string }[]): Promise<void> {
    const pane = panes.value[i]!;
    if (!pane.runId) return;
    if (!signals.length) {
      engine.notify('error', 'Choose at least one signal sample.', 'For the embedded sample: W or top jets.');
      return;
    }
    pane.evaluating = true;
    try {
      const res = await engine.call((api) => api.evaluateRun({ runId: pane.runId, background, signals, maxJets: maxJets.value, wait: true }));
      if (res?.evaluation) await loadEvaluation(i, res.evaluation);
    } finally {
      panes.value[i]!.evaluating = false;
    }
  }

  async function loadEvaluation(i: number, evaluation: EvaluationInfo, score?: ScoreKind): Promise<void> {
    const pane = panes.value[i]!;
    pane.evaluation = evaluation;
    pane.score = score ?? (evaluation.scoreKinds.includes(pane.score) ? pane.score : 'energy');
    pane.loading = true;
    const sel = { evaluationId: evaluation.id, score: pane.score };
    const [roc, energy, sculpting, correlation] = await Promise.all([
      engine.call((api) => api.getRoc(sel)),
      engine.call((api) => api.getEnergyHistograms({ ...sel, bins: 50 })),
      engine.call((api) => api.getSculpting({ ...sel, acceptanceRates: ACCEPTANCE_RATES })),
      engine.call((api) => api.getScoreMassCorrelation({ ...sel, bins: 30 })),
    ]);
    const p = panes.value[i]!;
    if (p.evaluation?.id !== evaluation.id) return;
    Object.assign(p, { roc: roc ?? null, energy: energy ?? null, sculpting: sculpting ?? null, correlation: correlation ?? null, loading: false });
    await setThreshold(i, initialThreshold(p));
  }

  /** Moves the cut; the engine answers ε_S, ε_B and the passing background's mass histogram. */
  async function setThreshold(i: number, threshold: number): Promise<void> {
    const pane = panes.value[i]!;
    pane.threshold = threshold;
    if (!pane.evaluation) return;
    if (inFlight[i]) {
      pending[i] = threshold;
      return;
    }
    inFlight[i] = true;
    try {
      let t: number | null = threshold;
      while (t !== null) {
        pending[i] = null;
        const evaluationId = pane.evaluation.id;
        const res = await engine.call((api) => api.cutAtEnergy({ evaluationId, score: pane.score, threshold: t! }));
        const p = panes.value[i]!;
        if (res && p.evaluation?.id === evaluationId && pending[i] === null) p.cut = res;
        t = pending[i];
      }
    } finally {
      inFlight[i] = false;
    }
  }

  return { panes, backgroundKey, signalKeys, maxJets, setRun, evaluate, loadEvaluation, setThreshold };
});
