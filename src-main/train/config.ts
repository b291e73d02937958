// One typed training configuration (model + Langevin + buffer + loss + optimiser + validation) with a zod schema,
// defaults and the presets `tiny` (tests), `laptop` (minutes per epoch on a 2-core CPU) and `paper` (Table 3).
import { z } from 'zod';
import { MODEL_PRESETS, type EnergyConfig, type ModelPreset } from '../model/spec.ts';
import { UserError } from '../util/errors.ts';

const modelSchema = z.object({
  arch: z.enum(['transformer', 'deepsets']),
  particles: z.number().int().min(1).max(512),
  features: z.number().int().refine((v: number): boolean => v === 3, 'must be 3 (log pT, Δη, Δφ)'),
  layers: z.number().int().min(0).max(64),
  dModel: z.number().int().min(1),
  heads: z.number().int().min(1),
  ffDim: z.number().int().min(1),
  dropout: z.number().min(0).max(0.9),
  layerNorm: z.boolean(),
  phiHidden: z.array(z.number().int().min(1)),
  headHidden: z.array(z.number().int().min(1)),
  outputs: z.number().int().min(1),
});

export const trainConfigSchema = z
  .object({
    /** 'ebm': energy only; 'ebm-clf': classifier logits + energy −logsumexp (needs labelled data). */
    kind: z.enum(['ebm', 'ebm-clf']).default('ebm'),
    /** The preset this config started from (informational). */
    preset: z.enum(['tiny', 'laptop', 'paper', 'custom']).default('custom'),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    model: modelSchema,
    /** Principal-axis rotation in preprocessing. */
    rotate: z.boolean().default(true),
    epochs: z.number().int().min(1).default(50),
    /** Stop after this many optimiser steps in total (whatever the epochs), e.g. for smoke tests. */
    maxSteps: z.number().int().min(1).optional(),
    /** Use at most this many training jets (after the split); default all. */
    maxTrainJets: z.number().int().min(1).optional(),
    batchSize: z.number().int().min(1).default(128),
    split: z.object({ train: z.number().min(0), validation: z.number().min(0), test: z.number().min(0) }).default({ train: 0.7, validation: 0.1, test: 0.2 }),
    langevin: z
      .object({
        /** K: Langevin steps per training iteration (paper 24). */
        steps: z.number().int().min(1).default(24),
        /** λ in x ← x − λ∇ₓE(x) + σε (paper 0.1). */
        stepSize: z.number().positive().default(0.1),
        /** σ (paper 0.005). */
        noise: z.number().min(0).default(0.005),
        /** Clip each component of ∇ₓE to ±gradClip (null: off). */
        gradClip: z.number().positive().nullable().default(null),
        /** Clamp states to the standardised training data's range, widened by clampMargin (× the range width). */
        clampToDataRange: z.boolean().default(false),
        clampMargin: z.number().min(0).default(0.05),
      })
      .default({}),
    buffer: z
      .object({
        size: z.number().int().min(1).default(10_000),
        /** Fraction of each batch of negatives re-initialised from noise (paper 0.05). */
        reinitFraction: z.number().min(0).max(1).default(0.05),
      })
      .default({}),
    loss: z
      .object({
        /** α of the L2 energy regulariser (paper 0.1). */
        alpha: z.number().min(0).default(0.1),
        /** Langevin steps L_KL is differentiated through: 0 off, 1 last, K whole chain. Clamped to K. */
        klSteps: z.number().int().min(0).default(24),
        klWeight: z.number().min(0).default(1),
        /** EBM-CLF: weight of the cross-entropy term. */
        ceWeight: z.number().min(0).default(1),
        /** EBM-CLF: weight of the EBM loss (CD + KL + L2) on E(x) = −logsumexp g(x). */
        ebmWeight: z.number().min(0).default(1),
      })
      .default({}),
    optimizer: z
      .object({
        lr: z.number().positive().default(1e-4),
        /** Per-epoch learning-rate decay: lr · decay^(epoch − 1) (paper 0.98). */
        lrDecay: z.number().positive().max(1).default(0.98),
        beta1: z.number().min(0).max(0.999).default(0),
        beta2: z.number().min(0).max(0.99999).default(0.999),
        eps: z.number().positive().default(1e-8),
        /** Clip the parameter gradient to this global L2 norm (null: off). */
        gradClipNorm: z.number().positive().nullable().default(10),
      })
      .default({}),
    validation: z
      .object({
        /** Jets generated (and held-out jets compared) per validation. */
        jets: z.number().int().min(10).default(1000),
        /** Langevin steps from noise (paper 128). */
        steps: z.number().int().min(1).default(128),
        /** Step size at generation (paper 0.05). */
        stepSize: z.number().positive().default(0.05),
        noise: z.number().min(0).default(0.005),
        /** Validate every this many epochs (and always after the last). */
        every: z.number().int().min(1).default(1),
        /** Also validate the untrained model once at the start (the "before" number). */
        atStart: z.boolean().default(true),
        bins: z.number().int().min(2).default(40),
      })
      .default({}),
    divergence: z
      .object({
        /** |E| above this on any sample counts as divergence. */
        maxAbsEnergy: z.number().positive().default(1e4),
        /** Learning-rate factor applied on each rollback. */
        lrFactor: z.number().positive().max(1).default(0.5),
        maxRollbacks: z.number().int().min(0).default(5),
      })
      .default({}),
    checkpoint: z.object({ keep: z.number().int().min(1).default(3) }).default({}),
  })
  .strict();

export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
export type TrainPreset = ModelPreset;

/** Training settings per preset (the model comes from MODEL_PRESETS in spec.ts). */
const PRESET_TRAINING: Record<TrainPreset, Omit<TrainConfigInput, 'model' | 'kind'>> = {
  // Table 3 exactly: K=24, λ=0.1, σ=0.005, buffer 10k, 5% reinit, α=0.1, Adam(0, 0.999), lr 1e-4 × 0.98^epoch,
  // batch 128, 50 epochs; KL through the whole chain (§4: "back-propagate through all the Langevin steps").
  paper: {
    preset: 'paper',
    epochs: 50,
    batchSize: 128,
    langevin: { steps: 24, stepSize: 0.1, noise: 0.005 },
    buffer: { size: 10_000, reinitFraction: 0.05 },
    loss: { alpha: 0.1, klSteps: 24 },
    // no parameter-gradient clipping: Table 3 has none (the divergence watch still guards the run)
    optimizer: { lr: 1e-4, lrDecay: 0.98, beta1: 0, beta2: 0.999, gradClipNorm: null },
    validation: { jets: 1000, steps: 128, stepSize: 0.05 },
  },
  // Same sampler and loss as the paper on a smaller net; KL through the last 4 steps keeps a step affordable on CPU;
  // a higher learning rate because far fewer steps are taken.
  laptop: {
    preset: 'laptop',
    epochs: 10,
    batchSize: 128,
    // clamping keeps long validation chains from running off to huge ln pT where the young energy is unbounded
    // (measured: one epoch on the sample gave mean generated pT 4.7 TeV without it)
    langevin: { steps: 24, stepSize: 0.1, noise: 0.005, clampToDataRange: true },
    buffer: { size: 10_000, reinitFraction: 0.05 },
    loss: { alpha: 0.1, klSteps: 4 },
    optimizer: { lr: 3e-4, lrDecay: 0.98, beta1: 0, beta2: 0.999 },
    validation: { jets: 300, steps: 128, stepSize: 0.05 },
  },
  tiny: {
    preset: 'tiny',
    epochs: 2,
    batchSize: 32,
    langevin: { steps: 8, stepSize: 0.1, noise: 0.005 },
    buffer: { size: 512, reinitFraction: 0.05 },
    loss: { alpha: 0.1, klSteps: 2 },
    optimizer: { lr: 1e-3, lrDecay: 0.98, beta1: 0, beta2: 0.999 },
    validation: { jets: 200, steps: 32, stepSize: 0.05 },
  },
};

export const TRAIN_PRESETS: TrainPreset[] = ['tiny', 'laptop', 'paper'];

/** The full config of a preset for a model kind (EBM-CLF: `classes` logits). */
export function presetConfig(preset: TrainPreset, kind: 'ebm' | 'ebm-clf' = 'ebm', classes = 3): TrainConfig {
  const model: EnergyConfig = { ...MODEL_PRESETS[preset], outputs: kind === 'ebm-clf' ? classes : 1 };
  return trainConfigSchema.parse({ ...PRESET_TRAINING[preset], kind, model });
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type TrainConfigOverrides = DeepPartial<TrainConfig>;

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? merge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** A preset with overrides merged in (deep), validated; errors name the offending field. */
export function resolveTrainConfig(preset: TrainPreset, overrides: TrainConfigOverrides = {}, where = 'training config'): TrainConfig {
  const kind = overrides.kind ?? 'ebm';
  const base = presetConfig(preset, kind, overrides.model?.outputs ?? 3);
  return validateTrainConfig(merge(base as unknown as Record<string, unknown>, overrides as Record<string, unknown>), where);
}

export function validateTrainConfig(raw: unknown, where = 'training config'): TrainConfig {
  const r = trainConfigSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new UserError('BAD_INPUT', `${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
      where,
      hint: 'Fix that field (see `ebm-hep train --help` and docs/RUN_DIRECTORY.md for the config fields).',
    });
  }
  const c = r.data;
  if (c.model.arch === 'transformer' && c.model.dModel % c.model.heads !== 0) {
    throw new UserError('BAD_INPUT', `${where}: model.dModel ${c.model.dModel} is not divisible by model.heads ${c.model.heads}`, { where, hint: 'Choose heads dividing dModel.' });
  }
  if (c.kind === 'ebm' && c.model.outputs !== 1) throw new UserError('BAD_INPUT', `${where}: an 'ebm' has one output, got model.outputs = ${c.model.outputs}`, { where, hint: "Use kind 'ebm-clf' for class logits." });
  return c;
}
