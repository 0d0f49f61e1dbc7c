// `slipway bench MODEL...`: latency, throughput, memory and size of each model over batch × threads,
// each configuration in its own worker process.
import type { Command } from 'commander'
import type { BenchmarkOptions, BenchmarkReport } from '../../../preload/api'
import { benchTable, sweetSpotLine, tableToText } from '../../core/bench/export'
import { parsePositiveList } from '../../core/bench/input-spec'
import { UserError } from '../../core/errors'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson, progressPrinter } from '../cli-output'
import { addInputSpecOptions, inputSpecFrom, type InputSpecFlags } from '../input-spec-options'
import { addDataOptions, dataOptionsFrom, exportTarget, limitsFrom, parseNumber, type DataCliOptions } from '../data-options'

interface BenchCliOptions extends DataCliOptions, InputSpecFlags {
  batch?: string
  threads?: string
  warmup?: string
  iterations?: string
  duration?: string
  data?: string
  latencyCap?: string
  json?: boolean
}

export function benchOptionsFrom(options: BenchCliOptions): BenchmarkOptions {
  if (options.iterations !== undefined && options.duration !== undefined)
    throw new UserError('give --iterations or --duration, not both')
  const warmup = parseNumber(options.warmup, '--warmup', (n) => Number.isInteger(n) && n >= 0)
  const iterations = parseNumber(options.iterations, '--iterations', (n) => Number.isInteger(n) && n > 0)
  const durationS = parseNumber(options.duration, '--duration', (n) => n > 0)
  const latencyCapMs = parseNumber(options.latencyCap, '--latency-cap', (n) => n > 0)
  const data = dataOptionsFrom(options)
  return {
    ...(options.batch === undefined ? {} : { batches: parsePositiveList(options.batch, '--batch') }),
    ...(options.threads === undefined ? {} : { threads: parsePositiveList(options.threads, '--threads') }),
    ...(warmup === undefined ? {} : { warmup }),
    ...(iterations === undefined ? {} : { iterations }),
    ...(durationS === undefined ? {} : { durationS }),
    ...inputSpecFrom(options),
    ...(latencyCapMs === undefined ? {} : { latencyCapMs }),
    ...(options.data === undefined ? {} : { dataPath: options.data, data }),
    ...limitsFrom(options),
  }
}

export function formatBenchReport(report: BenchmarkReport): string {
  const cpu = report.cpu
  const lines = [
    `${report.runtime} on ${cpu.model} (${cpu.logicalCores} logical cores, ${cpu.arch})`,
    `instruction sets: ${cpu.instructionSets.join(' ') || 'unknown'} (${cpu.int8Note})`,
    '',
    tableToText(benchTable(report)),
  ]
  if (report.results.length > 1 || report.settings.latencyCapMs !== undefined)
    lines.push(...report.sweetSpots.map((s) => `sweet spot: ${sweetSpotLine(s)}`), '')
  for (const warning of report.warnings) lines.push(`warning: ${warning}`)
  return lines.join('\n').trimEnd() + '\n'
}

export function registerBenchCommand(program: Command): void {
  const command = program
    .command('bench')
    .description('measure latency percentiles, throughput, peak memory and size of models, each in its own worker process')
    .argument('<models...>', '.onnx files or TF.js model.json files (layers- or graph-models)')
    .option('--batch <sizes>', 'batch sizes to sweep, e.g. 1,8,32 (fills the leading dynamic dim; default: the model’s fixed batch, else 1)')
    .option('--threads <counts>', 'intra-op thread counts to sweep, e.g. 1,2 (default 1)')
    .option('--warmup <n>', 'untimed runs first (default 10)')
    .option('--iterations <n>', 'time exactly this many runs per configuration')
    .option('--duration <s>', 'time budget per configuration: runs until the median’s 95% interval is within ±2% or this many seconds pass (default 10)')
    .option('--data <file>', 'feed real data (.npy, .npz, test_data_set folder, .csv, image folder) instead of random values')
    .option('--latency-cap <ms>', 'sweet spot: best throughput whose p95 latency stays within this')
    .option('--json', 'print the report as JSON')
  addDataOptions(addInputSpecOptions(command)).action(async (models: string[], options: BenchCliOptions) => {
    const benchOptions = benchOptionsFrom(options)
    const writeExport = exportTarget(options)
    const { runBenchmarks } = await import('../../core/bench/run-bench')
    const report = await runBenchmarks(
      spawnNodeWorker,
      models.map((path) => ({ path, label: path })),
      benchOptions,
      { onProgress: progressPrinter('bench') },
    )
    await writeExport?.(report)
    if (options.json) printJson(report)
    else process.stdout.write(formatBenchReport(report))
    if (report.failures.length > 0) process.exitCode = 1
  })
}
