// `slipway prune MODEL --out FILE --sparsity S | --structured --ratio R`: magnitude or structured pruning,
// validated in the worker, with a summary of what changed and what it buys.
import type { Command } from 'commander'
import type { PruneOptions } from '../../../preload/api'
import { UserError } from '../../core/errors'
import { checkRatio, checkSparsity } from '../../core/optimize/prune-limits'
import { runInWorker } from '../../core/worker/run-in-worker'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson, progressPrinter } from '../cli-output'
import { addInputSpecOptions, inputSpecParam, type InputSpecFlags } from '../input-spec-options'
import { oneOf, parseNumberFlag } from '../flags'
import { formatPruneResult } from './recipe-output'
import { isTfjsModel, tfjsPruneAction } from './tfjs-commands'

interface PruneFlags {
  out: string
  sparsity?: string
  scope?: string
  structured?: boolean
  ratio?: string
  criterion?: string
  channelMultiple?: string
  excludeNodes?: string
  includeFirstLast?: boolean
  data?: string
  json?: boolean
}

export function pruneOptionsFromFlags(flags: PruneFlags): PruneOptions {
  const excludeNodes = flags.excludeNodes ? flags.excludeNodes.split(',').map((s) => s.trim()).filter(Boolean) : undefined
  const common = {
    ...(excludeNodes ? { excludeNodes } : {}),
    ...(flags.includeFirstLast ? { includeFirstLast: true } : {}),
    ...(flags.data ? { dataPath: flags.data } : {}),
  }
  if (flags.structured) {
    if (flags.sparsity !== undefined) throw new UserError('--sparsity is for magnitude pruning; --structured takes --ratio')
    if (flags.ratio === undefined) throw new UserError('--structured needs --ratio R (the fraction of each layer\'s channels to remove)')
    const criterion = oneOf('--criterion', flags.criterion, ['l1', 'l2'] as const)
    const ratio = parseNumberFlag('--ratio', flags.ratio)
    checkRatio(ratio)
    const multiple = flags.channelMultiple === undefined ? undefined : parseNumberFlag('--channel-multiple', flags.channelMultiple)
    if (multiple !== undefined && (!Number.isInteger(multiple) || multiple < 1)) throw new UserError(`--channel-multiple must be a positive whole number (got ${multiple})`)
    return { method: 'structured', ratio, ...(criterion ? { criterion } : {}), ...(multiple ? { channelMultiple: multiple } : {}), ...common }
  }
  if (flags.ratio !== undefined) throw new UserError('--ratio needs --structured')
  if (flags.sparsity === undefined) throw new UserError('give --sparsity S (magnitude pruning) or --structured --ratio R')
  const scope = oneOf('--scope', flags.scope, ['global', 'layer'] as const)
  const sparsity = parseNumberFlag('--sparsity', flags.sparsity)
  checkSparsity(sparsity)
  return { method: 'magnitude', sparsity, ...(scope ? { scope } : {}), ...common }
}

export function registerPruneCommand(program: Command): void {
  const command = program
    .command('prune')
    .description('zero the smallest weights (--sparsity), or remove whole channels (--structured --ratio) for a smaller, faster model')
    .argument('<model>', '.onnx file, or a TF.js model.json (magnitude only)')
    .requiredOption('--out <file>', 'where to write the pruned model (TF.js: a folder)')
    .option('--sparsity <s>', 'magnitude pruning: fraction of weights set to zero, in [0, 1)')
    .option('--scope <scope>', 'magnitude pruning: global (one threshold) or layer (each layer reaches the sparsity)')
    .option('--structured', 'remove whole output channels of Conv layers and hidden units of Gemm/MatMul chains')
    .option('--ratio <r>', 'structured pruning: fraction of each layer\'s channels to remove')
    .option('--criterion <c>', 'structured pruning: l1 or l2 norm of a channel\'s weights (default l1)')
    .option('--channel-multiple <n>', 'structured pruning: round kept channels of wide layers to multiples of n (default 16; 1: exact)')
    .option('--exclude-nodes <names>', 'comma-separated node names to leave as they are')
    .option('--include-first-last', 'prune the first and last layers too (kept by default)')
    .option('--data <path>', 'inputs to compare the result with the parent on (.npy, .npz, .pb, test_data_set folder; random otherwise)')
    .option('--json', 'print the summary as JSON')
  addInputSpecOptions(command).action(async (model: string, flags: PruneFlags & InputSpecFlags) => {
    if (await isTfjsModel(model)) return tfjsPruneAction(model, flags)
    const options = pruneOptionsFromFlags(flags)
    const result = await runInWorker(spawnNodeWorker, 'prune-model', { modelPath: model, outputPath: flags.out, options, ...inputSpecParam(flags) }, { onProgress: progressPrinter('prune') })
    if (flags.json) printJson(result)
    else process.stdout.write(formatPruneResult(model, flags.out, result))
  })
}
