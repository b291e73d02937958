// `ebm-hep train` and `ebm-hep sample` through the CLI dispatcher: a tiny run on the embedded sample, --json events,
// then generated jets written to HDF5 and read back.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main.ts';
import { readJets } from '../../src-main/data/read.ts';
import { parseDataArg } from '../../src-main/cli/commands/train.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ebm-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function sink() {
  const s = new PassThrough();
  let text = '';
  s.on('data', (d) => (text += d.toString()));
  return { s, text: () => text };
}

describe('ebm-hep train / sample', () => {
  it('parses --data FILE[:label] without eating drive letters or paths', () => {
    expect(parseDataArg('qcd.h5:qcd')).toEqual({ path: 'qcd.h5', label: 'qcd' });
    expect(parseDataArg('/data/qcd.h5')).toEqual({ path: '/data/qcd.h5' });
    expect(parseDataArg('C:\\data\\qcd.h5')).toEqual({ path: 'C:\\data\\qcd.h5' });
  });

  it('trains a tiny run with --json events and samples jets from it', async () => {
    const cfg = join(tmp, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ model: { particles: 8 }, maxTrainJets: 64, buffer: { size: 64 }, validation: { jets: 20, steps: 2 } }));
    const out = sink();
    const err = sink();
    const run = join(tmp, 'run');
    const code = await main(['train', '--preset', 'tiny', '--config', cfg, '--max-steps', '2', '--seed', '3', '--out', run, '--json', '--db', join(tmp, 'store.sqlite')], out.s, err.s);
    expect(code).toBe(0);
    const events = out.text().trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0].type).toBe('log');
    expect(events.some((e) => e.type === 'start' && e.config.seed === 3)).toBe(true);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(2);
    expect(events.at(-1).type).toBe('done');
    expect(JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')).status).toBe('done');
    const gen = join(tmp, 'gen.h5');
    expect(await main(['sample', '--run', run, '--n', '16', '--steps', '3', '--out', gen], sink().s, sink().s)).toBe(0);
    const jets = await readJets(gen);
    expect(jets.nJets).toBe(16);
    expect(await main(['sample', '--run', run, '--out', join(tmp, 'x.txt')], sink().s, err.s)).toBe(1);
  });
});
