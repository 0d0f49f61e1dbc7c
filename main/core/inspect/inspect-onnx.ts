// What an ONNX model is, for the model page and `slipway inspect`: everything is read from the decoded
// message (weights stay views into the file bytes, nothing is copied), so big models inspect quickly.
import type { DtypeBytes, Inspection, MacsEstimate, TensorInfo } from '../../../preload/api'
import { toNumber } from '../onnx/codec'
import { graphsWithin } from '../onnx/graph-walk'
import type { LoadedOnnxModel } from '../onnx/model-file'
import type { ModelProto, TypeProto, ValueInfoProto } from '../onnx/onnx-types'
import { type Dim, dimOf, inferShapes } from '../onnx/shape-inference'
import { dtypeName } from '../onnx/tensor-data'
import { estimateMacs } from './macs'
import { countParameters, onnxWarnings } from './onnx-facts'

export function typeName(type: TypeProto | undefined): string {
  if (!type) return 'unknown'
  if (type.tensorType) return dtypeName(type.tensorType.elemType)
  if (type.sparseTensorType) return `sparse<${dtypeName(type.sparseTensorType.elemType)}>`
  if (type.sequenceType) return `sequence<${typeName(type.sequenceType.elemType)}>`
  if (type.mapType) return `map<${dtypeName(type.mapType.keyType)},${typeName(type.mapType.valueType)}>`
  if (type.optionalType) return `optional<${typeName(type.optionalType.elemType)}>`
  return 'unknown'
}

function shapeOf(type: TypeProto | undefined): Dim[] {
  const dims = (type?.tensorType ?? type?.sparseTensorType)?.shape?.dim ?? []
  return dims.map(dimOf)
}

function tensorInfo(value: ValueInfoProto): TensorInfo {
  return { name: value.name ?? '', dtype: typeName(value.type), shape: shapeOf(value.type) }
}

/** Graph inputs that are real inputs (older exporters also list every initializer as an input). */
export function modelInputs(model: ModelProto): ValueInfoProto[] {
  const initializers = new Set((model.graph?.initializer ?? []).map((t) => t.name))
  return (model.graph?.input ?? []).filter((input) => !initializers.has(input.name))
}

function opKey(domain: string | undefined, opType: string | undefined): string {
  return !domain || domain === 'ai.onnx' ? (opType ?? '') : `${domain}.${opType ?? ''}`
}

/**
 * MACs for one sample: a symbolic leading (batch) dim of each input is taken as 1; `shapes` gives full
 * shapes for inputs whose other dims are dynamic too (the Overview's "try a size").
 */
export function macsForOneSample(model: ModelProto, shapes: Readonly<Record<string, readonly number[]>> = {}): MacsEstimate {
  const graph = model.graph
  if (!graph) return { macs: null }
  const pinned = new Map<string, Dim[]>()
  for (const input of modelInputs(model)) {
    const name = input.name ?? ''
    const shape = shapeOf(input.type)
    const given = shapes[name]
    if (given && given.length === shape.length) pinned.set(name, [...given])
    else if (shape.length >= 2 && typeof shape[0] === 'string') pinned.set(name, [1, ...shape.slice(1)])
  }
  return estimateMacs(graph, inferShapes(graph, pinned))
}

export interface OnnxFiles {
  /** Bytes on disk: the model file plus its external data. */
  readonly sizeBytes: number
  readonly externalFiles: readonly string[]
}

export function inspectOnnx(loaded: LoadedOnnxModel, files: OnnxFiles): Inspection {
  const { model } = loaded
  const graph = model.graph ?? {}
  const opsets: Record<string, number> = {}
  for (const opset of model.opsetImport ?? []) {
    const domain = opset.domain === 'ai.onnx' ? '' : (opset.domain ?? '')
    opsets[domain] = toNumber(opset.version)
  }
  const opHistogram: Record<string, number> = {}
  let nodeCount = 0
  for (const g of graphsWithin(graph))
    for (const node of g.node ?? []) {
      nodeCount++
      const key = opKey(node.domain, node.opType)
      opHistogram[key] = (opHistogram[key] ?? 0) + 1
    }
  const parameters = countParameters(model)
  const byDtype: Record<string, DtypeBytes> = Object.fromEntries(parameters.byDtype)
  const inputs = modelInputs(model).map(tensorInfo)
  const macs = macsForOneSample(model)
  const outputs = (graph.output ?? []).map(tensorInfo)
  const inspection: Inspection = {
    format: 'onnx',
    inputs,
    outputs,
    irVersion: toNumber(model.irVersion),
    opsets,
    ...(model.producerName ? { producer: { name: model.producerName, version: model.producerVersion ?? '' } } : {}),
    nodeCount,
    opHistogram,
    parameters: { count: parameters.count, bytes: parameters.bytes, byDtype },
    sizeBytes: files.sizeBytes,
    macs: macs.macs,
    ...(macs.unknownAt ? { macsUnknownAt: macs.unknownAt } : {}),
    warnings: [],
  }
  return { ...inspection, warnings: onnxWarnings(model, inspection, { ...files, parameters }) }
}
