// Calibration and evaluation data the UI can pick: the sample's files, uploads kept under data/, and paths
// on this machine (Electron drops), each remembered as data/<id>.json so the list survives restarts.
import { randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { DataFileInfo } from '../../../preload/api'
import { FileError, UserError } from '../errors'
import { writeJsonAtomic } from '../serving/atomic-write'

const DATA_EXTENSIONS = ['.npy', '.npz', '.pb', '.csv']

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path)
  if (!info.isDirectory()) return info.size
  let total = 0
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  return total
}

export class DataFiles {
  private readonly dir: string

  constructor(
    workspaceDir: string,
    private readonly sampleDir: string,
  ) {
    this.dir = join(workspaceDir, 'data')
  }

  async list(): Promise<DataFileInfo[]> {
    const sample = (await readdir(this.sampleDir).catch(() => [] as string[]))
      .filter((file) => DATA_EXTENSIONS.some((ext) => file.endsWith(ext)))
      .sort()
    const samples = await Promise.all(
      sample.map(async (file): Promise<DataFileInfo> => {
        const path = join(this.sampleDir, file)
        return { name: file, path, sizeBytes: await sizeOf(path), source: 'sample' }
      }),
    )
    const kept = (await readdir(this.dir).catch(() => [] as string[])).filter((file) => file.endsWith('.json')).sort()
    const added = await Promise.all(kept.map(async (file) => JSON.parse(await readFile(join(this.dir, file), 'utf8')) as DataFileInfo))
    return [...samples, ...added]
  }

  /** A file or folder on this machine, used where it is. */
  async addPath(path: string): Promise<DataFileInfo> {
    const sizeBytes = await sizeOf(path).catch(() => {
      throw new FileError(path, 'file not found')
    })
    return this.remember({ name: basename(path), path, sizeBytes, source: 'path' })
  }

  /** An upload folder: its only file (or the folder, for test_data_set or image folders) moves under data/. */
  async addUpload(uploadDir: string): Promise<DataFileInfo> {
    const entries = await readdir(uploadDir)
    if (entries.length === 0) throw new UserError('the upload holds no file')
    const id = randomUUID()
    const target = join(this.dir, id)
    await mkdir(this.dir, { recursive: true })
    await rename(uploadDir, target)
    const only = entries.length === 1 ? join(target, entries[0] as string) : target
    const name = entries.length === 1 ? (entries[0] as string) : `${entries.length} files`
    return this.remember({ name, path: only, sizeBytes: await sizeOf(only), source: 'upload' }, id)
  }

  private async remember(info: DataFileInfo, id: string = randomUUID()): Promise<DataFileInfo> {
    await mkdir(this.dir, { recursive: true })
    await writeJsonAtomic(join(this.dir, `${id}.json`), info)
    return info
  }
}
