// `slipway inspect PATH [--json]`: what a model is, as the model page shows it.
import type { Command } from 'commander'
import type { Inspection } from '../../../preload/api'
import { runInWorker } from '../../core/worker/run-in-worker'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { printJson } from '../cli-output'
import { formatInspection } from '../format-inspection'

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('show inputs, outputs, operators, parameters, size and deployment warnings of a model')
    .argument('<path>', '.onnx file, TF.js model.json, or a folder holding one')
    .option('--json', 'print the inspection as JSON')
    .action(async (path: string, options: { json?: boolean }) => {
      const { inspection } = await runInWorker(spawnNodeWorker, 'inspect-model', { path })
      if (options.json) printJson(inspection satisfies Inspection)
      else process.stdout.write(formatInspection(path, inspection))
    })
}
