// Tensors stored outside the .onnx file (TensorProto.external_data: location, offset, length). Locations
// are relative to the model's folder and must stay inside it: an absolute path, a `..` escape or a symlink
// leading out is refused, since a model file must never make Slipway read or copy arbitrary files.
import { realpath } from 'node:fs/promises'
import { dirname, relative, resolve, sep } from 'node:path'
import { FileError, UserError } from '../errors'
import { resolveContainedFile } from '../fs/contained-file'
import { forEachTensor } from './graph-walk'
import { DataType, type ModelProto, type TensorProto } from './onnx-types'
import { checkTensorData, elementCount, hasExternalData, storageBytes, TensorDataError } from './tensor-data'

export interface ExternalDataRef {
  readonly location: string
  readonly offset: number
  /** Declared length in bytes; when absent the data runs to the end of the file. */
  readonly length?: number
}

/** The keys onnx defines for external data; anything else is refused rather than guessed at. */
const externalDataKeys = new Set(['location', 'offset', 'length', 'checksum', 'basepath'])

export function externalDataRef(modelPath: string, tensor: TensorProto): ExternalDataRef {
  const label = `tensor '${tensor.name ?? ''}'`
  const entries = new Map<string, string>()
  for (const { key = '', value = '' } of tensor.externalData ?? []) {
    if (!externalDataKeys.has(key)) throw new FileError(modelPath, `${label} has an unknown external-data key '${key}'`)
    if (entries.has(key)) throw new FileError(modelPath, `${label} gives external-data '${key}' twice`)
    entries.set(key, value)
  }
  const location = entries.get('location')
  if (!location) throw new FileError(modelPath, `${label} is marked external but names no location`)
  const number = (key: string): number | undefined => {
    const text = entries.get(key)
    if (text === undefined) return undefined
    const value = Number(text)
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value))
      throw new FileError(modelPath, `${label} has an invalid external-data ${key} '${text}'`)
    return value
  }
  const length = number('length')
  return length === undefined ? { location, offset: number('offset') ?? 0 } : { location, offset: number('offset') ?? 0, length }
}

/**
 * The absolute path of an external-data location, checked to stay inside the model's folder (no `..`, no
 * symbolic links, no hard links) and to be an existing regular file.
 */
export async function resolveExternalLocation(modelPath: string, location: string): Promise<string> {
  const { path } = await resolveContainedFile(modelPath, dirname(resolve(modelPath)), location, 'external data location')
  return path
}

export interface ExternalDataFile {
  /** Absolute path of the side file. */
  readonly path: string
  /** Its name relative to the model's folder, '/'-separated, as the model gives it (normalised). */
  readonly location: string
  readonly size: number
}

/** Bytes a tensor's dims and type need, or undefined where that is not a fixed size (strings). */
function neededBytes(modelPath: string, tensor: TensorProto): number | undefined {
  if (tensor.dataType === DataType.STRING) return undefined
  try {
    checkTensorData(tensor)
    return storageBytes(tensor.dataType, elementCount(tensor.dims))
  } catch (error) {
    if (error instanceof TensorDataError) throw new FileError(modelPath, error.message)
    throw error
  }
}

/**
 * The confinement check for external data, and the side files a model reads (validated, each once, in
 * order of first use). Every tensor stored outside the model file, at any depth (initializers, Constant and
 * other attribute tensors, sparse tensors, If/Loop/Scan bodies, local functions), must name a regular file
 * inside the model's own folder (see resolveContainedFile), and its byte range must lie within that file
 * and match what its dims and type need. The server runs this before ONNX Runtime sees a model, so a model
 * can never read a file outside its folder.
 */
export async function externalDataFiles(modelPath: string, model: ModelProto): Promise<ExternalDataFile[]> {
  const refs: { tensor: TensorProto; ref: ExternalDataRef }[] = []
  forEachTensor(model, (tensor) => {
    if (hasExternalData(tensor)) refs.push({ tensor, ref: externalDataRef(modelPath, tensor) })
  })
  const files = new Map<string, ExternalDataFile>()
  const byLocation = new Map<string, ExternalDataFile>()
  for (const { tensor, ref } of refs) {
    let file = byLocation.get(ref.location)
    if (file === undefined) {
      const found = await resolveContainedFile(modelPath, dirname(resolve(modelPath)), ref.location, 'external data location')
      file = files.get(found.path) ?? { path: found.path, location: relative(await realpath(dirname(resolve(modelPath))), found.path).split(sep).join('/'), size: found.size }
      files.set(found.path, file)
      byLocation.set(ref.location, file)
    }
    const needed = neededBytes(modelPath, tensor)
    const length = ref.length ?? file.size - ref.offset
    if (needed !== undefined && length !== needed)
      throw new FileError(modelPath, `tensor '${tensor.name ?? ''}' needs ${needed} bytes but its external data says ${length}`)
    const end = ref.offset + length
    if (ref.offset > file.size || end > file.size)
      throw new FileError(
        modelPath,
        `tensor '${tensor.name ?? ''}' reads bytes ${ref.offset}..${end} of '${ref.location}', which has only ${file.size}: the file is truncated`,
      )
  }
  return [...files.values()]
}

/**
 * Model bytes have no folder: ONNX Runtime given bytes resolves external data against the process's
 * working directory. Every session made from bytes goes through this, so that never happens.
 */
export function refuseExternalData(model: ModelProto, what: string): void {
  let external: string | undefined
  forEachTensor(model, (tensor) => {
    if (external === undefined && hasExternalData(tensor)) external = tensor.name ?? ''
  })
  if (external !== undefined)
    throw new UserError(`${what} keeps tensor '${external}' in an external data file: it must be loaded from its own file, not from bytes`)
}
