// Jet-physics throughput on the embedded QCD sample (4000 jets): observables, preprocessing, standardisation,
// inverse map, N-subjettiness, jet images. Reports the median of repeated runs in jets/s.
import { readJets } from '../src-main/data/read.ts';
import { sampleFiles } from '../src-main/data/sample.ts';
import { jetImage } from '../src-main/physics/images.ts';
import { nSubjettiness } from '../src-main/physics/nsubjettiness.ts';
import { jetObservables, observablesFromFeatures } from '../src-main/physics/observables.ts';
import { fitStandardizer, preprocess, standardize, toJetSet } from '../src-main/physics/preprocess.ts';

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

export async function run(args: string[]): Promise<object> {
  const repeats = Number(args.find((a) => a.startsWith('--repeats='))?.split('=')[1] ?? 5);
  const jets = await readJets(sampleFiles().qcd);
  const n = jets.nJets;
  const p = preprocess(jets);
  const s = fitStandardizer(p);
  const cases: Record<string, () => unknown> = {
    jetObservables: () => jetObservables(jets),
    preprocess: () => preprocess(jets),
    standardize: () => standardize(p.x, p.mask, s),
    observablesFromFeatures: () => observablesFromFeatures(p.x, p.mask, p.size, p.particles),
    toJetSet: () => toJetSet(p.x, p.mask, p.size, p.particles, { axis: p.axis }),
    nSubjettiness: () => nSubjettiness(jets),
    jetImage: () => jetImage(p.x, p.mask, p.size, p.particles),
  };
  const jetsPerSecond: Record<string, number> = {};
  for (const [name, f] of Object.entries(cases)) {
    f(); // warm-up
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      f();
      times.push(performance.now() - t0);
    }
    jetsPerSecond[name] = Math.round(n / (median(times) / 1000));
  }
  return { jets: n, repeats, jetsPerSecond };
}
