// Loading TF.js models from disk in Node. The bytes come from the validated model.json reader (paths kept
// inside the model's folder, shard lengths and dtypes checked), never from a file:// fetch, and are handed
// to TF.js as in-memory artifacts: TF.js itself then decodes the weights (dequantizing uint8/uint16/float16
// as it does in a browser), so what loads here is what a browser would load.
import type { TfjsFormat } from '../../../preload/api'
import type * as tf from '@tensorflow/tfjs'
import { readTfjsModelJson, readTfjsWeightData, weightByteSize, type TfjsModelJson, type WeightSpec } from './model-json'
import type { WeightEntry } from './write-tfjs-model'

export interface TfjsArtifacts {
  readonly path: string
  readonly format: TfjsFormat
  /** model.json as parsed, every key kept (modelTopology, format, generatedBy, signature, ...). */
  readonly json: Readonly<Record<string, unknown>>
  readonly specs: readonly WeightSpec[]
  /** The shards' bytes concatenated in manifest order. */
  readonly weightData: Uint8Array
  /** model.json plus shards, in bytes. */
  readonly sizeBytes: number
}

/** model.json and its shards through the validated reader. */
export async function readTfjsArtifacts(path: string): Promise<TfjsArtifacts> {
  const model: TfjsModelJson = await readTfjsModelJson(path)
  const { specs, data } = await readTfjsWeightData(model)
  return { path, format: model.format, json: model.json, specs, weightData: data, sizeBytes: model.sizeBytes }
}

/** Each manifest entry with its own bytes (views into weightData; the reader checked that they are there). */
export function weightEntries(artifacts: TfjsArtifacts): WeightEntry[] {
  let offset = 0
  return artifacts.specs.map((spec) => {
    const length = weightByteSize(spec)
    const bytes = artifacts.weightData.subarray(offset, offset + length)
    offset += length
    return { spec, bytes }
  })
}

/** A TF.js IOHandler over artifacts already read and validated. */
export function ioHandlerFor(artifacts: TfjsArtifacts): tf.io.IOHandler {
  const { weightData, json } = artifacts
  return {
    load: async () => ({
      modelTopology: json.modelTopology as object,
      format: artifacts.format === 'tfjs-graph' ? 'graph-model' : 'layers-model',
      ...(typeof json.generatedBy === 'string' ? { generatedBy: json.generatedBy } : {}),
      ...(typeof json.convertedBy === 'string' ? { convertedBy: json.convertedBy } : {}),
      ...(json.signature ? { signature: json.signature as object } : {}),
      ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata as Record<string, object> } : {}),
      ...(json.modelInitializer ? { modelInitializer: json.modelInitializer as object } : {}),
      weightSpecs: artifacts.specs as tf.io.WeightsManifestEntry[],
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer,
    }),
  }
}
