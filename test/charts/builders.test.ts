// The shared chart option builders: HEP conventions (step outlines, log rejection axis, inward ticks, unit labels)
// and the server-side SVG/PNG rendering of their options.
import { describe, expect, it } from 'vitest';
import { energyDistributions, histogramWithRatio, jetImage, logTickLabel, lossCurves, niceCeil, rocChart, roundTicks, sculptingChart, scoreMassHistogram, stepPoints, toDensity } from '../../renderer/charts/index.ts';
import { renderSvg, svgToPng, plotFontFiles } from '../../src-main/eval/render.ts';

type Any = Record<string, any>;

describe('theme helpers', () => {
  it('step outline closes on zero and breaks on log zeros', () => {
    expect(stepPoints([0, 1, 2], [3, 5])).toEqual([[0, 0], [0, 3], [1, 3], [1, 5], [2, 5], [2, 0]]);
    expect(stepPoints([0, 1, 2], [0, 5], { log: true })).toEqual([[0, null], [1, 5], [2, 5]]);
  });
  it('tick helpers', () => {
    expect(logTickLabel(1000)).toBe('10³');
    expect(logTickLabel(10)).toBe('10');
    expect(logTickLabel(0.001)).toBe('10⁻³');
    expect(logTickLabel(3)).toBe('');
    expect(niceCeil(0.0173)).toBe(0.02);
    expect(roundTicks(-0.8, 0.8)).toEqual([-0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8]);
    const d = toDensity([0, 2, 4], [1, 3]);
    expect(d[0]! * 2 + d[1]! * 2).toBeCloseTo(1, 12);
  });
});

describe('builders', () => {
  it('histogramWithRatio: two panels sharing x, unit-area histograms, ratio = gen/data', () => {
    const o = histogramWithRatio({ edges: [0, 1, 2], reference: { name: 'data', counts: [10, 30] }, others: [{ name: 'gen', counts: [20, 20] }], xLabel: 'jet mass [GeV]', metrics: ['JSD = 0.1 nats'] }) as Any;
    expect(o.grid).toHaveLength(2);
    expect(o.xAxis[1].name).toBe('jet mass [GeV]');
    expect(o.xAxis[0].axisTick.inside).toBe(true);
    expect(o.animation).toBe(false);
    const data = o.series.find((s: Any) => s.name === 'data');
    expect(data.data).toEqual([[0, 0], [0, 0.25], [1, 0.25], [1, 0.75], [2, 0.75], [2, 0]]);
    const ratio = o.series.find((s: Any) => s.name === 'gen / data');
    expect(ratio.xAxisIndex).toBe(1);
    expect(ratio.data[0][1]).toBeCloseTo(2, 12); // 0.5 / 0.25
    expect(ratio.data[2][1]).toBeCloseTo(2 / 3, 12);
    expect(o.graphic[0].style.text).toContain('JSD');
  });
  it('rocChart: log 1/ε_B axis, drops ε_B = 0, random-guess line, AUC in the legend', () => {
    const o = rocChart([{ name: 'top', epsS: [0, 0.5, 1], epsB: [0, 0.1, 1], auc: 0.912 }]) as Any;
    expect(o.yAxis.type).toBe('log');
    expect(o.series[0].name).toBe('top (AUC = 0.912)');
    expect(o.series[0].data).toEqual([[0.5, 10], [1, 1]]);
    expect(o.series[1].name).toBe('random guess');
    expect(o.xAxis.name).toContain('ε_S');
  });
  it('energy, sculpting, score–mass, jet image and loss builders produce drawable options', () => {
    const e = energyDistributions({ edges: [0, 1, 2], classes: [{ name: 'QCD', role: 'background', counts: [5, 5] }, { name: 'top', role: 'signal', counts: [1, 9] }, { name: 'noise', role: 'noise', counts: [0, 3] }] }) as Any;
    expect(e.series.map((s: Any) => s.name)).toEqual(['QCD', 'top', 'noise']);
    expect(e.series[2].lineStyle.type).toBe('dashed');
    const sc = sculptingChart({ edges: [0, 100, 200], uncut: [8, 2], curves: [{ acceptance: 1, counts: [8, 2], jsd: 0 }, { acceptance: 0.1, counts: [0, 1], jsd: 0.5 }] }) as Any;
    expect(sc.series.map((s: Any) => s.name)).toEqual(['no cut', 'ε_B = 10%, JSD = 0.5']);
    const sm = scoreMassHistogram({ xEdges: [0, 1, 2], yEdges: [0, 1], values: [3, 0], profile: { x: [0.5, 1.5], y: [0.2, NaN] } }) as Any;
    expect(sm.series[0].data).toHaveLength(1); // empty cells are not drawn
    expect(sm.series[1].data).toEqual([[0.5, 0.2]]);
    expect(() => scoreMassHistogram({ xEdges: [0, 1], yEdges: [0, 1], values: [1, 2] })).toThrow(/values/);
    const im = jetImage({ etaEdges: [-1, 0, 1], phiEdges: [-1, 0, 1], values: [0.1, 0.01, 0.001, 0], nJets: 7 }) as Any;
    expect(im.visualMap.min).toBe(-3);
    expect(im.visualMap.max).toBe(-1);
    expect(im.series[0].data).toHaveLength(3);
    const lc = lossCurves([{ name: 'loss', x: [0, 1, 2], y: [1, NaN, 0.5] }], { logY: true }) as Any;
    expect(lc.series[0].data).toEqual([[0, 1], [1, null], [2, 0.5]]);
  });
});

describe('server-side rendering', () => {
  it('renders an option to SVG and to a PNG of the requested dpi with a real font', () => {
    const o = rocChart([{ name: 'top', epsS: [0, 0.5, 1], epsB: [0, 0.1, 1], auc: 0.9 }], { title: 'EBM-HEP  test' });
    const svg = renderSvg(o, { width: 576, height: 432 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('background rejection 1/ε_B');
    expect(plotFontFiles().length).toBeGreaterThan(0);
    const png = svgToPng(svg, 96);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    // IHDR: width and height big-endian at bytes 16..23; 96 dpi = 1 pixel per CSS pixel.
    expect(png.readUInt32BE(16)).toBe(576);
    expect(png.readUInt32BE(20)).toBe(432);
    expect(svgToPng(svg, 192).readUInt32BE(16)).toBe(1152);
  });
});
