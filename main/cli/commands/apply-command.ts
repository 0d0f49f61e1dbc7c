// `slipway apply MODEL RECIPE --out FILE`: runs a recipe file's steps in order, each step's output the
// next one's parent; only the last step writes FILE (a failed step leaves no output).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Command } from 'commander'
import type { StepOutcome } from '../../core/recipes/run-recipe'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson, progressPrinter } from '../cli-output'
import { addInputSpecOptions, inputSpecParam, type InputSpecFlags } from '../input-spec-options'
import { formatOptimizeResult } from './optimize-command'
import { formatPruneResult, formatRecipeSummary } from './recipe-output'

function formatStep(outcome: StepOutcome): string {
  const head = `step ${outcome.index + 1}: ${outcome.label} (${(outcome.durationMs / 1000).toFixed(1)} s)\n`
  const { applied } = outcome
  switch (applied.recipe) {
    case 'prune':
      return head + formatPruneResult(outcome.input, outcome.output, applied.summary)
    case 'optimize':
      return head + formatOptimizeResult(outcome.input, outcome.output, applied.summary)
    case 'quantize':
    case 'quantize dynamic':
    case 'quantize static':
    case 'quantize int4':
    case 'fp16':
      return head + formatRecipeSummary(outcome.output, applied.summary)
  }
}

export function registerApplyCommand(program: Command): void {
  const command = program
    .command('apply')
    .description('run a recipe file (JSON list of prune / optimize / quantize / fp16 steps) on a model')
    .argument('<model>', '.onnx file')
    .argument('<recipe>', 'recipe JSON file: {"steps": [{"step": "prune", "options": {...}}, ...]}')
    .requiredOption('--out <file>', 'where to write the last step\'s model')
    .option('--json', 'print every step\'s summary as JSON')
  addInputSpecOptions(command).action(async (model: string, recipePath: string, flags: { out: string; json?: boolean } & InputSpecFlags) => {
    // Loaded here, not at start-up: the recipe schema brings zod.
    const [{ readRecipeFile }, { runRecipe }] = await Promise.all([import('../../core/recipes/recipe-schema'), import('../../core/recipes/run-recipe')])
    const recipe = await readRecipeFile(recipePath)
    const work = await mkdtemp(join(tmpdir(), 'slipway-apply-'))
    try {
      const last = recipe.steps.length - 1
      const outcomes = await runRecipe(model, recipe, {
        spawn: spawnNodeWorker,
        ...inputSpecParam(flags),
        onProgress: progressPrinter('apply'),
        outputFor: async (index) => (index === last ? flags.out : join(work, `step-${index + 1}.onnx`)),
      })
      if (flags.json) printJson(outcomes.map(({ index, step, label, durationMs, applied }) => ({ index, step, label, durationMs, result: applied.summary })))
      else process.stdout.write(outcomes.map(formatStep).join('\n'))
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })
}
