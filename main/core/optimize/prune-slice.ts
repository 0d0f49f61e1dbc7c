// Array arithmetic of structured pruning: channel norms, which channels to keep, and taking entries along
// one axis of a row-major tensor. Pure functions on typed arrays.
import type { TensorArray } from '../onnx/tensor-data'
import type { Segment } from './channel-groups'
import type { Criterion } from '../../../preload/api'

/** Norm of each slice of `data` (row-major, `dims`) along `axis`. */
export function channelNorms(data: ArrayLike<number>, dims: readonly number[], axis: number, criterion: Criterion): Float64Array {
  const count = dims[axis] as number
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1)
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1)
  const norms = new Float64Array(count)
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < count; c++) {
      const base = (o * count + c) * inner
      let sum = 0
      for (let i = 0; i < inner; i++) {
        const v = data[base + i] as number
        sum += criterion === 'l1' ? Math.abs(v) : v * v
      }
      norms[c] = (norms[c] as number) + sum
    }
  if (criterion === 'l2') for (let c = 0; c < count; c++) norms[c] = Math.sqrt(norms[c] as number)
  return norms
}

/** Indices of the `keep` highest scores, in ascending index order (ties keep the earlier channel). */
export function topIndices(scores: ArrayLike<number>, keep: number): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i)
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
  return order.slice(0, keep).sort((a, b) => a - b)
}

/**
 * Entry indices along an axis laid out as `segments` once each source keeps `kept(source)` of its
 * channels; with `repeat` > 1 each channel stands for that many consecutive entries.
 */
export function keptEntries(segments: readonly Segment[], kept: (source: number) => readonly number[], repeat = 1): number[] {
  const out: number[] = []
  let offset = 0
  for (const segment of segments) {
    for (const c of kept(segment.source))
      for (let r = 0; r < repeat; r++) out.push((offset + c) * repeat + r)
    offset += segment.count
  }
  return out
}

/** The entries `indices` of `axis` of a row-major tensor, as a new array of the same kind. */
export function takeAlongAxis<T extends TensorArray>(data: T, dims: readonly number[], axis: number, indices: readonly number[]): T {
  const count = dims[axis] as number
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1)
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1)
  const Ctor = data.constructor as new (length: number) => T
  const out = new Ctor(outer * indices.length * inner)
  for (let o = 0; o < outer; o++)
    indices.forEach((index, j) => {
      const from = (o * count + index) * inner
      out.set(data.subarray(from, from + inner) as never, (o * indices.length + j) * inner)
    })
  return out
}
