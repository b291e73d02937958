// Model directory save/load round trip with clear errors, and backend selection with recorded fallback reasons.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel, saveModel, type ModelMeta } from '../../src-main/model/io.ts';
import { createEnergyNet } from '../../src-main/model/backend.ts';
import { initParams } from '../../src-main/model/spec.ts';
import { UserError } from '../../src-main/util/errors.ts';
import { randomBatch, tinyConfig } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'ebm-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const c = tinyConfig({ outputs: 3 });
const meta: ModelMeta = {
  kind: 'ebm-clf',
  config: c,
  classNames: ['qcd', 'top', 'w'],
  standardizer: { mean: [1, 0, 0], std: [1.5, 0.2, 0.2] },
  preprocessing: { particles: c.particles, rotate: true },
  multiplicityHistogram: Array.from({ length: c.particles + 1 }, (_, i) => i),
  featureRange: { min: [-3, -4, -4], max: [3, 4, 4] },
  provenance: { run: 'test' },
};

describe('model directory', () => {
  it('round-trips weights bit-exactly and metadata', () => {
    const p = initParams(c, 5);
    p[0] = -0; p[1] = 1e-40; p[2] = 3.4e38;
    saveModel(join(dir, 'm'), meta, p);
    const back = loadModel(join(dir, 'm'));
    expect(Buffer.from(back.params.buffer).equals(Buffer.from(p.buffer))).toBe(true);
    expect(back.meta).toEqual(meta);
  });

  it('rejects truncated weights, a wrong layout and a missing directory with UserErrors', () => {
    saveModel(join(dir, 'bad'), meta, initParams(c, 5));
    const w = join(dir, 'bad', 'weights.bin');
    writeFileSync(w, readFileSync(w).subarray(0, 100));
    expect(() => loadModel(join(dir, 'bad'))).toThrow(/bytes, expected/);
    saveModel(join(dir, 'bad2'), meta, initParams(c, 5));
    const j = join(dir, 'bad2', 'model.json');
    const json = JSON.parse(readFileSync(j, 'utf8'));
    json.weights.layout[1].name = 'renamed';
    writeFileSync(j, JSON.stringify(json));
    expect(() => loadModel(join(dir, 'bad2'))).toThrow(/layout entry 1/);
    expect(() => loadModel(join(dir, 'nothing'))).toThrow(UserError);
  });
});

describe('backend selection', () => {
  it('falls back from unavailable backends with a reason, and cpu always works', async () => {
    const cfg = tinyConfig();
    const r = await createEnergyNet(cfg, initParams(cfg, 1), { backend: 'tfjs-node' });
    // tfjs-node is not installable here: we must land on wasm or cpu and say why
    if (r.backend !== 'tfjs-node') {
      expect(r.fallbackReason).toMatch(/tfjs-node/);
      expect(['tfjs-wasm', 'tfjs-cpu']).toContain(r.backend);
    }
    const cpu = await createEnergyNet(cfg, initParams(cfg, 1), { backend: 'cpu' });
    expect(cpu.backend).toBe('tfjs-cpu');
    expect(cpu.fallbackReason).toBeUndefined();
    const b = randomBatch(cfg, 3, 1);
    const a = Array.from(r.net.forward(b));
    Array.from(cpu.net.forward(b)).forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 4));
    await expect(createEnergyNet(cfg, undefined, { backend: 'bogus' })).rejects.toThrow(/unknown backend/);
  });
});
