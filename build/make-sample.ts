// Builds the embedded sample resources/sample/*.h5: a deterministic seeded subset of ../shared/data/pythia8 in the
// same HDF5 layout (4000 QCD, 1000 each of W, top, hh4b). Run once: `node --import tsx build/make-sample.ts`.
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import h5wasm from '../src-main/util/h5wasm.ts';
import { readJets } from '../src-main/data/read.ts';
import { SAMPLE_FILE_NAMES, type SampleFiles } from '../src-main/data/sample.ts';
import { subsetJets } from '../src-main/data/split.ts';
import { writeJetsHdf5 } from '../src-main/data/write.ts';
import { Rng } from '../src-main/util/rng.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const source = resolve(repo, '../shared/data/pythia8');
const outDir = resolve(repo, 'resources/sample');
const COUNTS: Record<keyof SampleFiles, number> = { qcd: 4000, w: 1000, top: 1000, hh4b: 1000 };
const SEED = 20240601;

/** Root attributes of the source file (generator settings), carried over verbatim. */
async function rootAttributes(path: string): Promise<Record<string, string>> {
  await h5wasm.ready;
  const f = new h5wasm.File(path, 'r');
  try {
    const out: Record<string, string> = {};
    for (const [k, a] of Object.entries(f.attrs)) if (typeof a.json_value === 'string') out[k] = a.json_value;
    return out;
  } finally {
    f.close();
  }
}

mkdirSync(outDir, { recursive: true });
for (const [cls, name] of Object.entries(SAMPLE_FILE_NAMES) as Array<[keyof SampleFiles, string]>) {
  const src = join(source, name);
  const jets = await readJets(src);
  const k = Math.min(COUNTS[cls], jets.nJets);
  const idx = new Rng(SEED).permutation(jets.nJets).slice(0, k).sort();
  const attrs = await rootAttributes(src);
  delete attrs.particle_features;
  delete attrs.jet_features;
  delete attrs.labels;
  attrs.subset = `${k} of ${jets.nJets} jets of ../shared/data/pythia8/${name}, chosen by Rng(${SEED}).permutation (ebm-hep build/make-sample.ts)`;
  const out = join(outDir, name);
  await writeJetsHdf5(out, subsetJets(jets, idx), { jetKinematics: 'stored', gzipLevel: 9, attributes: attrs });
  console.log(`${out}: ${k} jets, ${(statSync(out).size / 1e6).toFixed(2)} MB`);
}
