// First start: the embedded sample (qcd, w, top, hh4b) is imported once and is then listed as sample datasets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDefaultEngine } from '../../src-main/api/default-bridges.ts';

describe('ensureSampleDatasets', () => {
  it('imports the embedded sample on first call only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ebm-sample-'));
    const engine = createDefaultEngine({ dbPath: join(dir, 'ebm.sqlite') });
    try {
      const first = await engine.ensureSampleDatasets();
      expect(first.imported).toBe(4);
      expect(first.datasets.map((d) => d.labels[0]).sort()).toEqual(['hh4b', 'qcd', 'top', 'w']);
      expect(first.datasets.every((d) => d.isSample && d.nJets > 0)).toBe(true);
      const again = await engine.ensureSampleDatasets();
      expect(again.imported).toBe(0);
      expect(again.datasets.map((d) => d.id).sort()).toEqual(first.datasets.map((d) => d.id).sort());
      expect((await engine.listDatasets()).length).toBe(4);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
