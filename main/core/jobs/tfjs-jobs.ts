// The TF.js recipes as job kinds: quantize, prune and distill make a TF.js variant, convert makes an ONNX
// one. Each runs its task in a worker on the parent's files, writing into a staging folder, and the
// output becomes a variant with its lineage (commitVariant inspects and loads it first).
import { join } from 'node:path'
import { z } from 'zod'
import type { JobKind, JobRequestOf, ModelEntry, RecipeApplied } from '../../../preload/api'
import { runInWorker } from '../worker/run-in-worker'
import type { TaskName, TaskParams, TaskResult } from '../worker/task-registry'
import type { JobEnv, JobKindDef } from './job-kinds'
import type { JobRun } from './job-queue'
import { commitVariant } from './variant'
import { modelIdSchema, namesSchema, pathSchema } from '../contract-schema'

const quantizeSchema = z
  .object({ kind: z.literal('tfjs-quantize'), modelId: modelIdSchema, options: z.object({ mode: z.enum(['uint8', 'uint16', 'float16']) }).strict() })
  .strict()

const pruneSchema = z
  .object({
    kind: z.literal('tfjs-prune'),
    modelId: modelIdSchema,
    options: z
      .object({
        sparsity: z.number().min(0).lt(1),
        scope: z.enum(['global', 'layer']).optional(),
        includeFirstLast: z.boolean().optional(),
        excludeLayers: namesSchema.optional(),
      })
      .strict(),
  })
  .strict()

const distillSchema = z
  .object({
    kind: z.literal('tfjs-distill'),
    modelId: modelIdSchema,
    options: z
      .object({
        dataPath: pathSchema,
        labelsPath: pathSchema.optional(),
        width: z.number().gt(0).max(1).optional(),
        epochs: z.number().int().positive().max(10_000).optional(),
        temperature: z.number().positive().max(100).optional(),
        alpha: z.number().min(0).max(1).optional(),
        batchSize: z.number().int().positive().max(65_536).optional(),
        learningRate: z.number().positive().max(10).optional(),
      })
      .strict(),
  })
  .strict()

const convertSchema = z.object({ kind: z.literal('tfjs-convert'), modelId: modelIdSchema, options: z.object({ to: z.literal('onnx') }).strict() }).strict()

type TfjsKind = Extract<JobKind, `tfjs-${string}`>

/** A TF.js job kind's definition: its result is the variant's entry. */
type TfjsJobDef<K extends TfjsKind> = Omit<JobKindDef<K>, 'run'> & { run(request: JobRequestOf<K>, env: JobEnv, job: JobRun): Promise<ModelEntry> }

/**
 * A job kind that runs `task` on the parent's main file into a staging folder, then commits the output
 * as a variant (commitVariant inspects and loads it first; the task's summary goes into the lineage).
 */
function variantJob<K extends TfjsKind, T extends TaskName>(
  schema: z.ZodType<JobRequestOf<K>>,
  what: string,
  task: T,
  params: (request: JobRequestOf<K>, input: string, outDir: string) => TaskParams<T>,
  applied: (request: JobRequestOf<K>, summary: TaskResult<T>) => RecipeApplied,
  mainFile = 'model.json',
): TfjsJobDef<K> {
  return {
    schema,
    title: async (request, env) => `${what} ${(await env.workspace.get(request.modelId)).name}`,
    run: async (request, env, job): Promise<ModelEntry> => {
      const input = await env.workspace.mainFilePath(request.modelId)
      return env.workspace.withStaging(async (staging) => {
        const started = Date.now()
        const summary = await runInWorker(env.spawnWorker, task, params(request, input, staging), { signal: job.signal, onProgress: job.progress })
        return commitVariant(env, {
          parentId: request.modelId,
          mainFile: join(staging, mainFile),
          applied: applied(request, summary),
          durationMs: Date.now() - started,
        })
      })
    },
  }
}

export const tfjsQuantizeJob = variantJob<'tfjs-quantize', 'tfjs-quantize'>(
  quantizeSchema,
  'Quantize (TF.js)',
  'tfjs-quantize',
  (r, modelPath, outDir) => ({ modelPath, outDir, mode: r.options.mode }),
  (r, summary) => ({ recipe: `tfjs-quantize-${r.options.mode}`, params: { ...r.options }, summary }),
)

export const tfjsPruneJob = variantJob<'tfjs-prune', 'tfjs-prune'>(
  pruneSchema,
  'Prune (TF.js)',
  'tfjs-prune',
  (r, modelPath, outDir) => ({ modelPath, outDir, ...r.options }),
  (r, summary) => ({ recipe: 'tfjs-prune', params: { ...r.options }, summary }),
)

export const tfjsDistillJob = variantJob<'tfjs-distill', 'tfjs-distill'>(
  distillSchema,
  'Distill (TF.js)',
  'tfjs-distill',
  (r, teacherPath, outDir) => ({ teacherPath, outDir, ...r.options }),
  (r, summary) => ({ recipe: 'tfjs-distill', params: { ...r.options }, summary }),
)

export const tfjsConvertJob = variantJob<'tfjs-convert', 'tfjs-convert-onnx'>(
  convertSchema,
  'Convert to ONNX',
  'tfjs-convert-onnx',
  (_, modelPath, outDir) => ({ modelPath, outPath: join(outDir, 'model.onnx') }),
  (r, summary) => ({ recipe: 'tfjs-to-onnx', params: { ...r.options }, summary }),
  'model.onnx',
)
