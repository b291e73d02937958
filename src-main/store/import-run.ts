// Imports a run directory made elsewhere (docs/RUN_DIRECTORY.md: config.json, run.json, metrics.jsonl, checkpoints/,
// model/) into the store: copied under the store's runs/ and registered with its metrics and checkpoints in one
// transaction; any failure removes the copy and leaves no rows.
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { badFile, UserError } from '../util/errors.ts';
import { newId, nowIso, type RunKind, type RunRecord, type RunStatus, type Store } from './store.ts';

interface RunJson {
  format?: string;
  name?: string;
  status?: string;
  kind?: string;
  seed?: number;
  backend?: string;
  appVersion?: string;
  createdAt?: string;
  finishedAt?: string;
  epochs?: number;
  epochsCompleted?: number;
  stepsPerEpoch?: number;
  globalStep?: number;
  error?: { message?: string };
}

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    throw badFile(path, `cannot read ${what}: ${(err as Error).message}`, 'Is this a run directory written by `ebm-hep train`? See docs/RUN_DIRECTORY.md.', err);
  }
}

export interface ImportRunOptions {
  name?: string;
  tags?: string[];
  /** Register the directory where it is (CLI `train --out`) instead of copying it under the store's runs/. A run
   *  already registered with this directory is refreshed (status, progress, metrics, checkpoints). */
  inPlace?: boolean;
}

/** Imports a run directory; returns the new run record. Idempotence is the caller's business (a copy each time). */
export function importRunDirectory(store: Store, dir: string, opts: ImportRunOptions = {}): RunRecord {
  const src = resolve(dir);
  if (!existsSync(src) || !statSync(src).isDirectory()) throw new UserError('NOT_FOUND', `${src}: no such run directory`, { hint: 'Give the directory `ebm-hep train --out` wrote.', where: src });
  const configPath = resolve(src, 'config.json');
  if (!existsSync(configPath)) throw badFile(src, 'has no config.json, so it is not a run directory', 'Give the directory `ebm-hep train --out` wrote (docs/RUN_DIRECTORY.md).');
  const config = readJson<Record<string, unknown>>(configPath, 'config.json');
  const runJson = existsSync(resolve(src, 'run.json')) ? readJson<RunJson>(resolve(src, 'run.json'), 'run.json') : {};
  if (runJson.format && runJson.format !== 'ebm-hep-run') throw badFile(resolve(src, 'run.json'), `format '${runJson.format}' is not 'ebm-hep-run'`, 'Import only run directories written by ebm-hep.');
  const kind = (runJson.kind ?? config.kind ?? 'ebm') as RunKind;
  if (kind !== 'ebm' && kind !== 'ebm-clf') throw badFile(configPath, `unknown run kind '${String(kind)}'`, "Expected 'ebm' or 'ebm-clf'.");
  // A run that was 'running' when copied off a cluster node was interrupted as far as we know.
  const statusMap: Record<string, RunStatus> = { running: 'interrupted', done: 'done', stopped: 'stopped', failed: 'failed', interrupted: 'interrupted' };
  const status = statusMap[runJson.status ?? ''] ?? 'done';

  // Parse metrics before touching anything (bad lines are reported with their number).
  const steps = new Map<number, Record<string, number>>();
  const epochs = new Map<number, Record<string, number>>();
  const checkpoints: { epoch: number; step: number; path: string }[] = [];
  const metricsPath = resolve(src, 'metrics.jsonl');
  if (existsSync(metricsPath)) {
    const lines = readFileSync(metricsPath, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let ev: Record<string, unknown>;
      try {
        ev = JSON.parse(line) as Record<string, unknown>;
      } catch {
        if (i === lines.length - 1 || (i === lines.length - 2 && !lines[lines.length - 1]!.trim())) return; // a torn last line
        throw badFile(metricsPath, `line ${i + 1} is not JSON`, 'The file is corrupt; fix or remove that line.');
      }
      const nums = (o: Record<string, unknown>, skip: string[]) => {
        const out: Record<string, number> = {};
        for (const [k, v] of Object.entries(o)) if (!skip.includes(k) && typeof v === 'number' && Number.isFinite(v)) out[k] = v;
        return out;
      };
      if (ev.type === 'step' && typeof ev.globalStep === 'number') steps.set(ev.globalStep, nums(ev, ['epoch', 'step', 'globalStep', 'time']));
      else if (ev.type === 'epoch' && typeof ev.epoch === 'number') {
        epochs.set(ev.epoch, nums((ev.metrics ?? {}) as Record<string, unknown>, []));
        if (typeof ev.checkpoint === 'string' && ev.checkpoint) checkpoints.push({ epoch: ev.epoch, step: typeof ev.globalStep === 'number' ? ev.globalStep : 0, path: ev.checkpoint });
      }
    });
  }

  const existing = opts.inPlace ? store.listRuns().find((r) => resolve(r.runDir) === src) : undefined;
  const id = existing?.id ?? newId('run');
  const runDir = opts.inPlace ? src : resolve(store.dirs.runs, id);
  const rec: RunRecord = {
    id,
    name: opts.name ?? runJson.name ?? basename(src),
    kind,
    preset: typeof config.preset === 'string' ? config.preset : '',
    config,
    status,
    seed: typeof runJson.seed === 'number' ? runJson.seed : typeof config.seed === 'number' ? config.seed : 0,
    appVersion: runJson.appVersion ?? '',
    createdAt: runJson.createdAt ?? nowIso(),
    tags: opts.tags ?? (opts.inPlace ? ['cli'] : ['imported']),
    notes: opts.inPlace ? `trained by the CLI in ${src}` : `imported from ${src}`,
    runDir,
    data: [],
  };
  if (runJson.backend) rec.backend = runJson.backend;
  if (runJson.finishedAt) rec.finishedAt = runJson.finishedAt;
  if (status === 'failed' && runJson.error?.message) rec.statusReason = runJson.error.message;
  if (runJson.status === 'running') rec.statusReason = 'imported while its run.json still said running (interrupted elsewhere)';
  if (typeof runJson.epochs === 'number') {
    rec.progress = { epoch: runJson.epochsCompleted ?? 0, epochs: runJson.epochs, step: 0, stepsPerEpoch: runJson.stepsPerEpoch ?? 0 };
  }

  if (!opts.inPlace) cpSync(src, runDir, { recursive: true, errorOnExist: true, force: false });
  const known = new Set(existing ? store.listCheckpoints(id).map((c) => c.path) : []);
  store.transact(
    'importRun',
    () => {
      if (existing) {
        const { id: _id, name: _name, tags: _tags, notes: _notes, createdAt: _c, ...rest } = rec;
        store.updateRun(id, rest);
      } else store.insertRun(rec);
      for (const [x, values] of [...steps.entries()].sort((a, b) => a[0] - b[0])) store.addMetrics(id, 'step', x, values);
      for (const [x, values] of [...epochs.entries()].sort((a, b) => a[0] - b[0])) store.addMetrics(id, 'epoch', x, values);
      for (const c of checkpoints) {
        const p = resolve(runDir, c.path);
        if (existsSync(p) && !known.has(p)) store.addCheckpoint({ runId: id, epoch: c.epoch, step: c.step, path: p, sha256: '', createdAt: nowIso() });
      }
    },
    () => (opts.inPlace ? [] : [runDir]),
  );
  return store.getRun(id);
}

/** Lists the entries of a directory that look like run directories (for `runs import` of a parent dir). */
export function findRunDirectories(dir: string): string[] {
  const d = resolve(dir);
  if (existsSync(resolve(d, 'config.json'))) return [d];
  if (!existsSync(d)) return [];
  return readdirSync(d, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(resolve(d, e.name, 'config.json')))
    .map((e) => resolve(d, e.name));
}

/** CLI helper: registers (or refreshes) a run directory in place in the store at `dbPath`; never throws — a store
 *  problem must not fail a finished training — and returns a one-line note for stderr. */
export async function registerRunInStore(dbPath: string, runDir: string): Promise<string> {
  try {
    const { Store } = await import('./store.ts');
    const store = new Store(dbPath);
    try {
      const r = importRunDirectory(store, runDir, { inPlace: true });
      return `registered run ${r.id} (${r.status}) in ${store.dbPath}`;
    } finally {
      store.close();
    }
  } catch (err) {
    return `warning: could not register ${runDir} in the run store ${dbPath}: ${(err as Error).message}`;
  }
}
