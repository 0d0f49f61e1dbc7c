// `slipway targets add|list|remove`: deployment targets of the workspace. Tokens come from a file (never
// an argument, which other users see in the process list) and are kept in a 0600 file, never printed.
import type { Command } from 'commander'
import type { NewTarget, TargetInfo } from '../../../preload/api'
import { UserError } from '../../core/errors'
import { readTokenFile, type TargetStore } from '../../core/publish/targets'
import { defaultWorkspaceDir } from '../../core/workspace/default-workspace-dir'
import { printJson } from '../cli-output'

export interface TargetFlags {
  workspace?: string
  tokenFile?: string
  json?: boolean
}

/** Loads the store on use: publish-api brings the deployment clients, which `slipway --help` does not need. */
export async function cliTargetStore(flags: { workspace?: string }): Promise<TargetStore> {
  const { targetStoreFor } = await import('../../core/publish/publish-api')
  return targetStoreFor(flags.workspace ?? defaultWorkspaceDir())
}

/** A target's name or URL and the token to use (from --token-file, else the stored one). */
export async function resolveCliTarget(target: string, flags: TargetFlags): ReturnType<TargetStore['resolve']> {
  const token = flags.tokenFile ? await readTokenFile(flags.tokenFile) : undefined
  return (await cliTargetStore(flags)).resolve(target, token)
}

function describe(target: TargetInfo): string {
  const where = target.kind === 'folder' ? `${target.dir} (${target.format ?? 'triton'})` : target.url
  return `${target.name}\t${target.kind}\t${where}${target.hasToken ? '\ttoken kept' : ''}`
}

export function registerTargetsCommand(program: Command): void {
  const targets = program.command('targets').description('deployment targets: Slipway servers, Triton servers, folders')
  targets
    .command('add')
    .description('add a target')
    .argument('<name>', 'a name to publish to (--target NAME)')
    .requiredOption('--kind <kind>', 'slipway | triton | folder')
    .option('--url <url>', 'server URL (slipway, triton)')
    .option('--dir <dir>', 'output folder (folder)')
    .option('--format <format>', 'folder: triton (default) | kserve')
    .option('--token-file <file>', 'file holding the admin token (slipway; optional for triton behind a proxy)')
    .option('--workspace <dir>', 'workspace folder (default: $SLIPWAY_WORKSPACE or the per-user data folder)')
    .option('--json', 'print the target as JSON')
    .action(async (name: string, flags: TargetFlags & { kind: string; url?: string; dir?: string; format?: string }) => {
      if (flags.format !== undefined && flags.format !== 'triton' && flags.format !== 'kserve') throw new UserError(`--format must be triton or kserve (got '${flags.format}')`)
      const target: NewTarget = {
        name,
        kind: flags.kind as NewTarget['kind'],
        ...(flags.url ? { url: flags.url } : {}),
        ...(flags.dir ? { dir: flags.dir } : {}),
        ...(flags.format ? { format: flags.format as 'triton' | 'kserve' } : {}),
        ...(flags.tokenFile ? { token: await readTokenFile(flags.tokenFile) } : {}),
      }
      const added = await (await cliTargetStore(flags)).add(target)
      if (flags.json) printJson(added)
      else process.stdout.write(`added ${describe(added)}\n`)
    })
  targets
    .command('list')
    .description('list targets (tokens are never shown)')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print JSON')
    .action(async (flags: TargetFlags) => {
      const all = await (await cliTargetStore(flags)).list()
      if (flags.json) printJson(all)
      else process.stdout.write(all.length === 0 ? 'no targets (add one with slipway targets add)\n' : `${all.map(describe).join('\n')}\n`)
    })
  targets
    .command('remove')
    .description('remove a target and its token')
    .argument('<name>')
    .option('--workspace <dir>', 'workspace folder')
    .action(async (name: string, flags: TargetFlags) => {
      await (await cliTargetStore(flags)).remove(name)
      process.stdout.write(`removed ${name}\n`)
    })
}
