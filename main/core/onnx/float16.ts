// IEEE 754 half precision <-> float32, as the bit patterns ONNX and ONNX Runtime store float16 in
// (Uint16Array). Rounding to nearest even, overflow to infinity, subnormals kept.
import { forEachTensor } from './graph-walk'
import { DataType, type ModelProto } from './onnx-types'

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

export function toFloat16Bits(value: number): number {
  f32[0] = value
  const x = u32[0] as number
  const sign = (x >>> 16) & 0x8000
  const exponent = (x >>> 23) & 0xff
  const mantissa = x & 0x7fffff
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0)
  const e = exponent - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    if (e < -10) return sign
    // Subnormal half: shift the mantissa (with its implicit 1) into place, rounding to nearest even.
    const m = mantissa | 0x800000
    const shift = 14 - e
    const half = 1 << (shift - 1)
    const rest = m & ((1 << shift) - 1)
    let result = m >>> shift
    if (rest > half || (rest === half && result & 1)) result++
    return sign | result
  }
  let result = (e << 10) | (mantissa >>> 13)
  const rest = mantissa & 0x1fff
  // A carry out of the mantissa bumps the exponent, which is the right rounding up to infinity.
  if (rest > 0x1000 || (rest === 0x1000 && result & 1)) result++
  return sign | result
}

export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >>> 10) & 0x1f
  const mantissa = bits & 0x3ff
  if (exponent === 0) return sign * mantissa * 2 ** -24
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15)
}

export function float32ToFloat16Array(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length)
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i] as number)
  return out
}

export function float16ArrayToFloat32(bits: ArrayLike<number>): Float32Array {
  const out = new Float32Array(bits.length)
  for (let i = 0; i < bits.length; i++) out[i] = fromFloat16Bits(bits[i] as number)
  return out
}

/** Whether a model computes in float16: float16 weights, inputs or outputs. */
export function holdsFloat16(model: ModelProto): boolean {
  const graph = model.graph ?? {}
  if ([...(graph.input ?? []), ...(graph.output ?? [])].some((v) => v.type?.tensorType?.elemType === DataType.FLOAT16)) return true
  let found = false
  forEachTensor(model, (t) => {
    found ||= t.dataType === DataType.FLOAT16
  })
  return found
}
