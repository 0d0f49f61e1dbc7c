// Runs a recipe: each step in its own worker process, each step's output the next step's parent.
// The caller decides where outputs go (the CLI keeps the last one). `runStep` is the one way a step runs:
// the recipe job, the single-step jobs and tune run theirs through makeVariant (jobs/variant.ts), which
// commits each output as a variant with its lineage.
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
  /** Output path of step `index` (0-based); it is the next step's parent. */
  outputFor(index: number, step: RecipeStep): Promise<string>
}

/** The files of one step: the parent's main file in, the result out. */
export interface StepFiles {
  readonly modelPath: string
  readonly outputPath: string
}

/**
 * Runs one step in a worker. `file` (the recipe's name and the step's index) joins the step's options in
 * what it applied; without it the step ran on its own, and a quantize step names its mode in its recipe as
 * the quantize job's lineage always has. The parent's input spec says what its inputs are when no data is given.
 */
export async function runStep(spawn: SpawnWorker, step: RecipeStep, files: StepFiles, run: RunOptions, file?: RecipeFileParams, inputSpec?: InputSpec): Promise<StepApplied> {
  const task = { ...files, ...(inputSpec ? { inputSpec } : {}) }
  switch (step.step) {
    case 'prune':
      return { recipe: 'prune', params: { ...step.options, ...file }, summary: await runInWorker(spawn, 'prune-model', { ...task, options: step.options }, run) }
    case 'optimize':
      return { recipe: 'optimize', params: { ...step.options, ...file }, summary: await runInWorker(spawn, 'ort-optimize', { ...task, options: step.options }, run) }
    case 'quantize': {
      const summary = await runInWorker(spawn, 'quantize-model', { ...task, options: step.options }, run)
      return file ? { recipe: 'quantize', params: { ...step.options, ...file }, summary } : { recipe: `quantize ${step.options.mode}`, params: step.options, summary }
    }
    case 'fp16': {
      const options = step.options ?? {}
      return { recipe: 'fp16', params: { ...options, ...file }, summary: await runInWorker(spawn, 'convert-model', { ...task, options }, run) }
    }
  }
}

/** A step's progress as a share of the whole recipe, its stage prefixed with where the step sits. */
export function stepProgress(
  onProgress: ((fraction: number, stage: string, detail?: string) => void) | undefined,
  index: number,
  count: number,
  label: string,
): (fraction: number, stage: string, detail?: string) => void {
  return (fraction, stage, detail) => onProgress?.((index + fraction) / count, `step ${index + 1}/${count} ${label}: ${stage}`, detail)
}

/** Where step `index` sits in the recipe, as its lineage keeps it. */
export function recipeFileParams(recipe: Recipe, index: number): RecipeFileParams {
  return { ...(recipe.name ? { recipeName: recipe.name } : {}), stepIndex: index }
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
      { modelPath: parent, outputPath: output },
      { ...(options.signal ? { signal: options.signal } : {}), onProgress: stepProgress(options.onProgress, index, count, label) },
      recipeFileParams(recipe, index),
      options.inputSpec,
    )
    const outcome: StepOutcome = { index, step, label, input: parent, output, applied, durationMs: performance.now() - started }
    outcomes.push(outcome)
    parent = output
  }
  return outcomes
}
