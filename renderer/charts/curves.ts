// Training curves (loss terms, E(x⁺), E(x⁻), validation JSD) against step or epoch. Returns an ECharts option.
import type { EChartsOption } from 'echarts';
import { finish, legendItem, HEP_COLORS, hepAxis, hepGrid, hepLegend, hepTitle, tickLabel } from './theme.ts';

export interface CurveInput {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
}

/** Line curves; non-finite points break the line. `logY` for losses spanning decades (non-positive points dropped). */
export function lossCurves(curves: CurveInput[], opts: { xLabel?: string; yLabel?: string; logY?: boolean; title?: string } = {}): EChartsOption {
  const log = opts.logY ?? false;
  let xMin = Infinity;
  let xMax = -Infinity;
  const series = curves.map((c, k) => {
    const data: ([number, number] | [number, null])[] = [];
    for (let i = 0; i < c.x.length; i++) {
      const x = c.x[i]!;
      const y = c.y[i]!;
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
      data.push(Number.isFinite(y) && (!log || y > 0) ? [x, y] : [x, null]);
    }
    const color = HEP_COLORS[k % HEP_COLORS.length];
    return { type: 'line', name: c.name, data, symbol: 'none', showSymbol: false, connectNulls: false, lineStyle: { width: 1.5, color, type: c.dashed ? 'dashed' : 'solid' }, itemStyle: { color }, emphasis: { disabled: true } };
  });
  const title = hepTitle(opts.title);
  return finish({
    ...(title ? { title } : {}),
    grid: hepGrid({ top: 44 }),
    xAxis: hepAxis('x', { name: opts.xLabel ?? 'step', ...(Number.isFinite(xMin) && xMax > xMin ? { min: xMin, max: xMax } : {}), formatter: tickLabel }),
    yAxis: hepAxis('y', { name: opts.yLabel ?? 'loss', log, scale: !log, formatter: log ? undefined : tickLabel }),
    legend: { ...hepLegend(), data: curves.map((c) => legendItem(c.name, c.dashed)) },
    series,
  });
}
