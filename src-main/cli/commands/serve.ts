// `ebm-hep serve`: the engine and the built renderer over HTTP + WebSocket on 127.0.0.1 with a per-session token;
// prints the URL to open (locally, or through an SSH tunnel from a headless node).
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { UserError } from '../../util/errors.ts';

const usage = `usage: ebm-hep serve [--port N] [--db FILE] [--open] [--static DIR]

Serves the workstation in a browser: the EngineApi over HTTP + WebSocket and the built renderer, on 127.0.0.1 only.
Prints http://127.0.0.1:PORT/?token=… on stdout; every request needs that per-session token.

  --port N      port to listen on (default 0 = any free port)
  --db FILE     run store (default $EBM_HEP_HOME/ebm-hep.sqlite or ~/.ebm-hep/ebm-hep.sqlite)
  --open        open the URL in the default browser (xdg-open / open / start), else just print it
  --static DIR  renderer build to serve (default dist/renderer)

Remote GPU node: run it there, then \`ssh -L PORT:127.0.0.1:PORT node\` and open the printed URL locally.`;

function openBrowser(url: string): boolean {
  const cmd = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url];
  try {
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

const command: Command = {
  summary: 'serve the workstation to a browser on 127.0.0.1 (token-protected)',
  usage,
  async run({ argv, stdout, stderr }) {
    const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, db: { type: 'string' }, open: { type: 'boolean' }, static: { type: 'string' } }, strict: true });
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError('BAD_INPUT', `--port ${values.port}: not a port number`, { hint: 'Use 0 (any free port) or 1024–65535.', where: '--port' });
    const { createDefaultEngine } = await import('../../api/default-bridges.ts');
    const { startServer } = await import('../../server/server.ts');
    const engine = createDefaultEngine({ ...(values.db ? { dbPath: values.db } : {}), transport: 'web' });
    let server;
    try {
      server = await startServer({ engine, port, ...(values.static ? { staticDir: values.static } : {}) });
    } catch (err) {
      await engine.close();
      if ((err as { code?: string }).code === 'EADDRINUSE') throw new UserError('RESOURCE', `port ${port} is already in use`, { hint: 'Choose another --port, or 0 for any free port.', where: '--port' });
      throw err;
    }
    stdout.write(server.sessionUrl + '\n');
    stderr.write(`ebm-hep serve: run store ${engine.store.dbPath}; Ctrl-C to stop\n`);
    if (values.open && !openBrowser(server.sessionUrl)) stderr.write('ebm-hep serve: could not open a browser; open the URL above\n');
    await new Promise<void>((resolveStop) => {
      const stop = () => resolveStop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await engine.close();
    return 0;
  },
};

export default command;
