// Profiles a workspace model per operator (job kind 'profile'): a variant next to its parent when the
// parent is still in the workspace. The result is stored with the model under results/.
import { z } from 'zod'
import type { ModelId } from '../../../preload/api'
import { runProfile, type ProfiledModel } from '../profile/run-profile'
import type { Workspace } from '../workspace/workspace'
import { inputSpecFields, resultName, workspaceModels } from './benchmark-job'
import type { JobKindDef } from './job-kinds'
import { modelIdSchema } from '../contract-schema'

const schema = z
  .object({
    kind: z.literal('profile'),
    modelId: modelIdSchema,
    options: z
      .object({
        batch: z.number().int().positive().max(1_000_000).optional(),
        threads: z.number().int().positive().max(1024).optional(),
        runs: z.number().int().min(2).max(100_000).optional(),
        warmup: z.number().int().min(0).max(100_000).optional(),
        ...inputSpecFields,
        withParent: z.boolean().optional(),
      })
      .strict(),
  })
  .strict()

/** The model's parent, when it has one that is still in the workspace and is an ONNX model (not a converted TF.js one). */
async function parentOf(workspace: Workspace, id: ModelId): Promise<ProfiledModel | undefined> {
  const parentId = (await workspace.get(id)).lineage?.parentId
  const parent = parentId === undefined ? undefined : await workspace.get(parentId).catch(() => undefined)
  if (parent?.format !== 'onnx') return undefined
  return (await workspaceModels(workspace, [parent.id]))[0]
}

export const profileJob: JobKindDef<'profile'> = {
  schema,
  async title(request, env) {
    return `Profile ${(await env.workspace.get(request.modelId)).name}`
  },
  async run(request, env, job) {
    const [model] = await workspaceModels(env.workspace, [request.modelId])
    const parent = request.options.withParent === false ? undefined : await parentOf(env.workspace, request.modelId)
    const result = await runProfile(env.spawnWorker, model as ProfiledModel, request.options, parent, { signal: job.signal, onProgress: job.progress })
    await env.workspace.saveResult(request.modelId, resultName('profile', result.createdAt), result)
    return result
  },
}
