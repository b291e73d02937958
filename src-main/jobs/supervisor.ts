// The job supervisor: one compute job at a time in a forked child process, others queued; streams the worker's events
// to a handler (which persists them) and to subscribers; stop asks the worker to finish its step and checkpoint; a
// worker that dies (SIGKILL, OOM, native crash) fails only its job, reported with the reason.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiError, JobInfo, JobKind, JobQueueEvent } from '../api/types.ts';
import { newId, nowIso } from '../store/store.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

/** How the owner of a job learns what happened; called in the supervisor's process. */
export interface JobHandler {
  /** The job leaves the queue and its worker starts. */
  onStart?(): void;
  /** An event streamed by the task. */
  onEvent?(event: unknown): void;
  /** The task returned; what it returns is the job's final status ('done' or 'stopped'). */
  onResult?(result: unknown): 'done' | 'stopped' | void;
  /** The task threw (status 'failed') or its worker died (status 'interrupted'), or it was cancelled while queued. */
  onFailure?(status: 'failed' | 'interrupted' | 'stopped', reason: string, error?: ApiError): void;
}

export interface JobSpec {
  kind: JobKind;
  label: string;
  runId?: string;
  /** Absolute path (or file URL) of the task module the worker imports. */
  module: string;
  payload: unknown;
  handler?: JobHandler;
}

export interface JobOutcome {
  job: JobInfo;
  result?: unknown;
  error?: ApiError;
}

interface Entry {
  info: JobInfo;
  stopFile: string;
  spec: JobSpec;
  child?: ChildProcess;
  result?: { value: unknown };
  error?: ApiError;
  stopRequested: boolean;
  done: Promise<JobOutcome>;
  resolve(o: JobOutcome): void;
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** Running from .ts sources: the worker needs tsx to load TypeScript. */
const RUNNING_FROM_TS = import.meta.url.endsWith('.ts');

export interface SupervisorOptions {
  /** Node flags for the worker (default: `--import tsx` when running from sources). */
  execArgv?: string[];
  /** Extra environment for workers (e.g. thread counts). */
  env?: NodeJS.ProcessEnv;
  /** Finished jobs kept for listJobs (default 50). */
  keepFinished?: number;
}

export class JobSupervisor {
  private queue: Entry[] = [];
  private running: Entry | null = null;
  private finished: Entry[] = [];
  private readonly events = new EventEmitter();
  private closed = false;
  private shutdownReason = '';
  /** Stop files live in a private (0700, unguessable) directory: no other user can stop or fake-stop a job. */
  private stopDir: string | null = null;

  constructor(private readonly opts: SupervisorOptions = {}) {
    this.events.setMaxListeners(0);
  }

  /** Queues a job; it starts when the worker slot is free. */
  submit(spec: JobSpec): JobInfo {
    if (this.closed) throw new Error('job supervisor is shut down');
    let resolve!: (o: JobOutcome) => void;
    const done = new Promise<JobOutcome>((r) => (resolve = r));
    const info: JobInfo = { id: newId('job'), kind: spec.kind, status: 'queued', label: spec.label, queuedAt: nowIso() };
    if (spec.runId) info.runId = spec.runId;
    const entry: Entry = { info, spec, stopFile: join((this.stopDir ??= mkdtempSync(join(tmpdir(), 'ebm-hep-jobs-'))), `stop-${info.id}`), stopRequested: false, done, resolve };
    this.queue.push(entry);
    this.emitQueue();
    queueMicrotask(() => this.pump());
    return { ...info };
  }

  /** Resolves when the job has finished (any final status). */
  wait(jobId: string): Promise<JobOutcome> {
    const e = this.find(jobId);
    if (!e) return Promise.reject(new Error(`no job ${jobId}`));
    return e.done;
  }

  /** The active (running or queued) job of a run, if any. */
  activeJobOfRun(runId: string, kind?: JobKind): JobInfo | undefined {
    const all = [...(this.running ? [this.running] : []), ...this.queue];
    const e = all.find((x) => x.info.runId === runId && (!kind || x.info.kind === kind));
    return e ? { ...e.info } : undefined;
  }

  /** Stop: a running job finishes its step and checkpoints; a queued one is removed. False when nothing to stop. */
  stop(jobId: string): boolean {
    const q = this.queue.findIndex((x) => x.info.id === jobId);
    if (q >= 0) {
      const [e] = this.queue.splice(q, 1);
      this.finish(e!, 'stopped', 'stopped before it started');
      e!.spec.handler?.onFailure?.('stopped', 'stopped before it started');
      this.emitQueue();
      return true;
    }
    if (this.running?.info.id === jobId && this.running.child) {
      this.running.stopRequested = true;
      try {
        writeFileSync(this.running.stopFile, 'stop\n');
      } catch {
        // the IPC message below still reaches a task that yields to the event loop
      }
      this.send(this.running.child, { type: 'stop' });
      return true;
    }
    return false;
  }

  /** The worker's process id of the running job (tests use it to SIGKILL the worker). */
  runningPid(): number | undefined {
    return this.running?.child?.pid;
  }

  snapshot(): JobQueueEvent {
    return { running: this.running ? { ...this.running.info } : null, queued: this.queue.map((e) => ({ ...e.info })) };
  }

  recent(): JobInfo[] {
    return this.finished.map((e) => ({ ...e.info }));
  }

  onQueue(listener: (ev: JobQueueEvent) => void): () => void {
    this.events.on('queue', listener);
    return () => this.events.off('queue', listener);
  }

  /** Kills the running worker and fails queued jobs as interrupted (engine shutdown). */
  async shutdown(reason = 'the engine shut down'): Promise<void> {
    this.closed = true;
    this.shutdownReason = reason;
    for (const e of this.queue.splice(0)) {
      this.finish(e, 'interrupted', reason);
      e.spec.handler?.onFailure?.('interrupted', reason);
    }
    const r = this.running;
    if (r?.child && r.child.exitCode === null) {
      r.stopRequested = true;
      r.child.kill('SIGKILL');
      await r.done;
    }
    if (this.stopDir) rmSync(this.stopDir, { recursive: true, force: true });
  }

  private find(jobId: string): Entry | undefined {
    if (this.running?.info.id === jobId) return this.running;
    return this.queue.find((e) => e.info.id === jobId) ?? this.finished.find((e) => e.info.id === jobId);
  }

  private send(child: ChildProcess, msg: ToWorker): void {
    if (child.connected) child.send(msg);
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const e = this.queue.shift()!;
    this.running = e;
    e.info.status = 'running';
    e.info.startedAt = nowIso();
    try {
      e.spec.handler?.onStart?.();
    } catch (err) {
      this.running = null;
      const reason = err instanceof Error ? err.message : String(err);
      this.finish(e, 'failed', reason);
      e.spec.handler?.onFailure?.('failed', reason);
      this.emitQueue();
      this.pump();
      return;
    }
    const execArgv = this.opts.execArgv ?? (RUNNING_FROM_TS ? ['--import', 'tsx'] : []);
    const child = fork(WORKER, [], {
      execArgv,
      env: { ...process.env, ...this.opts.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    e.child = child;
    child.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') this.send(child, { type: 'start', module: e.spec.module, payload: e.spec.payload, stopFile: e.stopFile });
      else if (msg.type === 'event') this.safely(() => e.spec.handler?.onEvent?.(msg.event));
      else if (msg.type === 'result') e.result = { value: msg.result };
      else if (msg.type === 'error') e.error = msg.error;
    });
    child.on('error', (err) => {
      e.error ??= { code: 'INTERNAL', message: `job worker failed: ${err.message}` };
    });
    child.on('exit', (code, signal) => this.onExit(e, code, signal));
    this.emitQueue();
  }

  private onExit(e: Entry, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.running !== e) return;
    this.running = null;
    rmSync(e.stopFile, { force: true });
    if (e.result) {
      let status: 'done' | 'stopped' = e.stopRequested ? 'stopped' : 'done';
      this.safely(() => {
        const s = e.spec.handler?.onResult?.(e.result!.value);
        if (s) status = s;
      });
      this.finish(e, status, undefined, e.result.value);
    } else if (e.error) {
      const reason = e.error.message;
      this.finish(e, 'failed', reason, undefined, e.error);
      this.safely(() => e.spec.handler?.onFailure?.('failed', reason, e.error));
    } else {
      const reason = this.shutdownReason
        ? `${this.shutdownReason} while the job was running (resume continues from the last checkpoint)`
        : signal
        ? `the worker process was killed by ${signal}${signal === 'SIGKILL' ? ' (out of memory, or killed by the user or system)' : ''}`
        : `the worker process exited unexpectedly with code ${code} (native crash?)`;
      this.finish(e, 'interrupted', reason);
      this.safely(() => e.spec.handler?.onFailure?.('interrupted', reason));
    }
    this.emitQueue();
    this.pump();
  }

  private finish(e: Entry, status: JobInfo['status'], reason?: string, result?: unknown, error?: ApiError): void {
    e.info.status = status;
    e.info.finishedAt = nowIso();
    if (reason) e.info.reason = reason;
    this.finished.push(e);
    const keep = this.opts.keepFinished ?? 50;
    if (this.finished.length > keep) this.finished.splice(0, this.finished.length - keep);
    const out: JobOutcome = { job: { ...e.info } };
    if (result !== undefined) out.result = result;
    if (error) out.error = error;
    e.resolve(out);
  }

  /** Set the result id shown in JobInfo (e.g. the evaluation id), from a handler. */
  setResultId(jobId: string, resultId: string): void {
    const e = this.find(jobId);
    if (e) e.info.resultId = resultId;
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      // A handler bug must not take the supervisor down; it is reported on stderr.
      process.stderr.write(`ebm-hep jobs: handler error: ${(err as Error).stack ?? err}\n`);
    }
  }

  private emitQueue(): void {
    this.events.emit('queue', this.snapshot());
  }
}
