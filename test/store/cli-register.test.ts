// `ebm-hep import` registers the dataset in the run store beside its data directory (or --db), once per content.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main.ts';
import { sampleFiles } from '../../src-main/data/sample.ts';
import { Store } from '../../src-main/store/store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ebm-cli-register-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

describe('CLI import → run store', () => {
  it('registers the imported dataset once, in --db or beside --data-dir', async () => {
    const db = join(dir, 'chosen.sqlite');
    for (let i = 0; i < 2; i++) expect(await main(['import', sampleFiles().w, '--label', 'w', '--max-jets', '50', '--data-dir', dir, '--db', db], sink(), sink())).toBe(0);
    const s = new Store(db);
    const ds = s.listDatasets();
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ nJets: 50, labels: ['w'] });
    s.close();
    expect(await main(['import', sampleFiles().w, '--label', 'w', '--max-jets', '50', '--data-dir', dir], sink(), sink())).toBe(0);
    const beside = new Store(join(dir, 'ebm-hep.sqlite'));
    expect(beside.listDatasets()).toHaveLength(1);
    beside.close();
  });
});

describe('CLI train and eval → run store', () => {
  it('train registers its run directory when it ends; eval --run stores the evaluation for it', async () => {
    const db = join(dir, 'ebm.sqlite');
    const out = join(dir, 'run-a');
    const cfg = join(dir, 'cfg.json');
    (await import('node:fs')).writeFileSync(cfg, JSON.stringify({ maxTrainJets: 64, batchSize: 32, validation: { jets: 10, steps: 2, atStart: false } }));
    const f = sampleFiles();
    expect(await main(['train', '--data', `${f.qcd}:qcd`, '--preset', 'tiny', '--epochs', '1', '--config', cfg, '--seed', '4', '--out', out, '--db', db], sink(), sink())).toBe(0);
    let s = new Store(db);
    const [run] = s.listRuns();
    expect(run).toMatchObject({ runDir: out, status: 'done', seed: 4, kind: 'ebm' });
    expect(s.metricSeries(run!.id, 'step', 'loss').x).toEqual([1, 2]);
    s.close();
    expect(await main(['eval', '--run', out, '--background', `${f.qcd}:qcd`, '--signal', `${f.top}:top`, '--out', join(dir, 'report'), '--resamples', '2', '--noise', '10', '--generate', '0', '--no-plots', '--split', 'all', '--max-jets', '100', '--db', db], sink(), sink())).toBe(0);
    s = new Store(db);
    expect(s.listRuns()).toHaveLength(1);
    const [ev] = s.listEvaluations(run!.id);
    expect(ev).toBeDefined();
    expect(s.listScores(ev!.id).map((x) => `${x.className}:${x.kind}`).sort()).toEqual(['qcd:energy', 'qcd:massGeV', 'top:energy', 'top:massGeV']);
    expect(s.integrityCheck()).toBe('ok');
    s.close();
  });
});
