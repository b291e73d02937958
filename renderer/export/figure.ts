// Figure geometry for export: a figure is sized in inches (as a journal asks) and rasterised at a chosen dpi.
// Pure functions, shared by the PNG/SVG/PDF writers and their tests.

/** CSS pixels per inch: ECharts lays a figure out in CSS pixels. */
export const CSS_PX_PER_INCH = 96;
/** PDF points per inch. */
export const PT_PER_INCH = 72;

export interface FigureSettings {
  widthIn: number;
  heightIn: number;
  dpi: number;
}

export const DEFAULT_FIGURE: FigureSettings = { widthIn: 6, heightIn: 4.5, dpi: 300 };

export interface FigureGeometry {
  /** Layout size in CSS pixels (what ECharts draws at). */
  cssWidth: number;
  cssHeight: number;
  /** Device pixels per CSS pixel for the raster. */
  pixelRatio: number;
  /** Size of the PNG in pixels. */
  pxWidth: number;
  pxHeight: number;
  /** Page size of the PDF in points. */
  ptWidth: number;
  ptHeight: number;
}

/** Checks a figure request and says what is wrong in words a user understands. */
export function validateFigure(s: FigureSettings): string | null {
  if (!(s.widthIn >= 1 && s.widthIn <= 20)) return 'Width must be between 1 and 20 inches.';
  if (!(s.heightIn >= 1 && s.heightIn <= 20)) return 'Height must be between 1 and 20 inches.';
  if (!(s.dpi >= 50 && s.dpi <= 1200)) return 'Resolution must be between 50 and 1200 dpi.';
  if (s.widthIn * s.dpi * s.heightIn * s.dpi > 60e6) return 'That PNG would exceed 60 megapixels: lower the dpi or the size.';
  return null;
}

export function figureGeometry(s: FigureSettings): FigureGeometry {
  const cssWidth = Math.round(s.widthIn * CSS_PX_PER_INCH);
  const cssHeight = Math.round(s.heightIn * CSS_PX_PER_INCH);
  const pixelRatio = s.dpi / CSS_PX_PER_INCH;
  return {
    cssWidth,
    cssHeight,
    pixelRatio,
    pxWidth: Math.round(s.widthIn * s.dpi),
    pxHeight: Math.round(s.heightIn * s.dpi),
    ptWidth: s.widthIn * PT_PER_INCH,
    ptHeight: s.heightIn * PT_PER_INCH,
  };
}

/** A file name from a plot title: lower-case words joined by '-', safe on every OS. */
export function fileStem(title: string): string {
  const stem = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 60);
  return stem || 'figure';
}
