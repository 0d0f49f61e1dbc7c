// TF.js layers-model → ONNX graph. Keras tensors are NHWC; ONNX convolutions and pools are NCHW. Weights are
// converted to ONNX layouts, and each 4-D value remembers whether it is stored NCHW: a Transpose is added
// only where a layer needs the other layout (into the first convolution, before Flatten/Dense/Reshape, at
// the outputs), so a conv trunk runs transpose-free. Weights are read from the loaded TF.js model (already
// dequantized), so the ONNX model computes what TF.js computes.
import type * as tf from '@tensorflow/tfjs'
import { GraphBuilder, makeValueInfo, type AttributeValue } from '../onnx/graph-builder'
import { DataType, type ModelProto } from '../onnx/onnx-types'
import { UserError } from '../errors'

type Shape = readonly (number | null)[]
type Config = Readonly<Record<string, unknown>>

interface Value {
  readonly name: string
  readonly rank: number
  /** A 4-D Keras (NHWC) tensor stored as NCHW. */
  readonly nchw: boolean
}

interface LayerWeights {
  /** By role: kernel, bias, gamma, beta, moving_mean, moving_variance, depthwise_kernel, pointwise_kernel. */
  readonly get: (role: string) => { readonly data: Float32Array; readonly shape: readonly number[] } | undefined
}

interface Emit {
  readonly g: GraphBuilder
  readonly layer: string
  readonly config: Config
  readonly inputs: readonly Value[]
  readonly outputShape: Shape
  readonly weights: LayerWeights
  readonly nchw: (v: Value) => string
  readonly keras: (v: Value) => string
  readonly constant: (value: number) => string
}

interface LayerConverter {
  /** Why this configuration cannot be converted, or undefined when it can. */
  readonly check?: (config: Config) => string | undefined
  readonly emit: (e: Emit) => Value
}

export interface LayersToOnnxResult {
  readonly model: ModelProto
  readonly inputNames: readonly string[]
  readonly outputNames: readonly string[]
  readonly layerCount: number
  readonly nodeCount: number
  readonly transposes: number
}

/** Thrown when layers cannot be converted; the message lists each one by name. */
export class UnsupportedLayersError extends UserError {
  override name = 'UserError'
  constructor(
    readonly layers: readonly string[],
    what: string,
  ) {
    super(`${what}: cannot convert ${layers.length} layer${layers.length === 1 ? '' : 's'} to ONNX: ${layers.join('; ')}`)
  }
}

export const onnxOpset = 13

const num = (config: Config, key: string, fallback: number): number => (typeof config[key] === 'number' ? (config[key] as number) : fallback)
const pair = (value: unknown, fallback: readonly [number, number]): [number, number] => {
  if (typeof value === 'number') return [value, value]
  if (Array.isArray(value) && value.length === 2) return [Number(value[0]), Number(value[1])]
  return [...fallback]
}

function checkConvLike(config: Config): string | undefined {
  if (config.dataFormat === 'channels_first') return 'channels_first data format'
  return checkActivation(config.activation)
}

const activations: Readonly<Record<string, (e: Emit, x: string) => string>> = {
  linear: (_, x) => x,
  relu: (e, x) => e.g.node('Relu', [x], { name: `${e.layer}/relu` }),
  relu6: (e, x) => e.g.node('Clip', [x, e.constant(0), e.constant(6)], { name: `${e.layer}/relu6` }),
  elu: (e, x) => e.g.node('Elu', [x], { name: `${e.layer}/elu`, attributes: { alpha: 1 }, floatAttributes: ['alpha'] }),
  selu: (e, x) => e.g.node('Selu', [x], { name: `${e.layer}/selu` }),
  sigmoid: (e, x) => e.g.node('Sigmoid', [x], { name: `${e.layer}/sigmoid` }),
  hard_sigmoid: (e, x) =>
    e.g.node('HardSigmoid', [x], { name: `${e.layer}/hard_sigmoid`, attributes: { alpha: 0.2, beta: 0.5 }, floatAttributes: ['alpha', 'beta'] }),
  tanh: (e, x) => e.g.node('Tanh', [x], { name: `${e.layer}/tanh` }),
  softplus: (e, x) => e.g.node('Softplus', [x], { name: `${e.layer}/softplus` }),
  softsign: (e, x) => e.g.node('Softsign', [x], { name: `${e.layer}/softsign` }),
  swish: (e, x) => e.g.node('Mul', [x, e.g.node('Sigmoid', [x], { name: `${e.layer}/swish_sigmoid` })], { name: `${e.layer}/swish` }),
  mish: (e, x) =>
    e.g.node('Mul', [x, e.g.node('Tanh', [e.g.node('Softplus', [x], { name: `${e.layer}/mish_softplus` })], { name: `${e.layer}/mish_tanh` })], {
      name: `${e.layer}/mish`,
    }),
}

function activationName(value: unknown): string {
  if (value === undefined || value === null) return 'linear'
  if (typeof value === 'string') return value
  const named = value as { class_name?: string; config?: { name?: string } }
  return named.config?.name ?? named.class_name ?? String(value)
}

function checkActivation(value: unknown): string | undefined {
  const name = activationName(value)
  return name === 'softmax' || activations[name] ? undefined : `activation '${name}'`
}

/** Softmax along the Keras axis `axis` of value `v`. */
function softmax(e: Emit, v: Value, x: string, axis: number): string {
  const kerasAxis = axis < 0 ? v.rank + axis : axis
  const onnxAxis = v.nchw ? ([0, 2, 3, 1][kerasAxis] as number) : kerasAxis
  return e.g.node('Softmax', [x], { name: `${e.layer}/softmax`, attributes: { axis: onnxAxis } })
}

function applyActivation(e: Emit, v: Value, activation: unknown): Value {
  const name = activationName(activation)
  if (name === 'linear') return v
  const x = v.name
  const out = name === 'softmax' ? softmax(e, v, x, -1) : (activations[name] as (e: Emit, x: string) => string)(e, x)
  return { ...v, name: out }
}

/** [kh, kw, in, out] → [out, in, kh, kw]. */
function hwioToOihw(data: Float32Array, shape: readonly number[]): Float32Array {
  const [kh, kw, ci, co] = shape as [number, number, number, number]
  const out = new Float32Array(data.length)
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + h) * kw + w] = data[((h * kw + w) * ci + i) * co + o] as number
  return out
}

function requireWeight(e: Emit, role: string): { readonly data: Float32Array; readonly shape: readonly number[] } {
  const weight = e.weights.get(role)
  if (!weight) throw new UserError(`layer '${e.layer}' has no '${role}' weight`)
  return weight
}

function convAttributes(config: Config, kernel: readonly [number, number]): Record<string, AttributeValue> {
  const strides = pair(config.strides, [1, 1])
  const dilations = pair(config.dilationRate, [1, 1])
  // TF's SAME pads the extra row/column at the end, which is ONNX's SAME_UPPER.
  const attributes: Record<string, AttributeValue> = { kernel_shape: [...kernel], strides, dilations }
  if (config.padding === 'same') attributes.auto_pad = 'SAME_UPPER'
  else attributes.pads = [0, 0, 0, 0]
  return attributes
}

function conv(e: Emit, kernelRole: string, group: (inChannels: number) => number): Value {
  const kernel = requireWeight(e, kernelRole)
  const [kh, kw, ci, co] = kernel.shape as [number, number, number, number]
  const input = e.inputs[0] as Value
  let weights: Float32Array
  let dims: number[]
  let groups = 1
  if (kernelRole === 'depthwise_kernel') {
    // Depthwise [kh, kw, C, M] → ONNX grouped conv [C*M, 1, kh, kw]; output channel c*M + m as in TF.
    weights = hwioToOihw(kernel.data, [kh, kw, 1, ci * co])
    dims = [ci * co, 1, kh, kw]
    groups = group(ci)
  } else {
    weights = hwioToOihw(kernel.data, kernel.shape)
    dims = [co, ci, kh, kw]
  }
  const inputs = [e.nchw(input), e.g.initializer(`${e.layer}/${kernelRole}`, dims, weights)]
  const bias = e.config.useBias === false ? undefined : e.weights.get('bias')
  if (bias) inputs.push(e.g.initializer(`${e.layer}/bias`, bias.shape, bias.data))
  const out = e.g.node('Conv', inputs, { name: e.layer, attributes: { ...convAttributes(e.config, [kh, kw]), group: groups } })
  return applyActivation(e, { name: out, rank: 4, nchw: true }, e.config.activation)
}

function pool(op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return {
    check: checkConvLike,
    emit: (e) => {
      const size = pair(e.config.poolSize, [2, 2])
      const strides = pair(e.config.strides ?? size, size)
      const attributes: Record<string, AttributeValue> = { ...convAttributes({ ...e.config, strides, dilationRate: [1, 1] }, size) }
      delete attributes.dilations
      // TF averages over the valid cells only at SAME borders: count_include_pad = 0 (the default).
      const out = e.g.node(op, [e.nchw(e.inputs[0] as Value)], { name: e.layer, attributes })
      return { name: out, rank: 4, nchw: true }
    },
  }
}

function globalPool(op: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerConverter {
  return {
    check: (config) => (config.dataFormat === 'channels_first' ? 'channels_first data format' : undefined),
    emit: (e) => {
      const pooled = e.g.node(op, [e.nchw(e.inputs[0] as Value)], { name: e.layer })
      return { name: e.g.node('Flatten', [pooled], { name: `${e.layer}/flatten`, attributes: { axis: 1 } }), rank: 2, nchw: false }
    },
  }
}

/** Elementwise merges: 4-D inputs meet in NCHW when any of them is stored so. */
function mergeInputs(e: Emit): { names: string[]; value: Omit<Value, 'name'> } {
  const rank = (e.inputs[0] as Value).rank
  const nchw = rank === 4 && e.inputs.some((v) => v.nchw)
  return { names: e.inputs.map((v) => (nchw ? e.nchw(v) : e.keras(v))), value: { rank, nchw } }
}

function merge(op: 'Add' | 'Mul' | 'Sub' | 'Max' | 'Min' | 'Mean'): LayerConverter {
  return {
    emit: (e) => {
      const { names, value } = mergeInputs(e)
      const variadic = op === 'Max' || op === 'Min' || op === 'Mean'
      if (variadic || names.length === 2) return { ...value, name: e.g.node(op, names, { name: e.layer }) }
      let acc = names[0] as string
      for (const next of names.slice(1)) acc = e.g.node(op, [acc, next], { name: e.layer })
      return { ...value, name: acc }
    },
  }
}

const identity: LayerConverter = { emit: (e) => e.inputs[0] as Value }

/** TF.js's ReLU layer honours max_value only (it drops negative_slope and threshold when it loads). */
function reluLayer(e: Emit): Value {
  const input = e.inputs[0] as Value
  const maxValue = e.config.maxValue
  const out =
    typeof maxValue === 'number'
      ? e.g.node('Clip', [input.name, e.constant(0), e.constant(maxValue)], { name: e.layer })
      : e.g.node('Relu', [input.name], { name: e.layer })
  return { ...input, name: out }
}

const converters: Readonly<Record<string, LayerConverter>> = {
  Dense: {
    check: (config) => checkActivation(config.activation),
    emit: (e) => {
      const input = e.inputs[0] as Value
      const kernel = requireWeight(e, 'kernel')
      const w = e.g.initializer(`${e.layer}/kernel`, kernel.shape, kernel.data)
      const bias = e.config.useBias === false ? undefined : e.weights.get('bias')
      const b = bias ? e.g.initializer(`${e.layer}/bias`, bias.shape, bias.data) : undefined
      let out: string
      if (input.rank === 2) out = e.g.node('Gemm', b ? [input.name, w, b] : [input.name, w], { name: e.layer })
      else {
        const product = e.g.node('MatMul', [e.keras(input), w], { name: e.layer })
        out = b ? e.g.node('Add', [product, b], { name: `${e.layer}/bias_add` }) : product
      }
      return applyActivation(e, { name: out, rank: input.rank, nchw: false }, e.config.activation)
    },
  },
  Conv2D: { check: checkConvLike, emit: (e) => conv(e, 'kernel', () => 1) },
  DepthwiseConv2D: { check: checkConvLike, emit: (e) => conv(e, 'depthwise_kernel', (channels) => channels) },
  SeparableConv2D: {
    check: checkConvLike,
    emit: (e) => {
      const depthwise = requireWeight(e, 'depthwise_kernel')
      const [kh, kw, ci, mult] = depthwise.shape as [number, number, number, number]
      const dw = e.g.initializer(`${e.layer}/depthwise_kernel`, [ci * mult, 1, kh, kw], hwioToOihw(depthwise.data, [kh, kw, 1, ci * mult]))
      const mid = e.g.node('Conv', [e.nchw(e.inputs[0] as Value), dw], {
        name: `${e.layer}/depthwise`,
        attributes: { ...convAttributes(e.config, [kh, kw]), group: ci },
      })
      const pointwise = requireWeight(e, 'pointwise_kernel')
      const [, , pi, po] = pointwise.shape as [number, number, number, number]
      const inputs = [mid, e.g.initializer(`${e.layer}/pointwise_kernel`, [po, pi, 1, 1], hwioToOihw(pointwise.data, pointwise.shape))]
      const bias = e.config.useBias === false ? undefined : e.weights.get('bias')
      if (bias) inputs.push(e.g.initializer(`${e.layer}/bias`, bias.shape, bias.data))
      const out = e.g.node('Conv', inputs, { name: `${e.layer}/pointwise`, attributes: { kernel_shape: [1, 1] } })
      return applyActivation(e, { name: out, rank: 4, nchw: true }, e.config.activation)
    },
  },
  BatchNormalization: {
    emit: (e) => {
      const input = e.inputs[0] as Value
      const axis = num(e.config, 'axis', -1)
      if (axis !== -1 && axis !== input.rank - 1)
        throw new UserError(`layer '${e.layer}' normalizes axis ${axis}; only the channel (last) axis converts`)
      if (input.rank !== 2 && input.rank !== 4) throw new UserError(`layer '${e.layer}' has rank-${input.rank} input; only 2-D and 4-D convert`)
      const mean = requireWeight(e, 'moving_mean')
      const variance = requireWeight(e, 'moving_variance')
      const channels = mean.data.length
      const gamma = e.weights.get('gamma')?.data ?? new Float32Array(channels).fill(1)
      const beta = e.weights.get('beta')?.data ?? new Float32Array(channels)
      const x = input.rank === 4 ? e.nchw(input) : input.name
      const out = e.g.node(
        'BatchNormalization',
        [
          x,
          e.g.initializer(`${e.layer}/gamma`, [channels], gamma),
          e.g.initializer(`${e.layer}/beta`, [channels], beta),
          e.g.initializer(`${e.layer}/moving_mean`, [channels], mean.data),
          e.g.initializer(`${e.layer}/moving_variance`, [channels], variance.data),
        ],
        { name: e.layer, attributes: { epsilon: num(e.config, 'epsilon', 1e-3) }, floatAttributes: ['epsilon'] },
      )
      return { name: out, rank: input.rank, nchw: input.rank === 4 }
    },
  },
  Activation: {
    check: (config) => checkActivation(config.activation),
    emit: (e) => applyActivation(e, e.inputs[0] as Value, e.config.activation),
  },
  ReLU: { emit: reluLayer },
  LeakyReLU: {
    emit: (e) => {
      const input = e.inputs[0] as Value
      const out = e.g.node('LeakyRelu', [input.name], { name: e.layer, attributes: { alpha: num(e.config, 'alpha', 0.3) }, floatAttributes: ['alpha'] })
      return { ...input, name: out }
    },
  },
  ELU: {
    emit: (e) => {
      const input = e.inputs[0] as Value
      return { ...input, name: e.g.node('Elu', [input.name], { name: e.layer, attributes: { alpha: num(e.config, 'alpha', 1) }, floatAttributes: ['alpha'] }) }
    },
  },
  Softmax: {
    check: (config) => (Array.isArray(config.axis) && config.axis.length !== 1 ? 'softmax over several axes' : undefined),
    emit: (e) => {
      const input = e.inputs[0] as Value
      const axis = Array.isArray(e.config.axis) ? Number(e.config.axis[0]) : num(e.config, 'axis', -1)
      return { ...input, name: softmax(e, input, input.name, axis) }
    },
  },
  MaxPooling2D: pool('MaxPool'),
  AveragePooling2D: pool('AveragePool'),
  GlobalAveragePooling2D: globalPool('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPool('GlobalMaxPool'),
  Flatten: {
    emit: (e) => {
      const input = e.inputs[0] as Value
      if (input.rank === 2) return input
      return { name: e.g.node('Flatten', [e.keras(input)], { name: e.layer, attributes: { axis: 1 } }), rank: 2, nchw: false }
    },
  },
  Reshape: {
    emit: (e) => {
      const target = (e.config.targetShape as readonly number[]).map(Number)
      const shape = e.g.int64s(`${e.layer}/shape`, [0, ...target])
      return { name: e.g.node('Reshape', [e.keras(e.inputs[0] as Value), shape], { name: e.layer }), rank: target.length + 1, nchw: false }
    },
  },
  ZeroPadding2D: {
    check: (config) => (config.dataFormat === 'channels_first' ? 'channels_first data format' : undefined),
    emit: (e) => {
      const p = e.config.padding
      const [[top, bottom], [left, right]] =
        Array.isArray(p) && Array.isArray(p[0]) ? [pair(p[0], [1, 1]), pair(p[1], [1, 1])] : [pair(p, [1, 1]), pair(p, [1, 1])]
      const pads = e.g.int64s(`${e.layer}/pads`, [0, 0, top, left, 0, 0, bottom, right])
      return { name: e.g.node('Pad', [e.nchw(e.inputs[0] as Value), pads], { name: e.layer }), rank: 4, nchw: true }
    },
  },
  Add: merge('Add'),
  Subtract: merge('Sub'),
  Multiply: merge('Mul'),
  Average: merge('Mean'),
  Maximum: merge('Max'),
  Minimum: merge('Min'),
  Concatenate: {
    emit: (e) => {
      const { names, value } = mergeInputs(e)
      const axis = num(e.config, 'axis', -1)
      const kerasAxis = axis < 0 ? value.rank + axis : axis
      const onnxAxis = value.nchw ? ([0, 2, 3, 1][kerasAxis] as number) : kerasAxis
      return { ...value, name: e.g.node('Concat', names, { name: e.layer, attributes: { axis: onnxAxis } }) }
    },
  },
  Dropout: identity,
  SpatialDropout1D: identity,
  SpatialDropout2D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  ActivityRegularization: identity,
}

/** The layer classes this converter handles (InputLayer aside). */
export const convertibleLayers: readonly string[] = Object.keys(converters)

function weightsOf(layer: tf.layers.Layer): LayerWeights {
  const values = layer.getWeights()
  const byRole = new Map<string, { data: Float32Array; shape: readonly number[] }>()
  layer.weights.forEach((weight, i) => {
    const role = (weight.originalName.split('/').pop() ?? '').replace(/:\d+$/, '')
    const tensor = values[i] as tf.Tensor
    byRole.set(role, { data: tensor.dataSync() as Float32Array, shape: tensor.shape })
  })
  return { get: (role) => byRole.get(role) }
}

function dimsOf(shape: Shape, name: string): (number | string)[] {
  return shape.map((d, i) => (d === null || d < 0 ? (i === 0 ? 'batch' : `${name}_dim${i}`) : d))
}

/** Layers that cannot be converted, as "name (Class: reason)". */
export function unsupportedLayers(model: tf.LayersModel): string[] {
  const problems: string[] = []
  for (const layer of model.layers) {
    const className = layer.getClassName()
    if (className === 'InputLayer') continue
    const converter = converters[className]
    const reason = converter ? converter.check?.(layer.getConfig() as Config) : 'layer type not supported'
    if (reason) problems.push(`${layer.name} (${className}: ${reason})`)
  }
  return problems
}

/** Converts a loaded layers-model; `what` names the model in errors (its path). */
export function layersModelToOnnx(model: tf.LayersModel, what: string, producerVersion: string): LayersToOnnxResult {
  const problems = unsupportedLayers(model)
  if (problems.length) throw new UnsupportedLayersError(problems, what)
  const g = new GraphBuilder()
  const values = new Map<string, Value>()
  const key = (layer: string, node: number, tensor: number): string => `${layer}:${node}:${tensor}`
  const constants = new Map<number, string>()
  const transposed = new Map<string, string>()
  let transposes = 0
  const relayout = (v: Value, toNchw: boolean): string => {
    if (v.rank !== 4 || v.nchw === toNchw) return v.name
    const cached = transposed.get(v.name)
    if (cached) return cached
    transposes++
    const out = g.node('Transpose', [v.name], { name: toNchw ? 'to_nchw' : 'to_nhwc', attributes: { perm: toNchw ? [0, 3, 1, 2] : [0, 2, 3, 1] } })
    transposed.set(v.name, out)
    return out
  }
  const constant = (value: number): string => {
    const existing = constants.get(value)
    if (existing) return existing
    const name = g.initializer(`const_${value}`, [], Float32Array.of(value))
    constants.set(value, name)
    return name
  }

  const inputs = model.inputs.map((input) => {
    const name = input.sourceLayer.name
    g.claimName(name)
    values.set(key(name, input.nodeIndex, input.tensorIndex), { name, rank: input.shape.length, nchw: false })
    return makeValueInfo(name, DataType.FLOAT, dimsOf(input.shape, name))
  })

  for (const layer of model.layers) {
    const className = layer.getClassName()
    if (className === 'InputLayer') continue
    const converter = converters[className] as LayerConverter
    const config = layer.getConfig() as Config
    layer.inboundNodes.forEach((node, nodeIndex) => {
      const nodeInputs = node.inboundLayers.map((inbound, i) => values.get(key(inbound.name, node.nodeIndices[i] as number, node.tensorIndices[i] as number)))
      // A node of a shared layer that belongs to another model has inputs this model never computes.
      if (nodeInputs.some((v) => v === undefined)) return
      const shapes = node.outputShapes
      const outputShape = (Array.isArray(shapes[0]) || shapes.length === 0 ? shapes[0] : shapes) as Shape
      const value = converter.emit({
        g,
        layer: layer.name,
        config,
        inputs: nodeInputs as Value[],
        outputShape,
        weights: weightsOf(layer),
        nchw: (v) => relayout(v, true),
        keras: (v) => relayout(v, false),
        constant,
      })
      values.set(key(layer.name, nodeIndex, 0), value)
    })
  }

  const outputNames: string[] = []
  const outputs = model.outputs.map((output) => {
    const value = values.get(key(output.sourceLayer.name, output.nodeIndex, output.tensorIndex))
    if (!value) throw new UserError(`${what}: output '${output.sourceLayer.name}' is not computed by the converted layers`)
    const name = g.claimName(output.sourceLayer.name) ? output.sourceLayer.name : g.uniqueName(`${output.sourceLayer.name}_output`)
    g.node('Identity', [relayout(value, false)], { name: `${name}/output`, outputs: [name] })
    outputNames.push(name)
    return makeValueInfo(name, DataType.FLOAT, dimsOf(output.shape, name))
  })

  const onnx = g.model({
    graphName: model.name,
    inputs,
    outputs,
    opset: onnxOpset,
    producerName: 'slipway',
    producerVersion,
    docString: `converted from a TensorFlow.js layers-model (${model.layers.length} layers); NHWC inputs and outputs as in TF.js`,
  })
  return {
    model: onnx,
    inputNames: inputs.map((v) => v.name as string),
    outputNames,
    layerCount: model.layers.length,
    nodeCount: onnx.graph?.node?.length ?? 0,
    transposes,
  }
}
