// Renders one plot for a paper: PNG at the chosen dpi, SVG and vector PDF at the chosen size in inches, or the CSV
// of its series; then hands the file to the browser's download (Electron turns that into a native save dialog).
import { echarts } from '../echarts.ts';
import { optionToCsv } from './csv.ts';
import { figureGeometry, fileStem, validateFigure, type FigureSettings } from './figure.ts';
import { withPngDpi } from './png.ts';
import { pdfSafeText } from './pdf-text.ts';

export type ExportFormat = 'png' | 'svg' | 'pdf' | 'csv';

export interface ExportedFile {
  filename: string;
  blob: Blob;
}

/** Options for a static figure: no animation, white page, no interactive widgets. */
function staticOption(option: Record<string, unknown>): Record<string, unknown> {
  return { ...option, animation: false, backgroundColor: '#ffffff', tooltip: undefined, dataZoom: undefined, toolbox: undefined };
}

/** The plot as an SVG document whose width/height are the figure size in inches. */
export function renderSvg(option: Record<string, unknown>, settings: FigureSettings, theme?: string | object): string {
  const g = figureGeometry(settings);
  const chart = echarts.init(null, theme as never, { renderer: 'svg', ssr: true, width: g.cssWidth, height: g.cssHeight });
  try {
    chart.setOption(staticOption(option));
    const svg = chart.renderToSVGString();
    return svg.replace(/<svg\b([^>]*)>/, (_m, attrs: string) => {
      const rest = attrs.replace(/\s(width|height|viewBox)="[^"]*"/g, '');
      return `<svg${rest} width="${settings.widthIn}in" height="${settings.heightIn}in" viewBox="0 0 ${g.cssWidth} ${g.cssHeight}">`;
    });
  } finally {
    chart.dispose();
  }
}

function dataUrlBytes(url: string): Uint8Array {
  const b64 = url.slice(url.indexOf(',') + 1);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The plot as a PNG of exactly widthIn·dpi × heightIn·dpi pixels, with the dpi stamped in the file. */
export function renderPng(option: Record<string, unknown>, settings: FigureSettings, theme?: string | object): Uint8Array {
  const g = figureGeometry(settings);
  const div = document.createElement('div');
  div.style.cssText = `position:fixed;left:-100000px;top:0;width:${g.cssWidth}px;height:${g.cssHeight}px`;
  document.body.appendChild(div);
  const chart = echarts.init(div, theme as never, { renderer: 'canvas', width: g.cssWidth, height: g.cssHeight, devicePixelRatio: g.pixelRatio });
  try {
    chart.setOption(staticOption(option));
    const url = chart.getDataURL({ type: 'png', pixelRatio: g.pixelRatio, backgroundColor: '#ffffff' });
    return withPngDpi(dataUrlBytes(url), settings.dpi);
  } finally {
    chart.dispose();
    div.remove();
  }
}

/** The plot as a vector PDF page of the figure size (text in Helvetica, lines and fills as paths). */
export async function renderPdf(option: Record<string, unknown>, settings: FigureSettings, theme?: string | object): Promise<Blob> {
  const g = figureGeometry(settings);
  const svgText = renderSvg(option, settings, theme);
  const [{ jsPDF }, { svg2pdf }] = await Promise.all([import('jspdf'), import('svg2pdf.js')]);
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const svg = doc.documentElement as unknown as SVGSVGElement;
  svg.querySelectorAll('text, tspan').forEach((t) => {
    for (const n of Array.from(t.childNodes)) if (n.nodeType === 3 && n.textContent) n.textContent = pdfSafeText(n.textContent);
  });
  const holder = document.createElement('div');
  holder.style.cssText = 'position:fixed;left:-100000px;top:0';
  holder.appendChild(document.importNode(svg, true));
  document.body.appendChild(holder);
  try {
    const pdf = new jsPDF({ unit: 'pt', format: [g.ptWidth, g.ptHeight], orientation: g.ptWidth >= g.ptHeight ? 'landscape' : 'portrait', compress: true });
    await svg2pdf(holder.firstElementChild as Element, pdf, { x: 0, y: 0, width: g.ptWidth, height: g.ptHeight });
    return pdf.output('blob');
  } finally {
    holder.remove();
  }
}

export async function exportFigure(title: string, option: Record<string, unknown>, settings: FigureSettings, format: ExportFormat, theme?: string | object): Promise<ExportedFile> {
  const stem = fileStem(title);
  if (format === 'csv') return { filename: `${stem}.csv`, blob: new Blob([optionToCsv(option)], { type: 'text/csv' }) };
  const problem = validateFigure(settings);
  if (problem) throw { code: 'BAD_INPUT', message: problem, hint: 'Adjust the figure size or dpi in the export settings.' };
  if (format === 'svg') return { filename: `${stem}.svg`, blob: new Blob([renderSvg(option, settings, theme)], { type: 'image/svg+xml' }) };
  if (format === 'png') return { filename: `${stem}.png`, blob: new Blob([renderPng(option, settings, theme) as BlobPart], { type: 'image/png' }) };
  return { filename: `${stem}.pdf`, blob: await renderPdf(option, settings, theme) };
}

/** Saves a file through the browser's download mechanism. */
export function download(file: ExportedFile): void {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
