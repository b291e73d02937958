// A scripted in-memory EngineApi for renderer store tests: records calls, lets tests fire events, and resolves
// requests with canned responses (or holds them open to test ordering).
import type { EngineApi, EngineEventPayloads } from '../../src-main/api/types.ts';

type Listener = (ev: unknown) => void;

export interface FakeEngine {
  api: EngineApi;
  calls: { method: string; req: unknown }[];
  emit<K extends keyof EngineEventPayloads>(name: K, ev: EngineEventPayloads[K]): void;
}

export function fakeEngine(handlers: Partial<Record<keyof EngineApi, (req: never) => unknown>>): FakeEngine {
  const calls: { method: string; req: unknown }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const api = new Proxy({} as Record<string, unknown>, {
    get(_t, name: string) {
      if (name.startsWith('on')) {
        return (l: Listener) => {
          if (!listeners.has(name)) listeners.set(name, new Set());
          listeners.get(name)!.add(l);
          return () => listeners.get(name)!.delete(l);
        };
      }
      if (name === 'then') return undefined;
      return async (req: unknown) => {
        calls.push({ method: name, req });
        const h = (handlers as Record<string, (r: unknown) => unknown>)[name];
        if (!h) throw { code: 'UNSUPPORTED', message: `fake engine: ${name} not scripted` };
        return await h(req);
      };
    },
  }) as unknown as EngineApi;
  return {
    api,
    calls,
    emit(name, ev) {
      for (const l of listeners.get(name) ?? []) l(ev);
    },
  };
}
