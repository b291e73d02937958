// `ebm-hep eval`: the anomaly-detection and generation report of a trained run on held-out jets — metrics.json plus
// PNG+SVG plots (ROC, energy distributions with noise, sculpting, E–mass correlation, generation with ratio panels,
// jet images) — and the baselines (jet mass, multiplicity as the score) on the same jets.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { progressBar } from '../progress.ts';
import { readJets } from '../../data/read.ts';
import { energyDistributions, type EnergySample } from '../../eval/energy.ts';
import { compareGeneration, dataVsDataFloor, generationSample } from '../../eval/generation.ts';
import { anomalyReport, jsonSafe, scoreMassHistogram2D, type EvalSample } from '../../eval/report.ts';
import { energyPlot, generationPlot, jetImagePlot, rocPlots, scoreMassPlot, sculptingPlot } from '../../eval/plots.ts';
import { writePlot } from '../../eval/render.ts';
import { completeRunCounts, jetQuantities, parseSampleArg, readRunSplit, selectJets, type RunSplitInfo, type SplitChoice } from '../../eval/samples.ts';
import { jetImage } from '../../physics/images.ts';
import { UserError } from '../../util/errors.ts';
import { Rng } from '../../util/rng.ts';

const usage = `usage: ebm-hep eval [--run DIR] --background FILE[:name] --signal FILE[:name] [--signal …] [options]

Evaluates a trained run on held-out jets and writes OUT/metrics.json and plots (PNG + SVG):
  roc-<signal>            1/ε_B vs ε_S of every score (E(x); EBM-CLF: 1 − p(bkg|x); baselines dashed)
  energy                  E(x) of background, signals and random noise (paper Fig. 4 left)
  energy-mass             E(x) vs background jet mass with Pearson/Spearman/distance correlation (Fig. 4 right)
  sculpting-<score>       background mass after cuts keeping 100/50/20/10/5% of it, JSD [nats] each (Figs. 6–7)
  gen-<observable>        data vs generated jet pT, mass, multiplicity, particle ln pT, Δη, Δφ with ratio panels
  jetimage-data, jetimage-generated   average jet images (log colour)
Without --run only the baselines (jet mass, multiplicity as the score) are evaluated. 'baseline: random' (a seeded
uniform score) gives AUC ≈ 0.5 and the statistical floor of the sculpting JSDs for the number of jets used.

Scores: higher = more anomalous. Mass = the file's stored full-jet mass when present (else from constituents).
Jets (--split test, default): for files the run trained on, exactly the run's test split (seed and fractions from
run.json); other files: the test part of splitIndices(n, seed, fractions) of that file (seed 1, 0.7/0.1/0.2 without
--run). --split all uses every jet (do not use it on training files).

  --run DIR            run directory (or model directory) from \`ebm-hep train\`
  --background FILE    background jets (e.g. ../shared/data/pythia8/qcd.h5); FILE:name sets the name
  --signal FILE        a signal sample; repeat for several
  --out DIR            output directory (default report/)
  --split test|all     which jets (default test)
  --max-jets N         read at most N jets per file (must match training for training files)
  --resamples N        bootstrap resamples for uncertainties (default 200)
  --seed N             bootstrap / noise / generation seed (default 0)
  --noise N            random-noise jets scored for the energy plot (default 1000)
  --generate N         jets generated for the generation plots (default 1000; 0 = skip)
  --steps N            Langevin steps for generation (default 200, the paper's)
  --step-size X        Langevin step size λ for generation (default 0.05, the paper's)
  --backend NAME       compute backend (auto, native, wasm, cpu, …; default auto)
  --threads N          compute threads (native, wasm; default all cores)
  --dpi N              PNG resolution (default 300)
  --no-plots           metrics.json only
  --json               print metrics.json to stdout as well
  --db FILE            run store the evaluation is saved in when --run is a run directory (default
                       $EBM_HEP_HOME/ebm-hep.sqlite); the app's Anomaly view then shows it`;

function int(v: string | undefined, name: string, def: number, min = 0): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError('BAD_INPUT', `--${name} ${v}: expected an integer ≥ ${min}`, { where: `--${name}` });
  return n;
}

function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[^\w]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

const command: Command = {
  summary: 'evaluate a run on held-out jets: AUC/R30/R50, sculpting, correlations, generation; metrics.json + plots',
  usage,
  async run({ argv, stdout, stderr }) {
    const { values } = parseOrExplain(() => parseArgs({
      args: argv,
      strict: true,
      options: {
        run: { type: 'string' },
        background: { type: 'string' },
        signal: { type: 'string', multiple: true },
        out: { type: 'string' },
        split: { type: 'string' },
        'max-jets': { type: 'string' },
        resamples: { type: 'string' },
        seed: { type: 'string' },
        noise: { type: 'string' },
        generate: { type: 'string' },
        steps: { type: 'string' },
        'step-size': { type: 'string' },
        backend: { type: 'string' },
        threads: { type: 'string' },
        dpi: { type: 'string' },
        'no-plots': { type: 'boolean' },
        json: { type: 'boolean' },
        db: { type: 'string' },
      },
    }));
    if (!values.background) throw new UserError('BAD_INPUT', 'no background sample given', { hint: 'Add --background qcd.h5 (the jets the EBM was trained on).', where: '--background' });
    const signalsArg = values.signal ?? [];
    if (signalsArg.length === 0) throw new UserError('BAD_INPUT', 'no signal sample given', { hint: 'Add --signal top.h5 (repeat --signal for several).', where: '--signal' });
    const split = (values.split ?? 'test') as SplitChoice;
    if (split !== 'test' && split !== 'all') throw new UserError('BAD_INPUT', `--split ${values.split}: expected test or all`, { where: '--split' });
    const maxJets = values['max-jets'] !== undefined ? int(values['max-jets'], 'max-jets', 0, 1) : undefined;
    const resamples = int(values.resamples, 'resamples', 200);
    const seed = int(values.seed, 'seed', 0);
    const nNoise = int(values.noise, 'noise', 1000);
    const nGenerate = int(values.generate, 'generate', 1000);
    const steps = int(values.steps, 'steps', 200, 1);
    const stepSize = values['step-size'] !== undefined ? Number(values['step-size']) : 0.05;
    if (!(stepSize > 0)) throw new UserError('BAD_INPUT', `--step-size ${values['step-size']}: expected a positive number`, { where: '--step-size' });
    const dpi = int(values.dpi, 'dpi', 300, 30);
    const outDir = resolve(values.out ?? 'report');
    const plots = !values['no-plots'];
    mkdirSync(outDir, { recursive: true });
    const log = (m: string) => stderr.write(`ebm-hep eval: ${m}\n`);

    const runInfo = values.run ? readRunSplitOrModel(values.run) : null;
    const run: RunSplitInfo | null = runInfo ? await completeRunCounts(runInfo, async (p) => (await readJets(p)).nJets) : null;
    const threads = values.threads !== undefined ? int(values.threads, 'threads', 1, 1) : undefined;
    const model = values.run ? await (await import('../../eval/model.ts')).loadEvalModel(values.run, { ...(values.backend ? { backend: values.backend } : {}), ...(threads ? { threads } : {}) }) : null;
    if (model) log(`model ${model.meta.kind} on backend ${model.backend}`);
    const runLabel = values.run ? `EBM-HEP  ${model?.meta.kind === 'ebm-clf' ? 'EBM-CLF' : 'EBM'} ${basename(resolve(values.run))}` : 'EBM-HEP  baselines';

    // Background-class index for EBM-CLF's p(y|x): the class named like the background sample, else class 0.
    const bg = parseSampleArg(values.background);
    const bgClass = model?.meta.classNames ? Math.max(0, model.meta.classNames.indexOf(bg.name)) : 0;
    const bgClassName = model?.meta.classNames?.[bgClass] ?? 'bkg';

    const samples: EvalSample[] = [];
    const described: Record<string, unknown>[] = [];
    const energySamples: EnergySample[] = [];
    let bgFeatures: ReturnType<NonNullable<typeof model>['features']> | null = null;
    let massDefinition = '';
    let multiplicityDefinition = '';
    for (const [role, arg] of [['background', values.background] as const, ...signalsArg.map((s) => ['signal', s] as const)]) {
      const { path, name } = parseSampleArg(arg);
      const all = await readJets(path, { ...(maxJets ? { maxJets } : {}) });
      const sel = selectJets(path, all, split, run);
      const q = jetQuantities(sel.jets);
      massDefinition = q.massDefinition;
      multiplicityDefinition = q.multiplicityDefinition;
      const scores: Record<string, Float32Array> = {};
      if (model) {
        const bar = progressBar(`scoring ${name}`, stderr);
        const s = await model.score(sel.jets, (d, t) => bar.update(d, t));
        bar.done();
        scores['E(x)'] = s.energy;
        if (s.probs) {
          const C = model.meta.config.outputs;
          const anti = new Float32Array(sel.jets.nJets);
          for (let j = 0; j < anti.length; j++) anti[j] = 1 - s.probs[j * C + bgClass]!;
          scores[`1 − p(${bgClassName}|x)`] = anti;
        }
        energySamples.push({ name, role, energy: s.energy });
        if (role === 'background') bgFeatures = model.features(sel.jets);
      }
      scores['baseline: jet mass'] = q.massGeV;
      scores['baseline: multiplicity'] = q.multiplicity;
      // A score independent of everything: its sculpting JSDs are the statistical floor of the finite test sample.
      const rng = new Rng(seed + 3 + samples.length);
      scores['baseline: random'] = Float32Array.from({ length: sel.jets.nJets }, () => rng.uniform());
      samples.push({ name, role, massGeV: q.massGeV, scores });
      described.push({ name, role, path: resolve(path), selection: sel.description, nJets: sel.jets.nJets, nFile: sel.nFile });
      log(`${role} ${name}: ${sel.description}`);
    }
    const [background, ...signals] = samples as [EvalSample, ...EvalSample[]];
    if (values.run && model && existsSync(join(values.run, 'config.json'))) {
      // register in the run store (energy, 1 − p(bkg|x) as p(bkg|x), jet mass per jet) so the app can show it
      const { registerEvaluationInStore } = await import('../../api/evaluation-record.ts');
      const { defaultDbPath } = await import('../../store/paths.ts');
      const classes = samples.map((x, i) => ({ name: x.name, role: x.role, datasetId: `file:${String(described[i]!.path)}` }));
      const res = {
        classes: samples.map((x) => {
          const anti = Object.entries(x.scores).find(([k]) => k.startsWith('1 − p('))?.[1];
          return { name: x.name, role: x.role, energy: x.scores['E(x)']!, massGeV: x.massGeV, ...(anti ? { pBackground: Float32Array.from(anti, (a) => 1 - a) } : {}) };
        }),
      };
      log(await registerEvaluationInStore(values.db ?? defaultDbPath(), resolve(values.run), classes, res));
    }

    log(`metrics (${resamples} bootstrap resamples)…`);
    const report = anomalyReport(background, signals, { resamples, seed });
    const massLabel = massDefinition.startsWith('stored') ? 'jet mass [GeV]' : 'jet mass (constituents) [GeV]';

    const metrics: Record<string, unknown> = {
      command: ['ebm-hep', 'eval', ...argv].join(' '),
      createdAt: new Date().toISOString(),
      run: values.run ? resolve(values.run) : null,
      model: model ? { kind: model.meta.kind, classNames: model.meta.classNames ?? null, backend: model.backend, config: model.meta.config } : null,
      split: { choice: split, seed: run?.seed ?? 1, fractions: run?.fractions ?? null },
      massDefinition,
      multiplicityDefinition,
      conventions: {
        scores: 'higher = more anomalous; a jet passes a cut when score ≥ threshold',
        jsd: 'Jensen–Shannon divergence in nats (natural log), 0 … ln 2 = 0.693',
        r30_r50: '1/ε_B at ε_S = 0.3 / 0.5, ε_B linearly interpolated on the ROC curve; null = no background passes',
        sculpting: 'JSD of the background mass histogram passing a cut keeping ε_B of the background vs all background',
        disco: '1/JSD(pass, fail) of the background mass at the cut with ε_S = 50% (Kasieczka & Shih, arXiv:2001.05310)',
        uncertainties: `bootstrap: std and 16–84% interval over ${resamples} resamples (seed ${seed})`,
      },
      samples: described,
      massBinning: report.massBinning,
      scores: report.scores.map((s) => ({
        score: s.score,
        signals: s.signals.map((x) => ({ signal: x.signal, auc: x.metrics.auc, r30: x.metrics.r30, r50: x.metrics.r50, nSignal: x.metrics.nSignal, nBackground: x.metrics.nBackground, disco: x.disco })),
        sculpting: s.sculpting.curves.map((c) => ({ acceptance: c.acceptance, threshold: c.threshold, passFraction: c.passFraction, nPassing: c.nPassing, jsd: c.jsd })),
        correlation: s.correlation,
      })),
    };

    const written: string[] = [];
    const plot = async (option: Parameters<typeof writePlot>[0], stem: string) => {
      if (!plots) return;
      const p = await writePlot(option, join(outDir, stem), { dpi });
      written.push(p.png, p.svg);
    };

    if (plots) {
      for (const r of rocPlots(report, runLabel)) await plot(r.option, `roc-${slug(r.signal)}`);
      for (const s of report.scores) await plot(sculptingPlot(s, runLabel, massLabel), `sculpting-${slug(s.score)}`);
    }

    if (model) {
      if (nNoise > 0) energySamples.push({ name: 'random noise', role: 'noise', energy: model.noiseEnergy(nNoise, seed + 1) });
      const ed = energyDistributions(energySamples);
      metrics.energy = ed.classes.map((c) => ({ name: c.name, role: c.role, n: c.n, nonFinite: c.nonFinite, mean: c.mean, median: c.median }));
      await plot(energyPlot(ed, runLabel), 'energy');
      const eScore = report.scores.find((s) => s.score === 'E(x)')!;
      const h = scoreMassHistogram2D(background.massGeV, background.scores['E(x)']!, report.massBinning.range as [number, number]);
      await plot(scoreMassPlot(h, eScore, `${runLabel}  ${background.name}`, massLabel), 'energy-mass');

      if (nGenerate > 0 && bgFeatures) {
        log(`generating ${nGenerate} jets (${steps} Langevin steps, λ = ${stepSize})…`);
        const bar = progressBar('generating', stderr);
        const gen = await model.generate(nGenerate, { steps, stepSize, seed: seed + 2, onProgress: (d, t) => bar.update(d, t) });
        bar.done();
        const cmp = compareGeneration(generationSample(bgFeatures), generationSample(gen), { particles: gen.particles });
        const floor = dataVsDataFloor(bgFeatures, nGenerate, seed + 3);
        metrics.generation = {
          reference: `${background.name} (${bgFeatures.size} held-out jets, constituent observables in the model frame)`,
          nGenerated: nGenerate,
          steps,
          stepSize,
          noise: 0.005,
          seed: seed + 2,
          nonFiniteGenerated: cmp.nonFiniteGenerated,
          observables: cmp.observables.map((o) => ({ name: o.name, label: o.label, level: o.level, jsd: o.jsd, w1: o.w1, binning: o.binning, nData: o.nData, nGenerated: o.nGenerated })),
          /** The same comparison between two disjoint parts of the held-out data (nGenerated jets vs the rest): the finite-sample floor. */
          dataVsData: { seed: seed + 3, observables: floor.observables.map((o) => ({ name: o.name, jsd: o.jsd, w1: o.w1, nData: o.nData, nGenerated: o.nGenerated })) },
        };
        for (const [i, o] of cmp.observables.entries()) log(`generation ${o.name.padEnd(12)} JSD ${o.jsd.toFixed(4)} nats (data vs data: ${floor.observables[i]!.jsd.toFixed(4)}), W1 ${o.w1.toPrecision(4)} (${floor.observables[i]!.w1.toPrecision(4)})`);
        for (const o of cmp.observables) await plot(generationPlot(o, `${runLabel}  ${background.name}`), `gen-${o.name}`);
        const img = { bins: 32, etaRange: [-0.8, 0.8] as [number, number], phiRange: [-0.8, 0.8] as [number, number] };
        const dataImg = jetImage(bgFeatures.x, bgFeatures.mask, bgFeatures.size, bgFeatures.particles, img);
        const genImg = jetImage(gen.x, gen.mask, gen.size, gen.particles, img);
        let hi = -Infinity;
        for (const v of [...dataImg, ...genImg]) if (v > 0) hi = Math.max(hi, Math.log10(v));
        const logRange: [number, number] = Number.isFinite(hi) ? [Math.ceil(hi) - 5, Math.ceil(hi)] : [-5, 0];
        await plot(jetImagePlot(dataImg, 32, 32, img.etaRange, img.phiRange, bgFeatures.size, `${runLabel}  data`, logRange), 'jetimage-data');
        await plot(jetImagePlot(genImg, 32, 32, img.etaRange, img.phiRange, gen.size, `${runLabel}  generated`, logRange), 'jetimage-generated');
      }
      model.dispose();
    }

    metrics.plots = written.map((p) => p.slice(outDir.length + 1));
    const json = JSON.stringify(jsonSafe(metrics), null, 2) + '\n';
    writeFileSync(join(outDir, 'metrics.json'), json);
    for (const s of report.scores) {
      for (const x of s.signals) {
        const m = x.metrics;
        log(`${s.score.padEnd(24)} ${x.signal.padEnd(8)} AUC ${m.auc.value.toFixed(3)} ± ${m.auc.std.toFixed(3)}  R30 ${fmtR(m.r30.value)}  R50 ${fmtR(m.r50.value)}  1/JSD@50% ${fmtR(x.disco.inverseJsd)}`);
      }
      const c10 = s.sculpting.curves.find((c) => c.acceptance === 0.1);
      if (c10) log(`${s.score.padEnd(24)} sculpting JSD at ε_B = 10%: ${c10.jsd.toFixed(4)} nats; dCor(score, mass) = ${s.correlation.distanceCorrelation.toFixed(3)}`);
    }
    log(`wrote ${join(outDir, 'metrics.json')}${written.length ? ` and ${written.length} plot files` : ''}`);
    if (values.json) stdout.write(json);
    return 0;
  },
};

/** parseArgs errors (unknown option, missing value) as a UserError that points to --help. */
export function parseOrExplain<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new UserError('BAD_INPUT', (err as Error).message, { hint: 'See the options with --help.' });
    throw err;
  }
}

function fmtR(v: number): string {
  return Number.isFinite(v) ? v.toFixed(1) : '∞';
}

/** run.json of a run directory; a bare model directory has none → null (then files are split alone, seed 1). */
function readRunSplitOrModel(dir: string): RunSplitInfo | null {
  try {
    return readRunSplit(dir);
  } catch (err) {
    if (err instanceof UserError && /run\.json/.test(err.message)) return null;
    throw err;
  }
}

export default command;
