// The workspace on disk: one folder per model or variant under models/, each with its files and an
// entry.json (name, lineage, inspection). New entries are assembled in staging/ and moved into models/
// with one rename, so a crash never leaves a half-imported model visible; staging is cleared at open.
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { InputSpec, Inspection, LineageStep, ModelEntry, ModelFormat, ModelId, StoredReport, StoredResult } from '../../../preload/api'
import { UserError } from '../errors'
import { writeJsonAtomic } from '../serving/atomic-write'

const ENTRY_FILE = 'entry.json'

export interface NewEntry {
  readonly name: string
  readonly format: ModelFormat
  /** Path of the main file, relative to the folder the files come from. */
  readonly mainFile: string
  readonly source: string
  readonly lineage?: LineageStep
  readonly inspection?: Inspection
  readonly inputSpec?: InputSpec
}

export interface SourceFile {
  /** Absolute path of the file to copy or move. */
  readonly from: string
  /** Its path inside the model's folder. */
  readonly to: string
}

export class Workspace {
  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<Workspace> {
    const root = resolve(dir)
    await mkdir(join(root, 'models'), { recursive: true })
    await rm(join(root, 'staging'), { recursive: true, force: true })
    await mkdir(join(root, 'staging'), { recursive: true })
    return new Workspace(root)
  }

  private modelDir(id: ModelId): string {
    if (!/^[a-z0-9-]+$/.test(id)) throw new UserError(`no model with id "${id}"`)
    return join(this.dir, 'models', id)
  }

  /** A fresh folder under staging/ for a job to write into; gone at the next open if never committed. */
  async stagingDir(): Promise<string> {
    const dir = join(this.dir, 'staging', randomUUID())
    await mkdir(dir, { recursive: true })
    return dir
  }

  /** Runs `write` with a fresh staging folder and removes the folder after it, whatever was committed out of it. */
  async withStaging<T>(write: (dir: string) => Promise<T>): Promise<T> {
    const dir = await this.stagingDir()
    try {
      return await write(dir)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  async list(): Promise<ModelEntry[]> {
    const ids = await readdir(join(this.dir, 'models'))
    const entries = await Promise.all(ids.map((id) => this.get(id).catch(() => undefined)))
    return entries
      .filter((entry): entry is ModelEntry => entry !== undefined)
      .sort((a, b) => a.importedAt.localeCompare(b.importedAt))
  }

  async get(id: ModelId): Promise<ModelEntry> {
    try {
      return JSON.parse(await readFile(join(this.modelDir(id), ENTRY_FILE), 'utf8')) as ModelEntry
    } catch (error) {
      if (error instanceof UserError) throw error
      throw new UserError(`no model with id "${id}"`)
    }
  }

  /** Absolute path of a model's main file. */
  async mainFilePath(id: ModelId): Promise<string> {
    const entry = await this.get(id)
    return join(this.modelDir(id), entry.mainFile)
  }

  folderOf(id: ModelId): string {
    return this.modelDir(id)
  }

  /**
   * Adds a model from files: copies them (or moves them, when they already sit in this workspace's
   * staging), writes entry.json, and makes the folder visible with one rename.
   */
  async add(entry: NewEntry, files: readonly SourceFile[]): Promise<ModelEntry> {
    const id = randomUUID()
    const staging = join(this.dir, 'staging', `${id}.import`)
    await mkdir(staging, { recursive: true })
    try {
      let sizeBytes = 0
      for (const file of files) {
        const target = join(staging, file.to)
        if (relative(staging, target).startsWith('..')) throw new UserError(`refused file path "${file.to}"`)
        await mkdir(dirname(target), { recursive: true })
        if (this.isStaged(file.from)) await rename(file.from, target)
        else await copyFile(file.from, target)
        sizeBytes += (await stat(target)).size
      }
      const full: ModelEntry = {
        id,
        name: entry.name,
        format: entry.format,
        mainFile: entry.mainFile,
        files: files.map((file) => file.to),
        sizeBytes,
        importedAt: new Date().toISOString(),
        source: entry.source,
        ...(entry.lineage ? { lineage: entry.lineage } : {}),
        ...(entry.inspection ? { inspection: entry.inspection } : {}),
        ...(entry.inputSpec ? { inputSpec: entry.inputSpec } : {}),
      }
      await writeJsonAtomic(join(staging, ENTRY_FILE), full)
      await rename(staging, this.modelDir(id))
      return full
    } catch (error) {
      await rm(staging, { recursive: true, force: true })
      throw error
    }
  }

  async update(id: ModelId, change: Partial<Pick<ModelEntry, 'name' | 'inspection' | 'inputSpec' | 'dataChoices'>>): Promise<ModelEntry> {
    const entry = { ...(await this.get(id)), ...change }
    await writeJsonAtomic(join(this.modelDir(id), ENTRY_FILE), entry)
    return entry
  }

  async remove(id: ModelId): Promise<void> {
    await this.get(id)
    // Move out of models/ first so a crash mid-delete never leaves a half-deleted model listed.
    const trash = join(this.dir, 'staging', `${id}.deleted`)
    await rename(this.modelDir(id), trash)
    await rm(trash, { recursive: true, force: true })
  }

  /** Stores a JSON result (benchmark, comparison…) with a model, under results/NAME.json. */
  async saveResult(id: ModelId, name: string, value: StoredReport): Promise<string> {
    if (!/^[\w.-]+$/.test(name)) throw new UserError(`bad result name "${name}"`)
    const dir = join(this.modelDir(id), 'results')
    await mkdir(dir, { recursive: true })
    const path = join(dir, `${name}.json`)
    await writeJsonAtomic(path, value)
    return path
  }

  async readResult(id: ModelId, name: string): Promise<unknown> {
    return JSON.parse(await readFile(join(this.modelDir(id), 'results', `${name}.json`), 'utf8'))
  }

  /** Every stored result of a model, oldest first (names start with the kind and sort by time); files of another kind are skipped. */
  async listResults(id: ModelId): Promise<StoredResult[]> {
    const dir = join(this.modelDir(id), 'results')
    const names = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith('.json')).sort()
    const read = await Promise.all(names.map(async (file) => ({ name: file.slice(0, -5), value: JSON.parse(await readFile(join(dir, file), 'utf8')) as unknown })))
    return read.filter((result): result is StoredResult => isStoredReport(result.value))
  }

  private isStaged(path: string): boolean {
    return resolve(path).startsWith(join(this.dir, 'staging') + sep)
  }
}

const storedKinds: ReadonlySet<unknown> = new Set<StoredReport['kind']>(['benchmark', 'compare', 'publish', 'tune', 'profile'])

/** A file Slipway wrote with saveResult: an object whose kind is one of the stored reports'. */
function isStoredReport(value: unknown): value is StoredReport {
  return typeof value === 'object' && value !== null && 'kind' in value && storedKinds.has(value.kind)
}
