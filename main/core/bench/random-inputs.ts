// Random input data that fits each input's element type, seeded so that every run of a benchmark feeds
// the same values. Integer inputs (token ids, class ids) stay within the range the user gives.
import { float32ToFloat16Array } from '../onnx/float16'
import type { TensorArray } from '../onnx/tensor-data'
import type { ValueRange } from '../../../preload/api'
import type { Feed } from '../data/load-tensors'
import type { ResolvedInput } from './input-spec'

/** mulberry32: small, fast, good enough to make inputs that are not all zeros. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Default values when the user gives no range: floats in [0, 1), integers 0..9, masks all 1. */
export function defaultRange(name: string, dtype: string): ValueRange {
  if (/mask/i.test(name) && !dtype.startsWith('float')) return { low: 1, high: 1 }
  if (dtype === 'bool') return { low: 0, high: 1 }
  if (dtype.startsWith('float')) return { low: 0, high: 1 }
  return { low: 0, high: 9 }
}

const integerArrays: Record<string, new (n: number) => TensorArray> = {
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
}

export function randomTensorData(dtype: string, count: number, range: ValueRange, seed: number): TensorArray {
  const random = seededRandom(seed)
  const { low, high } = range
  if (dtype === 'float32' || dtype === 'float64' || dtype === 'float16') {
    const values = dtype === 'float64' ? new Float64Array(count) : new Float32Array(count)
    for (let i = 0; i < count; i++) values[i] = low + random() * (high - low)
    return dtype === 'float16' ? float32ToFloat16Array(values) : values
  }
  const span = Math.floor(high) - Math.ceil(low) + 1
  const draw = (): number => Math.ceil(low) + Math.floor(random() * span)
  if (dtype === 'int64' || dtype === 'uint64') {
    const values = dtype === 'int64' ? new BigInt64Array(count) : new BigUint64Array(count)
    for (let i = 0; i < count; i++) values[i] = BigInt(draw())
    return values
  }
  const make = integerArrays[dtype]
  if (!make) throw new Error(`cannot make random data of element type ${dtype}`)
  const values = new make(count)
  for (let i = 0; i < count; i++) values[i] = draw()
  return values
}

/** One feed of generated values for resolved inputs; input i draws from seed + i, so runs repeat exactly. */
export function generateFeed(inputs: readonly ResolvedInput[], seed: number): Feed {
  const feed: Feed = {}
  inputs.forEach((input, index) => {
    const count = input.shape.reduce((a, b) => a * b, 1)
    feed[input.name] = { dtype: input.dtype, dims: [...input.shape], data: randomTensorData(input.dtype, count, input.range, seed + index) }
  })
  return feed
}
