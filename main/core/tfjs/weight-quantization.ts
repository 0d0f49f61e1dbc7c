// TF.js weight quantization exactly as tensorflowjs_converter writes it (python/tensorflowjs/quantization.py):
// affine uint8/uint16 per tensor with the range nudged so that 0.0 is exactly representable, the manifest
// keeping `min` and `scale`; or float16 bit patterns. TF.js dequantizes to float32 when it loads the
// weights (v * scale + min), so quantization shrinks the download, not the compute.
import { float32ToFloat16Array, fromFloat16Bits } from '../onnx/float16'
import type { WeightQuantization } from './model-json'

export type TfjsQuantizeMode = WeightQuantization['dtype']

export interface QuantizedWeight {
  readonly bytes: Uint8Array
  readonly quantization: WeightQuantization
}

/** NumPy's np.round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** The converter's _get_affine_quantization_range: scale, and a range nudged so 0 maps to an integer. */
export function affineRange(min: number, max: number, quantMax: number): { scale: number; min: number; max: number } {
  const scale = (max - min) / quantMax
  if (min <= 0 && 0 <= max) {
    const nudgedZero = roundHalfEven((0 - min) / scale)
    const nudgedMin = -nudgedZero * scale
    return { scale, min: nudgedMin, max: quantMax * scale + nudgedMin }
  }
  return { scale, min, max }
}

function minMax(data: Float32Array): { min: number; max: number } {
  let min = Infinity
  let max = -Infinity
  for (const v of data) {
    if (v < min) min = v
    if (v > max) max = v
  }
  return { min, max }
}

function asBytes(array: Uint8Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
}

function quantizeAffine(data: Float32Array, dtype: 'uint8' | 'uint16'): QuantizedWeight {
  const quantMax = dtype === 'uint8' ? 255 : 65535
  const out = dtype === 'uint8' ? new Uint8Array(data.length) : new Uint16Array(data.length)
  const range = minMax(data)
  if (data.length === 0 || range.min === range.max) {
    // A constant tensor: all zeros with scale 1 and min the constant, as the converter writes it.
    return { bytes: asBytes(out), quantization: { min: data.length ? range.min : 0, scale: 1, dtype } }
  }
  const { scale, min, max } = affineRange(range.min, range.max, quantMax)
  for (let i = 0; i < data.length; i++) {
    const clipped = Math.min(max, Math.max(min, data[i] as number))
    out[i] = roundHalfEven((clipped - min) / scale)
  }
  return { bytes: asBytes(out), quantization: { min, scale, dtype } }
}

export function quantizeWeight(data: Float32Array, mode: TfjsQuantizeMode): QuantizedWeight {
  if (mode !== 'float16') return quantizeAffine(data, mode)
  return { bytes: asBytes(float32ToFloat16Array(data)), quantization: { dtype: 'float16' } }
}

/** The float32 values TF.js loads from stored bytes (dequantized when the manifest says so). */
export function dequantizeWeight(bytes: Uint8Array, count: number, quantization: WeightQuantization | undefined): Float32Array {
  const out = new Float32Array(count)
  if (!quantization) {
    // A copy into a fresh buffer: `bytes` may be an unaligned view (or a Node Buffer, whose slice is a view).
    out.set(new Float32Array(Uint8Array.from(bytes.subarray(0, count * 4)).buffer))
    return out
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (quantization.dtype === 'float16') {
    for (let i = 0; i < count; i++) out[i] = fromFloat16Bits(view.getUint16(i * 2, true))
    return out
  }
  const min = quantization.min ?? 0
  const scale = quantization.scale ?? 1
  const wide = quantization.dtype === 'uint16'
  for (let i = 0; i < count; i++) out[i] = (wide ? view.getUint16(i * 2, true) : view.getUint8(i)) * scale + min
  return out
}
