// What the benchmark engine reads of a TF.js model without loading TF.js: whether a path is one, and its
// inputs, outputs and size from model.json and the weights manifest.
import { extname } from 'node:path'
import type { ModelIo } from '../bench/model-io'
import { inspectTfjs } from './inspect-tfjs'
import { readTfjsModelJson } from './model-json'

export function isTfjsModelPath(path: string): boolean {
  return extname(path).toLowerCase() === '.json'
}

/** Inputs, outputs and size of a TF.js model, from model.json and its manifest (no TF.js load). */
export async function readTfjsModelIo(path: string): Promise<ModelIo> {
  const model = await readTfjsModelJson(path)
  const inspection = inspectTfjs(model)
  const io = (t: { name: string; dtype: string; shape: readonly (number | string)[] }) => ({ name: t.name, dtype: t.dtype, dims: t.shape })
  return { path, runtime: 'tfjs', inputs: inspection.inputs.map(io), outputs: inspection.outputs.map(io), sizeBytes: model.sizeBytes }
}
