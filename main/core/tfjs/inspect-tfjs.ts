// What a TF.js model is (layers model or graph model), read from model.json alone: inputs and outputs,
// layers or ops, weights by stored dtype (quantized manifests count their stored bytes) and size.
// Output shapes of layers models come from a small channels-last shape inference over common Keras layers.
import type { Dim, DtypeBytes, Inspection, InspectionWarning, TensorInfo } from '../../../preload/api'
import type { TfjsModelJson, WeightSpec } from './model-json'
import { weightByteSize } from './model-json'

type Json = Record<string, unknown>
export type Shape = Dim[]

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const isNum = (d: Dim | undefined): d is number => typeof d === 'number'

function weightTotals(specs: readonly WeightSpec[]): Inspection['parameters'] {
  const byDtype: Record<string, DtypeBytes> = {}
  let count = 0
  let bytes = 0
  for (const spec of specs) {
    const n = spec.shape.reduce((p, d) => p * d, 1)
    const b = weightByteSize(spec)
    const key = spec.quantization?.dtype ?? spec.dtype
    byDtype[key] = { count: (byDtype[key]?.count ?? 0) + n, bytes: (byDtype[key]?.bytes ?? 0) + b }
    count += n
    bytes += b
  }
  return { count, bytes, byDtype }
}

function quantizationWarnings(specs: readonly WeightSpec[]): InspectionWarning[] {
  const quantized = new Map<string, number>()
  for (const spec of specs)
    if (spec.quantization) quantized.set(spec.quantization.dtype, (quantized.get(spec.quantization.dtype) ?? 0) + 1)
  return [...quantized].map(([dtype, n]) => ({
    code: 'quantized-weights',
    severity: 'info' as const,
    message: `${n} weights are stored as ${dtype} and dequantized to float32 on load: a smaller download, the same compute, some loss of accuracy.`,
  }))
}

function dynamicWarning(tensors: readonly TensorInfo[]): InspectionWarning[] {
  const dynamic = tensors.filter((t) => t.shape.some((d) => typeof d === 'string'))
  if (dynamic.length === 0) return []
  return [
    {
      code: 'dynamic-dims',
      severity: 'info',
      message: `Dynamic dimensions: ${dynamic.map((t) => `${t.name} [${t.shape.join(', ')}]`).join('; ')}. Benchmarks pick concrete sizes; servers must accept the range.`,
    },
  ]
}

function producer(json: Json): Inspection['producer'] {
  const converted = typeof json.convertedBy === 'string' ? json.convertedBy : 'TensorFlow.js'
  return { name: converted, version: typeof json.generatedBy === 'string' ? json.generatedBy : '' }
}

// ---- layers models ----

export interface Layer {
  readonly className: string
  readonly name: string
  readonly config: Json
  /** Names of the layers feeding this one (functional models); empty for Sequential. */
  readonly inbound: string[]
}

export function layerList(topology: Json): { className: string; layers: Layer[]; config: Json } {
  const modelConfig = isRecord(topology.model_config) ? topology.model_config : topology
  const className = String(modelConfig.class_name ?? '')
  const config = isRecord(modelConfig.config) ? modelConfig.config : {}
  const raw = Array.isArray(modelConfig.config) ? modelConfig.config : asArray(config.layers)
  const layers = raw.filter(isRecord).map((l): Layer => {
    const layerConfig = isRecord(l.config) ? l.config : {}
    const inbound = asArray(asArray(l.inbound_nodes)[0]).map((entry) => String(asArray(entry)[0] ?? ''))
    return { className: String(l.class_name ?? ''), name: String(l.name ?? layerConfig.name ?? ''), config: layerConfig, inbound }
  })
  return { className, layers, config }
}

export function batchShape(config: Json): Shape | undefined {
  const shape = config.batch_input_shape ?? config.batch_shape
  if (Array.isArray(shape)) return shape.map((d) => (typeof d === 'number' ? d : '?'))
  if (Array.isArray(config.input_shape)) return ['?', ...config.input_shape.map((d) => (typeof d === 'number' ? d : '?'))]
  return undefined
}

const pair = (value: unknown, fallback: number): [number, number] => {
  if (typeof value === 'number') return [value, value]
  const list = asArray(value)
  return [Number(list[0] ?? fallback), Number(list[1] ?? list[0] ?? fallback)]
}

function windowOut(input: Dim | undefined, kernel: number, stride: number, dilation: number, padding: unknown): Dim {
  if (!isNum(input)) return '?'
  if (padding === 'same') return Math.ceil(input / stride)
  return Math.floor((input - ((kernel - 1) * dilation + 1)) / stride) + 1
}

/** Output shape and MACs (per sample) of one layer, channels-last; undefined shape when unknown. */
export function layerShape(layer: Layer, inputs: Shape[]): { shape?: Shape; macs?: number } {
  const c = layer.config
  const x = inputs[0]
  if (!x) return {}
  const channels = x[x.length - 1]
  const spatial = (kernelKey: string, strideKey: string): { h: Dim; w: Dim; kh: number; kw: number } => {
    const [kh, kw] = pair(c[kernelKey], 1)
    const [sh, sw] = pair(c[strideKey] ?? c[kernelKey], 1)
    const [dh, dw] = pair(c.dilation_rate, 1)
    return { h: windowOut(x[1], kh, sh, dh, c.padding), w: windowOut(x[2], kw, sw, dw, c.padding), kh, kw }
  }
  const area = (h: Dim, w: Dim): number | undefined => (isNum(h) && isNum(w) ? h * w : undefined)
  switch (layer.className) {
    case 'InputLayer':
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'Activation':
    case 'BatchNormalization':
    case 'LayerNormalization':
    case 'ReLU':
    case 'LeakyReLU':
    case 'PReLU':
    case 'ELU':
    case 'Softmax':
    case 'GaussianNoise':
      return { shape: x }
    case 'Add':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
    case 'Minimum':
    case 'Subtract':
      return { shape: x }
    case 'Concatenate': {
      const sizes = inputs.map((s) => s[s.length - 1])
      return { shape: [...x.slice(0, -1), sizes.every(isNum) ? (sizes as number[]).reduce((a, b) => a + b, 0) : '?'] }
    }
    case 'Dense': {
      const units = Number(c.units)
      const rows = x.slice(1, -1)
      return {
        shape: [...x.slice(0, -1), units],
        macs: isNum(channels) && rows.every(isNum) ? (rows as number[]).reduce((p, d) => p * d, 1) * channels * units : undefined,
      }
    }
    case 'Flatten': {
      const rest = x.slice(1)
      return { shape: [x[0] as Dim, rest.every(isNum) ? (rest as number[]).reduce((p, d) => p * d, 1) : '?'] }
    }
    case 'Reshape':
      return { shape: [x[0] as Dim, ...asArray(c.target_shape).map((d) => (typeof d === 'number' ? d : '?'))] }
    case 'Conv2D': {
      const { h, w, kh, kw } = spatial('kernel_size', 'strides')
      const filters = Number(c.filters)
      const a = area(h, w)
      return { shape: [x[0] as Dim, h, w, filters], macs: a !== undefined && isNum(channels) ? a * filters * kh * kw * channels : undefined }
    }
    case 'DepthwiseConv2D': {
      const { h, w, kh, kw } = spatial('kernel_size', 'strides')
      const mult = Number(c.depth_multiplier ?? 1)
      const a = area(h, w)
      const out = isNum(channels) ? channels * mult : '?'
      return { shape: [x[0] as Dim, h, w, out], macs: a !== undefined && isNum(out) ? a * out * kh * kw : undefined }
    }
    case 'SeparableConv2D': {
      const { h, w, kh, kw } = spatial('kernel_size', 'strides')
      const mult = Number(c.depth_multiplier ?? 1)
      const filters = Number(c.filters)
      const a = area(h, w)
      const macs = a !== undefined && isNum(channels) ? a * channels * mult * (kh * kw + filters) : undefined
      return { shape: [x[0] as Dim, h, w, filters], macs }
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const { h, w } = spatial('pool_size', 'strides')
      return { shape: [x[0] as Dim, h, w, channels as Dim] }
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return { shape: c.keepdims ? [x[0] as Dim, 1, 1, channels as Dim] : [x[0] as Dim, channels as Dim] }
    case 'ZeroPadding2D': {
      const pads = asArray(c.padding)
      const [top, bottom] = typeof c.padding === 'number' ? [c.padding, c.padding] : pair(pads[0], 0)
      const [left, right] = typeof c.padding === 'number' ? [c.padding, c.padding] : pair(pads[1], 0)
      const grow = (d: Dim | undefined, by: number): Dim => (isNum(d) ? d + by : '?')
      return { shape: [x[0] as Dim, grow(x[1], top + bottom), grow(x[2], left + right), channels as Dim] }
    }
    case 'UpSampling2D': {
      const [sh, sw] = pair(c.size, 2)
      const scale = (d: Dim | undefined, by: number): Dim => (isNum(d) ? d * by : '?')
      return { shape: [x[0] as Dim, scale(x[1], sh), scale(x[2], sw), channels as Dim] }
    }
    default:
      return {}
  }
}

function inspectLayers(model: TfjsModelJson, specs: readonly WeightSpec[]): Inspection {
  const { className, layers, config } = layerList(model.modelTopology)
  const shapes = new Map<string, Shape>()
  const sequential = className === 'Sequential'
  const inputs: TensorInfo[] = []
  let macs: number | null = 0
  let previous: string | undefined
  for (const [index, layer] of layers.entries()) {
    const declared = batchShape(layer.config)
    const dtype = typeof layer.config.dtype === 'string' ? layer.config.dtype : 'float32'
    let feeding: Shape[]
    if (sequential) {
      if (index === 0 && declared && layer.className !== 'InputLayer') {
        inputs.push({ name: `${layer.name}_input`, dtype, shape: declared })
        feeding = [declared]
      } else feeding = previous !== undefined ? [shapes.get(previous) ?? []] : []
    } else feeding = layer.inbound.map((name) => shapes.get(name) ?? [])
    if (layer.className === 'InputLayer' && declared) {
      inputs.push({ name: layer.name, dtype, shape: declared })
      feeding = [declared]
    }
    const usable = feeding.length > 0 && feeding.every((s) => s.length > 0)
    // One sample: a dynamic batch dim counts as 1 for MACs.
    const result = usable ? layerShape(layer, feeding.map((s) => [1, ...s.slice(1)])) : {}
    const shaped = usable ? layerShape(layer, feeding) : {}
    if (shaped.shape) shapes.set(layer.name, shaped.shape)
    if (macs !== null) macs = result.shape ? macs + (result.macs ?? 0) : null
    if (result.shape && result.macs === undefined && /Conv|Dense/.test(layer.className)) macs = null
    previous = layer.name
  }
  const outputNames = sequential
    ? previous !== undefined ? [previous] : []
    : asArray(config.output_layers).map((entry) => String(asArray(entry)[0] ?? ''))
  const outputs = outputNames.map((name) => ({ name, dtype: 'float32', shape: shapes.get(name) ?? [] }))
  const histogram: Record<string, number> = {}
  for (const layer of layers) histogram[layer.className] = (histogram[layer.className] ?? 0) + 1
  const warnings: InspectionWarning[] = [...dynamicWarning([...inputs, ...outputs]), ...quantizationWarnings(specs)]
  const unknown = outputs.filter((o) => o.shape.length === 0)
  if (unknown.length > 0)
    warnings.push({
      code: 'output-shape-unknown',
      severity: 'info',
      message: `The shape of ${unknown.map((o) => o.name).join(', ')} could not be worked out from the layer configs; the runtime check reports it.`,
    })
  return {
    format: 'tfjs-layers',
    inputs,
    outputs,
    opsets: {},
    producer: producer(model.json),
    nodeCount: layers.length,
    opHistogram: histogram,
    parameters: weightTotals(specs),
    sizeBytes: model.sizeBytes,
    macs,
    warnings,
  }
}

// ---- graph models ----

export const tfDtypes: Readonly<Record<string, string>> = {
  DT_FLOAT: 'float32',
  DT_HALF: 'float16',
  DT_DOUBLE: 'float64',
  DT_INT32: 'int32',
  DT_INT64: 'int64',
  DT_INT8: 'int8',
  DT_UINT8: 'uint8',
  DT_INT16: 'int16',
  DT_BOOL: 'bool',
  DT_STRING: 'string',
  DT_COMPLEX64: 'complex64',
}

export function tfShape(shape: unknown): Shape {
  if (!isRecord(shape) || shape.unknownRank) return []
  return asArray(shape.dim).map((d) => {
    const size = Number(isRecord(d) ? (d.size ?? 0) : 0)
    return size < 0 ? '?' : size
  })
}

function signatureTensors(entries: unknown): TensorInfo[] {
  if (!isRecord(entries)) return []
  return Object.entries(entries).map(([key, value]) => {
    const info = isRecord(value) ? value : {}
    const name = String(info.name ?? key).replace(/:0$/, '')
    return { name, dtype: tfDtypes[String(info.dtype)] ?? String(info.dtype ?? 'unknown'), shape: tfShape(info.tensorShape) }
  })
}

function inspectGraph(model: TfjsModelJson, specs: readonly WeightSpec[]): Inspection {
  const nodes = asArray(model.modelTopology.node).filter(isRecord)
  const functionNodes = asArray(isRecord(model.modelTopology.library) ? model.modelTopology.library.function : [])
    .filter(isRecord)
    .flatMap((f) => asArray(f.nodeDef).filter(isRecord))
  const histogram: Record<string, number> = {}
  for (const node of [...nodes, ...functionNodes]) {
    const op = String(node.op ?? '')
    histogram[op] = (histogram[op] ?? 0) + 1
  }
  const json = model.json
  const signature = isRecord(json.signature)
    ? json.signature
    : isRecord(json.userDefinedMetadata) && isRecord(json.userDefinedMetadata.signature)
      ? json.userDefinedMetadata.signature
      : undefined
  let inputs = signatureTensors(signature?.inputs)
  let outputs = signatureTensors(signature?.outputs)
  if (inputs.length === 0)
    inputs = nodes
      .filter((n) => n.op === 'Placeholder')
      .map((n) => {
        const attr = isRecord(n.attr) ? n.attr : {}
        const dtype = isRecord(attr.dtype) ? String(attr.dtype.type) : 'DT_FLOAT'
        return { name: String(n.name), dtype: tfDtypes[dtype] ?? dtype, shape: tfShape(isRecord(attr.shape) ? attr.shape.shape : undefined) }
      })
  if (outputs.length === 0) {
    const consumed = new Set(nodes.flatMap((n) => asArray(n.input).map((i) => String(i).replace(/^\^/, '').replace(/:\d+$/, ''))))
    outputs = nodes
      .filter((n) => !consumed.has(String(n.name)) && n.op !== 'Const' && n.op !== 'NoOp')
      .map((n) => ({ name: String(n.name), dtype: 'float32', shape: [] }))
  }
  return {
    format: 'tfjs-graph',
    inputs,
    outputs,
    opsets: {},
    producer: producer(json),
    nodeCount: nodes.length + functionNodes.length,
    opHistogram: histogram,
    parameters: weightTotals(specs),
    sizeBytes: model.sizeBytes,
    macs: null,
    warnings: [...dynamicWarning([...inputs, ...outputs]), ...quantizationWarnings(specs)],
  }
}

export function inspectTfjs(model: TfjsModelJson): Inspection {
  const specs = model.groups.flatMap((g) => [...g.weights])
  return model.format === 'tfjs-layers' ? inspectLayers(model, specs) : inspectGraph(model, specs)
}
