// Messages between the job supervisor and its child-process worker, and the contract of a task module the worker runs.
import type { ApiError } from '../api/types.ts';

/** What a task sees while it runs inside the worker. */
export interface TaskContext {
  /** Stream an event to the supervisor (persisted and forwarded to subscribers there). */
  emit(event: unknown): void;
  /** True once the user asked to stop: finish the current step, checkpoint, and return. */
  shouldStop(): boolean;
}

/** A task module exports `run`; its result travels back with structured clone (typed arrays are fine). */
export interface TaskModule {
  run(payload: unknown, ctx: TaskContext): Promise<unknown>;
}

/** `stopFile`: a path the supervisor creates to ask for a stop — checked synchronously by shouldStop(), because a
 *  task busy in a synchronous compute loop never gets to process the 'stop' IPC message. */
export type ToWorker = { type: 'start'; module: string; payload: unknown; stopFile: string } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'event'; event: unknown }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: ApiError };
