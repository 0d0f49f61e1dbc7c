// Opening one model version: digest check, the external-data confinement check, an ONNX Runtime session
// from the model's own path in its version folder (so external data resolves there and nowhere else),
// config completion from the model's own metadata, and a warm-up run that doubles as smoke test.
// ONNX Runtime's own errors are never passed on: they may hold paths.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { UserError } from '../main/core/errors'
import { externalDataFiles } from '../main/core/onnx/external-data'
import { parseOnnxModel } from '../main/core/onnx/model-file'
import type { ModelProto } from '../main/core/onnx/onnx-types'
import { BatchRunner } from './batch-runner'
import { DATATYPES, datatypeFromOrt, type TypedArray } from '../main/core/serving/datatypes'
import { DriftMonitor } from './drift'
import { HttpError } from './http-error'
import type { ServerMetrics, VersionRecorder } from './metrics'
import { ONNX_PLATFORM, sessionSettingsOf, type ModelConfig, type TensorConfig } from '../main/core/serving/model-config'
import { MODEL_FILE, type VersionRecord } from './repository'

export interface LoadedVersion {
  version: number
  session: ort.InferenceSession
  runner: BatchRunner
  recorder: VersionRecorder
  record: VersionRecord | undefined
  drift: DriftMonitor | undefined
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function tensorsOf(metadata: readonly ort.InferenceSession.ValueMetadata[], batched: boolean, where: string): TensorConfig[] {
  return metadata.map((m) => {
    if (!m.isTensor) throw new HttpError(400, `${where} '${m.name}' is not a tensor`)
    const datatype = datatypeFromOrt(m.type)
    if (!datatype) throw new HttpError(400, `${where} '${m.name}' has unsupported type ${m.type}`)
    const dims = m.shape.map((d) => (typeof d === 'number' && d > 0 ? d : -1))
    return { name: m.name, datatype, dims: batched ? dims.slice(1) : dims }
  })
}

/**
 * Triton's auto-complete for ONNX: inputs and outputs from the model; a model whose every tensor has a
 * variable first dim is batchable, with max_batch_size 4 and dynamic batching, as Triton's ONNX backend does.
 */
export function completeConfig(session: ort.InferenceSession, name: string, given?: ModelConfig): ModelConfig {
  const all = [...session.inputMetadata, ...session.outputMetadata]
  const batchable = all.every((m) => m.isTensor && m.shape.length > 0 && typeof m.shape[0] !== 'number')
  const config: ModelConfig = given ?? {
    name,
    platform: ONNX_PLATFORM,
    maxBatchSize: batchable ? 4 : 0,
    inputs: [],
    outputs: [],
    versionPolicy: { kind: 'latest', numVersions: 1 },
    instanceCount: 1,
    parameters: {},
    ...(batchable ? { dynamicBatching: { preferredBatchSize: [], maxQueueDelayMicroseconds: 0 } } : {}),
  }
  if (config.maxBatchSize > 0 && !batchable) {
    throw new HttpError(400, 'max_batch_size > 0 needs a variable first dimension on every input and output')
  }
  const inputs = tensorsOf(session.inputMetadata, config.maxBatchSize > 0, 'input')
  const outputs = tensorsOf(session.outputMetadata, config.maxBatchSize > 0, 'output')
  const check = (declared: TensorConfig[], actual: TensorConfig[], where: string): TensorConfig[] => {
    if (declared.length === 0) return actual
    for (const d of declared) {
      const a = actual.find((t) => t.name === d.name)
      if (!a) throw new HttpError(400, `config ${where} '${d.name}' is not in the model`)
      if (a.datatype !== d.datatype) throw new HttpError(400, `config ${where} '${d.name}' has type ${d.datatype}, model has ${a.datatype}`)
      if (a.dims.length !== d.dims.length) throw new HttpError(400, `config ${where} '${d.name}' has the wrong rank`)
    }
    return declared
  }
  return { ...config, inputs: check(config.inputs, inputs, 'input'), outputs: check(config.outputs, outputs, 'output') }
}

function warmupFeeds(config: ModelConfig): Record<string, ort.Tensor> | undefined {
  const feeds: Record<string, ort.Tensor> = {}
  for (const input of config.inputs) {
    if (input.datatype === 'BYTES') return undefined
    const dims = [...(config.maxBatchSize > 0 ? [1] : []), ...input.dims.map((d) => (d < 0 ? 1 : d))]
    const count = dims.reduce((a, b) => a * b, 1)
    feeds[input.name] = new ort.Tensor(DATATYPES[input.datatype].ort, DATATYPES[input.datatype].make(count) as TypedArray, dims)
  }
  return feeds
}

/** Server-wide settings every opened version gets. */
export interface RuntimeOptions {
  /** Queue bound when config.pbtxt sets none. */
  defaultQueueSize: number
  /** A request still queued after this long is answered 504 instead of being run. */
  queueTimeoutMs: number
  /** ONNX Runtime intra-op threads per session; 0 leaves ONNX Runtime's default. */
  intraOpThreads: number
}

export interface OpenOptions {
  name: string
  version: number
  /** The version folder: model.onnx and the external data files it names, nothing else is read. */
  dir: string
  record: VersionRecord | undefined
  config: ModelConfig | undefined
  metrics: ServerMetrics
  runtime: RuntimeOptions
}

/**
 * Refuses a version whose tensors read anything but regular files inside its own folder (any depth,
 * subgraphs included), or whose side files differ from the ones its record lists. Messages name files
 * relative to the version folder only.
 */
export async function checkVersionFiles(dir: string, version: number, bytes: Uint8Array, record: VersionRecord | undefined): Promise<void> {
  const path = join(dir, MODEL_FILE)
  const clientSafe = (error: unknown, what: string): never => {
    if (!(error instanceof UserError)) throw error
    const problem = error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message
    throw new HttpError(400, `version ${version} ${what}: ${problem.replaceAll(dir, '<version folder>')}`)
  }
  let model: ModelProto
  try {
    model = parseOnnxModel(path, bytes)
  } catch (error) {
    return clientSafe(error, 'is not a valid ONNX model')
  }
  let files: { location: string; size: number }[]
  try {
    files = await externalDataFiles(path, model)
  } catch (error) {
    return clientSafe(error, 'has external data that is not confined to its version folder')
  }
  if (!record?.files) return
  const listed = new Map(record.files.map((f) => [f.name, f.size]))
  for (const file of files) {
    if (listed.get(file.location) !== file.size) throw new HttpError(409, `version ${version}: external data file '${file.location}' does not match its record`)
    listed.delete(file.location)
  }
  const extra = listed.keys().next()
  if (!extra.done) throw new HttpError(400, `version ${version}: file '${extra.value}' is not external data of the model`)
}

/** Opens, checks and warms a version. Throws an HttpError with a client-safe message on any failure. */
export async function openVersion(options: OpenOptions): Promise<{ loaded: LoadedVersion; config: ModelConfig }> {
  const { name, version, dir, record } = options
  const bytes = await readFile(join(dir, MODEL_FILE))
  if (record && sha256Hex(bytes) !== record.sha256) {
    throw new HttpError(409, `version ${version} does not match its recorded sha256 (file changed on disk)`)
  }
  await checkVersionFiles(dir, version, bytes, record)
  let session: ort.InferenceSession
  try {
    // From the path, not the bytes: ONNX Runtime resolves external data against the model's folder
    // (checked above), where bytes would make it resolve against the server's working directory.
    // The model's config (a tuned variant's session settings) wins over the server's defaults.
    const asked = sessionSettingsOf(options.config ?? { parameters: {} })
    const threads = asked.intraOpThreads ?? options.runtime.intraOpThreads
    session = await ort.InferenceSession.create(join(dir, MODEL_FILE), {
      graphOptimizationLevel: asked.graphOptimizationLevel,
      ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
    })
  } catch {
    throw new HttpError(400, `version ${version} is not a model ONNX Runtime can load`)
  }
  try {
    const config = completeConfig(session, name, options.config)
    const feeds = warmupFeeds(config)
    if (feeds) {
      const outputs = await session.run(feeds).catch(() => {
        throw new HttpError(400, `version ${version} failed its warm-up run`)
      })
      const missing = config.outputs.find((o) => !(o.name in outputs))
      if (missing) throw new HttpError(400, `version ${version} did not produce output '${missing.name}'`)
    }
    const recorder = options.metrics.recorder(name, version)
    const runner = new BatchRunner(
      session,
      {
        maxBatchSize: config.maxBatchSize,
        ...(config.dynamicBatching ? { batching: config.dynamicBatching } : {}),
        instanceCount: config.instanceCount,
        maxQueueSize: config.maxQueueSize ?? options.runtime.defaultQueueSize,
        queueTimeoutMs: options.runtime.queueTimeoutMs,
      },
      recorder,
    )
    const drift = record?.inputStats ? new DriftMonitor(record.inputStats) : undefined
    return { loaded: { version, session, runner, recorder, record, drift }, config }
  } catch (error) {
    await session.release()
    throw error
  }
}

/** Lets queued and running requests finish on a replaced version, then frees its session. */
export async function retireVersion(loaded: LoadedVersion): Promise<void> {
  await loaded.runner.drain()
  await loaded.session.release()
}
