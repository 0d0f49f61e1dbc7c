// `slipway prune MODEL --out FILE --sparsity S | --structured --ratio R`: magnitude or structured pruning,
// validated in the worker, with a summary of what changed and what it buys.
import type { Command } from 'commander'
import type { PruneModelResult, PruneOptions, Validation } from '../../../preload/api'
import { UserError } from '../../core/errors'
import { checkRatio, checkSparsity } from '../../core/optimize/prune-limits'
import { runInWorker } from '../../core/worker/run-in-worker'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson, progressPrinter } from '../cli-output'
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

export function parseNumberFlag(flag: string, value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n)) throw new UserError(`${flag} must be a number (got '${value}')`)
  return n
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!allowed.includes(value as T)) throw new UserError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`)
  return value as T
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

const percent = (x: number): string => `${(x * 100).toFixed(1)}%`
const kb = (n: number): string => `${(n / 1000).toFixed(1)} KB`

export function formatOutputCheck(check: Validation): string {
  const lines = check.outputs.map((o) => {
    const agreement = o.top1Agreement === undefined ? '' : `, top-1 agreement ${percent(o.top1Agreement)}`
    return `  ${o.name}: SQNR ${o.sqnrDb.toFixed(1)} dB, max |diff| ${o.maxAbsDiff.toPrecision(3)}${agreement}`
  })
  return [`checked against the parent on ${check.rows} rows of ${check.inputs}:`, ...lines].join('\n')
}

export function formatPruneResult(input: string, output: string, result: PruneModelResult): string {
  const { summary, sizes } = result
  const lines: string[] = []
  if (summary.method === 'magnitude') {
    lines.push(`${input} → ${output}: magnitude pruning, ${percent(summary.targetSparsity)} target, ${summary.scope} scope`)
    const width = Math.max(5, ...summary.layers.map((l) => l.node.length))
    lines.push(`  ${'layer'.padEnd(width)}  op        weights  sparsity`)
    for (const l of summary.layers)
      lines.push(`  ${l.node.padEnd(width)}  ${l.opType.padEnd(8)}  ${String(l.weights).padStart(7)}  ${percent(l.sparsity).padStart(8)}${l.kept ? `  kept: ${l.kept}` : ''}`)
    lines.push(`achieved: ${percent(summary.achievedSparsity)} of the pruned layers' weights are zero`)
  } else {
    lines.push(`${input} → ${output}: structured pruning, ratio ${summary.ratio}, ${summary.criterion} norm`)
    const width = Math.max(5, ...summary.layers.map((l) => l.node.length))
    lines.push(`  ${'layer'.padEnd(width)}  op        channels  group`)
    for (const l of summary.layers)
      lines.push(`  ${l.node.padEnd(width)}  ${l.opType.padEnd(8)}  ${`${l.channelsBefore}→${l.channelsAfter}`.padStart(8)}  ${l.group}`)
    lines.push(`parameters: ${summary.parametersBefore} → ${summary.parametersAfter}`)
  }
  lines.push(`size: ${kb(sizes.parentBytes)} → ${kb(sizes.bytes)}; gzip: ${kb(sizes.parentGzipBytes)} → ${kb(sizes.gzipBytes)} (${(sizes.gzipBytes / sizes.parentGzipBytes).toFixed(2)}x)`)
  lines.push(formatOutputCheck(result.check))
  for (const note of result.notes) lines.push(`note: ${note}`)
  return `${lines.join('\n')}\n`
}

export function registerPruneCommand(program: Command): void {
  program
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
    .action(async (model: string, flags: PruneFlags) => {
      if (await isTfjsModel(model)) return tfjsPruneAction(model, flags)
      const options = pruneOptionsFromFlags(flags)
      const result = await runInWorker(spawnNodeWorker, 'prune-model', { input: model, output: flags.out, options }, { onProgress: progressPrinter('prune') })
      if (flags.json) printJson(result)
      else process.stdout.write(formatPruneResult(model, flags.out, result))
    })
}
