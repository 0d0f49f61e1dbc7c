// The contract's target and deployment calls (preload/api.ts), over the workspace's targets store. The
// token of a target goes in once (addTarget) and never comes back out: TargetInfo says only hasToken.
import { join } from 'node:path'
import type { Api } from '../../../preload/api'
import { changeDeployment, listDeployments, MetricsSampler } from './deployments'
import { FileSecretStore, type SecretStore } from './secret-store'
import { SECRETS_FILE, TargetStore } from './targets'

export type PublishCalls = Pick<Api, 'listTargets' | 'addTarget' | 'removeTarget' | 'listDeployments' | 'deploymentMetrics' | 'changeDeployment'>

/** The targets of a workspace; secrets in the given store, or in `secrets.json` (0600) beside them. */
export function targetStoreFor(workspaceDir: string, secrets?: SecretStore): TargetStore {
  return new TargetStore(workspaceDir, secrets ?? new FileSecretStore(join(workspaceDir, SECRETS_FILE)))
}

export function publishCalls(targets: TargetStore): PublishCalls {
  const sampler = new MetricsSampler()
  return {
    listTargets: () => targets.list(),
    addTarget: (target) => targets.add(target),
    removeTarget: (name) => targets.remove(name),
    listDeployments: async (target) => listDeployments(await targets.resolve(target)),
    deploymentMetrics: async (target, model) => sampler.sample(await targets.resolve(target), model),
    changeDeployment: async (target, change) => changeDeployment(await targets.resolve(target), change),
  }
}
