// Checks an infer request's header against the model's config before any tensor data is decoded: names,
// datatypes, ranks, fixed dims and the batch dim. Requests merged by the batcher rely on these checks.
import { HttpError } from './http-error'
import type { InferHead } from './infer-codec'
import type { ModelConfig, TensorConfig } from '../main/core/serving/model-config'

function fullShape(config: ModelConfig, tensor: TensorConfig): number[] {
  return config.maxBatchSize > 0 ? [-1, ...tensor.dims] : tensor.dims
}

export function checkRequest(config: ModelConfig, request: Pick<InferHead, 'outputs'> & { inputs: readonly { name: string; datatype: string; shape: number[] }[] }): void {
  const given = new Map(request.inputs.map((t) => [t.name, t]))
  let batch: number | undefined
  for (const expected of config.inputs) {
    const input = given.get(expected.name)
    if (!input) throw new HttpError(400, `input '${expected.name}' is missing`)
    given.delete(expected.name)
    const where = `input '${expected.name}'`
    if (input.datatype !== expected.datatype) {
      throw new HttpError(400, `${where}: datatype ${input.datatype} given, model expects ${expected.datatype}`)
    }
    const shape = fullShape(config, expected)
    if (input.shape.length !== shape.length) {
      throw new HttpError(400, `${where}: rank ${input.shape.length} given, model expects ${shape.length}`)
    }
    shape.forEach((dim, i) => {
      if (dim > 0 && input.shape[i] !== dim) throw new HttpError(400, `${where}: dim ${i} must be ${dim}`)
    })
    if (config.maxBatchSize > 0) {
      const b = input.shape[0]!
      if (b < 1 || b > config.maxBatchSize) throw new HttpError(400, `${where}: batch size must be 1..${config.maxBatchSize}`)
      if (batch !== undefined && b !== batch) throw new HttpError(400, 'inputs disagree on the batch size')
      batch = b
    }
  }
  const unknown = given.keys().next()
  if (!unknown.done) throw new HttpError(400, `input '${unknown.value}' is not an input of the model`)
  for (const output of request.outputs ?? []) {
    if (!config.outputs.some((o) => o.name === output.name)) {
      throw new HttpError(400, `output '${output.name}' is not an output of the model`)
    }
  }
}

/** The single input a raw binary body stands for, or undefined when the model cannot take one. */
export function rawInput(config: ModelConfig): { name: string; datatype: TensorConfig['datatype']; shape: number[] } | undefined {
  if (config.inputs.length !== 1) return undefined
  const input = config.inputs[0]!
  const shape = config.maxBatchSize > 0 ? [1, ...input.dims] : input.dims
  if (shape.some((d) => d < 0)) return undefined
  return { name: input.name, datatype: input.datatype, shape }
}
