// The arithmetic of int8/int4 quantization, as ONNX's QuantizeLinear defines it:
// q = saturate(round_half_even(x / scale) + zero_point), x ≈ (q - zero_point) * scale.
// Activations are asymmetric 8-bit (the range always holds 0, so zero pads and ReLU clamps are exact);
// weights are symmetric int8 in [-127, 127] (zero point 0), per tensor or per output channel;
// biases are int32 with scale = input scale × weight scale, as ONNX Runtime's QDQ kernels expect.

export interface QuantParams {
  readonly scale: number
  readonly zeroPoint: number
}

export const INT8_MIN = -128
export const INT8_MAX = 127
export const UINT8_MIN = 0
export const UINT8_MAX = 255

export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** Smallest usable scale: a constant-zero tensor still needs a positive one. */
const MIN_SCALE = 1e-12

/** Asymmetric int8 parameters for values in [rmin, rmax] (widened to include 0). */
export function activationParams(rmin: number, rmax: number, qmin = INT8_MIN, qmax = INT8_MAX): QuantParams {
  const lo = Math.min(rmin, 0)
  const hi = Math.max(rmax, 0)
  if (!(hi > lo)) return { scale: 1, zeroPoint: 0 }
  const scale = Math.max((hi - lo) / (qmax - qmin), MIN_SCALE)
  const zeroPoint = Math.min(qmax, Math.max(qmin, roundHalfEven(qmin - lo / scale)))
  return { scale, zeroPoint }
}

/** Symmetric parameters (zero point 0) covering [-absMax, absMax] with [-qmax, qmax]. */
export function symmetricParams(absMax: number, qmax = INT8_MAX): QuantParams {
  return { scale: absMax > 0 ? absMax / qmax : 1, zeroPoint: 0 }
}

export function quantizeValue(x: number, p: QuantParams, qmin = INT8_MIN, qmax = INT8_MAX): number {
  return Math.min(qmax, Math.max(qmin, roundHalfEven(x / p.scale) + p.zeroPoint))
}

export function dequantizeValue(q: number, p: QuantParams): number {
  return (q - p.zeroPoint) * p.scale
}

/** Quantize-then-dequantize: what a tensor holds after a Q/DQ pair. */
export function fakeQuantize(data: ArrayLike<number>, p: QuantParams, qmin = INT8_MIN, qmax = INT8_MAX): Float32Array {
  const out = new Float32Array(data.length)
  for (let i = 0; i < data.length; i++) out[i] = dequantizeValue(quantizeValue(data[i] as number, p, qmin, qmax), p)
  return out
}

export function absMax(data: ArrayLike<number>, from = 0, to = data.length, stride = 1): number {
  let m = 0
  for (let i = from; i < to; i += stride) {
    const v = Math.abs(data[i] as number)
    if (v > m) m = v
  }
  return m
}

export interface QuantizedWeight {
  readonly values: Int8Array
  /** One scale per channel along `axis`, or a single one for per-tensor. */
  readonly scales: Float32Array
  /** Undefined for per-tensor weights. */
  readonly axis?: number
}

/** Symmetric int8 weights; per channel along `axis` when given (dims is the weight's shape). */
export function quantizeWeight(data: Float32Array, dims: readonly number[], axis?: number): QuantizedWeight {
  const values = new Int8Array(data.length)
  if (axis === undefined) {
    const p = symmetricParams(absMax(data))
    for (let i = 0; i < data.length; i++) values[i] = quantizeValue(data[i] as number, p, -INT8_MAX, INT8_MAX)
    return { values, scales: Float32Array.of(p.scale) }
  }
  const channels = dims[axis] as number
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1)
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1)
  const scales = new Float32Array(channels)
  for (let c = 0; c < channels; c++) {
    let m = 0
    for (let o = 0; o < outer; o++) m = Math.max(m, absMax(data, (o * channels + c) * inner, (o * channels + c + 1) * inner))
    const p = symmetricParams(m)
    scales[c] = p.scale
    for (let o = 0; o < outer; o++)
      for (let i = (o * channels + c) * inner, end = i + inner; i < end; i++)
        values[i] = quantizeValue(data[i] as number, p, -INT8_MAX, INT8_MAX)
  }
  return { values, scales, axis }
}

/** int32 bias with scale inputScale × weightScale[channel] and zero point 0. */
export function quantizeBias(bias: Float32Array, inputScale: number, weightScales: Float32Array): { values: Int32Array; scales: Float32Array } {
  const scales = new Float32Array(bias.length)
  const values = new Int32Array(bias.length)
  for (let i = 0; i < bias.length; i++) {
    const s = inputScale * (weightScales.length === 1 ? (weightScales[0] as number) : (weightScales[i] as number))
    scales[i] = s
    values[i] = s > 0 ? Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, roundHalfEven((bias[i] as number) / s))) : 0
  }
  return { values, scales }
}

/** Signal-to-quantization-noise ratio in dB: 20·log10(‖x‖ / ‖x − y‖); Infinity when equal. */
export function sqnrDb(reference: ArrayLike<number>, test: ArrayLike<number>): number {
  let signal = 0
  let noise = 0
  for (let i = 0; i < reference.length; i++) {
    const x = reference[i] as number
    const d = x - (test[i] as number)
    signal += x * x
    noise += d * d
  }
  if (noise === 0) return Number.POSITIVE_INFINITY
  if (signal === 0) return Number.NEGATIVE_INFINITY
  return 10 * Math.log10(signal / noise)
}
