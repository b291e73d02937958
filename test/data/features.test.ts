// Pure helpers of the readers: label-name attributes, label indexing, feature mapping and axis detection,
// container recognition from magic bytes.
import { describe, expect, it } from 'vitest';
import { featureAxis, parseLabelNames, parseNameList, resolveRowMapping } from '../../src-main/data/features.ts';
import { labelIndexer } from '../../src-main/data/hdf5.ts';
import { containerFromBytes } from '../../src-main/data/read.ts';
import { UserError } from '../../src-main/util/errors.ts';

describe('label names and indices', () => {
  it('parses "k=name" lists, plain lists and arrays', () => {
    expect([...parseLabelNames('0=qcd,1=top,2=w,3=hh4b')!]).toEqual([[0, 'qcd'], [1, 'top'], [2, 'w'], [3, 'hh4b']]);
    expect([...parseLabelNames('qcd;top')!]).toEqual([[0, 'qcd'], [1, 'top']]);
    expect([...parseLabelNames(['g', 'q'])!]).toEqual([[0, 'g'], [1, 'q']]);
    expect(parseLabelNames(undefined)).toBeNull();
    expect(parseNameList('pt, eta ,phi')).toEqual(['pt', 'eta', 'phi']);
  });
  it('maps label values to class indices in value order, names from the attribute', () => {
    const li = labelIndexer([2, 0, 2], new Map([[0, 'qcd'], [1, 'top'], [2, 'w']]));
    expect(li.names).toEqual(['qcd', 'top', 'w']);
    expect(Array.from(li.index)).toEqual([2, 0, 2]);
    const bare = labelIndexer([5, 7, 5], null);
    expect(bare.names).toEqual(['5', '7']);
    expect(Array.from(bare.index)).toEqual([0, 1, 0]);
  });
});

describe('feature mapping', () => {
  it('finds pT/η/φ by name, by user map (name or index), or four-vectors', () => {
    expect(resolveRowMapping('f', 3, ['eta', 'phi', 'pt'], undefined, [])).toMatchObject({ kind: 'ptetaphi', pt: 2, eta: 0, phi: 1, energy: -1 });
    expect(resolveRowMapping('f', 4, ['a', 'b', 'c', 'd'], { pt: '3', eta: 'a', phi: '1' }, [])).toMatchObject({ pt: 3, eta: 0, phi: 1 });
    expect(resolveRowMapping('f', 4, ['E', 'px', 'py', 'pz'], undefined, [])).toMatchObject({ kind: 'epxpypz', energy: 0, px: 1, py: 2, pz: 3 });
    expect(() => resolveRowMapping('f', 3, ['a', 'b', 'c'], undefined, [])).toThrow(UserError);
    expect(() => resolveRowMapping('f', 3, ['pt', 'eta', 'phi'], { pt: 'nope' }, [])).toThrow(/'nope'/);
  });
  it('tells [jets, particles, features] from [jets, features, particles]', () => {
    expect(featureAxis(40, 3, null)).toBe('last');
    expect(featureAxis(3, 40, null)).toBe('middle');
    expect(featureAxis(3, 4, ['pt', 'eta', 'phi'])).toBe('middle');
    expect(featureAxis(4, 3, ['pt', 'eta', 'phi'])).toBe('last');
  });
});

describe('container from magic bytes', () => {
  const b = (s: string | number[]) => (typeof s === 'string' ? new TextEncoder().encode(s) : Uint8Array.from(s));
  it('recognises each container and rejects binary junk', () => {
    expect(containerFromBytes('x', b([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('hdf5');
    expect(containerFromBytes('x', b('root\0\0\0'))).toBe('root');
    expect(containerFromBytes('x', b([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]))).toBe('npy');
    expect(containerFromBytes('x', b([0x50, 0x4b, 3, 4, 0]))).toBe('npz');
    expect(containerFromBytes('x', b('EBMJETS\0'))).toBe('jets');
    expect(containerFromBytes('x', b('jet_id,pt,eta,phi\n1,2,3,4\n'))).toBe('csv');
    expect(() => containerFromBytes('x.bin', b([1, 2, 3, 0, 5]))).toThrow(/not a recognised jet file/);
  });
});
