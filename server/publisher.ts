// Publishing: a version is streamed into staging while its sha256 is computed, checked against the digest
// the client declared, loaded, warmed and smoke-tested, renamed into the repository whole, and only then made
// serving by rewriting config.pbtxt. Promote, rollback, canary and delete move that same pointer.
import { createHash } from 'node:crypto'
import { mkdir, open, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { z } from 'zod'
import { containedSegments } from '../main/core/fs/contained-file'
import { inputStatsSchema } from './drift'
import { renameDurably, writeFileAtomic } from '../main/core/serving/atomic-write'
import { HttpError } from './http-error'
import { parseJsonLimited } from './json-guard'
import { configFromJson, configToJson, configToPbtxt, type ModelConfig } from '../main/core/serving/model-config'
import {
  CANARY_PERCENT,
  CANARY_VERSION,
  LAST_VERSION,
  PREVIOUS_VERSION,
  servingVersion,
  type ModelManager,
} from './model-manager'
import { openVersion, sha256Hex, type LoadedVersion, type RuntimeOptions } from './model-session'
import type { ServerMetrics } from './metrics'
import { CONFIG_FILE, MODEL_FILE, RECORD_FILE, type Repository, type VersionRecord } from './repository'

export const MAX_METADATA_BYTES = 1 << 20
const MAX_SIDE_FILES = 4096
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/
const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lower-case hex digits')

/**
 * A side file's name as the model's external data names it: '/'-separated plain segments inside the
 * version folder, in one spelling only, and never one of the server's own files.
 */
export function sideFileName(name: string): string | undefined {
  const segments = containedSegments(name)
  if (typeof segments === 'string' || segments.length > 8 || segments.join('/') !== name) return undefined
  if (!segments.every((s) => SEGMENT.test(s)) || name === MODEL_FILE || name === RECORD_FILE || name === CONFIG_FILE) return undefined
  return name
}

const sideFileSchema = z
  .object({
    name: z.string().refine((n) => sideFileName(n) !== undefined, 'files: each name must be a plain relative path (letters, digits, . _ -) other than model.onnx'),
    sha256: sha256Schema,
    size: z.number().int().nonnegative(),
  })
  .strict()

export const uploadMetadataSchema = z
  .object({
    sha256: sha256Schema,
    size: z.number().int().nonnegative().optional(),
    /** External data files, sent after the model bytes in this order. */
    files: z.array(sideFileSchema).max(MAX_SIDE_FILES).optional(),
    promote: z.boolean().default(true),
    canaryPercent: z.number().min(0).max(100).optional(),
    config: z.unknown().optional(),
    lineage: z.unknown().optional(),
    metrics: z.unknown().optional(),
    inputStats: inputStatsSchema.optional(),
  })
  .strict()
  .refine((m) => m.files === undefined || m.size !== undefined, 'size is required when files are sent')
  .refine((m) => new Set(m.files?.map((f) => f.name)).size === (m.files?.length ?? 0), 'files: a name is given twice')
export type UploadMetadata = z.infer<typeof uploadMetadataSchema>

export interface PublishResult {
  model: string
  version: string
  sha256: string
  size: number
  serving: boolean
  canary: boolean
  replayed: boolean
  /** On a replay whose original request is not what is in effect now: what happened instead. */
  notice?: string
}

/** Fault-injection points for the crash tests (the server stops there until killed). */
export type Checkpoint = (point: 'upload-received' | 'version-installed') => Promise<void>

interface Staged {
  dir: string
  sha256: string
  size: number
  metadata: UploadMetadata
}

function parseMetadata(bytes: Buffer): UploadMetadata {
  const parsed = uploadMetadataSchema.safeParse(parseJsonLimited(bytes, 32))
  if (!parsed.success) throw new HttpError(400, `invalid metadata: ${parsed.error.issues[0]?.message ?? 'bad shape'}`)
  return parsed.data
}

function sideBytes(metadata: UploadMetadata): number {
  return (metadata.files ?? []).reduce((n, f) => n + f.size, 0)
}

function keyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

function withParameters(config: ModelConfig, changes: Record<string, string | undefined>): ModelConfig {
  const parameters = { ...config.parameters }
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete parameters[key]
    else parameters[key] = value
  }
  return { ...config, parameters }
}

/** Serve exactly `version`; remember what served before it for rollback; end any canary. */
export function pointTo(config: ModelConfig, version: number, previous: number | undefined): ModelConfig {
  const moved = withParameters(config, {
    [PREVIOUS_VERSION]: previous !== undefined && previous !== version ? String(previous) : config.parameters[PREVIOUS_VERSION],
    [CANARY_VERSION]: undefined,
    [CANARY_PERCENT]: undefined,
  })
  return { ...moved, versionPolicy: { kind: 'specific', versions: [version] } }
}

export function withCanary(config: ModelConfig, serving: number, canary: number, percent: number): ModelConfig {
  const moved = withParameters(config, { [CANARY_VERSION]: String(canary), [CANARY_PERCENT]: String(percent) })
  return { ...moved, versionPolicy: { kind: 'specific', versions: [serving, canary].sort((a, b) => a - b) } }
}

/** The config once `version` is published as `requested` (promoted, a canary, or installed only); `version` becomes the last one. */
function moveTo(config: ModelConfig, version: number, requested: { promote: boolean; canaryPercent?: number | undefined }, serving: number | undefined): ModelConfig {
  let next = config
  if (requested.canaryPercent !== undefined && serving !== undefined) next = withCanary(config, serving, version, requested.canaryPercent)
  else if (requested.promote) next = pointTo(config, version, serving)
  return withParameters(next, { [LAST_VERSION]: String(version) })
}

export class Publisher {
  private readonly inflightKeys = new Set<string>()

  constructor(
    private readonly manager: ModelManager,
    private readonly repo: Repository,
    private readonly metrics: ServerMetrics,
    private readonly runtime: RuntimeOptions,
    private readonly uploadLimits: { maxBytes: number; idleTimeoutMs: number },
    private readonly checkpoint: Checkpoint,
  ) {}

  /** Streams an upload body (`metadataLength` bytes of JSON metadata, then the model) and publishes it. */
  async upload(name: string, body: Readable, metadataLength: number, idempotencyKey: string | undefined): Promise<PublishResult> {
    if (!Number.isSafeInteger(metadataLength) || metadataLength < 2 || metadataLength > MAX_METADATA_BYTES) {
      throw new HttpError(400, 'Slipway-Metadata-Length must give the JSON metadata length (at most 1 MiB)')
    }
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
      throw new HttpError(400, 'invalid Idempotency-Key')
    }
    const hash = idempotencyKey === undefined ? undefined : keyHash(`${name}\u0000${idempotencyKey}`)
    if (hash !== undefined) {
      if (this.inflightKeys.has(hash)) throw new HttpError(409, 'a publish with this Idempotency-Key is in progress')
      this.inflightKeys.add(hash)
    }
    let staged: Staged | undefined
    try {
      staged = await this.receive(body, metadataLength)
      await this.checkpoint('upload-received')
      const ready = staged
      return await this.manager.withLock(name, () => this.commit(name, ready, hash))
    } finally {
      if (hash !== undefined) this.inflightKeys.delete(hash)
      if (staged) await rm(staged.dir, { recursive: true, force: true })
    }
  }

  /**
   * Streams the body into staging: metadata first (checked before any file is written), then model.onnx,
   * then each side file the metadata lists, each hashed as it is written. A stall of `idleTimeoutMs`
   * without a byte ends the upload with 408; there is no cap on its total duration.
   */
  private async receive(body: Readable, metadataLength: number): Promise<Staged> {
    const dir = await this.repo.newStagingDir()
    const { maxBytes, idleTimeoutMs } = this.uploadLimits
    // The body is read by hand, not with for-await, whose exit would destroy the socket before the answer.
    const chunks = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]()
    let stall = (): void => undefined
    const stalled = new Promise<never>((_resolve, reject) => {
      stall = () => reject(new HttpError(408, `upload stalled: no bytes for ${idleTimeoutMs / 1000} s`))
    })
    stalled.catch(() => undefined)
    const idle = setTimeout(() => stall(), idleTimeoutMs)
    const head: Buffer[] = []
    let headBytes = 0
    let metadata: UploadMetadata | undefined
    let plan: { name: string; size: number | undefined; sha256: string }[] = []
    let current: { handle: Awaited<ReturnType<typeof open>>; hasher: ReturnType<typeof createHash>; written: number } | undefined
    let total = 0
    const openNext = async (): Promise<NonNullable<typeof current>> => {
      const path = join(dir, plan[0]!.name)
      await mkdir(dirname(path), { recursive: true })
      current = { handle: await open(path, 'wx', 0o644), hasher: createHash('sha256'), written: 0 }
      return current
    }
    // Files of 0 bytes get no chunk of their own: they are created as soon as they are next.
    const finishEmpty = async (): Promise<void> => {
      while (!current && plan[0]?.size === 0) {
        await openNext()
        await finish()
      }
    }
    const finish = async (): Promise<void> => {
      if (!current) return
      const file = plan.shift()!
      const { handle, hasher, written } = current
      current = undefined
      await handle.sync()
      await handle.close()
      if (file.size !== undefined && written !== file.size) {
        throw new HttpError(400, `size mismatch: declared ${file.size} bytes for ${file.name}, received ${written}`)
      }
      if (hasher.digest('hex') !== file.sha256) {
        throw new HttpError(400, `digest mismatch: the sha256 of the received bytes of ${file.name} differs from the declared one`)
      }
    }
    try {
      for (;;) {
        const next = await Promise.race([chunks.next(), stalled])
        if (next.done) break
        idle.refresh()
        let rest = next.value
        if (metadata === undefined) {
          const take = Math.min(metadataLength - headBytes, rest.length)
          head.push(rest.subarray(0, take))
          headBytes += take
          rest = rest.subarray(take)
          if (headBytes < metadataLength) continue
          metadata = parseMetadata(Buffer.concat(head))
          plan = [{ name: MODEL_FILE, size: metadata.size, sha256: metadata.sha256 }, ...(metadata.files ?? [])]
          await finishEmpty()
        }
        while (rest.length > 0) {
          const file = plan[0]
          if (!file) throw new HttpError(400, 'the body holds more bytes than the files the metadata lists')
          const target = current ?? (await openNext())
          const take = file.size === undefined ? rest.length : Math.min(file.size - target.written, rest.length)
          total += take
          if (total > maxBytes) throw new HttpError(413, `the upload is larger than the ${maxBytes}-byte limit`)
          target.hasher.update(rest.subarray(0, take))
          await target.handle.write(rest.subarray(0, take))
          target.written += take
          rest = rest.subarray(take)
          if (target.written === file.size) {
            await finish()
            await finishEmpty()
          }
        }
      }
      if (metadata === undefined) throw new HttpError(400, 'the body ended inside the metadata')
      // A model sent without its size runs to the end of the body.
      if (plan.length === 1 && plan[0]!.size === undefined) {
        if (!current) await openNext()
        await finish()
      }
      if (plan.length > 0) throw new HttpError(400, `the body ended before ${plan[0]!.name} was complete`)
      return { dir, sha256: metadata.sha256, size: total - sideBytes(metadata), metadata }
    } catch (error) {
      await current?.handle.close().catch(() => undefined)
      await rm(dir, { recursive: true, force: true })
      // The rest of the body is never read: the connection closes after the answer.
      if (error instanceof HttpError && !body.readableEnded) throw new HttpError(error.status, error.message, { ...error.headers, connection: 'close' })
      throw error
    } finally {
      clearTimeout(idle)
    }
  }

  private async findReplay(name: string, hash: string): Promise<{ version: number; record: VersionRecord } | undefined> {
    for (const [version, record] of await this.manager.records(name).catch(() => new Map<number, VersionRecord | undefined>())) {
      if (record?.idempotencyKeyHash === hash) return { version, record }
    }
    return undefined
  }

  /**
   * A replay of a publish whose version exists. A crash after the version was installed but before the
   * pointer moved left the request unfinished (config.pbtxt never recorded the version as the last one):
   * it is finished now, as the original asked. Otherwise the pointer moved since and stays where it is;
   * the answer then says what serves instead of what was asked.
   */
  private async replay(name: string, staged: Staged, found: { version: number; record: VersionRecord }): Promise<PublishResult> {
    const { version, record } = found
    if (record.sha256 !== staged.sha256) throw new HttpError(422, 'Idempotency-Key was already used for different content')
    const entry = this.manager.entry(name)
    const requested = record.requested
    if (entry?.config && requested && Number(entry.config.parameters[LAST_VERSION] ?? 0) < version) {
      const available = await this.repo.listVersions(name)
      const { loaded, config } = await openVersion({ ...this.openOptions(name, version), dir: this.repo.versionDir(name, version), record, config: entry.config })
      const next = moveTo(config, version, requested, this.servingOf(name))
      await this.manager.apply(name, next, new Map([[version, loaded]]), available)
      if (!this.manager.entry(name)?.loaded.has(version)) await loaded.session.release()
    }
    const config = this.manager.entry(name)?.config
    const serving = this.servingOf(name)
    const canary = config?.parameters[CANARY_VERSION] === String(version)
    const result: PublishResult = { model: name, version: String(version), sha256: record.sha256, size: record.size, serving: serving === version, canary, replayed: true }
    const asked = requested?.canaryPercent !== undefined ? 'a canary' : requested?.promote ? 'promoted' : undefined
    if (asked && !(asked === 'a canary' ? canary : serving === version)) {
      result.notice = `the original publish asked for version ${version} to be ${asked}; the pointer has moved since and version ${serving ?? 'none'} serves`
    }
    return result
  }

  private servingOf(name: string): number | undefined {
    const current = this.manager.entry(name)
    return current?.config ? servingVersion(current.config, [...current.loaded.keys()].sort((a, b) => a - b)) : undefined
  }

  private async commit(name: string, staged: Staged, hash: string | undefined): Promise<PublishResult> {
    const { metadata } = staged
    const found = hash === undefined ? undefined : await this.findReplay(name, hash)
    if (found) return this.replay(name, staged, found)
    const available = await this.repo.listVersions(name)
    const existingConfig = this.manager.entry(name)?.config ?? (available.length > 0 ? await this.repo.readConfig(name) : undefined)
    const isNew = available.length === 0
    if (!isNew && metadata.config !== undefined) {
      throw new HttpError(400, 'config can only be given with the first version; change it with the repository load API')
    }
    if (isNew && (metadata.promote === false || metadata.canaryPercent !== undefined)) {
      throw new HttpError(400, 'the first version of a model is always promoted')
    }
    if (metadata.canaryPercent !== undefined && !existingConfig) throw new HttpError(409, 'no serving version to split traffic with')
    const given = metadata.config !== undefined ? configFromJson(metadata.config, name) : existingConfig
    const version = Math.max(0, ...available, Number(existingConfig?.parameters[LAST_VERSION] ?? 0)) + 1
    const requested = { promote: metadata.promote, ...(metadata.canaryPercent !== undefined ? { canaryPercent: metadata.canaryPercent } : {}) }
    const record: VersionRecord = {
      sha256: staged.sha256,
      size: staged.size,
      createdAt: new Date().toISOString(),
      ...(hash !== undefined ? { idempotencyKeyHash: hash } : {}),
      requested,
      ...(metadata.files ? { files: metadata.files } : {}),
      ...(metadata.lineage !== undefined ? { lineage: metadata.lineage } : {}),
      ...(metadata.metrics !== undefined ? { metrics: metadata.metrics } : {}),
      ...(metadata.inputStats !== undefined ? { inputStats: metadata.inputStats } : {}),
    }
    await writeFileAtomic(join(staged.dir, RECORD_FILE), JSON.stringify(record, null, 2))
    const { loaded, config } = await openVersion({ ...this.openOptions(name, version), dir: staged.dir, record, config: given })
    const next = moveTo(config, version, requested, this.servingOf(name))
    try {
      if (!isNew) await this.pinServing(name)
      await this.install(name, staged.dir, version, isNew ? next : undefined)
    } catch (error) {
      await loaded.session.release()
      throw error
    }
    await this.checkpoint('version-installed')
    await this.manager.apply(name, next, new Map([[version, loaded]]), [...available, version])
    if (!this.manager.entry(name)?.loaded.has(version)) await loaded.session.release()
    return {
      model: name,
      version: String(version),
      sha256: staged.sha256,
      size: staged.size,
      serving: metadata.promote && metadata.canaryPercent === undefined,
      canary: metadata.canaryPercent !== undefined,
      replayed: false,
    }
  }

  /**
   * Before a new version directory appears, config.pbtxt must name the serving versions explicitly:
   * under a `latest` policy (or none) the new directory alone would make it serve after a crash.
   */
  private async pinServing(name: string): Promise<void> {
    const entry = this.manager.entry(name)
    if (!entry?.config || entry.loaded.size === 0) return
    if ((await this.repo.readConfig(name))?.versionPolicy.kind === 'specific') return
    const versions = [...entry.loaded.keys()].sort((a, b) => a - b)
    await this.repo.writeConfig({ ...entry.config, versionPolicy: { kind: 'specific', versions } })
  }

  /** Renames a staged version into the repository; a new model gets its directory, with `newConfig`, in one rename. */
  private async install(name: string, stagedDir: string, version: number, newConfig: ModelConfig | undefined): Promise<void> {
    if (!newConfig) return this.repo.installVersion(name, stagedDir, version)
    const modelDir = await this.repo.newStagingDir()
    await writeFileAtomic(join(modelDir, CONFIG_FILE), configToPbtxt(newConfig))
    await renameDurably(stagedDir, join(modelDir, String(version)))
    await this.repo.installModel(name, modelDir)
  }

  /**
   * Triton's `load` with `config` and `file:<version>/model.onnx` overrides: new versions are staged,
   * checked and installed like uploads; a version that exists must have the same bytes (versions are immutable).
   */
  loadOverride(name: string, given: ModelConfig, files: Map<number, Buffer>): Promise<void> {
    return this.manager.withLock(name, async () => {
      let config = given
      const available = await this.repo.listVersions(name)
      const prepared = new Map<number, LoadedVersion>()
      try {
        for (const [version, bytes] of [...files].sort(([a], [b]) => a - b)) {
          const sha256 = sha256Hex(bytes)
          if (available.includes(version)) {
            const record = await this.repo.readRecord(name, version)
            const existing = record?.sha256 ?? sha256Hex(await this.repo.readModelFile(name, version))
            if (existing !== sha256) throw new HttpError(409, `version ${version} exists with different content; versions are immutable`)
            continue
          }
          const dir = await this.repo.newStagingDir()
          try {
            const record: VersionRecord = { sha256, size: bytes.length, createdAt: new Date().toISOString() }
            await writeFileAtomic(join(dir, MODEL_FILE), bytes)
            await writeFileAtomic(join(dir, RECORD_FILE), JSON.stringify(record, null, 2))
            const opened = await openVersion({ ...this.openOptions(name, version), dir, record, config })
            prepared.set(version, opened.loaded)
            config = opened.config
            const isNew = available.length === 0 && prepared.size === 1
            await this.install(name, dir, version, isNew ? config : undefined)
            available.push(version)
          } finally {
            await rm(dir, { recursive: true, force: true })
          }
        }
        available.sort((a, b) => a - b)
        await this.manager.apply(name, config, prepared, available)
      } catch (error) {
        await Promise.all([...prepared.values()].map((l) => l.session.release()))
        throw error
      }
      const entry = this.manager.entry(name)
      for (const [version, loaded] of prepared) if (entry?.loaded.get(version) !== loaded) await loaded.session.release()
    })
  }

  private openOptions(name: string, version: number) {
    return {
      name,
      version,
      metrics: this.metrics,
      runtime: this.runtime,
    }
  }

  private async current(name: string): Promise<{ config: ModelConfig; available: number[]; serving: number | undefined }> {
    const entry = this.manager.entry(name)
    const available = await this.repo.listVersions(name)
    if (!entry?.config || available.length === 0) throw new HttpError(404, `unknown model '${name}'`)
    const serving = servingVersion(entry.config, [...entry.loaded.keys()].sort((a, b) => a - b))
    return { config: entry.config, available, serving }
  }

  promote(name: string, version: number): Promise<void> {
    return this.manager.withLock(name, async () => {
      const { config, available, serving } = await this.current(name)
      if (!available.includes(version)) throw new HttpError(404, `model '${name}' has no version ${version}`)
      await this.manager.apply(name, pointTo(config, version, serving), new Map(), available)
    })
  }

  /** Serves the version that served before the current one (or `version` when given). */
  rollback(name: string, version: number | undefined): Promise<number> {
    return this.manager.withLock(name, async () => {
      const { config, available, serving } = await this.current(name)
      const target = version ?? Number(config.parameters[PREVIOUS_VERSION] ?? 0)
      if (!target) throw new HttpError(409, 'there is no previous version to roll back to')
      if (!available.includes(target)) throw new HttpError(409, `version ${target} is no longer in the repository`)
      await this.manager.apply(name, pointTo(config, target, serving), new Map(), available)
      return target
    })
  }

  setCanary(name: string, version: number, percent: number): Promise<void> {
    return this.manager.withLock(name, async () => {
      const { config, available, serving } = await this.current(name)
      if (!available.includes(version)) throw new HttpError(404, `model '${name}' has no version ${version}`)
      if (serving === undefined || serving === version) throw new HttpError(409, 'the canary must differ from the serving version')
      await this.manager.apply(name, withCanary(config, serving, version, percent), new Map(), available)
    })
  }

  clearCanary(name: string): Promise<void> {
    return this.manager.withLock(name, async () => {
      const { config, available, serving } = await this.current(name)
      if (serving === undefined) throw new HttpError(409, 'no serving version')
      const previous = config.parameters[PREVIOUS_VERSION]
      await this.manager.apply(name, pointTo(config, serving, previous ? Number(previous) : undefined), new Map(), available)
    })
  }

  deleteVersion(name: string, version: number): Promise<void> {
    return this.manager.withLock(name, async () => {
      const { config, available } = await this.current(name)
      if (!available.includes(version)) throw new HttpError(404, `model '${name}' has no version ${version}`)
      if (this.manager.entry(name)?.loaded.has(version)) throw new HttpError(409, `version ${version} is serving; promote another first`)
      const next = withParameters(config, {
        [LAST_VERSION]: String(Math.max(version, ...available, Number(config.parameters[LAST_VERSION] ?? 0))),
        [PREVIOUS_VERSION]: config.parameters[PREVIOUS_VERSION] === String(version) ? undefined : config.parameters[PREVIOUS_VERSION],
      })
      // The highest number is written down first, so a deleted version's number is never given out again.
      await this.manager.apply(name, next, new Map(), available)
      await this.repo.removeVersion(name, version)
    })
  }

  async describe(name: string): Promise<Record<string, unknown>> {
    const entry = this.manager.entry(name)
    if (!entry) throw new HttpError(404, `unknown model '${name}'`)
    const config = entry.config
    const loaded = [...entry.loaded.keys()].sort((a, b) => a - b)
    const serving = config ? servingVersion(config, loaded) : undefined
    const canary = config?.parameters[CANARY_VERSION]
    const versions = [...(await this.manager.records(name))].map(([version, record]) => ({
      version: String(version),
      loaded: entry.loaded.has(version),
      serving: version === serving,
      ...(record ?? {}),
      idempotencyKeyHash: undefined,
    }))
    return {
      name,
      state: entry.state,
      reason: entry.reason,
      serving: serving === undefined ? null : String(serving),
      previous: config?.parameters[PREVIOUS_VERSION] ?? null,
      canary: canary ? { version: canary, percent: Number(config?.parameters[CANARY_PERCENT] ?? 0) } : null,
      versions,
      config: config ? configToJson(config) : null,
    }
  }
}
