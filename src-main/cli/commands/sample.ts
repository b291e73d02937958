// `ebm-hep sample`: generates jets from a trained run by Langevin dynamics from noise and writes HDF5 / .npy / .npz.
import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { progressBar } from '../progress.ts';
import { writeGeneratedHdf5, writeJetsNpy, writeJetsNpz } from '../../data/write.ts';
import { generateJets } from '../../train/generate.ts';
import { UserError } from '../../util/errors.ts';

const usage = `usage: ebm-hep sample --run DIR --out FILE [options]

Generates jets from a trained model: Gaussian noise with particle counts drawn from the training multiplicity
distribution, Langevin steps x ← x − λ∇E(x) + σε, de-standardised and mapped to physical (pT, η, φ) around the jet
axis at (0, 0). FILE: .h5 (the shared dataset layout), .npy ([n, N, 3] pT, η, φ) or .npz.

  --run DIR           run directory (or its model/ directory)
  --out FILE          output file (.h5, .npy or .npz)
  --n N               number of jets (default 10000)
  --steps N           Langevin steps (default 200, the paper's)
  --step-size X       step size λ (default 0.05, the paper's)
  --noise X           noise σ (default 0.005)
  --seed S            seed (default 1)
  --clamp MARGIN      clamp states to the training data's range widened by MARGIN × its width (training default 0.05)
  --backend NAME      compute backend (default auto)
  --threads N         compute threads
  --json              print a JSON summary on stdout`;

function num(v: string | undefined, name: string, def: number, integer: boolean, min: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) throw new UserError('BAD_INPUT', `--${name} ${v}: expected ${integer ? 'an integer' : 'a number'} ≥ ${min}`, { where: `--${name}` });
  return n;
}

const command: Command = {
  summary: 'generate jets from a trained run (Langevin from noise) into HDF5 / .npy / .npz',
  usage,
  async run({ argv, stdout, stderr }) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        run: { type: 'string' },
        out: { type: 'string' },
        n: { type: 'string' },
        steps: { type: 'string' },
        'step-size': { type: 'string' },
        noise: { type: 'string' },
        seed: { type: 'string' },
        clamp: { type: 'string' },
        backend: { type: 'string' },
        threads: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (!values.run) throw new UserError('BAD_INPUT', 'missing --run DIR', { hint: 'Pass the run directory written by `ebm-hep train`.' });
    if (!values.out) throw new UserError('BAD_INPUT', 'missing --out FILE', { hint: 'e.g. --out gen.h5 (or .npy / .npz)' });
    const ext = extname(values.out).toLowerCase();
    if (!['.h5', '.hdf5', '.npy', '.npz'].includes(ext)) throw new UserError('BAD_INPUT', `--out ${values.out}: unsupported extension '${ext}'`, { hint: 'Use .h5, .npy or .npz.' });
    const n = num(values.n, 'n', 10000, true, 1);
    const steps = num(values.steps, 'steps', 200, true, 1);
    const stepSize = num(values['step-size'], 'step-size', 0.05, false, 0);
    const noise = num(values.noise, 'noise', 0.005, false, 0);
    const seed = num(values.seed, 'seed', 1, true, 0);
    const threads = values.threads ? num(values.threads, 'threads', 0, true, 1) : undefined;
    const bar = progressBar('sample', stderr);
    const t0 = performance.now();
    const g = await generateJets(resolve(values.run), {
      n,
      steps,
      stepSize,
      noise,
      seed,
      ...(values.clamp !== undefined ? { clampMargin: num(values.clamp, 'clamp', 0.5, false, 0) } : {}),
      ...(values.backend ? { backend: values.backend } : {}),
      ...(threads ? { threads } : {}),
      onProgress: (d, t) => bar.update(d, t, `${n} jets, ${steps} steps`),
    });
    bar.done();
    const out = resolve(values.out);
    if (ext === '.npy') writeJetsNpy(out, g.jets, { particles: g.particles });
    else if (ext === '.npz') writeJetsNpz(out, g.jets, { particles: g.particles });
    else await writeGeneratedHdf5(out, g.features, g.mask, g.size, g.particles);
    const mass = Array.from(g.observables.massGeV).sort((a, b) => a - b);
    const mult = g.observables.multiplicity.reduce((a, b) => a + b, 0) / g.size;
    const summary = { out, n: g.size, steps, stepSize, noise, seed, seconds: (performance.now() - t0) / 1000, medianMassGeV: mass[Math.floor(mass.length / 2)], meanMultiplicity: mult };
    if (values.json) stdout.write(JSON.stringify(summary) + '\n');
    else stderr.write(`wrote ${g.size} jets to ${out} (median mass ${summary.medianMassGeV?.toFixed(1)} GeV, mean multiplicity ${mult.toFixed(1)})\n`);
    return 0;
  },
};

export default command;
