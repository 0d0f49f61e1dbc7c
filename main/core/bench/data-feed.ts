// Data sets as benchmark and comparison inputs: the user's data options in the loader's terms, and the
// rows a configuration feeds.
import { extname } from 'node:path'
import type { DataOptions, InputSpec } from '../../../preload/api'
import { FileError } from '../errors'
import type { CsvOptions } from '../data/csv'
import type { ImageOptions } from '../data/image-folder'
import { rebatch, type Feed, type HostTensor, type LoadOptions, type TensorDataSet } from '../data/load-tensors'
import { readNpy } from '../data/npy'
import type { TensorArray } from '../onnx/tensor-data'
import { resolveInputs, specFor, type ResolvedInput } from './input-spec'
import type { IoInfo } from './model-io'
import { generateFeed } from './random-inputs'
import { readUserText } from '../fs/read-user-file'

export function dataLoadOptions(options: DataOptions = {}): LoadOptions {
  const csv: CsvOptions = {
    ...(options.labelColumn === undefined ? {} : { labelColumn: options.labelColumn }),
    ...(options.scale === undefined ? {} : { scale: options.scale }),
  }
  const images: ImageOptions = {
    ...(options.width === undefined ? {} : { width: options.width }),
    ...(options.height === undefined ? {} : { height: options.height }),
    ...(options.layout === undefined ? {} : { layout: options.layout }),
    ...(options.channels === undefined ? {} : { channels: options.channels }),
    ...(options.scale === undefined ? {} : { scale: options.scale }),
    ...(options.mean === undefined ? {} : { mean: options.mean }),
    ...(options.std === undefined ? {} : { std: options.std }),
  }
  return { ...(options.limit === undefined ? {} : { maxRows: options.limit }), csv, images }
}

/** `count` rows of a tensor, repeating the data from the start when it holds fewer (a copy). */
function cycleRows(tensor: HostTensor, count: number): HostTensor {
  const rows = tensor.dims[0] ?? 1
  const rowSize = tensor.data.length / Math.max(1, rows)
  const Ctor = tensor.data.constructor as new (n: number) => TensorArray
  const data = new Ctor(count * rowSize)
  for (let r = 0; r < count; r++)
    (data as Float32Array).set(tensor.data.subarray((r % rows) * rowSize, ((r % rows) + 1) * rowSize) as Float32Array, r * rowSize)
  return { dtype: tensor.dtype, dims: [count, ...tensor.dims.slice(1)], data }
}

/** One batch of real data for a benchmark configuration: its first rows, shaped as the inputs resolve. */
export function firstRows(set: TensorDataSet, inputs: readonly ResolvedInput[]): Feed {
  const all = rebatch(set, set.rows)[0] as Feed
  const feed: Feed = {}
  for (const input of inputs) {
    const tensor = all[input.name]
    if (!tensor) continue
    feed[input.name] = input.shape.length === 0 ? tensor : cycleRows(tensor, input.shape[0] as number)
  }
  return feed
}

/**
 * Inputs the spec fixes to one value and that carry no batch (a sample rate): generated as it says, so a
 * data file need only hold the inputs that vary. Undefined when there are none.
 */
export function fixedInputFeed(label: string, inputs: readonly IoInfo[], spec: InputSpec): Feed | undefined {
  const shaped = (input: IoInfo): boolean => spec.shapes?.[input.name] !== undefined || (input.dims?.every((dim) => typeof dim === 'number') ?? false)
  const fixed = inputs.filter((input) => spec.values?.[input.name] !== undefined && shaped(input))
  if (fixed.length === 0) return undefined
  return generateFeed(resolveInputs(label, fixed, { spec: specFor(spec, fixed) }), 1)
}

/** Class labels from a file: .npy of integers ([N] or [N,1]), or text with one integer per line. */
export async function loadLabels(path: string): Promise<BigInt64Array> {
  if (extname(path).toLowerCase() === '.npy') {
    const tensor = await readNpy(path)
    if (tensor.dims.length > 2 || (tensor.dims.length === 2 && tensor.dims[1] !== 1))
      throw new FileError(path, `labels must be one class index per sample (shape [N]); this array has shape [${tensor.dims.join(',')}]`)
    if (!/int|bool/.test(tensor.dtype)) throw new FileError(path, `labels must be integers; this array is ${tensor.dtype}`)
    return BigInt64Array.from(tensor.data as ArrayLike<number | bigint>, (v) => BigInt(v))
  }
  const text = await readUserText(path)
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '')
  const bad = lines.findIndex((l) => !/^\d+$/.test(l))
  if (bad >= 0) throw new FileError(path, `line ${bad + 1}: '${lines[bad]}' is not a class index (one whole number per line)`)
  return BigInt64Array.from(lines, (l) => BigInt(l))
}
