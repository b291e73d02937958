// The replay buffer of negatives (persistent chains, Algorithm 1): states with their masks; fresh entries are N(0, 1)
// noise in standardised space at real slots, their particle counts drawn from the training multiplicity histogram.
import { maskFromMultiplicities, sampleMultiplicities } from '../physics/preprocess.ts';
import type { Rng } from '../util/rng.ts';

/** Fresh noise jets: masks from the multiplicity histogram, x ~ N(0, 1) at real slots, 0 at padding. */
export function noiseJets(count: number, particles: number, features: number, hist: ArrayLike<number>, rng: Rng): { x: Float32Array; mask: Uint8Array } {
  const counts = sampleMultiplicities(Float64Array.from(hist), count, () => rng.uniform());
  const mask = maskFromMultiplicities(counts, particles);
  const x = new Float32Array(count * particles * features);
  for (let s = 0; s < mask.length; s++) if (mask[s]) for (let f = 0; f < features; f++) x[s * features + f] = rng.normal();
  return { x, mask };
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly particles: number;
  readonly features: number;
  readonly hist: Float64Array;
  x: Float32Array;
  mask: Uint8Array;

  private constructor(capacity: number, particles: number, features: number, hist: ArrayLike<number>, x: Float32Array, mask: Uint8Array) {
    this.capacity = capacity;
    this.particles = particles;
    this.features = features;
    this.hist = Float64Array.from(hist);
    this.x = x;
    this.mask = mask;
  }

  /** A buffer filled with noise jets. */
  static fresh(capacity: number, particles: number, features: number, hist: ArrayLike<number>, rng: Rng): ReplayBuffer {
    const { x, mask } = noiseJets(capacity, particles, features, hist, rng);
    return new ReplayBuffer(capacity, particles, features, hist, x, mask);
  }

  /** A buffer restored from a checkpoint. */
  static restore(particles: number, features: number, hist: ArrayLike<number>, x: Float32Array, mask: Uint8Array): ReplayBuffer {
    const capacity = mask.length / particles;
    if (!Number.isInteger(capacity) || x.length !== capacity * particles * features) throw new Error('replay buffer checkpoint has inconsistent sizes');
    return new ReplayBuffer(capacity, particles, features, hist, x, mask);
  }

  /**
   * Draws `count` distinct entries (uniformly, without replacement); each is first re-initialised from noise with
   * probability `reinitFraction`. Returns their indices and copies of their states and masks.
   */
  sample(count: number, reinitFraction: number, rng: Rng): { idx: Uint32Array; x: Float32Array; mask: Uint8Array } {
    const n = Math.min(count, this.capacity);
    const idx = rng.permutation(this.capacity).slice(0, n);
    const N = this.particles;
    const F = this.features;
    const x = new Float32Array(n * N * F);
    const mask = new Uint8Array(n * N);
    for (let b = 0; b < n; b++) {
      const i = idx[b]!;
      if (rng.uniform() < reinitFraction) {
        const fresh = noiseJets(1, N, F, this.hist, rng);
        this.x.set(fresh.x, i * N * F);
        this.mask.set(fresh.mask, i * N);
      }
      x.set(this.x.subarray(i * N * F, (i + 1) * N * F), b * N * F);
      mask.set(this.mask.subarray(i * N, (i + 1) * N), b * N);
    }
    return { idx, x, mask };
  }

  /** Writes the chains' end states back (masks unchanged). */
  write(idx: Uint32Array, x: Float32Array): void {
    const per = this.particles * this.features;
    for (let b = 0; b < idx.length; b++) this.x.set(x.subarray(b * per, (b + 1) * per), idx[b]! * per);
  }
}
