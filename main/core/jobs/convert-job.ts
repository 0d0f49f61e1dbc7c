// Job kind 'convert': float16 weights for a workspace model, validated and committed as a variant.
import { z } from 'zod'
import { runInWorker } from '../worker/run-in-worker'
import type { JobKindDef } from './job-kinds'
import { commitRecipeOutput } from './variant'
import { modelIdSchema, namesSchema, pathSchema } from '../contract-schema'

const schema = z
  .object({
    kind: z.literal('convert'),
    modelId: modelIdSchema,
    options: z
      .object({
        to: z.literal('fp16'),
        keepIoTypes: z.boolean().optional(),
        dataPath: pathSchema.optional(),
        opTypes: namesSchema.optional(),
        excludeNodes: namesSchema.optional(),
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
    commitRecipeOutput(env, request.modelId, async (modelPath, outputPath, spec) => ({
      recipe: 'fp16',
      params: { ...request.options },
      summary: await runInWorker(env.spawnWorker, 'convert-model', { modelPath, outputPath, options: request.options, ...spec }, {
        signal: job.signal,
        onProgress: job.progress,
      }),
    })),
}
