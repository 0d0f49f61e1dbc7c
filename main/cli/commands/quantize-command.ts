// `slipway quantize MODEL --out FILE --mode dynamic|static|int4 ...`: int8 or int4 weights, validated
// against the original in the worker before the file is written.
import type { Command } from 'commander'
import type { QuantizeOptions } from '../../../preload/api'
import { UserError } from '../../core/errors'
import { runInWorker } from '../../core/worker/run-in-worker'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson, progressPrinter } from '../cli-output'
import { addInputSpecOptions, inputSpecParam, type InputSpecFlags } from '../input-spec-options'
import { parseNumberFlag } from '../flags'
import { formatRecipeSummary, listFlag } from './recipe-output'
import { isTfjsModel, tfjsQuantizeAction } from './tfjs-commands'

interface QuantizeFlags extends InputSpecFlags {
  out: string
  mode: string
  calib?: string
  method?: string
  percentile?: string
  perChannel?: boolean
  samples?: string
  blockSize?: string
  symmetric?: boolean
  opTypes?: string
  excludeNodes?: string
  errorReport?: boolean
  json?: boolean
}

export function quantizeOptionsFromFlags(flags: QuantizeFlags): QuantizeOptions {
  const mode = flags.mode
  if (mode !== 'dynamic' && mode !== 'static' && mode !== 'int4') throw new UserError(`--mode must be dynamic, static or int4 (got '${mode}')`)
  const method = flags.method
  if (method !== undefined && method !== 'minmax' && method !== 'percentile' && method !== 'entropy')
    throw new UserError(`--method must be minmax, percentile or entropy (got '${method}')`)
  if (mode !== 'static' && (method || flags.errorReport || flags.percentile))
    throw new UserError('--method, --percentile and --error-report apply to --mode static')
  if (mode === 'static' && !flags.calib) throw new UserError('--mode static needs --calib DATA (.npy, .npz, .pb or a test_data_set folder)')
  const blockSize = flags.blockSize === undefined ? undefined : parseNumberFlag('--block-size', flags.blockSize)
  if (blockSize !== undefined && blockSize !== 32 && blockSize !== 64 && blockSize !== 128)
    throw new UserError(`--block-size must be 32, 64 or 128 (got ${blockSize})`)
  if (mode !== 'int4' && (blockSize !== undefined || flags.symmetric)) throw new UserError('--block-size and --symmetric apply to --mode int4')
  const samples = flags.samples === undefined ? undefined : parseNumberFlag('--samples', flags.samples)
  if (samples !== undefined && (!Number.isInteger(samples) || samples < 1)) throw new UserError('--samples must be a positive whole number')
  const percentile = flags.percentile === undefined ? undefined : parseNumberFlag('--percentile', flags.percentile)
  if (percentile !== undefined && (percentile <= 50 || percentile > 100)) throw new UserError('--percentile must be in (50, 100]')
  const opTypes = listFlag(flags.opTypes)
  const excludeNodes = listFlag(flags.excludeNodes)
  return {
    mode,
    ...(flags.calib ? { calibPath: flags.calib } : {}),
    ...(method ? { method } : {}),
    ...(percentile === undefined ? {} : { percentile }),
    ...(flags.perChannel ? { perChannel: true } : {}),
    ...(samples === undefined ? {} : { samples }),
    ...(blockSize === undefined ? {} : { blockSize: blockSize as 32 | 64 | 128 }),
    ...(flags.symmetric ? { symmetric: true } : {}),
    ...(opTypes ? { opTypes } : {}),
    ...(excludeNodes ? { excludeNodes } : {}),
    ...(flags.errorReport ? { errorReport: true } : {}),
  }
}

export function registerQuantizeCommand(program: Command): void {
  const command = program
    .command('quantize')
    .description('int8 (dynamic, or static QDQ with calibration) or int4 weights, checked against the original before writing')
    .argument('<model>', '.onnx file, or a TF.js model.json')
    .requiredOption('--out <file>', 'where to write the quantized model (TF.js: a folder)')
    .requiredOption('--mode <mode>', 'dynamic | static | int4 (TF.js: uint8 | uint16 | float16)')
    .option('--calib <data>', 'static: calibration data (.npy, .npz, .pb, test_data_set folder); others: inputs to check outputs on')
    .option('--method <method>', 'static calibration: minmax (default) | percentile | entropy')
    .option('--percentile <p>', 'percentile calibration: share of values covered (default 99.999)')
    .option('--per-channel', 'one scale per output channel for Conv/Gemm/MatMul weights')
    .option('--samples <n>', 'use at most this many rows of the data')
    .option('--block-size <n>', 'int4: rows per block, 32 (default), 64 or 128')
    .option('--symmetric', 'int4: symmetric blocks (no zero points)')
    .option('--op-types <list>', 'comma-separated op types to quantize (default: all the mode handles)')
    .option('--exclude-nodes <list>', 'comma-separated node names to keep float')
    .option('--error-report', 'static: SQNR of every quantized activation against float, with suggested exclusions')
    .option('--json', 'print the summary as JSON')
  addInputSpecOptions(command).action(async (model: string, flags: QuantizeFlags) => {
    if (await isTfjsModel(model)) return tfjsQuantizeAction(model, flags)
    const options = quantizeOptionsFromFlags(flags)
    const summary = await runInWorker(spawnNodeWorker, 'quantize-model', { modelPath: model, outputPath: flags.out, options, ...inputSpecParam(flags) }, {
      onProgress: progressPrinter(`quantize ${options.mode}`),
    })
    if (flags.json) printJson(summary)
    else process.stdout.write(formatRecipeSummary(flags.out, summary))
  })
}
