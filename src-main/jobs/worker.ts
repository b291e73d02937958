// The child-process worker: runs one task module (training, generation, scoring) and reports over IPC, so a native
// crash or an out-of-memory kill takes down only this process, never the app.
import { existsSync } from 'node:fs';
import { toApiError } from '../api/errors.ts';
import type { FromWorker, TaskModule, ToWorker } from './protocol.ts';

let stopRequested = false;
let stopFile = '';

function send(msg: FromWorker): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(msg, undefined, {}, () => resolve());
  });
}

process.on('message', (msg: ToWorker) => {
  if (msg.type === 'stop') {
    stopRequested = true;
    return;
  }
  if (msg.type === 'start') {
    stopFile = msg.stopFile;
    void start(msg.module, msg.payload);
  }
});

process.on('disconnect', () => process.exit(0));

async function start(modulePath: string, payload: unknown): Promise<void> {
  try {
    const mod = (await import(modulePath)) as TaskModule;
    const result = await mod.run(payload, {
      emit: (event) => void send({ type: 'event', event }),
      shouldStop: () => stopRequested || (stopFile !== '' && existsSync(stopFile)),
    });
    await send({ type: 'result', result });
  } catch (err) {
    await send({ type: 'error', error: toApiError(err) });
  }
  process.disconnect?.();
  process.exit(0);
}

void send({ type: 'ready' });
