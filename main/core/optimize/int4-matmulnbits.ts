// Block-wise 4-bit weights through com.microsoft MatMulNBits, which ONNX Runtime's CPU runs: each column
// of a [K, N] weight is cut into blocks of `blockSize` rows, each block gets its own float scale (and
// zero point unless symmetric), and values are packed two per byte, low nibble first.
import type { LeftAsIs } from '../../../preload/api'
import type { GraphProto, ModelProto, NodeProto } from '../onnx/onnx-types'
import { indexGraph, storedTensor, withoutUnusedValues } from '../onnx/graph-index'
import { makeNode, nameAllocator } from '../onnx/graph-edit'
import { makeTensor } from '../onnx/tensor-data'
import { matmulWeight } from './matmul-weight'
import { nodeName } from '../onnx/node-label'
import { roundHalfEven } from './quant-params'

export interface Int4Weights {
  /** [N, blocks, blockSize / 2] packed nibbles. */
  readonly packed: Uint8Array
  /** [N * blocks] */
  readonly scales: Float32Array
  /** [N * ceil(blocks / 2)] packed nibbles; absent when symmetric (the kernel's default zero point is 8). */
  readonly zeroPoints?: Uint8Array
  readonly blocks: number
}

/**
 * Quantizes a row-major [K, N] float weight into MatMulNBits' layout. Pure. Rows are walked in memory
 * order, a block of rows for all columns at once: column by column, a 180 MB LLaMA weight took minutes.
 */
export function quantizeInt4(w: Float32Array, k: number, n: number, blockSize: number, symmetric: boolean): Int4Weights {
  const blocks = Math.ceil(k / blockSize)
  const blob = blockSize / 2
  const packed = new Uint8Array(n * blocks * blob)
  const scales = new Float32Array(n * blocks)
  const zpBytes = Math.ceil(blocks / 2)
  const zeroPoints = symmetric ? undefined : new Uint8Array(n * zpBytes)
  const lo = new Float64Array(n)
  const hi = new Float64Array(n)
  const blockScale = new Float64Array(n)
  const blockZp = new Int32Array(n)
  for (let b = 0; b < blocks; b++) {
    const start = b * blockSize
    const end = Math.min(k, start + blockSize)
    lo.fill(0)
    hi.fill(0)
    for (let r = start; r < end; r++) {
      const row = r * n
      for (let col = 0; col < n; col++) {
        const v = w[row + col] as number
        if (v < (lo[col] as number)) lo[col] = v
        if (v > (hi[col] as number)) hi[col] = v
      }
    }
    for (let col = 0; col < n; col++) {
      const l = lo[col] as number
      const h = hi[col] as number
      let scale: number
      let zp: number
      if (symmetric) {
        const m = Math.max(-l, h)
        scale = m > 0 ? m / 7 : 1
        zp = 8
      } else {
        scale = h > l ? (h - l) / 15 : 1
        zp = Math.min(15, Math.max(0, roundHalfEven(-l / scale)))
      }
      blockScale[col] = scale
      blockZp[col] = zp
      scales[col * blocks + b] = scale
      if (zeroPoints) zeroPoints[col * zpBytes + (b >> 1)]! |= zp << ((b & 1) * 4)
    }
    for (let r = start; r < end; r++) {
      const row = r * n
      const shift = ((r - start) & 1) * 4
      const within = (r - start) >> 1
      for (let col = 0; col < n; col++) {
        const zp = blockZp[col] as number
        const q = Math.min(15, Math.max(0, roundHalfEven((w[row + col] as number) / (blockScale[col] as number)) + zp))
        packed[(col * blocks + b) * blob + within]! |= q << shift
      }
    }
    // Rows past K in the last block are zeros: they quantize to the zero point.
    for (let r = end; r < start + blockSize; r++) {
      const shift = ((r - start) & 1) * 4
      const within = (r - start) >> 1
      for (let col = 0; col < n; col++) packed[(col * blocks + b) * blob + within]! |= (blockZp[col] as number) << shift
    }
  }
  return { packed, scales, ...(zeroPoints ? { zeroPoints } : {}), blocks }
}

export interface Int4Options {
  readonly blockSize: number
  readonly symmetric: boolean
  /** MatMulNBits accuracy_level: 4 lets the CPU kernel compute with int8 activations (fastest). */
  readonly accuracyLevel?: number
  readonly opTypes?: ReadonlySet<string>
  readonly excludeNodes?: ReadonlySet<string>
}

export interface Int4Result {
  readonly model: ModelProto
  readonly quantized: readonly NodeProto[]
  readonly leftFloat: readonly LeftAsIs[]
}


export function quantizeInt4Model(model: ModelProto, options: Int4Options): Int4Result {
  const graph: GraphProto = model.graph ?? {}
  const index = indexGraph(graph)
  const fresh = nameAllocator(graph)
  const initializers = [...(graph.initializer ?? [])]
  const nodes: NodeProto[] = []
  const quantized: NodeProto[] = []
  const leftFloat: LeftAsIs[] = []
  for (const node of graph.node ?? []) {
    const op = node.opType ?? ''
    if (node.domain || (op !== 'MatMul' && op !== 'Gemm')) {
      nodes.push(node)
      continue
    }
    const label = nodeName(node)
    if (options.excludeNodes?.has(node.name ?? '') || (options.opTypes && !options.opTypes.has(op))) {
      leftFloat.push({ node: label, op, reason: options.excludeNodes?.has(node.name ?? '') ? 'excluded by the recipe' : 'op type not selected by the recipe' })
      nodes.push(node)
      continue
    }
    const w = matmulWeight(node, storedTensor(index, node.input?.[1] ?? ''))
    if (typeof w === 'string' || w.k < 16) {
      leftFloat.push({ node: label, op, reason: typeof w === 'string' ? w : 'K < 16: MatMulNBits needs at least 16 rows' })
      nodes.push(node)
      continue
    }
    const q = quantizeInt4(w.data, w.k, w.n, options.blockSize, options.symmetric)
    const base = node.input?.[1] || label
    const b = makeTensor(fresh(`${base}_int4`), [w.n, q.blocks, options.blockSize / 2], q.packed)
    const scales = makeTensor(fresh(`${base}_scales`), [w.n * q.blocks], q.scales)
    initializers.push(b, scales)
    const inputs = [node.input?.[0] ?? '', b.name ?? '', scales.name ?? '']
    if (q.zeroPoints) {
      const zp = makeTensor(fresh(`${base}_zero_points`), [q.zeroPoints.length], q.zeroPoints)
      initializers.push(zp)
      inputs.push(zp.name ?? '')
    }
    const output = node.output?.[0] ?? ''
    const bias = op === 'Gemm' ? node.input?.[2] : undefined
    const product = bias ? fresh(`${label}_product`) : output
    nodes.push(
      makeNode('MatMulNBits', inputs, [product], {
        name: fresh(`${label}_MatMulNBits`),
        domain: 'com.microsoft',
        attrs: { K: w.k, N: w.n, bits: 4, block_size: options.blockSize, accuracy_level: options.accuracyLevel ?? 4 },
      }),
    )
    if (bias) nodes.push(makeNode('Add', [product, bias], [output], { name: fresh(`${label}_bias_Add`) }))
    quantized.push(node)
  }
  const opsetImport = [...(model.opsetImport ?? [])]
  if (quantized.length > 0 && !opsetImport.some((o) => o.domain === 'com.microsoft')) opsetImport.push({ domain: 'com.microsoft', version: 1 })
  return { model: { ...model, opsetImport, graph: withoutUnusedValues({ ...graph, node: nodes, initializer: initializers }) }, quantized, leftFloat }
}
