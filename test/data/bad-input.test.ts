// The bad-input corpus of issue 2, generated at run time: every damaged or unusable file gives one UserError that
// names the file, says what is wrong, and hints what to do — never a crash, a stack trace, or silent garbage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { readJets, detectFormat, type ReadOptions } from '../../src-main/data/read.ts';
import { UserError } from '../../src-main/util/errors.ts';
import { hasShared, sharedPath } from '../helpers/shared.ts';
import { denseJets, npyBytes, tempDir, writeH5 } from './fixtures.ts';

const tmp = tempDir('ebm-hep-bad-');
afterAll(() => tmp.cleanup());
const at = (name: string) => join(tmp.dir, name);

/** A valid gzip-compressed dense HDF5 file the damaged variants start from. */
let goodH5: Buffer;
beforeAll(async () => {
  const { data } = denseJets(Array.from({ length: 2000 }, (_, i) => 1 + (i % 30)), 40);
  await writeH5(at('good.h5'), { particles: { data, shape: [2000, 40, 3], compression: 4, chunks: [100, 40, 3] } });
  goodH5 = readFileSync(at('good.h5'));
});

function scramble(buf: Buffer, lo: number, hi: number): Buffer {
  const b = Buffer.from(buf);
  for (let i = Math.floor(lo * b.length); i < hi * b.length; i++) b[i] = (i * 131 + 7) & 0xff;
  return b;
}

async function expectUserError(file: string, problem: RegExp, opts: ReadOptions = {}): Promise<UserError> {
  const err = await readJets(file, opts).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `${file} should be rejected`).toBeInstanceOf(UserError);
  const u = err as UserError;
  expect(u.message).toContain(file);
  expect(u.message).toMatch(problem);
  expect(u.hint ?? '').not.toBe('');
  expect(u.message).not.toMatch(/HDF5-DIAG|\n {2}#\d/); // no library stack dumps
  return u;
}

describe('bad input: unreadable files', () => {
  it('0-byte file', async () => {
    writeFileSync(at('empty.h5'), '');
    await expectUserError(at('empty.h5'), /empty \(0 bytes\)/);
    await expect(detectFormat(at('empty.h5'))).rejects.toBeInstanceOf(UserError);
  });
  it('missing file', async () => {
    const u = await expectUserError(at('nope.h5'), /no such file/);
    expect(u.code).toBe('NOT_FOUND');
  });
  it('binary garbage of no known format', async () => {
    writeFileSync(at('garbage.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 1) & 0xff)));
    await expectUserError(at('garbage.bin'), /not a recognised jet file/);
  });
  it('truncated HDF5', async () => {
    writeFileSync(at('trunc.h5'), goodH5.subarray(0, goodH5.length >> 1));
    await expectUserError(at('trunc.h5'), /truncated/);
  });
  it('HDF5 with corrupt metadata', async () => {
    writeFileSync(at('corrupt-meta.h5'), scramble(goodH5, 0.001, 0.05));
    await expectUserError(at('corrupt-meta.h5'), /cannot (read|open) as HDF5/);
  });
  it('HDF5 with corrupt compressed data', async () => {
    writeFileSync(at('corrupt-data.h5'), scramble(goodH5, 0.3, 0.7));
    await expectUserError(at('corrupt-data.h5'), /cannot read .*particles|cannot read as HDF5/);
  });
  it('truncated .npy', async () => {
    const bytes = npyBytes(denseJets([2, 3], 4).data, [2, 4, 3]);
    writeFileSync(at('trunc.npy'), bytes.subarray(0, bytes.length - 20));
    await expectUserError(at('trunc.npy'), /truncated/);
  });
  it('.npy with a damaged header', async () => {
    const bytes = Buffer.from(npyBytes(denseJets([2], 4).data, [1, 4, 3]));
    bytes.write('{garbage: 1}', 10, 'latin1');
    await writeFileSync(at('badheader.npy'), bytes);
    await expectUserError(at('badheader.npy'), /header/);
  });
  it('corrupt .npz (zip)', async () => {
    const zip = Buffer.from(zipSync({ 'particles.npy': npyBytes(denseJets([2, 3], 4).data, [2, 4, 3]) }, { level: 6 }));
    writeFileSync(at('corrupt.npz'), scramble(zip, 0.2, 0.6));
    await expectUserError(at('corrupt.npz'), /unzip|npz|header|truncated/);
  });
  it('truncated imported .jets file', async () => {
    const { writeJetFile } = await import('../../src-main/data/jetfile.ts');
    const jets = await readJets(at('good.h5'), { maxJets: 50 });
    writeJetFile(at('ok.jets'), jets);
    expect((await detectFormat(at('ok.jets'))).container).toBe('jets');
    const back = await readJets(at('ok.jets'));
    expect(Array.from(back.pt)).toEqual(Array.from(jets.pt));
    const buf = readFileSync(at('ok.jets'));
    writeFileSync(at('trunc.jets'), buf.subarray(0, buf.length - 100));
    await expectUserError(at('trunc.jets'), /truncated \.jets file/);
  });
  it('ROOT magic with garbage after it', async () => {
    const b = Buffer.alloc(2048);
    b.write('root', 0, 'latin1');
    for (let i = 4; i < b.length; i++) b[i] = (i * 53) & 0xff;
    writeFileSync(at('garbage.root'), b);
    await expectUserError(at('garbage.root'), /ROOT|could not be read|TTree/);
  });
  it.skipIf(!hasShared)('truncated ROOT file (real Delphes file cut in half)', async () => {
    const buf = readFileSync(sharedPath('root/delphes_tth_10ev.root'));
    writeFileSync(at('trunc.root'), buf.subarray(0, buf.length >> 1));
    await expectUserError(at('trunc.root'), /truncated: the ROOT header says/);
  });
});

describe('bad input: wrong layout or dtype', () => {
  it('HDF5 without a [jets, particles, features] array', async () => {
    await writeH5(at('flat.h5'), { pt: { data: new Float32Array(10) }, table2d: { data: new Float32Array(12), shape: [4, 3] } });
    await expectUserError(at('flat.h5'), /no jet constituents found/);
  });
  it('HDF5 constituents stored as strings (wrong dtype)', async () => {
    await writeH5(at('strings.h5'), { particles: { data: ['a', 'b', 'c', 'd'] } });
    await expectUserError(at('strings.h5'), /no jet constituents found/);
  });
  it('HDF5 with too few features to be pT, η, φ', async () => {
    await writeH5(at('twofeat.h5'), { particles: { data: new Float32Array(2 * 3 * 2).fill(1), shape: [2, 3, 2] } });
    await expectUserError(at('twofeat.h5'), /cannot tell which features/);
  });
  it('HDF5 asked for a collection it does not have', async () => {
    const u = await expectUserError(at('good.h5'), /no jet collection 'jets'/, { collection: 'jets' });
    expect(u.hint).toMatch(/particles/);
  });
  it('.npy of rank 2', async () => {
    writeFileSync(at('rank2.npy'), npyBytes(new Float32Array(12), [4, 3]));
    await expectUserError(at('rank2.npy'), /expected \[jets, particles, features\]/);
  });
  it('.npy with a string dtype', async () => {
    const b = Buffer.from(npyBytes(new Float32Array(12), [1, 4, 3]));
    b.write("'<U1'", b.indexOf("'<f4'"), 'latin1');
    writeFileSync(at('unicode.npy'), b);
    const u = await expectUserError(at('unicode.npy'), /unsupported dtype '<U1'/);
    expect(u.code).toBe('UNSUPPORTED');
  });
  it('CSV without a header', async () => {
    writeFileSync(at('nohdr.csv'), '1,100,0.1,0.2\n1,50,0.0,0.1\n');
    await expectUserError(at('nohdr.csv'), /no header/);
  });
  it('CSV without a jet id column', async () => {
    writeFileSync(at('nojet.csv'), 'pt,eta,phi\n100,0.1,0.2\n');
    await expectUserError(at('nojet.csv'), /no jet-id column/);
  });
  it('CSV with a non-number', async () => {
    writeFileSync(at('nan-text.csv'), 'jet_id,pt,eta,phi\n1,100,0.1,0.2\n1,abc,0.1,0.2\n');
    await expectUserError(at('nan-text.csv'), /line 3: pT 'abc' is not a number/);
  });
  it('CSV with a ragged line', async () => {
    writeFileSync(at('ragged.csv'), 'jet_id,pt,eta,phi\n1,100,0.1,0.2\n1,100,0.1\n');
    await expectUserError(at('ragged.csv'), /line 3 has 3 fields/);
  });
  it('CSV with jets not contiguous', async () => {
    writeFileSync(at('unsorted.csv'), 'jet_id,pt,eta,phi\n1,100,0.1,0.2\n2,100,0.1,0.2\n1,5,0.1,0.2\n');
    await expectUserError(at('unsorted.csv'), /not contiguous/);
  });
});

describe('bad input: bad values', () => {
  const P = 3;
  async function h5With(name: string, mutate: (d: Float32Array) => void): Promise<string> {
    const { data } = denseJets([2, 3, 1], P);
    mutate(data);
    await writeH5(at(name), { particles: { data, shape: [3, P, 3] } });
    return at(name);
  }
  it('NaN in HDF5 (names jet and constituent)', async () => {
    const f = await h5With('nan.h5', (d) => (d[(1 * P + 1) * 3 + 1] = Number.NaN));
    await expectUserError(f, /jet 1, constituent 1: η = NaN/);
  });
  it('+inf in .npy', async () => {
    const { data } = denseJets([2, 3, 1], P);
    data[(2 * P + 0) * 3 + 0] = Infinity;
    writeFileSync(at('inf.npy'), npyBytes(data, [3, P, 3]));
    await expectUserError(at('inf.npy'), /jet 2, constituent 0: pT = Infinity/);
  });
  it('nan in CSV', async () => {
    writeFileSync(at('nan.csv'), 'jet_id,pt,eta,phi\n1,100,nan,0.2\n');
    await expectUserError(at('nan.csv'), /η = NaN/);
  });
  it('negative pT', async () => {
    const f = await h5With('negpt.h5', (d) => (d[0] = -5));
    await expectUserError(f, /pT = -5 \(negative\)/);
  });
  it('a jet with no constituents fails, or is dropped with a note when asked', async () => {
    const f = await h5With('emptyjet.h5', (d) => d.fill(0, 1 * P * 3, 2 * P * 3));
    const u = await expectUserError(f, /jet 1 has no constituents/);
    expect(u.hint).toMatch(/skip-empty/);
    const s = await readJets(f, { skipEmpty: true });
    expect(s.nJets).toBe(2);
    expect(s.source.notes.join(' ')).toMatch(/1 jets without constituents were dropped/);
  });
  it('a file whose jets are all empty', async () => {
    const f = await h5With('allempty.h5', (d) => d.fill(0));
    await expectUserError(f, /no constituents|all 3 jets are empty/, { skipEmpty: true });
  });
});
