// Turning a recipe's output into a variant: the output (written by the worker into a staging folder) is
// inspected and loaded in the runtime, then moved into the workspace with its lineage.
import { join, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { ModelEntry, ModelId, RecipeApplied, RecipeFileParams, RecipeStep } from '../../../preload/api'
import { UnchangedError } from '../errors'
import { readOnnxModel } from '../onnx/model-file'
import { sameComputation } from '../onnx/same-computation'
import { stepLabel } from '../recipes/recipe-schema'
import { runStep } from '../recipes/run-recipe'
import { runInWorker } from '../worker/run-in-worker'
import type { JobEnv } from './job-kinds'
import type { JobRun } from './job-queue'

export interface VariantOutput {
  readonly parentId: ModelId
  /** Absolute path of the output's main file, inside a staging folder of the workspace. */
  readonly mainFile: string
  /** The recipe, its parameters and its summary, as the lineage keeps them. */
  readonly applied: RecipeApplied
  readonly durationMs: number
  /** Defaults to "<parent name> · <recipe>". */
  readonly name?: string
}

/** Refuses an ONNX output that computes exactly what its parent does: it would be a variant only in name. */
async function refuseUnchanged(parentPath: string, parentName: string, output: VariantOutput): Promise<void> {
  if (!parentPath.endsWith('.onnx') || !output.mainFile.endsWith('.onnx')) return
  const [parent, made] = await Promise.all([readOnnxModel(parentPath), readOnnxModel(output.mainFile)])
  if (sameComputation(parent.model, made.model))
    throw new UnchangedError(`${output.applied.recipe} changed nothing: every node and weight is as in ${parentName}, so no new variant was made`)
}

export async function commitVariant(env: JobEnv, output: VariantOutput): Promise<ModelEntry> {
  const parent = await env.workspace.get(output.parentId)
  await refuseUnchanged(await env.workspace.mainFilePath(output.parentId), parent.name, output)
  const found = await runInWorker(env.spawnWorker, 'inspect-model', { path: output.mainFile })
  if (found.inspection.runtimeCheck && !found.inspection.runtimeCheck.loads)
    throw new Error(`the ${output.applied.recipe} output does not load: ${found.inspection.runtimeCheck.error ?? ''}`)
  return env.workspace.add(
    {
      name: output.name ?? `${parent.name} · ${output.applied.recipe}`,
      format: found.inspection.format,
      mainFile: relative(found.dir, found.mainFile),
      source: `variant of ${parent.name}`,
      inspection: found.inspection,
      // A variant takes the same inputs (float16 ones are converted where it is fed).
      ...(parent.inputSpec ? { inputSpec: parent.inputSpec } : {}),
      lineage: { ...output.applied, parentId: output.parentId, createdAt: new Date().toISOString(), durationMs: output.durationMs },
    },
    found.files.map((file) => ({ from: file, to: relative(found.dir, file) })),
  )
}

export interface StepPlace {
  /** Where the step sits in a recipe file (absent for a single-step job). */
  readonly file?: RecipeFileParams
  /** Defaults to "<parent name> · <step label>". */
  readonly name?: string
  /** Defaults to the job's progress. */
  onProgress?(fraction: number, stage: string, detail?: string): void
}

/**
 * The one way a recipe step becomes a variant, for single-step jobs, recipe files and tune alike: the
 * parent's main file in, a staged model.onnx out (written in a worker, with the parent's input spec for
 * what its inputs are), committed as a variant with the time it took.
 */
export async function makeVariant(env: JobEnv, job: JobRun, parentId: ModelId, step: RecipeStep, place: StepPlace = {}): Promise<ModelEntry> {
  const parent = await env.workspace.get(parentId)
  const modelPath = await env.workspace.mainFilePath(parentId)
  return env.workspace.withStaging(async (dir) => {
    const files = { modelPath, outputPath: join(dir, 'model.onnx') }
    const started = performance.now()
    const run = { signal: job.signal, onProgress: place.onProgress ?? job.progress }
    const applied = await runStep(env.spawnWorker, step, files, run, place.file, parent.inputSpec)
    return commitVariant(env, {
      parentId,
      mainFile: files.outputPath,
      applied,
      durationMs: performance.now() - started,
      name: place.name ?? `${parent.name} · ${stepLabel(step)}`,
    })
  })
}
