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
