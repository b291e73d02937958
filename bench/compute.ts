// Compute benchmark (issue 4): measured SGEMM peak; forward / Langevin step / training step (± KL through the last
// step) of the native CPU energy for tiny, laptop and paper at batch 128; generation and scoring throughput; with
// --peer, the PyTorch reference (../shared/peer/ref_ebm_bench.py) run alternately in the same run, and the ratio.
//
// Flags: --peer  --presets=tiny,laptop,paper  --reps=N (ours, default 3)  --peer-rounds=N (default 2)
//        --peer-reps=N (passed to the peer, default 1)  --wasm (also time tfjs-wasm on tiny/laptop)  --threads=N
//        --gen-jets=N (default 128)  --score-jets=N (default 4096)  --trainer (also time the trainer's real trainStep)
//        --no-extras (skip generation/scoring)  --peer-configs=tiny,small,paper  --peer-timeout-min=N (default 180)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createNativeEnergyNet, nativeAddon, nativeAvailable } from '../src-main/model/native.ts';
import { initParams, MODEL_PRESETS, paramCount, type EnergyConfig, type EnergyNet, type JetBatch } from '../src-main/model/spec.ts';
import { Rng } from '../src-main/util/rng.ts';

const B = 128;
const K = 24;
const LAMBDA = 0.1;
const SIGMA = 0.005;

function flag(args: string[], name: string): string | undefined {
  const a = args.find((s) => s === `--${name}` || s.startsWith(`--${name}=`));
  if (!a) return undefined;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : '';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Wall-clock seconds of fn: one warm-up call (unless warm = false), then the median of reps. */
function timeIt(fn: () => void, reps: number, warm = true): { s: number; all: number[] } {
  if (warm) fn();
  const all: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    all.push((performance.now() - t) / 1000);
  }
  return { s: median(all), all };
}

/** Forward FLOPs of a batch, counting each jet's real particles (what the native path computes). */
export function forwardFlops(c: EnergyConfig, mask: Uint8Array, size: number): number {
  let total = 0;
  const head = (nIn: number) => {
    let f = 0;
    let i = nIn;
    for (const w of c.headHidden) {
      f += 2 * i * w;
      i = w;
    }
    return f + 2 * i * c.outputs;
  };
  for (let b = 0; b < size; b++) {
    let n = 0;
    for (let i = 0; i < c.particles; i++) n += mask[b * c.particles + i]!;
    if (c.arch === 'transformer') {
      const d = c.dModel;
      const perLayer = 2 * n * d * 3 * d + 4 * n * n * d + 2 * n * d * d + 4 * n * d * c.ffDim;
      total += 2 * n * c.features * d + c.layers * perLayer + head(d);
    } else {
      let f = 0;
      let i = c.features;
      for (const w of c.phiHidden) {
        f += 2 * n * i * w;
        i = w;
      }
      total += f + head(i);
    }
  }
  return total;
}

/** The peer's batch: N(0,1) features, the first quarter of the jets with 30 real particles of 40. */
function peerBatch(c: EnergyConfig, size: number, seed: number): JetBatch {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(size * c.particles * c.features));
  const mask = new Uint8Array(size * c.particles).fill(1);
  for (let b = 0; b < size / 4; b++) mask.fill(0, b * c.particles + 30, (b + 1) * c.particles);
  for (let s = 0; s < mask.length; s++) if (!mask[s]) x.fill(0, s * c.features, (s + 1) * c.features);
  return { x, mask, size };
}

function langevinStep(net: EnergyNet, batch: JetBatch, ones: Float32Array, rng: Rng): void {
  const g = net.backward(batch, ones, { paramGrad: false, inputGrad: true }).gradX!;
  const { x, mask } = batch;
  const F = net.config.features;
  for (let i = 0; i < x.length; i++)
    x[i] = mask[(i / F) | 0] ? x[i]! - LAMBDA * g[i]! + SIGMA * rng.normal() : 0;
}

/** Adam(β1 = 0, β2 = 0.999) on the flat vector, as the trainer does. */
function adam(p: Float32Array, g: Float32Array, v: Float32Array, t: number, lr = 1e-4): void {
  const b2 = 0.999;
  const corr = 1 / (1 - b2 ** t);
  for (let i = 0; i < p.length; i++) {
    v[i] = b2 * v[i]! + (1 - b2) * g[i]! * g[i]!;
    p[i] = p[i]! - (lr * g[i]!) / (Math.sqrt(v[i]! * corr) + 1e-8);
  }
}

/**
 * One training step as Algorithm 1 with the peer's cost model: K Langevin steps from noise (energy + input-gradient),
 * energies of positives and negatives (forward), their parameter-gradient passes with the loss cotangents, Adam.
 * With kl: the last Langevin step's adjoint (one input-gradient at the chain end + the 2 param+input passes that the
 * finite-difference Hessian-vector product needs).
 */
function trainStep(net: EnergyNet, pos: JetBatch, state: { v: Float32Array; t: number; rng: Rng }, kl: boolean): void {
  const c = net.config;
  const neg = peerBatch(c, pos.size, state.rng.int(1 << 30));
  const ones = new Float32Array(pos.size).fill(1);
  for (let k = 0; k < K; k++) langevinStep(net, neg, ones, state.rng);
  const seed = state.rng.int(1 << 30);
  const ePos = net.forward(pos, { dropoutSeed: seed });
  const eNeg = net.forward(neg, { dropoutSeed: seed + 1 });
  const alpha = 0.1;
  const cPos = ePos.map((e) => (1 + 2 * alpha * e) / pos.size);
  const cNeg = eNeg.map((e) => (-1 + 2 * alpha * e) / pos.size);
  const gp = net.backward(pos, cPos, { paramGrad: true, inputGrad: false, dropoutSeed: seed }).gradParams!;
  const gn = net.backward(neg, cNeg, { paramGrad: true, inputGrad: false, dropoutSeed: seed + 1 }).gradParams!;
  for (let i = 0; i < gp.length; i++) gp[i] = gp[i]! + gn[i]!;
  if (kl) {
    const a = net.backward(neg, ones, { paramGrad: false, inputGrad: true }).gradX!;
    const eps = 1e-2;
    const xp = Float32Array.from(neg.x, (v, i) => v + eps * a[i]!);
    const xm = Float32Array.from(neg.x, (v, i) => v - eps * a[i]!);
    const up = net.backward({ ...neg, x: xp }, ones, { paramGrad: true, inputGrad: true });
    const dn = net.backward({ ...neg, x: xm }, ones, { paramGrad: true, inputGrad: true });
    const s = -LAMBDA / (2 * eps * pos.size);
    for (let i = 0; i < gp.length; i++) gp[i] = gp[i]! + s * (up.gradParams![i]! - dn.gradParams![i]!);
  }
  const p = net.getParams();
  adam(p, gp, state.v, ++state.t);
  net.setParams(p);
}

interface OpTimes {
  fwd_s: number;
  lang_s: number;
  step_s: number;
  stepkl_s: number;
}

function timeOps(net: EnergyNet, reps: number, stepReps: number, seed: number, warmSteps = true): OpTimes & Record<string, unknown> {
  const c = net.config;
  const pos = peerBatch(c, B, seed);
  const ones = new Float32Array(B).fill(1);
  const rng = new Rng(seed + 1);
  const fwd = timeIt(() => net.forward(pos), reps);
  const lang = timeIt(() => langevinStep(net, peerBatch(c, B, 7), ones, rng), reps);
  const state = { v: new Float32Array(net.paramCount), t: 0, rng };
  const params0 = net.getParams();
  const step = timeIt(() => trainStep(net, pos, state, false), stepReps, warmSteps);
  const stepkl = timeIt(() => trainStep(net, pos, state, true), stepReps, warmSteps);
  net.setParams(params0);
  const gf = forwardFlops(c, pos.mask, B) / 1e9;
  // FLOPs per op: Langevin = forward + input VJP (≈ 2×forward); a step = K·2 + 2 fwd + 2·3 (param VJP) fwd-equivalents
  const stepGf = gf * (2 * K + 2 + 2 * 3);
  const stepklGf = stepGf + gf * (2 + 2 * 3);
  return {
    fwd_s: fwd.s,
    lang_s: lang.s,
    step_s: step.s,
    stepkl_s: stepkl.s,
    fwd_gflop: round(gf, 3),
    fwd_gflops: round(gf / fwd.s, 2),
    lang_gflops: round((2 * gf) / lang.s, 2),
    step_gflops: round(stepGf / step.s, 2),
    stepkl_gflops: round(stepklGf / stepkl.s, 2),
    jets_per_s_fwd: round(B / fwd.s, 1),
    jets_per_s_lang: round(B / lang.s, 1),
    jets_per_s_train: round(B / step.s, 2),
    samples: { fwd: fwd.all, lang: lang.all, step: step.all, stepkl: stepkl.all },
  };
}

/** Seconds (median) of the trainer's real `trainStep` (src-main/train/trainer.ts) on synthetic jets, batch 128, K=24. */
async function timeTrainerStep(net: EnergyNet, preset: 'tiny' | 'laptop' | 'paper', klSteps: number, reps: number, warm = true): Promise<number> {
  const { resolveTrainConfig } = await import('../src-main/train/config.ts');
  const { syntheticTraining, trainStep, positiveBatch } = await import('../src-main/train/trainer.ts');
  const config = resolveTrainConfig(preset, {
    model: net.config,
    batchSize: B,
    langevin: { steps: K, stepSize: LAMBDA, noise: SIGMA },
    loss: { klSteps },
  });
  const params0 = net.getParams();
  const { ctx, st } = syntheticTraining(config, net);
  const t = timeIt(() => void trainStep(ctx, st, positiveBatch(ctx, st)), reps, warm);
  net.setParams(params0);
  return t.s;
}

function round(v: number, d: number): number {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}

function rssMiB(): number {
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

const PEER_CONFIGS: Record<string, Pick<EnergyConfig, 'layers' | 'dModel' | 'heads' | 'ffDim'>> = {
  tiny: { layers: 2, dModel: 32, heads: 4, ffDim: 64 },
  small: { layers: 4, dModel: 64, heads: 4, ffDim: 256 },
  paper: { layers: 8, dModel: 128, heads: 16, ffDim: 1024 },
};

/** Exactly the peer's network: no dropout, no LayerNorm, projector 500-500. */
function peerConfig(name: string): EnergyConfig {
  return { ...MODEL_PRESETS.paper, ...PEER_CONFIGS[name]!, dropout: 0, layerNorm: false, headHidden: [500, 500] };
}

function runPeer(name: string, reps: number, timeoutMin: number): Record<string, number> | { error: string } {
  const script = resolve(import.meta.dirname, '..', '..', 'shared', 'peer', 'ref_ebm_bench.py');
  const py = '/usr/bin/python3';
  if (!existsSync(script)) return { error: `peer script not found at ${script}` };
  const r = spawnSync(py, [script, name, '--reps', String(reps)], { encoding: 'utf8', timeout: timeoutMin * 60_000 });
  if (r.status !== 0) return { error: `peer failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}` };
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Record<string, number>;
}

async function tfjsWasmNet(c: EnergyConfig, params: Float32Array): Promise<EnergyNet | string> {
  try {
    const { createEnergyNet } = await import('../src-main/model/backend.ts');
    const made = await createEnergyNet(c, params, { backend: 'wasm' });
    if (made.backend !== 'tfjs-wasm') return `wasm unavailable (${made.fallbackReason ?? made.backend})`;
    return made.net;
  } catch (err) {
    return `wasm unavailable: ${(err as Error).message}`;
  }
}

export async function run(args: string[]): Promise<object> {
  const st = nativeAvailable();
  if (!st.ok) return { error: st.reason };
  const addon = nativeAddon();
  const threads = Number(flag(args, 'threads') ?? 0) || undefined;
  const reps = Number(flag(args, 'reps') ?? 3);
  const presets = (flag(args, 'presets') ?? 'tiny,laptop,paper').split(',').filter(Boolean) as (keyof typeof MODEL_PRESETS)[];
  const log = (m: string) => console.error(`[compute] ${m}`);
  const result: Record<string, unknown> = {
    machine: { cpus: addon.info().hardwareThreads, simd: addon.info().simd, threads: threads ?? 'all' },
    note: 'wall-clock medians on a shared 2-core machine (other jobs may run); FLOPs count real particles only',
  };

  // 1. measured SGEMM peak (both threads) and one thread
  const gemm = (n: number, t: number) => {
    const s = addon.sgemmSeconds(n, 7, t, 'auto');
    return round((2 * n ** 3) / median([...s]) / 1e9, 1);
  };
  const peak = Math.max(gemm(1536, threads ?? 0), gemm(2048, threads ?? 0));
  result.sgemm = { gflops_all_threads: peak, gflops_one_thread: gemm(1536, 1), gflops_generic_one_thread: round((2 * 512 ** 3) / median([...addon.sgemmSeconds(512, 3, 1, 'generic')]) / 1e9, 1) };
  log(`SGEMM peak ${peak} GFLOP/s`);

  // 2. presets at batch 128
  const presetsOut: Record<string, unknown> = {};
  for (const name of presets) {
    const c = MODEL_PRESETS[name];
    const net = createNativeEnergyNet(c, initParams(c, 1), { threads });
    const stepReps = name === 'paper' ? Math.max(1, Math.min(reps, 2)) : reps;
    const t = timeOps(net, reps, stepReps, 3);
    const trainer: Record<string, number> = {};
    if (flag(args, 'trainer') !== undefined) {
      trainer.trainer_step_s = await timeTrainerStep(net, name, 0, stepReps);
      trainer.trainer_stepkl1_s = await timeTrainerStep(net, name, 1, stepReps);
      log(`${name}: trainer step ${trainer.trainer_step_s.toFixed(2)} s, with KL(last step) ${trainer.trainer_stepkl1_s.toFixed(2)} s`);
    }
    presetsOut[name] = {
      ...t,
      ...trainer,
      params: paramCount(c),
      fwd_pct_peak: round((100 * (t.fwd_gflops as number)) / peak, 1),
      lang_pct_peak: round((100 * (t.lang_gflops as number)) / peak, 1),
      peak_rss_mib: rssMiB(),
    };
    log(`${name}: fwd ${t.fwd_s.toFixed(3)} s, lang ${t.lang_s.toFixed(3)} s, step ${t.step_s.toFixed(2)} s, step+KL ${t.stepkl_s.toFixed(2)} s`);
    net.dispose();
  }
  result.presets = presetsOut;

  // 3. generation (laptop, 200 Langevin steps) and scoring (forward, large batches)
  if (flag(args, 'no-extras') === undefined) {
    const c = MODEL_PRESETS.laptop;
    const net = createNativeEnergyNet(c, initParams(c, 1), { threads });
    const G = Number(flag(args, 'gen-jets') ?? 128);
    const batch = peerBatch(c, G, 5);
    const ones = new Float32Array(G).fill(1);
    const rng = new Rng(9);
    const steps = 200;
    const t0 = performance.now();
    for (let k = 0; k < steps; k++) langevinStep(net, batch, ones, rng);
    const genS = (performance.now() - t0) / 1000;
    const S = Number(flag(args, 'score-jets') ?? 4096);
    const big = peerBatch(c, S, 6);
    const score = timeIt(() => net.forward(big), 2);
    result.laptop_generation = { jets: G, steps, seconds: round(genS, 2), jets_per_s: round(G / genS, 1), target_jets_per_s: 2000 };
    result.laptop_scoring = { jets: S, seconds: round(score.s, 3), jets_per_s: round(S / score.s, 0), target_jets_per_s: 20000 };
    log(`laptop generation ${round(G / genS, 1)} jets/s (200 steps), scoring ${round(S / score.s, 0)} jets/s`);
    net.dispose();
  }

  // 4. tfjs-wasm on the same ops (tiny, laptop), when asked
  if (flag(args, 'wasm') !== undefined) {
    const out: Record<string, unknown> = {};
    for (const name of ['tiny', 'laptop'] as const) {
      const c = MODEL_PRESETS[name];
      const net = await tfjsWasmNet(c, initParams(c, 1));
      if (typeof net === 'string') {
        out[name] = { error: net };
        continue;
      }
      const pos = peerBatch(c, B, 3);
      const ones = new Float32Array(B).fill(1);
      const rng = new Rng(2);
      const fwd = timeIt(() => net.forward(pos), 2);
      const lang = timeIt(() => langevinStep(net, peerBatch(c, B, 7), ones, rng), 2);
      const state = { v: new Float32Array(net.paramCount), t: 0, rng };
      const step = name === 'tiny' ? timeIt(() => trainStep(net, pos, state, false), 1).s : null;
      const gf = forwardFlops(c, pos.mask, B) / 1e9;
      out[name] = { fwd_s: fwd.s, lang_s: lang.s, step_s: step, fwd_gflops: round(gf / fwd.s, 2), lang_gflops: round((2 * gf) / lang.s, 2) };
      log(`tfjs-wasm ${name}: fwd ${fwd.s.toFixed(3)} s, lang ${lang.s.toFixed(3)} s`);
      net.dispose();
    }
    result.tfjs_wasm = out;
  }

  // 5. side by side with PyTorch on exactly the peer's networks, alternating
  if (flag(args, 'peer') !== undefined) {
    const rounds = Number(flag(args, 'peer-rounds') ?? 2);
    const peerReps = Number(flag(args, 'peer-reps') ?? 1);
    const table: Record<string, unknown> = {};
    for (const name of (flag(args, 'peer-configs') ?? 'tiny,small,paper').split(',')) {
      const c = peerConfig(name);
      const ours: (OpTimes & Record<string, unknown>)[] = [];
      const peer: Record<string, number>[] = [];
      let peerError: string | undefined;
      for (let r = 0; r < rounds; r++) {
        const net = createNativeEnergyNet(c, initParams(c, 1), { threads });
        const t = timeOps(net, name === 'paper' ? 2 : reps, name === 'paper' ? 1 : 2, 3 + r, name !== 'paper');
        if (flag(args, 'trainer') !== undefined) {
          const big = name === 'paper';
          t.trainer_step_s = await timeTrainerStep(net, 'paper', 0, big ? 1 : 2, !big);
          t.trainer_stepkl_s = await timeTrainerStep(net, 'paper', 1, big ? 1 : 2, !big);
        }
        ours.push(t);
        net.dispose();
        log(`peer-config ${name} round ${r + 1}: ours step ${ours.at(-1)!.step_s.toFixed(2)} s`);
        const p = runPeer(name, peerReps, Number(flag(args, 'peer-timeout-min') ?? 180));
        if ('error' in p) {
          peerError = String(p.error);
          log(peerError);
          break;
        }
        peer.push(p);
        log(`peer-config ${name} round ${r + 1}: pytorch step ${p.step_s?.toFixed(2)} s`);
      }
      const med = (xs: number[]) => round(median(xs), 4);
      const row: Record<string, unknown> = { config: c };
      for (const k of ['fwd_s', 'lang_s', 'step_s', 'stepkl_s'] as const) {
        const o = med(ours.map((t) => t[k]));
        row[`ours_${k}`] = o;
        if (peer.length) {
          const p = med(peer.map((t) => t[k]!));
          row[`pytorch_${k}`] = p;
          row[`ratio_${k.replace(/_s$/, '')}`] = round(o / p, 3);
        }
      }
      for (const k of ['fwd_gflops', 'lang_gflops', 'step_gflops', 'stepkl_gflops'] as const) {
        const g = med(ours.map((t) => t[k] as number));
        row[`ours_${k}`] = g;
        if (k === 'fwd_gflops' || k === 'lang_gflops') row[`ours_${k.replace('gflops', 'pct_peak')}`] = round((100 * g) / peak, 1);
      }
      for (const k of ['trainer_step_s', 'trainer_stepkl_s'] as const) {
        const o = ours.map((t) => t[k]).filter((v): v is number => typeof v === 'number');
        if (!o.length) continue;
        row[`ours_${k}`] = med(o);
        const pk = k === 'trainer_step_s' ? 'step_s' : 'stepkl_s';
        if (peer.length) row[`ratio_${k.replace(/_s$/, '')}`] = round(med(o) / med(peer.map((t) => t[pk]!)), 3);
      }
      if (peerError) row.peer_error = peerError;
      if (peer.length) row.pytorch = peer[0]!.peer;
      table[name] = row;
    }
    result.peer = table;
  }
  result.peak_rss_mib = rssMiB();
  return result;
}
