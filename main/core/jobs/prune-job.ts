// Job kind 'prune': magnitude or structured pruning of a workspace model, committed as a variant.
import { z } from 'zod'
import { pruneOptionsSchema } from '../recipes/recipe-schema'
import type { JobKindDef } from './job-kinds'
import { makeVariant } from './variant'
import { modelIdSchema } from '../contract-schema'

const schema = z.object({ kind: z.literal('prune'), modelId: modelIdSchema, options: pruneOptionsSchema }).strict()

export const pruneJob: JobKindDef<'prune'> = {
  schema,
  async title(request, env) {
    const o = request.options
    const how = o.method === 'magnitude' ? `${Math.round(o.sparsity * 100)}% sparsity` : `structured ${Math.round(o.ratio * 100)}%`
    return `Prune ${(await env.workspace.get(request.modelId)).name} (${how})`
  },
  run: (request, env, job) => makeVariant(env, job, request.modelId, { step: 'prune', options: request.options }),
}
