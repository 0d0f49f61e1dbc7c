// Job kind 'recipe': runs a recipe's steps on a workspace model; every step's output is committed as a
// variant whose lineage names its parent (the previous step's variant), the step, its parameters and time.
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { z } from 'zod'
import type { ModelEntry, ModelId, RecipeStep } from '../../../preload/api'
import { recipeSchema, stepLabel } from '../recipes/recipe-schema'
import { runRecipe, runStep } from '../recipes/run-recipe'
import type { JobEnv, JobKindDef } from './job-kinds'
import type { JobRun } from './job-queue'
import { commitVariant } from './variant'
import { modelIdSchema } from '../contract-schema'

/** Runs one step on a workspace model in a staging folder and commits the output as its variant. */
export async function commitStepVariant(env: JobEnv, job: JobRun, parentId: ModelId, step: RecipeStep): Promise<ModelEntry> {
  const input = await env.workspace.mainFilePath(parentId)
  const output = join(await env.workspace.stagingDir(), 'model.onnx')
  const started = performance.now()
  const { inputSpec } = await env.workspace.get(parentId)
  const applied = await runStep(env.spawnWorker, step, input, output, { signal: job.signal, onProgress: job.progress }, {}, inputSpec)
  return commitVariant(env, {
    parentId,
    mainFile: output,
    applied,
    durationMs: performance.now() - started,
    name: `${(await env.workspace.get(parentId)).name} · ${stepLabel(step)}`,
  })
}

const schema = z.object({ kind: z.literal('recipe'), modelId: modelIdSchema, recipe: recipeSchema }).strict()

export const recipeJob: JobKindDef<'recipe'> = {
  schema,
  async title(request, env) {
    const name = (await env.workspace.get(request.modelId)).name
    return `${request.recipe.name ?? request.recipe.steps.map(stepLabel).join(' → ')} on ${name}`
  },
  async run(request, env, job) {
    const parent = await env.workspace.get(request.modelId)
    const variants: ModelEntry[] = []
    await runRecipe(await env.workspace.mainFilePath(request.modelId), request.recipe, {
      spawn: env.spawnWorker,
      signal: job.signal,
      ...(parent.inputSpec ? { inputSpec: parent.inputSpec } : {}),
      onProgress: job.progress,
      outputFor: async () => join(await env.workspace.stagingDir(), 'model.onnx'),
      afterStep: async (outcome) => {
        const parentId = variants.at(-1)?.id ?? parent.id
        const entry = await commitVariant(env, {
          parentId,
          mainFile: outcome.output,
          applied: outcome.applied,
          durationMs: outcome.durationMs,
          name: `${variants.at(-1)?.name ?? parent.name} · ${outcome.label}`,
        })
        variants.push(entry)
        return env.workspace.mainFilePath(entry.id)
      },
    })
    return { variants: variants.map((v) => v.id), final: variants.at(-1)?.id }
  },
}
