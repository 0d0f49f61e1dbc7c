// The student of a distillation: the teacher's layers-model topology with every convolution's filters and
// every hidden Dense layer's units scaled by `width` (output layers keep their size, so the student
// predicts the same classes). Plain JSON in, plain JSON out; TF.js builds and initializes it.
import { ProblemError, UserError } from '../errors'

type Json = Record<string, unknown>
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

const filterLayers = new Set(['Conv1D', 'Conv2D', 'Conv3D', 'SeparableConv1D', 'SeparableConv2D', 'Conv2DTranspose', 'Conv3DTranspose'])
/** Layers whose configuration bakes in a channel count the scaling would break. */
const refused = new Set(['Reshape'])

export interface StudentTopology {
  /** The student's modelTopology (same shape as the teacher's: Sequential or functional). */
  readonly topology: Json
  /** What changed, as "layer: 32 → 16 filters". */
  readonly changes: readonly string[]
}

function layerList(topology: Json): { layers: Json[]; outputs: Set<string> } {
  const modelConfig = isRecord(topology.model_config) ? topology.model_config : topology
  const config = modelConfig.config
  const layers = (Array.isArray(config) ? config : isRecord(config) && Array.isArray(config.layers) ? config.layers : []).filter(isRecord)
  const outputs = new Set<string>()
  if (isRecord(config) && Array.isArray(config.output_layers))
    for (const entry of config.output_layers) if (Array.isArray(entry)) outputs.add(String(entry[0]))
  if (outputs.size === 0 && layers.length > 0) {
    const last = layers[layers.length - 1] as Json
    outputs.add(String(last.name ?? (isRecord(last.config) ? last.config.name : '')))
  }
  return { layers, outputs }
}

const layerName = (layer: Json): string => String(layer.name ?? (isRecord(layer.config) ? layer.config.name : ''))

/** Scales the teacher's topology (not mutated) to `width` in (0, 1]. */
export function studentTopology(teacher: Json, width: number, what: string): StudentTopology {
  if (!(width > 0 && width <= 1))
    throw new ProblemError({ code: 'setting-out-of-range', setting: 'width', value: width, rule: 'must be in (0, 1]', why: "it scales the teacher's filters and units" })
  const topology = structuredClone(teacher)
  const { layers, outputs } = layerList(topology)
  if (layers.length === 0) throw new UserError(`${what}: the model's topology lists no layers`)
  const changes: string[] = []
  for (const layer of layers) {
    const className = String(layer.class_name ?? '')
    const config = isRecord(layer.config) ? layer.config : {}
    const name = layerName(layer)
    if (refused.has(className)) throw new UserError(`${what}: layer '${name}' (${className}) fixes a shape that a narrower student cannot keep`)
    if (className === 'Model' || className === 'Sequential' || className === 'Functional')
      throw new UserError(`${what}: layer '${name}' is a nested model, which distillation does not scale`)
    const key = filterLayers.has(className) ? 'filters' : className === 'Dense' && !outputs.has(name) ? 'units' : undefined
    if (!key || typeof config[key] !== 'number') continue
    const before = config[key] as number
    const after = Math.max(1, Math.round(before * width))
    config[key] = after
    changes.push(`${name}: ${before} → ${after} ${key}`)
  }
  return { topology, changes }
}

/** The name and activation of the single output layer (distillation trains on its logits). */
export function outputLayer(topology: Json): { name: string; activation: string } {
  const { layers, outputs } = layerList(topology)
  if (outputs.size !== 1) throw new UserError('distillation needs a model with exactly one output')
  const name = [...outputs][0] as string
  const layer = layers.find((l) => layerName(l) === name)
  const config = layer && isRecord(layer.config) ? layer.config : {}
  return { name, activation: typeof config.activation === 'string' ? config.activation : 'linear' }
}

/** A copy of the topology whose output layer has activation `activation` (the training graph uses logits). */
export function withOutputActivation(topology: Json, activation: string): Json {
  const copy = structuredClone(topology)
  const { layers, outputs } = layerList(copy)
  const layer = layers.find((l) => outputs.has(layerName(l)))
  if (layer && isRecord(layer.config)) layer.config.activation = activation
  return copy
}
