// Re-inspects a model in the workspace (format, graph facts, and whether the runtime loads it).
import { z } from 'zod'
import { runInWorker } from '../worker/run-in-worker'
import type { JobKindDef } from './job-kinds'
import { modelIdSchema } from '../contract-schema'

const schema = z.object({ kind: z.literal('inspect'), modelId: modelIdSchema }).strict()

export const inspectJob: JobKindDef<'inspect'> = {
  schema,
  async title(request, env) {
    return `Inspect ${(await env.workspace.get(request.modelId)).name}`
  },
  async run(request, env, job) {
    const path = await env.workspace.mainFilePath(request.modelId)
    const inspected = await runInWorker(env.spawnWorker, 'inspect-model', { path }, { signal: job.signal, onProgress: job.progress })
    await env.workspace.update(request.modelId, { inspection: inspected.inspection })
    return inspected.inspection
  },
}
