// Reading a TF.js model.json and checking its weights manifest against the shard files beside it: every
// path must stay inside the model's folder (no absolute paths, `..` or symlinks leading out), every shard
// must exist, and the shards of a group must hold at least the bytes its weights need.
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { FileError } from '../errors'
import { resolveContainedFile } from '../fs/contained-file'
import { readUserText } from '../fs/read-user-file'
import type { TfjsFormat } from '../../../preload/api'

export interface WeightQuantization {
  readonly dtype: 'uint8' | 'uint16' | 'float16'
  readonly scale?: number
  readonly min?: number
}

export interface WeightSpec {
  readonly name: string
  readonly shape: readonly number[]
  readonly dtype: string
  readonly quantization?: WeightQuantization
}

export interface WeightGroup {
  /** Absolute, validated shard paths, in manifest order. */
  readonly paths: readonly string[]
  readonly shardSizes: readonly number[]
  readonly weights: readonly WeightSpec[]
}

export interface TfjsModelJson {
  readonly path: string
  readonly dir: string
  readonly format: TfjsFormat
  /** The parsed model.json as is. */
  readonly json: Record<string, unknown>
  readonly modelTopology: Record<string, unknown>
  readonly groups: readonly WeightGroup[]
  /** model.json plus all shards, in bytes. */
  readonly sizeBytes: number
}

const weightDtypes = new Set(['float32', 'int32', 'bool', 'string', 'complex64'])
const quantizedBytes: Readonly<Record<string, number>> = { uint8: 1, uint16: 2, float16: 2 }
const dtypeBytes: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8 }

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Bytes a weight takes in its shard; for strings only the minimum (a 4-byte length per element). */
export function weightByteSize(spec: WeightSpec): number {
  const count = spec.shape.reduce((p, d) => p * d, 1)
  if (spec.quantization) return count * (quantizedBytes[spec.quantization.dtype] ?? 0)
  return count * (spec.dtype === 'string' ? 4 : (dtypeBytes[spec.dtype] ?? 0))
}

function parseWeight(file: string, raw: unknown, where: string): WeightSpec {
  if (!isRecord(raw) || typeof raw.name !== 'string' || !Array.isArray(raw.shape) || typeof raw.dtype !== 'string')
    throw new FileError(file, `${where} is not a weight entry (needs name, shape and dtype)`)
  const label = `weight '${raw.name}'`
  if (!raw.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0))
    throw new FileError(file, `${label} has an invalid shape [${raw.shape.join(', ')}]`)
  if (!weightDtypes.has(raw.dtype)) throw new FileError(file, `${label} has an unknown dtype '${raw.dtype}'`)
  const spec = { name: raw.name, shape: raw.shape as number[], dtype: raw.dtype }
  if (raw.quantization === undefined) return spec
  const q = raw.quantization
  if (!isRecord(q) || typeof q.dtype !== 'string' || !(q.dtype in quantizedBytes))
    throw new FileError(file, `${label} has an unknown quantization dtype '${isRecord(q) ? String(q.dtype) : String(q)}'`)
  return { ...spec, quantization: q as unknown as WeightQuantization }
}

function detectFormat(file: string, json: Record<string, unknown>, topology: Record<string, unknown>): TfjsFormat {
  if (json.format === 'layers-model') return 'tfjs-layers'
  if (json.format === 'graph-model') return 'tfjs-graph'
  if (Array.isArray(topology.node)) return 'tfjs-graph'
  if (typeof topology.class_name === 'string' || isRecord(topology.model_config)) return 'tfjs-layers'
  throw new FileError(file, 'is neither a TF.js layers model nor a graph model (modelTopology has no layers or nodes)')
}

/** Reads and validates a TF.js model.json and its weight shards (their sizes; shard bytes are not read). */
export async function readTfjsModelJson(path: string): Promise<TfjsModelJson> {
  const text = await readUserText(path)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new FileError(path, `is not valid JSON (${(error as Error).message}), so not a TF.js model.json`)
  }
  if (!isRecord(json)) throw new FileError(path, 'is JSON but not an object, so not a TF.js model.json')
  if (!isRecord(json.modelTopology)) throw new FileError(path, 'is not a TF.js model.json: it has no modelTopology')
  const format = detectFormat(path, json, json.modelTopology)
  const manifest = json.weightsManifest ?? []
  if (!Array.isArray(manifest)) throw new FileError(path, 'weightsManifest is not a list')
  const dir = dirname(resolve(path))
  const groups: WeightGroup[] = []
  const seen = new Set<string>()
  let sizeBytes = Buffer.byteLength(text)
  for (const [index, rawGroup] of manifest.entries()) {
    const where = `weightsManifest[${index}]`
    if (!isRecord(rawGroup) || !Array.isArray(rawGroup.paths) || !Array.isArray(rawGroup.weights))
      throw new FileError(path, `${where} needs 'paths' and 'weights' lists`)
    const weights = rawGroup.weights.map((w, i) => parseWeight(path, w, `${where}.weights[${i}]`))
    const shards: { path: string; size: number }[] = []
    for (const shard of rawGroup.paths) {
      if (typeof shard !== 'string') throw new FileError(path, `${where}.paths holds a non-string entry`)
      const resolved = await resolveContainedFile(path, dir, shard, 'weight shard')
      // A shard listed twice would load the same bytes into two sets of weights, silently.
      if (seen.has(resolved.path)) throw new FileError(path, `weight shard '${shard}' is listed more than once`)
      seen.add(resolved.path)
      shards.push(resolved)
    }
    const needed = weights.reduce((sum, w) => sum + weightByteSize(w), 0)
    const present = shards.reduce((sum, s) => sum + s.size, 0)
    // String weights have variable length, so only a lower bound is known for them.
    const exact = !weights.some((w) => w.dtype === 'string' && !w.quantization)
    if (present < needed || (exact && present !== needed))
      throw new FileError(
        path,
        `the weight shards of ${where} (${rawGroup.paths.join(', ')}) hold ${present} bytes but its weights need ${needed}: a shard is ${present < needed ? 'truncated' : 'too long'} or the wrong file`,
      )
    sizeBytes += present
    groups.push({ paths: shards.map((s) => s.path), shardSizes: shards.map((s) => s.size), weights })
  }
  return { path, dir, format, json, modelTopology: json.modelTopology, groups, sizeBytes }
}

/**
 * All weight bytes, shards concatenated in manifest order (the layout TF.js's `weightData` expects), with
 * the specs in the same order. Each shard is re-checked against the size seen when the manifest was read.
 */
export async function readTfjsWeightData(model: TfjsModelJson): Promise<{ specs: WeightSpec[]; data: Uint8Array }> {
  const total = model.groups.reduce((sum, g) => sum + g.shardSizes.reduce((a, b) => a + b, 0), 0)
  const data = new Uint8Array(total)
  let offset = 0
  for (const group of model.groups)
    for (const [i, shard] of group.paths.entries()) {
      const bytes = await readFile(shard)
      if (bytes.length !== group.shardSizes[i]) throw new FileError(shard, 'changed while being read')
      data.set(bytes, offset)
      offset += bytes.length
    }
  return { specs: model.groups.flatMap((g) => [...g.weights]), data }
}
