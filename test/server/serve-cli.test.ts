// `ebm-hep serve` as a user runs it: prints the tokenised 127.0.0.1 URL on stdout, answers with the token, 401
// without, and exits cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/ebm-hep.mjs');

describe('ebm-hep serve (CLI)', () => {
  it('prints its URL, serves the API with the token, stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ebm-serve-cli-'));
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', join(dir, 'ebm.sqlite')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EBM_HEP_HOME: dir } });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        child.stdout.on('data', (c) => {
          out += String(c);
          const line = out.split('\n')[0];
          if (out.includes('\n')) resolveUrl(line!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
      const base = url.slice(0, url.indexOf('/?'));
      const token = url.slice(url.indexOf('token=') + 6);
      const ok = await fetch(`${base}/api/getEngineInfo`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      const info = (await ok.json()) as { value: { transport: string; dbPath: string } };
      expect(info.value).toMatchObject({ transport: 'web', dbPath: join(dir, 'ebm.sqlite') });
      expect((await fetch(`${base}/api/listRuns`, { method: 'POST' })).status).toBe(401);
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
