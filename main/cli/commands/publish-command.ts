// `slipway publish MODEL --target NAME|URL --name MODEL_NAME [--token-file F] [--json]`: MODEL is an .onnx
// file or a workspace model (id or name); progress on stderr, the version, endpoint and examples on stdout.
import type { Command } from 'commander'
import { access } from 'node:fs/promises'
import type { PublishResult } from '../../../preload/api'
import { UserError } from '../../core/errors'
import { savePublish } from '../../core/publish/publish-metadata'
import type { PublishSource } from '../../core/publish/publish-model'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { defaultWorkspaceDir } from '../../core/workspace/default-workspace-dir'
import { printJson, progressPrinter } from '../cli-output'
import { findWorkspaceModel } from '../workspace-model'
import { resolveCliTarget, type TargetFlags } from './targets-command'

interface PublishFlags extends TargetFlags {
  target: string
  name: string
  data?: string
  newVersion?: boolean
  replace?: boolean
}

/** A model file on disk, or a model of the workspace by id or (unique) name. */
export async function publishSourceFor(model: string, flags: { workspace?: string; data?: string }): Promise<{ source: PublishSource; modelId?: string; saveResult?: (result: PublishResult) => Promise<void> }> {
  const isFile = await access(model).then(() => true, () => false)
  // Loaded on use: the engine and the publish client would slow every other command's start-up.
  const { sourceFromFile, sourceFromWorkspace } = await import('../../core/publish/publish-source')
  if (isFile) return { source: await sourceFromFile(spawnNodeWorker, model, flags.data) }
  const { createAppService } = await import('../../core/app-service')
  const service = await createAppService({ workspaceDir: flags.workspace ?? defaultWorkspaceDir(), host: 'cli', spawnWorker: spawnNodeWorker })
  const id = findWorkspaceModel(await service.workspace.list(), model, service.workspace.dir).id
  return {
    source: await sourceFromWorkspace(service.workspace, id, flags.data, (await service.api.listDataFiles()).map((file) => file.path)),
    modelId: id,
    saveResult: (result) => savePublish(service.workspace, id, result),
  }
}

export function formatPublishResult(result: PublishResult): string {
  const lines = [`published ${result.model} version ${result.version} to ${result.target}`]
  if (result.endpoint) lines.push(`endpoint: ${result.endpoint}`)
  if (result.outDir) lines.push(`folder:   ${result.outDir}`)
  if (result.smoke) lines.push(`smoke test: ${result.smoke.rows} rows of ${result.smoke.inputs}, outputs within ${result.smoke.maxAbsDiff.toExponential(2)} of the local run`)
  if (result.attempts && result.attempts > 1) lines.push(`upload: ${result.attempts} tries (the connection dropped)`)
  lines.push('', 'curl:', result.examples.curl, '', 'Python:', result.examples.python, '', 'JavaScript:', result.examples.javascript)
  return `${lines.join('\n')}\n`
}

export function registerPublishCommand(program: Command): void {
  program
    .command('publish')
    .description('publish a model to a target: pre-flight, upload, checksum, smoke test against the local run, live')
    .argument('<model>', '.onnx file, or a workspace model id or name')
    .requiredOption('--target <target>', 'target name (slipway targets list) or a Slipway server URL')
    .requiredOption('--name <name>', 'model name on the target')
    .option('--token-file <file>', 'file holding the admin token (needed with a URL target)')
    .option('--data <path>', 'inputs for the smoke test (.npy, .npz, test_data_set folder...)')
    .option('--new-version', 'if the name is taken, publish as a new version and serve it')
    .option('--replace', 'if the name is taken, publish, serve, and delete the other versions')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print the result as JSON')
    .action(async (model: string, flags: PublishFlags) => {
      if (flags.newVersion && flags.replace) throw new UserError('give --new-version or --replace, not both')
      const target = await resolveCliTarget(flags.target, flags)
      const { source, saveResult } = await publishSourceFor(model, flags)
      const progress = progressPrinter(`publish ${flags.name}`)
      const { publishModel } = await import('../../core/publish/publish-model')
      const result = await publishModel(
        spawnNodeWorker,
        source,
        target,
        { target: flags.target, name: flags.name, ifExists: flags.replace ? 'replace' : flags.newVersion ? 'new-version' : 'ask' },
        { signal: new AbortController().signal, progress },
      ).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'exists') throw new UserError(`${(error as Error).message} (--new-version or --replace)`)
        throw error
      })
      await saveResult?.(result)
      if (flags.json) printJson(result)
      else process.stdout.write(formatPublishResult(result))
    })
}
