// Job kind 'optimize': ONNX Runtime's offline graph optimization of a workspace model, as a variant.
import { z } from 'zod'
import { graphOptimizeOptionsSchema } from '../recipes/recipe-schema'
import type { JobKindDef } from './job-kinds'
import { makeVariant } from './variant'
import { modelIdSchema } from '../contract-schema'

const schema = z.object({ kind: z.literal('optimize'), modelId: modelIdSchema, options: graphOptimizeOptionsSchema }).strict()

export const optimizeJob: JobKindDef<'optimize'> = {
  schema,
  async title(request, env) {
    return `Optimize ${(await env.workspace.get(request.modelId)).name} (level ${request.options.level})`
  },
  run: (request, env, job) => makeVariant(env, job, request.modelId, { step: 'optimize', options: request.options }),
}
