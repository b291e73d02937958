// The native CPU EnergyNet against the tfjs reference (outputs, input- and parameter-gradients to 1e-4), finite
// differences, mask/permutation invariance, dropout consistency, SIMD/thread-count agreement.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createNativeEnergyNet, nativeAvailable, nativeNetDescription } from '../../src-main/model/native.ts';
import { createTfjsEnergyNet } from '../../src-main/model/tfjs.ts';
import { initParams, MODEL_PRESETS, type EnergyConfig, type JetBatch } from '../../src-main/model/spec.ts';
import { Rng } from '../../src-main/util/rng.ts';

const status = nativeAvailable();
if (!status.ok) console.warn(`[test/native] skipped: ${status.reason}`);

const tiny: EnergyConfig = { ...MODEL_PRESETS.tiny, particles: 7 };
const small: EnergyConfig = { ...MODEL_PRESETS.tiny, particles: 9, layers: 2, dModel: 32, heads: 4, ffDim: 48, headHidden: [24, 16] };
const CONFIGS: Record<string, EnergyConfig> = {
  tiny,
  'tiny+LN': { ...tiny, layerNorm: true },
  'small+LN': { ...small, layerNorm: true },
  small,
  deepsets: { ...tiny, arch: 'deepsets', phiHidden: [16, 12], headHidden: [20] },
  'classifier(3)': { ...tiny, outputs: 3 },
};

function makeBatch(c: EnergyConfig, size: number, seed: number): JetBatch {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(size * c.particles * c.features));
  const mask = new Uint8Array(size * c.particles);
  for (let b = 0; b < size; b++) {
    const n = b === 0 ? c.particles : b === 1 ? 1 : 1 + rng.int(c.particles);
    for (let i = 0; i < c.particles; i++) mask[b * c.particles + i] = i < n ? 1 : 0;
  }
  // scatter: the real particles need not be the first slots
  if (size > 2) {
    const row = 2 * c.particles;
    mask.fill(0, row, row + c.particles);
    for (let i = 0; i < c.particles; i += 2) mask[row + i] = 1;
  }
  return { x, mask, size };
}

/** max |a − b| / max |b|: agreement relative to the reference's scale. */
function relErr(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return den === 0 ? num : num / den;
}

function cotangent(n: number, seed: number): Float32Array {
  return new Rng(seed).fillNormal(new Float32Array(n));
}

describe.skipIf(!status.ok)('native EnergyNet', () => {
  for (const [name, c] of Object.entries(CONFIGS)) {
    it(`agrees with the tfjs reference: ${name}`, () => {
      const params = initParams(c, 11);
      const batch = makeBatch(c, 5, 3);
      const dOut = cotangent(batch.size * c.outputs, 5);
      const nat = createNativeEnergyNet(c, params, { threads: 2 });
      const ref = createTfjsEnergyNet(c, params, 'cpu');
      try {
        expect(relErr(nat.forward(batch), ref.forward(batch))).toBeLessThan(1e-4);
        const a = nat.backward(batch, dOut, { paramGrad: true, inputGrad: true });
        const b = ref.backward(batch, dOut, { paramGrad: true, inputGrad: true });
        expect(relErr(a.out, b.out)).toBeLessThan(1e-4);
        expect(relErr(a.gradX!, b.gradX!)).toBeLessThan(1e-4);
        expect(relErr(a.gradParams!, b.gradParams!)).toBeLessThan(1e-4);
        // each half of the VJP alone gives the same numbers
        const onlyX = nat.backward(batch, dOut, { paramGrad: false, inputGrad: true });
        expect(onlyX.gradParams).toBeNull();
        expect(relErr(onlyX.gradX!, a.gradX!)).toBeLessThan(1e-6);
        const onlyP = nat.backward(batch, dOut, { paramGrad: true, inputGrad: false });
        expect(onlyP.gradX).toBeNull();
        expect(relErr(onlyP.gradParams!, a.gradParams!)).toBeLessThan(1e-6);
      } finally {
        nat.dispose();
        ref.dispose();
      }
    });
  }

  it('agrees with the tfjs reference under seeded dropout (same multipliers)', () => {
    const c = { ...small, dropout: 0.25, layerNorm: true };
    const params = initParams(c, 2);
    const batch = makeBatch(c, 4, 8);
    const dOut = cotangent(batch.size, 1);
    const nat = createNativeEnergyNet(c, params);
    const ref = createTfjsEnergyNet(c, params, 'cpu');
    try {
      const a = nat.backward(batch, dOut, { paramGrad: true, inputGrad: true, dropoutSeed: 77 });
      const b = ref.backward(batch, dOut, { paramGrad: true, inputGrad: true, dropoutSeed: 77 });
      expect(relErr(a.out, b.out)).toBeLessThan(1e-4);
      expect(relErr(a.gradX!, b.gradX!)).toBeLessThan(1e-4);
      expect(relErr(a.gradParams!, b.gradParams!)).toBeLessThan(1e-4);
      // same seed → same numbers; another seed or no seed → different numbers
      expect(nat.forward(batch, { dropoutSeed: 77 })).toEqual(a.out);
      expect(relErr(nat.forward(batch, { dropoutSeed: 78 }), a.out)).toBeGreaterThan(1e-3);
      expect(relErr(nat.forward(batch), a.out)).toBeGreaterThan(1e-3);
    } finally {
      nat.dispose();
      ref.dispose();
    }
  });

  it('input- and parameter-gradients match central finite differences (with LayerNorm and seeded dropout)', () => {
    const c = { ...tiny, layerNorm: true, dropout: 0.2 };
    const params = initParams(c, 4);
    const batch = makeBatch(c, 3, 9);
    const dOut = cotangent(batch.size, 2);
    const net = createNativeEnergyNet(c, params, { threads: 1 });
    const opts = { dropoutSeed: 5 };
    const loss = () => {
      const out = net.forward(batch, opts);
      let s = 0;
      for (let i = 0; i < out.length; i++) s += out[i]! * dOut[i]!;
      return s;
    };
    const g = net.backward(batch, dOut, { paramGrad: true, inputGrad: true, ...opts });
    const eps = 2e-3;
    const rng = new Rng(1);
    let checked = 0;
    for (let t = 0; t < 40 && checked < 12; t++) {
      const i = rng.int(batch.x.length);
      if (!batch.mask[Math.floor(i / c.features)]) continue;
      const x0 = batch.x[i]!;
      batch.x[i] = x0 + eps;
      const up = loss();
      batch.x[i] = x0 - eps;
      const down = loss();
      batch.x[i] = x0;
      const fd = (up - down) / (2 * eps);
      expect(Math.abs(fd - g.gradX![i]!)).toBeLessThan(2e-3 * (1 + Math.abs(fd)));
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
    const p = Float32Array.from(params);
    for (let t = 0; t < 12; t++) {
      const i = rng.int(p.length);
      const p0 = p[i]!;
      p[i] = p0 + eps;
      net.setParams(p);
      const up = loss();
      p[i] = p0 - eps;
      net.setParams(p);
      const down = loss();
      p[i] = p0;
      net.setParams(p);
      const fd = (up - down) / (2 * eps);
      expect(Math.abs(fd - g.gradParams![i]!)).toBeLessThan(2e-3 * (1 + Math.abs(fd)));
    }
    net.dispose();
  });

  it('ignores padded slots and gives them exactly zero input-gradient', () => {
    for (const c of [CONFIGS['tiny+LN']!, CONFIGS.deepsets!]) {
      const net = createNativeEnergyNet(c, initParams(c, 3));
      const batch = makeBatch(c, 6, 4);
      const dOut = cotangent(batch.size, 3);
      const a = net.backward(batch, dOut, { paramGrad: true, inputGrad: true });
      const x2 = Float32Array.from(batch.x);
      for (let s = 0; s < batch.mask.length; s++)
        if (!batch.mask[s]) for (let f = 0; f < c.features; f++) x2[s * c.features + f] = 1e3 * (f + 1);
      const b = net.backward({ ...batch, x: x2 }, dOut, { paramGrad: true, inputGrad: true });
      expect(b.out).toEqual(a.out);
      expect(b.gradParams).toEqual(a.gradParams);
      for (let s = 0; s < batch.mask.length; s++)
        if (!batch.mask[s]) for (let f = 0; f < c.features; f++) expect(b.gradX![s * c.features + f]).toBe(0);
      net.dispose();
    }
  });

  it('is invariant under permutations of the real particles', () => {
    const c = CONFIGS['small+LN']!;
    const net = createNativeEnergyNet(c, initParams(c, 6));
    const batch = makeBatch(c, 4, 12);
    const dOut = cotangent(batch.size, 4);
    const a = net.backward(batch, dOut, { paramGrad: false, inputGrad: true });
    // reverse the slot order of every jet (moves real particles and padding alike)
    const N = c.particles;
    const F = c.features;
    const x2 = new Float32Array(batch.x.length);
    const m2 = new Uint8Array(batch.mask.length);
    for (let b = 0; b < batch.size; b++)
      for (let i = 0; i < N; i++) {
        const j = N - 1 - i;
        m2[b * N + j] = batch.mask[b * N + i]!;
        for (let f = 0; f < F; f++) x2[(b * N + j) * F + f] = batch.x[(b * N + i) * F + f]!;
      }
    const b2 = net.backward({ x: x2, mask: m2, size: batch.size }, dOut, { paramGrad: false, inputGrad: true });
    expect(relErr(b2.out, a.out)).toBeLessThan(1e-5);
    const back = new Float32Array(x2.length);
    for (let b = 0; b < batch.size; b++)
      for (let i = 0; i < N; i++)
        for (let f = 0; f < F; f++) back[(b * N + i) * F + f] = b2.gradX![(b * N + N - 1 - i) * F + f]!;
    expect(relErr(back, a.gradX!)).toBeLessThan(1e-5);
    net.dispose();
  });

  it('gives the same numbers on the portable kernels, on 1 or 3 threads, and run after run', () => {
    const c = CONFIGS['small+LN']!;
    const params = initParams(c, 8);
    const batch = makeBatch(c, 23, 2);
    const dOut = cotangent(batch.size, 6);
    const opts = { paramGrad: true, inputGrad: true } as const;
    const nets = [
      createNativeEnergyNet(c, params, { threads: 2 }),
      createNativeEnergyNet(c, params, { threads: 1 }),
      createNativeEnergyNet(c, params, { threads: 3, chunkRows: 16 }),
      createNativeEnergyNet(c, params, { threads: 2, simd: 'generic' }),
    ];
    const [base, ...others] = nets.map((n) => n.backward(batch, dOut, opts));
    for (const o of others) {
      expect(relErr(o!.out, base!.out)).toBeLessThan(1e-5);
      expect(relErr(o!.gradX!, base!.gradX!)).toBeLessThan(1e-5);
      expect(relErr(o!.gradParams!, base!.gradParams!)).toBeLessThan(1e-5);
    }
    const again = nets[0]!.backward(batch, dOut, opts);
    expect(again.gradParams).toEqual(base!.gradParams);
    expect(again.gradX).toEqual(base!.gradX);
    for (const n of nets) n.dispose();
  });

  it('loads and computes inside a worker thread (context-aware N-API), same numbers as the main thread', async () => {
    const c = tiny;
    const params = initParams(c, 1);
    const batch = makeBatch(c, 3, 1);
    const ref = createNativeEnergyNet(c, params, { threads: 1 });
    const expected = ref.forward(batch);
    ref.dispose();
    const path = new URL('../../native/build/Release/ebm_native.node', import.meta.url).pathname;
    const code = `
      const { parentPort, workerData: w } = require('node:worker_threads');
      const addon = require(w.path);
      const net = addon.createNet(w.desc, 0, 2, 'auto', 0);
      addon.setParams(net, w.params);
      const out = new Float32Array(w.size * w.outputs);
      addon.run(net, w.x, w.mask, w.size, null, null, out, null, null);
      addon.dispose(net);
      parentPort.postMessage(out);`;
    const worker = new Worker(code, {
      eval: true,
      workerData: { path, desc: nativeNetDescription(c), params, x: batch.x, mask: batch.mask, size: batch.size, outputs: c.outputs },
    });
    const out = await new Promise<Float32Array>((res, rej) => {
      worker.once('message', res);
      worker.once('error', rej);
    });
    await worker.terminate();
    expect(out).toEqual(expected);
  });

  it('rejects malformed batches and use after dispose', () => {
    const c = tiny;
    const net = createNativeEnergyNet(c, initParams(c, 1));
    expect(() => net.forward({ x: new Float32Array(5), mask: new Uint8Array(c.particles), size: 1 })).toThrow(/expected/);
    expect(() => net.setParams(new Float32Array(3))).toThrow(/parameters/);
    net.dispose();
    expect(() => net.forward(makeBatch(c, 1, 1))).toThrow(/dispose/);
  });
});
