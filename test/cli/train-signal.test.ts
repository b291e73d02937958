// `ebm-hep train` stopped by SIGTERM (what SLURM/HTCondor send at a time limit): it finishes the current step, writes
// a checkpoint, registers the run and exits 0 — so a batch job can be resumed with --resume.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleFiles } from '../../src-main/data/sample.ts';

const BIN = resolve(import.meta.dirname, '../../bin/ebm-hep.mjs');

describe('ebm-hep train (CLI) under SIGTERM', () => {
  it('checkpoints after the current step and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ebm-train-term-'));
    const out = join(dir, 'run');
    const args = [BIN, 'train', '--preset', 'tiny', '--data', `${sampleFiles().qcd}:qcd`, '--epochs', '50', '--out', out, '--db', join(dir, 'ebm.sqlite')];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EBM_HEP_HOME: dir } });
    let err = '';
    child.stderr.on('data', (c) => (err += String(c)));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const metrics = join(out, 'metrics.jsonl');
      const firstStep = () => existsSync(metrics) && readFileSync(metrics, 'utf8').includes('"type":"step"');
      for (let t = 0; !firstStep(); t++) {
        if (child.exitCode !== null) throw new Error(`train exited early (${child.exitCode}): ${err}`);
        if (t > 1200) throw new Error(`no training step after 120 s: ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGTERM');
      expect(await exited, err).toBe(0);
      expect(err).toMatch(/SIGTERM: stopping after the current step/);
      const latest = JSON.parse(readFileSync(join(out, 'checkpoints', 'latest.json'), 'utf8'));
      expect(latest.step ?? latest.globalStep).toBeGreaterThan(0);
      expect(err).toMatch(/registered run run-\w+ \((stopped|interrupted)\)/);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
