// The EngineApi job operations against both transports with a real tiny training: run status, progress and job
// queue events arrive (over the WebSocket for the web transport), metrics are persisted as they come, then the
// trained run is evaluated (ROC, energy cut over stored scores) and sampled (generation histograms, jet images).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultEngine } from '../../src-main/api/default-bridges.ts';
import type { Engine } from '../../src-main/api/engine.ts';
import { createHttpClient, type HttpEngineClient } from '../../src-main/api/http-client.ts';
import type { EngineApi, JobQueueEvent, RunProgressEvent, RunStatusEvent } from '../../src-main/api/types.ts';
import { sampleFiles } from '../../src-main/data/sample.ts';
import { startServer } from '../../src-main/server/server.ts';

const TINY = { epochs: 1, maxTrainJets: 64, batchSize: 32, 'validation.jets': 10, 'validation.steps': 2, 'validation.atStart': false };

describe.each(['in-process', 'web'] as const)('EngineApi jobs (%s)', (transport) => {
  let dir: string;
  let engine: Engine;
  let api: EngineApi;
  let close = async () => undefined as void;
  let ready = async () => undefined as void;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ebm-contract-jobs-'));
    engine = createDefaultEngine({ dbPath: join(dir, 'ebm.sqlite') });
    if (transport === 'in-process') {
      api = engine;
      close = () => engine.close();
    } else {
      const server = await startServer({ engine, port: 0, staticDir: dir });
      const client: HttpEngineClient = createHttpClient({ baseUrl: server.url, token: server.token, WebSocket: WebSocket as never });
      api = client;
      ready = () => client.eventsReady();
      close = async () => {
        client.close();
        await server.close();
        await engine.close();
      };
    }
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains with streamed events, then evaluates and generates', async () => {
    const qcd = await api.importDataset({ path: sampleFiles().qcd, label: 'qcd', maxJets: 200 });
    const top = await api.importDataset({ path: sampleFiles().top, label: 'top', maxJets: 100 });
    const statuses: RunStatusEvent[] = [];
    const progress: RunProgressEvent[] = [];
    const queues: JobQueueEvent[] = [];
    const offs = [api.onRunStatus((e) => statuses.push(e)), api.onRunProgress((e) => progress.push(e)), api.onJobQueue((e) => queues.push(e))];
    await ready();
    const done = new Promise<void>((resolve) => {
      const off = api.onRunStatus((e) => {
        if (e.status === 'done' || e.status === 'failed' || e.status === 'interrupted') {
          off();
          resolve();
        }
      });
    });
    const run = await api.createRun({ kind: 'ebm', preset: 'tiny', data: [{ datasetId: qcd.id }], seed: 2, overrides: TINY, start: true });
    await done;
    await new Promise((r) => setTimeout(r, 200));
    offs.forEach((off) => off());

    const mine = statuses.filter((s) => s.runId === run.id).map((s) => s.status);
    expect(mine).toEqual(['queued', 'running', 'done']);
    const steps = progress.filter((p): p is Extract<RunProgressEvent, { type: 'step' }> => p.type === 'step');
    expect(steps.length).toBe(2); // 64 jets / batch 32
    expect(steps[0]).toMatchObject({ runId: run.id, epoch: 1, step: 0, stepsPerEpoch: 2 });
    expect(Number.isFinite(steps[0]!.losses.loss!)).toBe(true);
    const epoch = progress.find((p) => p.type === 'epoch');
    expect(epoch).toMatchObject({ runId: run.id, epoch: 1, epochs: 1 });
    expect(queues.some((q) => q.running?.runId === run.id && q.running.kind === 'train')).toBe(true);
    expect(queues[queues.length - 1]).toEqual({ running: null, queued: [] });

    const detail = await api.getRun({ runId: run.id });
    expect(detail.status).toBe('done');
    expect(detail.backend).toBeTruthy();
    expect(detail.checkpoints.length).toBeGreaterThan(0);
    const loss = (await api.getMetricSeries({ runIds: [run.id], names: ['loss'] })).series[0]!;
    expect(loss.x).toEqual([1, 2]);
    expect((await api.getMetricSeries({ runIds: [run.id], names: ['jsdMass'], per: 'epoch' })).series[0]!.x).toEqual([1]);
    const notRunning = await api.stopRun({ runId: run.id }).then(
      () => 'resolved',
      (e: { code: string }) => e.code,
    );
    expect(notRunning).toBe('CONFLICT');

    const ev = await api.evaluateRun({ runId: run.id, background: { datasetId: qcd.id }, signals: [{ datasetId: top.id }], maxJets: 100, noiseJets: 50 });
    expect(ev.job.status).toBe('done');
    const info = ev.evaluation!;
    // held-out jets only: the run's test split of the QCD file it trained on, the test part of the top file
    expect(info.signals.map((s) => s.name)).toEqual(['top']);
    expect(info.signals[0]!.nJets).toBeGreaterThan(0);
    expect(info.signals[0]!.nJets).toBeLessThan(100);
    expect(info.background.nJets).toBeGreaterThan(0);
    expect(info.background.nJets).toBeLessThan(200);
    const roc = await api.getRoc({ evaluationId: info.id });
    expect(roc.curves[0]!.auc).toBeCloseTo(info.metrics[0]!.auc, 12);
    const eh = await api.getEnergyHistograms({ evaluationId: info.id });
    expect(eh.classes.map((c) => c.role)).toEqual(['background', 'signal', 'noise']);
    const mid = (info.energyRange[0] + info.energyRange[1]) / 2;
    const cut = await api.cutAtEnergy({ evaluationId: info.id, threshold: mid });
    expect(cut.uncut.reduce((a, b) => a + b, 0)).toBe(info.background.nJets);
    expect(cut.epsB).toBeGreaterThanOrEqual(0);

    const gen = await api.generateSamples({ runId: run.id, nJets: 30, steps: 5 });
    expect(gen.sample).toMatchObject({ nJets: 30, steps: 5 });
    const gh = await api.getGenerationHistograms({ runId: run.id, bins: 10 });
    expect(gh.nGenerated).toBe(30);
    expect(gh.observables.map((o) => o.name)).toEqual(['ptGeV', 'massGeV', 'multiplicity', 'logPt', 'deta', 'dphi']);
    for (const o of gh.observables) expect(o.data.edges).toEqual(o.generated.edges);
    expect(gh.images.generated.values).toHaveLength(32 * 32);
    expect(gh.images.data.nJets).toBeGreaterThan(0);
  }, 300_000); // three worker launches
});
