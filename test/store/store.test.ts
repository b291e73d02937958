// Run store: migrations from an old schema keep data, transactional writes leave no half rows or orphan files,
// deleting a run removes its files, orphaned `running` runs become `interrupted`.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/store/migrations.ts';
import { Store, migrate, newId, nowIso, type RunRecord } from '../../src-main/store/store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ebm-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(store: Store, over: Partial<RunRecord> = {}): RunRecord {
  const id = newId('run');
  const runDir = join(store.dirs.runs, id);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'config.json'), '{}');
  return store.addRun({
    id, name: 'r', kind: 'ebm', preset: 'tiny', config: { model: { layers: 2 } }, status: 'created', seed: 1, appVersion: '0.1.0',
    createdAt: nowIso(), tags: [], notes: '', runDir, data: [], ...over,
  });
}

describe('run store', () => {
  it('opens with WAL, foreign keys and the latest schema', () => {
    const s = new Store(join(dir, 'a.sqlite'));
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.schemaVersion).toBe(MIGRATIONS.length);
    expect(s.integrityCheck()).toBe('ok');
    s.close();
  });

  it('migrates a v1 store to the latest version keeping its runs and metrics', () => {
    const path = join(dir, 'old.sqlite');
    const old = new Database(path);
    migrate(old, MIGRATIONS.slice(0, 1));
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.prepare(`INSERT INTO runs (id, name, kind, config, status, created_at, run_dir) VALUES ('run-old', 'legacy', 'ebm', '{"a":1}', 'done', '2025-01-01T00:00:00Z', '/nowhere')`).run();
    old.prepare(`INSERT INTO metrics (run_id, per, x, name, value) VALUES ('run-old', 'epoch', 1, 'jsdMass', 0.25)`).run();
    old.close();
    const s = new Store(path);
    expect(s.schemaVersion).toBe(MIGRATIONS.length);
    const r = s.getRun('run-old');
    expect(r.name).toBe('legacy');
    expect(r.config).toEqual({ a: 1 });
    expect(s.metricSeries('run-old', 'epoch', 'jsdMass')).toEqual({ x: [1], y: [0.25] });
    expect(s.listEvaluations('run-old')).toEqual([]); // v2 table exists
    expect(s.integrityCheck()).toBe('ok');
    s.close();
  });

  it('a failing migration rolls back entirely and leaves the old version', () => {
    const path = join(dir, 'bad.sqlite');
    const db = new Database(path);
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(() => migrate(db, [MIGRATIONS[0]!, 'CREATE TABLE half (x); SELECT no_such_function();'])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined();
    db.close();
  });

  it('refuses a store from a newer version', () => {
    const path = join(dir, 'new.sqlite');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => new Store(path)).toThrow(/newer than this ebm-hep/);
  });

  it('an injected failure during an evaluation import leaves no rows and no score files', () => {
    const s = new Store(join(dir, 'db.sqlite'));
    const r = run(s);
    s.faults.beforeCommit = (op) => {
      if (op === 'addEvaluation') throw new Error('injected');
    };
    const evalId = newId('eval');
    expect(() =>
      s.addEvaluation({ id: evalId, runId: r.id, background: {}, signals: [], metrics: {}, createdAt: nowIso() }, [
        { className: 'qcd', role: 'background', kind: 'energy', values: new Float32Array([1, 2, 3]) },
      ]),
    ).toThrow('injected');
    expect(s.listEvaluations(r.id)).toEqual([]);
    expect(s.listScores(evalId)).toEqual([]);
    expect(existsSync(join(s.dirs.scores, evalId))).toBe(false);
    s.faults = {};
    s.addEvaluation({ id: evalId, runId: r.id, background: {}, signals: [], metrics: {}, createdAt: nowIso() }, [
      { className: 'qcd', role: 'background', kind: 'energy', values: new Float32Array([1, 2, 3]) },
    ]);
    const [sc] = s.listScores(evalId);
    expect(Array.from(s.readScores(sc!))).toEqual([1, 2, 3]);
    s.close();
  });

  it('an injected failure during a dataset registration removes the written file', () => {
    const s = new Store(join(dir, 'db.sqlite'));
    mkdirSync(s.dirs.datasets, { recursive: true });
    const file = join(s.dirs.datasets, 'abc.jets');
    writeFileSync(file, 'x');
    s.faults.beforeCommit = () => {
      throw new Error('injected');
    };
    const rec = { id: newId('ds'), name: 'q', sourcePath: '/x', format: 'hdf5', filePath: file, labels: ['qcd'], labelCounts: { qcd: 1 }, nJets: 1, contentHash: 'abc', settings: {}, isSample: false, notes: [], importedAt: nowIso() };
    expect(() => s.addDataset(rec, [file])).toThrow('injected');
    expect(s.listDatasets()).toEqual([]);
    expect(existsSync(file)).toBe(false);
    s.close();
  });

  it('deleting a run removes its rows and files; filters, tags and orphan recovery work', () => {
    const s = new Store(join(dir, 'db.sqlite'));
    const a = run(s, { name: 'alpha', tags: ['w'], status: 'running' });
    const b = run(s, { name: 'beta', kind: 'ebm-clf' });
    s.addMetrics(a.id, 'step', 1, { loss: 0.5 });
    s.addSample({ id: newId('smp'), runId: a.id, nJets: 2, steps: 10, stepSize: 0.05, seed: 1, createdAt: nowIso() }, new Uint8Array([1, 2]));
    expect(s.listRuns({ search: 'ALPH' }).map((r) => r.id)).toEqual([a.id]);
    expect(s.listRuns({ tags: ['w'] }).map((r) => r.id)).toEqual([a.id]);
    expect(s.listRuns({ kind: 'ebm-clf' }).map((r) => r.id)).toEqual([b.id]);
    const owned = run(s, { name: 'owned-by-live-engine' });
    s.setRunStatus(owned.id, 'running');
    s.db.prepare('UPDATE runs SET owner_pid = ? WHERE id = ?').run(process.ppid, owned.id); // another live process
    expect(s.markOrphanedRunsInterrupted()).toEqual([a.id]);
    expect(s.getRun(owned.id).status).toBe('running');
    s.db.prepare(`UPDATE runs SET status = 'done' WHERE id = ?`).run(owned.id);
    expect(s.getRun(a.id).status).toBe('interrupted');
    s.deleteRun(a.id);
    expect(existsSync(a.runDir)).toBe(false);
    expect(readdirSync(s.dirs.samples)).toEqual([]);
    expect(s.db.prepare('SELECT COUNT(*) n FROM metrics').get()).toEqual({ n: 0 });
    expect(() => s.getRun(a.id)).toThrow(/no run/);
    expect(s.integrityCheck()).toBe('ok');
    s.close();
  });
});
