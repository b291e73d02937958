// CSV of what a plot shows: every series of an ECharts option as rows (series, x, y[, value]), with the axis
// names (and units) as column headers, so a figure can be re-made elsewhere from exactly the plotted numbers. Pure.

type Row = (string | number | null)[];

interface AxisLike {
  type?: string;
  name?: string;
  data?: unknown[];
}

interface SeriesLike {
  name?: string;
  type?: string;
  data?: unknown[];
  xAxisIndex?: number;
  yAxisIndex?: number;
  /** Series we add only for looks (e.g. a random-guess diagonal) can opt out of the CSV. */
  exportCsv?: boolean;
  /** Guides (random-guess line, ratio = 1, bands) are silent; 2-D cell series are silent too but are data. */
  silent?: boolean;
  dimensions?: string[];
}

function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function categoryLabel(axis: AxisLike | undefined, v: unknown): unknown {
  if (axis?.type === 'category' && Array.isArray(axis.data) && typeof v === 'number') {
    const label = axis.data[v];
    return typeof label === 'object' && label !== null && 'value' in label ? (label as { value: unknown }).value : label;
  }
  return v;
}

function cell(v: unknown): string {
  if (v === null || v === undefined || v === '-') return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per plotted point. Category axes contribute their labels; heatmaps contribute (x, y, value). */
export function optionToRows(option: Record<string, unknown>): { header: string[]; rows: Row[] } {
  const xAxes = asArray(option.xAxis as AxisLike | AxisLike[] | undefined);
  const yAxes = asArray(option.yAxis as AxisLike | AxisLike[] | undefined);
  const series = asArray(option.series as SeriesLike | SeriesLike[] | undefined);
  const rows: Row[] = [];
  let hasValue = false;
  series.forEach((s, si) => {
    if (s.exportCsv === false || !Array.isArray(s.data)) return;
    if (s.name?.startsWith('__') || (s.silent && s.type !== 'custom')) return;
    // 2-D histogram cells drawn as rectangles [x0, x1, y0, y1, log10 value] → bin centre and the value itself.
    const rect = s.type === 'custom' && s.dimensions?.join() === 'x0,x1,y0,y1,log10';
    const xAxis = xAxes[s.xAxisIndex ?? 0];
    const yAxis = yAxes[s.yAxisIndex ?? 0];
    const name = s.name ?? `series ${si + 1}`;
    s.data.forEach((d, i) => {
      let point: unknown = d;
      if (point !== null && typeof point === 'object' && !Array.isArray(point) && 'value' in point) point = (point as { value: unknown }).value;
      if (rect && Array.isArray(point)) {
        const [x0, x1, y0, y1, l] = point as number[];
        hasValue = true;
        rows.push([name, (x0! + x1!) / 2, (y0! + y1!) / 2, Number((10 ** l!).toPrecision(10))]);
      } else if (Array.isArray(point)) {
        const [x, y, z] = point;
        if (point.length >= 3) hasValue = true;
        rows.push([name, categoryLabel(xAxis, x) as Row[number], categoryLabel(yAxis, y) as Row[number], point.length >= 3 ? (z as Row[number]) : null]);
      } else {
        // A plain value: x comes from the category axis (or the index), y is the value.
        const x = xAxis?.type === 'category' && Array.isArray(xAxis.data) ? categoryLabel(xAxis, i) : i;
        rows.push([name, x as Row[number], point as Row[number], null]);
      }
    });
  });
  const xName = xAxes[0]?.name || 'x';
  const yName = yAxes[0]?.name || 'y';
  const header = hasValue ? ['series', xName, yName, 'value'] : ['series', xName, yName];
  return { header, rows: hasValue ? rows : rows.map((r) => r.slice(0, 3)) };
}

/** The CSV text (RFC 4180, '\n' line ends, header first). */
export function optionToCsv(option: Record<string, unknown>): string {
  const { header, rows } = optionToRows(option);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
