// `slipway deployments list|promote|rollback|delete [NAME] [--to VERSION] --target NAME|URL [--token-file F]
// [--json]`: what a target serves, and moving its serving pointer. Rollback without --to goes back to the
// version that served before.
import type { Command } from 'commander'
import type { DeploymentChange, DeploymentModel } from '../../../preload/api'
import { UserError } from '../../core/errors'
import { printJson } from '../cli-output'
import { resolveCliTarget, type TargetFlags } from './targets-command'
import { recipeChain } from '../../../preload/reports'

interface DeploymentFlags extends TargetFlags {
  target: string
  to?: string
}

export function formatModel(model: DeploymentModel): string {
  const lines = [`${model.name}  (${model.state}; serving ${model.serving ?? 'none'}${model.previous ? `; previous ${model.previous}` : ''})`]
  for (const v of model.versions)
    lines.push(`  ${v.serving ? '*' : ' '} v${v.version}${v.canary ? ' canary' : ''}  ${v.sha256 ? v.sha256.slice(0, 12) : ''}  ${v.createdAt ?? ''}  ${v.lineage ? recipeChain(v.lineage) : ''}`.trimEnd())
  return lines.join('\n')
}

/** Loaded on use: the deployments client brings the model-config schema (zod), which `--help` does not need. */
const deploymentsClient = () => import('../../core/publish/deployments')

export function registerDeploymentsCommand(program: Command): void {
  const deployments = program.command('deployments').description("what a target serves: models, versions, promote, rollback, delete")
  const common = (command: Command): Command =>
    command
      .requiredOption('--target <target>', 'target name or Slipway server URL')
      .option('--token-file <file>', 'file holding the admin token')
      .option('--workspace <dir>', 'workspace folder')
      .option('--json', 'print JSON')

  common(deployments.command('list').description('models and versions on a target').argument('[name]', 'only this model')).action(
    async (name: string | undefined, flags: DeploymentFlags) => {
      const list = await (await deploymentsClient()).listDeployments(await resolveCliTarget(flags.target, flags))
      const models = name ? list.models.filter((m) => m.name === name) : list.models
      if (name && models.length === 0) throw new UserError(`no model '${name}' on ${list.target}`)
      if (flags.json) printJson({ ...list, models })
      else process.stdout.write(models.length === 0 ? `nothing published on ${list.target}\n` : `${models.map(formatModel).join('\n')}\n`)
    },
  )
  const change = (action: DeploymentChange['action'], description: string): void => {
    common(deployments.command(action).description(description).argument('<name>', 'model name on the target').option('--to <version>', 'the version')).action(
      async (name: string, flags: DeploymentFlags) => {
        if (action === 'promote' && !flags.to) throw new UserError('promote needs --to VERSION')
        const request = (action === 'promote' ? { action, model: name, version: flags.to } : { action, model: name, ...(flags.to ? { version: flags.to } : {}) }) as DeploymentChange
        const after = await (await deploymentsClient()).changeDeployment(await resolveCliTarget(flags.target, flags), request)
        if (flags.json) printJson(after)
        else process.stdout.write(after ? `${formatModel(after)}\n` : `${action} done\n`)
      },
    )
  }
  change('promote', 'serve this version (--to VERSION)')
  change('rollback', 'serve the version that served before (or --to VERSION)')
  change('delete', 'delete a version that is not serving (--to VERSION)')
}
