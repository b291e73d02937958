// The browser EngineApi client of `ebm-hep serve`: one fetch POST per method (token in the Authorization header) and
// one WebSocket for the events (token in the query). Browser-safe: no Node imports; Node tests pass a WebSocket class.
import { EngineError } from './errors.ts';
import { ENGINE_EVENTS, ENGINE_METHODS, isApiError, type ApiError, type EngineApi, type EngineEventName, type EngineEventPayloads } from './types.ts';

/** The subset of the WebSocket API the client uses (browser WebSocket or the `ws` package). */
interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}
type SocketCtor = new (url: string) => SocketLike;

export interface HttpClientOptions {
  /** e.g. `http://127.0.0.1:5173` (the page's `location.origin` in the browser). */
  baseUrl: string;
  token: string;
  /** WebSocket implementation (default: the global one). */
  WebSocket?: SocketCtor;
  /** fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

/** An EngineApi client that also lets the caller close its event socket. */
export type HttpEngineClient = EngineApi & {
  close(): void;
  /** Resolves once the event socket is connected and registered by the server. */
  eventsReady(): Promise<void>;
};

export function createHttpClient(opts: HttpClientOptions): HttpEngineClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch.bind(globalThis);
  const listeners = new Map<EngineEventName, Set<(ev: unknown) => void>>();
  let socket: SocketLike | null = null;
  let closed = false;
  let retryMs = 250;
  const helloWaiters: (() => void)[] = [];
  let helloSeen = false;

  async function call(method: string, req: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${opts.token}` },
        body: JSON.stringify(req ?? null),
      });
    } catch (err) {
      throw new EngineError({ code: 'RESOURCE', message: `cannot reach the engine at ${base}: ${(err as Error).message}`, hint: 'Is `ebm-hep serve` still running? (Over SSH, is the tunnel up?)', where: base });
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new EngineError({ code: 'INTERNAL', message: `${method}: the engine answered HTTP ${res.status} without JSON`, where: method });
    }
    const b = body as { ok?: boolean; value?: unknown; error?: ApiError };
    if (b.ok) return b.value === null ? undefined : b.value;
    if (isApiError(b.error)) throw new EngineError(b.error);
    throw new EngineError({ code: 'INTERNAL', message: `${method}: unexpected answer (HTTP ${res.status})`, where: method });
  }

  function connect(): void {
    if (socket || closed) return;
    const Ctor = opts.WebSocket ?? (globalThis as unknown as { WebSocket?: SocketCtor }).WebSocket;
    if (!Ctor) return;
    const wsUrl = `${base.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(opts.token)}`;
    const s = new Ctor(wsUrl);
    socket = s;
    s.onopen = () => {
      retryMs = 250;
    };
    s.onmessage = (ev) => {
      let msg: { event?: string; payload?: unknown };
      try {
        msg = JSON.parse(String(ev.data)) as typeof msg;
      } catch {
        return;
      }
      if (msg.event === 'hello') {
        helloSeen = true;
        for (const w of helloWaiters.splice(0)) w();
        return;
      }
      const set = listeners.get(msg.event as EngineEventName);
      if (set) for (const l of [...set]) l(msg.payload);
    };
    s.onerror = () => undefined;
    s.onclose = () => {
      socket = null;
      helloSeen = false;
      const any = [...listeners.values()].some((x) => x.size > 0) || helloWaiters.length > 0;
      if (!closed && any) {
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      }
    };
  }

  function subscribe<K extends EngineEventName>(name: K, listener: (ev: EngineEventPayloads[K]) => void): () => void {
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    const l = listener as (ev: unknown) => void;
    set.add(l);
    connect();
    return () => {
      set!.delete(l);
    };
  }

  const client: Record<string, unknown> = {};
  for (const m of ENGINE_METHODS) client[m] = (req?: unknown) => call(m, req);
  for (const e of ENGINE_EVENTS) client[e] = (l: (ev: never) => void) => subscribe(e, l as never);
  client.eventsReady = () =>
    new Promise<void>((ok) => {
      if (helloSeen && socket) return ok();
      helloWaiters.push(ok);
      connect();
    });
  client.close = () => {
    closed = true;
    socket?.close();
    socket = null;
  };
  return client as unknown as HttpEngineClient;
}
