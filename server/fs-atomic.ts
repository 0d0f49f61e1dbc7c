// Durable file operations: a rename is atomic, but only durable once the file and its directory are
// fsynced (Pillai et al., OSDI'14), which Node's writeFile and rename do not do on their own.
import { randomUUID } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Writes `data` to `path` so that a crash leaves either the old file or the new one, never a mix. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.tmp-${randomUUID()}`)
  const handle = await open(temp, 'wx', 0o644)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temp, { force: true })
    throw error
  }
  await handle.close()
  await rename(temp, path)
  await fsyncPath(dirname(path))
}

/** Renames a finished directory into place and makes the rename durable. */
export async function renameDurably(from: string, to: string): Promise<void> {
  await rename(from, to)
  await fsyncPath(dirname(to))
  await fsyncPath(dirname(from))
}
