// The real thing: a tiny EBM trains in the supervised worker; SIGKILL of the worker mid-epoch marks the run
// `interrupted` with the reason, the store stays intact (PRAGMA integrity_check), the app keeps running, and resuming
// from the checkpoint reaches exactly the same final weights as an uninterrupted run with the same seed.
// Also: runs left `running` by a crashed engine become `interrupted` when the next engine opens the store.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultEngine } from '../../src-main/api/default-bridges.ts';
import type { Engine } from '../../src-main/api/engine.ts';
import type { RunStatus } from '../../src-main/api/types.ts';
import { sampleFiles } from '../../src-main/data/sample.ts';

const OVERRIDES = { epochs: 2, maxTrainJets: 64, batchSize: 32, 'validation.jets': 20, 'validation.steps': 4, 'validation.atStart': false, 'checkpoint.keep': 2 };

let dir: string;
let engine: Engine;
let datasetId: string;

function untilStatus(runId: string, wanted: RunStatus[]): Promise<RunStatus> {
  return new Promise((resolve) => {
    const off = engine.onRunStatus((ev) => {
      if (ev.runId === runId && wanted.includes(ev.status)) {
        off();
        resolve(ev.status);
      }
    });
  });
}

const weights = (runDir: string) => readFileSync(join(runDir, 'model', 'weights.bin'));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ebm-kill-'));
  engine = createDefaultEngine({ dbPath: join(dir, 'ebm.sqlite') });
  datasetId = (await engine.importDataset({ path: sampleFiles().qcd, label: 'qcd', maxJets: 400 })).id;
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('supervised training survives a killed worker', () => {
  it('stop → stopped, resume, SIGKILL mid-epoch → interrupted, store intact; resume → the same final weights as an uninterrupted run', async () => {
    const reference = await engine.createRun({ kind: 'ebm', preset: 'tiny', name: 'reference', data: [{ datasetId }], seed: 7, overrides: OVERRIDES });
    const refDone = untilStatus(reference.id, ['done', 'failed', 'interrupted']);
    await engine.startRun({ runId: reference.id });
    expect(await refDone).toBe('done');

    const victim = await engine.createRun({ kind: 'ebm', preset: 'tiny', name: 'victim', data: [{ datasetId }], seed: 7, overrides: OVERRIDES });
    // 1. a user stop mid-epoch 1: the step finishes, a checkpoint is written, status 'stopped'
    let stopSent = false;
    const offStop = engine.onRunProgress((ev) => {
      if (ev.runId === victim.id && ev.type === 'step' && ev.epoch === 1 && ev.step === 0 && !stopSent) {
        stopSent = true;
        void engine.stopRun({ runId: victim.id });
      }
    });
    const stopped = untilStatus(victim.id, ['done', 'failed', 'interrupted', 'stopped']);
    await engine.startRun({ runId: victim.id });
    expect(await stopped).toBe('stopped');
    offStop();
    expect((await engine.getRun({ runId: victim.id })).progress?.epoch).toBe(1);

    // 2. resumed, then the worker is SIGKILLed mid-epoch 2
    let killedAt = '';
    const off = engine.onRunProgress((ev) => {
      if (ev.runId === victim.id && ev.type === 'step' && ev.epoch === 2 && ev.step === 0 && !killedAt) {
        killedAt = `epoch ${ev.epoch} step ${ev.step}`;
        process.kill(engine.jobs.runningPid()!, 'SIGKILL');
      }
    });
    const interrupted = untilStatus(victim.id, ['done', 'failed', 'interrupted']);
    await engine.resumeRun({ runId: victim.id });
    expect(await interrupted).toBe('interrupted');
    off();
    expect(killedAt).toBe('epoch 2 step 0');
    const after = await engine.getRun({ runId: victim.id });
    expect(after.statusReason).toMatch(/SIGKILL/);
    expect(engine.store.integrityCheck()).toBe('ok');
    expect(after.checkpoints.length).toBeGreaterThan(0);
    // the engine is still alive and answers
    expect((await engine.listRuns()).length).toBe(2);

    const resumed = untilStatus(victim.id, ['done', 'failed', 'interrupted']);
    expect((await engine.resumeRun({ runId: victim.id })).status).toBe('queued');
    expect(await resumed).toBe('done');
    const final = await engine.getRun({ runId: victim.id });
    expect(final.progress?.epoch).toBe(2);
    expect(weights(final.runDir).equals(weights(reference.runDir))).toBe(true);
    expect(engine.store.integrityCheck()).toBe('ok');
    const steps = (await engine.getMetricSeries({ runIds: [victim.id], names: ['loss'] })).series[0]!;
    expect(new Set(steps.x).size).toBe(steps.x.length); // a replayed step overwrote its earlier row
  }, 400_000); // four worker launches: ~50 s with the native addon, ~100 s on the tfjs fallback on 2 busy cores

  it('runs left running by a crashed engine become interrupted when the store is opened again', async () => {
    const r = await engine.createRun({ kind: 'ebm', preset: 'tiny', data: [{ datasetId }], seed: 1, overrides: OVERRIDES });
    engine.store.setRunStatus(r.id, 'running');
    engine.store.db.prepare('UPDATE runs SET owner_pid = NULL WHERE id = ?').run(r.id); // its engine is gone
    const second = createDefaultEngine({ dbPath: join(dir, 'ebm.sqlite') });
    try {
      const got = await second.getRun({ runId: r.id });
      expect(got.status).toBe('interrupted');
      expect(got.statusReason).toMatch(/engine stopped/);
    } finally {
      await second.close();
    }
  });
});
