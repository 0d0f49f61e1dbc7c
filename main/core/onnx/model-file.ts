// Reading and writing .onnx files with errors a user can act on: the file is named, and common mistakes
// (an empty file, a truncated download, an image or archive renamed .onnx) are said in plain words.
import { dirname, resolve } from 'node:path'
import { FileError } from '../errors'
import { writeFileAtomic } from '../serving/atomic-write'
import { readUserFile } from '../fs/read-user-file'
import { decodeModel, encodeModel, OnnxDecodeError, toNumber } from './codec'
import { forEachTensor, subgraphsOf } from './graph-walk'
import type { GraphProto, ModelProto } from './onnx-types'
import { checkTensorData, TensorDataError } from './tensor-data'

export interface LoadedOnnxModel {
  readonly path: string
  /** The model's folder, against which external-data locations resolve. */
  readonly dir: string
  /** The file's bytes; the model's raw_data fields are views into them. */
  readonly bytes: Uint8Array
  readonly model: ModelProto
}

/** Subgraph nesting (If/Loop/Scan bodies) allowed; real models use a few levels. */
export const maxSubgraphDepth = 32

/** Protobuf cannot encode a message past 2 GiB; bigger models keep their weights in external data. */
export const protobufLimitBytes = 2 ** 31 - 1

const signatures: readonly { readonly test: (b: Uint8Array) => boolean; readonly what: string }[] = [
  { test: (b) => starts(b, [0xff, 0xd8, 0xff]), what: 'a JPEG image' },
  { test: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47]), what: 'a PNG image' },
  { test: (b) => starts(b, [0x47, 0x49, 0x46, 0x38]), what: 'a GIF image' },
  { test: (b) => starts(b, [0x25, 0x50, 0x44, 0x46]), what: 'a PDF document' },
  { test: (b) => starts(b, [0x50, 0x4b, 0x03, 0x04]), what: 'a zip archive (a PyTorch .pt file is one too)' },
  { test: (b) => starts(b, [0x1f, 0x8b]), what: 'a gzip-compressed file' },
  { test: (b) => starts(b, [0x89, 0x48, 0x44, 0x46]), what: 'an HDF5 file (a Keras .h5 model?)' },
  { test: (b) => ascii(b, 4, 4) === 'TFL3', what: 'a TensorFlow Lite model' },
  { test: (b) => starts(b, [0x80]) && b[1] !== undefined && b[1] <= 5, what: 'a Python pickle' },
  { test: (b) => /^\s*[[{]/.test(ascii(b, 0, 16)), what: 'JSON text (a TF.js model.json?)' },
]

function starts(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte)
}

function ascii(bytes: Uint8Array, from: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(from, from + length))
}

/** What a file is when its first bytes say so ('a JPEG image'), for errors about non-ONNX files. */
export function sniffFileKind(bytes: Uint8Array): string | undefined {
  return signatures.find((s) => s.test(bytes))?.what
}

/** Decodes ONNX bytes, turning every failure into a FileError that says what the file looks like. */
export function parseOnnxModel(path: string, bytes: Uint8Array): ModelProto {
  if (bytes.length === 0) throw new FileError(path, 'the file is empty (0 bytes), not an ONNX model')
  const kind = sniffFileKind(bytes)
  if (kind) throw new FileError(path, `this is ${kind}, not an ONNX model`)
  let model: ModelProto
  try {
    model = decodeModel(bytes)
  } catch (error) {
    if (!(error instanceof OnnxDecodeError)) throw error
    if (/call stack|nesting depth/i.test(error.message)) throw new FileError(path, 'its graphs are nested too deeply to read')
    throw new FileError(path, `the file is truncated or corrupt: ${error.message}`)
  }
  if (!model.graph)
    throw new FileError(path, 'not an ONNX model: it holds no graph (random bytes, or a file of another kind)')
  const ir = toNumber(model.irVersion)
  if (ir < 1 || ir > 100 || (model.opsetImport?.length ?? 0) === 0)
    throw new FileError(
      path,
      ir < 1 || ir > 100
        ? `not an ONNX model: IR version ${ir} is not one ONNX has defined (random or corrupt bytes?)`
        : 'not a complete ONNX model: it declares no operator set (the file may be truncated)',
    )
  checkStructure(path, model)
  try {
    forEachTensor(model, checkTensorData)
  } catch (error) {
    if (error instanceof TensorDataError) throw new FileError(path, error.message)
    throw error
  }
  return model
}

/**
 * Refuses nesting deeper than maxSubgraphDepth and negative declared dims. Iterative, so hostile nesting
 * cannot overflow the stack here; the recursive walks that follow then stay shallow.
 */
function checkStructure(path: string, model: ModelProto): void {
  const pending: { graph: GraphProto; depth: number }[] = []
  if (model.graph) pending.push({ graph: model.graph, depth: 0 })
  for (const fn of model.functions ?? []) pending.push({ graph: { node: fn.node ?? [] }, depth: 0 })
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { graph, depth } = item
    if (depth > maxSubgraphDepth) throw new FileError(path, `its subgraphs are nested more than ${maxSubgraphDepth} levels deep`)
    for (const info of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])])
      for (const dim of info.type?.tensorType?.shape?.dim ?? []) {
        const value = Object.hasOwn(dim, 'dimValue') ? toNumber(dim.dimValue) : 0
        if (value < 0) throw new FileError(path, `'${info.name ?? ''}' declares a negative dimension ${value}`)
      }
    for (const node of graph.node ?? []) for (const sub of subgraphsOf(node)) pending.push({ graph: sub, depth: depth + 1 })
  }
}

/** Reads and decodes an .onnx file; weights stay views into `bytes`. External data is not read. */
export async function readOnnxModel(path: string): Promise<LoadedOnnxModel> {
  const bytes = await readUserFile(path)
  return { path, dir: dirname(resolve(path)), bytes, model: parseOnnxModel(path, bytes) }
}

/** Encodes and writes a model atomically (temp file, fsync, rename). */
export async function writeOnnxModel(path: string, model: ModelProto): Promise<void> {
  let bytes: Uint8Array
  try {
    bytes = encodeModel(model)
  } catch (error) {
    if (error instanceof RangeError)
      throw new FileError(path, 'the model is too large for one protobuf file (over 2 GB): write it with external data')
    throw error
  }
  if (bytes.length > protobufLimitBytes)
    throw new FileError(path, 'the model is too large for one protobuf file (over 2 GB): write it with external data')
  await writeFileAtomic(path, bytes)
}
