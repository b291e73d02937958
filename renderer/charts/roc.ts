// ROC plots in the HEP convention (paper Fig. 6 left): background rejection 1/ε_B on a log axis against signal
// efficiency ε_S, with the random-guess line 1/ε_B = 1/ε_S in grey. Returns an ECharts option.
import type { EChartsOption } from 'echarts';
import { annotation, finish, legendItem, fmt, GUIDE_COLOR, HEP_COLORS, hepAxis, hepGrid, hepLegend, hepTitle, tickLabel } from './theme.ts';

export interface RocCurveInput {
  /** Legend name, e.g. 'top, E(x)'. */
  name: string;
  /** ε_S and ε_B at the same thresholds. */
  epsS: ArrayLike<number>;
  epsB: ArrayLike<number>;
  /** Shown in the legend when given. */
  auc?: number;
  dashed?: boolean;
}

export interface RocChartOptions {
  title?: string;
  /** Extra text lines in the frame (e.g. R30/R50). */
  metrics?: string[];
  /** Upper limit of the 1/ε_B axis (default: next decade above the largest finite rejection). */
  yMax?: number;
}

/** 1/ε_B vs ε_S for several curves; points with ε_B = 0 (infinite rejection) or ε_S = 0 are not drawn. */
export function rocChart(curves: RocCurveInput[], opts: RocChartOptions = {}): EChartsOption {
  let maxRej = 10;
  const series = curves.map((c, k) => {
    const data: [number, number][] = [];
    for (let i = 0; i < c.epsS.length; i++) {
      const s = c.epsS[i]!;
      const b = c.epsB[i]!;
      if (s > 0 && b > 0) {
        data.push([s, 1 / b]);
        maxRej = Math.max(maxRej, 1 / b);
      }
    }
    const name = c.auc !== undefined ? `${c.name} (AUC = ${fmt(c.auc)})` : c.name;
    return {
      type: 'line',
      name,
      data,
      symbol: 'none',
      showSymbol: false,
      lineStyle: { width: 1.8, type: c.dashed ? 'dashed' : 'solid', color: HEP_COLORS[k % HEP_COLORS.length] },
      itemStyle: { color: HEP_COLORS[k % HEP_COLORS.length] },
      emphasis: { disabled: true },
    };
  });
  const random: [number, number][] = [];
  for (let i = 1; i <= 100; i++) random.push([i / 100, 100 / i]);
  const yMax = opts.yMax ?? 10 ** Math.ceil(Math.log10(maxRej * 1.5));
  const title = hepTitle(opts.title);
  return finish({
    ...(title ? { title } : {}),
    grid: hepGrid({ top: 44 }),
    xAxis: hepAxis('x', { name: 'signal efficiency ε_S', min: 0, max: 1, formatter: tickLabel }),
    yAxis: hepAxis('y', { name: 'background rejection 1/ε_B', log: true, min: 1, max: yMax }),
    legend: { ...hepLegend(), data: [...series.map((s, k) => legendItem(s.name, curves[k]!.dashed)), legendItem('random guess', true)] },
    graphic: opts.metrics?.length ? [annotation(opts.metrics, { left: 92, bottom: 72 })] : [],
    series: [
      ...series,
      { type: 'line', name: 'random guess', data: random, symbol: 'none', lineStyle: { color: GUIDE_COLOR, width: 1.2, type: 'dashed' }, itemStyle: { color: GUIDE_COLOR }, silent: true },
    ],
  });
}
