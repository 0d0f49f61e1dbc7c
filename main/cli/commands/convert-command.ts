// `slipway convert MODEL --to fp16 --out FILE [--keep-io-types]`: float16 weights, checked against the
// original in the worker before the file is written.
import type { Command } from 'commander'
import type { ConvertOptions } from '../../../preload/api'
import { UserError } from '../../core/errors'
import { runInWorker } from '../../core/worker/run-in-worker'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson, progressPrinter } from '../cli-output'
import { addInputSpecOptions, inputSpecParam, type InputSpecFlags } from '../input-spec-options'
import { formatRecipeSummary, listFlag } from './recipe-output'
import { isTfjsModel, tfjsConvertAction } from './tfjs-commands'

interface ConvertFlags extends InputSpecFlags {
  to: string
  out: string
  keepIoTypes?: boolean
  data?: string
  opTypes?: string
  excludeNodes?: string
  json?: boolean
}

export function convertOptionsFromFlags(flags: ConvertFlags): ConvertOptions {
  if (flags.to !== 'fp16') throw new UserError(`--to must be fp16 (got '${flags.to}')`)
  const opTypes = listFlag(flags.opTypes)
  const excludeNodes = listFlag(flags.excludeNodes)
  return {
    to: 'fp16',
    ...(flags.keepIoTypes ? { keepIoTypes: true } : {}),
    ...(flags.data ? { dataPath: flags.data } : {}),
    ...(opTypes ? { opTypes } : {}),
    ...(excludeNodes ? { excludeNodes } : {}),
  }
}

export function registerConvertCommand(program: Command): void {
  const command = program
    .command('convert')
    .description('float16 weights (half the size), checked against the original before writing')
    .argument('<model>', '.onnx file, or a TF.js layers-model (model.json or its folder)')
    .requiredOption('--to <precision>', 'fp16 (TF.js models: onnx)')
    .requiredOption('--out <file>', 'where to write the converted model')
    .option('--keep-io-types', 'keep float32 inputs and outputs (default: they become float16)')
    .option('--data <path>', 'inputs to compare the outputs on (.npy, .npz, .pb, test_data_set folder); random otherwise')
    .option('--op-types <list>', 'comma-separated op types whose weights to convert (default: all)')
    .option('--exclude-nodes <list>', 'comma-separated node names whose weights stay float32')
    .option('--json', 'print the summary as JSON')
  addInputSpecOptions(command).action(async (model: string, flags: ConvertFlags) => {
    if (await isTfjsModel(model)) return tfjsConvertAction(model, flags)
    const options = convertOptionsFromFlags(flags)
    const summary = await runInWorker(spawnNodeWorker, 'convert-model', { modelPath: model, outputPath: flags.out, options, ...inputSpecParam(flags) }, {
      onProgress: progressPrinter('convert fp16'),
    })
    if (flags.json) printJson(summary)
    else process.stdout.write(formatRecipeSummary(flags.out, summary))
  })
}
