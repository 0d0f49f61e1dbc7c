// The [K, N] float weight of a MatMul or Gemm (Gemm's transB undone), as the int8 and int4 weight
// recipes take it, or the reason there is none.
import { floatAttr, intAttr } from '../onnx/graph-edit'
import { DataType, type NodeProto, type TensorProto } from '../onnx/onnx-types'
import { tensorToArray } from '../onnx/tensor-data'

export interface WeightKN {
  readonly data: Float32Array
  readonly k: number
  readonly n: number
}

export function matmulWeight(node: NodeProto, w: TensorProto | undefined): WeightKN | string {
  if (node.opType === 'Gemm' && (floatAttr(node, 'alpha', 1) !== 1 || floatAttr(node, 'beta', 1) !== 1 || intAttr(node, 'transA', 0)))
    return 'Gemm with alpha, beta or transA set'
  if (!w) return 'its weights are computed, not stored'
  if (w.dataType !== DataType.FLOAT) return 'weight is not float32'
  const dims = (w.dims ?? []).map(Number)
  if (dims.length !== 2) return 'weight is not 2-D'
  const values = tensorToArray(w) as Float32Array
  if (node.opType === 'MatMul' || !intAttr(node, 'transB', 0)) return { data: values, k: dims[0] as number, n: dims[1] as number }
  const [n, k] = dims as [number, number]
  const data = new Float32Array(values.length)
  for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) data[c * n + r] = values[r * k + c] as number
  return { data, k, n }
}
