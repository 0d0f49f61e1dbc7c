// Options shared by `slipway bench` and `slipway compare`: how a data set is read, where a report is
// exported, and the worker's limits.
import { writeFile } from 'node:fs/promises'
import type { Command } from 'commander'
import type { BenchmarkReport, CompareReport, DataOptions } from '../../preload/api'
import { UserError } from '../core/errors'
import { exportFormatOf, exportReport } from '../core/bench/export'
import { parseDims } from '../core/bench/input-spec'

export interface DataCliOptions {
  limit?: string
  labelColumn?: string
  scale?: string
  resize?: string
  layout?: string
  grayscale?: boolean
  mean?: string
  std?: string
  export?: string
  timeLimit?: string
  memoryCap?: string
}

export function addDataOptions(command: Command): Command {
  return command
    .option('--limit <n>', 'use at most this many samples of the data')
    .option('--label-column <name>', 'CSV: the label column (name, 0-based index, or none); default label/target/class/y, else the last')
    .option('--scale <x>', 'CSV and images: multiply values by this (images default 1/255)')
    .option('--resize <HxW>', 'images: size to resize to (default: the model input size)')
    .option('--layout <layout>', 'images: nchw or nhwc (default: from the model input)')
    .option('--grayscale', 'images: one channel')
    .option('--mean <values>', 'images: per-channel mean subtracted after scaling, e.g. 0.485,0.456,0.406')
    .option('--std <values>', 'images: per-channel std divided by, e.g. 0.229,0.224,0.225')
    .option('--export <file>', 'also write the report to FILE: .csv, .md or .json')
    .option('--time-limit <s>', 'stop a worker that runs longer than this many seconds')
    .option('--memory-cap <mb>', 'stop a worker whose resident memory grows past this many MB')
}

export function parseNumber(value: string | undefined, option: string, check: (n: number) => boolean = Number.isFinite): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !check(n)) throw new UserError(`${option} ${value}: not a valid number here`)
  return n
}

const positive = (n: number): boolean => Number.isFinite(n) && n > 0

function parseNumberList(value: string | undefined, option: string): number[] | undefined {
  if (value === undefined) return undefined
  const values = value.split(',').map((part) => Number(part.trim()))
  if (values.some((n) => !Number.isFinite(n))) throw new UserError(`${option} ${value}: expected numbers separated by commas`)
  return values
}

export function dataOptionsFrom(options: DataCliOptions): DataOptions {
  const size = options.resize === undefined ? undefined : parseDims(options.resize, '--resize')
  if (size && size.length !== 2) throw new UserError(`--resize ${options.resize}: write HEIGHTxWIDTH, e.g. 224x224`)
  if (options.layout !== undefined && options.layout !== 'nchw' && options.layout !== 'nhwc')
    throw new UserError(`--layout ${options.layout}: use nchw or nhwc`)
  const limit = parseNumber(options.limit, '--limit', (n) => Number.isInteger(n) && n > 0)
  const scale = parseNumber(options.scale, '--scale')
  const mean = parseNumberList(options.mean, '--mean')
  const std = parseNumberList(options.std, '--std')
  if (std?.some((s) => s === 0)) throw new UserError(`--std ${options.std}: a standard deviation of 0 would divide by zero`)
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(options.labelColumn === undefined ? {} : { labelColumn: options.labelColumn }),
    ...(scale === undefined ? {} : { scale }),
    ...(size ? { height: size[0] as number, width: size[1] as number } : {}),
    ...(options.layout === undefined ? {} : { layout: options.layout }),
    ...(options.grayscale ? { channels: 1 as const } : {}),
    ...(mean ? { mean } : {}),
    ...(std ? { std } : {}),
  }
}

export function limitsFrom(options: DataCliOptions): { timeLimitS?: number; memoryCapMb?: number } {
  const timeLimitS = parseNumber(options.timeLimit, '--time-limit', positive)
  const memoryCapMb = parseNumber(options.memoryCap, '--memory-cap', positive)
  return { ...(timeLimitS === undefined ? {} : { timeLimitS }), ...(memoryCapMb === undefined ? {} : { memoryCapMb }) }
}

/** Checks --export before any work, so a typo does not cost a whole benchmark. */
export function exportTarget(options: DataCliOptions): ((report: BenchmarkReport | CompareReport) => Promise<void>) | undefined {
  const path = options.export
  if (path === undefined) return undefined
  const format = exportFormatOf(path)
  if (!format) throw new UserError(`--export ${path}: name a .csv, .md or .json file`)
  return async (report) => {
    try {
      await writeFile(path, exportReport(report, format))
    } catch (error) {
      throw new UserError(`${path}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
    }
  }
}
