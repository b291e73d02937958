// `ebm-hep runs import`: a run directory made elsewhere is copied into the store with its metrics and checkpoints;
// an injected failure leaves no rows and no copied files; `ebm-hep runs --json` lists it.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main.ts';
import { importRunDirectory } from '../../src-main/store/import-run.ts';
import { Store } from '../../src-main/store/store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ebm-runimport-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function makeRunDir(name: string): string {
  const d = join(dir, 'cluster', name);
  mkdirSync(join(d, 'checkpoints', 'epoch-0001'), { recursive: true });
  mkdirSync(join(d, 'model'), { recursive: true });
  writeFileSync(join(d, 'config.json'), JSON.stringify({ kind: 'ebm', preset: 'tiny', seed: 9, epochs: 1, model: { layers: 2 } }));
  writeFileSync(join(d, 'run.json'), JSON.stringify({ format: 'ebm-hep-run', formatVersion: 1, name, status: 'done', kind: 'ebm', seed: 9, backend: 'native-cpu', epochs: 1, epochsCompleted: 1, stepsPerEpoch: 2 }));
  const lines = [
    { type: 'epoch', epoch: 0, globalStep: 0, metrics: { jsdMass: 0.5 } },
    { type: 'step', epoch: 1, step: 0, globalStep: 1, loss: 0.9, ePos: -1, eNeg: 1 },
    { type: 'step', epoch: 1, step: 1, globalStep: 2, loss: 0.7, ePos: -2, eNeg: 2 },
    { type: 'step', epoch: 1, step: 1, globalStep: 2, loss: 0.6, ePos: -2, eNeg: 2 }, // repeated after a resume: last wins
    { type: 'epoch', epoch: 1, globalStep: 2, metrics: { jsdMass: 0.1 }, checkpoint: 'checkpoints/epoch-0001' },
  ];
  writeFileSync(join(d, 'metrics.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"type":"st');
  writeFileSync(join(d, 'checkpoints', 'epoch-0001', 'params.bin'), new Uint8Array(8));
  return d;
}

describe('run directory import', () => {
  it('copies and registers a run with metrics and checkpoints (torn last line tolerated)', () => {
    const store = new Store(join(dir, 'ebm.sqlite'));
    const src = makeRunDir('cluster-run-1');
    const r = importRunDirectory(store, src);
    expect(r).toMatchObject({ name: 'cluster-run-1', kind: 'ebm', status: 'done', seed: 9, backend: 'native-cpu', preset: 'tiny' });
    expect(r.runDir.startsWith(store.dirs.runs)).toBe(true);
    expect(existsSync(join(r.runDir, 'checkpoints', 'epoch-0001', 'params.bin'))).toBe(true);
    expect(store.metricSeries(r.id, 'step', 'loss')).toEqual({ x: [1, 2], y: [0.9, 0.6] });
    expect(store.metricSeries(r.id, 'epoch', 'jsdMass')).toEqual({ x: [0, 1], y: [0.5, 0.1] });
    expect(store.listCheckpoints(r.id).map((c) => c.epoch)).toEqual([1]);
    store.deleteRun(r.id);
    expect(existsSync(src)).toBe(true); // the original is never touched
    store.close();
  });

  it('an injected failure leaves no run rows, no metrics and no copied directory', () => {
    const store = new Store(join(dir, 'ebm.sqlite'));
    const src = makeRunDir('cluster-run-2');
    store.faults.beforeCommit = (op) => {
      if (op === 'importRun') throw new Error('injected failure');
    };
    expect(() => importRunDirectory(store, src)).toThrow('injected failure');
    expect(store.listRuns()).toEqual([]);
    expect(store.db.prepare('SELECT COUNT(*) n FROM metrics').get()).toEqual({ n: 0 });
    expect(existsSync(store.dirs.runs) ? readdirSync(store.dirs.runs) : []).toEqual([]);
    store.close();
  });

  it('in place (CLI train --out): registers without copying, and a second call refreshes the same run', () => {
    const store = new Store(join(dir, 'ebm.sqlite'));
    const src = makeRunDir('cli-run');
    writeFileSync(join(src, 'run.json'), JSON.stringify({ format: 'ebm-hep-run', name: 'cli-run', status: 'stopped', kind: 'ebm', seed: 9, epochs: 2, epochsCompleted: 1 }));
    const first = importRunDirectory(store, src, { inPlace: true });
    expect(first.runDir).toBe(src);
    expect(first.status).toBe('stopped');
    writeFileSync(join(src, 'run.json'), JSON.stringify({ format: 'ebm-hep-run', name: 'cli-run', status: 'done', kind: 'ebm', seed: 9, epochs: 2, epochsCompleted: 2 }));
    const second = importRunDirectory(store, src, { inPlace: true });
    expect(second.id).toBe(first.id);
    expect(second.status).toBe('done');
    expect(second.progress?.epoch).toBe(2);
    expect(store.listRuns()).toHaveLength(1);
    expect(store.listCheckpoints(first.id)).toHaveLength(1);
    store.deleteRun(first.id);
    expect(existsSync(src)).toBe(true); // not the store's to delete
    store.close();
  });

  it('rejects a directory that is not a run directory with a clear error', () => {
    const store = new Store(join(dir, 'ebm.sqlite'));
    mkdirSync(join(dir, 'empty'));
    expect(() => importRunDirectory(store, join(dir, 'empty'))).toThrow(/no config\.json/);
    store.close();
  });

  it('`ebm-hep runs import` then `ebm-hep runs --json` through the CLI', async () => {
    makeRunDir('a');
    makeRunDir('b');
    const db = join(dir, 'cli.sqlite');
    const capture = () => {
      let text = '';
      return { stream: new Writable({ write: (c, _e, cb) => ((text += c), cb()) }), text: () => text };
    };
    const out1 = capture();
    expect(await main(['runs', 'import', join(dir, 'cluster'), '--db', db], out1.stream, capture().stream)).toBe(0);
    expect(out1.text().match(/^imported /gm)).toHaveLength(2);
    const out2 = capture();
    expect(await main(['runs', '--json', '--db', db], out2.stream, capture().stream)).toBe(0);
    const runs = JSON.parse(out2.text()) as { name: string; lastEpochMetrics: { jsdMass: number } }[];
    expect(runs.map((r) => r.name).sort()).toEqual(['a', 'b']);
    expect(runs[0]!.lastEpochMetrics.jsdMass).toBe(0.1);
    const err = capture();
    expect(await main(['runs', '--status', 'bogus', '--db', db], capture().stream, err.stream)).toBe(1);
    expect(err.text()).toMatch(/unknown status/);
  });
});
