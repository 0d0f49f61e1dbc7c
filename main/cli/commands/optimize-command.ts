// `slipway optimize MODEL --out FILE --level basic|extended|all`: ONNX Runtime's offline graph optimization.
import type { Command } from 'commander'
import type { GraphOptimizeOptions, OrtOptimizeResult } from '../../../preload/api'
import { UserError } from '../../core/errors'
import { runInWorker } from '../../core/worker/run-in-worker'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson, progressPrinter } from '../cli-output'
import { addInputSpecOptions, inputSpecParam, type InputSpecFlags } from '../input-spec-options'
import { formatOutputCheck } from './recipe-output'

const levels = ['basic', 'extended', 'all'] as const

export function formatOptimizeResult(input: string, output: string, result: OrtOptimizeResult): string {
  const ops = (histogram: Readonly<Record<string, number>>): string =>
    Object.entries(histogram)
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')
  return [
    `${input} → ${output}: ONNX Runtime graph optimization, level ${result.level}`,
    `nodes: ${result.nodesBefore} → ${result.nodesAfter}`,
    `  before: ${ops(result.opsBefore)}`,
    `  after:  ${ops(result.opsAfter)}`,
    `size: ${result.bytesBefore} → ${result.bytesAfter} bytes`,
    `session start: ${result.sessionCreateMs.parent.toFixed(1)} ms → ${result.sessionCreateMs.optimized.toFixed(1)} ms`,
    formatOutputCheck(result.validation),
    ...result.notes.map((n) => `note: ${n}`),
    '',
  ].join('\n')
}

export function registerOptimizeCommand(program: Command): void {
  const command = program
    .command('optimize')
    .description("ONNX Runtime's offline graph optimization (constant folding, fusions) saved as a new model")
    .argument('<model>', '.onnx file')
    .requiredOption('--out <file>', 'where to write the optimized model')
    .option('--level <level>', "basic, extended or all ('all' bakes in layouts for this CPU)", 'extended')
    .option('--data <path>', 'inputs to compare the result with the parent on (random otherwise)')
    .option('--json', 'print the summary as JSON')
  addInputSpecOptions(command).action(async (model: string, flags: { out: string; level: string; data?: string; json?: boolean } & InputSpecFlags) => {
    if (!levels.includes(flags.level as GraphOptimizeOptions['level']))
      throw new UserError(`--level must be one of ${levels.join(', ')} (got '${flags.level}')`)
    const options: GraphOptimizeOptions = { level: flags.level as GraphOptimizeOptions['level'], ...(flags.data ? { dataPath: flags.data } : {}) }
    if (options.level === 'all')
      process.stderr.write("slipway: warning: level 'all' bakes in layouts for this CPU; use 'extended' for a model deployed elsewhere\n")
    const result = await runInWorker(spawnNodeWorker, 'ort-optimize', { modelPath: model, outputPath: flags.out, options, ...inputSpecParam(flags) }, { onProgress: progressPrinter('optimize') })
    if (flags.json) printJson(result)
    else process.stdout.write(formatOptimizeResult(model, flags.out, result))
  })
}
