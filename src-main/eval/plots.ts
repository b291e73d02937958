// Report plots: turns evaluation results into the shared chart options (renderer/charts) — the same builders the
// app uses — so a CLI report and the app's Anomaly/Generation views look the same.
import type { EChartsOption } from 'echarts';
import { imageEdges } from '../physics/images.ts';
import { energyDistributions, fmt, histogramWithRatio, jetImage, rocChart, scoreMassHistogram, sculptingChart } from '../../renderer/charts/index.ts';
import type { EnergyDistributions } from './energy.ts';
import type { ObservableComparison } from './generation.ts';
import type { AnomalyReport, ScoreResult } from './report.ts';

const UNIT: Record<string, string> = { ptGeV: ' GeV', massGeV: ' GeV', multiplicity: '', logPt: '', deta: '', dphi: ' rad' };

/** One ROC plot per signal with every score overlaid (E(x), p(y|x), baselines). */
export function rocPlots(report: AnomalyReport, title: string): { signal: string; option: EChartsOption }[] {
  const signals = [...new Set(report.scores.flatMap((s) => s.signals.map((x) => x.signal)))];
  return signals.map((signal) => {
    const curves = report.scores.flatMap((s) =>
      s.signals
        .filter((x) => x.signal === signal)
        .map((x) => ({ name: s.score, epsS: x.roc.epsS, epsB: x.roc.epsB, auc: x.metrics.auc.value, dashed: isBaseline(s.score) })),
    );
    return { signal, option: rocChart(curves, { title: `${title}  background vs ${signal}` }) };
  });
}

/** Baseline scores are drawn dashed. */
export function isBaseline(score: string): boolean {
  return score.startsWith('baseline');
}

/** Background mass shapes after cuts on one score (paper Figs. 6 right, 7). */
export function sculptingPlot(s: ScoreResult, title: string, massLabel: string): EChartsOption {
  return sculptingChart({ edges: s.sculpting.edges, uncut: s.sculpting.uncut, curves: s.sculpting.curves, xLabel: massLabel, title: `${title}  cut on ${s.score}`, scoreName: `cut on ${s.score}` });
}

/** Energy distributions of background, signals and random noise (paper Fig. 4 left). */
export function energyPlot(e: EnergyDistributions, title: string, energyLabel = 'energy E(x)'): EChartsOption {
  return energyDistributions({ edges: e.edges, classes: e.classes.map((c) => ({ name: c.name, role: c.role, counts: c.counts })), xLabel: energyLabel, title });
}

/** Score vs background jet mass (paper Fig. 4 right) with the correlation coefficients. */
export function scoreMassPlot(h: { xEdges: ArrayLike<number>; yEdges: ArrayLike<number>; values: ArrayLike<number>; profile: { x: number[]; y: number[] } }, s: ScoreResult, title: string, massLabel: string): EChartsOption {
  return scoreMassHistogram({
    ...h,
    xLabel: massLabel,
    yLabel: s.score,
    metrics: [`Pearson ρ = ${fmt(s.correlation.pearson)}`, `Spearman = ${fmt(s.correlation.spearman)}`, `dCor = ${fmt(s.correlation.distanceCorrelation)}`],
    title,
  });
}

/** Data vs generated for one observable with ratio panel, JSD and W1 on the plot (paper Figs. 2, 5). */
export function generationPlot(o: ObservableComparison, title: string): EChartsOption {
  return histogramWithRatio({
    edges: o.data.edges,
    reference: { name: `data (${o.nData})`, counts: o.data.counts },
    others: [{ name: `generated (${o.nGenerated})`, counts: o.generated.counts }],
    xLabel: o.label,
    metrics: [`JSD = ${fmt(o.jsd)} nats`, `W₁ = ${fmt(o.w1)}${UNIT[o.name] ?? ''}`],
    title,
  });
}

/** An average jet image, values[iEta * nPhi + iPhi] as physics/images.ts returns them. */
export function jetImagePlot(values: ArrayLike<number>, nEta: number, nPhi: number, etaRange: [number, number], phiRange: [number, number], nJets: number, title: string, logRange?: [number, number]): EChartsOption {
  return jetImage({ etaEdges: imageEdges(etaRange, nEta), phiEdges: imageEdges(phiRange, nPhi), values, nJets, title, ...(logRange ? { logRange } : {}) });
}
