// Job kind 'convert': float16 weights for a workspace model, validated and committed as a variant.
import { z } from 'zod'
import { runInWorker } from '../worker/run-in-worker'
import type { JobKindDef } from './job-kinds'
import { commitRecipeOutput } from './variant'

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

export const convertJob: JobKindDef<'convert'> = {
  schema,
  async title(request, env) {
    return `Convert ${(await env.workspace.get(request.modelId)).name} to float16`
  },
  run: (request, env, job) =>
    commitRecipeOutput(env, request.modelId, async (modelPath, outputPath) => ({
      recipe: 'fp16',
      params: { ...request.options },
      summary: await runInWorker(env.spawnWorker, 'convert-model', { modelPath, outputPath, options: request.options }, {
        signal: job.signal,
        onProgress: job.progress,
      }),
    })),
}
