// Writing a TF.js model folder the way tensorflowjs_converter lays it out: model.json plus one weight group
// whose bytes (in manifest order) are cut into 4 MiB shards named group1-shardNofM.bin. Every file is
// written atomically and model.json last, so a reader never sees a manifest whose shards are missing.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../serving/atomic-write'
import type { WeightSpec } from './model-json'

export interface WeightEntry {
  readonly spec: WeightSpec
  /** The stored bytes (quantized values when spec.quantization is set). */
  readonly bytes: Uint8Array
}

/** tensorflowjs_converter's default --weight_shard_size_bytes. */
export const defaultShardBytes = 4 * 1024 * 1024

export interface WrittenTfjsModel {
  readonly modelPath: string
  /** Absolute paths of every file written, model.json first. */
  readonly files: readonly string[]
  readonly bytes: number
  readonly weightBytes: number
}

export function shardNames(totalBytes: number, shardBytes = defaultShardBytes): string[] {
  const count = Math.max(1, Math.ceil(totalBytes / shardBytes))
  return Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`)
}

/**
 * Writes `json` (model.json's other keys: format, modelTopology, ...) with a manifest for `weights` into
 * `dir`. The manifest keeps the entries' order, which is also their order in the shards.
 */
export async function writeTfjsModel(
  dir: string,
  json: Readonly<Record<string, unknown>>,
  weights: readonly WeightEntry[],
  shardBytes = defaultShardBytes,
): Promise<WrittenTfjsModel> {
  await mkdir(dir, { recursive: true })
  const total = weights.reduce((sum, w) => sum + w.bytes.length, 0)
  const all = new Uint8Array(total)
  let offset = 0
  for (const w of weights) {
    all.set(w.bytes, offset)
    offset += w.bytes.length
  }
  const paths = shardNames(total, shardBytes)
  const files: string[] = []
  for (const [i, name] of paths.entries()) {
    const path = join(dir, name)
    await writeFileAtomic(path, all.subarray(i * shardBytes, Math.min(total, (i + 1) * shardBytes)))
    files.push(path)
  }
  const manifest = [{ paths, weights: weights.map((w) => w.spec) }]
  const text = `${JSON.stringify({ ...json, weightsManifest: manifest })}\n`
  const modelPath = join(dir, 'model.json')
  await writeFileAtomic(modelPath, text)
  return { modelPath, files: [modelPath, ...files], bytes: total + Buffer.byteLength(text), weightBytes: total }
}

/** Writes `weights` into `dir` with every other key of the source model.json kept as it was. */
export function writeRewrittenModel(
  source: { readonly json: Readonly<Record<string, unknown>> },
  dir: string,
  weights: readonly WeightEntry[],
): Promise<WrittenTfjsModel> {
  const { weightsManifest: _, ...rest } = source.json
  return writeTfjsModel(dir, rest, weights)
}
