// Job kind 'convert': float16 weights for a workspace model, validated and committed as a variant.
import { z } from 'zod'
import { fp16OptionFields } from '../recipes/recipe-schema'
import type { JobKindDef } from './job-kinds'
import { makeVariant } from './variant'
import { modelIdSchema } from '../contract-schema'

const schema = z
  .object({ kind: z.literal('convert'), modelId: modelIdSchema, options: z.object({ to: z.literal('fp16'), ...fp16OptionFields }).strict() })
  .strict()

export const convertJob: JobKindDef<'convert'> = {
  schema,
  async title(request, env) {
    return `Convert ${(await env.workspace.get(request.modelId)).name} to float16`
  },
  run: (request, env, job) => {
    // float16 is the one target: the step's options are the rest.
    const { to: _to, ...options } = request.options
    return makeVariant(env, job, request.modelId, { step: 'fp16', options })
  },
}
