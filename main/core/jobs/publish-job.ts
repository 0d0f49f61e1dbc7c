// Job kind 'publish': a workspace model to a target, with progress through pre-flight, upload, verify,
// smoke test and live. Only a publish that went live is stored with the model (result publish-<time>).
import { z } from 'zod'
import { savePublish } from '../publish/publish-metadata'
import { publishModel } from '../publish/publish-model'
import { sampleDir } from '../resources'
import { DataFiles } from '../workspace/data-files'
import { targetStoreFor } from '../publish/publish-api'
import { sourceFromWorkspace } from '../publish/publish-source'
import type { JobKindDef } from './job-kinds'
import { modelIdSchema, pathSchema } from '../contract-schema'

const schema = z
  .object({
    kind: z.literal('publish'),
    modelId: modelIdSchema,
    options: z
      .object({
        target: z.string().min(1).max(2048),
        name: z.string().min(1).max(128),
        ifExists: z.enum(['ask', 'new-version', 'replace']).optional(),
        dataPath: pathSchema.optional(),
      })
      .strict(),
  })
  .strict()

export const publishJob: JobKindDef<'publish'> = {
  schema,
  async title(request, env) {
    return `Publish ${(await env.workspace.get(request.modelId)).name} to ${request.options.target}`
  },
  async run(request, env, job) {
    const targets = targetStoreFor(env.workspace.dir, env.secrets)
    const target = await targets.resolve(request.options.target)
    const dataFiles = (await new DataFiles(env.workspace.dir, sampleDir).list()).map((file) => file.path)
    const source = await sourceFromWorkspace(env.workspace, request.modelId, request.options.dataPath, dataFiles)
    const result = await publishModel(env.spawnWorker, source, target, request.options, { signal: job.signal, progress: job.progress })
    await savePublish(env.workspace, request.modelId, result)
    return result
  },
}
