// Job kind 'quantize': dynamic int8, static int8 (QDQ, calibrated) or int4 of a workspace model,
// validated in the worker and committed as a variant with its summary.
import { z } from 'zod'
import type { QuantizeOptions } from '../../../preload/api'
import { runInWorker } from '../worker/run-in-worker'
import type { JobKindDef } from './job-kinds'
import { commitRecipeOutput } from './variant'
import { modelIdSchema, namesSchema, pathSchema } from '../contract-schema'

export const quantizeOptionsSchema: z.ZodType<QuantizeOptions> = z
  .object({
    mode: z.enum(['dynamic', 'static', 'int4']),
    calibPath: pathSchema.optional(),
    method: z.enum(['minmax', 'percentile', 'entropy']).optional(),
    percentile: z.number().gt(50).max(100).optional(),
    perChannel: z.boolean().optional(),
    samples: z.number().int().positive().optional(),
    blockSize: z.union([z.literal(32), z.literal(64), z.literal(128)]).optional(),
    symmetric: z.boolean().optional(),
    opTypes: namesSchema.optional(),
    excludeNodes: namesSchema.optional(),
    errorReport: z.boolean().optional(),
  })
  .strict()
  .refine((o) => o.mode !== 'static' || o.calibPath !== undefined, { message: 'static quantization needs calibPath' })

const schema = z.object({ kind: z.literal('quantize'), modelId: modelIdSchema, options: quantizeOptionsSchema }).strict()

export const quantizeJob: JobKindDef<'quantize'> = {
  schema,
  async title(request, env) {
    return `Quantize ${(await env.workspace.get(request.modelId)).name} (${request.options.mode === 'int4' ? 'int4' : `${request.options.mode} int8`})`
  },
  run: (request, env, job) =>
    commitRecipeOutput(env, request.modelId, async (modelPath, outputPath, spec) => ({
      recipe: `quantize ${request.options.mode}`,
      params: { ...request.options },
      summary: await runInWorker(env.spawnWorker, 'quantize-model', { modelPath, outputPath, options: request.options, ...spec }, {
        signal: job.signal,
        onProgress: job.progress,
      }),
    })),
}
