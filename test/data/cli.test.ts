// `ebm-hep inspect` and `ebm-hep import` end to end through the CLI dispatcher (stdout JSON only, errors as one line),
// and importDataset's content addressing, duplicate detection and atomicity.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src-main/cli/main.ts';
import { importDataset } from '../../src-main/data/import.ts';
import { readJets } from '../../src-main/data/read.ts';
import { hasShared, sharedPath } from '../helpers/shared.ts';
import { denseJets, tempDir, writeH5 } from './fixtures.ts';

const tmp = tempDir('ebm-hep-cli-');
afterAll(() => tmp.cleanup());

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

async function cli(...args: string[]) {
  const out = sink(), err = sink();
  const code = await main(args, out, err);
  return { code, out: out.text, err: err.text };
}

/** Two massless back-to-back-ish constituents per jet with a known mass: m² = 2 pT1 pT2 (cosh Δη − cos Δφ). */
async function knownFile(): Promise<{ path: string; masses: number[] }> {
  const P = 3;
  const data = new Float32Array(3 * P * 3);
  const masses: number[] = [];
  [[100, 0, 0, 50, 0.2, 0.3], [200, 1, 1, 100, 1, 1.5], [80, -1, 2, 20, -1.2, 2.4]].forEach((r, j) => {
    data.set([r[0]!, r[1]!, r[2]!, r[3]!, r[4]!, r[5]!], j * P * 3);
    masses.push(Math.sqrt(2 * r[0]! * r[3]! * (Math.cosh(r[1]! - r[4]!) - Math.cos(r[2]! - r[5]!))));
  });
  const path = join(tmp.dir, 'known.h5');
  await writeH5(path, { particles: { data, shape: [3, P, 3] }, label: { data: new Int8Array([0, 1, 1]), dtype: '<b' } }, { labels: '0=qcd,1=w' });
  return { path, masses };
}

describe('ebm-hep inspect', () => {
  it('--json prints exactly the documented keys with numbers from the constituents', async () => {
    const { path, masses } = await knownFile();
    const r = await cli('inspect', path, '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(Object.keys(s).sort()).toEqual(['constituents', 'format', 'jets', 'labels', 'mass_mean_gev', 'mass_median_gev', 'multiplicity_mean', 'pt_median_gev'].sort());
    expect(s.format).toBe('hdf5-array');
    expect(s.jets).toBe(3);
    expect(s.constituents).toBe(6);
    expect(s.labels).toEqual({ qcd: 1, w: 2 });
    expect(s.multiplicity_mean).toBe(2);
    const sorted = [...masses].sort((a, b) => a - b);
    expect(s.mass_median_gev).toBeCloseTo(sorted[1]!, 2);
    expect(s.mass_mean_gev).toBeCloseTo((masses[0]! + masses[1]! + masses[2]!) / 3, 2);
  });
  it('human table names format, labels and the feature mapping', async () => {
    const { path } = await knownFile();
    const r = await cli('inspect', path);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/format\s+hdf5-array/);
    expect(r.out).toMatch(/mapping\s+pt ← particles\[\.\.\., 0\]/);
  });
  it('a bad file is one error line on stderr, nothing on stdout, exit 1', async () => {
    writeFileSync(join(tmp.dir, 'zero.h5'), '');
    const r = await cli('inspect', join(tmp.dir, 'zero.h5'), '--json');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/zero\.h5: is empty \(0 bytes\)/);
  });
  it.skipIf(!hasShared)('on the shared W file: median constituent mass near 80 GeV, labels from the file', async () => {
    const r = await cli('inspect', sharedPath('pythia8/w.h5'), '--json');
    const s = JSON.parse(r.out);
    expect(s.jets).toBe(4000);
    expect(s.labels).toEqual({ w: 4000 });
    expect(s.mass_median_gev).toBeGreaterThan(70);
    expect(s.mass_median_gev).toBeLessThan(90);
    expect(s.pt_median_gev).toBeGreaterThan(540);
    expect(s.pt_median_gev).toBeLessThan(620);
  });
});

describe('ebm-hep import / importDataset', () => {
  it('stores a content-addressed .jets file + manifest that reads back exactly; second import is a duplicate', async () => {
    const { data } = denseJets([3, 1, 4], 5);
    const src = join(tmp.dir, 'imp.h5');
    await writeH5(src, { particles: { data, shape: [3, 5, 3] } });
    const dataDir = join(tmp.dir, 'home');
    const r = await cli('import', src, '--label', 'qcd', '--name', 'my-qcd', '--data-dir', dataDir, '--json');
    expect(r.code).toBe(0);
    const rec = JSON.parse(r.out);
    expect(rec.duplicate).toBe(false);
    expect(rec.name).toBe('my-qcd');
    expect(rec.labelCounts).toEqual({ qcd: 3 });
    expect(rec.filePath).toBe(join(dataDir, 'datasets', `${rec.contentHash}.jets`));
    const back = await readJets(rec.filePath);
    const orig = await readJets(src, { label: 'qcd' });
    expect(Array.from(back.offsets)).toEqual(Array.from(orig.offsets));
    expect(Array.from(back.pt)).toEqual(Array.from(orig.pt));
    expect(Array.from(back.phi)).toEqual(Array.from(orig.phi));
    expect(back.labelNames).toEqual(['qcd']);
    expect(back.source.format).toBe('ebm-jets');
    expect(back.source.notes.join(' ')).toMatch(/Imported from .*imp\.h5 \(hdf5-array\)/);
    const manifest = JSON.parse(readFileSync(rec.manifestPath, 'utf8'));
    expect(manifest.nJets).toBe(3);

    // same content from another path → duplicate, nothing new written
    const copy = join(tmp.dir, 'imp-copy.h5');
    writeFileSync(copy, readFileSync(src));
    const again = await importDataset(copy, { label: 'qcd', dataDir });
    expect(again.duplicate).toBe(true);
    expect(again.createdFiles).toEqual([]);
    expect(again.contentHash).toBe(rec.contentHash);
    expect(readdirSync(join(dataDir, 'datasets')).sort()).toEqual([`${rec.contentHash}.jets`, `${rec.contentHash}.json`].sort());

    // a different label is different content
    const other = await importDataset(src, { label: 'w', dataDir });
    expect(other.duplicate).toBe(false);
  });
  it('a file that fails validation leaves nothing in the data directory', async () => {
    const { data } = denseJets([2, 2], 3);
    data[4] = Number.NaN;
    const src = join(tmp.dir, 'nan-imp.h5');
    await writeH5(src, { particles: { data, shape: [2, 3, 3] } });
    const dataDir = join(tmp.dir, 'home-bad');
    const r = await cli('import', src, '--data-dir', dataDir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nan-imp\.h5: jet 0, constituent 1/);
    const dir = join(dataDir, 'datasets');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});
