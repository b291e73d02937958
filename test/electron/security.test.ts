// The desktop shell's security settings: isolated sandboxed renderer, strict CSP without eval or remote hosts,
// navigation locked to the app page, and a preload that exposes exactly the EngineApi (no generic invoke).
import { describe, expect, it, vi, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { APP_CSP, eventChannel, isNavigationAllowed, mainWindowOptions, methodChannel, secureWebPreferences, withCsp } from '../../electron/security.ts';
import { ENGINE_EVENTS, ENGINE_METHODS } from '../../src-main/api/types.ts';

const exposed: Record<string, Record<string, unknown>> = {};
const invoke = vi.fn(async (_channel: string, _req: unknown) => ({ ok: true, value: 42 }) as unknown);
const on = vi.fn();
const removeListener = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => (exposed[key] = api) },
  ipcRenderer: { invoke, on, removeListener },
}));

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([k, ...v]) => [k!, v]),
  );
}

describe('BrowserWindow options', () => {
  const prefs = secureWebPreferences('/app/preload.cjs');
  it('isolates the renderer from Node and Electron', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/app/preload.cjs');
  });
  it('uses those preferences for the main window', () => {
    expect(mainWindowOptions('/p.cjs').webPreferences).toEqual(secureWebPreferences('/p.cjs'));
  });
});

describe('Content-Security-Policy', () => {
  for (const [name, csp] of [
    ['session header', APP_CSP],
    ['renderer meta tag', /Content-Security-Policy"\s+content="([^"]+)"/.exec(readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8'))?.[1] ?? ''],
  ] as const) {
    it(`${name}: no eval, no inline scripts, no remote hosts`, () => {
      expect(csp).not.toBe('');
      const d = directives(csp);
      expect(d.get('default-src')).toEqual(["'self'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toContain('wasm-unsafe-eval');
      expect(d.get('script-src')).not.toContain("'unsafe-inline'");
      expect(d.get('object-src')).toEqual(["'none'"]);
      for (const [, sources] of d) {
        for (const s of sources) {
          // Only the page itself, inline data images/blobs and (for the web transport) the local WebSocket.
          expect(s === "'self'" || s === "'none'" || s === "'unsafe-inline'" || s === 'data:' || s === 'blob:' || s === 'ws://127.0.0.1:*', `source ${s}`).toBe(true);
        }
      }
    });
  }
  it('is set on every response, replacing a server CSP', () => {
    const h = withCsp({ 'content-security-policy': ["default-src *"], 'X-Other': 'a' });
    expect(h['Content-Security-Policy']).toEqual([APP_CSP]);
    expect(h['content-security-policy']).toBeUndefined();
    expect(h['X-Other']).toEqual(['a']);
  });
});

describe('navigation', () => {
  const app = 'file:///opt/ebm/dist/renderer/index.html';
  it('allows only the app page itself', () => {
    expect(isNavigationAllowed('file:///opt/ebm/dist/renderer/index.html#/runs', app)).toBe(true);
    expect(isNavigationAllowed('https://example.org/', app)).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd', app)).toBe(false);
    expect(isNavigationAllowed('not a url', app)).toBe(false);
  });
});

describe('preload bridge', () => {
  beforeAll(async () => {
    await import('../../electron/preload.ts');
  });
  it('exposes exactly one function per EngineApi method and event under window.ebm', () => {
    const api = exposed.ebm!;
    expect(Object.keys(exposed)).toEqual(['ebm']);
    expect(Object.keys(api).sort()).toEqual([...ENGINE_METHODS, ...ENGINE_EVENTS].sort());
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    for (const generic of ['invoke', 'send', 'on', 'ipcRenderer', 'require']) expect(api[generic]).toBeUndefined();
  });
  it('sends each method on its own channel and unwraps typed errors', async () => {
    const api = exposed.ebm as Record<string, (req?: unknown) => Promise<unknown>>;
    await expect(api.listRuns!({ search: 'qcd' })).resolves.toBe(42);
    expect(invoke).toHaveBeenLastCalledWith(methodChannel('listRuns'), { search: 'qcd' });
    invoke.mockResolvedValueOnce({ ok: false, error: { code: 'NOT_FOUND', message: 'run r1 not found', hint: 'refresh' } });
    await expect(api.getRun!({ runId: 'r1' })).rejects.toMatchObject({ code: 'NOT_FOUND', hint: 'refresh' });
  });
  it('subscribes events per event channel and unsubscribes', () => {
    const api = exposed.ebm as Record<string, (l: (e: unknown) => void) => () => void>;
    const got: unknown[] = [];
    const off = api.onRunStatus!((e) => got.push(e));
    const [channel, wrapped] = on.mock.calls.at(-1)! as [string, (e: unknown, p: unknown) => void];
    expect(channel).toBe(eventChannel('onRunStatus'));
    wrapped({}, { runId: 'r1', status: 'done' });
    expect(got).toEqual([{ runId: 'r1', status: 'done' }]);
    off();
    expect(removeListener).toHaveBeenCalledWith(channel, wrapped);
  });
});
