// 2-D plots drawn as rectangles on value axes (so bins keep their true edges): score–mass 2-D histogram with the
// mean-score profile (paper Fig. 4 right) and average jet images in (Δη, Δφ) (Fig. 3), both on a log colour scale
// with a labelled colour bar. Returns ECharts options.
import type { EChartsOption } from 'echarts';
import { annotation, DATA_COLOR, finish, FONT_SIZE, HEP_FONT, hepAxis, hepGrid, hepTitle, roundTicks, superscript, tickLabel } from './theme.ts';

type Opt = Record<string, unknown>;

/** Viridis, 9 stops (matplotlib's default colour map). */
export const VIRIDIS: readonly string[] = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];

interface Cells {
  data: [number, number, number, number, number][];
  logMin: number;
  logMax: number;
}

/** Rectangles [x0, x1, y0, y1, log10 value] of the positive cells of a row-major [x × y] grid. */
function cells(xEdges: ArrayLike<number>, yEdges: ArrayLike<number>, values: ArrayLike<number>): Cells {
  const nx = xEdges.length - 1;
  const ny = yEdges.length - 1;
  if (values.length !== nx * ny) throw new RangeError(`2-D histogram has ${values.length} values for ${nx}×${ny} bins`);
  const data: Cells['data'] = [];
  let logMin = Infinity;
  let logMax = -Infinity;
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      const v = values[i * ny + j]!;
      if (!(v > 0) || !Number.isFinite(v)) continue;
      const l = Math.log10(v);
      logMin = Math.min(logMin, l);
      logMax = Math.max(logMax, l);
      data.push([xEdges[i]!, xEdges[i + 1]!, yEdges[j]!, yEdges[j + 1]!, l]);
    }
  }
  if (!Number.isFinite(logMin)) {
    logMin = 0;
    logMax = 1;
  }
  if (logMax - logMin < 1e-9) logMax = logMin + 1;
  return { data, logMin: Math.floor(logMin), logMax: Math.ceil(logMax) };
}

interface RenderApi {
  value(dim: number): number;
  coord(p: [number, number]): number[];
  visual(key: string): unknown;
}

/** Custom series drawing each cell as a filled rectangle between its true edges. */
function rectSeries(name: string, data: Cells['data']): Opt {
  return {
    type: 'custom',
    name,
    data,
    encode: { x: [0, 1], y: [2, 3] },
    dimensions: ['x0', 'x1', 'y0', 'y1', 'log10'],
    renderItem: (_params: unknown, api: RenderApi) => {
      const a = api.coord([api.value(0), api.value(3)]);
      const b = api.coord([api.value(1), api.value(2)]);
      return {
        type: 'rect',
        shape: { x: a[0]!, y: a[1]!, width: b[0]! - a[0]! + 0.5, height: b[1]! - a[1]! + 0.5 },
        style: { fill: api.visual('color') as string },
      };
    },
    silent: true,
    // Below the axes so the inward ticks stay visible on top of the pixels.
    z: 1,
  };
}

/** A vertical colour bar on the right, labelled with `label`, ticks 10ⁿ. */
function logColorBar(logMin: number, logMax: number, label: string): Opt {
  return {
    type: 'continuous',
    dimension: 4,
    seriesIndex: 0,
    min: logMin,
    max: logMax,
    inRange: { color: [...VIRIDIS] },
    orient: 'vertical',
    right: 16,
    top: 'middle',
    itemHeight: 250,
    itemWidth: 14,
    calculable: false,
    realtime: false,
    precision: 0,
    text: [`10${superscript(logMax)}`, `10${superscript(logMin)}`],
    textGap: 6,
    textStyle: { fontSize: FONT_SIZE.tick, fontFamily: HEP_FONT, color: '#000000' },
    formatter: (v: number) => `10${superscript(Math.round(v))}`,
    showLabel: false,
    label: { show: false },
    hoverLink: false,
    // The bar's title is drawn by the caller as rotated text (visualMap has no axis title).
    __label: label,
  };
}

function colorBarTitle(label: string): Opt {
  return {
    type: 'text',
    right: 62,
    top: 'middle',
    rotation: Math.PI / 2,
    style: { text: label, fontSize: FONT_SIZE.axisName, fontFamily: HEP_FONT, fill: '#000000', textAlign: 'center' },
  };
}

/** A text block on a white, semi-transparent box (readable over the cells). */
function boxed(text: Opt): Opt {
  const style = text.style as Opt;
  return { ...text, style: { ...style, backgroundColor: 'rgba(255,255,255,0.85)', padding: [3, 5] } };
}

export interface ScoreMassInput {
  /** x = jet mass bins [GeV], y = score bins; values row-major [x × y] (counts). */
  xEdges: ArrayLike<number>;
  yEdges: ArrayLike<number>;
  values: ArrayLike<number>;
  /** Mean score per mass bin (drawn as black points). */
  profile?: { x: ArrayLike<number>; y: ArrayLike<number> };
  xLabel?: string;
  yLabel?: string;
  /** e.g. ['Pearson ρ = 0.05', 'dCor = 0.08']. */
  metrics?: string[];
  title?: string;
}

/** Score vs jet mass as a 2-D histogram (log colour = jets per bin) with the mean-score profile. */
export function scoreMassHistogram(input: ScoreMassInput): EChartsOption {
  const c = cells(input.xEdges, input.yEdges, input.values);
  const vm = logColorBar(c.logMin, c.logMax, 'jets / bin');
  delete vm.__label;
  const series: Opt[] = [rectSeries('jets', c.data)];
  if (input.profile) {
    const pts: [number, number][] = [];
    for (let i = 0; i < input.profile.x.length; i++) if (Number.isFinite(input.profile.y[i]!)) pts.push([input.profile.x[i]!, input.profile.y[i]!]);
    series.push({ type: 'line', name: 'mean score', data: pts, symbol: 'circle', symbolSize: 5, lineStyle: { color: DATA_COLOR, width: 1.2 }, itemStyle: { color: DATA_COLOR }, z: 10 });
  }
  const xs = input.xEdges;
  const ys = input.yEdges;
  const title = hepTitle(input.title);
  return finish({
    ...(title ? { title } : {}),
    grid: hepGrid({ top: 44, right: 96 }),
    xAxis: hepAxis('x', { name: input.xLabel ?? 'jet mass [GeV]', min: xs[0]!, max: xs[xs.length - 1]!, formatter: tickLabel }),
    yAxis: hepAxis('y', { name: input.yLabel ?? 'energy E(x)', min: ys[0]!, max: ys[ys.length - 1]!, formatter: tickLabel, ticks: roundTicks(ys[0]!, ys[ys.length - 1]!, 6) }),
    visualMap: vm,
    graphic: [colorBarTitle('jets / bin'), ...(input.metrics?.length ? [boxed(annotation(input.metrics, { right: 104, bottom: 66 }))] : [])],
    series,
  });
}

export interface JetImageInput {
  /** Δη and Δφ pixel edges; values row-major [η × φ] = mean pT fraction per pixel per jet. */
  etaEdges: ArrayLike<number>;
  phiEdges: ArrayLike<number>;
  values: ArrayLike<number>;
  nJets: number;
  title?: string;
  /** Colour-bar label (default '⟨p_T fraction⟩ per pixel'). */
  colorLabel?: string;
  /** Fix the colour range as log10 [min, max] to compare two images on one scale. */
  logRange?: [number, number];
}

/** An average jet image in the (Δη, Δφ) plane on a log colour scale with a labelled colour bar. */
export function jetImage(input: JetImageInput): EChartsOption {
  const c = cells(input.etaEdges, input.phiEdges, input.values);
  const [lo, hi] = input.logRange ?? [Math.max(c.logMin, c.logMax - 6), c.logMax];
  const label = input.colorLabel ?? '⟨p_T fraction⟩ per pixel';
  const vm = logColorBar(lo, hi, label);
  delete vm.__label;
  // Cells below the colour range are clamped to its bottom colour.
  for (const d of c.data) d[4] = Math.max(d[4], lo);
  const e = input.etaEdges;
  const p = input.phiEdges;
  const title = hepTitle(input.title);
  return finish({
    ...(title ? { title } : {}),
    grid: hepGrid({ top: 44, right: 104, left: 70 }),
    xAxis: hepAxis('x', { name: 'Δη', min: e[0]!, max: e[e.length - 1]!, ticks: roundTicks(e[0]!, e[e.length - 1]!), formatter: tickLabel }),
    yAxis: hepAxis('y', { name: 'Δφ [rad]', min: p[0]!, max: p[p.length - 1]!, ticks: roundTicks(p[0]!, p[p.length - 1]!), formatter: tickLabel }),
    visualMap: vm,
    graphic: [colorBarTitle(label), annotation([`${input.nJets} jets`], { right: 104, top: 24 })],
    series: [rectSeries('pixels', c.data)],
  });
}
