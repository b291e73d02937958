// The preload bridge: exposes `window.ebm`, the EngineApi as one function per operation (each on its own IPC
// channel) plus one subscribe function per event. No generic invoke/send is exposed to the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ENGINE_EVENTS, ENGINE_METHODS, type ApiError, type EngineApi, type EngineEventPayloads } from '../src-main/api/types.ts';
import { eventChannel, methodChannel } from './security.ts';

/** What the main process answers on a method channel: errors travel as data so their code/hint survive IPC. */
export type IpcReply = { ok: true; value: unknown } | { ok: false; error: ApiError };

function method(name: string) {
  const channel = methodChannel(name);
  return async (req?: unknown): Promise<unknown> => {
    const reply = (await ipcRenderer.invoke(channel, req)) as IpcReply;
    if (reply.ok) return reply.value;
    throw reply.error;
  };
}

function event<K extends keyof EngineEventPayloads>(name: K) {
  const channel = eventChannel(name);
  return (listener: (ev: EngineEventPayloads[K]) => void): (() => void) => {
    const wrapped = (_e: IpcRendererEvent, payload: EngineEventPayloads[K]) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  };
}

const bridge: Record<string, unknown> = {};
for (const name of ENGINE_METHODS) bridge[name] = method(name);
for (const name of ENGINE_EVENTS) bridge[name] = event(name);

contextBridge.exposeInMainWorld('ebm', bridge as unknown as EngineApi);
