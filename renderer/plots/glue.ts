// Glue from EngineApi responses to chart options: picks what each view plots (which series, axis labels with
// units, the numbers written on the plot) and hands it to the HEP chart builders in renderer/charts/. Pure functions.
import type {
  CutAtEnergyResponse,
  DatasetSummary,
  EnergyHistogramsResponse,
  GetRocResponse,
  Histogram,
  JetImage,
  MetricSeries,
  ObservableComparison,
  ScoreKind,
  ScoreMassCorrelationResponse,
  SculptingResponse,
} from '../../src-main/api/types.ts';
import type { SeriesTable } from '../stores/live.ts';
import {
  energyDistributions,
  finish,
  fmt,
  hepAxis,
  hepGrid,
  hepLegend,
  HEP_COLORS,
  histogramWithRatio,
  jetImage,
  lossCurves,
  rocChart,
  scoreMassHistogram,
  sculptingChart,
  stepSeries,
  tickLabel,
  toDensity,
} from '../charts/index.ts';

type Opt = Record<string, unknown>;

export const OBSERVABLE_LABELS: Record<string, string> = {
  ptGeV: 'jet pT [GeV]',
  massGeV: 'jet mass [GeV]',
  multiplicity: 'constituent multiplicity',
  logPt: 'particle log(pT / GeV)',
  deta: 'particle Δη',
  dphi: 'particle Δφ [rad]',
};

const TERM_LABELS: Record<string, string> = {
  loss: 'total loss',
  lossCD: 'CD: E(x⁺) − E(x⁻)',
  lossKL: 'KL term',
  lossL2: 'α·(E⁺² + E⁻²)',
  lossCE: 'cross-entropy',
  jsdMultiplicity: 'JSD multiplicity [nats]',
  gradNorm: 'gradient norm',
  secondsPerStep: 'seconds per step',
  ePos: 'E(x⁺) data',
  eNeg: 'E(x⁻) Langevin',
  lr: 'learning rate',
  jsdMass: 'JSD mass [nats]',
  jsdPt: 'JSD pT [nats]',
  auc: 'AUC',
  r30: 'R30',
  r50: 'R50',
};

export function termLabel(name: string): string {
  return TERM_LABELS[name] ?? name;
}

export function scoreLabel(score: ScoreKind): string {
  // For EBM-CLF the engine cuts on 1 − p(background | x), so higher = more anomalous for both kinds.
  return score === 'pBackground' ? '1 − p(QCD | x)' : 'energy E(x)';
}

/** Overlaid unit-area step histograms, one per label of each dataset shown (Data view). */
export function labelOverlayOption(summaries: DatasetSummary | DatasetSummary[], observable: 'ptGeV' | 'massGeV' | 'multiplicity'): Opt {
  const list = Array.isArray(summaries) ? summaries : [summaries];
  // A label present in several datasets (e.g. an imported top file and the sample's top jets) gets its dataset's name.
  const count = new Map<string, number>();
  for (const s of list) for (const l of s.perLabel) count.set(l.label, (count.get(l.label) ?? 0) + 1);
  const labels = list.flatMap((s) => s.perLabel.map((l) => ({ ...l, name: (count.get(l.label) ?? 0) > 1 ? `${s.dataset.name} · ${l.label}` : l.label })));
  return finish({
    grid: hepGrid({ top: 30 }),
    // `scale` lets ECharts choose round axis limits around the data (no zero forced, no odd edge values as labels).
    xAxis: hepAxis('x', { name: OBSERVABLE_LABELS[observable], scale: true, formatter: tickLabel }),
    yAxis: hepAxis('y', { name: 'a.u. (unit area)', formatter: tickLabel }),
    legend: hepLegend({ top: 36 }),
    series: labels.map((l, i) => stepSeries(`${l.name} (${l.nJets})`, l[observable].edges, toDensity(l[observable].edges, l[observable].counts), { color: HEP_COLORS[i % HEP_COLORS.length] })),
  });
}

/** Lines of the chosen columns of a live table against its x (step or epoch); null while there is nothing. */
export function tableCurvesOption(table: SeriesTable, names: string[], axes: { x: string; y: string; logY?: boolean }): Opt | null {
  const present = names.filter((n) => table.y[n]?.some((v) => Number.isFinite(v)));
  if (!present.length) return null;
  return lossCurves(
    present.map((n) => ({ name: termLabel(n), x: table.x, y: table.y[n]! })),
    { xLabel: axes.x, yLabel: axes.y, logY: axes.logY },
  ) as Opt;
}

/** The same metric of several runs overlaid (Runs → compare). */
export function metricOverlayOption(series: MetricSeries[], metric: string, per: 'step' | 'epoch'): Opt | null {
  const mine = series.filter((s) => s.name === metric && s.per === per && s.x.length);
  if (!mine.length) return null;
  return lossCurves(
    mine.map((s) => ({ name: s.runName, x: s.x, y: s.y })),
    { xLabel: per === 'step' ? 'optimiser step' : 'epoch', yLabel: termLabel(metric) },
  ) as Opt;
}

/** Generated vs data jet mass of the latest epoch with its ratio panel (Train view). */
export function epochMassOption(m: { epoch: number; edges: number[]; data: number[]; generated: number[] }, jsd?: number): Opt {
  return histogramWithRatio({
    edges: m.edges,
    reference: { name: 'data', counts: m.data },
    others: [{ name: `generated, epoch ${m.epoch}`, counts: m.generated }],
    xLabel: 'jet mass [GeV]',
    metrics: jsd !== undefined && Number.isFinite(jsd) ? [`JSD = ${fmt(jsd)} nats`] : [],
  }) as Opt;
}

/** One observable, data vs generated, ratio panel, JSD and W1 written on the plot (Generation view). */
export function observableOption(o: ObservableComparison, nData: number, nGenerated: number): Opt {
  const unit = /\[([^\]]+)\]/.exec(o.label)?.[1];
  return histogramWithRatio({
    edges: o.data.edges,
    reference: { name: `data (${nData})`, counts: o.data.counts },
    others: [{ name: `generated (${nGenerated})`, counts: o.generated.counts }],
    xLabel: o.label,
    normalized: o.density,
    metrics: [`JSD = ${fmt(o.jsd)} nats`, `W₁ = ${fmt(o.w1)}${unit ? ` ${unit}` : ''}`],
  }) as Opt;
}

/** log10 colour range shared by two jet images, so data and generated are drawn on one scale. */
export function sharedLogRange(images: JetImage[]): [number, number] {
  let hi = -Infinity;
  for (const im of images) for (const v of im.values) if (v > 0) hi = Math.max(hi, Math.log10(v));
  if (!Number.isFinite(hi)) return [-6, 0];
  const top = Math.ceil(hi) || 0;
  return [top - 5, top];
}

export function jetImageOption(image: JetImage, title: string, logRange: [number, number]): Opt {
  return jetImage({ ...image, title, logRange }) as Opt;
}

/** Energy (or p(QCD)) distributions of background, signals and random noise (paper Fig. 4). */
export function energyOption(e: EnergyHistogramsResponse, score: ScoreKind, threshold?: number | null): Opt {
  const opt = energyDistributions({ edges: e.edges, classes: e.classes.map((c) => ({ name: `${c.name} (${c.n})`, role: c.role, counts: c.counts })), normalized: true, xLabel: scoreLabel(score) }) as Opt;
  if (threshold !== undefined && threshold !== null && Number.isFinite(threshold)) {
    const series = opt.series as Opt[];
    series[0] = { ...series[0], markLine: { symbol: 'none', silent: true, label: { formatter: 'cut', position: 'end' }, lineStyle: { color: '#bd1f01', width: 1.5 }, data: [{ xAxis: threshold }] } };
  }
  return opt;
}

export function rocOption(r: GetRocResponse, runName: string): Opt {
  return rocChart(
    r.curves.map((c) => ({ name: `${c.signal}, ${runName}`, epsS: c.epsS, epsB: c.epsB, auc: c.auc })),
    { metrics: r.curves.map((c) => `${c.signal}: R30 = ${fmt(c.r30)}, R50 = ${fmt(c.r50)}`) },
  ) as Opt;
}

export function sculptingOption(s: SculptingResponse, score: ScoreKind): Opt {
  return sculptingChart({ edges: s.massEdges, uncut: s.uncut, curves: s.curves, scoreName: `cut on ${scoreLabel(score)}` }) as Opt;
}

/** Passing background vs all background mass at the current cut (both unit area), ratio passing / all. */
export function cutMassOption(c: CutAtEnergyResponse): Opt {
  return histogramWithRatio({
    edges: c.massEdges,
    reference: { name: 'background, no cut', counts: c.uncut },
    others: [{ name: `passing the cut (${c.nPassing})`, counts: c.passing }],
    xLabel: 'jet mass [GeV]',
    ratioLabel: 'passing / all',
    metrics: [`ε_B = ${fmt(c.epsB)}`, ...c.signals.map((s) => `ε_S(${s.name}) = ${fmt(s.epsS)}`), `JSD = ${fmt(c.jsd)} nats`],
  }) as Opt;
}

export function correlationOption(c: ScoreMassCorrelationResponse, score: ScoreKind): Opt {
  return scoreMassHistogram({
    ...c.histogram,
    profile: c.profile,
    yLabel: scoreLabel(score),
    metrics: [`Pearson ρ = ${fmt(c.pearson)}`, `Spearman ρ = ${fmt(c.spearman)}`],
  }) as Opt;
}

export { fmt, normaliseArea };

/** Unit-area counts of a histogram (re-exported helper for tests and views). */
function normaliseArea(h: Histogram): number[] {
  return toDensity(h.edges, h.counts);
}
