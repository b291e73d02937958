// Export helpers and plot glue: figure geometry in inches/dpi, PNG resolution stamping, CSV of exactly the plotted
// series (guides left out, 2-D cells as centres + values), and the options the views build from API responses.
import { describe, expect, it } from 'vitest';
import { figureGeometry, fileStem, validateFigure, DEFAULT_FIGURE } from '../../renderer/export/figure.ts';
import { readPngInfo, withPngDpi } from '../../renderer/export/png.ts';
import { optionToCsv, optionToRows } from '../../renderer/export/csv.ts';
import { pdfSafeText } from '../../renderer/export/pdf-text.ts';
import { correlationOption, cutMassOption, energyOption, labelOverlayOption, observableOption, sharedLogRange, tableCurvesOption } from '../../renderer/plots/glue.ts';

/** A 3×2 PNG header (signature, IHDR, IEND); enough for chunk-level tools. */
function tinyPng(): Uint8Array {
  const bytes = [137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 73, 69, 78, 68, 0xae, 0x42, 0x60, 0x82];
  return new Uint8Array(bytes);
}

describe('figure geometry', () => {
  it('sizes the PNG as inches × dpi and the PDF page in points', () => {
    const g = figureGeometry(DEFAULT_FIGURE);
    expect(DEFAULT_FIGURE.dpi).toBe(300);
    expect([g.pxWidth, g.pxHeight]).toEqual([1800, 1350]);
    expect([g.cssWidth, g.cssHeight]).toEqual([576, 432]);
    expect(g.pixelRatio * g.cssWidth).toBeCloseTo(1800);
    expect([g.ptWidth, g.ptHeight]).toEqual([432, 324]);
  });
  it('refuses sizes that make no sense, in words', () => {
    expect(validateFigure({ widthIn: 0.2, heightIn: 3, dpi: 300 })).toMatch(/Width/);
    expect(validateFigure({ widthIn: 20, heightIn: 20, dpi: 1200 })).toMatch(/megapixels/);
    expect(validateFigure(DEFAULT_FIGURE)).toBeNull();
  });
  it('makes safe file names from titles', () => {
    expect(fileStem('ROC · EBM run 3 (top)')).toBe('roc-ebm-run-3-top');
    expect(fileStem('…')).toBe('figure');
  });
});

describe('PNG dpi', () => {
  it('stamps the resolution after IHDR and reads it back; pixels unchanged', () => {
    const png = tinyPng();
    expect(readPngInfo(png)).toEqual({ width: 3, height: 2 });
    const stamped = withPngDpi(png, 300);
    expect(readPngInfo(stamped)).toEqual({ width: 3, height: 2, dpi: 300 });
    expect(stamped.length).toBe(png.length + 21);
    // Stamping twice replaces the chunk instead of adding a second one.
    expect(readPngInfo(withPngDpi(stamped, 600)).dpi).toBe(600);
    expect(withPngDpi(stamped, 600).length).toBe(stamped.length);
    expect(() => readPngInfo(new Uint8Array(40))).toThrow(/not a PNG/);
  });
});

describe('CSV of a plot', () => {
  const obs = {
    name: 'massGeV', label: 'jet mass [GeV]', level: 'jet' as const, density: false, jsd: 0.01, w1: 1.5,
    data: { edges: [0, 10, 20], counts: [30, 10] }, generated: { edges: [0, 10, 20], counts: [20, 20] },
  };
  it('has the plotted (unit-area) values of data and generated, and leaves out guides', () => {
    const csv = optionToCsv(observableOption(obs, 40, 40));
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('series,x,a.u. (unit area)'.replace('x', 'x'));
    expect(csv).toContain('data (40),0,0.075');
    expect(csv).toContain('data (40),10,0.075');
    expect(csv).toContain('generated (40),10,0.05');
    expect(csv).not.toMatch(/__unity|__band|stat\. unc\./);
  });
  it('writes 2-D histogram cells as bin centres with the value', () => {
    const opt = correlationOption({ histogram: { xEdges: [0, 2, 4], yEdges: [0, 1], values: [5, 50] }, profile: { name: 'p', x: [1, 3], y: [0.5, 0.5] }, pearson: 0.1, spearman: 0.2 }, 'energy');
    const { rows } = optionToRows(opt);
    expect(rows).toContainEqual(['jets', 1, 0.5, 5]);
    expect(rows.find((r) => r[0] === 'jets' && r[1] === 3)?.[3]).toBeCloseTo(50);
    expect(rows).toContainEqual(['mean score', 1, 0.5, null]);
  });
  it('quotes text cells that need it', () => {
    expect(optionToCsv({ xAxis: { type: 'category', data: ['a,b'] }, yAxis: {}, series: [{ name: 'q"s', type: 'bar', data: [1] }] })).toBe('series,x,y\n"q""s","a,b",1\n');
  });
});

describe('plot glue', () => {
  it('overlays one unit-area histogram per label', () => {
    const h = { edges: [0, 1, 2], counts: [1, 3] };
    const opt = labelOverlayOption({ dataset: {} as never, format: 'csv', perLabel: [{ label: 'qcd', nJets: 4, ptGeV: h, massGeV: h, multiplicity: h }, { label: 'w', nJets: 4, ptGeV: h, massGeV: h, multiplicity: h }] }, 'massGeV');
    const rows = optionToRows(opt).rows;
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['qcd (4)', 'w (4)']));
    expect(rows.filter((r) => r[0] === 'qcd (4)').map((r) => r[2])).toContain(0.75);
    // The same label in two datasets is told apart by the dataset name.
    const one = (name: string) => ({ dataset: { name } as never, format: 'h5', perLabel: [{ label: 'top', nJets: 4, ptGeV: h, massGeV: h, multiplicity: h }] });
    const names = new Set(optionToRows(labelOverlayOption([one('mine'), one('sample-top')], 'ptGeV')).rows.map((r) => r[0]));
    expect(names).toEqual(new Set(['mine · top (4)', 'sample-top · top (4)']));
  });
  it('writes ε_B, ε_S and the JSD on the cut plot, and marks the cut on the energy plot', () => {
    const opt = cutMassOption({ threshold: 1, epsB: 0.1, signals: [{ name: 'top', epsS: 0.62 }], massEdges: [0, 50, 100], passing: [1, 2], uncut: [10, 10], nPassing: 3, jsd: 0.04 });
    const text = JSON.stringify(opt.graphic);
    expect(text).toContain('ε_B = 0.1');
    expect(text).toContain('ε_S(top) = 0.62');
    const e = energyOption({ edges: [0, 1, 2], classes: [{ name: 'qcd', role: 'background', n: 5, counts: [0.5, 0.5] }, { name: 'noise', role: 'noise', n: 5, counts: [0, 1] }] }, 'energy', 1.5);
    expect(JSON.stringify((e.series as unknown[])[0])).toContain('"xAxis":1.5');
  });
  it('returns null for curves with no finite values (the panel then says why it is empty)', () => {
    expect(tableCurvesOption({ x: [1], y: { loss: [NaN] } }, ['loss'], { x: 's', y: 'l' })).toBeNull();
    expect(tableCurvesOption({ x: [1], y: { loss: [2] } }, ['loss'], { x: 's', y: 'l' })).not.toBeNull();
  });
  it('puts both jet images on one colour scale', () => {
    const im = (v: number) => ({ etaEdges: [0, 1], phiEdges: [0, 1], values: [v], nJets: 1 });
    expect(sharedLogRange([im(0.02), im(0.5)])).toEqual([-5, 0]);
  });
  it('maps Greek letters to Latin-1 for the PDF fonts', () => {
    expect(pdfSafeText('1/ε_B, Δη')).toBe('1/eps_B, Delta eta');
  });
});
