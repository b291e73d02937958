// The local web transport: HTTP + WebSocket on 127.0.0.1 only, guarded by a random per-session token. Serves the
// built renderer (dist/renderer) with a strict CSP, one POST /api/<method> route per EngineApi method, and the events
// over a WebSocket (/api/events). Host header and WebSocket Origin are checked against the listening address.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { toApiError } from '../api/errors.ts';
import { ENGINE_EVENTS, ENGINE_METHODS, type ApiError, type EngineApi, type EngineMethod } from '../api/types.ts';

export interface ServeOptions {
  engine: EngineApi;
  /** 0 = any free port. */
  port?: number;
  /** Directory of the built renderer (default dist/renderer of the package). */
  staticDir?: string;
  /** Fixed token (tests); default 32 random bytes, hex. */
  token?: string;
  /** Largest accepted request body (default 32 MiB). */
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string;
  /** The URL with the session token, as printed and opened. */
  sessionUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const METHODS = new Set<string>(ENGINE_METHODS);

export const SERVER_CSP = (port: number) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://${HOST}:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

const STATUS: Record<ApiError['code'], number> = {
  BAD_INPUT: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNSUPPORTED: 422,
  RESOURCE: 507,
  INTERNAL: 500,
};

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage): string | undefined {
  const c = req.headers.cookie;
  if (!c) return undefined;
  for (const part of c.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === 'ebm_token') return v;
  }
  return undefined;
}

export function defaultStaticDir(): string {
  return resolve(import.meta.dirname, '../../dist/renderer');
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const staticDir = resolve(opts.staticDir ?? defaultStaticDir());
  const maxBody = opts.maxBodyBytes ?? 32 * 1024 * 1024;
  const engine = opts.engine;
  let port = 0;

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader('Content-Security-Policy', SERVER_CSP(port));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
  };

  const allowedHosts = () => new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://${HOST}:${port}`, `http://localhost:${port}`]);

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(text);
  };
  const sendError = (res: ServerResponse, err: ApiError) => sendJson(res, STATUS[err.code] ?? 500, { ok: false, error: err });
  const unauthorized = (res: ServerResponse) =>
    sendError(res, { code: 'UNAUTHORIZED', message: 'missing or wrong session token', hint: 'Open the exact URL that `ebm-hep serve` printed (it ends in ?token=…).' });

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolveBody, reject) => {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBody) {
          reject(Object.assign(new Error('request body too large'), { tooLarge: true }));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string) => {
    const auth = req.headers.authorization;
    const given = auth?.startsWith('Bearer ') ? auth.slice(7) : (req.headers['x-ebm-token'] as string | undefined);
    if (!sameToken(given, token)) return unauthorized(res);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendError(res, { code: 'BAD_INPUT', message: `${req.method} /api/${method}: use POST`, where: method });
    }
    const origin = req.headers.origin;
    if (origin && !allowedOrigins().has(origin)) return sendError(res, { code: 'UNAUTHORIZED', message: `requests from origin ${origin} are not allowed`, where: origin });
    if (!METHODS.has(method)) return sendError(res, { code: 'NOT_FOUND', message: `no API method '${method}'`, hint: 'See ENGINE_METHODS in src-main/api/types.ts.', where: method });
    const ctype = req.headers['content-type'] ?? '';
    let body: unknown;
    try {
      const text = await readBody(req);
      if (text.length && !ctype.startsWith('application/json')) return sendError(res, { code: 'BAD_INPUT', message: 'request body must be application/json', where: method });
      body = text.length ? JSON.parse(text) : undefined;
    } catch (err) {
      if ((err as { tooLarge?: boolean }).tooLarge) return sendError(res, { code: 'BAD_INPUT', message: `request body larger than ${maxBody} bytes`, where: method });
      return sendError(res, { code: 'BAD_INPUT', message: `request body is not valid JSON: ${(err as Error).message}`, where: method });
    }
    try {
      const fn = engine[method as EngineMethod] as (r: unknown) => Promise<unknown>;
      const value = await fn.call(engine, body);
      sendJson(res, 200, { ok: true, value: value === undefined ? null : value });
    } catch (err) {
      sendError(res, toApiError(err, method));
    }
  };

  const handleStatic = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      return res.end();
    }
    const queryToken = url.searchParams.get('token');
    const ok = sameToken(queryToken, token) || sameToken(cookieToken(req), token);
    if (!ok) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end('401: open the exact URL that `ebm-hep serve` printed (it ends in ?token=…).\n');
    }
    if (queryToken) res.setHeader('Set-Cookie', `ebm_token=${token}; HttpOnly; SameSite=Strict; Path=/`);
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = resolve(staticDir, '.' + rel);
    if (!file.startsWith(staticDir + sep)) {
      res.writeHead(404);
      return res.end();
    }
    let target = file;
    if (!existsSync(target) || !statSync(target).isFile()) {
      // single-page app: unknown paths without an extension get index.html
      target = extname(rel) ? '' : resolve(staticDir, 'index.html');
    }
    if (!target || !existsSync(target)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end(existsSync(staticDir) ? 'not found\n' : `the renderer is not built (${staticDir} is missing): run \`npm run build:renderer\`\n`);
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(target)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(target).pipe(res);
  };

  const server: Server = createServer((req, res) => {
    securityHeaders(res);
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end('misdirected request: unexpected Host header\n');
    }
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    if (url.pathname.startsWith('/api/')) {
      void handleApi(req, res, url.pathname.slice(5)).catch((err) => sendError(res, toApiError(err)));
      return;
    }
    handleStatic(req, res, url);
  });

  // ───── events over WebSocket ─────
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  const unsubs = ENGINE_EVENTS.map((name) =>
    (engine[name] as (l: (ev: unknown) => void) => () => void).call(engine, (payload: unknown) => {
      const msg = JSON.stringify({ event: name, payload });
      for (const s of sockets) if (s.readyState === s.OPEN) s.send(msg);
    }),
  );
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const origin = req.headers.origin;
    const reject = (code: number, text: string) => {
      socket.write(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (!allowedHosts().has(req.headers.host ?? '')) return reject(421, 'Misdirected Request');
    if (url.pathname !== '/api/events') return reject(404, 'Not Found');
    if (origin !== undefined && !allowedOrigins().has(origin)) return reject(403, 'Forbidden');
    if (!sameToken(url.searchParams.get('token'), token)) return reject(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => undefined); // the event channel is one-way
      ws.send(JSON.stringify({ event: 'hello', payload: null }));
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, HOST, () => ok());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${HOST}:${port}/`;
  return {
    url,
    sessionUrl: `${url}?token=${token}`,
    port,
    token,
    close: async () => {
      for (const u of unsubs) u();
      for (const s of sockets) s.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
