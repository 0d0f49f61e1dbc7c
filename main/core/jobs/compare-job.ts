// Compares variants with a baseline on the same data (job kind 'compare'); the report is stored with
// each variant under results/.
import { z } from 'zod'
import { runComparison } from '../bench/run-compare'
import { dataOptionsSchema, inputSpecFields, limitsSchema, resultName, workspaceModels } from './benchmark-job'
import type { JobKindDef } from './job-kinds'
import { modelIdSchema, pathSchema } from '../contract-schema'

const schema = z
  .object({
    kind: z.literal('compare'),
    baselineId: modelIdSchema,
    variantIds: z.array(modelIdSchema).min(1).max(50),
    options: z
      .object({
        dataPath: pathSchema,
        labelsPath: pathSchema.optional(),
        data: dataOptionsSchema.optional(),
        batch: z.number().int().positive().max(100_000).optional(),
        shapes: inputSpecFields.shapes,
        values: inputSpecFields.values,
        latencyBudgetS: z.number().min(0).max(600).optional(),
        stableWithin: z.number().min(0).max(0.5).optional(),
        ...limitsSchema,
      })
      .strict(),
  })
  .strict()

export const compareJob: JobKindDef<'compare'> = {
  schema,
  async title(request, env) {
    const baseline = await env.workspace.get(request.baselineId)
    const names = await Promise.all(request.variantIds.map(async (variantId) => (await env.workspace.get(variantId)).name))
    return `Compare ${names.join(', ')} with ${baseline.name}`
  },
  async run(request, env, job) {
    const [baseline, ...variants] = await workspaceModels(env.workspace, [request.baselineId, ...request.variantIds])
    if (!baseline) throw new Error('no baseline')
    const report = await runComparison(env.spawnWorker, baseline, variants, request.options, {
      signal: job.signal,
      onProgress: job.progress,
    })
    for (const variantId of new Set(request.variantIds))
      await env.workspace.saveResult(variantId, resultName('compare', report.createdAt), {
        ...report,
        variants: report.variants.filter((v) => v.modelId === variantId),
      })
    return report
  },
}
