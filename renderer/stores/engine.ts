// The connection to the engine: holds the EngineApi client, engine info, the job queue and user-visible notices
// (every failed call becomes one notice with the engine's message and hint).
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ApiError, EngineApi, EngineInfo, JobQueueEvent } from '../../src-main/api/types.ts';
import { toApiError } from '../api.ts';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
  hint?: string;
}

export const useEngineStore = defineStore('engine', () => {
  const api = shallowRef<EngineApi | null>(null);
  const info = ref<EngineInfo | null>(null);
  const connectError = ref<ApiError | null>(null);
  const jobs = ref<JobQueueEvent>({ running: null, queued: [] });
  const notices = ref<Notice[]>([]);
  let nextId = 1;
  let unsubscribe: (() => void) | null = null;

  function notify(kind: Notice['kind'], message: string, hint?: string): void {
    const id = nextId++;
    notices.value.push({ id, kind, message, hint });
    if (notices.value.length > 5) notices.value.splice(0, notices.value.length - 5);
    // Confirmations fade after a few seconds; errors stay until dismissed.
    if (kind === 'info') setTimeout(() => dismiss(id), 6000);
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  function report(err: unknown): ApiError {
    const e = toApiError(err);
    notify('error', e.message, e.hint);
    return e;
  }

  async function connect(client: EngineApi | (() => Promise<EngineApi>)): Promise<boolean> {
    try {
      const c = typeof client === 'function' ? await client() : client;
      api.value = c;
      info.value = await c.getEngineInfo();
      jobs.value = await c.listJobs();
      unsubscribe?.();
      unsubscribe = c.onJobQueue((ev) => (jobs.value = ev));
      connectError.value = null;
      return true;
    } catch (err) {
      connectError.value = toApiError(err);
      return false;
    }
  }

  /** The client; throws when not connected (views only render once connected). */
  function client(): EngineApi {
    if (!api.value) throw { code: 'INTERNAL', message: 'Not connected to the engine yet.' } satisfies ApiError;
    return api.value;
  }

  /** Runs one engine call; a failure becomes a notice and resolves to undefined. */
  async function call<T>(fn: (api: EngineApi) => Promise<T>): Promise<T | undefined> {
    try {
      return await fn(client());
    } catch (err) {
      report(err);
      return undefined;
    }
  }

  return { api, info, connectError, jobs, notices, notify, dismiss, report, connect, client, call };
});
