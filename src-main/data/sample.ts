// Locates the embedded sample of Pythia 8 jets shipped in resources/sample (repo checkout or packaged app), so the
// app and CLI work on first start with no user data.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../util/errors.ts';

/** The resources directory: $EBM_HEP_RESOURCES (set by a packaged app, e.g. to process.resourcesPath/resources), else
 *  `resources/` of the checkout this module lives in. */
export function resourcesDir(): string {
  const env = process.env.EBM_HEP_RESOURCES;
  return env ? resolve(env) : fileURLToPath(new URL('../../resources', import.meta.url));
}

/** Directory of the embedded sample (resolved at call time, so the env override can be set late). */
export function sampleDir(): string {
  return join(resourcesDir(), 'sample');
}

/** Directory of the embedded sample as resolved when this module was loaded. */
export const SAMPLE_DIR = sampleDir();

export interface SampleFiles {
  qcd: string;
  w: string;
  top: string;
  hh4b: string;
}

/** File names of the sample, one class per file (the ../shared/data/pythia8 layout). */
export const SAMPLE_FILE_NAMES: SampleFiles = { qcd: 'qcd.h5', w: 'w.h5', top: 'top.h5', hh4b: 'hh4b.h5' };

/** Absolute paths of the four sample files; throws a UserError naming the directory when one is missing. */
export function sampleFiles(): SampleFiles {
  const dir = sampleDir();
  const out = {} as SampleFiles;
  for (const [k, name] of Object.entries(SAMPLE_FILE_NAMES) as Array<[keyof SampleFiles, string]>) {
    const p = join(dir, name);
    if (!existsSync(p)) {
      throw new UserError('NOT_FOUND', `embedded sample file ${p} is missing`, {
        where: p,
        hint: 'Reinstall, or set EBM_HEP_RESOURCES to the directory that holds sample/ (regenerate it with `node --import tsx build/make-sample.ts`).',
      });
    }
    out[k] = p;
  }
  return out;
}
