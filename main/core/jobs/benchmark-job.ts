// Benchmarks workspace models (job kind 'benchmark'): every finished configuration is pushed as partial
// progress for live plots, and the report is stored with each model under results/.
import { z } from 'zod'
import type { BenchmarkReport, BenchmarkResult, ModelId } from '../../../preload/api'
import { runBenchmarks, type BenchModel } from '../bench/run-bench'
import type { Workspace } from '../workspace/workspace'
import type { JobKindDef } from './job-kinds'
import { modelIdSchema, pathSchema } from '../contract-schema'

const count = z.number().int().positive().max(1_000_000)
const name = z.string().min(1).max(500)

export const dataOptionsSchema = z
  .object({
    limit: count.optional(),
    labelColumn: z.string().max(200).optional(),
    scale: z.number().finite().optional(),
    width: count.optional(),
    height: count.optional(),
    layout: z.enum(['nchw', 'nhwc']).optional(),
    channels: z.union([z.literal(1), z.literal(3)]).optional(),
    mean: z.array(z.number().finite()).min(1).max(4).optional(),
    std: z.array(z.number().finite().positive()).min(1).max(4).optional(),
  })
  .strict()

/** An InputSpec's fields: shapes, value ranges and fixed values by input name. */
export const inputSpecFields = {
  shapes: z.record(name, z.array(z.number().int().min(0)).max(16)).optional(),
  ranges: z.record(name, z.object({ low: z.number().finite(), high: z.number().finite() }).strict()).optional(),
  values: z.record(name, z.number().finite()).optional(),
}

export const inputSpecSchema = z.object(inputSpecFields).strict()

export const graphLevelSchema = z.enum(['disabled', 'basic', 'extended', 'all'])

export const limitsSchema = {
  timeLimitS: z.number().positive().max(86_400).optional(),
  memoryCapMb: z.number().positive().optional(),
}

const schema = z
  .object({
    kind: z.literal('benchmark'),
    modelIds: z.array(modelIdSchema).min(1).max(50),
    options: z
      .object({
        batches: z.array(count).min(1).max(32).optional(),
        threads: z.array(z.number().int().positive().max(1024)).min(1).max(32).optional(),
        warmup: z.number().int().min(0).max(100_000).optional(),
        iterations: count.optional(),
        durationS: z.number().positive().max(3600).optional(),
        stableWithin: z.number().min(0).max(0.5).optional(),
        ...inputSpecFields,
        latencyCapMs: z.number().positive().optional(),
        dataPath: pathSchema.optional(),
        data: dataOptionsSchema.optional(),
        ...limitsSchema,
        graphOptimizationLevel: graphLevelSchema.optional(),
      })
      .strict(),
  })
  .strict()

/** Workspace models as benchmark inputs: main file path, shown name, id, and what their inputs are. */
export async function workspaceModels(workspace: Workspace, ids: readonly ModelId[]): Promise<BenchModel[]> {
  return Promise.all(
    ids.map(async (modelId) => {
      const entry = await workspace.get(modelId)
      return { path: await workspace.mainFilePath(modelId), label: entry.name, modelId, ...(entry.inputSpec ? { inputSpec: entry.inputSpec } : {}) }
    }),
  )
}

/** A result name that sorts by time and passes the workspace's name check. */
export function resultName(prefix: string, createdAt: string): string {
  return `${prefix}-${createdAt.replace(/[^\w.-]/g, '-')}`
}

/** The part of a report that belongs to one model, as stored with it. */
function reportFor(report: BenchmarkReport, modelId: ModelId): BenchmarkReport {
  return {
    ...report,
    results: report.results.filter((r) => r.modelId === modelId),
    failures: report.failures.filter((f) => f.modelId === modelId),
    sweetSpots: report.sweetSpots.filter((s) => report.results.some((r) => r.modelId === modelId && r.model === s.model)),
  }
}

export const benchmarkJob: JobKindDef<'benchmark'> = {
  schema,
  async title(request, env) {
    const names = await Promise.all(request.modelIds.map(async (id) => (await env.workspace.get(id)).name))
    return `Benchmark ${names.join(', ')}`
  },
  async run(request, env, job) {
    const models = await workspaceModels(env.workspace, request.modelIds)
    let partial: readonly BenchmarkResult[] | undefined
    const report = await runBenchmarks(env.spawnWorker, models, request.options, {
      signal: job.signal,
      onProgress: (fraction, stage, detail) => job.progress(fraction, stage, detail, partial),
      onResult: (results) => {
        partial = [...results]
      },
    })
    for (const id of new Set(request.modelIds))
      await env.workspace.saveResult(id, resultName('benchmark', report.createdAt), reportFor(report, id))
    return report
  },
}
