// `slipway export MODEL --format triton|kserve --name NAME --out DIR`: a Triton model repository (config.pbtxt
// from the model's inputs, outputs, dims and batch size) plus, for kserve, an InferenceService manifest.
import type { Command } from 'commander'
import { UserError } from '../../core/errors'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson } from '../cli-output'
import { publishSourceFor } from './publish-command'

interface ExportFlags {
  format: string
  name: string
  out: string
  newVersion?: boolean
  replace?: boolean
  workspace?: string
  json?: boolean
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write a Triton model repository (and a KServe InferenceService manifest) with a README')
    .argument('<model>', '.onnx file, or a workspace model id or name')
    .requiredOption('--format <format>', 'triton | kserve')
    .requiredOption('--name <name>', 'model name in the repository')
    .requiredOption('--out <dir>', 'output folder (the repository root)')
    .option('--new-version', 'if the model is there already, add a version')
    .option('--replace', 'if the model is there already, replace it')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print the result as JSON')
    .action(async (model: string, flags: ExportFlags) => {
      if (flags.format !== 'triton' && flags.format !== 'kserve') throw new UserError(`--format must be triton or kserve (got '${flags.format}')`)
      const { source } = await publishSourceFor(model, flags)
      const { publishModel } = await import('../../core/publish/publish-model')
      const result = await publishModel(
        spawnNodeWorker,
        source,
        { info: { name: flags.out, kind: 'folder', dir: flags.out, format: flags.format, hasToken: false } },
        { target: flags.out, name: flags.name, ifExists: flags.replace ? 'replace' : flags.newVersion ? 'new-version' : 'ask' },
        { signal: new AbortController().signal, progress: () => undefined },
      )
      if (flags.json) printJson(result)
      else process.stdout.write(`exported ${result.model} version ${result.version} to ${flags.out} (see README.md there)\n`)
    })
}
