// Whole-file writes that never leave a half-written file: write a temp file in the same folder (so the
// rename stays on one file system), fsync it, rename it over the target, then fsync the folder so the
// rename itself survives a power cut.
import { randomBytes } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Data to write: one buffer or string, or chunks written in order (no concatenation). A generator may
 * produce each chunk only when it is written, so a file far bigger than memory can be written.
 */
export type FileData = string | Uint8Array | Iterable<Uint8Array>

export async function writeFileAtomic(path: string, data: FileData): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx')
  try {
    try {
      const chunks = typeof data === 'string' || data instanceof Uint8Array ? [data] : data
      for (const chunk of chunks) await handle.writeFile(chunk)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
  await syncDir(dir)
}

async function syncDir(dir: string): Promise<void> {
  // Some platforms (Windows) cannot open or fsync a folder; the file itself is already durable there.
  const handle = await open(dir, 'r').catch(() => undefined)
  if (!handle) return
  try {
    await handle.sync()
  } catch {
    // Folder fsync is best effort: not supported on every file system.
  } finally {
    await handle.close()
  }
}

/** Renames a finished file or folder into place and makes the rename durable in both folders. */
export async function renameDurably(from: string, to: string): Promise<void> {
  await rename(from, to)
  await syncDir(dirname(to))
  await syncDir(dirname(from))
}

/** Pretty-printed JSON with a trailing newline, written atomically. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`)
}
