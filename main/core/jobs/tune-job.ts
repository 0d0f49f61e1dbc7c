// Job kind 'tune': the search for the best variant under the user's constraint (main/core/tune/run-tune.ts).
// Every finished candidate's numbers go out as partial progress (the whole search so far), for the live chart.
import { z } from 'zod'
import { runTune } from '../tune/run-tune'
import { dataOptionsSchema } from './benchmark-job'
import type { JobKindDef } from './job-kinds'

const path = z.string().min(1).max(4096)

export const tuneOptionsSchema = z
  .object({
    dataPath: path,
    labelsPath: path.optional(),
    calibPath: path.optional(),
    data: dataOptionsSchema.optional(),
    maxAccuracyDrop: z.number().finite().min(0).max(100).optional(),
    minFidelity: z
      .object({ top1Agreement: z.number().min(0).max(1).optional(), sqnrDb: z.number().finite().optional() })
      .strict()
      .refine((f) => f.top1Agreement !== undefined || f.sqnrDb !== undefined, { message: 'give a top-1 agreement or an SQNR' })
      .optional(),
    objective: z.enum(['latency', 'size', 'throughput']).optional(),
    batch: z.number().int().positive().max(100_000).optional(),
    timeBudgetS: z.number().positive().max(7 * 86_400).optional(),
  })
  .strict()
  .refine((o) => o.maxAccuracyDrop === undefined || o.minFidelity === undefined, { message: 'give a largest accuracy drop or a least fidelity, not both' })

const schema = z.object({ kind: z.literal('tune'), modelId: z.string().min(1).max(200), options: tuneOptionsSchema }).strict()

export const tuneJob: JobKindDef<'tune'> = {
  schema,
  async title(request, env) {
    return `Find the best variant of ${(await env.workspace.get(request.modelId)).name}`
  },
  run: (request, env, job) => runTune(request.modelId, request.options, { env, job }),
}
