// The run store: SQLite (better-sqlite3) behind a narrow typed interface — the only place SQL is written.
// Datasets, runs, metrics, checkpoints, samples, evaluations and scores; large arrays live as files beside the DB
// with their sha256 here. WAL, foreign keys on, migrations by `PRAGMA user_version`, transactional writes that
// leave no half rows and no orphan files.
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { CheckpointInfo, DatasetInfo, ListRunsRequest, RunKind, RunStatus, RunSummary, SampleInfo } from '../api/types.ts';
import { UserError } from '../util/errors.ts';
import { LATEST_VERSION, MIGRATIONS } from './migrations.ts';
import { storeDirs } from './paths.ts';

// The records are the API's shapes (api/types.ts, pure types) plus what only the engine sees: file paths, hashes and
// the verbatim config.
export type { RunKind, RunStatus };

/** A dataset as the API shows it, plus the imported (content-hashed) file the engine reads. */
export interface DatasetRecord extends DatasetInfo {
  filePath: string;
}

/** A run as listed by the API (without its derived table columns), plus its verbatim training config. */
export interface RunRecord extends Omit<RunSummary, 'keyParams' | 'headline'> {
  config: Record<string, unknown>;
}

export interface CheckpointRecord extends CheckpointInfo {
  runId: string;
}

export interface SampleRecord extends SampleInfo {
  path: string;
  sha256: string;
}

export interface EvaluationRecord {
  id: string;
  runId: string;
  background: unknown;
  signals: unknown;
  metrics: Record<string, unknown>;
  createdAt: string;
}

export type ScoreRole = 'background' | 'signal' | 'noise';

export interface ScoreRecord {
  evaluationId: string;
  className: string;
  role: ScoreRole;
  /** 'energy' | 'pBackground' | 'massGeV' (the per-jet mass kept for sculpting and cut queries). */
  kind: string;
  n: number;
  path: string;
  sha256: string;
}

export type RunFilter = ListRunsRequest;

/** Test-only fault injection: called inside a transaction just before it commits; throwing aborts it. */
export interface StoreFaults {
  beforeCommit?: (operation: string) => void;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** A short unique id with a readable prefix, e.g. `run-5f3a9c1e2b`. */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes bytes atomically (tmp + rename) and returns their sha256. */
export function writeFileAtomic(path: string, bytes: Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  return sha256Of(bytes);
}

function asBytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

const json = (x: unknown): string => JSON.stringify(x ?? null);
const parse = <T>(s: string | null | undefined, fallback: T): T => (s == null ? fallback : (JSON.parse(s) as T));

type Row = Record<string, unknown>;

function datasetFromRow(r: Row): DatasetRecord {
  return {
    id: r.id as string,
    name: r.name as string,
    sourcePath: r.source_path as string,
    format: r.format as string,
    filePath: r.file_path as string,
    labels: parse(r.labels as string, []),
    labelCounts: parse(r.label_counts as string, {}),
    nJets: r.n_jets as number,
    contentHash: r.content_hash as string,
    settings: parse(r.settings as string, {}),
    isSample: Boolean(r.is_sample),
    notes: parse(r.notes as string, []),
    importedAt: r.imported_at as string,
  };
}

function runFromRow(r: Row): RunRecord {
  const opt = (k: string) => (r[k] == null ? undefined : (r[k] as string));
  return {
    id: r.id as string,
    name: r.name as string,
    kind: r.kind as RunKind,
    preset: r.preset as string,
    config: parse(r.config as string, {}),
    status: r.status as RunStatus,
    statusReason: opt('status_reason'),
    backend: opt('backend'),
    seed: r.seed as number,
    appVersion: r.app_version as string,
    createdAt: r.created_at as string,
    startedAt: opt('started_at'),
    finishedAt: opt('finished_at'),
    tags: parse(r.tags as string, []),
    notes: r.notes as string,
    runDir: r.run_dir as string,
    data: parse(r.data as string, []),
    progress: parse(r.progress as string | null, undefined),
  };
}

/** Applies pending migrations, each in one transaction with its `user_version` bump. Returns versions applied. */
export function migrate(db: Database.Database, migrations: readonly string[] = MIGRATIONS): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new UserError('UNSUPPORTED', `run store schema v${current} is newer than this ebm-hep (knows v${migrations.length})`, {
      hint: 'Upgrade ebm-hep, or point --db at another store.',
      where: db.name,
    });
  }
  const applied: number[] = [];
  for (let v = current + 1; v <= migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v - 1]!);
      db.pragma(`user_version = ${v}`);
    })();
    applied.push(v);
  }
  return applied;
}

export class Store {
  readonly db: Database.Database;
  readonly dbPath: string;
  readonly dirs: ReturnType<typeof storeDirs>;
  faults: StoreFaults = {};

  constructor(dbPath: string) {
    this.dbPath = dbPath === ':memory:' ? dbPath : resolve(dbPath);
    this.dirs = storeDirs(this.dbPath === ':memory:' ? resolve('.ebm-hep-memory', 'x') : this.dbPath);
    if (this.dbPath !== ':memory:') mkdirSync(dirname(this.dbPath), { recursive: true });
    try {
      this.db = new Database(this.dbPath);
    } catch (cause) {
      throw new UserError('RESOURCE', `cannot open the run store ${this.dbPath}: ${(cause as Error).message}`, {
        hint: 'Check that the directory is writable, or choose another file with --db.',
        where: this.dbPath,
        cause,
      });
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('synchronous = NORMAL');
    migrate(this.db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  static readonly latestVersion = LATEST_VERSION;

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  /** Runs `fn` in one transaction; on any failure the rows roll back and `cleanupFiles` are removed. */
  transact<T>(operation: string, fn: () => T, cleanupFiles: () => string[] = () => []): T {
    try {
      return this.db.transaction(() => {
        const out = fn();
        this.faults.beforeCommit?.(operation);
        return out;
      })();
    } catch (err) {
      for (const f of cleanupFiles()) rmSync(f, { recursive: true, force: true });
      throw err;
    }
  }

  // ─────────── datasets ───────────

  /** Registers an imported dataset. `ownedFiles` (already written) are removed if the insert fails. */
  addDataset(rec: DatasetRecord, ownedFiles: string[] = []): DatasetRecord {
    this.transact(
      'addDataset',
      () => {
        this.db
          .prepare(
            `INSERT INTO datasets (id, name, source_path, format, file_path, labels, label_counts, n_jets, content_hash, settings, is_sample, notes, imported_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(rec.id, rec.name, rec.sourcePath, rec.format, rec.filePath, json(rec.labels), json(rec.labelCounts), rec.nJets, rec.contentHash, json(rec.settings), rec.isSample ? 1 : 0, json(rec.notes), rec.importedAt);
      },
      () => ownedFiles.filter((f) => !this.fileReferencedByOtherDataset(f, rec.id)),
    );
    return rec;
  }

  private fileReferencedByOtherDataset(path: string, exceptId: string): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM datasets WHERE file_path = ? AND id != ?').get(path, exceptId));
  }

  listDatasets(): DatasetRecord[] {
    return (this.db.prepare('SELECT * FROM datasets ORDER BY imported_at, id').all() as Row[]).map(datasetFromRow);
  }

  getDataset(id: string): DatasetRecord {
    const r = this.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new UserError('NOT_FOUND', `no dataset '${id}' in the run store`, { hint: 'List datasets with `ebm-hep import --list` or in the Data view.', where: id });
    return datasetFromRow(r);
  }

  findDatasetByHash(contentHash: string, label?: string): DatasetRecord | undefined {
    const rows = (this.db.prepare('SELECT * FROM datasets WHERE content_hash = ?').all(contentHash) as Row[]).map(datasetFromRow);
    return rows.find((d) => (label ? d.settings.label === label : true));
  }

  /** Deletes a dataset row and its file (unless another dataset shares the same content file). */
  deleteDataset(id: string): void {
    const d = this.getDataset(id);
    this.transact('deleteDataset', () => {
      this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
    });
    if (!this.fileReferencedByOtherDataset(d.filePath, id) && this.isInside(d.filePath, this.dirs.datasets)) {
      rmSync(d.filePath, { force: true });
      if (d.filePath.endsWith('.jets')) rmSync(d.filePath.slice(0, -5) + '.json', { force: true }); // its manifest
    }
  }

  // ─────────── runs ───────────

  addRun(rec: RunRecord): RunRecord {
    this.transact('addRun', () => this.insertRun(rec));
    return rec;
  }

  /** Inserts a run row (call inside `transact`). */
  insertRun(rec: RunRecord): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, name, kind, preset, config, status, status_reason, backend, seed, app_version, created_at, started_at, finished_at, tags, notes, run_dir, data, progress)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        rec.id, rec.name, rec.kind, rec.preset, json(rec.config), rec.status, rec.statusReason ?? null, rec.backend ?? null, rec.seed, rec.appVersion,
        rec.createdAt, rec.startedAt ?? null, rec.finishedAt ?? null, json(rec.tags), rec.notes, rec.runDir, json(rec.data), rec.progress ? json(rec.progress) : null,
      );
  }

  getRun(id: string): RunRecord {
    const r = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new UserError('NOT_FOUND', `no run '${id}' in the run store`, { hint: 'List runs with `ebm-hep runs`.', where: id });
    return runFromRow(r);
  }

  hasRun(id: string): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(id));
  }

  listRuns(filter: RunFilter = {}): RunRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.status?.length) {
      where.push(`status IN (${filter.status.map(() => '?').join(', ')})`);
      args.push(...filter.status);
    }
    if (filter.kind) {
      where.push('kind = ?');
      args.push(filter.kind);
    }
    for (const t of filter.tags ?? []) {
      where.push('EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE json_each.value = ?)');
      args.push(t);
    }
    if (filter.search) {
      where.push(`(instr(lower(name), ?) OR instr(lower(notes), ?) OR instr(lower(preset), ?) OR instr(lower(tags), ?) OR instr(lower(id), ?))`);
      const s = filter.search.toLowerCase();
      args.push(s, s, s, s, s);
    }
    const sql = `SELECT * FROM runs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`;
    args.push(filter.limit ?? -1, filter.offset ?? 0);
    return (this.db.prepare(sql).all(...args) as Row[]).map(runFromRow);
  }

  /** Updates the given fields of a run. */
  updateRun(id: string, patch: Partial<Omit<RunRecord, 'id'>>): RunRecord {
    const cols: Record<string, (v: unknown) => unknown> = {
      name: (v) => v, kind: (v) => v, preset: (v) => v, config: json, status: (v) => v, statusReason: (v) => v ?? null, backend: (v) => v ?? null,
      seed: (v) => v, appVersion: (v) => v, createdAt: (v) => v, startedAt: (v) => v ?? null, finishedAt: (v) => v ?? null, tags: json, notes: (v) => v,
      runDir: (v) => v, data: json, progress: (v) => (v == null ? null : json(v)),
    };
    const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const sets: string[] = [];
    const args: unknown[] = [];
    for (const [k, v] of Object.entries(patch)) {
      const conv = cols[k];
      if (!conv) continue;
      sets.push(`${snake(k)} = ?`);
      args.push(conv(v));
    }
    if (sets.length) {
      const res = this.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
      if (res.changes === 0) this.getRun(id); // throws NOT_FOUND
    }
    return this.getRun(id);
  }

  /** Sets a run's status; queued/running runs record this process as their owner. */
  setRunStatus(id: string, status: RunStatus, reason?: string): RunRecord {
    const patch: Partial<RunRecord> = { status, statusReason: reason };
    if (status === 'running') patch.startedAt = this.getRun(id).startedAt ?? nowIso();
    if (status === 'done' || status === 'failed' || status === 'stopped' || status === 'interrupted') patch.finishedAt = nowIso();
    const active = status === 'running' || status === 'queued';
    this.db.prepare('UPDATE runs SET owner_pid = ? WHERE id = ?').run(active ? process.pid : null, id);
    return this.updateRun(id, patch);
  }

  /**
   * On engine start: runs left `running` or `queued` by a crashed engine become `interrupted`. Runs owned by another
   * live engine process (e.g. `ebm-hep serve` while the CLI opens the same store) are left alone. Returns the ids.
   */
  markOrphanedRunsInterrupted(reason = 'the engine stopped while this run was active (crash or shutdown)'): string[] {
    const alive = (pid: number | null) => {
      if (!pid || pid === process.pid) return false;
      try {
        process.kill(pid, 0);
        return true;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    };
    const rows = this.db.prepare(`SELECT id, owner_pid FROM runs WHERE status IN ('running', 'queued')`).all() as { id: string; owner_pid: number | null }[];
    const ids = rows.filter((r) => !alive(r.owner_pid)).map((r) => r.id);
    this.transact('markOrphaned', () => {
      for (const id of ids) this.db.prepare(`UPDATE runs SET status = 'interrupted', status_reason = ?, finished_at = ? WHERE id = ?`).run(reason, nowIso(), id);
    });
    return ids;
  }

  /** Deletes a run, its rows (cascade) and all its files: run directory, samples, score arrays. */
  deleteRun(id: string): void {
    const run = this.getRun(id);
    const files = [
      ...(this.db.prepare('SELECT path FROM samples WHERE run_id = ?').all(id) as { path: string }[]).map((r) => r.path),
      ...(this.db.prepare('SELECT s.path FROM scores s JOIN evaluations e ON e.id = s.evaluation_id WHERE e.run_id = ?').all(id) as { path: string }[]).map((r) => r.path),
    ];
    const evalDirs = (this.db.prepare('SELECT id FROM evaluations WHERE run_id = ?').all(id) as { id: string }[]).map((r) => resolve(this.dirs.scores, r.id));
    this.transact('deleteRun', () => {
      this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
    });
    for (const f of files) rmSync(f, { force: true });
    for (const d of evalDirs) rmSync(d, { recursive: true, force: true });
    if (this.isInside(run.runDir, this.dirs.runs)) rmSync(run.runDir, { recursive: true, force: true });
  }

  private isInside(path: string, dir: string): boolean {
    const p = resolve(path);
    return p.startsWith(resolve(dir) + sep);
  }

  // ─────────── metrics ───────────

  /** Persists one step's or epoch's metrics (idempotent per run/per/x/name: a resumed run overwrites). */
  addMetrics(runId: string, per: 'step' | 'epoch', x: number, values: Record<string, number>): void {
    const stmt = this.db.prepare('INSERT OR REPLACE INTO metrics (run_id, per, x, name, value) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const [name, value] of Object.entries(values)) {
        if (typeof value === 'number') stmt.run(runId, per, x, name, Number.isFinite(value) ? value : null);
      }
    })();
  }

  metricNames(runId: string, per?: 'step' | 'epoch'): { name: string; per: 'step' | 'epoch' }[] {
    const rows = per
      ? this.db.prepare('SELECT DISTINCT name, per FROM metrics WHERE run_id = ? AND per = ? ORDER BY per, name').all(runId, per)
      : this.db.prepare('SELECT DISTINCT name, per FROM metrics WHERE run_id = ? ORDER BY per, name').all(runId);
    return rows as { name: string; per: 'step' | 'epoch' }[];
  }

  metricSeries(runId: string, per: 'step' | 'epoch', name: string): { x: number[]; y: number[] } {
    const rows = this.db.prepare('SELECT x, value FROM metrics WHERE run_id = ? AND per = ? AND name = ? ORDER BY x').all(runId, per, name) as { x: number; value: number | null }[];
    return { x: rows.map((r) => r.x), y: rows.map((r) => (r.value == null ? NaN : r.value)) };
  }

  /** Latest value of each metric of a run at the given granularity. */
  lastMetrics(runId: string, per: 'step' | 'epoch'): Record<string, number> {
    const rows = this.db
      .prepare(`SELECT m.name, m.value FROM metrics m WHERE m.run_id = ? AND m.per = ? AND m.x = (SELECT MAX(x) FROM metrics WHERE run_id = m.run_id AND per = m.per AND name = m.name)`)
      .all(runId, per) as { name: string; value: number | null }[];
    const out: Record<string, number> = {};
    for (const r of rows) if (r.value != null) out[r.name] = r.value;
    return out;
  }

  /** Drops a run's metrics after a given step/epoch (used when a run resumes from an earlier checkpoint). */
  truncateMetrics(runId: string, per: 'step' | 'epoch', afterX: number): void {
    this.db.prepare('DELETE FROM metrics WHERE run_id = ? AND per = ? AND x > ?').run(runId, per, afterX);
  }

  // ─────────── checkpoints ───────────

  addCheckpoint(rec: CheckpointRecord): void {
    this.db.prepare('INSERT INTO checkpoints (run_id, epoch, step, path, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(rec.runId, rec.epoch, rec.step, rec.path, rec.sha256, rec.createdAt);
  }

  listCheckpoints(runId: string): CheckpointRecord[] {
    return (this.db.prepare('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step, id').all(runId) as Row[]).map((r) => ({
      runId: r.run_id as string,
      epoch: r.epoch as number,
      step: r.step as number,
      path: r.path as string,
      sha256: r.sha256 as string,
      createdAt: r.created_at as string,
    }));
  }

  // ─────────── samples ───────────

  /** Writes a generated-jets array file and registers it, atomically (no orphan file on failure). */
  addSample(rec: Omit<SampleRecord, 'path' | 'sha256'>, bytes: Uint8Array): SampleRecord {
    const path = resolve(this.dirs.samples, `${rec.id}.bin`);
    const sha256 = writeFileAtomic(path, bytes);
    const full: SampleRecord = { ...rec, path, sha256 };
    this.transact(
      'addSample',
      () => {
        this.db
          .prepare('INSERT INTO samples (id, run_id, n_jets, steps, step_size, seed, path, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(full.id, full.runId, full.nJets, full.steps, full.stepSize, full.seed, full.path, full.sha256, full.createdAt);
      },
      () => [path],
    );
    return full;
  }

  listSamples(runId: string): SampleRecord[] {
    return (this.db.prepare('SELECT * FROM samples WHERE run_id = ? ORDER BY created_at, id').all(runId) as Row[]).map((r) => ({
      id: r.id as string,
      runId: r.run_id as string,
      nJets: r.n_jets as number,
      steps: r.steps as number,
      stepSize: r.step_size as number,
      seed: r.seed as number,
      path: r.path as string,
      sha256: r.sha256 as string,
      createdAt: r.created_at as string,
    }));
  }

  getSample(id: string): SampleRecord {
    const s = this.db.prepare('SELECT run_id FROM samples WHERE id = ?').get(id) as { run_id: string } | undefined;
    if (!s) throw new UserError('NOT_FOUND', `no sample '${id}' in the run store`, { hint: 'Generate samples for the run first.', where: id });
    return this.listSamples(s.run_id).find((x) => x.id === id)!;
  }

  /** Reads a file registered with a sha256 and checks it. */
  readVerified(path: string, sha256: string): Uint8Array {
    if (!existsSync(path)) throw new UserError('NOT_FOUND', `${path}: file referenced by the run store is missing`, { hint: 'Re-run the evaluation or generation that produced it.', where: path });
    const bytes = readFileSync(path);
    if (sha256Of(bytes) !== sha256) throw new UserError('BAD_INPUT', `${path}: contents do not match the sha256 recorded in the run store`, { hint: 'The file was modified or corrupted; re-run the job that produced it.', where: path });
    return bytes;
  }

  // ─────────── evaluations & scores ───────────

  /** Writes all score arrays of an evaluation as files and registers evaluation + scores in one transaction. */
  addEvaluation(rec: EvaluationRecord, arrays: { className: string; role: ScoreRole; kind: string; values: Float32Array }[]): EvaluationRecord {
    const dir = resolve(this.dirs.scores, rec.id);
    const written: ScoreRecord[] = [];
    try {
      for (const a of arrays) {
        const safe = a.className.replace(/[^A-Za-z0-9_.-]/g, '_');
        const path = resolve(dir, `${a.role}-${safe}-${a.kind}.f32`);
        const sha256 = writeFileAtomic(path, asBytes(a.values));
        written.push({ evaluationId: rec.id, className: a.className, role: a.role, kind: a.kind, n: a.values.length, path, sha256 });
      }
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw new UserError('RESOURCE', `could not write the scores of evaluation ${rec.id}: ${(err as Error).message}`, { hint: 'Check free disk space in the engine directory.', where: dir, cause: err });
    }
    this.transact(
      'addEvaluation',
      () => {
        this.db.prepare('INSERT INTO evaluations (id, run_id, background, signals, metrics, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(rec.id, rec.runId, json(rec.background), json(rec.signals), json(rec.metrics), rec.createdAt);
        const stmt = this.db.prepare('INSERT INTO scores (evaluation_id, class_name, role, kind, n, path, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)');
        for (const s of written) stmt.run(s.evaluationId, s.className, s.role, s.kind, s.n, s.path, s.sha256);
      },
      () => [dir],
    );
    return rec;
  }

  listEvaluations(runId: string): EvaluationRecord[] {
    return (this.db.prepare('SELECT * FROM evaluations WHERE run_id = ? ORDER BY created_at, id').all(runId) as Row[]).map(evalFromRow);
  }

  getEvaluation(id: string): EvaluationRecord {
    const r = this.db.prepare('SELECT * FROM evaluations WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new UserError('NOT_FOUND', `no evaluation '${id}' in the run store`, { hint: 'Evaluate the run first (Anomaly view or `ebm-hep eval`).', where: id });
    return evalFromRow(r);
  }

  listScores(evaluationId: string): ScoreRecord[] {
    return (this.db.prepare('SELECT * FROM scores WHERE evaluation_id = ? ORDER BY id').all(evaluationId) as Row[]).map((r) => ({
      evaluationId: r.evaluation_id as string,
      className: r.class_name as string,
      role: r.role as ScoreRole,
      kind: r.kind as string,
      n: r.n as number,
      path: r.path as string,
      sha256: r.sha256 as string,
    }));
  }

  /** A score array, sha256-checked. */
  readScores(s: ScoreRecord): Float32Array {
    const bytes = this.readVerified(s.path, s.sha256);
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Float32Array(copy.buffer, 0, s.n);
  }
}

function evalFromRow(r: Row): EvaluationRecord {
  return {
    id: r.id as string,
    runId: r.run_id as string,
    background: parse(r.background as string, {}),
    signals: parse(r.signals as string, []),
    metrics: parse(r.metrics as string, {}),
    createdAt: r.created_at as string,
  };
}

export function openStore(dbPath: string): Store {
  return new Store(dbPath);
}
