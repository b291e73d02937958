// The EngineApi contract, run with the same assertions against the in-process engine and the web transport
// (ebm-hep serve's HTTP + WebSocket through the browser client): datasets, presets, runs, metrics, evaluation
// queries, export, typed errors and events.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultEngine } from '../../src-main/api/default-bridges.ts';
import type { Engine } from '../../src-main/api/engine.ts';
import { createHttpClient, type HttpEngineClient } from '../../src-main/api/http-client.ts';
import type { EngineApi, ImportProgressEvent } from '../../src-main/api/types.ts';
import { sampleFiles } from '../../src-main/data/sample.ts';
import { startServer, type RunningServer } from '../../src-main/server/server.ts';
import { Rng } from '../../src-main/util/rng.ts';

interface Harness {
  api: EngineApi;
  engine: Engine;
  /** Waits until events reach this client (web: the socket is registered). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

async function inProcess(dir: string): Promise<Harness> {
  const engine = createDefaultEngine({ dbPath: join(dir, 'ebm.sqlite') });
  return { api: engine, engine, ready: async () => undefined, close: () => engine.close() };
}

async function web(dir: string): Promise<Harness> {
  const engine = createDefaultEngine({ dbPath: join(dir, 'ebm.sqlite'), transport: 'web' });
  const server: RunningServer = await startServer({ engine, port: 0, staticDir: dir });
  const client: HttpEngineClient = createHttpClient({ baseUrl: server.url, token: server.token, WebSocket: WebSocket as never });
  return {
    api: client,
    engine,
    ready: () => client.eventsReady(),
    close: async () => {
      client.close();
      await server.close();
      await engine.close();
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; hint?: string; where?: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected the call to fail');
}

describe.each([
  ['in-process', inProcess],
  ['web', web],
] as const)('EngineApi contract (%s)', (_name, make) => {
  let dir: string;
  let h: Harness;
  let api: EngineApi;
  let datasetId = '';
  let runA = '';
  let runB = '';
  let evaluationId = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ebm-contract-'));
    h = await make(dir);
    api = h.api;
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a dataset with progress events, lists and inspects it (binned per label)', async () => {
    const progress: ImportProgressEvent[] = [];
    const off = api.onImportProgress((ev) => progress.push(ev));
    await h.ready();
    const ds = await api.importDataset({ path: sampleFiles().qcd, label: 'qcd', maxJets: 300, name: 'qcd-300', requestId: 'imp-1' });
    expect(ds).toMatchObject({ name: 'qcd-300', nJets: 300, labels: ['qcd'], labelCounts: { qcd: 300 }, isSample: false });
    expect(ds.contentHash).toMatch(/^[0-9a-f]{64}$/);
    datasetId = ds.id;
    await new Promise((r) => setTimeout(r, 100));
    off();
    expect(progress.some((p) => p.requestId === 'imp-1' && p.phase === 'done' && p.done === 300)).toBe(true);
    expect((await api.listDatasets()).map((d) => d.id)).toEqual([ds.id]);
    const summary = await api.inspectDataset({ datasetId: ds.id, bins: 20 });
    expect(summary.perLabel).toHaveLength(1);
    const q = summary.perLabel[0]!;
    expect(q.label).toBe('qcd');
    expect(q.massGeV.counts).toHaveLength(20);
    expect(q.massGeV.edges).toHaveLength(21);
    expect(q.massGeV.counts.reduce((a, b) => a + b, 0)).toBe(300);
    expect(q.ptGeV.counts.reduce((a, b) => a + b, 0)).toBe(300);
    expect(q.multiplicity.counts.reduce((a, b) => a + b, 0)).toBe(300);
  });

  it('rejects bad requests and unknown ids with typed, human-readable errors', async () => {
    const bad = await rejection(api.getRun({ runId: 42 as unknown as string }));
    expect(bad.code).toBe('BAD_INPUT');
    expect(bad.where).toBe('runId');
    expect(bad.message).toMatch(/runId/);
    const missing = await rejection(api.getRun({ runId: 'run-nope' }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', where: 'run-nope' });
    expect(missing.hint).toBeTruthy();
    const noFile = await rejection(api.importDataset({ path: join(dir, 'absent.h5') }));
    expect(noFile.code).toBe('NOT_FOUND');
    const extra = await rejection(api.listRuns({ colour: 'red' } as never));
    expect(extra.code).toBe('BAD_INPUT');
  });

  it('lists presets with every parameter default and meaning, and creates runs from preset + overrides', async () => {
    const presets = await api.listPresets();
    expect(presets.map((p) => p.name)).toEqual(expect.arrayContaining(['tiny', 'laptop', 'paper']));
    const paper = presets.find((p) => p.name === 'paper')!;
    const layers = paper.params.find((p) => p.key === 'model.layers')!;
    expect(layers.default).toBe(8);
    expect(layers.meaning).toMatch(/paper 8/);
    expect(paper.params.find((p) => p.key === 'langevin.stepSize')!.default).toBe(0.1);
    const a = await api.createRun({ kind: 'ebm', preset: 'tiny', data: [{ datasetId }], seed: 5, name: 'alpha', overrides: { 'model.layers': 1 } });
    expect(a).toMatchObject({ name: 'alpha', status: 'created', kind: 'ebm', preset: 'tiny', seed: 5 });
    expect((a.config.model as { layers: number }).layers).toBe(1);
    expect(a.keyParams['model.layers']).toBe(1);
    runA = a.id;
    const b = await api.createRun({ kind: 'ebm', preset: 'tiny', data: [{ datasetId }], seed: 6, name: 'beta' });
    runB = b.id;
    const badOverride = await rejection(api.createRun({ kind: 'ebm', preset: 'tiny', data: [{ datasetId }], overrides: { 'model.heads': 3 } }));
    expect(badOverride.code).toBe('BAD_INPUT');
    expect(badOverride.message).toMatch(/heads/);
    const badPreset = await rejection(api.createRun({ kind: 'ebm', preset: 'huge', data: [{ datasetId }] }));
    expect(badPreset).toMatchObject({ code: 'BAD_INPUT' });
    const oneClass = await rejection(api.createRun({ kind: 'ebm-clf', preset: 'tiny', data: [{ datasetId }] }));
    expect(oneClass).toMatchObject({ code: 'BAD_INPUT', where: 'data' });
    const top = await api.importDataset({ path: sampleFiles().top, label: 'top', maxJets: 50 });
    const clf = await api.createRun({ kind: 'ebm-clf', preset: 'tiny', data: [{ datasetId }, { datasetId: top.id }] });
    expect((clf.config.model as { outputs: number }).outputs).toBe(2);
    expect(clf.data).toEqual([{ datasetId, label: 'qcd' }, { datasetId: top.id, label: 'top' }]);
    await api.deleteRun({ runId: clf.id });
    await api.deleteDataset({ datasetId: top.id });
    const notRunning = await rejection(api.stopRun({ runId: runA }));
    expect(notRunning.code).toBe('CONFLICT');
    const notResumable = await rejection(api.resumeRun({ runId: runA }));
    expect(notResumable.code).toBe('CONFLICT');
  });

  it('renames, tags, notes, filters and compares runs (config diff shows only what differs)', async () => {
    expect((await api.renameRun({ runId: runA, name: 'alpha-1' })).name).toBe('alpha-1');
    expect((await api.tagRun({ runId: runA, tags: ['w-tag', 'best', 'best'] })).tags).toEqual(['w-tag', 'best']);
    expect((await api.noteRun({ runId: runB, notes: 'lower lr next' })).notes).toBe('lower lr next');
    expect((await api.listRuns({ tags: ['best'] })).map((r) => r.id)).toEqual([runA]);
    expect((await api.listRuns({ search: 'LOWER LR' })).map((r) => r.id)).toEqual([runB]);
    expect((await api.listRuns()).length).toBe(2);
    expect((await api.listRuns({ status: ['running'] })).length).toBe(0);
    const cmp = await api.compareRuns({ runIds: [runA, runB] });
    expect(cmp.runs.map((r) => r.id)).toEqual([runA, runB]);
    const keys = cmp.configDiff.map((d) => d.key);
    expect(keys).toContain('model.layers');
    expect(keys).toContain('seed');
    expect(keys).not.toContain('model.dModel');
    expect(cmp.configDiff.find((d) => d.key === 'model.layers')!.values).toEqual([1, 2]);
  });

  it('serves metric series for several runs (thinned) and exports them as CSV', async () => {
    for (let s = 0; s < 50; s++) h.engine.store.addMetrics(runA, 'step', s, { loss: 1 / (s + 1), ePos: -s });
    h.engine.store.addMetrics(runA, 'epoch', 1, { jsdMass: 0.2 });
    h.engine.store.addMetrics(runB, 'epoch', 1, { jsdMass: 0.3 });
    const res = await api.getMetricSeries({ runIds: [runA, runB], names: ['loss', 'jsdMass'], maxPoints: 10 });
    const loss = res.series.find((s) => s.runId === runA && s.name === 'loss')!;
    expect(loss.per).toBe('step');
    expect(loss.x.length).toBe(10);
    expect(loss.y[0]).toBeGreaterThan(loss.y[9]!);
    expect(res.series.filter((s) => s.name === 'jsdMass').map((s) => s.y[0])).toEqual([0.2, 0.3]);
    const csv = await api.exportSeriesCsv({ title: 'jsd mass', metrics: { runIds: [runA, runB], names: ['jsdMass'] }, series: [{ name: 'mine, quoted', x: [1, 2], y: [3, 4] }] });
    expect(csv.filename).toBe('jsd_mass.csv');
    expect(csv.csv.split('\n')).toEqual(['series,x,y', '"mine, quoted",1,3', '"mine, quoted",2,4', 'alpha-1:jsdMass,1,0.2', 'beta:jsdMass,1,0.3', '']);
    const cmp = await api.compareRuns({ runIds: [runA, runB] });
    expect(cmp.metrics.find((m) => m.key === 'jsdMass')!.values).toEqual([0.2, 0.3]);
  });

  it('answers evaluation queries from stored scores: ROC, energy histograms, sculpting, energy cut, correlation', async () => {
    const rng = new Rng(11);
    const n = 4000;
    const bgMass = Float32Array.from({ length: n }, () => 20 + 150 * rng.uniform());
    const bgE = Float32Array.from(bgMass, (m) => rng.normal() + m / 100);
    const sigE = Float32Array.from({ length: 1000 }, () => rng.normal() + 2);
    const info = h.engine.registerEvaluation(runA, [{ name: 'qcd', role: 'background', datasetId }, { name: 'top', role: 'signal', datasetId }], {
      classes: [
        { name: 'qcd', role: 'background', energy: bgE, massGeV: bgMass },
        { name: 'top', role: 'signal', energy: sigE, massGeV: new Float32Array(1000).fill(170) },
        { name: 'noise', role: 'noise', energy: Float32Array.from({ length: 200 }, () => 8 + rng.normal()), massGeV: new Float32Array(200) },
      ],
    });
    evaluationId = info.id;
    const run = await api.getRun({ runId: runA });
    expect(run.evaluations.map((e) => e.id)).toEqual([evaluationId]);
    expect(run.evaluations[0]!.metrics[0]!.auc).toBeGreaterThan(0.7);
    expect(run.headline.auc).toBeCloseTo(run.evaluations[0]!.metrics[0]!.auc, 12);

    const roc = await api.getRoc({ evaluationId });
    expect(roc.curves).toHaveLength(1);
    const c = roc.curves[0]!;
    expect(c.signal).toBe('top');
    expect(c.epsS.length).toBeLessThanOrEqual(500);
    expect(c.epsS[0]).toBe(0);
    expect(c.epsB[c.epsB.length - 1]).toBe(1);
    expect(c.auc).toBeGreaterThan(0.7);
    expect(c.r30).toBeGreaterThan(1);

    const eh = await api.getEnergyHistograms({ evaluationId, bins: 30 });
    expect(eh.edges).toHaveLength(31);
    expect(eh.classes.map((k) => [k.name, k.role])).toEqual([['qcd', 'background'], ['top', 'signal'], ['noise', 'noise']]);

    const sc = await api.getSculpting({ evaluationId });
    expect(sc.curves.map((k) => k.acceptance)).toEqual([1, 0.5, 0.2, 0.1, 0.05]);
    expect(sc.curves[0]!.jsd).toBeCloseTo(0, 10);
    expect(sc.curves[4]!.jsd).toBeGreaterThan(sc.curves[1]!.jsd); // energy correlates with mass here: tighter cut sculpts more
    expect(sc.curves[2]!.n).toBe(Math.round(0.2 * n));

    const t = sc.curves[2]!.threshold;
    const cut = await api.cutAtEnergy({ evaluationId, threshold: t });
    let passB = 0;
    for (const v of bgE) if (v >= t) passB++;
    let passS = 0;
    for (const v of sigE) if (v >= t) passS++;
    expect(cut.epsB).toBeCloseTo(passB / n, 12);
    expect(cut.signals).toEqual([{ name: 'top', epsS: passS / 1000 }]);
    expect(cut.passing.reduce((a, b) => a + b, 0)).toBe(passB);
    expect(cut.uncut.reduce((a, b) => a + b, 0)).toBe(n);
    expect(cut.massEdges).toHaveLength(cut.passing.length + 1);
    const tight = await api.cutAtEnergy({ evaluationId, threshold: 1e9 });
    expect(tight).toMatchObject({ epsB: 0, nPassing: 0 });
    const badScore = await rejection(api.cutAtEnergy({ evaluationId, threshold: 0, score: 'pBackground' }));
    expect(badScore.code).toBe('UNSUPPORTED');

    const corr = await api.getScoreMassCorrelation({ evaluationId, bins: 10 });
    expect(corr.pearson).toBeGreaterThan(0.3);
    expect(corr.histogram.values).toHaveLength(100);
    expect(corr.histogram.values.reduce((a, b) => a + b, 0)).toBe(n);
    expect(corr.profile.y[corr.profile.y.length - 1]).toBeGreaterThan(corr.profile.y[0]!);
  });

  it('refuses to delete a dataset in use; deleting a run removes its files and rows', async () => {
    const used = await rejection(api.deleteDataset({ datasetId }));
    expect(used.code).toBe('CONFLICT');
    const a = await api.getRun({ runId: runA });
    expect(existsSync(a.runDir)).toBe(true);
    expect(await api.deleteRun({ runId: runA })).toEqual({ deleted: runA });
    expect(existsSync(a.runDir)).toBe(false);
    expect(existsSync(join(h.engine.store.dirs.scores, evaluationId))).toBe(false);
    expect((await rejection(api.getRoc({ evaluationId }))).code).toBe('NOT_FOUND');
    await api.deleteRun({ runId: runB });
    expect(await api.deleteDataset({ datasetId })).toEqual({ deleted: datasetId });
    expect(await api.listDatasets()).toEqual([]);
    expect(readdirSync(h.engine.store.dirs.datasets)).toEqual([]); // the content file and its manifest are gone
    expect(h.engine.store.integrityCheck()).toBe('ok');
  });
});
