// Tensors stored outside the .onnx file (TensorProto.external_data: location, offset, length). Locations
// are relative to the model's folder and must stay inside it: an absolute path, a `..` escape or a symlink
// leading out is refused, since a model file must never make Slipway read or copy arbitrary files.
import { open, realpath } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { FileError, UserError } from '../errors'
import { writeFileAtomic } from '../serving/atomic-write'
import { resolveContainedFile } from '../fs/contained-file'
import { encodeModel } from './codec'
import { forEachTensor, mapModelTensors } from './graph-walk'
import { DataType, type ModelProto, type TensorProto } from './onnx-types'
import { checkTensorData, elementCount, hasExternalData, storageBytes, tensorToArray, TensorDataError } from './tensor-data'

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

/**
 * Reads every external tensor's bytes into raw_data (in place, external_data cleared), each side file
 * opened once. Lengths are checked against the dims and the file size before reading.
 */
export async function loadExternalData(modelPath: string, model: ModelProto): Promise<void> {
  const external: TensorProto[] = []
  forEachTensor(model, (tensor) => {
    if (hasExternalData(tensor)) external.push(tensor)
  })
  const byFile = new Map<string, { tensor: TensorProto; ref: ExternalDataRef }[]>()
  const resolved = new Map<string, string>()
  for (const tensor of external) {
    const ref = externalDataRef(modelPath, tensor)
    const file = resolved.get(ref.location) ?? (await resolveExternalLocation(modelPath, ref.location))
    resolved.set(ref.location, file)
    const items = byFile.get(file) ?? []
    items.push({ tensor, ref })
    byFile.set(file, items)
  }
  for (const [file, items] of byFile) {
    const handle = await open(file, 'r')
    try {
      const size = (await handle.stat()).size
      for (const { tensor, ref } of items) {
        tensor.rawData = await readRange(modelPath, handle, size, tensor, ref)
        tensor.externalData = []
        tensor.dataLocation = 0
      }
    } finally {
      await handle.close()
    }
  }
}

async function readRange(
  modelPath: string,
  handle: Awaited<ReturnType<typeof open>>,
  fileSize: number,
  tensor: TensorProto,
  ref: ExternalDataRef,
): Promise<Uint8Array> {
  const label = `tensor '${tensor.name ?? ''}'`
  const expected = neededBytes(modelPath, tensor)
  const length = ref.length ?? fileSize - ref.offset
  if (expected !== undefined && length !== expected)
    throw new FileError(modelPath, `${label} needs ${expected} bytes but its external data says ${length}`)
  if (ref.offset + length > fileSize)
    throw new FileError(
      modelPath,
      `${label} reads bytes ${ref.offset}..${ref.offset + length} of '${ref.location}', which has only ${fileSize}: the file is truncated`,
    )
  const bytes = new Uint8Array(length)
  let done = 0
  while (done < length) {
    const { bytesRead } = await handle.read(bytes, done, length - done, ref.offset + done)
    if (bytesRead === 0) throw new FileError(modelPath, `'${ref.location}' ended early while reading ${label}`)
    done += bytesRead
  }
  return bytes
}

export interface ExternalWriteOptions {
  /** Side file name, relative to the model's folder (default: model file name + '.data'). */
  readonly location?: string
  /** Tensors with at least this many bytes go to the side file (default 1024, as onnx's Python tool). */
  readonly threshold?: number
}

/** Big tensors start on a page boundary so ONNX Runtime can map them; small ones are only kept aligned. */
function alignmentFor(bytes: number): number {
  return bytes >= 1 << 20 ? 4096 : 16
}

/**
 * Writes `model` to `path` with every tensor of `threshold` bytes or more moved to one side file (both
 * written atomically, side file first). Tensors already external must be loaded first (loadExternalData),
 * so that the new side file never overwrites data the model still points at. `model` is unchanged.
 */
export async function writeOnnxModelWithExternalData(
  path: string,
  model: ModelProto,
  options: ExternalWriteOptions = {},
): Promise<void> {
  const location = options.location ?? `${basename(path)}.data`
  const threshold = options.threshold ?? 1024
  let external = 0
  forEachTensor(model, (tensor) => {
    if (hasExternalData(tensor)) external++
  })
  if (external > 0) throw new FileError(path, `${external} tensors still point at external files; load them first`)
  const dir = dirname(resolve(path))
  const rel = relative(dir, resolve(dir, location))
  if (isAbsolute(location) || rel.startsWith('..') || rel.includes(sep))
    throw new FileError(path, `external data location '${location}' must be a plain file name in the model's folder`)
  const chunks: Uint8Array[] = []
  let offset = 0
  const moved = mapModelTensors(model, (tensor) => {
    if (tensor.dataType === DataType.STRING) return tensor
    let bytes: Uint8Array
    try {
      const array = tensorToArray(tensor)
      bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
    } catch (error) {
      if (error instanceof TensorDataError) throw new FileError(path, error.message)
      throw error
    }
    if (bytes.length < threshold) return tensor
    const align = alignmentFor(bytes.length)
    const padding = (align - (offset % align)) % align
    if (padding) chunks.push(new Uint8Array(padding))
    offset += padding
    chunks.push(bytes)
    const entry: TensorProto = { ...tensor, dataLocation: 1, externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(bytes.length) },
    ] }
    delete entry.rawData
    for (const field of ['floatData', 'int32Data', 'int64Data', 'doubleData', 'uint64Data'] as const) delete entry[field]
    offset += bytes.length
    return entry
  })
  await writeFileAtomic(join(dir, location), chunks)
  await writeFileAtomic(path, encodeModel(moved))
}
