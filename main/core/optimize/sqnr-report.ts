// "Which layer broke it": each quantized activation compared between the float model and the QDQ model
// on the same inputs, as ONNX Runtime's qdq_loss_debug does. sqnrDb is the quantized model's tensor
// against float (error accumulated from the input on); qdqSqnrDb is that tensor's own rounding and
// clipping. The nodes whose own error is worst are suggested for --exclude-nodes.
import type { TensorError } from '../../../preload/api'
import type { Feed } from '../data/load-tensors'
import { indexGraph } from '../onnx/graph-index'
import type { ModelProto, NodeProto } from '../onnx/onnx-types'
import type { JobContext } from '../jobs/job-context'
import { captureTensors } from './capture-tensors'
import { nodeName } from '../onnx/node-label'
import { fakeQuantize, UINT8_MAX, UINT8_MIN, type QuantParams } from './quant-params'

/** Sum of squares of x and of x − y, accumulated over batches. */
class Energy {
  signal = 0
  noise = 0
  add(x: Float32Array, y: Float32Array): void {
    for (let i = 0; i < x.length; i++) {
      const d = (x[i] as number) - (y[i] as number)
      this.signal += (x[i] as number) ** 2
      this.noise += d * d
    }
  }
  get db(): number {
    if (this.noise === 0) return Number.POSITIVE_INFINITY
    return this.signal === 0 ? Number.NEGATIVE_INFINITY : 10 * Math.log10(this.signal / this.noise)
  }
}

/** The node to exclude for a tensor: its producer, or for a ReLU the op that feeds it (folded together). */
function responsibleNode(model: ModelProto, tensor: string): NodeProto | undefined {
  const index = indexGraph(model.graph ?? {})
  const producer = index.producer.get(tensor)
  if (producer && (producer.opType === 'Relu' || producer.opType === 'Clip')) return index.producer.get(producer.input?.[0] ?? '') ?? producer
  return producer
}

/** Own-error threshold under which a node is worth keeping float: 8-bit grids give ~40 dB when ranges fit. */
const SUGGEST_BELOW_DB = 25

export async function sqnrReport(
  floatModel: ModelProto,
  quantModel: ModelProto,
  params: ReadonlyMap<string, QuantParams>,
  feeds: readonly Feed[],
  ctx: JobContext,
  /** The folder of the float model's side file, when it has external data (the quantized model shares it). */
  modelDir?: string,
): Promise<{ errors: TensorError[]; suggested: string[] }> {
  const inputs = new Set((floatModel.graph?.input ?? []).map((i) => i.name))
  const names = [...params.keys()].filter((n) => !inputs.has(n))
  const floatValues = new Map<string, Float32Array[]>()
  const common = { what: 'the model for the error report', ctx, stage: 'error report', ...(modelDir ? { modelDir } : {}) }
  await captureTensors(floatModel, names, feeds, (name, values) => {
    const list = floatValues.get(name) ?? []
    list.push(Float32Array.from(values))
    floatValues.set(name, list)
  }, { ...common, from: 0.8, to: 0.85 })
  const cross = new Map<string, Energy>()
  const own = new Map<string, Energy>()
  await captureTensors(quantModel, names, feeds, (name, values, batch) => {
    const reference = floatValues.get(name)?.[batch]
    const p = params.get(name)
    if (!reference || !p || reference.length !== values.length) return
    if (!cross.has(name)) cross.set(name, new Energy())
    if (!own.has(name)) own.set(name, new Energy())
    cross.get(name)?.add(reference, values)
    own.get(name)?.add(reference, fakeQuantize(reference, p, UINT8_MIN, UINT8_MAX))
  }, { ...common, from: 0.85, to: 0.9 })
  const errors: TensorError[] = [...cross].map(([tensor, energy]) => {
    const node = responsibleNode(floatModel, tensor)
    return {
      tensor,
      node: node ? nodeName(node) : tensor,
      op: node?.opType ?? '',
      sqnrDb: round(energy.db),
      qdqSqnrDb: round(own.get(tensor)?.db ?? Number.POSITIVE_INFINITY),
    }
  })
  errors.sort((a, b) => a.sqnrDb - b.sqnrDb)
  const suggested = [...errors]
    .filter((e) => e.qdqSqnrDb < SUGGEST_BELOW_DB && e.op !== '')
    .sort((a, b) => a.qdqSqnrDb - b.qdqSqnrDb)
    .slice(0, 3)
    .map((e) => e.node)
  return { errors, suggested: [...new Set(suggested)] }
}

/** Two decimals; identical tensors (infinite SQNR) read as 200 dB so the report stays plain JSON. */
function round(db: number): number {
  return Math.round(Math.max(-200, Math.min(200, db)) * 100) / 100
}
