// The models the server holds in memory, kept in step with the repository. Every change of what serves
// (load, promote, rollback, canary, publish) goes through `apply`: under a per-model lock it opens and warms
// what is new, writes config.pbtxt atomically, swaps the in-memory state in one assignment, then retires
// replaced versions after their in-flight requests finish. A failure before the write changes nothing.
import type { ServerMetrics } from './metrics'
import { HttpError } from './http-error'
import { configToJson, type ModelConfig } from '../main/core/serving/model-config'
import { openVersion, retireVersion, type LoadedVersion, type RuntimeOptions } from './model-session'
import type { Repository, VersionRecord } from './repository'

export type ModelState = 'READY' | 'UNAVAILABLE' | 'LOADING' | 'UNLOADING'

export interface ModelEntry {
  name: string
  config: ModelConfig | undefined
  loaded: ReadonlyMap<number, LoadedVersion>
  state: ModelState
  reason: string
  /** A model that failed its first load through the API: shown in the index, but readiness stays as it was. */
  readinessExempt?: boolean
}

export const CANARY_VERSION = 'slipway_canary_version'
export const CANARY_PERCENT = 'slipway_canary_percent'
export const PREVIOUS_VERSION = 'slipway_previous_version'
export const LAST_VERSION = 'slipway_last_version'
const UNLOADED = 'unloaded'

/** Versions a config asks to serve, out of those on disk. */
export function versionsToServe(config: ModelConfig, available: number[]): number[] {
  const policy = config.versionPolicy
  if (policy.kind === 'all') return available
  if (policy.kind === 'latest') return available.slice(-policy.numVersions)
  return available.filter((v) => policy.versions.includes(v))
}

/** The version that answers requests without a version: the canary's share goes to the canary. */
export function servingVersion(config: ModelConfig, loaded: number[]): number | undefined {
  const canary = Number(config.parameters[CANARY_VERSION] ?? 0)
  const stable = loaded.filter((v) => v !== canary)
  return stable.length > 0 ? Math.max(...stable) : loaded[loaded.length - 1]
}

function runnerShape(config: ModelConfig): string {
  const { version_policy: _policy, parameters: _parameters, ...rest } = configToJson(config)
  return JSON.stringify(rest)
}

export class ModelManager {
  private readonly models = new Map<string, ModelEntry>()
  private readonly locks = new Map<string, Promise<unknown>>()

  constructor(
    readonly repo: Repository,
    private readonly metrics: ServerMetrics,
    private readonly runtime: RuntimeOptions,
  ) {}

  /** Runs `fn` after every earlier operation on this model has finished (publishes are serialized). */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve()
    const next = previous.then(fn, fn)
    const settled = next.catch(() => undefined)
    this.locks.set(name, settled)
    void settled.then(() => {
      if (this.locks.get(name) === settled) this.locks.delete(name)
    })
    return next
  }

  async loadAll(): Promise<void> {
    for (const name of await this.repo.listModels()) {
      await this.load(name, undefined, true).catch(() => undefined)
    }
  }

  entries(): ModelEntry[] {
    return [...this.models.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  entry(name: string): ModelEntry | undefined {
    return this.models.get(name)
  }

  /**
   * Strict readiness, as Triton's: every model is ready, except those unloaded on purpose and those that
   * never loaded because an API call asked for them (a typo in a load request must not take the server
   * out of its load balancer).
   */
  allReady(): boolean {
    return this.entries().every((e) => e.state === 'READY' || e.reason === UNLOADED || e.readinessExempt === true)
  }

  /** The loaded version a request goes to; `version` undefined means the serving one (or the canary). */
  resolve(name: string, version: number | undefined): { entry: ModelEntry; loaded: LoadedVersion } {
    const entry = this.models.get(name)
    if (!entry) throw new HttpError(404, `unknown model '${name}'`)
    if (entry.state !== 'READY' || !entry.config) throw new HttpError(503, `model '${name}' is not ready`)
    let chosen = version
    if (chosen === undefined) {
      const canary = Number(entry.config.parameters[CANARY_VERSION] ?? 0)
      const percent = Number(entry.config.parameters[CANARY_PERCENT] ?? 0)
      chosen =
        canary && entry.loaded.has(canary) && Math.random() * 100 < percent
          ? canary
          : servingVersion(entry.config, [...entry.loaded.keys()].sort((a, b) => a - b))
    }
    const loaded = chosen === undefined ? undefined : entry.loaded.get(chosen)
    if (!loaded) throw new HttpError(404, `model '${name}' has no version ${chosen ?? ''} ready`.trimEnd())
    return { entry, loaded }
  }

  /** (Re)loads a model from the repository, or with `override` as its new config; `startup` when the server starts. */
  load(name: string, override?: ModelConfig, startup = false): Promise<void> {
    return this.withLock(name, async () => {
      const before = this.models.get(name)
      const exempt = !startup && (before === undefined || before.readinessExempt === true)
      if (!(await this.repo.hasModel(name))) throw new HttpError(400, `model '${name}' is not in the repository`)
      const available = await this.repo.listVersions(name)
      if (available.length === 0) {
        this.setFailed(name, 'no versions in the repository', exempt)
        throw new HttpError(400, `model '${name}' has no versions`)
      }
      try {
        await this.applyUnlocked(name, override ?? (await this.repo.readConfig(name)), available, new Map(), override !== undefined)
      } catch (error) {
        if (exempt && this.models.get(name)?.state !== 'READY') this.setFailed(name, this.models.get(name)?.reason ?? 'load failed', true)
        throw error
      }
    })
  }

  /**
   * Makes `config` the model's config over `available` versions and writes it; the caller holds the lock.
   * `prepared` holds versions the caller already opened and warmed (a publish).
   */
  async apply(name: string, config: ModelConfig, prepared: Map<number, LoadedVersion>, available: number[]): Promise<void> {
    await this.applyUnlocked(name, config, available, prepared, true)
  }

  private async applyUnlocked(
    name: string,
    config: ModelConfig | undefined,
    available: number[],
    prepared: Map<number, LoadedVersion>,
    write: boolean,
  ): Promise<void> {
    const previous = this.models.get(name)
    const wanted = config ? versionsToServe(config, available) : available.slice(-1)
    if (wanted.length === 0) throw new HttpError(400, `model '${name}' has no version the version policy serves`)
    const reuse = previous?.config && config && runnerShape(previous.config) === runnerShape(config)
    const next = new Map<number, LoadedVersion>()
    const opened: LoadedVersion[] = []
    let effective = config
    try {
      for (const version of wanted) {
        const kept = prepared.get(version) ?? (reuse ? previous.loaded.get(version) : undefined)
        if (kept) {
          next.set(version, kept)
          continue
        }
        const result = await openVersion({
          name,
          version,
          dir: this.repo.versionDir(name, version),
          record: await this.repo.readRecord(name, version),
          config: effective,
          metrics: this.metrics,
          runtime: this.runtime,
        })
        effective = result.config
        opened.push(result.loaded)
        next.set(version, result.loaded)
      }
      effective ??= config
      if (!effective) throw new HttpError(500, 'no config')
      if (write) await this.repo.writeConfig(effective)
    } catch (error) {
      await Promise.all(opened.map(retireVersion))
      if (!previous || previous.state !== 'READY') {
        this.setFailed(name, error instanceof HttpError ? error.message : 'load failed')
      }
      throw error
    }
    this.models.set(name, { name, config: effective, loaded: next, state: 'READY', reason: '' })
    for (const [version, loaded] of previous?.loaded ?? []) {
      if (next.get(version) !== loaded) void retireVersion(loaded)
    }
  }

  private setFailed(name: string, reason: string, readinessExempt = false): void {
    const previous = this.models.get(name)
    this.models.set(name, { name, config: previous?.config, loaded: new Map(), state: 'UNAVAILABLE', reason, ...(readinessExempt ? { readinessExempt } : {}) })
    for (const loaded of previous?.loaded.values() ?? []) void retireVersion(loaded)
  }

  unload(name: string): Promise<void> {
    return this.withLock(name, async () => {
      const entry = this.models.get(name)
      if (!entry) throw new HttpError(404, `unknown model '${name}'`)
      this.models.set(name, { ...entry, loaded: new Map(), state: 'UNAVAILABLE', reason: UNLOADED })
      await Promise.all([...entry.loaded.values()].map(retireVersion))
    })
  }

  async records(name: string): Promise<Map<number, VersionRecord | undefined>> {
    const out = new Map<number, VersionRecord | undefined>()
    for (const version of await this.repo.listVersions(name)) out.set(version, await this.repo.readRecord(name, version))
    return out
  }

  async closeAll(): Promise<void> {
    const all = [...this.models.values()].flatMap((e) => [...e.loaded.values()])
    this.models.clear()
    await Promise.all(all.map(retireVersion))
  }
}
