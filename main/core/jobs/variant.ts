// Turning a recipe's output into a variant: the output (written by the worker into a staging folder) is
// inspected and loaded in the runtime, then moved into the workspace with its lineage.
import { join, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { InputSpec, ModelEntry, ModelId } from '../../../preload/api'
import { runInWorker } from '../worker/run-in-worker'
import type { JobEnv } from './job-kinds'

export interface VariantOutput {
  readonly parentId: ModelId
  /** Absolute path of the output's main file, inside a folder from workspace.stagingDir(). */
  readonly mainFile: string
  readonly recipe: string
  readonly params: Readonly<Record<string, unknown>>
  readonly summary?: unknown
  readonly durationMs: number
  /** Defaults to "<parent name> · <recipe>". */
  readonly name?: string
}

export async function commitVariant(env: JobEnv, output: VariantOutput): Promise<ModelEntry> {
  const parent = await env.workspace.get(output.parentId)
  const found = await runInWorker(env.spawnWorker, 'inspect-model', { path: output.mainFile })
  if (found.inspection.runtimeCheck && !found.inspection.runtimeCheck.loads)
    throw new Error(`the ${output.recipe} output does not load: ${found.inspection.runtimeCheck.error ?? ''}`)
  return env.workspace.add(
    {
      name: output.name ?? `${parent.name} · ${output.recipe}`,
      format: found.inspection.format,
      mainFile: relative(found.dir, found.mainFile),
      source: `variant of ${parent.name}`,
      inspection: found.inspection,
      // A variant takes the same inputs (float16 ones are converted where it is fed).
      ...(parent.inputSpec ? { inputSpec: parent.inputSpec } : {}),
      lineage: {
        parentId: output.parentId,
        recipe: output.recipe,
        params: output.params,
        createdAt: new Date().toISOString(),
        durationMs: output.durationMs,
        ...(output.summary === undefined ? {} : { summary: output.summary }),
      },
    },
    found.files.map((file) => ({ from: file, to: relative(found.dir, file) })),
  )
}


/**
 * The shape of every file-in, file-out ONNX recipe job: the parent's file in, a staged model.onnx out (written
 * by `produce` with the parent's input spec, which returns the recipe summary), committed as a variant with the time it took.
 */
export async function commitRecipeOutput(
  env: JobEnv,
  parentId: ModelId,
  recipe: string,
  params: Readonly<Record<string, unknown>>,
  produce: (modelPath: string, outputPath: string, inputSpec: { inputSpec?: InputSpec }) => Promise<unknown>,
): Promise<ModelEntry> {
  const modelPath = await env.workspace.mainFilePath(parentId)
  const outputPath = join(await env.workspace.stagingDir(), 'model.onnx')
  const { inputSpec } = await env.workspace.get(parentId)
  const started = performance.now()
  const summary = await produce(modelPath, outputPath, inputSpec ? { inputSpec } : {})
  return commitVariant(env, { parentId, mainFile: outputPath, recipe, params, summary, durationMs: performance.now() - started })
}
