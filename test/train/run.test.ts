// End-to-end training on the embedded sample: a short tiny run lowers the jet-mass JSD of generated jets; stop +
// resume is bitwise identical to an uninterrupted run; divergence rolls back and finally fails clearly; EBM-CLF
// trains and scores; sample/score round trip.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleFiles } from '../../src-main/data/sample.ts';
import { readJets } from '../../src-main/data/read.ts';
import { resolveTrainConfig, type TrainConfigOverrides } from '../../src-main/train/config.ts';
import { runTraining, type TrainEvent } from '../../src-main/train/run.ts';
import { generateJets, scoreJets } from '../../src-main/train/generate.ts';
import { loadModel } from '../../src-main/model/io.ts';
import { nativeAvailable } from '../../src-main/model/native.ts';

// The learning test takes ~8 s of CPU on the native backend but over a minute on tfjs-wasm: it needs the native build.
const hasNative = nativeAvailable().ok;
if (!hasNative) console.warn(`[tests] native backend unavailable (${nativeAvailable().reason}): the training-lowers-JSD test is skipped`);

const tmp = mkdtempSync(join(tmpdir(), 'ebm-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const qcd = () => [{ path: sampleFiles().qcd }];

function quiet(events: TrainEvent[] = [], stopAfter = Infinity) {
  let steps = 0;
  return {
    onEvent: (e: TrainEvent) => {
      events.push(e);
      if (e.type === 'step') steps++;
    },
    shouldStop: () => steps >= stopAfter,
  };
}

const small = (o: TrainConfigOverrides = {}) =>
  resolveTrainConfig('tiny', {
    model: { particles: 8 },
    maxTrainJets: 96,
    epochs: 2,
    validation: { jets: 20, steps: 2, atStart: false },
    buffer: { size: 128 },
    ...o,
  });

describe('training on the embedded sample', () => {
  it.skipIf(!hasNative)('a short tiny run lowers the jet-mass JSD of generated jets vs the untrained model', async () => {
    const config = resolveTrainConfig('tiny', {
      seed: 1,
      model: { particles: 16 },
      epochs: 5,
      maxSteps: 80,
      optimizer: { lr: 3e-3 },
      validation: { jets: 300, steps: 64, stepSize: 0.1, atStart: true, every: 10 },
    });
    const s = await runTraining({ config, data: qcd(), outDir: join(tmp, 'learn') }, quiet());
    expect(s.status).toBe('done');
    const before = s.initialMetrics!.jsdMass;
    const after = s.finalMetrics!.jsdMass;
    // measured: 0.25 → 0.10 nats
    expect(after).toBeLessThan(0.7 * before);
    expect(before - after).toBeGreaterThan(0.05);
  });

  it('stop → resume gives bitwise the same weights, buffer-driven losses and run record as an uninterrupted run', async () => {
    const config = small({ maxSteps: 5 });
    const a = await runTraining({ config, data: qcd(), outDir: join(tmp, 'a') }, quiet());
    const evB: TrainEvent[] = [];
    const b1 = await runTraining({ config, data: qcd(), outDir: join(tmp, 'b') }, quiet(evB, 2));
    expect(b1.status).toBe('stopped');
    expect(JSON.parse(readFileSync(join(tmp, 'b', 'run.json'), 'utf8')).status).toBe('stopped');
    const b2 = await runTraining({ config, data: qcd(), outDir: join(tmp, 'b'), resume: true }, quiet(evB));
    expect(b2.status).toBe('done');
    expect(b2.globalStep).toBe(a.globalStep);
    const wa = readFileSync(join(tmp, 'a', 'model', 'weights.bin'));
    const wb = readFileSync(join(tmp, 'b', 'model', 'weights.bin'));
    expect(wb.equals(wa)).toBe(true);
    const steps = (dir: string) =>
      readFileSync(join(tmp, dir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((l) => l.type === 'step')
        .map((l) => [l.globalStep, l.loss]);
    expect(steps('b')).toEqual(steps('a'));
    const run = JSON.parse(readFileSync(join(tmp, 'b', 'run.json'), 'utf8'));
    expect(run.status).toBe('done');
    expect(run.resumedAt).toHaveLength(1);
    expect(run.backend).toBe(a.backend);
    expect(run.klChain.klSteps).toBe(2);
    // a finished run can be extended; resume trains on the run's own data whatever the request names, and keeps
    // run.json's record of it (evaluations rebuild the test split from it)
    const c = await runTraining({ config, data: [{ path: sampleFiles().w }], outDir: join(tmp, 'a'), resume: true, extend: { maxSteps: 6 } }, quiet());
    expect(c.globalStep).toBe(6);
    expect(JSON.parse(readFileSync(join(tmp, 'a', 'config.json'), 'utf8')).maxSteps).toBe(6);
    const runA = JSON.parse(readFileSync(join(tmp, 'a', 'run.json'), 'utf8'));
    expect(runA.data.map((d: { path: string }) => d.path)).toEqual([resolve(sampleFiles().qcd)]);
  });

  it('divergence rolls back to the last good checkpoint with a lower learning rate, then fails clearly', async () => {
    const events: TrainEvent[] = [];
    const config = small({ divergence: { maxAbsEnergy: 1e-9, maxRollbacks: 2, lrFactor: 0.5 } });
    await expect(runTraining({ config, data: qcd(), outDir: join(tmp, 'div') }, quiet(events))).rejects.toThrow(/diverged/);
    const div = events.filter((e) => e.type === 'divergence');
    expect(div).toHaveLength(2);
    expect(div.map((e) => (e as { lrScale: number }).lrScale)).toEqual([0.5, 0.25]);
    const run = JSON.parse(readFileSync(join(tmp, 'div', 'run.json'), 'utf8'));
    expect(run.status).toBe('failed');
    expect(run.error.message).toMatch(/diverged/);
  });

  it('EBM-CLF trains on labelled files and scores E(x) and p(y|x); generation gives physical jets', async () => {
    const f = sampleFiles();
    const config = small({ kind: 'ebm-clf', model: { particles: 8, outputs: 2 }, maxSteps: 2 });
    const s = await runTraining({ config, data: [{ path: f.qcd, label: 'qcd' }, { path: f.top, label: 'top' }], outDir: join(tmp, 'clf') }, quiet());
    expect(s.status).toBe('done');
    const { meta } = loadModel(s.modelDir);
    expect(meta.kind).toBe('ebm-clf');
    expect(meta.classNames).toEqual(['qcd', 'top']);
    const jets = await readJets(f.top, { maxJets: 10 });
    const sc = await scoreJets(s.runDir, jets);
    expect(sc.energy).toHaveLength(10);
    expect(sc.probs).toHaveLength(20);
    for (let i = 0; i < 10; i++) expect(sc.probs![2 * i]! + sc.probs![2 * i + 1]!).toBeCloseTo(1, 5);
    const g = await generateJets(s.runDir, { n: 12, steps: 3 });
    expect(g.jets.nJets).toBe(12);
    expect(Array.from(g.jets.pt).every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    expect(g.observables.massGeV.every(Number.isFinite)).toBe(true);
  });
});
