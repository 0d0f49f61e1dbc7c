// Files that a model names relative to its own folder (ONNX external data, TF.js weight shards). A model
// must never make Slipway (or the server) read or copy files elsewhere: absolute and drive paths, `..`
// escapes, symbolic links anywhere below the folder, and hard links, are refused, with an error naming the
// model file and the path it gave. Every component is checked with lstat, so no link is ever followed.
import { lstat, realpath } from 'node:fs/promises'
import { isAbsolute, join, posix, win32 } from 'node:path'
import { FileError } from '../errors'

export interface ContainedFile {
  readonly path: string
  readonly size: number
}

/**
 * The location's path segments below the folder, or the reason it cannot name a file there. Backslashes,
 * drive letters and NUL are refused outright: on another system (or in ONNX Runtime on Windows) they would
 * name a different file than the one checked here.
 */
export function containedSegments(name: string): string[] | string {
  if (name.includes('\0')) return 'holds a NUL character'
  if (isAbsolute(name) || win32.isAbsolute(name) || /^[a-z][a-z0-9+.-]*:/i.test(name)) return 'is an absolute path'
  if (name.includes('\\')) return 'holds a backslash'
  // `..` is refused even where it would stay inside (`sub/../x`): the system resolves it after following
  // `sub`, which a later link could point anywhere.
  if (name.split('/').includes('..')) return 'points outside the folder'
  const segments = posix.normalize(name).split('/').filter((s) => s !== '' && s !== '.')
  return segments.length > 0 ? segments : 'names no file'
}

/**
 * Resolves `name` (as written in `modelFile`) inside `dir` and checks that it is an existing regular file
 * there, reached without symbolic links. `what` says what the name is, for the messages ('weight shard').
 */
export async function resolveContainedFile(modelFile: string, dir: string, name: string, what: string): Promise<ContainedFile> {
  const refuse = (why: string): never => {
    throw new FileError(modelFile, `${what} '${name}' ${why}; it must be a file inside the model's folder`)
  }
  const segments = containedSegments(name)
  if (typeof segments === 'string') return refuse(segments)
  // The folder itself may sit behind links (a symlinked home or /tmp); only what lies below it is checked.
  let path = await realpath(dir)
  for (const [i, segment] of segments.entries()) {
    path = join(path, segment)
    const info = await lstat(path).catch(() => undefined)
    if (!info) throw new FileError(modelFile, `${what} '${name}' is missing (looked for ${join(dir, ...segments)})`)
    if (info.isSymbolicLink()) refuse('leads through a symbolic link')
    const last = i === segments.length - 1
    if (!last && !info.isDirectory()) refuse('is not a regular file')
    if (last) {
      if (!info.isFile()) refuse('is not a regular file')
      // A hard link is the one escape a path check cannot see: the same data may also be a file outside the folder.
      if (info.nlink > 1) refuse(`is a hard link (${info.nlink} names share its data)`)
      return { path, size: info.size }
    }
  }
  return refuse('is not a regular file')
}
