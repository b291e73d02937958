// `ebm-hep eval` end to end on the shared Pythia jets: baselines without a model, and a tiny untrained EBM-CLF model
// directory (scores, noise, generation, plots) — checks metrics.json content and that plots are written.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main.ts';
import { saveModel } from '../../src-main/model/io.ts';
import { initParams, MODEL_PRESETS } from '../../src-main/model/spec.ts';
import { hasShared, sharedPath } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'ebm-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const code = await main(args, out, err);
  return { code, out: o, err: e };
}

describe.skipIf(!hasShared)('ebm-hep eval', () => {
  it('baselines only: AUCs of jet mass and multiplicity on the held-out split, plots written', async () => {
    const out = join(dir, 'base');
    const r = await run(['eval', '--background', sharedPath('pythia8/qcd.h5'), '--signal', sharedPath('pythia8/top.h5'), '--out', out, '--max-jets', '1000', '--resamples', '10', '--dpi', '40']);
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.samples[0].nJets).toBe(200); // test part (20%) of 1000 jets
    const mass = m.scores.find((s: any) => s.score === 'baseline: jet mass');
    // Top jets are heavier than QCD jets: the mass alone separates them well.
    expect(mass.signals[0].auc.value).toBeGreaterThan(0.75);
    expect(mass.sculpting.map((c: any) => c.acceptance)).toEqual([1, 0.5, 0.2, 0.1, 0.05]);
    expect(mass.sculpting[3].jsd).toBeGreaterThan(0.2);
    expect(mass.correlation.distanceCorrelation).toBeCloseTo(1, 6);
    expect(existsSync(join(out, 'roc-top.png'))).toBe(true);
    expect(existsSync(join(out, 'sculpting-baseline-jet-mass.svg'))).toBe(true);
  });

  it('with a (tiny, untrained) EBM-CLF model: E(x), 1 − p(qcd|x), noise energies, generation metrics', async () => {
    const modelDir = join(dir, 'model');
    const config = { ...MODEL_PRESETS.tiny, outputs: 3 };
    const hist = new Array(config.particles + 1).fill(0);
    hist[20] = 1;
    hist[30] = 1;
    saveModel(modelDir, { kind: 'ebm-clf', config, classNames: ['qcd', 'w', 'top'], standardizer: { mean: [1, 0, 0], std: [1, 0.1, 0.1] }, preprocessing: { particles: 40, rotate: true }, multiplicityHistogram: hist }, initParams(config, 3));
    const out = join(dir, 'clf');
    const r = await run(['eval', '--run', modelDir, '--background', sharedPath('pythia8/qcd.h5'), '--signal', sharedPath('pythia8/top.h5'), '--out', out, '--max-jets', '500', '--resamples', '5', '--noise', '50', '--generate', '20', '--steps', '2', '--backend', 'cpu', '--dpi', '40']);
    expect(r.code, r.err).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.scores.map((s: any) => s.score)).toEqual(['E(x)', '1 − p(qcd|x)', 'baseline: jet mass', 'baseline: multiplicity', 'baseline: random']);
    expect(m.energy.map((c: any) => c.name)).toEqual(['qcd', 'top', 'random noise']);
    expect(m.generation.observables.map((o: any) => o.name)).toEqual(['ptGeV', 'massGeV', 'multiplicity', 'logPt', 'deta', 'dphi']);
    // the data-vs-data floor uses as many data jets as were generated (jet-level rows count jets)
    expect(m.generation.dataVsData.observables.slice(0, 3).map((o: any) => o.nGenerated)).toEqual([20, 20, 20]);
    for (const o of m.generation.dataVsData.observables) expect(o.jsd).toBeGreaterThanOrEqual(0);
    for (const stem of ['energy', 'energy-mass', 'gen-massGeV', 'jetimage-data', 'jetimage-generated']) expect(existsSync(join(out, `${stem}.png`))).toBe(true);
  });

  it('says what is missing', async () => {
    const r = await run(['eval', '--background', sharedPath('pythia8/qcd.h5')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no signal sample/);
  });
});

describe.skipIf(!hasShared)('ebm-hep score', () => {
  it('writes one CSV row per jet with energy, class probabilities, mass and pT', async () => {
    const modelDir = join(dir, 'model-score');
    const config = { ...MODEL_PRESETS.tiny, outputs: 2 };
    const hist = new Array(config.particles + 1).fill(1);
    saveModel(modelDir, { kind: 'ebm-clf', config, classNames: ['qcd', 'top'], standardizer: { mean: [1, 0, 0], std: [1, 0.1, 0.1] }, preprocessing: { particles: 40, rotate: true }, multiplicityHistogram: hist }, initParams(config, 4));
    const csv = join(dir, 'scores.csv');
    const r = await run(['score', '--run', modelDir, '--data', sharedPath('pythia8/top.h5'), '--out', csv, '--max-jets', '50', '--backend', 'cpu']);
    expect(r.code, r.err).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('index,label,energy,p_qcd,p_top,mass_gev,pt_gev');
    expect(lines).toHaveLength(51);
    const [index, label, energy, pq, pt, mass, ptGeV] = lines[1]!.split(',');
    expect(index).toBe('0');
    expect(label).toBe('top');
    expect(Number.isFinite(Number(energy))).toBe(true);
    expect(Number(pq) + Number(pt)).toBeCloseTo(1, 5);
    expect(Number(mass)).toBeGreaterThan(0);
    expect(Number(ptGeV)).toBeGreaterThan(500); // the files' 550–650 GeV window
  });
});
