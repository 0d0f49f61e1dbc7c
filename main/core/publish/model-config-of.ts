// A Triton ModelConfig for a model from its inspection, written with the server's own config code
// (server/model-config.ts), so that config.pbtxt files Slipway exports, uploads and serves are one format.
import type { Inspection, TensorInfo } from '../../../preload/api'
import { datatypeFromOrt } from '../serving/datatypes'
import { MODEL_NAME_PATTERN, ONNX_PLATFORM, type ModelConfig, type TensorConfig } from '../serving/model-config'
import { UserError } from '../errors'

/** Triton's ONNX backend default when the model does not say (auto-complete uses 4). */
export const DEFAULT_MAX_BATCH = 4

export function checkModelName(name: string): string {
  if (!MODEL_NAME_PATTERN.test(name)) throw new UserError(`model name '${name}' must start with a letter or digit and hold only letters, digits, '.', '_' or '-' (at most 128)`)
  return name
}

/** Batchable as Triton sees it: every input and output has a variable first dimension. */
export function isBatchable(inspection: Inspection): boolean {
  return [...inspection.inputs, ...inspection.outputs].every((t) => t.shape.length > 0 && typeof t.shape[0] !== 'number')
}

function tensorConfig(tensor: TensorInfo, batched: boolean): TensorConfig {
  const datatype = datatypeFromOrt(tensor.dtype)
  if (!datatype) throw new UserError(`tensor '${tensor.name}' has type ${tensor.dtype}, which Triton cannot serve`)
  const dims = tensor.shape.map((d) => (typeof d === 'number' && d > 0 ? d : -1))
  return { name: tensor.name, datatype, dims: batched ? dims.slice(1) : dims }
}

/**
 * Inputs, outputs and dims from the model; a batchable model gets `maxBatch` (the largest batch it was
 * benchmarked at, else Triton's default 4) and dynamic batching.
 */
export function modelConfigFor(name: string, inspection: Inspection, maxBatch = DEFAULT_MAX_BATCH): ModelConfig {
  if (inspection.format !== 'onnx') throw new UserError(`a ${inspection.format} model cannot be served by Triton: convert it to ONNX first`)
  const batched = isBatchable(inspection)
  return {
    name: checkModelName(name),
    platform: ONNX_PLATFORM,
    maxBatchSize: batched ? Math.max(1, maxBatch) : 0,
    inputs: inspection.inputs.map((t) => tensorConfig(t, batched)),
    outputs: inspection.outputs.map((t) => tensorConfig(t, batched)),
    versionPolicy: { kind: 'latest', numVersions: 1 },
    ...(batched ? { dynamicBatching: { preferredBatchSize: [], maxQueueDelayMicroseconds: 100 } } : {}),
    instanceCount: 1,
    parameters: {},
  }
}
