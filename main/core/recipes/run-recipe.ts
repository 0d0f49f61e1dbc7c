// Runs a recipe: each step in its own worker process, each step's output the next step's parent.
// The caller decides where outputs go and what becomes of each (the CLI keeps the last one, the recipe
// job commits every one as a variant with its lineage).
import { performance } from 'node:perf_hooks'
import type { InputSpec, Recipe, RecipeStep } from '../../../preload/api'
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
  /** What the step's worker task reported (its summary, validation and sizes). */
  readonly result: unknown
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

export async function runStep(spawn: SpawnWorker, step: RecipeStep, input: string, output: string, run: RunOptions, inputSpec?: InputSpec): Promise<unknown> {
  const spec = inputSpec ? { inputSpec } : {}
  switch (step.step) {
    case 'prune':
      return runInWorker(spawn, 'prune-model', { input, output, options: step.options, ...spec }, run)
    case 'optimize':
      return runInWorker(spawn, 'ort-optimize', { input, output, options: step.options, ...spec }, run)
    case 'quantize':
      return runInWorker(spawn, 'quantize-model', { modelPath: input, outputPath: output, options: step.options, ...spec }, run)
    case 'fp16': {
      const keepIoTypes = step.options?.keepIoTypes
      const options = { to: 'fp16' as const, ...(keepIoTypes === undefined ? {} : { keepIoTypes }) }
      return runInWorker(spawn, 'convert-model', { modelPath: input, outputPath: output, options, ...spec }, run)
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
    const result = await runStep(options.spawn, step, parent, output, {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (fraction, stage, detail) => options.onProgress?.((index + fraction) / count, `step ${index + 1}/${count} ${label}: ${stage}`, detail),
    }, options.inputSpec)
    const outcome: StepOutcome = { index, step, label, input: parent, output, result, durationMs: performance.now() - started }
    outcomes.push(outcome)
    parent = (await options.afterStep?.(outcome)) ?? output
  }
  return outcomes
}
