// The deployments of a target: models, versions (with what Slipway published with them), which one
// serves, live metrics and drift; promote, rollback and delete. Triton keeps no version history under
// file overrides, so there only listing and delete (unload) apply.
import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { DeploymentChange, DeploymentList, DeploymentMetrics, DeploymentModel, DeploymentVersion } from '../../../preload/api'
import { publishedBenchmarkSchema, publishedLineageSchema } from './api-schemas'
import { configFromPbtxt } from '../serving/model-config'
import { UserError } from '../errors'
import { TargetError } from './http-client'
import { sampleOf, windowBetween, type MetricSample } from './metrics'
import { SlipwayClient, type RemoteModel } from './slipway-client'
import type { ResolvedTarget } from './targets'
import { TritonClient } from './triton-client'

/** PSI above this is the usual "significant shift" threshold. */
export const DRIFT_PSI_WARNING = 0.25

function slipway(target: ResolvedTarget): SlipwayClient {
  return new SlipwayClient(target.info.url!, target.token)
}

export function deploymentOf(model: RemoteModel): DeploymentModel {
  return {
    name: model.name,
    state: model.state,
    serving: model.serving,
    previous: model.previous ?? null,
    ...(model.reason ? { reason: model.reason } : {}),
    versions: model.versions.map((v) => ({
      version: v.version,
      serving: v.serving,
      loaded: v.loaded,
      canary: model.canary?.version === v.version,
      ...(v.sha256 ? { sha256: v.sha256 } : {}),
      ...(v.size === undefined ? {} : { sizeBytes: v.size }),
      ...(v.createdAt ? { createdAt: v.createdAt } : {}),
      ...publishedWith(v),
    })),
  }
}

/** What Slipway published with a version, where it has the shape this Slipway writes (another version's is left out). */
function publishedWith(record: { readonly lineage?: unknown; readonly metrics?: unknown }): Pick<DeploymentVersion, 'lineage' | 'metrics'> {
  const lineage = publishedLineageSchema.safeParse(record.lineage)
  const metrics = publishedBenchmarkSchema.safeParse(record.metrics)
  return { ...(lineage.success ? { lineage: lineage.data } : {}), ...(metrics.success ? { metrics: metrics.data } : {}) }
}

export async function listDeployments(target: ResolvedTarget, signal?: AbortSignal): Promise<DeploymentList> {
  const { info } = target
  if (info.kind === 'slipway') {
    const client = slipway(target)
    const names = await client.listModels(signal)
    const models = await Promise.all(names.map(async (m) => (await client.describe(m.name, signal)) ?? { ...m, versions: [] }))
    return { target: info.name, kind: info.kind, models: models.map((m) => deploymentOf(m as RemoteModel)) }
  }
  if (info.kind === 'triton') {
    const rows = await new TritonClient(info.url!, target.token).index(signal)
    const byName = new Map<string, DeploymentModel>()
    for (const row of rows) {
      const model = byName.get(row.name) ?? { name: row.name, state: row.state ?? 'UNKNOWN', serving: null, versions: [], ...(row.reason ? { reason: row.reason } : {}) }
      const versions = row.version ? [...model.versions, { version: row.version, serving: row.state === 'READY', loaded: row.state === 'READY' }] : model.versions
      byName.set(row.name, { ...model, versions, serving: versions.find((v) => v.serving)?.version ?? model.serving })
    }
    return { target: info.name, kind: info.kind, models: [...byName.values()] }
  }
  return { target: info.name, kind: info.kind, models: await folderModels(info.dir!) }
}

async function folderModels(dir: string): Promise<DeploymentModel[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  const models: DeploymentModel[] = []
  for (const name of names) {
    const text = await readFile(join(dir, name, 'config.pbtxt'), 'utf8').catch(() => undefined)
    if (text === undefined) continue
    const config = configFromPbtxt(text, name)
    const versions = (await readdir(join(dir, name))).filter((v) => /^[1-9][0-9]*$/.test(v)).sort((a, b) => Number(a) - Number(b))
    const serving = config.versionPolicy.kind === 'specific' ? String(config.versionPolicy.versions.at(-1)) : (versions.at(-1) ?? null)
    models.push({
      name,
      state: 'EXPORTED',
      serving,
      versions: await Promise.all(
        versions.map(async (version) => {
          const record = JSON.parse(await readFile(join(dir, name, version, 'slipway.json'), 'utf8').catch(() => '{}')) as Record<string, unknown>
          return { version, serving: version === serving, ...publishedWith(record), ...(typeof record['sha256'] === 'string' ? { sha256: record['sha256'] } : {}) }
        }),
      ),
    })
  }
  return models
}

/** Promote, rollback (to the version that served before, or the one given) or delete; returns the model after. */
export async function changeDeployment(target: ResolvedTarget, change: DeploymentChange, signal?: AbortSignal): Promise<DeploymentModel | null> {
  const { info } = target
  if (info.kind === 'triton') {
    if (change.action !== 'delete' || change.version !== undefined)
      throw new UserError('Triton keeps no version history under file overrides: publish the version you want again (delete unloads the model)')
    await new TritonClient(info.url!, target.token).unload(change.model, signal)
    return null
  }
  if (info.kind === 'folder') {
    if (change.action !== 'delete' || change.version !== undefined) throw new UserError('a folder export has no serving pointer: export the version you want again (delete removes the model folder)')
    await rm(join(info.dir!, change.model), { recursive: true, force: true })
    return null
  }
  const client = slipway(target)
  const before = await client.describe(change.model, signal)
  if (!before) throw new TargetError('not-found', `no model '${change.model}' on ${info.name}`)
  if (change.action === 'promote') await client.promote(change.model, change.version, signal)
  else if (change.action === 'rollback') {
    if (change.version === undefined && !before.previous) throw new TargetError('conflict', `model '${change.model}' has no earlier serving version to roll back to`)
    await client.rollback(change.model, change.version, signal)
  } else if (change.version !== undefined) {
    if (before.serving === change.version) throw new UserError(`version ${change.version} of '${change.model}' is serving: promote or roll back to another version first`)
    await client.deleteVersion(change.model, change.version, signal)
  } else {
    // Deleting a model: every version, the serving one last (the server refuses to delete a loaded version).
    throw new UserError(`give the version to delete (--to VERSION); versions: ${before.versions.map((v) => v.version).join(', ')}`)
  }
  const after = await client.describe(change.model, signal)
  return after ? deploymentOf(after) : null
}

/** Samples of /metrics per target and model, so each call reports rates since the one before. */
export class MetricsSampler {
  private readonly last = new Map<string, MetricSample>()

  async sample(target: ResolvedTarget, model: string, signal?: AbortSignal): Promise<DeploymentMetrics> {
    if (target.info.kind !== 'slipway') throw new UserError(`live metrics come from Slipway servers; ${target.info.name} is a ${target.info.kind} target`)
    const client = slipway(target)
    const current = sampleOf(await client.metricsText(signal), model, Date.now())
    const key = `${target.info.name}\u0000${model}`
    const window = windowBetween(this.last.get(key), current)
    this.last.set(key, current)
    const driftWarnings: string[] = []
    const described = await client.describe(model, signal)
    if (described?.serving) {
      const drift = await client.drift(model, described.serving, signal).catch(() => undefined)
      for (const [input, value] of Object.entries(drift?.inputs ?? {}))
        if (value.samples > 0 && value.psi > DRIFT_PSI_WARNING) driftWarnings.push(`input '${input}' drifted: PSI ${value.psi.toFixed(2)} over ${value.samples} values`)
    }
    return { model, at: current.at, ...window, totalRequests: current.success, totalErrors: current.failure, driftWarnings }
  }
}
