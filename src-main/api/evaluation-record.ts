// Turns per-jet scores of an evaluation (from the worker, or from `ebm-hep eval`) into a stored evaluation: score
// arrays as files (energy, EBM-CLF 1 − p(background|x), jet mass) and headline metrics (AUC, R30, R50) in the store.
import { auc, rejectionAt, rocCurve } from '../eval/roc.ts';
import { nowIso, type EvaluationRecord, type Store } from '../store/store.ts';

/** Per class, the energy (and EBM-CLF p(background|x)) and the jet mass [GeV] of each scored jet. */
export interface EvaluateTaskResult {
  classes: { name: string; role: 'background' | 'signal' | 'noise'; energy: Float32Array; massGeV: Float32Array; pBackground?: Float32Array }[];
}

/** Where an evaluated class came from: a dataset id of the store, or `file:<path>` for CLI evaluations. */
export interface EvaluatedClass {
  name: string;
  role: 'background' | 'signal';
  datasetId: string;
  label?: string | undefined;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function saveEvaluation(store: Store, evaluationId: string, runId: string, classes: EvaluatedClass[], res: EvaluateTaskResult): EvaluationRecord {
  const arrays: Parameters<Store['addEvaluation']>[1] = [];
  for (const c of res.classes) {
    arrays.push({ className: c.name, role: c.role, kind: 'energy', values: c.energy });
    arrays.push({ className: c.name, role: c.role, kind: 'massGeV', values: c.massGeV });
    // stored as the anomaly score 1 − p(background|x): higher = more anomalous, like the energy
    if (c.pBackground) arrays.push({ className: c.name, role: c.role, kind: 'pBackground', values: Float32Array.from(c.pBackground, (p) => 1 - p) });
  }
  const bg = res.classes.find((c) => c.role === 'background');
  if (!bg) throw new Error('saveEvaluation: no background class');
  const perSignal = res.classes
    .filter((c) => c.role === 'signal')
    .map((c) => {
      const roc = rocCurve(c.energy, bg.energy);
      return { signal: c.name, auc: auc(c.energy, bg.energy), r30: finiteOrNull(rejectionAt(roc, 0.3)), r50: finiteOrNull(rejectionAt(roc, 0.5)) };
    });
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of res.classes) {
    for (const v of c.energy) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const count = (name: string) => res.classes.find((c) => c.name === name)?.energy.length ?? 0;
  const bgc = classes.find((c) => c.role === 'background')!;
  const background = { datasetId: bgc.datasetId, nJets: count(bgc.name), ...(bgc.label ? { label: bgc.label } : {}) };
  const signals = classes.filter((c) => c.role === 'signal').map((c) => ({ name: c.name, datasetId: c.datasetId, nJets: count(c.name), ...(c.label ? { label: c.label } : {}) }));
  const rec: EvaluationRecord = {
    id: evaluationId,
    runId,
    background,
    signals,
    metrics: { perSignal, energyRange: lo <= hi ? [lo, hi] : [0, 0], scoreKinds: res.classes.some((c) => c.pBackground) ? ['energy', 'pBackground'] : ['energy'] },
    createdAt: nowIso(),
  };
  store.addEvaluation(rec, arrays);
  return rec;
}

/** CLI helper (`ebm-hep eval --run DIR`): stores an evaluation for the run directory (registered in place if new).
 *  Never throws: returns a one-line note for stderr. */
export async function registerEvaluationInStore(dbPath: string, runDir: string, classes: EvaluatedClass[], res: EvaluateTaskResult): Promise<string> {
  try {
    const { Store, newId } = await import('../store/store.ts');
    const { importRunDirectory } = await import('../store/import-run.ts');
    const store = new Store(dbPath);
    try {
      const run = importRunDirectory(store, runDir, { inPlace: true });
      const rec = saveEvaluation(store, newId('eval'), run.id, classes, res);
      return `stored evaluation ${rec.id} of run ${run.id} in ${store.dbPath}`;
    } finally {
      store.close();
    }
  } catch (err) {
    return `warning: could not store the evaluation in ${dbPath}: ${(err as Error).message}`;
  }
}
