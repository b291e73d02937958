// Web transport security: 127.0.0.1 only, the session token on every API call (401 otherwise), WebSocket needs the
// token and an allowed Origin, Host header checked (DNS rebinding), static files behind the token with a strict CSP.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultEngine } from '../../src-main/api/default-bridges.ts';
import type { Engine } from '../../src-main/api/engine.ts';
import { startServer, type RunningServer } from '../../src-main/server/server.ts';

let dir: string;
let engine: Engine;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ebm-server-'));
  const web = join(dir, 'renderer');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>EBM</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  engine = createDefaultEngine({ dbPath: join(dir, 'ebm.sqlite') });
  server = await startServer({ engine, port: 0, staticDir: web });
});
afterAll(async () => {
  await server.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const json = { 'Content-Type': 'application/json' };

function wsOutcome(url: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('message', (m) => {
      resolve(`message:${JSON.parse(String(m)).event}`);
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => resolve(`http:${res.statusCode}`));
    ws.on('error', () => resolve('error'));
  });
}

describe('ebm-hep serve security', () => {
  it('prints a 127.0.0.1 URL with a long random token', () => {
    expect(server.sessionUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
  });

  it('answers 401 without the right token, 200 with it', async () => {
    const none = await raw('/api/listRuns', { method: 'POST', headers: json, body: '{}' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe('UNAUTHORIZED');
    const wrong = await raw('/api/listRuns', { method: 'POST', headers: { ...json, Authorization: `Bearer ${'0'.repeat(64)}` }, body: '{}' });
    expect(wrong.status).toBe(401);
    const inQuery = await raw(`/api/listRuns?token=${server.token}`, { method: 'POST', headers: json, body: '{}' });
    expect(inQuery.status).toBe(401); // API calls take the token in a header only
    const ok = await raw('/api/listRuns', { method: 'POST', headers: { ...json, Authorization: `Bearer ${server.token}` }, body: '{}' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: [] });
  });

  it('maps errors to HTTP statuses with the ApiError body; unknown methods are 404; GET is refused', async () => {
    const auth = { ...json, Authorization: `Bearer ${server.token}` };
    const nf = await raw('/api/getRun', { method: 'POST', headers: auth, body: '{"runId":"run-x"}' });
    expect(nf.status).toBe(404);
    expect(JSON.parse(nf.body).error).toMatchObject({ code: 'NOT_FOUND', where: 'run-x' });
    expect((await raw('/api/getRun', { method: 'POST', headers: auth, body: '{not json' })).status).toBe(400);
    expect((await raw('/api/constructor', { method: 'POST', headers: auth, body: '{}' })).status).toBe(404);
    expect((await raw('/api/close', { method: 'POST', headers: auth, body: '{}' })).status).toBe(404);
    expect((await raw('/api/listRuns', { headers: auth })).status).toBe(400);
    const cross = await raw('/api/listRuns', { method: 'POST', headers: { ...auth, Origin: 'http://evil.example' }, body: '{}' });
    expect(cross.status).toBe(401);
  });

  it('refuses requests whose Host is not the listening address (DNS rebinding)', async () => {
    const r = await raw('/api/listRuns', { method: 'POST', headers: { ...json, Authorization: `Bearer ${server.token}`, Host: 'evil.example:80' }, body: '{}' });
    expect(r.status).toBe(421);
  });

  it('serves the renderer only with the token (query once, then the session cookie), with a strict CSP', async () => {
    expect((await raw('/')).status).toBe(401);
    const page = await raw(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>EBM</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toBe(`ebm_token=${server.token}`);
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly/);
    const asset = await raw('/assets/app.js', { headers: { Cookie: cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect((await raw('/assets/app.js')).status).toBe(401);
    const plain = await raw(`/../../etc/passwd?token=${server.token}`); // normalised to /etc/passwd → the app page
    expect(plain.body).not.toContain('root:');
    const encoded = await raw(`/..%2F..%2F..%2F..%2Fetc%2Fpasswd?token=${server.token}`);
    expect(encoded.status).toBe(404);
    expect(encoded.body).not.toContain('root:');
  });

  it('WebSocket events need the token and an allowed Origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/api/events`;
    expect(await wsOutcome(base)).toBe('http:401');
    expect(await wsOutcome(`${base}?token=wrong`)).toBe('http:401');
    expect(await wsOutcome(`${base}?token=${server.token}`, { Origin: 'http://evil.example' })).toBe('http:403');
    expect(await wsOutcome(`${base}?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port}` })).toBe('message:hello');
    expect(await wsOutcome(`${base}?token=${server.token}`)).toBe('message:hello');
  });

  it('listens on 127.0.0.1 only', async () => {
    const { networkInterfaces } = await import('node:os');
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // no external interface on this machine: nothing to test
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: external.address, port: server.port, path: '/', timeout: 2000 }, (res) => resolve(`http:${res.statusCode}`));
      req.on('error', (e) => resolve(`error:${(e as NodeJS.ErrnoException).code}`));
      req.end();
    });
    expect(outcome).toMatch(/^error:/);
  });
});
