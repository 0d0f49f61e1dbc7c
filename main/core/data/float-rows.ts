// Rows of float features (a CSV table, decoded images) as the tensor one model input takes: reshaped to
// the input's per-row dims when the element counts agree, and cast to its element type.
import type { TensorInfo } from '../../../preload/api'
import { FileError } from '../errors'
import { float32ToFloat16Array } from '../onnx/float16'
import type { TensorArray } from '../onnx/tensor-data'
import type { HostTensor } from './npy'

const casts: Readonly<Record<string, (values: Float32Array) => TensorArray>> = {
  float32: (values) => values,
  float64: (values) => Float64Array.from(values),
  float16: (values) => float32ToFloat16Array(values),
  int64: (values) => BigInt64Array.from(values, (v) => BigInt(Math.round(v))),
  int32: (values) => Int32Array.from(values, Math.round),
  uint8: (values) => Uint8Array.from(values, Math.round),
  int8: (values) => Int8Array.from(values, Math.round),
}

/** `values` holds `rows` rows of `rowShape`; returns them shaped [rows, ...input dims 1..] in the input's type. */
export function floatRowsTensor(file: string, values: Float32Array, rows: number, rowShape: readonly number[], input: TensorInfo): HostTensor {
  const rowSize = rows > 0 ? values.length / rows : 0
  const dims = input.shape.slice(1)
  const fixed = dims.every((dim): dim is number => typeof dim === 'number')
  const expected = `${input.dtype} [${input.shape.join(',')}]`
  let shape = rowShape
  if (fixed && dims.reduce((a, b) => a * b, 1) === rowSize) shape = dims
  else if (fixed || dims.length !== rowShape.length)
    throw new FileError(file, `rows of ${rowSize} values (shape [${rowShape.join(',')}]) do not fit input '${input.name}', which expects ${expected}`)
  const cast = casts[input.dtype]
  if (!cast) throw new FileError(file, `cannot feed numbers to input '${input.name}' of element type ${input.dtype}`)
  return { dtype: input.dtype, dims: [rows, ...shape], data: cast(values) }
}
