// Job supervisor with a counting test task: one job at a time in order, events streamed, stop, task errors → failed,
// a worker that dies (SIGKILL or exit) → interrupted with the reason, and the next queued job still runs.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { JobSupervisor } from '../../src-main/jobs/supervisor.ts';

const TASK = fileURLToPath(new URL('./fixtures/count-task.ts', import.meta.url));
let sup: JobSupervisor | undefined;
afterEach(async () => {
  await sup?.shutdown();
});

describe('job supervisor', () => {
  it('runs queued jobs one at a time, streams events and returns results (typed arrays survive IPC)', async () => {
    sup = new JobSupervisor();
    const seen: string[] = [];
    const order: string[] = [];
    const a = sup.submit({ kind: 'train', label: 'a', module: TASK, payload: { steps: 3, delayMs: 5 }, handler: { onStart: () => order.push('a'), onEvent: (ev) => seen.push(`a${(ev as { step: number }).step}`) } });
    const b = sup.submit({ kind: 'train', label: 'b', module: TASK, payload: { steps: 2, delayMs: 5 }, handler: { onStart: () => order.push('b'), onEvent: (ev) => seen.push(`b${(ev as { step: number }).step}`) } });
    expect(sup.snapshot().queued.length + (sup.snapshot().running ? 1 : 0)).toBe(2);
    const [ra, rb] = await Promise.all([sup.wait(a.id), sup.wait(b.id)]);
    expect(ra.job.status).toBe('done');
    expect(rb.job.status).toBe('done');
    expect(order).toEqual(['a', 'b']);
    expect(seen).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect((ra.result as { values: Float32Array }).values).toBeInstanceOf(Float32Array);
    expect(sup.snapshot()).toEqual({ running: null, queued: [] });
  });

  it('stop makes the running task return early with status stopped; a queued job is removed', async () => {
    sup = new JobSupervisor();
    let steps = 0;
    const a = sup.submit({ kind: 'train', label: 'a', module: TASK, payload: { steps: 1000, delayMs: 10 }, handler: { onEvent: () => { steps++; if (steps === 2) sup!.stop(a.id); } } });
    const b = sup.submit({ kind: 'train', label: 'b', module: TASK, payload: { steps: 1, delayMs: 1 } });
    expect(sup.stop(b.id)).toBe(true);
    const ra = await sup.wait(a.id);
    expect(ra.job.status).toBe('stopped');
    expect((ra.result as { stoppedAt: number }).stoppedAt).toBeLessThan(10);
    expect((await sup.wait(b.id)).job.status).toBe('stopped');
  });

  it('stop reaches a task busy in a synchronous loop that never yields (stop file, not only IPC)', async () => {
    sup = new JobSupervisor();
    let steps = 0;
    const a = sup.submit({ kind: 'train', label: 'sync', module: TASK, payload: { steps: 400, delayMs: 10, sync: true }, handler: { onEvent: () => { steps++; if (steps === 1) sup!.stop(a.id); } } });
    const ra = await sup.wait(a.id);
    expect(ra.job.status).toBe('stopped');
    expect((ra.result as { stoppedAt: number }).stoppedAt).toBeLessThan(400);
  });

  it('a task error fails the job with its message; a crashed or killed worker interrupts it; the queue goes on', async () => {
    sup = new JobSupervisor();
    const failures: string[] = [];
    const h = { onFailure: (s: string, r: string) => failures.push(`${s}: ${r}`) };
    const t = sup.submit({ kind: 'train', label: 't', module: TASK, payload: { steps: 5, delayMs: 5, fail: 'throw' }, handler: h });
    const x = sup.submit({ kind: 'train', label: 'x', module: TASK, payload: { steps: 5, delayMs: 5, fail: 'exit' }, handler: h });
    const k = sup.submit({ kind: 'train', label: 'k', module: TASK, payload: { steps: 1000, delayMs: 10 }, handler: { ...h, onEvent: () => { const pid = sup!.runningPid(); if (pid) process.kill(pid, 'SIGKILL'); } } });
    const ok = sup.submit({ kind: 'train', label: 'ok', module: TASK, payload: { steps: 1, delayMs: 1 } });
    expect((await sup.wait(t.id)).job.status).toBe('failed');
    expect((await sup.wait(x.id)).job.status).toBe('interrupted');
    const rk = await sup.wait(k.id);
    expect(rk.job.status).toBe('interrupted');
    expect(rk.job.reason).toMatch(/SIGKILL/);
    expect((await sup.wait(ok.id)).job.status).toBe('done');
    expect(failures[0]).toMatch(/^failed: task failed on purpose/);
    expect(failures[1]).toMatch(/^interrupted: .*code 7/);
  });
});
