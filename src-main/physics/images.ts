// Jet images: the average pT-weighted picture of padded jets in the (Δη, Δφ) plane of the preprocessed frame, as
// shown in the Generation view (data vs generated). Pure function over (ln pT, Δη, Δφ) features.
import { FEATURES } from './observables.ts';

export interface JetImageOptions {
  /** Pixels per axis: one number for a square image, or [nEta, nPhi] (default 32). */
  bins?: number | [number, number];
  /** Δη range [lo, hi) of the image (default [−0.8, 0.8]). */
  etaRange?: [number, number];
  /** Δφ range [lo, hi) of the image (default [−0.8, 0.8]). */
  phiRange?: [number, number];
  /** Divide each jet's pixels by its pT inside the image before averaging, so every jet weighs the same (default true). */
  normalize?: boolean;
}

/**
 * Average pT-weighted jet image of un-standardised features x [size, particles, 3] = (ln pT, Δη, Δφ) with mask.
 * Returns `pixels[iEta * nPhi + iPhi]` (row = Δη bin from low to high, column = Δφ bin — the layout of the API's
 * `JetImage` and of the chart builder): mean pT per pixel [GeV], or mean pT fraction when normalised. Padded slots and particles outside the ranges are skipped; jets with nothing
 * inside the image do not count in the average.
 */
export function jetImage(x: Float32Array, mask: Uint8Array, size: number, particles: number, opts: JetImageOptions = {}): Float32Array {
  if (x.length !== size * particles * FEATURES || mask.length !== size * particles) {
    throw new Error(`jetImage: expected x of ${size}×${particles}×${FEATURES} and mask of ${size}×${particles}`);
  }
  const [nEta, nPhi] = typeof opts.bins === 'number' ? [opts.bins, opts.bins] : (opts.bins ?? [32, 32]);
  if (!(Number.isInteger(nEta) && Number.isInteger(nPhi) && nEta > 0 && nPhi > 0)) throw new Error(`jetImage: bins must be positive integers, got ${nEta}×${nPhi}`);
  const etaRange = opts.etaRange ?? [-0.8, 0.8];
  const phiRange = opts.phiRange ?? [-0.8, 0.8];
  if (!(etaRange[1] > etaRange[0] && phiRange[1] > phiRange[0])) throw new Error('jetImage: each range needs hi > lo');
  const normalize = opts.normalize ?? true;
  const sum = new Float64Array(nEta * nPhi);
  const jetPix = new Float64Array(nEta * nPhi);
  const touched: number[] = [];
  const sEta = nEta / (etaRange[1] - etaRange[0]);
  const sPhi = nPhi / (phiRange[1] - phiRange[0]);
  let jets = 0;
  for (let j = 0; j < size; j++) {
    touched.length = 0;
    let total = 0;
    for (let k = 0; k < particles; k++) {
      const s = j * particles + k;
      if (!mask[s]) continue;
      const o = s * FEATURES;
      const ie = Math.floor((x[o + 1]! - etaRange[0]) * sEta);
      const ip = Math.floor((x[o + 2]! - phiRange[0]) * sPhi);
      if (!(ie >= 0 && ie < nEta && ip >= 0 && ip < nPhi)) continue; // also drops NaN
      const pt = Math.exp(x[o]!);
      if (!Number.isFinite(pt)) continue;
      const pix = ie * nPhi + ip;
      if (jetPix[pix] === 0) touched.push(pix);
      jetPix[pix]! += pt;
      total += pt;
    }
    if (total <= 0) continue;
    jets++;
    const w = normalize ? 1 / total : 1;
    for (const pix of touched) {
      sum[pix]! += jetPix[pix]! * w;
      jetPix[pix] = 0;
    }
  }
  const pixels = new Float32Array(nEta * nPhi);
  if (jets > 0) for (let i = 0; i < pixels.length; i++) pixels[i] = sum[i]! / jets;
  return pixels;
}

/** The n + 1 bin edges of an image axis spanning range [lo, hi). */
export function imageEdges(range: [number, number], n: number): number[] {
  return Array.from({ length: n + 1 }, (_, i) => range[0] + ((range[1] - range[0]) * i) / n);
}
