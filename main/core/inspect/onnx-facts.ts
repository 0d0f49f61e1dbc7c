// Parameter counts and deployment warnings of an ONNX model: the facts a user needs before optimizing or
// publishing it, computed from the graph alone (the runtime check happens separately, in the worker).
import type { DtypeBytes, Inspection, InspectionWarning } from '../../../preload/api'
import { toNumber } from '../onnx/codec'
import { allNodes, forEachTensor, graphsWithin } from '../onnx/graph-walk'
import type { GraphProto, ModelProto, NodeProto, TensorProto } from '../onnx/onnx-types'
import { DataType } from '../onnx/onnx-types'
import { inferShapes } from '../onnx/shape-inference'
import { dtypeName, elementCount, storageBytes } from '../onnx/tensor-data'
import { formatBytes } from '../../../preload/format'

export interface ParameterCount {
  count: number
  bytes: number
  byDtype: Map<string, DtypeBytes>
  /** Tensors (and their elements) stored inside If/Loop/Scan bodies. */
  subgraphTensors: number
  subgraphElements: number
}

function tensorBytes(tensor: TensorProto, count: number): number {
  if (tensor.dataType === DataType.STRING) return (tensor.stringData ?? []).reduce((sum, s) => sum + s.length, 0)
  return storageBytes(tensor.dataType, count)
}

/** Tensors a graph stores as weights: initializers, sparse initializers and Constant node values. */
function storedTensors(nodes: readonly NodeProto[], graph?: GraphProto): TensorProto[] {
  const tensors: TensorProto[] = [...(graph?.initializer ?? [])]
  for (const sparse of graph?.sparseInitializer ?? []) if (sparse.values) tensors.push({ ...sparse.values, dims: sparse.dims ?? [] })
  for (const node of nodes) {
    if (node.opType !== 'Constant' || (node.domain && node.domain !== 'ai.onnx')) continue
    for (const a of node.attribute ?? []) {
      if (a.t) tensors.push(a.t)
      if (a.sparseTensor?.values) tensors.push({ ...a.sparseTensor.values, dims: a.sparseTensor.dims ?? [] })
      if (a.name === 'value_floats') tensors.push({ dataType: DataType.FLOAT, dims: [a.floats?.length ?? 0] })
      if (a.name === 'value_ints') tensors.push({ dataType: DataType.INT64, dims: [a.ints?.length ?? 0] })
      if (a.name === 'value_float') tensors.push({ dataType: DataType.FLOAT, dims: [] })
      if (a.name === 'value_int') tensors.push({ dataType: DataType.INT64, dims: [] })
    }
  }
  return tensors
}

/**
 * Parameters: initializers, Constant nodes and sparse tensors of every graph (subgraphs and local
 * functions included), counted from their dims, so no weight is read. Sparse tensors count their dense size.
 */
export function countParameters(model: ModelProto): ParameterCount {
  const result: ParameterCount = { count: 0, bytes: 0, byDtype: new Map(), subgraphTensors: 0, subgraphElements: 0 }
  const add = (tensors: readonly TensorProto[], nested: boolean): void => {
    for (const tensor of tensors) {
      const count = elementCount(tensor.dims)
      const bytes = tensorBytes(tensor, count)
      const name = dtypeName(tensor.dataType)
      const entry = result.byDtype.get(name) ?? { count: 0, bytes: 0 }
      result.byDtype.set(name, { count: entry.count + count, bytes: entry.bytes + bytes })
      result.count += count
      result.bytes += bytes
      if (nested) {
        result.subgraphTensors++
        result.subgraphElements += count
      }
    }
  }
  if (model.graph)
    for (const graph of graphsWithin(model.graph)) add(storedTensors(graph.node ?? [], graph), graph !== model.graph)
  for (const fn of model.functions ?? []) add(storedTensors(fn.node ?? []), false)
  return result
}

/** Operator domains ONNX Runtime's CPU build runs. */
const ortDomains = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft', 'com.microsoft.nchwc', 'com.microsoft.experimental', 'com.ms.internal.nhwc'])

const quantizedOps = new Set([
  'QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear', 'MatMulInteger', 'ConvInteger', 'DynamicQuantizeMatMul',
  'MatMulIntegerToFloat', 'MatMulNBits', 'QGemm', 'QAttention', 'GatherBlockQuantized', 'DynamicQuantizeLSTM',
])

/** Inputs of these ops that hold weights: a ConstantOfShape feeding one computes a weight. */
const weightInputs: Readonly<Record<string, readonly number[]>> = {
  Conv: [1, 2],
  ConvTranspose: [1, 2],
  Gemm: [1, 2],
  MatMul: [1],
  BatchNormalization: [1, 2, 3, 4],
  InstanceNormalization: [1, 2],
  LayerNormalization: [1, 2],
  PRelu: [1],
  LSTM: [1, 2, 3],
  GRU: [1, 2, 3],
  RNN: [1, 2, 3],
}

function warn(code: string, severity: InspectionWarning['severity'], message: string): InspectionWarning {
  return { code, severity, message }
}

function computedWeights(model: ModelProto): { tensors: number; elements: number } {
  const result = { tensors: 0, elements: 0 }
  if (!model.graph) return result
  const shapes = inferShapes(model.graph)
  const fromConstantOfShape = new Set(
    (model.graph.node ?? []).filter((n) => n.opType === 'ConstantOfShape').map((n) => n.output?.[0] ?? ''),
  )
  const counted = new Set<string>()
  for (const node of model.graph.node ?? [])
    for (const index of weightInputs[node.opType ?? ''] ?? []) {
      const name = node.input?.[index]
      if (!name || !fromConstantOfShape.has(name) || counted.has(name)) continue
      counted.add(name)
      result.tensors++
      const shape = shapes.get(name)?.shape
      if (shape?.every((d) => typeof d === 'number')) result.elements += (shape as number[]).reduce((p, d) => p * d, 1)
    }
  return result
}

/** Weights held by Constant nodes: floating-point tensors of more than one value (not shapes or scalars). */
function constantWeights(model: ModelProto): { tensors: number; bytes: number } {
  const result = { tensors: 0, bytes: 0 }
  forEachTensor(model, (tensor, site) => {
    const name = dtypeName(tensor.dataType)
    if (site !== 'constant' || !(name.startsWith('float') || name === 'bfloat16')) return
    const count = elementCount(tensor.dims)
    if (count <= 1) return
    result.tensors++
    result.bytes += tensorBytes(tensor, count)
  })
  return result
}

export interface WarningContext {
  readonly sizeBytes: number
  readonly externalFiles: readonly string[]
  readonly parameters: ParameterCount
}

export function onnxWarnings(model: ModelProto, inspection: Inspection, context: WarningContext): InspectionWarning[] {
  const warnings: InspectionWarning[] = []
  const dynamic = [...inspection.inputs, ...inspection.outputs].filter((t) => t.shape.some((d) => typeof d === 'string'))
  if (dynamic.length > 0)
    warnings.push(
      warn(
        'dynamic-dims',
        'info',
        `Dynamic dimensions: ${dynamic.map((t) => `${t.name} [${t.shape.join(', ')}]`).join('; ')}. Benchmarks pick concrete sizes; servers must accept the range.`,
      ),
    )
  const noShape = (model.graph?.input ?? []).filter((i) => i.type?.tensorType && !i.type.tensorType.shape)
  if (noShape.length > 0)
    warnings.push(warn('unknown-rank', 'warning', `Inputs without a declared shape: ${noShape.map((i) => i.name).join(', ')}.`))
  const nonTensor = inspection.inputs.filter((t) => /^(sequence|map|optional|sparse)</.test(t.dtype))
  if (nonTensor.length > 0)
    warnings.push(
      warn('non-tensor-inputs', 'warning', `Inputs that are not plain tensors (${nonTensor.map((t) => `${t.name}: ${t.dtype}`).join(', ')}): the Open Inference Protocol and benchmarks feed tensors only.`),
    )
  if (context.externalFiles.length > 0)
    warnings.push(
      warn(
        'external-data',
        'info',
        `Weights are stored in ${context.externalFiles.length} external file(s) beside the model; they must travel with it.`,
      ),
    )
  if (context.sizeBytes > 2 ** 31)
    warnings.push(
      warn('over-2gb', 'warning', `The model is ${formatBytes(context.sizeBytes)}: over protobuf's 2 GiB limit, it must keep its weights in external data.`),
    )
  const fixedBatch = inspection.inputs.filter((t) => t.shape.length >= 2 && t.shape[0] === 1)
  if (fixedBatch.length > 0)
    warnings.push(
      warn('fixed-batch', 'warning', `Fixed batch of 1 (${fixedBatch.map((t) => `${t.name} [${t.shape.join(', ')}]`).join('; ')}): every request carries one sample, so servers cannot batch requests and throughput cannot grow with the batch size; re-export with a dynamic first dimension.`),
    )
  // Thresholds: ONNX Runtime guarantees opsets back to 7 and reads IR 3 and newer (its docs/Versioning.md and
  // the compatibility page, onnxruntime.ai/docs/reference/compatibility.html); TensorRT's ONNX parser is
  // backward compatible only to opset 9 (docs.nvidia.com/deeplearning/tensorrt, "ONNX Opset Guide"); IR 3
  // is ONNX 1.2's format (2018), whose initializers are also graph inputs.
  const ir = inspection.irVersion ?? 0
  if (ir < 3) warnings.push(warn('old-ir-version', 'error', `IR version ${ir}: ONNX Runtime loads IR version 3 and newer.`))
  else if (ir === 3)
    warnings.push(
      warn('dated-ir-version', 'warning', 'IR version 3 (ONNX 1.2, 2018): the format lists every stored weight as a graph input too, which runtimes treat as a value a caller may override, so they cannot fold or pre-pack it. Re-export with a current exporter.'),
    )
  const mainOpset = inspection.opsets[''] ?? 0
  if (mainOpset > 0 && mainOpset < 7)
    warnings.push(
      warn('old-opset', 'warning', `Opset ${mainOpset} predates opset 7, the oldest ONNX Runtime supports: some of its operators have no implementation there (the runtime check says whether this model loads); re-export with a newer opset.`),
    )
  else if (mainOpset > 0 && mainOpset < 9)
    warnings.push(
      warn('dated-opset', 'warning', `Opset ${mainOpset}: ONNX Runtime runs it, but TensorRT (and so Triton's TensorRT backend) takes opset 9 and newer; re-export with a newer opset to deploy there.`),
    )
  const local = new Set((model.functions ?? []).map((f) => `${f.domain ?? ''}/${f.name ?? ''}`))
  const foreign = new Map<string, Set<string>>()
  let quantized = 0
  for (const node of allNodes(model)) {
    const domain = node.domain ?? ''
    const op = node.opType ?? ''
    if (op.startsWith('QLinear') || quantizedOps.has(op)) quantized++
    if (ortDomains.has(domain) || local.has(`${domain}/${op}`)) continue
    foreign.set(domain, (foreign.get(domain) ?? new Set()).add(op))
  }
  for (const [domain, ops] of foreign)
    warnings.push(
      warn('unsupported-domain', 'error', `Operators from domain '${domain}' (${[...ops].join(', ')}): ONNX Runtime does not run them without a custom-op library.`),
    )
  if (quantized > 0)
    warnings.push(
      warn('quantized-ops', 'info', `${quantized} quantized (int8/int4) operators: their speed depends on CPU support (AVX-512 VNNI or AVX-VNNI on x86, dot-product on ARM); benchmark before relying on a speedup.`),
    )
  const computed = computedWeights(model)
  if (computed.tensors > 0)
    warnings.push(
      warn('computed-weights', 'warning', `${computed.tensors} weight tensors${computed.elements ? ` (${computed.elements.toLocaleString('en-US')} values)` : ''} are computed by ConstantOfShape at load time, not stored: quantization, pruning and float16 cannot change them.`),
    )
  const constants = constantWeights(model)
  if (constants.tensors > 0)
    warnings.push(
      warn('constant-weights', 'warning', `${constants.tensors} weight tensors (${formatBytes(constants.bytes)}) are stored as Constant nodes rather than initializers (as PaddlePaddle exports do): tools that read only initializers (weight viewers, many quantizers, TensorRT's refitter) do not see them. Slipway's recipes turn them into initializers first.`),
    )
  const { parameters } = context
  if (parameters.subgraphTensors > 0)
    warnings.push(
      warn('subgraph-weights', 'info', `${parameters.subgraphTensors} weight tensors (${parameters.subgraphElements.toLocaleString('en-US')} values) live inside If/Loop/Scan subgraphs; optimizers that only look at top-level initializers miss them.`),
    )
  const exotic = [...parameters.byDtype.keys()].filter((d) => d === 'bfloat16' || d.startsWith('float8') || d === 'float4e2m1')
  if (exotic.length > 0)
    warnings.push(warn('exotic-dtypes', 'warning', `Weights in ${exotic.join(', ')}: ONNX Runtime's CPU provider runs few operators on these types.`))
  if (toNumber(model.irVersion) >= 4 && (model.graph?.input?.length ?? 0) > inspection.inputs.length)
    warnings.push(warn('initializers-as-inputs', 'info', 'Some initializers are also listed as graph inputs, so callers could override them; ONNX Runtime cannot constant-fold them.'))
  return warnings
}
