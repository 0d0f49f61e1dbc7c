// Runs a recipe: each step in its own worker process, each step's output the next step's parent.
// The caller decides where outputs go and what becomes of each (the CLI keeps the last one, the recipe
// job commits every one as a variant with its lineage).
import { performance } from 'node:perf_hooks'
import type { InputSpec, Recipe, RecipeFileParams, RecipeStep, StepApplied } from '../../../preload/api'
import { type RunOptions, runInWorker } from '../worker/run-in-worker'
import type { SpawnWorker } from '../worker/spawn-node-worker'
import { stepLabel } from './recipe-schema'

export interface StepOutcome {
  readonly index: number
  readonly step: RecipeStep
  readonly label: string
  /** The step's parent and output files. */
  readonly input: string
  readonly output: string
  /** What the step applied: its recipe, options and what its worker task reported (summary, validation, sizes). */
  readonly applied: StepApplied
  readonly durationMs: number
}

export interface RecipeRunOptions {
  readonly spawn: SpawnWorker
  readonly signal?: AbortSignal
  /** What the model's inputs are when a step has no data of its own. */
  readonly inputSpec?: InputSpec
  onProgress?(fraction: number, stage: string, detail?: string): void
  /** Output path of step `index` (0-based). */
  outputFor(index: number, step: RecipeStep): Promise<string>
  /** Called after each step; returns the path the next step reads (default: the step's output). */
  afterStep?(outcome: StepOutcome): Promise<string | undefined>
}

/**
 * Runs one step; `file` (the recipe's name and the step's index) joins the step's options in what it applied,
 * and the parent's input spec says what its inputs are when no data is given.
 */
export async function runStep(
  spawn: SpawnWorker,
  step: RecipeStep,
  input: string,
  output: string,
  run: RunOptions,
  file: RecipeFileParams = {},
  inputSpec?: InputSpec,
): Promise<StepApplied> {
  const spec = inputSpec ? { inputSpec } : {}
  switch (step.step) {
    case 'prune':
      return { recipe: 'prune', params: { ...step.options, ...file }, summary: await runInWorker(spawn, 'prune-model', { input, output, options: step.options, ...spec }, run) }
    case 'optimize':
      return { recipe: 'optimize', params: { ...step.options, ...file }, summary: await runInWorker(spawn, 'ort-optimize', { input, output, options: step.options, ...spec }, run) }
    case 'quantize':
      return { recipe: 'quantize', params: { ...step.options, ...file }, summary: await runInWorker(spawn, 'quantize-model', { modelPath: input, outputPath: output, options: step.options, ...spec }, run) }
    case 'fp16': {
      const keepIoTypes = step.options?.keepIoTypes
      const options = { to: 'fp16', ...(keepIoTypes === undefined ? {} : { keepIoTypes }) } as const
      return { recipe: 'fp16', params: { ...step.options, ...file }, summary: await runInWorker(spawn, 'convert-model', { modelPath: input, outputPath: output, options, ...spec }, run) }
    }
  }
}

export async function runRecipe(input: string, recipe: Recipe, options: RecipeRunOptions): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = []
  const count = recipe.steps.length
  let parent = input
  for (const [index, step] of recipe.steps.entries()) {
    const label = stepLabel(step)
    const output = await options.outputFor(index, step)
    const started = performance.now()
    const applied = await runStep(
      options.spawn,
      step,
      parent,
      output,
      {
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (fraction, stage, detail) => options.onProgress?.((index + fraction) / count, `step ${index + 1}/${count} ${label}: ${stage}`, detail),
      },
      { ...(recipe.name ? { recipeName: recipe.name } : {}), stepIndex: index },
      options.inputSpec,
    )
    const outcome: StepOutcome = { index, step, label, input: parent, output, applied, durationMs: performance.now() - started }
    outcomes.push(outcome)
    parent = (await options.afterStep?.(outcome)) ?? output
  }
  return outcomes
}
