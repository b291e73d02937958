// Renderer stores against a scripted engine: first-start sample import, import progress, hyper-parameter editing,
// live training curves from events, run filtering/comparison, and the coalescing energy-cut slider.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { CutAtEnergyResponse, DatasetInfo, ParamInfo, RunSummary } from '../../src-main/api/types.ts';
import { useEngineStore } from '../../renderer/stores/engine.ts';
import { dataChoices, useDatasetsStore } from '../../renderer/stores/datasets.ts';
import { parseParam, useTrainStore } from '../../renderer/stores/train.ts';
import { applyProgress, emptyLive, formatEta, globalStep, liveFromSeries, progressFraction } from '../../renderer/stores/live.ts';
import { matchesFilter, parseTags, useRunsStore } from '../../renderer/stores/runs.ts';
import { emptyPane, initialThreshold, paneMetrics, sliderRange, useAnomalyStore } from '../../renderer/stores/anomaly.ts';
import { fakeEngine } from './fake-engine.ts';

const info = { appVersion: '0.1.0', backends: ['cpu'], dbPath: '/tmp/x.sqlite', dataDir: '/tmp', transport: 'fake' };
const jobs = { running: null, queued: [] };

function dataset(id: string, labels: string[], isSample = true): DatasetInfo {
  return {
    id, name: id, sourcePath: `/s/${id}.h5`, format: 'hdf5-array', labels, labelCounts: Object.fromEntries(labels.map((l) => [l, 100])), nJets: 100 * labels.length,
    contentHash: 'ab'.repeat(32), settings: {}, isSample, importedAt: '2026-01-01T00:00:00Z', notes: [],
  };
}

function run(id: string, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id, name: id, kind: 'ebm', preset: 'tiny', status: 'done', seed: 1, appVersion: '0.1.0', createdAt: '2026-01-01T00:00:00Z', tags: [], notes: '',
    runDir: `/r/${id}`, keyParams: { layers: 1 }, headline: {}, data: [], ...over,
  };
}

beforeEach(() => setActivePinia(createPinia()));

describe('engine + datasets stores', () => {
  it('imports the embedded sample on first start, lists and inspects the first dataset', async () => {
    const fe = fakeEngine({
      getEngineInfo: () => info,
      listJobs: () => jobs,
      ensureSampleDatasets: () => ({ datasets: [dataset('sample', ['qcd', 'w'])], imported: 1 }),
      listDatasets: () => [dataset('sample', ['qcd', 'w'])],
      inspectDataset: (req: { datasetId: string }) => ({ dataset: dataset(req.datasetId, ['qcd', 'w']), format: 'hdf5-array', perLabel: [] }),
    });
    const engine = useEngineStore();
    expect(await engine.connect(fe.api)).toBe(true);
    const ds = useDatasetsStore();
    await ds.init();
    expect(fe.calls.map((c) => c.method)).toEqual(['getEngineInfo', 'listJobs', 'ensureSampleDatasets', 'listDatasets', 'inspectDataset']);
    expect(ds.selectedId).toBe('sample');
    expect(ds.selectedSummary?.format).toBe('hdf5-array');
    expect(ds.choices.map((c) => c.label)).toEqual(['qcd', 'w']);
  });

  it('follows import progress for its own request and reports failures as notices with hints', async () => {
    let seen: unknown = null;
    const fe = fakeEngine({
      getEngineInfo: () => info,
      listJobs: () => jobs,
      importDataset: async (req: { requestId: string; path: string }) => {
        fe.emit('onImportProgress', { requestId: 'someone-else', path: 'x', phase: 'reading', done: 9, total: 10 });
        fe.emit('onImportProgress', { requestId: req.requestId, path: req.path, phase: 'reading', done: 5, total: 10 });
        seen = { ...useDatasetsStore().importing };
        throw { code: 'BAD_INPUT', message: '/d/x.h5: no jets found', hint: 'Check the dataset name.' };
      },
    });
    const engine = useEngineStore();
    await engine.connect(fe.api);
    const ds = useDatasetsStore();
    const res = await ds.importPath('/d/x.h5');
    expect(res).toBeUndefined();
    expect(seen).toMatchObject({ phase: 'reading', done: 5, total: 10, path: '/d/x.h5' });
    expect(ds.importing).toBeNull();
    expect(engine.notices.at(-1)).toMatchObject({ kind: 'error', message: '/d/x.h5: no jets found', hint: 'Check the dataset name.' });
  });

  it('a connection failure is kept for the start screen', async () => {
    const engine = useEngineStore();
    expect(await engine.connect(async () => Promise.reject({ code: 'UNAUTHORIZED', message: 'bad token' }))).toBe(false);
    expect(engine.connectError?.code).toBe('UNAUTHORIZED');
  });

  it('offers one choice per label of multi-label datasets', () => {
    const c = dataChoices([dataset('a', ['qcd']), dataset('b', ['qcd', 'top'])]);
    expect(c.map((x) => x.key)).toEqual(['a:qcd', 'b:qcd', 'b:top']);
  });
});

describe('train store', () => {
  const p = (over: Partial<ParamInfo>): ParamInfo => ({ key: 'k', default: 1, meaning: '', type: 'number', ...over });
  it('parses and checks hyper-parameters the way the form needs', () => {
    expect(parseParam(p({ type: 'integer', min: 1 }), '3').value).toBe(3);
    expect(parseParam(p({ type: 'integer', min: 1 }), '2.5').error).toMatch(/whole number/);
    expect(parseParam(p({ type: 'integer', min: 1 }), '0').error).toMatch(/≥ 1/);
    expect(parseParam(p({ type: 'number' }), 'abc').error).toMatch(/number/);
    expect(parseParam(p({ type: 'number[]' }), '1, 0.5 0.2').value).toEqual([1, 0.5, 0.2]);
    expect(parseParam(p({ type: 'boolean' }), 'false').value).toBe(false);
    expect(parseParam(p({ type: 'choice', choices: ['a', 'b'] }), 'c').error).toMatch(/one of a, b/);
  });

  it('sends only the parameters that differ from the preset, and blocks invalid ones', async () => {
    const fe = fakeEngine({
      getEngineInfo: () => info,
      listJobs: () => jobs,
      listPresets: () => [{ name: 'tiny', description: '', config: {}, params: [p({ key: 'train.epochs', default: 2, type: 'integer', min: 1 }), p({ key: 'train.lr', default: 1e-4 })] }],
      createRun: (req: unknown) => ({ ...run('r1'), config: {}, checkpoints: [], samples: [], evaluations: [], req }),
    });
    await useEngineStore().connect(fe.api);
    const tr = useTrainStore();
    await tr.loadPresets();
    expect(tr.presetName).toBe('tiny');
    tr.setEdit('train.epochs', '3');
    tr.setEdit('train.lr', '0.0001');
    expect(tr.overrides).toEqual({ 'train.epochs': 3 });
    tr.setEdit('train.epochs', '-1');
    expect(await tr.start([{ datasetId: 'd', label: 'qcd' }])).toBeUndefined();
    tr.setEdit('train.epochs', '3');
    const created = await tr.start([{ datasetId: 'd', label: 'qcd' }]);
    expect(created?.id).toBe('r1');
    expect(fe.calls.find((c) => c.method === 'createRun')?.req).toMatchObject({ kind: 'ebm', preset: 'tiny', overrides: { 'train.epochs': 3 }, data: [{ datasetId: 'd', label: 'qcd' }], start: true });
    // Live curves follow this run's progress events only.
    fe.emit('onRunProgress', { runId: 'r1', type: 'step', epoch: 1, step: 1, stepsPerEpoch: 4, losses: { loss: 0.5 }, ePos: -1, eNeg: 1, lr: 1e-4 });
    fe.emit('onRunProgress', { runId: 'other', type: 'step', epoch: 1, step: 1, stepsPerEpoch: 4, losses: { loss: 9 }, ePos: 0, eNeg: 0, lr: 1e-4 });
    expect(tr.live?.steps.y.loss).toEqual([0.5]);
    fe.emit('onRunStatus', { runId: 'r1', status: 'failed', reason: 'diverged' });
    expect(tr.watchedRun?.status).toBe('failed');
    expect(tr.watchedRun?.statusReason).toBe('diverged');
  });
});

describe('train store: events that beat the createRun reply', () => {
  it('keeps the newer status and the first steps', async () => {
    const fe = fakeEngine({
      getEngineInfo: () => info,
      listJobs: () => jobs,
      listPresets: () => [{ name: 'tiny', description: '', config: {}, params: [] }],
      createRun: () => {
        fe.emit('onRunStatus', { runId: 'r9', status: 'running' });
        fe.emit('onRunProgress', { runId: 'r9', type: 'step', epoch: 1, step: 1, stepsPerEpoch: 4, losses: { loss: 2 }, ePos: 0, eNeg: 1, lr: 1e-3 });
        return { ...run('r9', { status: 'queued' }), config: {}, checkpoints: [], samples: [], evaluations: [] };
      },
    });
    await useEngineStore().connect(fe.api);
    const tr = useTrainStore();
    await tr.loadPresets();
    await tr.start([{ datasetId: 'd' }]);
    expect(tr.watchedRun?.status).toBe('running');
    expect(tr.live?.steps.y.loss).toEqual([2]);
  });
});

describe('live training state', () => {
  it('aligns loss terms that appear later and records epoch metrics and the mass histogram', () => {
    const live = emptyLive('r');
    applyProgress(live, { runId: 'r', type: 'step', epoch: 1, step: 1, stepsPerEpoch: 2, losses: { loss: 1 }, ePos: -1, eNeg: 2, lr: 0.1, etaSeconds: 30 });
    applyProgress(live, { runId: 'r', type: 'step', epoch: 1, step: 2, stepsPerEpoch: 2, losses: { loss: 0.5, kl: 0.1 }, ePos: -2, eNeg: 3, lr: 0.1 });
    applyProgress(live, { runId: 'r', type: 'epoch', epoch: 1, epochs: 4, metrics: { jsdMass: 0.2 }, massHistogram: { edges: [0, 1, 2], data: [1, 2], generated: [2, 1] } });
    applyProgress(live, { runId: 'r', type: 'step', epoch: 2, step: 1, stepsPerEpoch: 2, losses: { loss: 0.25 }, ePos: -2, eNeg: 3, lr: 0.1 });
    expect(live.steps.x).toEqual([1, 2, 3]);
    expect(live.steps.y.loss).toEqual([1, 0.5, 0.25]);
    expect(live.steps.y.kl).toEqual([NaN, 0.1, NaN]);
    expect(live.epochs.y.jsdMass).toEqual([0.2]);
    expect(live.massHistogram?.epoch).toBe(1);
    expect(live.progress).toMatchObject({ epoch: 2, epochs: 4, step: 1 });
    expect(progressFraction(live.progress)).toBeCloseTo(3 / 8);
  });
  it('treats a step beyond one epoch as already global', () => {
    expect(globalStep({ epoch: 3, step: 25, stepsPerEpoch: 10 })).toBe(25);
    expect(globalStep({ epoch: 3, step: 5, stepsPerEpoch: 10 })).toBe(25);
  });
  it('rebuilds the state from stored series', () => {
    const live = liveFromSeries('r', [
      { runId: 'r', runName: 'r', per: 'step', name: 'loss', x: [1, 2], y: [3, 4] },
      { runId: 'r', runName: 'r', per: 'step', name: 'ePos', x: [2], y: [-1] },
      { runId: 'r', runName: 'r', per: 'epoch', name: 'jsdMass', x: [1], y: [0.3] },
    ]);
    expect(live.steps.x).toEqual([1, 2]);
    expect(live.steps.y.ePos).toEqual([NaN, -1]);
    expect(live.epochs.y.jsdMass).toEqual([0.3]);
  });
  it('formats ETAs for people', () => {
    expect(formatEta(12.4)).toBe('12 s');
    expect(formatEta(250)).toBe('4 min 10 s');
    expect(formatEta(3900)).toBe('1 h 05 min');
    expect(formatEta(undefined)).toBe('—');
  });
});

describe('runs store', () => {
  it('filters by text, status, kind and tag', () => {
    const r = run('a', { name: 'QCD baseline', tags: ['paper'], notes: 'lr scan' });
    const f = { search: '', status: '' as const, kind: '' as const, tag: '' };
    expect(matchesFilter(r, { ...f, search: 'LR SCAN' })).toBe(true);
    expect(matchesFilter(r, { ...f, search: 'top' })).toBe(false);
    expect(matchesFilter(r, { ...f, tag: 'paper' })).toBe(true);
    expect(matchesFilter(r, { ...f, kind: 'ebm-clf' })).toBe(false);
    expect(parseTags('a, b  a,c')).toEqual(['a', 'b', 'c']);
  });
  it('compares only with two or more runs selected, and updates renamed runs in place', async () => {
    const fe = fakeEngine({
      getEngineInfo: () => info,
      listJobs: () => jobs,
      listRuns: () => [run('a'), run('b')],
      renameRun: (req: { runId: string; name: string }) => run(req.runId, { name: req.name }),
      compareRuns: (req: { runIds: string[] }) => ({ runs: req.runIds.map((id) => run(id)), configDiff: [{ key: 'model.layers', values: [1, 2] }], metrics: [] }),
      getMetricSeries: () => ({ series: [] }),
    });
    const engine = useEngineStore();
    await engine.connect(fe.api);
    const runs = useRunsStore();
    await runs.refresh();
    runs.toggleSelected('a');
    await runs.compare();
    expect(runs.comparison).toBeNull();
    expect(engine.notices.at(-1)?.message).toMatch(/at least two/);
    runs.toggleSelected('b');
    await runs.compare();
    expect(runs.comparison?.configDiff).toEqual([{ key: 'model.layers', values: [1, 2] }]);
    await runs.rename('a', '  new name ');
    expect(runs.runs.find((r) => r.id === 'a')?.name).toBe('new name');
    fe.emit('onRunStatus', { runId: 'b', status: 'failed', reason: 'x' });
    expect(runs.runs.find((r) => r.id === 'b')?.status).toBe('failed');
  });
});

describe('anomaly store', () => {
  it('starts the cut at 10 % background acceptance', () => {
    const pane = { ...emptyPane(), sculpting: { massEdges: [], uncut: [], curves: [{ acceptance: 0.1, threshold: 4.2, n: 1, counts: [], jsd: 0 }] } };
    expect(initialThreshold(pane)).toBe(4.2);
    expect(initialThreshold({ ...emptyPane(), evaluation: { energyRange: [0, 10] } as never })).toBe(5);
  });
  it('slides over the binned range of the chosen score and reports that score’s AUC', () => {
    const pane = { ...emptyPane(), score: 'pBackground' as const, evaluation: { energyRange: [-5, 3], metrics: [{ signal: 'top', auc: 0.5, r30: 2, r50: 1 }] } as never };
    expect(sliderRange(pane)).toEqual([0, 1]);
    expect(paneMetrics(pane)[0]?.auc).toBe(0.5);
    const withData = { ...pane, energy: { edges: [0, 0.05, 0.1], classes: [] }, roc: { curves: [{ signal: 'top', epsS: [], epsB: [], auc: 0.61, r30: 3, r50: null }] } };
    expect(sliderRange(withData)).toEqual([0, 0.1]);
    expect(paneMetrics(withData)).toEqual([{ signal: 'top', auc: 0.61, r30: 3, r50: null }]);
  });
  it('coalesces slider moves: while one cut query runs, only the latest position is sent next', async () => {
    const pending: ((r: CutAtEnergyResponse) => void)[] = [];
    const answer = (t: number): CutAtEnergyResponse => ({ threshold: t, epsB: t / 10, signals: [{ name: 'w', epsS: t / 5 }], massEdges: [0, 1], passing: [1], uncut: [2], nPassing: 1, jsd: 0 });
    const fe = fakeEngine({
      getEngineInfo: () => info,
      listJobs: () => jobs,
      cutAtEnergy: (req: { threshold: number }) => new Promise<CutAtEnergyResponse>((res) => pending.push(() => res(answer(req.threshold)))),
    });
    await useEngineStore().connect(fe.api);
    const an = useAnomalyStore();
    an.panes[0]!.evaluation = { id: 'e1' } as never;
    const first = an.setThreshold(0, 1);
    void an.setThreshold(0, 2);
    void an.setThreshold(0, 3);
    expect(an.panes[0]!.threshold).toBe(3);
    await Promise.resolve();
    pending.shift()!(answer(1));
    await new Promise((r) => setTimeout(r, 0));
    pending.shift()!(answer(3));
    await first;
    const sent = fe.calls.filter((c) => c.method === 'cutAtEnergy').map((c) => (c.req as { threshold: number }).threshold);
    expect(sent).toEqual([1, 3]);
    expect(an.panes[0]!.cut?.threshold).toBe(3);
    expect(an.panes[0]!.cut?.signals[0]?.epsS).toBeCloseTo(0.6);
  });
});
