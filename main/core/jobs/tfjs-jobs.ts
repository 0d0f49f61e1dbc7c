// The TF.js recipes as job kinds: quantize, prune and distill make a TF.js variant, convert makes an ONNX
// one. Each runs its task in a worker on the parent's files, writing into a staging folder, and the
// output becomes a variant with its lineage (commitVariant inspects and loads it first).
import { join } from 'node:path'
import { z } from 'zod'
import type { JobRequest, ModelEntry } from '../../../preload/api'
import { runInWorker } from '../worker/run-in-worker'
import type { TaskName, TaskParams } from '../worker/task-registry'
import type { JobKindDef } from './job-kinds'
import { commitVariant } from './variant'

const modelId = z.string().min(1).max(200)
const path = z.string().min(1).max(4096)

const quantizeSchema = z
  .object({ kind: z.literal('tfjs-quantize'), modelId, options: z.object({ mode: z.enum(['uint8', 'uint16', 'float16']) }).strict() })
  .strict()

const pruneSchema = z
  .object({
    kind: z.literal('tfjs-prune'),
    modelId,
    options: z
      .object({
        sparsity: z.number().min(0).lt(1),
        scope: z.enum(['global', 'layer']).optional(),
        includeFirstLast: z.boolean().optional(),
        excludeLayers: z.array(z.string().min(1).max(500)).max(10_000).optional(),
      })
      .strict(),
  })
  .strict()

const distillSchema = z
  .object({
    kind: z.literal('tfjs-distill'),
    modelId,
    options: z
      .object({
        dataPath: path,
        labelsPath: path.optional(),
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

const convertSchema = z.object({ kind: z.literal('tfjs-convert'), modelId, options: z.object({ to: z.literal('onnx') }).strict() }).strict()

type VariantRequest = Extract<JobRequest, { readonly kind: `tfjs-${string}` }>

/**
 * A job kind that runs `task` on the parent's main file into a staging folder, then commits the output
 * as a variant (commitVariant inspects and loads it first; the task's summary goes into the lineage).
 */
function variantJob<R extends VariantRequest, T extends TaskName>(
  schema: z.ZodType<R>,
  what: string,
  recipe: (request: R) => string,
  task: T,
  params: (request: R, input: string, outDir: string) => TaskParams<T>,
  mainFile = 'model.json',
): JobKindDef<R> {
  return {
    schema,
    title: async (request, env) => `${what} ${(await env.workspace.get(request.modelId)).name}`,
    run: async (request, env, job): Promise<ModelEntry> => {
      const input = await env.workspace.mainFilePath(request.modelId)
      const staging = await env.workspace.stagingDir()
      const started = Date.now()
      const summary = await runInWorker(env.spawnWorker, task, params(request, input, staging), { signal: job.signal, onProgress: job.progress })
      return commitVariant(env, {
        parentId: request.modelId,
        mainFile: join(staging, mainFile),
        recipe: recipe(request),
        params: { ...request.options },
        summary,
        durationMs: Date.now() - started,
      })
    },
  }
}

export const tfjsQuantizeJob = variantJob(quantizeSchema, 'Quantize (TF.js)', (r) => `tfjs-quantize-${r.options.mode}`, 'tfjs-quantize', (r, modelPath, outDir) => ({
  modelPath,
  outDir,
  mode: r.options.mode,
}))

export const tfjsPruneJob = variantJob(pruneSchema, 'Prune (TF.js)', () => 'tfjs-prune', 'tfjs-prune', (r, modelPath, outDir) => ({ modelPath, outDir, ...r.options }))

export const tfjsDistillJob = variantJob(distillSchema, 'Distill (TF.js)', () => 'tfjs-distill', 'tfjs-distill', (r, teacherPath, outDir) => ({
  teacherPath,
  outDir,
  ...r.options,
}))

export const tfjsConvertJob = variantJob(
  convertSchema,
  'Convert to ONNX',
  () => 'tfjs-to-onnx',
  'tfjs-convert-onnx',
  (_, modelPath, outDir) => ({ modelPath, outPath: join(outDir, 'model.onnx') }),
  'model.onnx',
)
