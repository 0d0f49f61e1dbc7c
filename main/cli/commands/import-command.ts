// `slipway import PATH [--workspace DIR]`: copy a model into the workspace, as dropping it on the window does.
import type { Command } from 'commander'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { defaultWorkspaceDir } from '../../core/workspace/default-workspace-dir'
import { printJson } from '../cli-output'

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('copy a model (with its external data or weight shards) into the workspace')
    .argument('<path>', '.onnx file, TF.js model.json, or a folder holding one')
    .option('--workspace <dir>', 'workspace folder (default: $SLIPWAY_WORKSPACE or the per-user data folder)')
    .option('--json', 'print the new workspace entry as JSON')
    .action(async (path: string, options: { workspace?: string; json?: boolean }) => {
      const { createAppService } = await import('../../core/app-service')
      const service = await createAppService({
        workspaceDir: options.workspace ?? defaultWorkspaceDir(),
        host: 'cli',
        spawnWorker: spawnNodeWorker,
      })
      const entry = await service.api.importModel({ kind: 'paths', paths: [path] })
      if (options.json) printJson(entry)
      else process.stdout.write(`imported ${entry.name} as ${entry.id} into ${service.workspace.dir}\n`)
    })
}
