// Security settings of the desktop shell as plain data and pure functions, so a unit test can check them without
// Electron: isolated sandboxed renderer, no Node in the page, a strict CSP, no navigation away, no new windows.
import type { BrowserWindowConstructorOptions } from 'electron';

/** The CSP sent with every response of the app's session (and repeated as a meta tag in renderer/index.html). */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** webPreferences every window of the app uses; `preload` is the bundled preload script. */
export function secureWebPreferences(preload: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

/** The main window's options. */
export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    title: 'EBM-HEP workstation',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: secureWebPreferences(preload),
  };
}

/**
 * Whether the window may navigate from the app page to `target`. Only reloads of the app's own page (same file,
 * any hash/query) are allowed; everything else — remote sites, other files — is blocked.
 */
export function isNavigationAllowed(target: string, appUrl: string): boolean {
  let t: URL;
  let a: URL;
  try {
    t = new URL(target);
    a = new URL(appUrl);
  } catch {
    return false;
  }
  return t.protocol === a.protocol && t.host === a.host && t.pathname === a.pathname;
}

/** Response headers with the app's CSP set (replacing any CSP the response carried). */
export function withCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [APP_CSP];
  return out;
}

/** IPC channel of one EngineApi method (one channel per method; there is no generic channel). */
export function methodChannel(method: string): string {
  return `ebm:call:${method}`;
}

/** IPC channel on which the main process pushes one kind of engine event. */
export function eventChannel(event: string): string {
  return `ebm:event:${event}`;
}
