// Reading a file the user named: failures become FileErrors in plain words (not found, a folder, no
// permission) instead of Node's errno messages.
import { readFile } from 'node:fs/promises'
import { FileError } from '../errors'

function userReadError(path: string, error: unknown): FileError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return new FileError(path, 'file not found')
  if (code === 'EISDIR') return new FileError(path, 'is a folder, not a file')
  if (code === 'EACCES' || code === 'EPERM') return new FileError(path, 'permission denied')
  if (code === 'ERR_FS_FILE_TOO_LARGE')
    return new FileError(path, 'is over 2 GB, too large to read as one file (ONNX models this big keep their weights in external data files)')
  return new FileError(path, `cannot be read (${code ?? (error as Error).message})`)
}

export async function readUserFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (error) {
    throw userReadError(path, error)
  }
}

export async function readUserText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw userReadError(path, error)
  }
}
