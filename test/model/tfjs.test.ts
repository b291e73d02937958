// The tfjs reference EnergyNet: gradients vs finite differences, mask and permutation invariance, dropout seeding.
import { describe, expect, it } from 'vitest';
import { createTfjsEnergyNet } from '../../src-main/model/tfjs.ts';
import { initParams, paramCount, type EnergyConfig } from '../../src-main/model/spec.ts';
import { randomBatch, tinyConfig } from './helpers.ts';

const variants: [string, EnergyConfig][] = [
  ['transformer', tinyConfig()],
  ['transformer + LayerNorm, 3 outputs', tinyConfig({ layerNorm: true, outputs: 3 })],
  ['deepsets', tinyConfig({ arch: 'deepsets', phiHidden: [8, 8] })],
];

describe.each(variants)('tfjs EnergyNet (%s)', (_name, c) => {
  const net = createTfjsEnergyNet(c, initParams(c, 7));
  const batch = randomBatch(c, 5, 11);
  const O = c.outputs;
  const dOut = Float32Array.from({ length: batch.size * O }, (_, i) => 0.5 + 0.37 * ((i * 7) % 5));
  const objective = (x: Float32Array) => {
    const out = net.forward({ ...batch, x });
    let s = 0;
    for (let i = 0; i < out.length; i++) s += out[i]! * dOut[i]!;
    return s;
  };

  it('forward gives finite outputs of the right size', () => {
    const out = net.forward(batch);
    expect(out.length).toBe(batch.size * O);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('input gradient matches central finite differences and is 0 at padding', () => {
    const { gradX, out } = net.backward(batch, dOut, { paramGrad: false, inputGrad: true });
    expect(Array.from(out)).toEqual(Array.from(net.forward(batch)));
    const h = 2e-3;
    let checked = 0;
    let agree = 0;
    for (let j = 0; j < batch.x.length; j += 5) {
      const slot = Math.floor(j / c.features);
      if (!batch.mask[slot]) {
        expect(gradX![j]).toBe(0);
        continue;
      }
      const xp = batch.x.slice();
      xp[j]! += h;
      const xm = batch.x.slice();
      xm[j]! -= h;
      const fd = (objective(xp) - objective(xm)) / (2 * h);
      if (Math.abs(gradX![j]! - fd) < 5e-4 + 1e-2 * Math.abs(fd)) agree++;
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
    // ReLU kinks make a few finite differences wrong; a wrong gradient fails nearly all of them.
    expect(agree / checked).toBeGreaterThanOrEqual(0.8);
  });

  it('parameter gradient matches central finite differences', () => {
    const p0 = initParams(c, 7);
    const { gradParams } = net.backward(batch, dOut, { paramGrad: true, inputGrad: false });
    expect(gradParams!.length).toBe(paramCount(c));
    const h = 2e-3;
    let checked = 0;
    let agree = 0;
    const step = Math.max(1, Math.floor(p0.length / 25));
    for (let j = 0; j < p0.length; j += step) {
      const pp = p0.slice();
      pp[j]! += h;
      net.setParams(pp);
      const fp = objective(batch.x);
      pp[j]! -= 2 * h;
      net.setParams(pp);
      const fm = objective(batch.x);
      const fd = (fp - fm) / (2 * h);
      if (Math.abs(gradParams![j]! - fd) < 5e-4 + 1e-2 * Math.abs(fd)) agree++;
      checked++;
    }
    net.setParams(p0);
    expect(agree / checked).toBeGreaterThanOrEqual(0.8);
  });

  it('padded slots do not change E; E is invariant under permutations of real particles', () => {
    const e0 = net.forward(batch);
    const junk = batch.x.slice();
    for (let s = 0; s < batch.mask.length; s++) if (!batch.mask[s]) for (let f = 0; f < c.features; f++) junk[s * c.features + f] = 100 * Math.sin(s + f);
    const e1 = net.forward({ ...batch, x: junk });
    e1.forEach((v, i) => expect(v).toBeCloseTo(e0[i]!, 5));
    // reverse the real particles of every jet
    const N = c.particles;
    const F = c.features;
    const perm = batch.x.slice();
    for (let b = 0; b < batch.size; b++) {
      let n = 0;
      while (n < N && batch.mask[b * N + n]) n++;
      for (let i = 0; i < n; i++) for (let f = 0; f < F; f++) perm[(b * N + i) * F + f] = batch.x[(b * N + (n - 1 - i)) * F + f]!;
    }
    const e2 = net.forward({ ...batch, x: perm });
    e2.forEach((v, i) => expect(v).toBeCloseTo(e0[i]!, 4));
  });

  it('chunked evaluation equals one pass', () => {
    const chunked = createTfjsEnergyNet(c, initParams(c, 7), 'cpu', { chunkJets: 2 });
    const a = net.backward(batch, dOut, { paramGrad: true, inputGrad: true });
    const b = chunked.backward(batch, dOut, { paramGrad: true, inputGrad: true });
    expect(Array.from(b.out)).toEqual(Array.from(a.out));
    b.gradX!.forEach((v, i) => expect(v).toBeCloseTo(a.gradX![i]!, 5));
    b.gradParams!.forEach((v, i) => expect(v).toBeCloseTo(a.gradParams![i]!, 4));
    chunked.dispose();
  });
});

describe('dropout', () => {
  const c = tinyConfig({ dropout: 0.3 });
  const net = createTfjsEnergyNet(c, initParams(c, 3));
  const batch = randomBatch(c, 4, 5);
  it('is off without a seed, reproducible with one, different across seeds', () => {
    expect(Array.from(net.forward(batch))).toEqual(Array.from(net.forward(batch)));
    const a = net.forward(batch, { dropoutSeed: 1 });
    expect(Array.from(net.forward(batch, { dropoutSeed: 1 }))).toEqual(Array.from(a));
    expect(Array.from(net.forward(batch, { dropoutSeed: 2 }))).not.toEqual(Array.from(a));
    expect(Array.from(net.forward(batch))).not.toEqual(Array.from(a));
  });
});
