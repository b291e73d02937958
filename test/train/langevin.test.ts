// Langevin dynamics (Eq. 4) on an analytic quadratic energy E = ½ Σ a_f (x_f − μ_f)² per real particle: with
// λ = σ²/2 the chain samples exp(−E), i.e. N(μ_f, 1/a_f) (up to the O(λa) discretisation bias); padding stays 0.
import { describe, expect, it } from 'vitest';
import type { BackwardOptions, BackwardResult, EnergyConfig, EnergyNet, JetBatch } from '../../src-main/model/spec.ts';
import { Rng } from '../../src-main/util/rng.ts';
import { langevin } from '../../src-main/train/langevin.ts';
import { noiseJets } from '../../src-main/train/buffer.ts';
import { tinyConfig } from '../model/helpers.ts';

class QuadraticNet implements EnergyNet {
  readonly backendName = 'analytic';
  readonly paramCount = 0;
  constructor(readonly config: EnergyConfig, private a: number[], private mu: number[]) {}
  getParams() { return new Float32Array(0); }
  setParams() {}
  forward(b: JetBatch): Float32Array {
    return this.backward(b, new Float32Array(b.size).fill(1), { paramGrad: false, inputGrad: false }).out;
  }
  backward(b: JetBatch, dOut: Float32Array, o: BackwardOptions): BackwardResult {
    const N = this.config.particles;
    const F = this.config.features;
    const out = new Float32Array(b.size);
    const gradX = o.inputGrad ? new Float32Array(b.x.length) : null;
    for (let j = 0; j < b.size; j++) {
      let e = 0;
      for (let k = 0; k < N; k++) {
        if (!b.mask[j * N + k]) continue;
        for (let f = 0; f < F; f++) {
          const i = (j * N + k) * F + f;
          const d = b.x[i]! - this.mu[f]!;
          e += 0.5 * this.a[f]! * d * d;
          if (gradX) gradX[i] = dOut[j]! * this.a[f]! * d;
        }
      }
      out[j] = e;
    }
    return { out, gradParams: o.paramGrad ? new Float32Array(0) : null, gradX };
  }
  dispose() {}
}

describe('Langevin on a quadratic energy', () => {
  it('reproduces the Gaussian mean and variance with λ = σ²/2, and keeps padded slots at 0', () => {
    const c = tinyConfig({ particles: 4 });
    const a = [0.5, 1, 2];
    const mu = [1, -0.5, 0];
    const net = new QuadraticNet(c, a, mu);
    const rng = new Rng(5);
    const size = 1500;
    const hist = [0, 1, 1, 1, 1];
    const { x, mask } = noiseJets(size, c.particles, 3, hist, rng);
    const sigma = 0.2;
    const lambda = (sigma * sigma) / 2;
    const r = langevin({ net, kind: 'ebm' }, x, mask, size, { steps: 1500, stepSize: lambda, noise: sigma, rng });
    const sum = [0, 0, 0];
    const sum2 = [0, 0, 0];
    let n = 0;
    for (let s = 0; s < mask.length; s++) {
      if (!mask[s]) {
        for (let f = 0; f < 3; f++) expect(r.x[s * 3 + f]).toBe(0);
        continue;
      }
      n++;
      for (let f = 0; f < 3; f++) {
        const v = r.x[s * 3 + f]!;
        sum[f]! += v;
        sum2[f]! += v * v;
      }
    }
    expect(n).toBeGreaterThan(3000);
    for (let f = 0; f < 3; f++) {
      const m = sum[f]! / n;
      const v = sum2[f]! / n - m * m;
      const target = 1 / a[f]!;
      // mean within 4 standard errors; variance within 4 standard errors (√(2/n)) + the discretisation bias
      // 1/(1 − λa/2) − 1 ≤ 2%
      expect(Math.abs(m - mu[f]!)).toBeLessThan(4 * Math.sqrt(target / n));
      expect(Math.abs(v / target - 1)).toBeLessThan(4 * Math.sqrt(2 / n) + 0.02);
    }
  });
});
