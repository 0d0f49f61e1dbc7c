// The model repository on disk, in Triton's layout (`<name>/config.pbtxt`, `<name>/<version>/model.onnx`),
// plus Slipway's record of each version (`<name>/<version>/slipway.json`, which Triton ignores).
// Work in progress never lives inside the repository: uploads are staged in a state directory beside it
// and renamed in whole, so Triton (or a restarted server) only ever sees complete, immutable versions.
import { randomUUID } from 'node:crypto'
import { lstat, mkdir, readFile, readdir, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import { inputStatsSchema } from './drift'
import { renameDurably, writeFileAtomic } from '../main/core/serving/atomic-write'
import { HttpError } from './http-error'
import { configFromPbtxt, configToPbtxt, MODEL_NAME_PATTERN, VERSION_PATTERN, type ModelConfig } from '../main/core/serving/model-config'

export const MODEL_FILE = 'model.onnx'
export const CONFIG_FILE = 'config.pbtxt'
export const RECORD_FILE = 'slipway.json'

export const versionRecordSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  createdAt: z.string(),
  idempotencyKeyHash: z.string().optional(),
  /** What the publish asked for, so that a replay after a crash can finish it. */
  requested: z.object({ promote: z.boolean(), canaryPercent: z.number().optional() }).optional(),
  /** External data files beside model.onnx (names relative to the version folder). */
  files: z.array(z.object({ name: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() })).optional(),
  lineage: z.unknown().optional(),
  metrics: z.unknown().optional(),
  inputStats: inputStatsSchema.optional(),
})
export type VersionRecord = z.infer<typeof versionRecordSchema>

export function checkModelName(name: string): string {
  if (!MODEL_NAME_PATTERN.test(name)) throw new HttpError(400, 'invalid model name')
  return name
}

export function parseVersion(text: string): number {
  if (!VERSION_PATTERN.test(text)) throw new HttpError(400, 'invalid model version')
  return Number(text)
}

async function isPlainDirectory(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined)
  return info?.isDirectory() === true
}

export function defaultStateDir(root: string): string {
  const absolute = resolve(root)
  return join(dirname(absolute), `.${basename(absolute)}.slipway`)
}

export class Repository {
  readonly root: string
  readonly stateDir: string

  constructor(root: string, stateDir?: string) {
    this.root = resolve(root)
    this.stateDir = resolve(stateDir ?? defaultStateDir(root))
  }

  /** Creates the state directory and removes what a crash left behind: staged uploads, half-written temp files. */
  async init(): Promise<{ removed: number }> {
    await mkdir(this.root, { recursive: true })
    let removed = 0
    for (const sub of ['staging', 'trash']) {
      const dir = join(this.stateDir, sub)
      await mkdir(dir, { recursive: true })
      for (const entry of await readdir(dir)) {
        await rm(join(dir, entry), { recursive: true, force: true })
        removed++
      }
    }
    for (const name of await this.listModels()) {
      for (const entry of await readdir(this.modelDir(name))) {
        if (entry.startsWith('.tmp-')) {
          await rm(join(this.modelDir(name), entry), { force: true })
          removed++
        }
      }
    }
    return { removed }
  }

  modelDir(name: string): string {
    return join(this.root, checkModelName(name))
  }

  hasModel(name: string): Promise<boolean> {
    return isPlainDirectory(this.modelDir(name))
  }

  async listModels(): Promise<string[]> {
    const names: string[] = []
    for (const entry of await readdir(this.root)) {
      if (MODEL_NAME_PATTERN.test(entry) && (await isPlainDirectory(join(this.root, entry)))) names.push(entry)
    }
    return names.sort()
  }

  /** Numeric version directories holding a regular model.onnx, as Triton counts them (no leading zeros). */
  async listVersions(name: string): Promise<number[]> {
    const dir = this.modelDir(name)
    const versions: number[] = []
    for (const entry of await readdir(dir).catch(() => [] as string[])) {
      if (!VERSION_PATTERN.test(entry)) continue
      const file = await lstat(join(dir, entry, MODEL_FILE)).catch(() => undefined)
      if (file?.isFile()) versions.push(Number(entry))
    }
    return versions.sort((a, b) => a - b)
  }

  async readConfig(name: string): Promise<ModelConfig | undefined> {
    const text = await readFile(join(this.modelDir(name), CONFIG_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      throw error
    })
    return text === undefined ? undefined : configFromPbtxt(text, name)
  }

  /** The one pointer move: config.pbtxt is replaced atomically. */
  async writeConfig(config: ModelConfig): Promise<void> {
    await writeFileAtomic(join(this.modelDir(config.name), CONFIG_FILE), configToPbtxt(config))
  }

  versionDir(name: string, version: number): string {
    return join(this.modelDir(name), String(version))
  }

  readModelFile(name: string, version: number): Promise<Buffer> {
    return readFile(join(this.versionDir(name, version), MODEL_FILE))
  }

  async readRecord(name: string, version: number): Promise<VersionRecord | undefined> {
    const text = await readFile(join(this.modelDir(name), String(version), RECORD_FILE), 'utf8').catch(() => undefined)
    if (text === undefined) return undefined
    const parsed = versionRecordSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  }

  async newStagingDir(): Promise<string> {
    const dir = join(this.stateDir, 'staging', randomUUID())
    await mkdir(dir)
    return dir
  }

  /** Moves a complete staged version directory into place; the version number must be new. */
  async installVersion(name: string, staged: string, version: number): Promise<void> {
    await renameDurably(staged, join(this.modelDir(name), String(version)))
  }

  /** Moves a complete staged model directory (config.pbtxt plus its first version) into place. */
  async installModel(name: string, stagedModelDir: string): Promise<void> {
    await renameDurably(stagedModelDir, this.modelDir(name))
  }

  /** Takes a version out of the repository in one rename, then deletes it at leisure. */
  async removeVersion(name: string, version: number): Promise<void> {
    const trash = join(this.stateDir, 'trash', randomUUID())
    await renameDurably(join(this.modelDir(name), String(version)), trash)
    await rm(trash, { recursive: true, force: true })
  }
}
