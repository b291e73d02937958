// Where the engine keeps its state: `$EBM_HEP_HOME` or `~/.ebm-hep`, with the SQLite store and the files beside it.
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';

/** The user's engine directory. */
export function defaultHome(): string {
  const env = process.env.EBM_HEP_HOME;
  return env && env.trim() ? resolve(env) : resolve(homedir(), '.ebm-hep');
}

/** The default run store: `<home>/ebm-hep.sqlite`. */
export function defaultDbPath(): string {
  return resolve(defaultHome(), 'ebm-hep.sqlite');
}

/** Directories beside a DB file for the large arrays it references by hash. */
export function storeDirs(dbPath: string): { home: string; datasets: string; runs: string; scores: string; samples: string } {
  const home = dirname(resolve(dbPath));
  return {
    home,
    datasets: resolve(home, 'datasets'),
    runs: resolve(home, 'runs'),
    scores: resolve(home, 'scores'),
    samples: resolve(home, 'samples'),
  };
}
