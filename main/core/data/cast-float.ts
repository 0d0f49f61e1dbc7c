// Float data for an input of another float type: numpy's default float64 arrays for a float32 model, or
// float32 data for an fp16 variant. Converting is what the user means; any other dtype mismatch is an error.
import type { TensorInfo } from '../../../preload/api'
import { float16ArrayToFloat32, float32ToFloat16Array } from '../onnx/float16'
import type { Feed, HostTensor } from './load-tensors'

const floatTypes = new Set(['float16', 'float32', 'float64'])

/** The tensor converted to `dtype` when both are float types; else unchanged (the caller's check reports it). */
export function castFloat(tensor: HostTensor, dtype: string): HostTensor {
  if (tensor.dtype === dtype || !floatTypes.has(tensor.dtype) || !floatTypes.has(dtype)) return tensor
  const floats = tensor.dtype === 'float16' ? float16ArrayToFloat32(tensor.data as Uint16Array) : (tensor.data as Float32Array | Float64Array)
  const data = dtype === 'float16' ? float32ToFloat16Array(floats) : dtype === 'float32' ? Float32Array.from(floats) : Float64Array.from(floats)
  return { dtype, dims: tensor.dims, data }
}

/** Every batch with its float tensors converted to the float type of the input they feed. */
export function castFeeds(batches: readonly Feed[], inputs: readonly TensorInfo[]): Feed[] {
  return batches.map((batch) => {
    const out: Feed = {}
    for (const [name, tensor] of Object.entries(batch)) {
      const dtype = inputs.find((input) => input.name === name)?.dtype
      out[name] = dtype ? castFloat(tensor, dtype) : tensor
    }
    return out
  })
}
