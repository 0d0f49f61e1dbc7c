// A stack of LLaMA-style MLP blocks (gate and up projections, SiLU gating, down projection, residual add)
// whose weights are generated (seeded) only when they are written, tensor by tensor: a model of gigabytes
// goes to disk with external data without ever being in memory. bench:large uses LLaMA-7B's widths
// (4096 → 11008); the recipe tests use a few MB of the same shape.
import { seededRandom } from '../bench/random-inputs'
import { type WrittenModel, writeOnnxModelWithExternalData } from '../onnx/external-data-io'
import { GraphBuilder, makeValueInfo } from '../onnx/graph-builder'
import { DataType, type ModelProto, type TensorProto } from '../onnx/onnx-types'
import { bindExternalReader } from '../onnx/tensor-data'

export interface MlpOptions {
  readonly hidden: number
  readonly ffn: number
  readonly layers: number
  readonly seed?: number
}

/** Float32 weights `[k, n]`, uniform with unit output variance for unit inputs, from `seed`. */
function weightBytes(k: number, n: number, seed: number): Uint8Array {
  const random = seededRandom(seed)
  const scale = Math.sqrt(3 / k)
  const values = new Float32Array(k * n)
  for (let i = 0; i < values.length; i++) values[i] = (random() * 2 - 1) * scale
  return new Uint8Array(values.buffer)
}

/** The model; its weight tensors are external, bound to generators (write it with writeMlpModel). */
export function mlpModel(options: MlpOptions): ModelProto {
  const { hidden, ffn, layers } = options
  const g = new GraphBuilder()
  g.claimName('input')
  g.claimName('output')
  const weights = new Map<string, { k: number; n: number }>()
  // A one-element placeholder: the real values are generated when the tensor is read.
  const weight = (name: string, k: number, n: number): string => {
    const stored = g.initializer(name, [1], new Float32Array(1))
    weights.set(stored, { k, n })
    return stored
  }
  let x = 'input'
  for (let l = 0; l < layers; l++) {
    const p = `layers.${l}.mlp`
    const gate = g.node('MatMul', [x, weight(`${p}.gate_proj.weight`, hidden, ffn)], { name: `${p}/gate_proj/MatMul` })
    const up = g.node('MatMul', [x, weight(`${p}.up_proj.weight`, hidden, ffn)], { name: `${p}/up_proj/MatMul` })
    const silu = g.node('Mul', [gate, g.node('Sigmoid', [gate], { name: `${p}/act/Sigmoid` })], { name: `${p}/act/Mul` })
    const gated = g.node('Mul', [silu, up], { name: `${p}/Mul` })
    const down = g.node('MatMul', [gated, weight(`${p}.down_proj.weight`, ffn, hidden)], { name: `${p}/down_proj/MatMul` })
    x = g.node('Add', [x, down], { name: `${p}/residual/Add`, ...(l === layers - 1 ? { outputs: ['output'] } : {}) })
  }
  const model = g.model({
    graphName: 'llama_mlp',
    inputs: [makeValueInfo('input', DataType.FLOAT, ['batch', 'sequence', hidden])],
    outputs: [makeValueInfo('output', DataType.FLOAT, ['batch', 'sequence', hidden])],
    opset: 17,
    producerName: 'slipway',
    producerVersion: 'sample',
  })
  let seed = options.seed ?? 7
  for (const tensor of model.graph?.initializer ?? []) {
    const shape = weights.get(tensor.name ?? '')
    if (!shape) continue
    const tensorSeed = seed++
    const external: TensorProto = tensor
    external.dims = [shape.k, shape.n]
    delete external.rawData
    external.dataLocation = 1
    external.externalData = [{ key: 'location', value: 'generated' }]
    bindExternalReader(external, () => weightBytes(shape.k, shape.n, tensorSeed))
  }
  return model
}

/** Writes the model to `path` with its weights in `path`.data, generated one tensor at a time. */
export function writeMlpModel(path: string, options: MlpOptions): Promise<WrittenModel> {
  return writeOnnxModelWithExternalData(path, mlpModel(options))
}
