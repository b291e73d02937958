// Checkpoints of a training run (docs/RUN_DIRECTORY.md): weights, Adam moments, replay buffer, RNG state, the
// epoch's permutation and counters — everything needed for resume to continue exactly. Written atomically.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { float32FromLE, float32ToLE } from '../model/io.ts';
import { Rng, type RngState } from '../util/rng.ts';
import { badFile } from '../util/errors.ts';
import { ReplayBuffer } from './buffer.ts';
import type { TrainState } from './trainer.ts';

interface StateJson {
  epoch: number;
  stepInEpoch: number;
  globalStep: number;
  lrScale: number;
  rollbacks: number;
  rng: RngState;
  adam: { t: number };
  buffer: { capacity: number };
  paramCount: number;
  particles: number;
}

function u32ToLE(a: Uint32Array): Buffer {
  const b = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) b.writeUInt32LE(a[i]!, i * 4);
  return b;
}

function u32FromLE(buf: Buffer): Uint32Array {
  const out = new Uint32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readUInt32LE(i * 4);
  return out;
}

/** 'epoch-0003' = after 3 complete epochs (the state at the start of epoch 4); 'epoch-0004-step-00010' = 10 steps
 *  into epoch 4 (a stop mid-epoch). */
export function checkpointName(epoch: number, stepInEpoch: number): string {
  return stepInEpoch > 0 ? `epoch-${String(epoch).padStart(4, '0')}-step-${String(stepInEpoch).padStart(5, '0')}` : `epoch-${String(epoch - 1).padStart(4, '0')}`;
}

function globalStepOf(dir: string): number {
  try {
    return (JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as StateJson).globalStep;
  } catch {
    return -1;
  }
}

/** Writes the state to checkpointsDir/<name>/ and points checkpoints/latest.json at it; keeps the newest `keep`. */
export function saveCheckpoint(checkpointsDir: string, st: TrainState, keep: number): string {
  const name = checkpointName(st.epoch, st.stepInEpoch);
  const tmp = join(checkpointsDir, `.${name}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const json: StateJson = {
    epoch: st.epoch,
    stepInEpoch: st.stepInEpoch,
    globalStep: st.globalStep,
    lrScale: st.lrScale,
    rollbacks: st.rollbacks,
    rng: st.rng.getState(),
    adam: { t: st.adam.t },
    buffer: { capacity: st.buffer.capacity },
    paramCount: st.params.length,
    particles: st.buffer.particles,
  };
  writeFileSync(join(tmp, 'params.bin'), float32ToLE(st.params));
  writeFileSync(join(tmp, 'adam-m.bin'), float32ToLE(st.adam.m));
  writeFileSync(join(tmp, 'adam-v.bin'), float32ToLE(st.adam.v));
  writeFileSync(join(tmp, 'buffer-x.bin'), float32ToLE(st.buffer.x));
  writeFileSync(join(tmp, 'buffer-mask.bin'), st.buffer.mask);
  writeFileSync(join(tmp, 'perm.bin'), u32ToLE(st.perm));
  writeFileSync(join(tmp, 'state.json'), JSON.stringify(json, null, 2) + '\n');
  const final = join(checkpointsDir, name);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  const latest = join(checkpointsDir, 'latest.json');
  writeFileSync(`${latest}.tmp`, JSON.stringify({ dir: name, epoch: st.epoch, stepInEpoch: st.stepInEpoch, globalStep: st.globalStep }) + '\n');
  renameSync(`${latest}.tmp`, latest);
  const all = readdirSync(checkpointsDir)
    .filter((d) => d.startsWith('epoch-'))
    .map((d) => ({ d, g: globalStepOf(join(checkpointsDir, d)) }))
    .sort((a, b) => a.g - b.g || a.d.localeCompare(b.d))
    .map((e) => e.d);
  for (const old of all.slice(0, Math.max(0, all.length - keep))) if (old !== name) rmSync(join(checkpointsDir, old), { recursive: true, force: true });
  return name;
}

/** The name of the latest checkpoint, or null. */
export function latestCheckpoint(checkpointsDir: string): string | null {
  const latest = join(checkpointsDir, 'latest.json');
  if (!existsSync(latest)) return null;
  const { dir } = JSON.parse(readFileSync(latest, 'utf8')) as { dir: string };
  return existsSync(join(checkpointsDir, dir, 'state.json')) ? dir : null;
}

/** Restores a state; the replay buffer gets the training multiplicity histogram `hist`. */
export function loadCheckpoint(dir: string, hist: ArrayLike<number>, features: number): TrainState {
  const stPath = join(dir, 'state.json');
  if (!existsSync(stPath)) throw badFile(dir, 'is not a checkpoint (no state.json)', 'Resume from a run directory whose checkpoints/latest.json points at a complete checkpoint.');
  const j = JSON.parse(readFileSync(stPath, 'utf8')) as StateJson;
  const read = (f: string) => readFileSync(join(dir, f));
  const params = float32FromLE(read('params.bin'));
  if (params.length !== j.paramCount) throw badFile(join(dir, 'params.bin'), `has ${params.length} parameters, state.json says ${j.paramCount}`, 'The checkpoint is damaged; resume from an earlier one.');
  const m = float32FromLE(read('adam-m.bin'));
  const v = float32FromLE(read('adam-v.bin'));
  const bx = float32FromLE(read('buffer-x.bin'));
  const bm = new Uint8Array(read('buffer-mask.bin'));
  const buffer = ReplayBuffer.restore(j.particles, features, hist, bx, bm);
  return {
    params,
    adam: { m, v, t: j.adam.t },
    buffer,
    rng: new Rng(j.rng),
    epoch: j.epoch,
    stepInEpoch: j.stepInEpoch,
    globalStep: j.globalStep,
    lrScale: j.lrScale,
    perm: u32FromLE(read('perm.bin')),
    rollbacks: j.rollbacks,
  };
}

/** A deep copy of a state (in-memory rollback point). */
export function cloneState(st: TrainState): TrainState {
  return {
    params: Float32Array.from(st.params),
    adam: { m: Float32Array.from(st.adam.m), v: Float32Array.from(st.adam.v), t: st.adam.t },
    buffer: ReplayBuffer.restore(st.buffer.particles, st.buffer.features, st.buffer.hist, Float32Array.from(st.buffer.x), Uint8Array.from(st.buffer.mask)),
    rng: new Rng(st.rng.getState()),
    epoch: st.epoch,
    stepInEpoch: st.stepInEpoch,
    globalStep: st.globalStep,
    lrScale: st.lrScale,
    perm: Uint32Array.from(st.perm),
    rollbacks: st.rollbacks,
  };
}
