// Dynamic int8 LSTM, as ONNX Runtime's quantizer writes it: com.microsoft DynamicQuantizeLSTM with int8
// W and R stored transposed ([directions, input, 4·hidden]), one symmetric scale per gate row (per
// channel) or per direction, zero points 0; the activations are quantized at run time inside the kernel.
import { intAttr, makeNode } from '../onnx/graph-edit'
import { transposeArray } from '../onnx/fold-weight-layouts'
import { DataType, type NodeProto, type TensorProto } from '../onnx/onnx-types'
import { makeTensor, tensorToArray } from '../onnx/tensor-data'
import { quantizeWeight } from './quant-params'

export const msDomain = 'com.microsoft'

/** The int8 form of a [D, 4H, K] LSTM weight: transposed values, scales and zero points [D, 4H] (or [D]). */
function quantizeGates(t: TensorProto, perChannel: boolean, fresh: (base: string) => string): TensorProto[] {
  const [d = 1, rows = 0, k = 0] = (t.dims ?? []).map(Number)
  const base = t.name || 'lstm_weight'
  const data = tensorToArray(t) as Float32Array
  const values = new Int8Array(data.length)
  const scales = new Float32Array(perChannel ? d * rows : d)
  for (let dir = 0; dir < d; dir++) {
    const part = data.subarray(dir * rows * k, (dir + 1) * rows * k)
    const q = quantizeWeight(part, [rows, k], perChannel ? 0 : undefined)
    values.set(q.values, dir * rows * k)
    scales.set(q.scales, perChannel ? dir * rows : dir)
  }
  const scaleDims = perChannel ? [d, rows] : [d]
  return [
    makeTensor(fresh(`${base}_quantized`), [d, k, rows], transposeArray(values, [d, rows, k], [0, 2, 1])),
    makeTensor(fresh(`${base}_scale`), scaleDims, scales),
    makeTensor(fresh(`${base}_zero_point`), scaleDims, new Int8Array(scales.length)),
  ]
}

/** Why an LSTM cannot take the int8 kernel, or undefined when it can. */
export function lstmProblem(node: NodeProto, w: TensorProto | undefined, r: TensorProto | undefined): string | undefined {
  if (!w || !r) return 'its weights are computed, not stored'
  if (w.dataType !== DataType.FLOAT || r.dataType !== DataType.FLOAT) return 'weight is not float32'
  if (intAttr(node, 'layout', 0) !== 0) return 'batch-first layout (layout=1) has no int8 kernel'
  return undefined
}

/** The DynamicQuantizeLSTM node and its new initializers. */
export function quantizeLstm(node: NodeProto, w: TensorProto, r: TensorProto, perChannel: boolean, fresh: (base: string) => string): { node: NodeProto; initializers: TensorProto[] } {
  const [wq, ws, wz] = quantizeGates(w, perChannel, fresh) as [TensorProto, TensorProto, TensorProto]
  const [rq, rs, rz] = quantizeGates(r, perChannel, fresh) as [TensorProto, TensorProto, TensorProto]
  const inputs = [...(node.input ?? [])]
  while (inputs.length < 8) inputs.push('')
  inputs[1] = wq.name ?? ''
  inputs[2] = rq.name ?? ''
  const quantized = makeNode('DynamicQuantizeLSTM', [...inputs.slice(0, 8), ws.name ?? '', wz.name ?? '', rs.name ?? '', rz.name ?? ''], node.output ?? [], {
    name: fresh(`${node.name || 'LSTM'}_quantized`),
    domain: msDomain,
  })
  quantized.attribute = (node.attribute ?? []).filter((a) => a.name !== 'layout')
  return { node: quantized, initializers: [wq, ws, wz, rq, rs, rz] }
}
