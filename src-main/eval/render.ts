// Server-side plot rendering: an ECharts option (from renderer/charts, the same builders the app uses) → SVG with
// ECharts' zero-dependency SSR renderer → PNG at a chosen dpi with resvg, using the DejaVu fonts shipped in
// node_modules (dejavu-fonts-ttf) so the output does not depend on the machine's fonts.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import { Resvg } from '@resvg/resvg-js';
import { FIGURE_PX } from '../../renderer/charts/theme.ts';

/** CSS pixels per inch (ECharts lays figures out in CSS pixels). */
const CSS_PX_PER_INCH = 96;

export interface RenderSize {
  /** Figure width and height in CSS pixels (default 576 × 432 = 6 × 4.5 in). */
  width?: number;
  height?: number;
}

/** Render an option to an SVG document string (vector; what the app's SVG export produces too). */
export function renderSvg(option: EChartsOption, size: RenderSize = {}): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width ?? FIGURE_PX.width, height: size.height ?? FIGURE_PX.height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

let fontFilesCache: string[] | null = null;

/** DejaVu Sans (+ math) from the dejavu-fonts-ttf package, else Debian's fonts-dejavu-core; [] if neither exists. */
export function plotFontFiles(): string[] {
  if (fontFilesCache) return fontFilesCache;
  const names = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuMathTeXGyre.ttf'];
  const dirs: string[] = [];
  try {
    const require = createRequire(import.meta.url);
    dirs.push(join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf'));
  } catch {
    // package absent: fall back to the system directory below
  }
  dirs.push('/usr/share/fonts/truetype/dejavu');
  for (const d of dirs) {
    const files = names.map((n) => join(d, n)).filter((f) => existsSync(f));
    if (files.length) return (fontFilesCache = files);
  }
  return (fontFilesCache = []);
}

/** Rasterise an SVG string to PNG bytes at `dpi` (default 300): output pixels = CSS px × dpi / 96. White background. */
export function svgToPng(svg: string, dpi = 300): Buffer {
  const fontFiles = plotFontFiles();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: dpi / CSS_PX_PER_INCH },
    background: '#ffffff',
    font: {
      fontFiles,
      // Without the shipped font, use whatever the system has rather than drawing no text.
      loadSystemFonts: fontFiles.length === 0,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    logLevel: 'off',
  });
  return Buffer.from(resvg.render().asPng());
}

/** Render an option to `<stem>.svg` and `<stem>.png` (at `dpi`, default 300); returns the two paths. */
export async function writePlot(option: EChartsOption, stem: string, opts: RenderSize & { dpi?: number } = {}): Promise<{ svg: string; png: string }> {
  const svg = renderSvg(option, opts);
  const png = svgToPng(svg, opts.dpi ?? 300);
  await writeFile(`${stem}.svg`, svg);
  await writeFile(`${stem}.png`, png);
  return { svg: `${stem}.svg`, png: `${stem}.png` };
}
