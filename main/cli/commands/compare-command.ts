// `slipway compare BASELINE VARIANT... --data X [--labels Y]`: how far each variant's outputs drift from
// the baseline's on the same inputs, and the accuracy of each on labels.
import type { Command } from 'commander'
import type { CompareOptions, CompareReport } from '../../../preload/api'
import { comparisonCandidates, defaultPickRule, pickVariant, type Pick, type PickRule } from '../../../preload/pick-rule'
import { compareTable, pairedTable, tableToText } from '../../core/bench/export'
import { UserError } from '../../core/errors'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson, progressPrinter } from '../cli-output'
import { addInputSpecOptions, inputSpecFrom, type InputSpecFlags } from '../input-spec-options'
import { addDataOptions, dataOptionsFrom, exportTarget, limitsFrom, parseNumber, type DataCliOptions } from '../data-options'

interface CompareCliOptions extends DataCliOptions, InputSpecFlags {
  data: string
  labels?: string
  batch?: string
  timeBudget?: string
  objective?: string
  maxAccuracyDrop?: string
  json?: boolean
}

const stopWords = { stable: 'every p50 and ratio stable within', budget: 'time budget spent before every p50 and ratio was within', runs: 'fixed run count;' } as const

export function formatCompareReport(report: CompareReport, pick: Pick): string {
  const paired = pairedTable(report)
  const latency = report.latency
  const lines = [
    `baseline ${report.baseline.model}; ${report.data.samples} samples from ${report.data.source}${report.data.labels ? `; labels: ${report.data.labels}` : ''}`,
    '',
    tableToText(compareTable(report)),
    ...(paired && latency
      ? [
          `latency timed in alternation (batch ${latency.batch}, ${latency.threads} thread, ${latency.rounds} rounds; ${stopWords[latency.stop]} ±${(latency.stableWithin * 100).toFixed(0)}%)`,
          tableToText(paired),
        ]
      : []),
    `pick: ${pick.winnerId ?? 'none'} (${pick.verdict}): ${pick.reason}`,
    '',
  ]
  return lines.join('\n')
}

/** The rule from --objective and --max-accuracy-drop: what a comparison measures is latency, size and accuracy. */
function ruleFrom(options: CompareCliOptions): PickRule {
  const objectives = { latency: 'p50Ms', size: 'sizeBytes' } as const
  const objective = options.objective ?? 'latency'
  if (!(objective in objectives)) throw new UserError(`--objective ${objective}: use latency or size`)
  const drop = parseNumber(options.maxAccuracyDrop, '--max-accuracy-drop', (n) => n >= 0)
  return { ...defaultPickRule, objective: objectives[objective as keyof typeof objectives], ...(drop === undefined ? {} : { maxAccuracyDrop: drop }) }
}

export function registerCompareCommand(program: Command): void {
  const command = program
    .command('compare')
    .description('run a baseline and its variants on the same inputs and report output drift (error, cosine, SQNR, top-k agreement, KL) and accuracy')
    .argument('<baseline>', 'the reference model: .onnx or TF.js model.json')
    .argument('<variants...>', 'models to compare with it (.onnx or TF.js model.json: a TF.js model and its ONNX conversion compare)')
    .requiredOption('--data <file>', 'inputs: .npy, .npz, test_data_set folder, .csv or image folder')
    .option('--labels <file>', 'class labels (.npy or one per line) for top-1 accuracy; CSV and class folders carry their own')
    .option('--batch <n>', 'samples per run (default 32, or the model’s fixed batch)')
    .option('--time-budget <s>', 'seconds to time the models in alternation; stops earlier once every p50 and ratio is within ±2% (default 10; 0 skips timing)')
    .option('--objective <what>', 'what the pick optimizes: latency or size (default latency)')
    .option('--max-accuracy-drop <pts>', 'largest accuracy drop the pick accepts, in points (top-1 disagreement without labels; default 1)')
    .option('--json', 'print the report as JSON, with the pick')
  addDataOptions(addInputSpecOptions(command)).action(async (baseline: string, variants: string[], options: CompareCliOptions) => {
    const batch = parseNumber(options.batch, '--batch', (n) => Number.isInteger(n) && n > 0)
    const latencyBudgetS = parseNumber(options.timeBudget, '--time-budget', (n) => n >= 0 && n <= 600)
    const rule = ruleFrom(options)
    const { shapes, values, ranges } = inputSpecFrom(options)
    if (ranges) throw new UserError('--range applies to generated inputs; compare runs on the data (fix an input the data lacks with --value)')
    const compareOptions: CompareOptions = {
      dataPath: options.data,
      ...(options.labels === undefined ? {} : { labelsPath: options.labels }),
      data: dataOptionsFrom(options),
      ...(batch === undefined ? {} : { batch }),
      ...(shapes ? { shapes } : {}),
      ...(values ? { values } : {}),
      ...(latencyBudgetS === undefined ? {} : { latencyBudgetS }),
      ...limitsFrom(options),
    }
    const writeExport = exportTarget(options)
    const { runComparison } = await import('../../core/bench/run-compare')
    const report = await runComparison(
      spawnNodeWorker,
      { path: baseline, label: baseline },
      variants.map((path) => ({ path, label: path })),
      compareOptions,
      { onProgress: progressPrinter('compare') },
    )
    await writeExport?.(report)
    const pick = pickVariant(comparisonCandidates(report), rule)
    if (options.json) printJson({ ...report, pick })
    else process.stdout.write(formatCompareReport(report, pick))
  })
}
