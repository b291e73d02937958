// Training presets: `paper` is Table 3 of the paper exactly; overrides merge deeply and are validated with clear errors.
import { describe, expect, it } from 'vitest';
import { presetConfig, resolveTrainConfig } from '../../src-main/train/config.ts';
import { MODEL_PRESETS } from '../../src-main/model/spec.ts';
import { UserError } from '../../src-main/util/errors.ts';

describe('training config', () => {
  it('paper preset = Table 3', () => {
    const c = presetConfig('paper');
    expect(c.model).toEqual(MODEL_PRESETS.paper);
    expect(c.model).toMatchObject({ layers: 8, dModel: 128, heads: 16, ffDim: 1024, dropout: 0.1, layerNorm: false, particles: 40 });
    expect(c.langevin).toMatchObject({ steps: 24, stepSize: 0.1, noise: 0.005 });
    expect(c.buffer).toEqual({ size: 10000, reinitFraction: 0.05 });
    expect(c.loss).toMatchObject({ alpha: 0.1, klSteps: 24 });
    expect(c.optimizer).toMatchObject({ lr: 1e-4, lrDecay: 0.98, beta1: 0, beta2: 0.999, gradClipNorm: null });
    expect(c.batchSize).toBe(128);
    expect(c.epochs).toBe(50);
    expect(c.validation).toMatchObject({ steps: 128, stepSize: 0.05 });
  });

  it('merges overrides deeply, sets EBM-CLF outputs, and rejects bad values with the field name', () => {
    const c = resolveTrainConfig('tiny', { kind: 'ebm-clf', model: { outputs: 3 }, langevin: { steps: 5 } });
    expect(c.langevin).toMatchObject({ steps: 5, stepSize: 0.1 });
    expect(c.model.outputs).toBe(3);
    expect(() => resolveTrainConfig('tiny', { langevin: { stepSize: -1 } })).toThrow(/langevin\.stepSize/);
    expect(() => resolveTrainConfig('tiny', { model: { heads: 3 } })).toThrow(UserError);
    expect(() => resolveTrainConfig('tiny', { model: { outputs: 2 } })).toThrow(/one output/);
  });
});
