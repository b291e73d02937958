// The full loss's parameter gradient (CD + α·L2 + L_KL through the chain, + CE for EBM-CLF) against finite
// differences on tiny models, with fixed chain noise; and proof that L_KL moves the gradient (the public code's
// version contributed nothing).
import { describe, expect, it } from 'vitest';
import { createTfjsEnergyNet } from '../../src-main/model/tfjs.ts';
import { initParams, type EnergyConfig, type JetBatch } from '../../src-main/model/spec.ts';
import { Rng } from '../../src-main/util/rng.ts';
import { resolveTrainConfig, type TrainConfig } from '../../src-main/train/config.ts';
import { energies, type EnergyModel } from '../../src-main/train/energy.ts';
import { langevin } from '../../src-main/train/langevin.ts';
import { crossEntropy } from '../../src-main/train/loss.ts';
import { lossAndGradient, type TrainContext } from '../../src-main/train/trainer.ts';
import { randomBatch } from '../model/helpers.ts';

function setup(model: Partial<EnergyConfig>, kind: 'ebm' | 'ebm-clf', klSteps: number) {
  const config: TrainConfig = resolveTrainConfig('tiny', {
    kind,
    model: { particles: 5, layers: 1, dModel: 8, heads: 2, ffDim: 16, headHidden: [8], phiHidden: [8, 8], ...model },
    langevin: { steps: 4, stepSize: 0.1, noise: 0.005 },
    loss: { alpha: 0.1, klSteps },
  });
  const net = createTfjsEnergyNet(config.model, initParams(config.model, 3));
  const m: EnergyModel = { net, kind };
  const hist = new Float64Array(config.model.particles + 1).fill(1);
  const ctx: TrainContext = { model: m, config, data: { x: new Float32Array(0), mask: new Uint8Array(0), size: 0 }, hist, clamp: null };
  const pos: JetBatch & { labels?: Int32Array } = randomBatch(config.model, 6, 1);
  if (kind === 'ebm-clf') pos.labels = Int32Array.from([0, 1, 2, 0, 1, 2]);
  const neg0 = randomBatch(config.model, 6, 2);
  return { config, net, m, ctx, pos, neg0 };
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

/** The loss with θ' everywhere except the frozen θ̂ = θ0 of L_KL's final energy and the stop-gradient on x_K in CD. */
function lossAt(s: ReturnType<typeof setup>, p0: Float32Array, p: Float32Array, xK0: Float32Array, klOnly = false): number {
  const { net, m, config, pos, neg0 } = s;
  net.setParams(p);
  const chain = langevin(m, neg0.x, neg0.mask, neg0.size, { steps: config.langevin.steps, stepSize: config.langevin.stepSize, noise: config.langevin.noise, rng: new Rng(77) });
  const a = config.loss.alpha;
  let L = 0;
  if (!klOnly) {
    const ep = energies(m, pos);
    const en = energies(m, { ...neg0, x: xK0 });
    const sq = (e: Float32Array) => mean(Array.from(e, (v) => v * v));
    L += mean(ep.energy) - mean(en.energy) + a * (sq(ep.energy) + sq(en.energy));
    if (config.kind === 'ebm-clf') L += crossEntropy(ep.logits!, pos.labels!, config.model.outputs).loss;
  }
  net.setParams(p0);
  if (config.loss.klSteps > 0) L += mean(energies(m, { ...neg0, x: chain.x }).energy);
  net.setParams(p0);
  return L;
}

function compare(s: ReturnType<typeof setup>, grad: Float64Array, klOnly: boolean, h = 3e-3, checks = 40): { agree: number; checked: number; maxRef: number } {
  const p0 = s.net.getParams();
  const xK0 = langevin(s.m, s.neg0.x, s.neg0.mask, s.neg0.size, { steps: s.config.langevin.steps, stepSize: s.config.langevin.stepSize, noise: s.config.langevin.noise, rng: new Rng(77) }).x;
  let agree = 0;
  let checked = 0;
  let maxRef = 0;
  const step = Math.max(1, Math.floor(p0.length / checks));
  for (let j = 0; j < p0.length; j += step) {
    const pp = p0.slice();
    pp[j]! += h;
    const fp = lossAt(s, p0, pp, xK0, klOnly);
    pp[j]! -= 2 * h;
    const fm = lossAt(s, p0, pp, xK0, klOnly);
    const fd = (fp - fm) / (2 * h);
    maxRef = Math.max(maxRef, Math.abs(fd));
    if (Math.abs(grad[j]! - fd) < 2e-4 + 2e-2 * Math.abs(fd)) agree++;
    checked++;
  }
  return { agree, checked, maxRef };
}

describe('parameter gradient of the full loss vs finite differences', () => {
  it('DeepSets EBM (smooth): CD + L2 + KL through the whole chain, every checked component', () => {
    const s = setup({ arch: 'deepsets' }, 'ebm', 4);
    const g = lossAndGradient(s.ctx, s.pos, s.neg0, new Rng(77));
    const r = compare(s, g.grad, false);
    expect(r.agree).toBe(r.checked);
  });

  it('L_KL changes the parameter gradient, and its part alone matches finite differences of L_KL', () => {
    const s = setup({ arch: 'deepsets' }, 'ebm', 4);
    const withKl = lossAndGradient(s.ctx, s.pos, s.neg0, new Rng(77)).grad;
    const s0 = setup({ arch: 'deepsets' }, 'ebm', 0);
    const noKl = lossAndGradient(s0.ctx, s0.pos, s0.neg0, new Rng(77)).grad;
    const klPart = withKl.map((v, i) => v - noKl[i]!);
    let norm = 0;
    let normAll = 0;
    for (let i = 0; i < klPart.length; i++) {
      norm += klPart[i]! ** 2;
      normAll += noKl[i]! ** 2;
    }
    // not a rounding-level change: a sizeable fraction of the CD gradient's norm
    expect(Math.sqrt(norm)).toBeGreaterThan(1e-3 * Math.sqrt(normAll));
    const r = compare(s, Float64Array.from(klPart), true);
    expect(r.maxRef).toBeGreaterThan(1e-4);
    expect(r.agree).toBe(r.checked);
  });

  it('KL through the last step only matches its own finite differences differently from the whole chain', () => {
    const s1 = setup({ arch: 'deepsets' }, 'ebm', 1);
    const s4 = setup({ arch: 'deepsets' }, 'ebm', 4);
    const g1 = lossAndGradient(s1.ctx, s1.pos, s1.neg0, new Rng(77)).grad;
    const g4 = lossAndGradient(s4.ctx, s4.pos, s4.neg0, new Rng(77)).grad;
    let diff = 0;
    for (let i = 0; i < g1.length; i++) diff = Math.max(diff, Math.abs(g1[i]! - g4[i]!));
    expect(diff).toBeGreaterThan(1e-5);
  });

  it.each([false, true])('transformer EBM (layerNorm %s): most components agree (ReLU kinks spoil a few finite differences)', (layerNorm) => {
    const s = setup({ arch: 'transformer', layerNorm, ffDim: 4, particles: 4 }, 'ebm', 4);
    const g = lossAndGradient(s.ctx, s.pos, s.neg0, new Rng(77));
    const r = compare(s, g.grad, false, 3e-3, 24);
    expect(r.agree / r.checked).toBeGreaterThanOrEqual(0.75);
  });

  it('EBM-CLF: CE + EBM loss on E = −logsumexp(g), KL through the chain', () => {
    const s = setup({ arch: 'deepsets', outputs: 3 }, 'ebm-clf', 4);
    const g = lossAndGradient(s.ctx, s.pos, s.neg0, new Rng(77));
    expect(g.lossCE).toBeGreaterThan(0);
    const r = compare(s, g.grad, false);
    expect(r.agree).toBe(r.checked);
  });
});
