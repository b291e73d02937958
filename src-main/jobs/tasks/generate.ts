// Worker task: generate jets from a run's model by long-run Langevin; returns un-standardised features + mask.
import { generateJets } from '../../train/generate.ts';
import type { TaskContext } from '../protocol.ts';

export interface GeneratePayload {
  runDir: string;
  nJets: number;
  steps: number;
  stepSize: number;
  seed: number;
}

export async function run(p: GeneratePayload, ctx: TaskContext): Promise<{ x: Float32Array; mask: Uint8Array; size: number; particles: number }> {
  const g = await generateJets(p.runDir, { n: p.nJets, steps: p.steps, stepSize: p.stepSize, seed: p.seed, onProgress: (done, total) => ctx.emit({ type: 'progress', done, total }) });
  return { x: g.features, mask: g.mask, size: g.size, particles: g.particles };
}
