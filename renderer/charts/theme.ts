// The one HEP plot style (after mplhep): framed axes with inward major+minor ticks, labels with units at the axis
// ends, step histograms, a colour-blind-safe cycle, no animation. Pure TS (ECharts option fragments, no DOM, no Node)
// so the app and the CLI's server-side renderer draw identical plots.
import type { EChartsOption } from 'echarts';

/** Petroff 10-colour cycle (M. A. Petroff, arXiv:2107.02270; the CMS default through mplhep). */
export const HEP_COLORS: readonly string[] = ['#3f90da', '#ffa90e', '#bd1f01', '#94a4a2', '#832db6', '#a96b59', '#e76300', '#b9ac70', '#717581', '#92dadd'];

/** Reference (data / background) curves are black, like mplhep's "data". */
export const DATA_COLOR = '#000000';
/** Guides: random-guess line, ratio = 1, uncertainty bands. */
export const GUIDE_COLOR = '#9a9a9a';
export const BAND_COLOR = 'rgba(0, 0, 0, 0.12)';

/** Sans-serif stack; DejaVu Sans is what the CLI's PNG renderer ships (dejavu-fonts-ttf), so sizes match. */
export const HEP_FONT = "'DejaVu Sans', 'Helvetica Neue', Helvetica, Arial, sans-serif";

export const FONT_SIZE = { tick: 12, axisName: 13, legend: 12, annotation: 12, title: 14 } as const;

/** Default figure size in CSS pixels (6 × 4.5 in at 96 px/in), as renderer/export/figure.ts's DEFAULT_FIGURE. */
export const FIGURE_PX = { width: 576, height: 432 } as const;

type Opt = Record<string, unknown>;

/** Options shared by every chart: white background, font, colour cycle, no animation (export and SSR friendly). */
export function baseOption(): Opt {
  return {
    animation: false,
    backgroundColor: '#ffffff',
    color: [...HEP_COLORS],
    textStyle: { fontFamily: HEP_FONT, color: '#000000' },
  };
}

export interface AxisSpec {
  /** Axis label with unit, e.g. 'jet mass [GeV]'. */
  name?: string;
  log?: boolean;
  min?: number | 'dataMin';
  max?: number | 'dataMax';
  gridIndex?: number;
  /** Hide tick labels (upper panel of a ratio plot). */
  hideLabels?: boolean;
  /** Number formatter for tick labels. */
  formatter?: (v: number) => string;
  /** Force integer-free scaling (no zero baseline) for value axes. */
  scale?: boolean;
  splitNumber?: number;
  /** Fixed tick positions (labels and major ticks), e.g. from `roundTicks`. */
  ticks?: number[];
}

/** Inward major and minor ticks, black axis line, no grid lines; axis names with units. */
export function hepAxis(dim: 'x' | 'y', s: AxisSpec = {}): Opt {
  const axis: Opt = {
    type: s.log ? 'log' : 'value',
    gridIndex: s.gridIndex ?? 0,
    name: s.name ?? '',
    scale: s.scale ?? false,
    z: 3,
    axisLine: { show: true, onZero: false, lineStyle: { color: '#000000', width: 1 } },
    axisTick: { show: true, inside: true, length: 7, lineStyle: { color: '#000000' } },
    minorTick: { show: true, splitNumber: s.log ? 9 : 5, length: 4, lineStyle: { color: '#000000' } },
    splitLine: { show: false },
    minorSplitLine: { show: false },
    axisLabel: {
      show: !s.hideLabels,
      color: '#000000',
      fontSize: FONT_SIZE.tick,
      fontFamily: HEP_FONT,
      margin: 8,
      hideOverlap: true,
      ...(s.formatter ? { formatter: s.formatter } : s.log ? { formatter: logTickLabel } : {}),
    },
    // x: right-aligned under the tick labels at the axis end (mplhep); y: rotated, centred left of the tick labels.
    nameLocation: dim === 'x' ? 'end' : 'middle',
    nameTextStyle:
      dim === 'x'
        ? { fontSize: FONT_SIZE.axisName, fontFamily: HEP_FONT, color: '#000000', align: 'right', verticalAlign: 'top', padding: [26, 0, 0, 0] }
        : { fontSize: FONT_SIZE.axisName, fontFamily: HEP_FONT, color: '#000000' },
    nameGap: dim === 'x' ? 0 : 50,
    nameRotate: dim === 'y' ? 90 : 0,
  };
  if (s.min !== undefined) axis.min = s.min;
  if (s.max !== undefined) axis.max = s.max;
  if (s.splitNumber !== undefined) axis.splitNumber = s.splitNumber;
  if (s.ticks) {
    (axis.axisLabel as Opt).customValues = s.ticks;
    (axis.axisTick as Opt).customValues = s.ticks;
    (axis.minorTick as Opt).show = false;
  }
  if (s.log) axis.logBase = 10;
  return axis;
}

/** A round tick spacing (1, 2, 2.5, 5 × 10ⁿ) giving about `ticks` intervals over `span`. */
export function niceStep(span: number, ticks = 5): number {
  if (!(span > 0)) return 1;
  const raw = span / ticks;
  const e = Math.floor(Math.log10(raw));
  const f = raw / 10 ** e;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return Number((m * 10 ** e).toPrecision(12));
}

/** Multiples of a round step (about `ticks` intervals) inside [lo, hi], for axes whose ends are not round. */
export function roundTicks(lo: number, hi: number, ticks = 8): number[] {
  const step = niceStep(hi - lo, ticks);
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Labels of a log axis: 1, 10, 100, 10³ … and 0.1, 0.01, 10⁻³ … (mplhep shows 10ⁿ). */
export function logTickLabel(v: number): string {
  if (!(v > 0)) return '';
  const e = Math.round(Math.log10(v));
  if (Math.abs(Math.log10(v) - e) > 1e-9) return '';
  if (e >= 0 && e <= 2) return String(10 ** e);
  if (e === -1) return '0.1';
  return `10${superscript(e)}`;
}

const SUP: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
export function superscript(n: number): string {
  return String(n)
    .split('')
    .map((c) => SUP[c] ?? c)
    .join('');
}

/** Compact tick label for linear axes: up to 4 significant digits, no trailing zeros. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e', '×10^');
  return String(Number(v.toPrecision(4)));
}

/** A framed plotting area (the frame gives mplhep's closed box). `top`/`height` etc. accept px or percentages. */
export function hepGrid(pos: { left?: number | string; right?: number | string; top?: number | string; bottom?: number | string; height?: number | string } = {}): Opt {
  return {
    left: pos.left ?? 78,
    right: pos.right ?? 22,
    top: pos.top ?? 40,
    ...(pos.height !== undefined ? { height: pos.height } : { bottom: pos.bottom ?? 58 }),
    show: true,
    borderColor: '#000000',
    borderWidth: 1,
    backgroundColor: 'transparent',
    // ECharts 6 would otherwise shrink the frame to fit axis names: keep the positions we set (mplhep layout).
    outerBoundsMode: 'none',
  };
}

/** Legend inside the frame, top right, no box (mplhep's `loc='upper right'`). */
export function hepLegend(opts: { top?: number | string; right?: number | string; left?: number | string } = {}): Opt {
  return {
    show: true,
    orient: 'vertical',
    top: opts.top ?? 48,
    ...(opts.left !== undefined ? { left: opts.left } : { right: opts.right ?? 34 }),
    itemWidth: 22,
    itemHeight: 10,
    itemGap: 6,
    textStyle: { fontSize: FONT_SIZE.legend, fontFamily: HEP_FONT, color: '#000000' },
    backgroundColor: 'rgba(255,255,255,0.75)',
    icon: LINE_ICON,
  };
}

/** Legend icons: a solid and a dashed line segment (ECharts would otherwise draw a symbol). */
export const LINE_ICON = 'path://M0,4 L22,4 L22,6 L0,6 Z';
export const DASH_ICON = 'path://M0,4 L6,4 L6,6 L0,6 Z M8,4 L14,4 L14,6 L8,6 Z M16,4 L22,4 L22,6 L16,6 Z';

/** A legend entry; dashed series get the dashed icon. */
export function legendItem(name: string, dashed = false): { name: string; icon: string } {
  return { name, icon: dashed ? DASH_ICON : LINE_ICON };
}

/** A free text block placed in the frame (metrics such as "JSD = 0.012 nats"), lines joined by '\n'. */
export function annotation(lines: string[], pos: { left?: number | string; right?: number | string; top?: number | string; bottom?: number | string }): Opt {
  return {
    type: 'text',
    ...pos,
    z: 100,
    style: { text: lines.join('\n'), fontSize: FONT_SIZE.annotation, fontFamily: HEP_FONT, fill: '#000000', lineHeight: 16 },
  };
}

/** Experiment-style label top-left above the frame, e.g. "EBM-HEP  Pythia 8, √s = 13 TeV" (bold first word). */
export function hepTitle(label: string | undefined, left: number | string = 78): Opt | undefined {
  if (!label) return undefined;
  const [head, ...rest] = label.split('  ');
  return {
    left,
    top: 8,
    text: head,
    subtext: rest.join('  '),
    itemGap: 0,
    textStyle: { fontSize: FONT_SIZE.title, fontWeight: 'bold', fontFamily: HEP_FONT, color: '#000000' },
    subtextStyle: { fontSize: FONT_SIZE.annotation, fontStyle: 'italic', fontFamily: HEP_FONT, color: '#000000' },
  };
}

/**
 * Points of a step histogram outline for a line series: (e₀,0)→(e₀,c₀)→(e₁,c₀)→(e₁,c₁)…→(e_B,c_{B−1})→(e_B,0).
 * For a log y axis, zero or negative bins are broken (null) instead of dropping to 0.
 */
export function stepPoints(edges: ArrayLike<number>, values: ArrayLike<number>, opts: { log?: boolean; closed?: boolean } = {}): ([number, number] | [number, null])[] {
  const pts: ([number, number] | [number, null])[] = [];
  const closed = opts.closed ?? !opts.log;
  const ok = (v: number) => Number.isFinite(v) && (!opts.log || v > 0);
  if (closed && values.length) pts.push([edges[0]!, 0]);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (ok(v)) {
      pts.push([edges[i]!, v], [edges[i + 1]!, v]);
    } else {
      pts.push([edges[i]!, null]);
    }
  }
  if (closed && values.length) pts.push([edges[values.length]!, 0]);
  return pts;
}

/** A step-histogram line series (no symbols, crisp), the basic HEP histogram. */
export function stepSeries(name: string, edges: ArrayLike<number>, values: ArrayLike<number>, style: { color?: string; dashed?: boolean; width?: number; log?: boolean; xAxisIndex?: number; yAxisIndex?: number; fill?: boolean } = {}): Opt {
  return {
    type: 'line',
    name,
    data: stepPoints(edges, values, { log: style.log }),
    showSymbol: false,
    symbol: 'none',
    connectNulls: false,
    xAxisIndex: style.xAxisIndex ?? 0,
    yAxisIndex: style.yAxisIndex ?? 0,
    lineStyle: { width: style.width ?? 1.6, type: style.dashed ? 'dashed' : 'solid', ...(style.color ? { color: style.color } : {}) },
    ...(style.color ? { itemStyle: { color: style.color } } : {}),
    ...(style.fill ? { areaStyle: { opacity: 0.15 } } : {}),
    emphasis: { disabled: true },
  };
}

/** Format a metric for on-plot text: 3 significant digits, scientific below 10⁻³. */
export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** The ECharts theme object equivalent of the above, for `echarts.init(dom, hepTheme)` in the app. */
export const hepTheme: Opt = {
  color: [...HEP_COLORS],
  backgroundColor: '#ffffff',
  textStyle: { fontFamily: HEP_FONT },
  animation: false,
};

/** Finish an option: base style + the builder's parts (a typed EChartsOption for `setOption`). */
export function finish(parts: Opt): EChartsOption {
  return { ...baseOption(), ...parts } as EChartsOption;
}
