// Where the renderer gets its EngineApi: the Electron preload bridge (`window.ebm`) when present, otherwise the
// browser client of `ebm-hep serve` (fetch + WebSocket) with the session token taken from the page URL.
import type { ApiError, EngineApi } from '../src-main/api/types.ts';
import { isApiError } from '../src-main/api/types.ts';

/** The session token of the web transport, from `?token=…` (kept for reloads in sessionStorage). */
export function sessionToken(search: string = location.search): string | null {
  const fromUrl = new URLSearchParams(search).get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem('ebm-token', fromUrl);
    } catch {
      /* storage may be disabled */
    }
    return fromUrl;
  }
  try {
    return sessionStorage.getItem('ebm-token');
  } catch {
    return null;
  }
}

export async function connectEngine(): Promise<EngineApi> {
  if (window.ebm) return window.ebm;
  const token = sessionToken();
  if (!token) {
    throw {
      code: 'UNAUTHORIZED',
      message: 'This page was opened without its session token.',
      hint: 'Open the exact URL that `ebm-hep serve` printed (it ends in ?token=…).',
    } satisfies ApiError;
  }
  const { createHttpClient } = await import('../src-main/api/http-client.ts');
  return createHttpClient({ baseUrl: location.origin, token });
}

/** Any thrown value as an ApiError the UI can show (message + hint). */
export function toApiError(err: unknown): ApiError {
  if (isApiError(err)) return err;
  if (err instanceof Error) return { code: 'INTERNAL', message: err.message };
  return { code: 'INTERNAL', message: String(err) };
}
