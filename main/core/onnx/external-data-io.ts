// Reading and writing the bytes of external tensors one tensor at a time, so that a model far bigger than
// memory can be read, rewritten and written. Reading binds each external tensor to a reader of its byte
// range (tensorToArray calls it when a recipe needs the values); writing lays the big tensors out in one
// side file and streams them into it, each read only when its turn comes.
import { closeSync, openSync, readSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { FileError } from '../errors'
import { writeFileAtomic } from '../serving/atomic-write'
import { encodeModel } from './codec'
import { externalDataRef, resolveExternalLocation } from './external-data'
import { forEachTensor, mapModelTensors } from './graph-walk'
import { type LoadedOnnxModel, protobufLimitBytes, readOnnxModel } from './model-file'
import { DataType, type ModelProto, type TensorProto } from './onnx-types'
import { bindExternalReader, checkTensorData, elementCount, hasExternalData, storageBytes, tensorToArray, TensorDataError } from './tensor-data'

export interface OpenedOnnxModel extends LoadedOnnxModel {
  /** Whether any tensor lives in a side file. */
  readonly external: boolean
  /** The .onnx file and every side file it reads, in bytes. */
  readonly sizeBytes: number
  /** The .onnx file and its side files. */
  readonly files: readonly string[]
}

function asFileError<T>(path: string, run: () => T): T {
  try {
    return run()
  } catch (error) {
    if (error instanceof TensorDataError) throw new FileError(path, error.message)
    throw error
  }
}

/** Bytes a tensor's values take in raw_data, from its header (no data read). */
function declaredBytes(path: string, tensor: TensorProto): number {
  return asFileError(path, () => {
    checkTensorData(tensor)
    return storageBytes(tensor.dataType, elementCount(tensor.dims))
  })
}

/** Reads `length` bytes at `offset` of `file` (a fresh buffer each time: nothing is cached). */
function readRange(modelPath: string, file: string, offset: number, length: number, what: string): Uint8Array {
  const bytes = new Uint8Array(length)
  const fd = openSync(file, 'r')
  try {
    let done = 0
    while (done < length) {
      const read = readSync(fd, bytes, done, Math.min(length - done, 1 << 30), offset + done)
      if (read === 0) throw new FileError(modelPath, `'${basename(file)}' ended early while reading ${what}`)
      done += read
    }
  } finally {
    closeSync(fd)
  }
  return bytes
}

interface ExternalTensor {
  readonly tensor: TensorProto
  readonly location: string
  /** The side file, resolved and checked to stay in the model's folder. */
  readonly path: string
  readonly offset: number
  readonly length: number
}

/**
 * Every external tensor of `model` with its checked byte range: each location must stay inside the
 * model's folder (resolveExternalLocation), and each range must match the tensor's dims and lie inside
 * its file, so a truncated side file is found here. Also returns each side file's size.
 */
async function externalTensors(modelPath: string, model: ModelProto): Promise<{ tensors: ExternalTensor[]; sizes: Map<string, number> }> {
  const external: TensorProto[] = []
  forEachTensor(model, (tensor) => {
    if (hasExternalData(tensor)) external.push(tensor)
  })
  const files = new Map<string, string>()
  const sizes = new Map<string, number>()
  const tensors: ExternalTensor[] = []
  for (const tensor of external) {
    const ref = externalDataRef(modelPath, tensor)
    let path = files.get(ref.location)
    if (path === undefined) {
      path = await resolveExternalLocation(modelPath, ref.location)
      files.set(ref.location, path)
      if (!sizes.has(path)) sizes.set(path, (await stat(path)).size)
    }
    const size = sizes.get(path) as number
    const label = `tensor '${tensor.name ?? ''}'`
    const expected = declaredBytes(modelPath, tensor)
    const length = ref.length ?? size - ref.offset
    if (ref.offset + length > size)
      throw new FileError(
        modelPath,
        `${label} reads bytes ${ref.offset}..${ref.offset + length} of '${ref.location}', which has only ${size}: the file is truncated`,
      )
    if (length !== expected) throw new FileError(modelPath, `${label} needs ${expected} bytes but its external data says ${length}`)
    tensors.push({ tensor, location: ref.location, path, offset: ref.offset, length })
  }
  return { tensors, sizes }
}

/**
 * Binds every external tensor of `model` to a reader of its checked byte range (externalTensors).
 * Returns the side files' sizes.
 */
export async function bindExternalData(modelPath: string, model: ModelProto): Promise<Map<string, number>> {
  const { tensors, sizes } = await externalTensors(modelPath, model)
  for (const { tensor, path, offset, length } of tensors)
    bindExternalReader(tensor, () => readRange(modelPath, path, offset, length, `tensor '${tensor.name ?? ''}'`))
  return sizes
}

/**
 * Reads an .onnx file with its external tensors bound to their side files (read on demand, tensor by
 * tensor). The model's own bytes are read whole; weights in side files are not read here.
 */
export async function openOnnxModel(path: string): Promise<OpenedOnnxModel> {
  const loaded = await readOnnxModel(path)
  const sizes = await bindExternalData(path, loaded.model)
  let sizeBytes = loaded.bytes.length
  for (const size of sizes.values()) sizeBytes += size
  return { ...loaded, external: sizes.size > 0, sizeBytes, files: [path, ...sizes.keys()] }
}

/** Reads every external tensor's bytes into raw_data (in place, external_data cleared). */
export async function loadExternalData(modelPath: string, model: ModelProto): Promise<void> {
  await bindExternalData(modelPath, model)
  forEachTensor(model, (tensor) => {
    if (!hasExternalData(tensor)) return
    tensor.rawData = tensorBytes(modelPath, tensor)
    tensor.externalData = []
    tensor.dataLocation = 0
  })
}

function tensorBytes(path: string, tensor: TensorProto): Uint8Array {
  const array = asFileError(path, () => tensorToArray(tensor))
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
}

export function hasExternalTensors(model: ModelProto): boolean {
  let external = false
  forEachTensor(model, (tensor) => {
    external ||= hasExternalData(tensor)
  })
  return external
}

/**
 * Whether a model must be written with external data: the parent had it, or the tensors alone come
 * near protobuf's 2 GB limit (the graph's own bytes are left a margin).
 */
export function needsExternalData(model: ModelProto, parentExternal: boolean): boolean {
  if (parentExternal) return true
  let bytes = 0
  forEachTensor(model, (tensor) => {
    if (tensor.dataType !== DataType.STRING) bytes += storageBytes(tensor.dataType, elementCount(tensor.dims))
  })
  return bytes > protobufLimitBytes - (64 << 20)
}

export interface ExternalWriteOptions {
  /** Side file name, relative to the model's folder (default: model file name + '.data'). */
  readonly location?: string
  /** Tensors with at least this many bytes go to the side file (default 1024, as onnx's Python tool). */
  readonly threshold?: number
}

export interface WrittenModel {
  readonly modelBytes: number
  readonly dataBytes: number
}

/**
 * Tensors of 1 MB or more start at a multiple of 64 KiB, as ONNX Runtime writes them (its allocation
 * granularity, so it can map them from the file); small ones are only kept aligned for their elements.
 */
function alignmentFor(bytes: number): number {
  return bytes >= 1 << 20 ? 1 << 16 : 16
}

/**
 * Writes `model` to `path` with every tensor of `threshold` bytes or more in one side file (both written
 * atomically, side file first). Tensors still external (bound by openOnnxModel) are copied from their
 * files one at a time, small ones inlined; the side file's bytes are never all in memory at once.
 * `model` is unchanged.
 */
export async function writeOnnxModelWithExternalData(
  path: string,
  model: ModelProto,
  options: ExternalWriteOptions = {},
): Promise<WrittenModel> {
  const location = options.location ?? `${basename(path)}.data`
  const threshold = options.threshold ?? 1024
  const dir = dirname(resolve(path))
  const rel = relative(dir, resolve(dir, location))
  if (isAbsolute(location) || rel.startsWith('..') || rel.includes(sep))
    throw new FileError(path, `external data location '${location}' must be a plain file name in the model's folder`)
  const placed: { tensor: TensorProto; offset: number }[] = []
  let offset = 0
  const moved = mapModelTensors(model, (tensor) => {
    if (tensor.dataType === DataType.STRING) return tensor
    const size = declaredBytes(path, tensor)
    if (size < threshold) {
      if (!hasExternalData(tensor)) return tensor
      const inline: TensorProto = { ...tensor, rawData: tensorBytes(path, tensor), externalData: [], dataLocation: 0 }
      return inline
    }
    offset += (alignmentFor(size) - (offset % alignmentFor(size))) % alignmentFor(size)
    placed.push({ tensor, offset })
    const entry: TensorProto = {
      ...tensor,
      dataLocation: 1,
      externalData: [
        { key: 'location', value: location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(size) },
      ],
    }
    for (const field of ['rawData', 'floatData', 'int32Data', 'int64Data', 'doubleData', 'uint64Data'] as const) delete entry[field]
    offset += size
    return entry
  })
  function* chunks(): Generator<Uint8Array> {
    let at = 0
    for (const { tensor, offset: start } of placed) {
      if (start > at) yield new Uint8Array(start - at)
      const bytes = tensorBytes(path, tensor)
      yield bytes
      at = start + bytes.length
    }
  }
  await writeFileAtomic(join(dir, location), chunks())
  const bytes = encodeModel(moved)
  if (bytes.length > protobufLimitBytes) throw new FileError(path, 'the graph alone is over 2 GB, more than one protobuf file can hold')
  await writeFileAtomic(path, bytes)
  return { modelBytes: bytes.length, dataBytes: offset }
}
