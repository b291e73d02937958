// Histogram plots in the HEP style: data vs generated with a ratio panel (paper Figs. 2, 5), energy distributions per
// class (Fig. 4 left) and background mass shapes after score cuts (Figs. 6 right, 7). Each returns an ECharts option.
import type { EChartsOption } from 'echarts';
import { annotation, BAND_COLOR, legendItem, DATA_COLOR, finish, fmt, GUIDE_COLOR, HEP_COLORS, hepAxis, hepGrid, hepLegend, hepTitle, roundTicks, stepPoints, stepSeries, tickLabel } from './theme.ts';

type Opt = Record<string, unknown>;

/** Unit-area normalisation Σ cᵢ Δᵢ = 1 (a "1/N dN/dx" density); all-zero stays zero. */
export function toDensity(edges: ArrayLike<number>, counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const out: number[] = [];
  for (let i = 0; i < counts.length; i++) out.push(total > 0 ? counts[i]! / total / (edges[i + 1]! - edges[i]!) : 0);
  return out;
}

function maxOf(arrays: ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!) && a[i]! > m) m = a[i]!;
  return m;
}

function minPositive(arrays: ArrayLike<number>[]): number {
  let m = Infinity;
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (a[i]! > 0 && a[i]! < m) m = a[i]!;
  return Number.isFinite(m) ? m : 1;
}

/** y-axis limits leaving head-room for the legend (linear ×1.35, log ×30 decades style). */
function yLimits(arrays: ArrayLike<number>[], log: boolean): { min: number; max: number } {
  const hi = maxOf(arrays);
  if (log) {
    const lo = minPositive(arrays);
    return { min: 10 ** Math.floor(Math.log10(lo)), max: 10 ** Math.ceil(Math.log10(hi * 30)) };
  }
  return { min: 0, max: niceCeil(hi * 1.35) };
}

/** Round up to 1, 2, 2.5, 5 × 10ⁿ so tick labels stay round. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const e = Math.floor(Math.log10(v));
  const f = v / 10 ** e;
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((s) => s >= f - 1e-12) ?? 10;
  return Number((step * 10 ** e).toPrecision(12));
}

export interface HistogramWithRatioInput {
  /** Shared bin edges (units of the x label). */
  edges: ArrayLike<number>;
  /** The reference, drawn black (data). Raw counts unless `normalized` is set. */
  reference: { name: string; counts: ArrayLike<number> };
  /** Compared histograms (generated), coloured; ratio = each / reference. */
  others: { name: string; counts: ArrayLike<number>; dashed?: boolean }[];
  /** x-axis label with unit, e.g. 'jet mass [GeV]'. */
  xLabel: string;
  /** y-axis label; default 'a.u. (unit area)' when normalising, 'jets / bin' otherwise. */
  yLabel?: string;
  /** Normalise every histogram to unit area (default true). The reference's raw counts give the ratio band. */
  normalize?: boolean;
  /** Counts are already normalised by the caller (no statistical band then). */
  normalized?: boolean;
  logY?: boolean;
  /** Ratio-panel label and range (default 'gen. / data', [0, 2]). */
  ratioLabel?: string;
  ratioRange?: [number, number];
  /** Lines of text shown inside the frame, e.g. ['JSD = 0.012 nats', 'W₁ = 1.3 GeV']. */
  metrics?: string[];
  /** Experiment-style label, e.g. 'EBM-HEP  Pythia 8 QCD jets' (double space separates the bold head). */
  title?: string;
}

/**
 * Step histograms of a reference (black) and one or more compared samples, normalised to unit area, with a ratio
 * panel (compared / reference) below sharing the x axis; grey band = reference statistical uncertainty 1/√N per bin.
 */
export function histogramWithRatio(input: HistogramWithRatioInput): EChartsOption {
  const { edges, reference, others } = input;
  const normalize = input.normalize ?? true;
  const log = input.logY ?? false;
  const norm = (c: ArrayLike<number>) => (normalize && !input.normalized ? toDensity(edges, c) : Array.from(c));
  const ref = norm(reference.counts);
  const comp = others.map((o) => norm(o.counts));
  const [rLo, rHi] = input.ratioRange ?? [0, 2];
  const xMin = edges[0]!;
  const xMax = edges[edges.length - 1]!;
  const lim = yLimits([ref, ...comp], log);

  const series: Opt[] = [stepSeries(reference.name, edges, ref, { color: DATA_COLOR, width: 1.8, log })];
  others.forEach((o, k) => series.push(stepSeries(o.name, edges, comp[k]!, { color: HEP_COLORS[k % HEP_COLORS.length], dashed: o.dashed, log })));

  // Ratio panel: statistical band of the reference (raw counts), then the ratios.
  if (!input.normalized) {
    const lower: number[] = [];
    const upper: number[] = [];
    for (let i = 0; i < reference.counts.length; i++) {
      const n = reference.counts[i]!;
      const rel = n > 0 ? 1 / Math.sqrt(n) : NaN;
      lower.push(Number.isFinite(rel) ? Math.max(1 - rel, rLo) : NaN);
      upper.push(Number.isFinite(rel) ? Math.min(1 + rel, rHi) : NaN);
    }
    const lo = stepPoints(edges, lower, { closed: false });
    const hiBand = stepPoints(edges, upper.map((u, i) => u - lower[i]!), { closed: false });
    series.push(
      { type: 'line', name: '__band_lo', data: lo, xAxisIndex: 1, yAxisIndex: 1, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, silent: true, legendHoverLink: false },
      { type: 'line', name: 'data stat. unc.', data: hiBand, xAxisIndex: 1, yAxisIndex: 1, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: BAND_COLOR }, itemStyle: { color: BAND_COLOR }, silent: true },
    );
  }
  others.forEach((o, k) => {
    const ratio = comp[k]!.map((v, i) => (ref[i]! > 0 ? Math.min(Math.max(v / ref[i]!, rLo), rHi) : NaN));
    series.push(stepSeries(`${o.name} / ${reference.name}`, edges, ratio, { color: HEP_COLORS[k % HEP_COLORS.length], dashed: o.dashed, log: false, xAxisIndex: 1, yAxisIndex: 1 }));
    (series[series.length - 1] as Opt).data = stepPoints(edges, ratio, { closed: false });
  });
  series.push({
    type: 'line',
    name: '__unity',
    data: [
      [xMin, 1],
      [xMax, 1],
    ],
    xAxisIndex: 1,
    yAxisIndex: 1,
    symbol: 'none',
    lineStyle: { color: GUIDE_COLOR, width: 1, type: 'dashed' },
    silent: true,
  });

  const title = hepTitle(input.title);
  return finish({
    ...(title ? { title } : {}),
    grid: [hepGrid({ top: 44, height: '58%' }), hepGrid({ top: '74%', bottom: 52 })],
    xAxis: [
      hepAxis('x', { min: xMin, max: xMax, hideLabels: true, gridIndex: 0, ticks: roundTicks(xMin, xMax, 6) }),
      hepAxis('x', { name: input.xLabel, min: xMin, max: xMax, gridIndex: 1, formatter: tickLabel, ticks: roundTicks(xMin, xMax, 6) }),
    ],
    yAxis: [
      hepAxis('y', { name: input.yLabel ?? (normalize || input.normalized ? 'a.u. (unit area)' : 'jets / bin'), log, min: lim.min, max: lim.max, gridIndex: 0, formatter: log ? undefined : tickLabel }),
      hepAxis('y', { name: input.ratioLabel ?? 'gen. / data', min: rLo, max: rHi, gridIndex: 1, splitNumber: 2, formatter: tickLabel }),
    ],
    legend: { ...hepLegend(), data: [legendItem(reference.name), ...others.map((o) => legendItem(o.name, o.dashed)), ...(input.normalized ? [] : [{ name: 'data stat. unc.', icon: 'rect' }])] },
    graphic: input.metrics?.length ? [annotation(input.metrics, { left: 92, top: 52 })] : [],
    series,
  });
}

export interface EnergyDistributionsInput {
  edges: ArrayLike<number>;
  /** Background first, then signals, then noise; counts raw (normalised here) unless `normalized`. */
  classes: { name: string; role: 'background' | 'signal' | 'noise'; counts: ArrayLike<number> }[];
  normalized?: boolean;
  xLabel?: string;
  logY?: boolean;
  title?: string;
  metrics?: string[];
}

/** Energy distributions per class on shared bins: background black, signals coloured, random noise grey dashed. */
export function energyDistributions(input: EnergyDistributionsInput): EChartsOption {
  const log = input.logY ?? false;
  const { edges } = input;
  let signalIndex = 0;
  const curves = input.classes.map((c) => {
    const y = input.normalized ? Array.from(c.counts) : toDensity(edges, c.counts);
    const color = c.role === 'background' ? DATA_COLOR : c.role === 'noise' ? GUIDE_COLOR : HEP_COLORS[signalIndex++ % HEP_COLORS.length]!;
    return { c, y, color };
  });
  const lim = yLimits(
    curves.map((k) => k.y),
    log,
  );
  const title = hepTitle(input.title);
  return finish({
    ...(title ? { title } : {}),
    grid: hepGrid({ top: 44 }),
    xAxis: hepAxis('x', { name: input.xLabel ?? 'energy E(x)', min: edges[0]!, max: edges[edges.length - 1]!, formatter: tickLabel, ticks: roundTicks(edges[0]!, edges[edges.length - 1]!, 6) }),
    yAxis: hepAxis('y', { name: 'a.u. (unit area)', log, min: lim.min, max: lim.max, formatter: log ? undefined : tickLabel }),
    legend: { ...hepLegend(), data: input.classes.map((c) => legendItem(c.name, c.role === 'noise')) },
    graphic: input.metrics?.length ? [annotation(input.metrics, { left: 92, top: 52 })] : [],
    series: curves.map(({ c, y, color }) => stepSeries(c.name, edges, y, { color, dashed: c.role === 'noise', log, width: c.role === 'background' ? 1.8 : 1.6 })),
  });
}

export interface SculptingChartInput {
  /** Mass bin edges [GeV]. */
  edges: ArrayLike<number>;
  /** All-background mass histogram (raw counts). */
  uncut: ArrayLike<number>;
  /** Passing-background histograms per acceptance ε_B (raw counts) with their JSD [nats] vs the uncut shape. */
  curves: { acceptance: number; counts: ArrayLike<number>; jsd: number }[];
  xLabel?: string;
  logY?: boolean;
  title?: string;
  /** Score name for the legend header, e.g. 'cut on E(x)'. */
  scoreName?: string;
}

/** Background mass shapes (unit area) before and after cuts keeping ε_B of the background; JSD per cut in the legend. */
export function sculptingChart(input: SculptingChartInput): EChartsOption {
  const log = input.logY ?? false;
  const { edges } = input;
  const uncut = toDensity(edges, input.uncut);
  const cut = input.curves.filter((c) => c.acceptance < 1);
  const ys = cut.map((c) => toDensity(edges, c.counts));
  const lim = yLimits([uncut, ...ys], log);
  const label = (c: { acceptance: number; jsd: number }) => `ε_B = ${fmt(100 * c.acceptance)}%, JSD = ${fmt(c.jsd)}`;
  const title = hepTitle(input.title);
  return finish({
    ...(title ? { title } : {}),
    grid: hepGrid({ top: 44 }),
    xAxis: hepAxis('x', { name: input.xLabel ?? 'jet mass [GeV]', min: edges[0]!, max: edges[edges.length - 1]!, formatter: tickLabel }),
    yAxis: hepAxis('y', { name: 'a.u. (unit area)', log, min: lim.min, max: lim.max, formatter: log ? undefined : tickLabel }),
    legend: { ...hepLegend(), data: ['no cut', ...cut.map(label)] },
    graphic: [annotation([`background, ${input.scoreName ?? 'cut on the score'}`, 'JSD in nats vs no cut'], { left: 92, top: 52 })],
    series: [
      stepSeries('no cut', edges, uncut, { color: DATA_COLOR, width: 1.8, log }),
      ...cut.map((c, k) => stepSeries(label(c), edges, ys[k]!, { color: HEP_COLORS[k % HEP_COLORS.length], log })),
    ],
  });
}
