// Job kind 'quantize': dynamic int8, static int8 (QDQ, calibrated) or int4 of a workspace model,
// validated in the worker and committed as a variant with its summary.
import { z } from 'zod'
import { quantizeOptionsSchema } from '../recipes/recipe-schema'
import type { JobKindDef } from './job-kinds'
import { makeVariant } from './variant'
import { modelIdSchema } from '../contract-schema'

const schema = z.object({ kind: z.literal('quantize'), modelId: modelIdSchema, options: quantizeOptionsSchema }).strict()

export const quantizeJob: JobKindDef<'quantize'> = {
  schema,
  async title(request, env) {
    return `Quantize ${(await env.workspace.get(request.modelId)).name} (${request.options.mode === 'int4' ? 'int4' : `${request.options.mode} int8`})`
  },
  run: (request, env, job) => makeVariant(env, job, request.modelId, { step: 'quantize', options: request.options }),
}
