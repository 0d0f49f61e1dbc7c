// Triton's ModelConfig, the subset Slipway reads and writes, in three forms: config.pbtxt on disk, the JSON
// of the model_configuration extension (and of the repository `load` override), and a typed object.
// The serving pointer lives here too, so that one atomic rename of config.pbtxt moves it and Triton, reading
// the same file, serves the same versions: `version_policy: specific` lists the serving (and canary) version.
import { z } from 'zod'
import { configTypeOf, datatypeOfConfigType, type Datatype } from './datatypes'
import { PbtxtEnum, parsePbtxt, writePbtxt, type PbtxtMessage, type PbtxtValue } from './pbtxt'

export interface TensorConfig {
  name: string
  datatype: Datatype
  /** Dims without the batch dimension when maxBatchSize > 0; -1 for a variable dim. */
  dims: number[]
}

export type VersionPolicy =
  | { kind: 'latest'; numVersions: number }
  | { kind: 'all' }
  | { kind: 'specific'; versions: number[] }

export interface DynamicBatching {
  preferredBatchSize: number[]
  maxQueueDelayMicroseconds: number
}

export interface ModelConfig {
  name: string
  platform: string
  maxBatchSize: number
  inputs: TensorConfig[]
  outputs: TensorConfig[]
  versionPolicy: VersionPolicy
  dynamicBatching?: DynamicBatching
  /** Bounded queue per model; Triton's `dynamic_batching.default_queue_policy.max_queue_size`. */
  maxQueueSize?: number
  instanceCount: number
  parameters: Record<string, string>
  /** Triton's `optimization.graph.level` for ONNX Runtime: -1 basic, 1 basic and extended, 2 none; absent: all. */
  graphLevel?: number
}

export const ONNX_PLATFORM = 'onnxruntime_onnx'
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/
export const VERSION_PATTERN = /^[1-9][0-9]{0,8}$/

/** ONNX Runtime's session graph optimization levels as Triton's config writes them ('all' is the default, written as nothing). */
export const TRITON_GRAPH_LEVELS = { basic: -1, extended: 1, disabled: 2 } as const
export const INTRA_OP_THREADS = 'intra_op_thread_count'

export type SessionGraphLevel = keyof typeof TRITON_GRAPH_LEVELS | 'all'

/** The session settings a config asks for, in ONNX Runtime's terms (what Triton's ONNX backend reads). */
export function sessionSettingsOf(config: Pick<ModelConfig, 'graphLevel' | 'parameters'>): { graphOptimizationLevel: SessionGraphLevel; intraOpThreads?: number } {
  const level = (Object.keys(TRITON_GRAPH_LEVELS) as (keyof typeof TRITON_GRAPH_LEVELS)[]).find((key) => TRITON_GRAPH_LEVELS[key] === config.graphLevel)
  const threads = Number(config.parameters[INTRA_OP_THREADS] ?? 0)
  return { graphOptimizationLevel: level ?? 'all', ...(threads > 0 ? { intraOpThreads: threads } : {}) }
}

/** A config that asks for these session settings: threads as Triton's parameters, the level as its graph optimization. */
export function withSessionSettings(config: ModelConfig, settings: { intraOpThreads: number; graphOptimizationLevel: SessionGraphLevel }): ModelConfig {
  const { graphLevel: _previous, ...rest } = config
  return {
    ...rest,
    parameters: { ...config.parameters, [INTRA_OP_THREADS]: String(settings.intraOpThreads), inter_op_thread_count: '1' },
    ...(settings.graphOptimizationLevel === 'all' ? {} : { graphLevel: TRITON_GRAPH_LEVELS[settings.graphOptimizationLevel] }),
  }
}

export class ModelConfigError extends Error {
  override name = 'ModelConfigError'
}

function fail(message: string): never {
  throw new ModelConfigError(message)
}

function scalarOf(values: PbtxtValue[] | undefined): PbtxtValue | undefined {
  return values?.[values.length - 1]
}

function numberField(message: PbtxtMessage, field: string, fallback: number): number {
  const value = scalarOf(message[field])
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(`'${field}' must be an integer`)
  return value
}

function stringField(message: PbtxtMessage, field: string): string | undefined {
  const value = scalarOf(message[field])
  if (value === undefined) return undefined
  if (typeof value !== 'string') fail(`'${field}' must be a string`)
  return value
}

function messages(message: PbtxtMessage, field: string): PbtxtMessage[] {
  return (message[field] ?? []).map((value) => {
    if (typeof value !== 'object' || value instanceof PbtxtEnum) fail(`'${field}' must be a message`)
    return value
  })
}

function numbers(message: PbtxtMessage, field: string): number[] {
  return (message[field] ?? []).map((value) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) fail(`'${field}' must hold integers`)
    return value
  })
}

function tensorFromPbtxt(message: PbtxtMessage, where: string): TensorConfig {
  const name = stringField(message, 'name') ?? fail(`${where} needs a name`)
  const typeValue = scalarOf(message['data_type'])
  const typeName = typeValue instanceof PbtxtEnum ? typeValue.name : String(typeValue)
  const datatype = datatypeOfConfigType(typeName) ?? fail(`${where} '${name}' has unsupported data_type ${typeName}`)
  return { name, datatype, dims: numbers(message, 'dims') }
}

/** Reads config.pbtxt text; `name` falls back to the directory name, as Triton does. */
export function configFromPbtxt(text: string, directoryName: string): ModelConfig {
  const message = parsePbtxt(text)
  const policy = messages(message, 'version_policy')[0]
  let versionPolicy: VersionPolicy = { kind: 'latest', numVersions: 1 }
  if (policy?.['all']) versionPolicy = { kind: 'all' }
  else if (policy?.['specific']) {
    versionPolicy = { kind: 'specific', versions: numbers(messages(policy, 'specific')[0] ?? {}, 'versions') }
  } else if (policy?.['latest']) {
    versionPolicy = { kind: 'latest', numVersions: numberField(messages(policy, 'latest')[0] ?? {}, 'num_versions', 1) }
  }
  const batching = messages(message, 'dynamic_batching')[0]
  const queuePolicy = batching ? messages(batching, 'default_queue_policy')[0] : undefined
  const parameters: Record<string, string> = {}
  for (const entry of messages(message, 'parameters')) {
    const key = stringField(entry, 'key') ?? fail('parameters need a key')
    const value = messages(entry, 'value')[0]
    parameters[key] = (value && stringField(value, 'string_value')) ?? ''
  }
  const config: ModelConfig = {
    name: stringField(message, 'name') ?? directoryName,
    platform: stringField(message, 'platform') ?? ONNX_PLATFORM,
    maxBatchSize: numberField(message, 'max_batch_size', 0),
    inputs: messages(message, 'input').map((m) => tensorFromPbtxt(m, 'input')),
    outputs: messages(message, 'output').map((m) => tensorFromPbtxt(m, 'output')),
    versionPolicy,
    instanceCount: Math.max(1, ...messages(message, 'instance_group').map((g) => numberField(g, 'count', 1))),
    parameters,
  }
  if (batching) {
    config.dynamicBatching = {
      preferredBatchSize: numbers(batching, 'preferred_batch_size'),
      maxQueueDelayMicroseconds: numberField(batching, 'max_queue_delay_microseconds', 0),
    }
  }
  if (queuePolicy) config.maxQueueSize = numberField(queuePolicy, 'max_queue_size', 0) || undefined
  const graph = messages(messages(message, 'optimization')[0] ?? {}, 'graph')[0]
  if (graph?.['level']) config.graphLevel = numberField(graph, 'level', 0)
  return validateConfig(config, directoryName)
}

function tensorToPbtxt(tensor: TensorConfig): PbtxtMessage {
  return {
    name: [tensor.name],
    data_type: [new PbtxtEnum(configTypeOf(tensor.datatype))],
    dims: tensor.dims,
  }
}

export function configToPbtxt(config: ModelConfig): string {
  const policy = config.versionPolicy
  const message: PbtxtMessage = {
    name: [config.name],
    backend: ['onnxruntime'],
    max_batch_size: [config.maxBatchSize],
    input: config.inputs.map(tensorToPbtxt),
    output: config.outputs.map(tensorToPbtxt),
    version_policy: [
      policy.kind === 'all'
        ? { all: [{}] }
        : policy.kind === 'latest'
          ? { latest: [{ num_versions: [policy.numVersions] }] }
          : { specific: [{ versions: policy.versions }] },
    ],
    instance_group: [{ count: [config.instanceCount], kind: [new PbtxtEnum('KIND_CPU')] }],
  }
  if (config.dynamicBatching || config.maxQueueSize) {
    const batching: PbtxtMessage = {}
    if (config.dynamicBatching) {
      batching['preferred_batch_size'] = config.dynamicBatching.preferredBatchSize
      batching['max_queue_delay_microseconds'] = [config.dynamicBatching.maxQueueDelayMicroseconds]
    }
    if (config.maxQueueSize) batching['default_queue_policy'] = [{ max_queue_size: [config.maxQueueSize] }]
    message['dynamic_batching'] = [batching]
  }
  if (config.graphLevel !== undefined) message['optimization'] = [{ graph: [{ level: [config.graphLevel] }] }]
  const keys = Object.keys(config.parameters).sort()
  if (keys.length > 0) {
    message['parameters'] = keys.map((key) => ({
      key: [key],
      value: [{ string_value: [config.parameters[key]!] }],
    }))
  }
  return writePbtxt(message)
}

const integer = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)])
const tensorJson = z.object({
  name: z.string().min(1).max(256),
  data_type: z.string(),
  dims: z.array(integer).max(8).default([]),
})
const configJson = z.object({
  name: z.string().optional(),
  platform: z.string().optional(),
  backend: z.string().optional(),
  max_batch_size: integer.optional(),
  input: z.array(tensorJson).max(64).default([]),
  output: z.array(tensorJson).max(64).default([]),
  version_policy: z
    .object({
      latest: z.object({ num_versions: integer.default(1) }).optional(),
      all: z.object({}).optional(),
      specific: z.object({ versions: z.array(integer).max(64).default([]) }).optional(),
    })
    .optional(),
  dynamic_batching: z
    .object({
      preferred_batch_size: z.array(integer).max(16).default([]),
      max_queue_delay_microseconds: integer.default(0),
      default_queue_policy: z.object({ max_queue_size: integer.default(0) }).optional(),
    })
    .optional(),
  instance_group: z.array(z.object({ count: integer.default(1) })).max(8).default([]),
  parameters: z.record(z.string(), z.object({ string_value: z.string() })).optional(),
  optimization: z.object({ graph: z.object({ level: integer.optional() }).optional() }).optional(),
})

/** Reads the ModelConfig JSON form (a Triton `config` load parameter, or GET .../config output). */
export function configFromJson(json: unknown, directoryName: string): ModelConfig {
  const parsed = configJson.safeParse(json)
  if (!parsed.success) fail(`invalid model config: ${parsed.error.issues[0]?.message ?? 'bad shape'}`)
  const c = parsed.data
  const tensor = (t: z.infer<typeof tensorJson>, where: string): TensorConfig => ({
    name: t.name,
    datatype: datatypeOfConfigType(t.data_type) ?? fail(`${where} '${t.name}' has unsupported data_type`),
    dims: t.dims,
  })
  const vp = c.version_policy
  const config: ModelConfig = {
    name: c.name ?? directoryName,
    platform: c.platform ?? ONNX_PLATFORM,
    maxBatchSize: c.max_batch_size ?? 0,
    inputs: c.input.map((t) => tensor(t, 'input')),
    outputs: c.output.map((t) => tensor(t, 'output')),
    versionPolicy: vp?.all
      ? { kind: 'all' }
      : vp?.specific
        ? { kind: 'specific', versions: vp.specific.versions }
        : { kind: 'latest', numVersions: vp?.latest?.num_versions ?? 1 },
    instanceCount: Math.max(1, ...c.instance_group.map((g) => g.count)),
    parameters: Object.fromEntries(Object.entries(c.parameters ?? {}).map(([k, v]) => [k, v.string_value])),
  }
  if (c.dynamic_batching) {
    config.dynamicBatching = {
      preferredBatchSize: c.dynamic_batching.preferred_batch_size,
      maxQueueDelayMicroseconds: c.dynamic_batching.max_queue_delay_microseconds,
    }
    const queueSize = c.dynamic_batching.default_queue_policy?.max_queue_size
    if (queueSize) config.maxQueueSize = queueSize
  }
  const level = c.optimization?.graph?.level
  if (level !== undefined) config.graphLevel = level
  return validateConfig(config, directoryName)
}

export function configToJson(config: ModelConfig): Record<string, unknown> {
  const policy = config.versionPolicy
  const json: Record<string, unknown> = {
    name: config.name,
    platform: config.platform,
    backend: 'onnxruntime',
    max_batch_size: config.maxBatchSize,
    input: config.inputs.map((t) => ({ name: t.name, data_type: configTypeOf(t.datatype), dims: t.dims })),
    output: config.outputs.map((t) => ({ name: t.name, data_type: configTypeOf(t.datatype), dims: t.dims })),
    version_policy:
      policy.kind === 'all'
        ? { all: {} }
        : policy.kind === 'latest'
          ? { latest: { num_versions: policy.numVersions } }
          : { specific: { versions: policy.versions } },
    instance_group: [{ count: config.instanceCount, kind: 'KIND_CPU' }],
    parameters: Object.fromEntries(Object.entries(config.parameters).map(([k, v]) => [k, { string_value: v }])),
  }
  if (config.dynamicBatching || config.maxQueueSize) {
    json['dynamic_batching'] = {
      preferred_batch_size: config.dynamicBatching?.preferredBatchSize ?? [],
      max_queue_delay_microseconds: config.dynamicBatching?.maxQueueDelayMicroseconds ?? 0,
      ...(config.maxQueueSize ? { default_queue_policy: { max_queue_size: config.maxQueueSize } } : {}),
    }
  }
  if (config.graphLevel !== undefined) json['optimization'] = { graph: { level: config.graphLevel } }
  return json
}

function validateConfig(config: ModelConfig, directoryName: string): ModelConfig {
  if (config.name !== directoryName) fail(`config name '${config.name}' does not match the model directory`)
  if (config.platform !== ONNX_PLATFORM) fail(`platform '${config.platform}' is not served here (onnxruntime_onnx only)`)
  if (config.maxBatchSize < 0 || config.maxBatchSize > 1024) fail('max_batch_size must be between 0 and 1024')
  for (const tensor of [...config.inputs, ...config.outputs]) {
    if (tensor.dims.length > 8) fail(`tensor '${tensor.name}' has more than 8 dims`)
    if (tensor.dims.some((d) => d < -1 || d === 0 || d > 2 ** 31)) fail(`tensor '${tensor.name}' has an invalid dim`)
  }
  const policy = config.versionPolicy
  if (policy.kind === 'latest' && (policy.numVersions < 1 || policy.numVersions > 64)) fail('num_versions out of range')
  if (policy.kind === 'specific' && policy.versions.some((v) => !VERSION_PATTERN.test(String(v)))) {
    fail('version_policy lists an invalid version')
  }
  if (config.instanceCount > 16) fail('instance_group count must be at most 16')
  if (config.graphLevel !== undefined && !Object.values(TRITON_GRAPH_LEVELS).includes(config.graphLevel as -1)) fail('optimization graph level must be -1, 1 or 2')
  const threads = config.parameters[INTRA_OP_THREADS]
  if (threads !== undefined && !/^\d{1,3}$/.test(threads)) fail(`${INTRA_OP_THREADS} must be a thread count`)
  if (config.maxQueueSize !== undefined && (config.maxQueueSize < 1 || config.maxQueueSize > 100_000)) {
    fail('max_queue_size out of range')
  }
  const batching = config.dynamicBatching
  if (batching) {
    if (batching.maxQueueDelayMicroseconds < 0 || batching.maxQueueDelayMicroseconds > 10_000_000) {
      fail('max_queue_delay_microseconds out of range')
    }
    if (batching.preferredBatchSize.some((s) => s < 1 || s > config.maxBatchSize)) {
      fail('preferred_batch_size must be between 1 and max_batch_size')
    }
  }
  return config
}
