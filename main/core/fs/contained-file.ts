// Files that a model names relative to its own folder (ONNX external data, TF.js weight shards). A model
// must never make Slipway read or copy files elsewhere: absolute paths, `..` escapes and symlinks leading
// out of the folder, and hard links, are refused, with an error naming the model file and the path it gave.
import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep, win32 } from 'node:path'
import { FileError } from '../errors'

export interface ContainedFile {
  readonly path: string
  readonly size: number
}

/**
 * Resolves `name` (as written in `modelFile`) inside `dir`, symlinks followed, and checks that it is an
 * existing regular file there. `what` says what the name is, for the messages ('weight shard').
 */
export async function resolveContainedFile(modelFile: string, dir: string, name: string, what: string): Promise<ContainedFile> {
  const refuse = (why: string): never => {
    throw new FileError(modelFile, `${what} '${name}' ${why}; it must be a file inside the model's folder`)
  }
  if (isAbsolute(name) || win32.isAbsolute(name) || /^[a-z][a-z0-9+.-]*:\/\//i.test(name)) refuse('is an absolute path')
  const target = resolve(dir, name)
  const rel = relative(dir, target)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) refuse('points outside the folder')
  let real: string
  try {
    real = await realpath(target)
  } catch {
    throw new FileError(modelFile, `${what} '${name}' is missing (looked for ${target})`)
  }
  if (!real.startsWith((await realpath(dir)) + sep)) refuse('leads outside the folder through a symbolic link')
  const info = await stat(real)
  if (!info.isFile()) refuse('is not a regular file')
  // A hard link is the one escape realpath cannot see: the same data may also be a file outside the folder.
  if (info.nlink > 1) refuse(`is a hard link (${info.nlink} names share its data)`)
  return { path: real, size: info.size }
}
