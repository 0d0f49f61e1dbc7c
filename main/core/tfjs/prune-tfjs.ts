// `prune` (magnitude) for TF.js models: the smallest kernel weights of convolution and dense layers become
// exact zeros, reported the way ONNX pruning reports them (achieved sparsity per layer, gzip size). Pruned
// weights keep their parent's storage (a uint8 kernel is requantized to uint8: the converter's nudged range
// keeps 0.0 exact). TF.js runs dense kernels, so the model is no faster; the zeros pay off compressed.
import { gzip } from 'node:zlib'
import { promisify } from 'node:util'
import type { MagnitudeLayer, MagnitudePruneSummary, TfjsPruneOptions, TfjsPruneResult, Validation } from '../../../preload/api'
import { FileError } from '../errors'
import type { JobContext } from '../jobs/job-context'
import { magnitudeThreshold } from '../optimize/prune-magnitude'
import { checkSparsity } from '../optimize/prune-limits'
import { readTfjsArtifacts, weightEntries, type TfjsArtifacts } from './node-io-handler'
import { compareTfjsModels, loadTfjsModel } from './tfjs-model'
import { dequantizeWeight, quantizeWeight } from './weight-quantization'
import { writeRewrittenModel, type WeightEntry } from './write-tfjs-model'

const gzipAsync = promisify(gzip)

export interface TfjsPruneParams extends TfjsPruneOptions {
  readonly modelPath: string
  readonly outDir: string
}

/** A prunable kernel: the manifest entry index, the layer (or graph node) using it, and its op. */
interface Kernel {
  readonly entry: number
  readonly layer: string
  readonly opType: string
}

const kernelRoles = new Set(['kernel', 'depthwise_kernel', 'pointwise_kernel'])
const graphWeightOps = new Set(['Conv2D', '_FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative', 'MatMul', '_FusedMatMul', 'Conv2DBackpropInput'])

type Json = Record<string, unknown>
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

function layerClasses(topology: Json): Map<string, string> {
  const modelConfig = isRecord(topology.model_config) ? topology.model_config : topology
  const config = modelConfig.config
  const layers = Array.isArray(config) ? config : isRecord(config) && Array.isArray(config.layers) ? config.layers : []
  const classes = new Map<string, string>()
  for (const layer of layers.filter(isRecord)) {
    const name = layer.name ?? (isRecord(layer.config) ? layer.config.name : undefined)
    if (typeof name === 'string') classes.set(name, String(layer.class_name ?? ''))
  }
  return classes
}

/** Kernels in model order: layers-models by weight role, graph-models by the ops that consume a weight. */
export function findKernels(artifacts: TfjsArtifacts): Kernel[] {
  const index = new Map(artifacts.specs.map((spec, i) => [spec.name, i]))
  const topology = artifacts.json.modelTopology as Json
  if (artifacts.format === 'tfjs-graph') {
    const nodes = Array.isArray(topology.node) ? topology.node.filter(isRecord) : []
    return nodes.flatMap((node) => {
      const weight = Array.isArray(node.input) ? String(node.input[1] ?? '') : ''
      const entry = index.get(weight)
      return graphWeightOps.has(String(node.op)) && entry !== undefined ? [{ entry, layer: String(node.name), opType: String(node.op) }] : []
    })
  }
  const classes = layerClasses(topology)
  const order = [...classes.keys()]
  const position = (layer: string): number => (order.includes(layer) ? order.indexOf(layer) : order.length)
  // The manifest need not follow the model; first and last are meant in the topology's order.
  return artifacts.specs
    .flatMap((spec, entry) => {
      const cut = spec.name.lastIndexOf('/')
      const role = spec.name.slice(cut + 1).replace(/:\d+$/, '')
      const layer = spec.name.slice(0, cut)
      return kernelRoles.has(role) ? [{ entry, layer, role, opType: classes.get(layer) ?? 'unknown' }] : []
    })
    .sort((a, b) => position(a.layer) - position(b.layer))
    .map(({ entry, layer, role, opType }) => ({ entry, layer: role === 'kernel' ? layer : `${layer}/${role}`, opType }))
}

/** Zeros the `count` smallest magnitudes across `values` (ties at the threshold in order), in place. */
function zeroSmallest(values: readonly Float32Array[], count: number): void {
  const threshold = magnitudeThreshold(values, count)
  let left = count
  for (const data of values) for (let i = 0; i < data.length; i++) if (Math.abs(data[i] as number) < threshold) left--
  for (const data of values)
    for (let i = 0; i < data.length; i++) {
      const a = Math.abs(data[i] as number)
      if (a < threshold || (a === threshold && left-- > 0)) data[i] = 0
    }
}

function zeroCount(data: Float32Array): number {
  let n = 0
  for (const v of data) if (v === 0) n++
  return n
}

export function pruneEntries(
  artifacts: TfjsArtifacts,
  entries: readonly WeightEntry[],
  options: TfjsPruneOptions,
): { entries: WeightEntry[]; summary: MagnitudePruneSummary } {
  checkSparsity(options.sparsity)
  const scope = options.scope ?? 'global'
  const kernels = findKernels(artifacts)
  if (kernels.length === 0) throw new FileError(artifacts.path, 'the model has no convolution or dense kernel to prune')
  const excluded = new Set(options.excludeLayers ?? [])
  const skip = (k: Kernel, position: number): string | undefined => {
    if (entries[k.entry]?.spec.dtype !== 'float32') return 'weights are not float32'
    if (excluded.has(k.layer)) return 'excluded'
    if (!options.includeFirstLast && (position === 0 || position === kernels.length - 1)) return position === 0 ? 'first layer' : 'last layer'
    return undefined
  }
  const reasons = kernels.map(skip)
  const chosen = kernels.filter((_, i) => reasons[i] === undefined)
  if (chosen.length === 0) throw new FileError(artifacts.path, `no layer can be pruned (${[...new Set(reasons)].join(', ')})`)
  const count = (e: WeightEntry): number => e.spec.shape.reduce((a, b) => a * b, 1)
  const values = new Map(chosen.map((k) => [k.entry, dequantizeWeight(entries[k.entry]!.bytes, count(entries[k.entry]!), entries[k.entry]!.spec.quantization)]))
  const groups = scope === 'global' ? [[...values.values()]] : [...values.values()].map((v) => [v])
  for (const group of groups) zeroSmallest(group, Math.round(options.sparsity * group.reduce((n, v) => n + v.length, 0)))

  const out = entries.map((entry, i): WeightEntry => {
    const data = values.get(i)
    if (!data) return entry
    if (!entry.spec.quantization) return { spec: entry.spec, bytes: new Uint8Array(data.buffer) }
    const q = quantizeWeight(data, entry.spec.quantization.dtype)
    return { spec: { ...entry.spec, quantization: q.quantization }, bytes: q.bytes }
  })
  const layers = kernels.map((k, i): MagnitudeLayer => {
    const data = values.get(k.entry) ?? dequantizeWeight(entries[k.entry]!.bytes, count(entries[k.entry]!), entries[k.entry]!.spec.quantization)
    return { node: k.layer, opType: k.opType, weights: data.length, sparsity: zeroCount(data) / data.length, ...(reasons[i] ? { kept: reasons[i] } : {}) }
  })
  const pruned = [...values.values()]
  return {
    entries: out,
    summary: {
      method: 'magnitude',
      scope,
      targetSparsity: options.sparsity,
      achievedSparsity: pruned.reduce((n, v) => n + zeroCount(v), 0) / pruned.reduce((n, v) => n + v.length, 0),
      layers,
    },
  }
}

async function gzipBytes(chunks: readonly Uint8Array[]): Promise<number> {
  return (await gzipAsync(Buffer.concat(chunks), { level: 9 })).length
}

export async function pruneTfjs(params: TfjsPruneParams, ctx: JobContext): Promise<TfjsPruneResult> {
  ctx.progress(0, 'reading')
  const artifacts = await readTfjsArtifacts(params.modelPath)
  const entries = weightEntries(artifacts)
  ctx.throwIfCancelled()
  ctx.progress(0.1, 'pruning')
  const pruned = pruneEntries(artifacts, entries, params)
  const written = await writeRewrittenModel(artifacts, params.outDir, pruned.entries)
  ctx.throwIfCancelled()
  ctx.progress(0.5, 'validating', 'loading the result in TensorFlow.js and comparing its outputs with the parent')
  const parent = await loadTfjsModel(params.modelPath)
  const child = await loadTfjsModel(written.modelPath, parent.backend)
  let check: Validation
  try {
    check = await compareTfjsModels(parent, child, 4, 1)
  } finally {
    parent.dispose()
    child.dispose()
  }
  ctx.progress(0.9, 'measuring', 'gzip sizes')
  const sizes = {
    parentBytes: artifacts.sizeBytes,
    bytes: written.bytes,
    parentGzipBytes: await gzipBytes([artifacts.weightData]),
    gzipBytes: await gzipBytes(pruned.entries.map((e) => e.bytes)),
  }
  ctx.progress(1, 'done')
  const ratio = (sizes.gzipBytes / sizes.parentGzipBytes).toFixed(2)
  return {
    format: artifacts.format,
    modelPath: written.modelPath,
    files: written.files,
    summary: pruned.summary,
    sizes,
    validation: check,
    backend: parent.backend.label,
    notes: [
      'TF.js runs dense kernels, which do not skip zeros: this model is as fast and its shards as large as its parent.',
      `The zeros pay when the shards are compressed, as web servers do (gzip ${sizes.gzipBytes} bytes, ${ratio}x of the parent's ${sizes.parentGzipBytes}).`,
      'No fine-tuning happens here: check the accuracy on labelled data before deploying.',
    ],
  }
}
