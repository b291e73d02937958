// Test helpers for model/ and train/: random padded jet batches and tiny configs.
import { Rng } from '../../src-main/util/rng.ts';
import { MODEL_PRESETS, type EnergyConfig, type JetBatch } from '../../src-main/model/spec.ts';

export function tinyConfig(over: Partial<EnergyConfig> = {}): EnergyConfig {
  return { ...MODEL_PRESETS.tiny, particles: 6, ...over };
}

/** size jets with random multiplicities in [minN, N], x ~ N(0,1) at real slots and 0 at padding. */
export function randomBatch(c: EnergyConfig, size: number, seed: number, minN = 2): JetBatch {
  const rng = new Rng(seed);
  const N = c.particles;
  const F = c.features;
  const x = new Float32Array(size * N * F);
  const mask = new Uint8Array(size * N);
  for (let b = 0; b < size; b++) {
    const n = minN + rng.int(N - minN + 1);
    for (let i = 0; i < n; i++) {
      mask[b * N + i] = 1;
      for (let f = 0; f < F; f++) x[(b * N + i) * F + f] = rng.normal();
    }
  }
  return { x, mask, size };
}
