// Locates ../shared (present in CI, absent on a user's fresh clone) so tests can skip with a clear message.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED_DIR = resolve(import.meta.dirname, '../../../shared');
export const SHARED_DATA = resolve(SHARED_DIR, 'data');
export const hasShared = existsSync(resolve(SHARED_DATA, 'pythia8/qcd.h5'));
/** Use as `describe.skipIf(!hasShared)(...)`; the reason is printed once. */
export function sharedPath(rel: string): string {
  return resolve(SHARED_DATA, rel);
}
if (!hasShared) console.warn(`[tests] ../shared/data not found at ${SHARED_DATA}: tests on the shared Pythia/ROOT files are skipped.`);
