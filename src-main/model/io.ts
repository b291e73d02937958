// Saves and loads a trained model directory: model.json (versioned metadata) + weights.bin (flat float32 LE).
// The format is documented in docs/MODEL_FORMAT.md; loading validates version, sizes and layout names.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { badFile } from '../util/errors.ts';
import { paramCount, paramLayout, type EnergyConfig } from './spec.ts';

export const MODEL_FORMAT = 'ebm-hep-model';
export const MODEL_FORMAT_VERSION = 1;

export type ModelKind = 'ebm' | 'ebm-clf';

/** Everything besides the weights that turning jets into model inputs and back needs. */
export interface ModelMeta {
  kind: ModelKind;
  config: EnergyConfig;
  /** EBM-CLF: the class of each logit, in order; EBM: absent. */
  classNames?: string[];
  /** Per-feature standardisation (log pT, Δη, Δφ) fitted on the training set's real particles. */
  standardizer: { mean: number[]; std: number[] };
  /** How jets were preprocessed (physics/preprocess.ts options). */
  preprocessing: { particles: number; rotate: boolean };
  /** Training-set jet counts per multiplicity 0..particles: generation draws particle counts from it. */
  multiplicityHistogram: number[];
  /** Per-feature min/max of the standardised training data (Langevin clamping uses it). */
  featureRange?: { min: number[]; max: number[] };
  /** Free-form provenance (run id, epoch, app version...). */
  provenance?: Record<string, unknown>;
}

const configSchema = z.object({
  arch: z.enum(['transformer', 'deepsets']),
  particles: z.number().int().positive(),
  features: z.number().int().positive(),
  layers: z.number().int().nonnegative(),
  dModel: z.number().int().positive(),
  heads: z.number().int().positive(),
  ffDim: z.number().int().positive(),
  dropout: z.number().min(0).max(0.99),
  layerNorm: z.boolean(),
  phiHidden: z.array(z.number().int().positive()),
  headHidden: z.array(z.number().int().positive()),
  outputs: z.number().int().positive(),
});

const modelJsonSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  formatVersion: z.number().int(),
  kind: z.enum(['ebm', 'ebm-clf']),
  config: configSchema,
  classNames: z.array(z.string()).optional(),
  standardizer: z.object({ mean: z.array(z.number()).length(3), std: z.array(z.number()).length(3) }),
  preprocessing: z.object({ particles: z.number().int().positive(), rotate: z.boolean() }),
  multiplicityHistogram: z.array(z.number().nonnegative()),
  featureRange: z.object({ min: z.array(z.number()), max: z.array(z.number()) }).optional(),
  provenance: z.record(z.unknown()).optional(),
  weights: z.object({
    file: z.string(),
    dtype: z.literal('float32'),
    byteOrder: z.literal('little'),
    count: z.number().int().nonnegative(),
    layout: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()) })),
  }),
  savedAt: z.string().optional(),
});

export type ModelJson = z.infer<typeof modelJsonSchema>;

/** Float32 little-endian bytes of a parameter vector. */
export function float32ToLE(a: Float32Array): Buffer {
  const buf = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) buf.writeFloatLE(a[i]!, i * 4);
  return buf;
}

export function float32FromLE(buf: Uint8Array): Float32Array {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Float32Array(b.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readFloatLE(i * 4);
  return out;
}

/** Writes dir/model.json and dir/weights.bin (each atomically via a temp file + rename). */
export function saveModel(dir: string, meta: ModelMeta, params: Float32Array): void {
  const n = paramCount(meta.config);
  if (params.length !== n) throw new Error(`saveModel: ${params.length} parameters given, the config needs ${n}`);
  if (meta.multiplicityHistogram.length !== meta.config.particles + 1) {
    throw new Error(`saveModel: multiplicity histogram has ${meta.multiplicityHistogram.length} bins, expected particles + 1 = ${meta.config.particles + 1}`);
  }
  mkdirSync(dir, { recursive: true });
  const json: ModelJson = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    kind: meta.kind,
    config: meta.config,
    ...(meta.classNames ? { classNames: meta.classNames } : {}),
    standardizer: meta.standardizer,
    preprocessing: meta.preprocessing,
    multiplicityHistogram: meta.multiplicityHistogram,
    ...(meta.featureRange ? { featureRange: meta.featureRange } : {}),
    ...(meta.provenance ? { provenance: meta.provenance } : {}),
    weights: {
      file: 'weights.bin',
      dtype: 'float32',
      byteOrder: 'little',
      count: n,
      layout: paramLayout(meta.config).map((s) => ({ name: s.name, shape: s.shape })),
    },
    savedAt: new Date().toISOString(),
  };
  writeAtomic(join(dir, 'weights.bin'), float32ToLE(params));
  writeAtomic(join(dir, 'model.json'), JSON.stringify(json, null, 2) + '\n');
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Reads and validates a model directory; errors name the file, the problem and the fix. */
export function loadModel(dir: string): { meta: ModelMeta; params: Float32Array; json: ModelJson } {
  const jsonPath = join(dir, 'model.json');
  if (!existsSync(jsonPath)) throw badFile(dir, 'no model.json here: not a model directory', 'Pass a run directory\'s model/ folder (or the run directory itself).');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch (err) {
    throw badFile(jsonPath, 'is not valid JSON', 'The file is damaged; re-export the model from its run.', err);
  }
  const fmt = (raw as { format?: unknown; formatVersion?: unknown }) ?? {};
  if (fmt.format !== MODEL_FORMAT) throw badFile(jsonPath, `format is ${JSON.stringify(fmt.format)}, expected "${MODEL_FORMAT}"`, 'This is not an ebm-hep model file.');
  if (typeof fmt.formatVersion === 'number' && fmt.formatVersion > MODEL_FORMAT_VERSION) {
    throw badFile(jsonPath, `format version ${fmt.formatVersion} is newer than this program understands (${MODEL_FORMAT_VERSION})`, 'Update ebm-hep.');
  }
  const parsed = modelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badFile(jsonPath, `invalid field ${issue.path.join('.') || '(root)'}: ${issue.message}`, 'The file is damaged or was edited by hand; re-export the model.');
  }
  const json = parsed.data;
  const config = json.config as EnergyConfig;
  let layout;
  try {
    layout = paramLayout(config);
  } catch (err) {
    throw badFile(jsonPath, `invalid model config: ${(err as Error).message}`, 'Fix the config in model.json.');
  }
  const n = paramCount(config);
  if (json.weights.count !== n) throw badFile(jsonPath, `declares ${json.weights.count} weights, its config needs ${n}`, 'The model files do not belong together.');
  if (json.weights.layout.length !== layout.length) throw badFile(jsonPath, `layout lists ${json.weights.layout.length} tensors, the config has ${layout.length}`, 'The model was saved by an incompatible version.');
  layout.forEach((s, i) => {
    const l = json.weights.layout[i]!;
    if (l.name !== s.name || l.shape.join('x') !== s.shape.join('x')) {
      throw badFile(jsonPath, `layout entry ${i} is ${l.name} [${l.shape.join(', ')}], expected ${s.name} [${s.shape.join(', ')}]`, 'The model was saved by an incompatible version.');
    }
  });
  if (json.multiplicityHistogram.length !== config.particles + 1) throw badFile(jsonPath, `multiplicity histogram has ${json.multiplicityHistogram.length} bins, expected ${config.particles + 1}`, 'The model file is damaged.');
  if (json.kind === 'ebm-clf' && json.classNames && json.classNames.length !== config.outputs) {
    throw badFile(jsonPath, `${json.classNames.length} class names for ${config.outputs} logits`, 'The model file is damaged.');
  }
  const wPath = join(dir, json.weights.file);
  if (!existsSync(wPath)) throw badFile(wPath, 'is missing', 'Copy the whole model directory (model.json and weights.bin).');
  const bytes = readFileSync(wPath);
  if (bytes.length !== 4 * n) throw badFile(wPath, `has ${bytes.length} bytes, expected ${4 * n} (${n} float32 weights)`, 'The weights file is truncated or belongs to another model.');
  const params = float32FromLE(bytes);
  const meta: ModelMeta = {
    kind: json.kind,
    config,
    ...(json.classNames ? { classNames: json.classNames } : {}),
    standardizer: json.standardizer,
    preprocessing: json.preprocessing,
    multiplicityHistogram: json.multiplicityHistogram,
    ...(json.featureRange ? { featureRange: json.featureRange } : {}),
    ...(json.provenance ? { provenance: json.provenance } : {}),
  };
  return { meta, params, json };
}
