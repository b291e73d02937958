// Algorithm 1, one optimiser step at a time: positives from the standardised training set, negatives from the
// replay buffer run through K Langevin steps, loss CD + α·L2 (+ L_KL through the chain, + CE for EBM-CLF), Adam.
// `trainStep` is callable on its own (bench/compute.ts times it); the epoch loop lives in run.ts.
// Dropout (paper preset 0.1) is active only in the CD/CE pass; Langevin sampling and L_KL's frozen energy run the
// deterministic network (as a sampler should), so the chain and its adjoint see one fixed energy function.
import type { JetBatch } from '../model/spec.ts';
import { Rng } from '../util/rng.ts';
import { adamInit, adamStep, clipGlobalNorm, learningRate, type AdamState } from './adam.ts';
import { ReplayBuffer } from './buffer.ts';
import type { TrainConfig } from './config.ts';
import { energyGrad, type EnergyModel } from './energy.ts';
import { klThroughChain } from './kl.ts';
import { langevin } from './langevin.ts';
import { crossEntropy, ebmLoss, negativeCotangent, positiveCotangent } from './loss.ts';

/** The standardised training set. */
export interface TrainData {
  x: Float32Array;
  mask: Uint8Array;
  size: number;
  /** EBM-CLF: class index per jet. */
  labels?: Int32Array;
}

export interface TrainContext {
  model: EnergyModel;
  config: TrainConfig;
  data: TrainData;
  /** Training multiplicity histogram (negatives' particle counts). */
  hist: Float64Array;
  /** Langevin clamp range (standardised), or null. */
  clamp: { min: number[]; max: number[] } | null;
  /** EBM-CLF: indices of the training jets of each class (balanced sampling). */
  classIndex?: Uint32Array[];
}

export interface TrainState {
  params: Float32Array;
  adam: AdamState;
  buffer: ReplayBuffer;
  rng: Rng;
  /** Current epoch, 1-based. */
  epoch: number;
  /** Steps already done in the current epoch. */
  stepInEpoch: number;
  globalStep: number;
  /** Learning-rate factor after divergence rollbacks (1 = none). */
  lrScale: number;
  /** This epoch's permutation of training jets (EBM positive batches). */
  perm: Uint32Array;
  rollbacks: number;
}

/** The loss terms of one step as logged and streamed. */
export interface LossTerms {
  loss: number;
  lossCD: number;
  lossKL: number;
  lossL2: number;
  lossCE?: number;
  accuracy?: number;
  ePos: number;
  eNeg: number;
}

export interface StepResult extends LossTerms {
  lr: number;
  gradNorm: number;
  /** Set when the step was rejected as divergent (parameters untouched). */
  divergence?: string;
  /** Backward-or-forward network passes used (for throughput accounting). */
  passes: number;
}

export function stepsPerEpoch(c: TrainConfig, nTrain: number): number {
  return Math.max(1, Math.floor(nTrain / c.batchSize));
}

/** A fresh state: seeded init parameters (set on the net by the caller), a noise buffer, epoch 1's permutation. */
export function initState(ctx: TrainContext, params: Float32Array, seed: number): TrainState {
  const rng = new Rng(seed ^ 0x5eed);
  const c = ctx.config;
  const buffer = ReplayBuffer.fresh(c.buffer.size, c.model.particles, c.model.features, ctx.hist, rng);
  return {
    params: Float32Array.from(params),
    adam: adamInit(params.length),
    buffer,
    rng,
    epoch: 1,
    stepInEpoch: 0,
    globalStep: 0,
    lrScale: 1,
    perm: rng.permutation(ctx.data.size),
    rollbacks: 0,
  };
}

/** Moves the state to the next epoch (new permutation). */
export function nextEpoch(ctx: TrainContext, st: TrainState): void {
  st.epoch += 1;
  st.stepInEpoch = 0;
  st.perm = st.rng.permutation(ctx.data.size);
}

/** Indices of jets per class 0..C−1. */
export function indexByClass(labels: Int32Array, C: number): Uint32Array[] {
  const lists: number[][] = Array.from({ length: C }, () => []);
  labels.forEach((y, i) => {
    if (y >= 0 && y < C) lists[y]!.push(i);
  });
  return lists.map((l) => Uint32Array.from(l));
}

/** The next positive batch: EBM — the epoch permutation's next slice; EBM-CLF — balanced classes, drawn uniformly. */
export function positiveBatch(ctx: TrainContext, st: TrainState): JetBatch & { labels?: Int32Array } {
  const B = ctx.config.batchSize;
  const d = ctx.data;
  const N = ctx.config.model.particles;
  const F = ctx.config.model.features;
  let idx: Uint32Array;
  if (ctx.config.kind === 'ebm-clf' && ctx.classIndex) {
    const nonEmpty = ctx.classIndex.filter((l) => l.length > 0);
    idx = new Uint32Array(B);
    for (let b = 0; b < B; b++) {
      const list = nonEmpty[b % nonEmpty.length]!;
      idx[b] = list[st.rng.int(list.length)]!;
    }
  } else {
    const start = (st.stepInEpoch * B) % Math.max(1, d.size - B + 1);
    idx = st.perm.subarray(start, start + B);
  }
  const n = idx.length;
  const x = new Float32Array(n * N * F);
  const mask = new Uint8Array(n * N);
  const labels = d.labels ? new Int32Array(n) : undefined;
  for (let b = 0; b < n; b++) {
    const i = idx[b]!;
    x.set(d.x.subarray(i * N * F, (i + 1) * N * F), b * N * F);
    mask.set(d.mask.subarray(i * N, (i + 1) * N), b * N);
    if (labels) labels[b] = d.labels![i]!;
  }
  return { x, mask, size: n, ...(labels ? { labels } : {}) };
}

function concatBatches(a: JetBatch, b: JetBatch): JetBatch {
  const x = new Float32Array(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  const mask = new Uint8Array(a.mask.length + b.mask.length);
  mask.set(a.mask);
  mask.set(b.mask, a.mask.length);
  return { x, mask, size: a.size + b.size };
}

export interface LossGradient extends LossTerms {
  /** ∇_θ of the full loss (before clipping), float64. */
  grad: Float64Array;
  /** The chain's end states x_K (to write back into the buffer). */
  xK: Float32Array;
  /** Energies of the [positives; negatives] pass. */
  energy: Float32Array;
  passes: number;
}

/**
 * The loss of Algorithm 1 and its parameter gradient, for given positives and chain starts x_0⁻ (with masks):
 * K Langevin steps with noise from `rng` (θ used, not updated), then CD + α·L2 (+ CE) as cotangents on ONE
 * [positives; negatives] pass (dropout from `dropoutSeed`), plus L_KL through the last klSteps steps.
 */
export function lossAndGradient(ctx: TrainContext, pos: JetBatch & { labels?: Int32Array }, negStart: { x: Float32Array; mask: Uint8Array }, rng: Rng, dropoutSeed?: number): LossGradient {
  const c = ctx.config;
  const m = ctx.model;
  const B = pos.size;
  const nNeg = negStart.mask.length / c.model.particles;
  const klSteps = Math.min(c.loss.klSteps, c.langevin.steps);
  let passes = 0;
  const chain = langevin(m, negStart.x, negStart.mask, nNeg, {
    steps: c.langevin.steps,
    stepSize: c.langevin.stepSize,
    noise: c.langevin.noise,
    gradClip: c.langevin.gradClip,
    clamp: ctx.clamp,
    keepChain: klSteps > 0,
    rng,
  });
  passes += c.langevin.steps;

  const clf = c.kind === 'ebm-clf';
  const ebmScale = clf ? c.loss.ebmWeight : 1;
  let terms = { lossCD: NaN, lossL2: NaN, ePos: NaN, eNeg: NaN };
  let ce: { loss: number; accuracy: number } | undefined;
  const both = concatBatches(pos, { x: chain.x, mask: negStart.mask, size: nNeg });
  const r = energyGrad(
    m,
    both,
    (E) => {
      const ePos = E.subarray(0, B);
      const eNeg = E.subarray(B);
      terms = ebmLoss(ePos, eNeg, c.loss.alpha);
      const w = new Float32Array(E.length);
      w.set(positiveCotangent(ePos, c.loss.alpha, ebmScale));
      w.set(negativeCotangent(eNeg, c.loss.alpha, ebmScale), B);
      return w;
    },
    {
      paramGrad: true,
      inputGrad: false,
      ...(dropoutSeed !== undefined ? { dropoutSeed } : {}),
      ...(clf
        ? {
            extraLogitCotangent: (logits: Float32Array) => {
              const C = c.model.outputs;
              if (!pos.labels) throw new Error('EBM-CLF training needs labelled positives');
              const res = crossEntropy(logits.subarray(0, B * C), pos.labels, C, c.loss.ceWeight);
              ce = { loss: res.loss, accuracy: res.accuracy };
              const d = new Float32Array(logits.length);
              d.set(res.dLogits);
              return d;
            },
          }
        : {}),
    },
  );
  passes += 2;
  const grad = Float64Array.from(r.gradParams!);

  let lossKL = 0;
  if (klSteps > 0 && c.loss.klWeight > 0) {
    const kl = klThroughChain(m, chain.chain!, negStart.mask, nNeg, { stepSize: c.langevin.stepSize, klSteps, weight: c.loss.klWeight * ebmScale });
    lossKL = kl.lossKL;
    passes += kl.passes;
    if (kl.gradParams) for (let i = 0; i < grad.length; i++) grad[i]! += kl.gradParams[i]!;
  }
  const lossCE = ce?.loss;
  const loss = ebmScale * (terms.lossCD + terms.lossL2 + c.loss.klWeight * lossKL) + (lossCE !== undefined ? c.loss.ceWeight * lossCE : 0);
  return {
    grad,
    xK: chain.x,
    energy: r.energy,
    loss,
    lossCD: terms.lossCD,
    lossKL,
    lossL2: terms.lossL2,
    ...(lossCE !== undefined ? { lossCE, accuracy: ce!.accuracy } : {}),
    ePos: terms.ePos,
    eNeg: terms.eNeg,
    passes,
  };
}

/**
 * One optimiser step of Algorithm 1. Mutates the state (buffer, RNG, and — unless divergent — parameters, Adam,
 * step counters) and the net's parameters. Returns the loss terms; `divergence` is set (and no update applied) when
 * losses/energies are non-finite or |E| exceeds the configured bound.
 */
export function trainStep(ctx: TrainContext, st: TrainState, pos: JetBatch & { labels?: Int32Array }): StepResult {
  const c = ctx.config;
  const lr = learningRate(c.optimizer.lr, c.optimizer.lrDecay, st.epoch, st.lrScale);
  const neg = st.buffer.sample(pos.size, c.buffer.reinitFraction, st.rng);
  const dropoutSeed = st.rng.nextU32();
  const g = lossAndGradient(ctx, pos, neg, st.rng, c.model.dropout > 0 ? dropoutSeed : undefined);
  st.buffer.write(neg.idx, g.xK);
  let maxAbsE = 0;
  let finiteE = true;
  for (let i = 0; i < g.energy.length; i++) {
    const e = g.energy[i]!;
    if (!Number.isFinite(e)) finiteE = false;
    else maxAbsE = Math.max(maxAbsE, Math.abs(e));
  }
  const gradNorm = clipGlobalNorm(g.grad, c.optimizer.gradClipNorm);
  const result: StepResult = {
    loss: g.loss,
    lossCD: g.lossCD,
    lossKL: g.lossKL,
    lossL2: g.lossL2,
    ...(g.lossCE !== undefined ? { lossCE: g.lossCE, accuracy: g.accuracy! } : {}),
    ePos: g.ePos,
    eNeg: g.eNeg,
    lr,
    gradNorm,
    passes: g.passes,
  };
  let divergence: string | undefined;
  if (!finiteE) divergence = 'non-finite energies';
  else if (!Number.isFinite(g.loss)) divergence = 'non-finite loss';
  else if (!Number.isFinite(gradNorm)) divergence = 'non-finite parameter gradient';
  else if (maxAbsE > c.divergence.maxAbsEnergy) divergence = `|E| = ${maxAbsE.toExponential(2)} exceeds ${c.divergence.maxAbsEnergy}`;
  if (divergence) return { ...result, divergence };
  adamStep(st.params, g.grad, st.adam, lr, c.optimizer);
  ctx.model.net.setParams(st.params);
  st.stepInEpoch += 1;
  st.globalStep += 1;
  return result;
}

/**
 * A self-contained training context on synthetic standardised jets (N(0,1) features, multiplicities uniform in
 * [N/2, N]) for benchmarks: `const { ctx, st } = syntheticTraining(config, net); trainStep(ctx, st, positiveBatch(ctx, st))`.
 */
export function syntheticTraining(config: TrainConfig, net: EnergyModel['net'], nJets = Math.max(2 * config.batchSize, 256), seed = 1): { ctx: TrainContext; st: TrainState } {
  const N = config.model.particles;
  const F = config.model.features;
  const rng = new Rng(seed);
  const x = new Float32Array(nJets * N * F);
  const mask = new Uint8Array(nJets * N);
  const hist = new Float64Array(N + 1);
  for (let j = 0; j < nJets; j++) {
    const n = Math.ceil(N / 2) + rng.int(N - Math.ceil(N / 2) + 1);
    hist[n]! += 1;
    for (let k = 0; k < n; k++) {
      mask[j * N + k] = 1;
      for (let f = 0; f < F; f++) x[(j * N + k) * F + f] = rng.normal();
    }
  }
  const labels = config.kind === 'ebm-clf' ? Int32Array.from({ length: nJets }, (_, j) => j % config.model.outputs) : undefined;
  const ctx: TrainContext = {
    model: { net, kind: config.kind },
    config,
    data: { x, mask, size: nJets, ...(labels ? { labels } : {}) },
    hist,
    clamp: null,
    ...(labels ? { classIndex: indexByClass(labels, config.model.outputs) } : {}),
  };
  return { ctx, st: initState(ctx, net.getParams(), seed) };
}
