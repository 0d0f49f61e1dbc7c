// Job kind 'convert': float16 weights for a workspace model, validated and committed as a variant.
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { z } from 'zod'
import { runInWorker } from '../worker/run-in-worker'
import type { JobKindDef } from './job-kinds'
import { commitVariant } from './variant'

const names = z.array(z.string().min(1).max(500)).max(10000)

const schema = z
  .object({
    kind: z.literal('convert'),
    modelId: z.string().min(1).max(200),
    options: z
      .object({
        to: z.literal('fp16'),
        keepIoTypes: z.boolean().optional(),
        dataPath: z.string().min(1).max(4096).optional(),
        opTypes: names.optional(),
        excludeNodes: names.optional(),
      })
      .strict(),
  })
  .strict()

export const convertJob: JobKindDef<z.infer<typeof schema>> = {
  schema,
  async title(request, env) {
    return `Convert ${(await env.workspace.get(request.modelId)).name} to float16`
  },
  async run(request, env, job) {
    const modelPath = await env.workspace.mainFilePath(request.modelId)
    const outputPath = join(await env.workspace.stagingDir(), 'model.onnx')
    const started = performance.now()
    const summary = await runInWorker(env.spawnWorker, 'convert-model', { modelPath, outputPath, options: request.options }, {
      signal: job.signal,
      onProgress: job.progress,
    })
    return commitVariant(env, {
      parentId: request.modelId,
      mainFile: outputPath,
      recipe: 'fp16',
      params: { ...request.options },
      summary,
      durationMs: performance.now() - started,
    })
  },
}
