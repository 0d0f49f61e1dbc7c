// The TF.js recipes as job kinds: quantize, prune and distill make a TF.js variant, convert makes an ONNX
// one. Each runs its task in a worker on the parent's files, writing into a staging folder, and the
// output becomes a variant with its lineage (commitVariant inspects and loads it first).
import { join } from 'node:path'
import { z } from 'zod'
import type { ModelEntry, ModelId } from '../../../preload/api'
import { runInWorker } from '../worker/run-in-worker'
import type { TaskName, TaskParams } from '../worker/task-registry'
import type { JobEnv, JobKindDef } from './job-kinds'
import type { JobRun } from './job-queue'
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

/** Runs `task` on the parent's main file into a staging folder, then commits the output as a variant (its summary in the lineage). */
async function runRecipe<T extends TaskName>(
  env: JobEnv,
  job: JobRun,
  parentId: ModelId,
  recipe: string,
  options: Readonly<Record<string, unknown>>,
  task: T,
  params: (input: string, staging: string) => { params: TaskParams<T>; mainFile: string },
): Promise<ModelEntry> {
  const input = await env.workspace.mainFilePath(parentId)
  const staging = await env.workspace.stagingDir()
  const started = Date.now()
  const call = params(input, staging)
  const summary = await runInWorker(env.spawnWorker, task, call.params, { signal: job.signal, onProgress: job.progress })
  return commitVariant(env, { parentId, mainFile: call.mainFile, recipe, params: options, summary, durationMs: Date.now() - started })
}

const title = (what: string) => async (request: { modelId: ModelId }, env: JobEnv): Promise<string> =>
  `${what} ${(await env.workspace.get(request.modelId)).name}`

export const tfjsQuantizeJob: JobKindDef<z.infer<typeof quantizeSchema>> = {
  schema: quantizeSchema,
  title: title('Quantize (TF.js)'),
  run: (request, env, job) =>
    runRecipe(env, job, request.modelId, `tfjs-quantize-${request.options.mode}`, request.options, 'tfjs-quantize', (modelPath, outDir) => ({
      params: { modelPath, outDir, mode: request.options.mode },
      mainFile: join(outDir, 'model.json'),
    })),
}

export const tfjsPruneJob: JobKindDef<z.infer<typeof pruneSchema>> = {
  schema: pruneSchema,
  title: title('Prune (TF.js)'),
  run: (request, env, job) =>
    runRecipe(env, job, request.modelId, 'tfjs-prune', request.options, 'tfjs-prune', (modelPath, outDir) => ({
      params: { modelPath, outDir, ...request.options },
      mainFile: join(outDir, 'model.json'),
    })),
}

export const tfjsDistillJob: JobKindDef<z.infer<typeof distillSchema>> = {
  schema: distillSchema,
  title: title('Distill (TF.js)'),
  run: (request, env, job) =>
    runRecipe(env, job, request.modelId, 'tfjs-distill', request.options, 'tfjs-distill', (teacherPath, outDir) => ({
      params: { teacherPath, outDir, ...request.options },
      mainFile: join(outDir, 'model.json'),
    })),
}

export const tfjsConvertJob: JobKindDef<z.infer<typeof convertSchema>> = {
  schema: convertSchema,
  title: title('Convert to ONNX'),
  run: (request, env, job) =>
    runRecipe(env, job, request.modelId, 'tfjs-to-onnx', request.options, 'tfjs-convert-onnx', (modelPath, outDir) => ({
      params: { modelPath, outPath: join(outDir, 'model.onnx') },
      mainFile: join(outDir, 'model.onnx'),
    })),
}
