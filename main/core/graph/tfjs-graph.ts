// A TF.js model as the graph view draws it. Layers models: one node per layer, its output named after the
// layer, shapes from the inspector's channels-last inference, its weights (manifest names `layer/kernel`)
// as inputs with statistics. Graph models: one node per op of the GraphDef, tensors named after their
// producer (`name:1` for a second output), shapes where `_output_shapes` says.
import type { GraphAttribute, GraphBody, GraphNode, GraphTensor, ModelGraph } from '../../../preload/api-graph'
import { batchShape, layerList, layerShape, tfDtypes, tfShape, type Shape } from '../tfjs/inspect-tfjs'
import { readTfjsWeightData, weightByteSize, type TfjsModelJson, type WeightSpec } from '../tfjs/model-json'
import { dequantizeWeight } from '../tfjs/weight-quantization'
import { weightStats } from './weight-stats'

type Json = Record<string, unknown>
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

async function weightTensors(model: TfjsModelJson): Promise<Map<string, GraphTensor>> {
  const { specs, data } = await readTfjsWeightData(model)
  const out = new Map<string, GraphTensor>()
  let offset = 0
  for (const spec of specs) {
    const bytes = weightByteSize(spec)
    out.set(spec.name, { name: spec.name, dtype: spec.dtype, shape: spec.shape, ...stats(spec, data.subarray(offset, offset + bytes)) })
    offset += bytes
  }
  return out
}

function stats(spec: WeightSpec, bytes: Uint8Array): Pick<GraphTensor, 'weight'> {
  const count = spec.shape.reduce((a, b) => a * b, 1)
  if (spec.dtype === 'float32' || spec.quantization)
    return { weight: weightStats(dequantizeWeight(bytes, count, spec.quantization), spec.shape, spec.quantization?.dtype ?? spec.dtype) }
  if (spec.dtype === 'int32') return { weight: weightStats(new Int32Array(Uint8Array.from(bytes).buffer, 0, count), spec.shape, spec.dtype) }
  return {}
}

const configText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value))

function layersGraph(model: TfjsModelJson, weights: Map<string, GraphTensor>): ModelGraph {
  const { className, layers, config } = layerList(model.modelTopology)
  const sequential = className === 'Sequential'
  const tensors: Record<string, GraphTensor> = Object.fromEntries(weights)
  const inputs: string[] = []
  const nodes: GraphNode[] = []
  let previous: string | undefined
  for (const [index, layer] of layers.entries()) {
    const declared = batchShape(layer.config)
    let feeding = sequential ? (previous === undefined ? [] : [previous]) : layer.inbound
    if (sequential && index === 0 && declared && layer.className !== 'InputLayer') {
      const input = `${layer.name}_input`
      tensors[input] = { name: input, dtype: 'float32', shape: declared }
      inputs.push(input)
      feeding = [input]
    }
    const shapes = feeding.map((name) => (tensors[name]?.shape ?? []) as Shape)
    const shape = layer.className === 'InputLayer' ? declared : shapes.every((s) => s.length > 0) ? layerShape(layer, shapes).shape : undefined
    tensors[layer.name] = { name: layer.name, dtype: typeof layer.config.dtype === 'string' ? layer.config.dtype : 'float32', shape: shape ?? null }
    if (layer.className === 'InputLayer') inputs.push(layer.name)
    const own = [...weights.keys()].filter((w) => w.startsWith(`${layer.name}/`))
    const attributes: GraphAttribute[] = Object.entries(layer.config)
      .filter(([key]) => key !== 'name')
      .map(([name, value]) => ({ name, value: configText(value) }))
    nodes.push({ id: String(index), name: layer.name, op: layer.className, inputs: [...feeding, ...own], outputs: [layer.name], attributes })
    previous = layer.name
  }
  const outputs = sequential ? (previous === undefined ? [] : [previous]) : asArray(config.output_layers).map((e) => String(asArray(e)[0] ?? ''))
  return { format: 'tfjs-layers', main: { attribute: '', nodes, inputs, outputs }, tensors, nodeCount: nodes.length }
}

/** 'conv/BiasAdd:1' → 'conv/BiasAdd:1'; 'conv/BiasAdd:0' and 'conv/BiasAdd' → 'conv/BiasAdd'; control inputs ('^x') dropped. */
const tensorOf = (input: string): string => input.replace(/:0$/, '')

function graphModelGraph(model: TfjsModelJson, weights: Map<string, GraphTensor>): ModelGraph {
  const defs = asArray(model.modelTopology.node).filter(isRecord)
  const tensors: Record<string, GraphTensor> = Object.fromEntries(weights)
  const nodes: GraphNode[] = defs.map((def, i): GraphNode => {
    const name = String(def.name ?? '')
    const attr = isRecord(def.attr) ? def.attr : {}
    const dtypeAttr = isRecord(attr.dtype) ? attr.dtype : isRecord(attr.T) ? attr.T : {}
    const shapes = asArray(isRecord(attr._output_shapes) && isRecord(attr._output_shapes.list) ? attr._output_shapes.list.shape : [])
    const declared = isRecord(attr.shape) ? attr.shape.shape : undefined
    if (!weights.has(name))
      tensors[name] = { name, dtype: tfDtypes[String(dtypeAttr.type)] ?? '', shape: shapes[0] ?? declared ? tfShape(shapes[0] ?? declared) : null }
    const attributes: GraphAttribute[] = Object.entries(attr)
      .filter(([key]) => !key.startsWith('_'))
      .map(([key, value]) => ({ name: key, value: configText(isRecord(value) ? (Object.values(value)[0] ?? '') : value) }))
    const inputs = asArray(def.input).map(String).filter((s) => !s.startsWith('^')).map(tensorOf)
    return { id: String(i), name, op: String(def.op ?? ''), inputs, outputs: [name], attributes }
  })
  const body: GraphBody = {
    attribute: '',
    nodes,
    inputs: nodes.filter((n) => n.op === 'Placeholder').map((n) => n.name),
    outputs: nodes.filter((n) => !nodes.some((m) => m.inputs.includes(n.name)) && n.op !== 'Const').map((n) => n.name),
  }
  return { format: 'tfjs-graph', main: body, tensors, nodeCount: nodes.length }
}

export async function tfjsGraph(model: TfjsModelJson): Promise<ModelGraph> {
  const weights = await weightTensors(model)
  return model.format === 'tfjs-layers' ? layersGraph(model, weights) : graphModelGraph(model, weights)
}
