// Job kind 'recipe': runs a recipe's steps on a workspace model; every step's output is committed as a
// variant whose lineage names its parent (the previous step's variant), the step, its parameters and time.
import { z } from 'zod'
import type { ModelEntry } from '../../../preload/api'
import { recipeSchema, stepLabel } from '../recipes/recipe-schema'
import { recipeFileParams, stepProgress } from '../recipes/run-recipe'
import type { JobKindDef } from './job-kinds'
import { makeVariant } from './variant'
import { modelIdSchema } from '../contract-schema'

const schema = z.object({ kind: z.literal('recipe'), modelId: modelIdSchema, recipe: recipeSchema }).strict()

export const recipeJob: JobKindDef<'recipe'> = {
  schema,
  async title(request, env) {
    const name = (await env.workspace.get(request.modelId)).name
    return `${request.recipe.name ?? request.recipe.steps.map(stepLabel).join(' → ')} on ${name}`
  },
  async run(request, env, job) {
    const { recipe } = request
    const variants: ModelEntry[] = []
    for (const [index, step] of recipe.steps.entries()) {
      const parentId = variants.at(-1)?.id ?? request.modelId
      const onProgress = stepProgress(job.progress, index, recipe.steps.length, stepLabel(step))
      variants.push(await makeVariant(env, job, parentId, step, { file: recipeFileParams(recipe, index), onProgress }))
    }
    return { variants: variants.map((v) => v.id), final: variants.at(-1)?.id }
  },
}
