// Request schemas (zod) for every EngineApi method: the boundary check both transports and the in-process engine run
// before any work, so a malformed request becomes a BAD_INPUT ApiError naming the field.
import { z } from 'zod';
import type { EngineMethod } from './types.ts';

const id = z.string().min(1).max(200);
const runRef = z.object({ runId: id }).strict();
const scoreKind = z.enum(['energy', 'pBackground']).optional();
const bins = z.number().int().min(1).max(1000).optional();
const evalRef = z.object({ evaluationId: id, score: scoreKind }).strict();
const runStatus = z.enum(['created', 'queued', 'running', 'done', 'failed', 'interrupted', 'stopped']);
const runKind = z.enum(['ebm', 'ebm-clf']);
const finite = z.number().finite();
const series = z.object({ name: z.string(), x: z.array(z.number().nullable().transform((v) => (v == null ? NaN : v))), y: z.array(z.number().nullable().transform((v) => (v == null ? NaN : v))) });
const metricReq = z
  .object({
    runIds: z.array(id).min(1).max(50),
    names: z.array(z.string().min(1)).optional(),
    per: z.enum(['step', 'epoch']).optional(),
    maxPoints: z.number().int().min(2).max(100_000).optional(),
  })
  .strict();
const none = z.undefined().or(z.null()).or(z.object({}).strict());

export const REQUEST_SCHEMAS: Record<EngineMethod, z.ZodTypeAny> = {
  getEngineInfo: none,
  listJobs: none,
  importDataset: z
    .object({
      path: z.string().min(1),
      name: z.string().min(1).max(200).optional(),
      label: z.string().min(1).max(100).optional(),
      maxJets: z.number().int().positive().optional(),
      requestId: z.string().max(200).optional(),
    })
    .strict(),
  listDatasets: none,
  inspectDataset: z.object({ datasetId: id, bins }).strict(),
  deleteDataset: z.object({ datasetId: id }).strict(),
  ensureSampleDatasets: none,
  listPresets: none,
  createRun: z
    .object({
      name: z.string().min(1).max(200).optional(),
      kind: runKind,
      preset: z.string().min(1),
      overrides: z.record(z.string(), z.unknown()).optional(),
      data: z.array(z.object({ datasetId: id, label: z.string().min(1).optional() }).strict()).min(1),
      seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
      tags: z.array(z.string().min(1).max(100)).optional(),
      notes: z.string().max(100_000).optional(),
      start: z.boolean().optional(),
    })
    .strict(),
  startRun: runRef,
  stopRun: runRef,
  resumeRun: runRef,
  listRuns: z
    .object({
      status: z.array(runStatus).optional(),
      kind: runKind.optional(),
      tags: z.array(z.string()).optional(),
      search: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
      offset: z.number().int().min(0).optional(),
    })
    .strict()
    .optional()
    .or(z.null()),
  getRun: runRef,
  renameRun: z.object({ runId: id, name: z.string().trim().min(1).max(200) }).strict(),
  tagRun: z.object({ runId: id, tags: z.array(z.string().trim().min(1).max(100)).max(100) }).strict(),
  noteRun: z.object({ runId: id, notes: z.string().max(100_000) }).strict(),
  deleteRun: runRef,
  compareRuns: z.object({ runIds: z.array(id).min(1).max(20) }).strict(),
  getMetricSeries: metricReq,
  generateSamples: z
    .object({
      runId: id,
      nJets: z.number().int().min(1).max(1_000_000),
      steps: z.number().int().min(1).max(100_000).optional(),
      stepSize: z.number().positive().optional(),
      seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
      wait: z.boolean().optional(),
    })
    .strict(),
  getGenerationHistograms: z.object({ runId: id, sampleId: id.optional(), datasetId: id.optional(), bins }).strict(),
  evaluateRun: z
    .object({
      runId: id,
      background: z.object({ datasetId: id, label: z.string().optional() }).strict(),
      signals: z.array(z.object({ datasetId: id, label: z.string().optional(), name: z.string().min(1).optional() }).strict()).min(1).max(20),
      maxJets: z.number().int().positive().optional(),
      split: z.enum(['test', 'all']).optional(),
      noiseJets: z.number().int().min(0).max(1_000_000).optional(),
      wait: z.boolean().optional(),
    })
    .strict(),
  getRoc: evalRef,
  getEnergyHistograms: z.object({ evaluationId: id, score: scoreKind, bins }).strict(),
  getSculpting: z.object({ evaluationId: id, score: scoreKind, acceptanceRates: z.array(z.number().gt(0).lte(1)).min(1).max(20).optional() }).strict(),
  cutAtEnergy: z.object({ evaluationId: id, score: scoreKind, threshold: finite }).strict(),
  getScoreMassCorrelation: z.object({ evaluationId: id, score: scoreKind, bins }).strict(),
  exportSeriesCsv: z
    .object({ series: z.array(series).optional(), metrics: metricReq.optional(), title: z.string().max(200).optional() })
    .strict()
    .refine((r) => r.series || r.metrics, { message: 'give `series` or `metrics`' }),
};

/** Validates a request; throws the ZodError (mapped to BAD_INPUT by toApiError). */
export function parseRequest(method: EngineMethod, req: unknown): unknown {
  return REQUEST_SCHEMAS[method].parse(req);
}
