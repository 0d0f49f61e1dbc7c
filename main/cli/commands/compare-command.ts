// `slipway compare BASELINE VARIANT... --data X [--labels Y]`: how far each variant's outputs drift from
// the baseline's on the same inputs, and the accuracy of each on labels.
import type { Command } from 'commander'
import type { CompareOptions, CompareReport } from '../../../preload/api'
import { compareTable, tableToText } from '../../core/bench/export'
import { UserError } from '../../core/errors'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson, progressPrinter } from '../cli-output'
import { addInputSpecOptions, inputSpecFrom, type InputSpecFlags } from '../input-spec-options'
import { addDataOptions, dataOptionsFrom, exportTarget, limitsFrom, parseNumber, type DataCliOptions } from '../data-options'

interface CompareCliOptions extends DataCliOptions, InputSpecFlags {
  data: string
  labels?: string
  batch?: string
  json?: boolean
}

export function formatCompareReport(report: CompareReport): string {
  const lines = [
    `baseline ${report.baseline.model}; ${report.data.samples} samples from ${report.data.source}${report.data.labels ? `; labels: ${report.data.labels}` : ''}`,
    '',
    tableToText(compareTable(report)),
  ]
  return lines.join('\n')
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
    .option('--json', 'print the report as JSON')
  addDataOptions(addInputSpecOptions(command)).action(async (baseline: string, variants: string[], options: CompareCliOptions) => {
    const batch = parseNumber(options.batch, '--batch', (n) => Number.isInteger(n) && n > 0)
    const { shapes, values, ranges } = inputSpecFrom(options)
    if (ranges) throw new UserError('--range applies to generated inputs; compare runs on the data (fix an input the data lacks with --value)')
    const compareOptions: CompareOptions = {
      dataPath: options.data,
      ...(options.labels === undefined ? {} : { labelsPath: options.labels }),
      data: dataOptionsFrom(options),
      ...(batch === undefined ? {} : { batch }),
      ...(shapes ? { shapes } : {}),
      ...(values ? { values } : {}),
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
    if (options.json) printJson(report)
    else process.stdout.write(formatCompareReport(report))
  })
}
