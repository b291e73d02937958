// Pure aggregation for plot-feeding API responses: binned histograms on shared edges, thinned series, average jet
// images, flattened config diffs and CSV — so nothing per-jet crosses the API.
import { commonRange, histogram } from '../eval/histogram.ts';
import { imageEdges, jetImage } from '../physics/images.ts';
import type { Histogram, JetImage, Series } from './types.ts';

/** Histograms of several samples on shared edges (range from their pooled 0.1–99.9% quantiles unless given). */
export function sharedHistograms(samples: ArrayLike<number>[], bins: number, range?: [number, number], integer = false): Histogram[] {
  let r = range ?? commonRange(samples, { lowQuantile: 0.001, highQuantile: 0.999, pad: 0.02 });
  let b = bins;
  if (integer) {
    // integer-valued (multiplicity): one bin per integer
    const lo = Math.floor(r[0]);
    const hi = Math.ceil(r[1]);
    r = [lo - 0.5, hi + 0.5];
    b = Math.max(1, Math.min(hi - lo + 1, 500));
  }
  return samples.map((s) => {
    const h = histogram(s, { bins: b, range: r, clamp: true });
    return { edges: Array.from(h.edges), counts: Array.from(h.counts) };
  });
}

/** Series thinned to at most maxPoints by bucket means (x = bucket mean too); NaN values skipped. */
export function thinSeries(x: number[], y: number[], maxPoints: number): { x: number[]; y: number[] } {
  if (x.length <= maxPoints) return { x, y };
  const outX: number[] = [];
  const outY: number[] = [];
  const per = x.length / maxPoints;
  for (let b = 0; b < maxPoints; b++) {
    const lo = Math.floor(b * per);
    const hi = Math.min(x.length, Math.floor((b + 1) * per));
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (let i = lo; i < hi; i++) {
      if (!Number.isFinite(y[i]!)) continue;
      sx += x[i]!;
      sy += y[i]!;
      n++;
    }
    if (n) {
      outX.push(sx / n);
      outY.push(sy / n);
    }
  }
  return { x: outX, y: outY };
}

/** Average jet image (physics/images.ts) in the API's layout: values[iEta * nPhi + iPhi], mean pT fraction per pixel. */
export function averageJetImage(x: Float32Array, mask: Uint8Array, size: number, particles: number, pixels = 32, halfWidth = 0.8): JetImage {
  const img = jetImage(x, mask, size, particles, { bins: pixels, etaRange: [-halfWidth, halfWidth], phiRange: [-halfWidth, halfWidth], normalize: true });
  const edges = imageEdges([-halfWidth, halfWidth], pixels);
  return { etaEdges: edges, phiEdges: edges.slice(), values: Array.from(img), nJets: size };
}

/** Flattens nested config objects to dotted keys ({ a: { b: 1 } } → { 'a.b': 1 }); arrays are leaf values. */
export function flatten(obj: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out[prefix] = obj;
  return out;
}

/** Keys whose values differ between configs (by JSON equality), with each config's value (null when absent). */
export function configDiff(configs: Record<string, unknown>[]): { key: string; values: unknown[] }[] {
  const flat = configs.map((c) => flatten(c));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  const diff: { key: string; values: unknown[] }[] = [];
  for (const key of keys) {
    const values = flat.map((f) => (key in f ? f[key] : null));
    const first = JSON.stringify(values[0]);
    if (values.some((v) => JSON.stringify(v) !== first)) diff.push({ key, values });
  }
  return diff;
}

function csvField(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Long-format CSV: `series,x,y`, one row per point. */
export function seriesToCsv(series: Series[]): string {
  const rows = ['series,x,y'];
  for (const s of series) for (let i = 0; i < s.x.length; i++) rows.push(`${csvField(s.name)},${csvField(s.x[i]!)},${csvField(s.y[i]!)}`);
  return rows.join('\n') + '\n';
}
