// Average jet images: pixel placement, pT weighting, normalisation, padding and out-of-range particles skipped.
import { describe, expect, it } from 'vitest';
import { jetImage } from '../../src-main/physics/images.ts';
import { preprocess } from '../../src-main/physics/preprocess.ts';
import { readJets } from '../../src-main/data/read.ts';
import { sampleFiles } from '../../src-main/data/sample.ts';

describe('jetImage', () => {
  const size = 2, particles = 3;
  const x = new Float32Array(size * particles * 3);
  const mask = new Uint8Array(size * particles);
  // jet 0: 30 GeV at (−0.5, −0.5) → pixel (0,0); 10 GeV at (0.5, 0.5) → pixel (1,1); a junk padded slot
  x.set([Math.log(30), -0.5, -0.5, Math.log(10), 0.5, 0.5, 5, 0, 0], 0);
  mask.set([1, 1, 0], 0);
  // jet 1: 20 GeV at (0.5, −0.5) → η bin 1, φ bin 0; 5 GeV outside the range
  x.set([Math.log(20), 0.5, -0.5, Math.log(5), 3, 0, 0, 0, 0], 9);
  mask.set([1, 1, 0], 3);

  it('averages per-jet pT fractions (normalised)', () => {
    const img = jetImage(x, mask, size, particles, { bins: 2, etaRange: [-1, 1], phiRange: [-1, 1] });
    // pixels[iEta*2 + iPhi]: jet0 → (0,0) 0.75, (1,1) 0.25; jet1 → iEta 1, iPhi 0: 1.0; mean over 2 jets
    expect(Array.from(img)).toEqual([0.375, 0, 0.5, 0.125]);
  });
  it('sums GeV when not normalised', () => {
    const img = jetImage(x, mask, size, particles, { bins: [2, 2], etaRange: [-1, 1], phiRange: [-1, 1], normalize: false });
    expect(Array.from(img).map((v) => +v.toFixed(4))).toEqual([15, 0, 10, 5]);
  });
  it('rejects bad arguments', () => {
    expect(() => jetImage(x, mask, 3, particles)).toThrow(/expected x/);
    expect(() => jetImage(x, mask, size, particles, { bins: 0 })).toThrow(/bins/);
  });
  it('the average W image of the embedded sample is centered and sums to ≈ 1 inside ±0.8', async () => {
    const p = preprocess(await readJets(sampleFiles().w, { maxJets: 300 }));
    const img = jetImage(p.x, p.mask, p.size, p.particles, { bins: 16 });
    const total = img.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 3);
    // the hardest pixel is one of the four central ones
    const best = img.indexOf(Math.max(...img));
    expect([7, 8]).toContain(best % 16);
    expect([7, 8]).toContain(Math.floor(best / 16));
  });
});
