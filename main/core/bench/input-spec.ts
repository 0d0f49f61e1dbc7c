// What a benchmark feeds: concrete shapes for every input (symbolic dims resolved from --batch, --shape
// or the data), checked against the model before any work starts. Pure functions.
import type { Dim, ValueRange } from '../../../preload/api'
import { UserError } from '../errors'
import { dtypeCode, storageBytes } from '../onnx/tensor-data'
import type { IoInfo } from './model-io'

export interface ShapeRequest {
  /** The batch size to put in each input's leading symbolic dim; undefined keeps --shape's or 1. */
  readonly batch?: number
  /** Full shapes given by the user per input name (`--shape NAME=1x3x224x224`). */
  readonly shapes?: Readonly<Record<string, readonly number[]>>
  /** Shape of one sample per input, from a data set (the leading sample dim excluded). */
  readonly sampleShapes?: Readonly<Record<string, readonly number[]>>
  /** Named for errors: the data file the sample shapes come from. */
  readonly dataFile?: string
}

export interface ResolvedInput {
  readonly name: string
  readonly dtype: string
  readonly shape: readonly number[]
}

function formatShape(dims: readonly Dim[]): string {
  return `[${dims.join(',')}]`
}

/** Parses "1x3x224x224" (also "1,3,224,224"); a scalar is "" or "scalar". */
export function parseDims(text: string, what: string): number[] {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed === 'scalar') return []
  const dims = trimmed.split(/[x,×]/).map((part) => Number(part.trim()))
  if (dims.some((dim) => !Number.isSafeInteger(dim) || dim < 0))
    throw new UserError(`${what}: "${text}" is not a shape; write sizes separated by x, e.g. 1x3x224x224`)
  return dims
}

/** Parses repeated `NAME=1x3x224x224` options into a map. */
export function parseShapeOptions(values: readonly string[]): Record<string, number[]> {
  const shapes: Record<string, number[]> = {}
  for (const value of values) {
    const eq = value.lastIndexOf('=')
    if (eq <= 0) throw new UserError(`--shape ${value}: write NAME=DIMS, e.g. --shape input=1x3x224x224`)
    shapes[value.slice(0, eq)] = parseDims(value.slice(eq + 1), `--shape ${value}`)
  }
  return shapes
}

/** Parses repeated `NAME=LOW:HIGH` options (inclusive) into a map. */
export function parseRangeOptions(values: readonly string[]): Record<string, ValueRange> {
  const ranges: Record<string, ValueRange> = {}
  for (const value of values) {
    const match = /^(.+)=(-?[\d.e+-]+):(-?[\d.e+-]+)$/.exec(value)
    const low = Number(match?.[2])
    const high = Number(match?.[3])
    if (!match || !Number.isFinite(low) || !Number.isFinite(high) || low > high)
      throw new UserError(`--range ${value}: write NAME=LOW:HIGH with LOW ≤ HIGH, e.g. --range input_ids=0:30521`)
    ranges[match[1] as string] = { low, high }
  }
  return ranges
}

/** Parses a comma-separated list of positive integers ("1,8,32"). */
export function parsePositiveList(text: string, option: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()))
  if (values.length === 0 || values.some((value) => !Number.isSafeInteger(value) || value < 1))
    throw new UserError(`${option} ${text}: expected positive whole numbers separated by commas, e.g. 1,8,32`)
  return [...new Set(values)]
}

function checkNames(kind: string, names: readonly string[], inputs: readonly IoInfo[], model: string): void {
  const known = new Set(inputs.map((input) => input.name))
  for (const name of names)
    if (!known.has(name))
      throw new UserError(`${kind} names input '${name}', but ${model} has inputs ${inputs.map((i) => `'${i.name}'`).join(', ')}`)
}

/**
 * Concrete shapes for every input of `model`. The leading dim of an input is its batch dim when it is
 * symbolic; --batch fills it. Fixed dims must agree with --shape and the data; other symbolic dims come
 * from --shape or the data, else the error says which option to give.
 */
export function resolveInputShapes(model: string, inputs: readonly IoInfo[], request: ShapeRequest): ResolvedInput[] {
  const shapes = request.shapes ?? {}
  checkNames('--shape', Object.keys(shapes), inputs, model)
  // A fixed leading dim is the batch only when no input has a dynamic one (a state input [2,?,128] is not).
  const anyDynamicBatch = inputs.some((input) => typeof input.dims?.[0] === 'string')
  return inputs.map((input) => {
    const given = shapes[input.name]
    const sample = request.sampleShapes?.[input.name]
    const dims = input.dims
    if (request.sampleShapes && !sample)
      throw new UserError(`${request.dataFile ?? 'the data'} has no values for input '${input.name}' that ${model} needs`)
    if (!dims) {
      if (given) return { name: input.name, dtype: input.dtype, shape: given }
      if (sample) return { name: input.name, dtype: input.dtype, shape: [request.batch ?? 1, ...sample] }
      throw new UserError(`${model}: input '${input.name}' declares no shape; give one with --shape ${input.name}=DIMS`)
    }
    const batchDim = dims.length > 0 && typeof dims[0] === 'string'
    if (given && given.length !== dims.length)
      throw new UserError(
        `--shape ${input.name}=${given.join('x')} contradicts ${model}: input '${input.name}' has ${dims.length} dims ${formatShape(dims)}`,
      )
    if (sample && sample.length + 1 !== dims.length)
      throw new UserError(
        `${request.dataFile ?? 'the data'}: samples of input '${input.name}' have shape ${formatShape(sample)}, but ${model} expects ${formatShape(dims)} (a sample dim plus ${dims.length - 1} more)`,
      )
    const shape = dims.map((dim, i) => {
      const fromShape = given?.[i]
      const fromData = i === 0 ? undefined : sample?.[i - 1]
      if (typeof dim === 'number') {
        if (fromShape !== undefined && fromShape !== dim)
          throw new UserError(
            `--shape ${input.name}=${given?.join('x')} contradicts ${model}: dim ${i} of '${input.name}' is fixed at ${dim}`,
          )
        if (fromData !== undefined && fromData !== dim)
          throw new UserError(
            `${request.dataFile ?? 'the data'}: samples of input '${input.name}' have shape ${formatShape(sample ?? [])}, but ${model} expects ${formatShape(dims)}`,
          )
        if (i === 0 && request.batch !== undefined && request.batch !== dim && !anyDynamicBatch)
          throw new UserError(`--batch ${request.batch} contradicts ${model}: its input '${input.name}' has a fixed batch of ${dim}`)
        return dim
      }
      if (i === 0 && batchDim) return request.batch ?? fromShape ?? 1
      const value = fromShape ?? fromData
      if (value === undefined)
        throw new UserError(
          `${model}: dim ${i} ('${dim}') of input '${input.name}' is dynamic; give its size with --shape ${input.name}=${dims.map((d, j) => (j === 0 && batchDim ? 1 : typeof d === 'number' ? d : 'N')).join('x')}`,
        )
      return value
    })
    return { name: input.name, dtype: input.dtype, shape }
  })
}

/** Inputs a benchmark may generate, in bytes for one run: beyond this a typo (1e6x1e6) is more likely than intent. */
export const inputByteBudget = 2 ** 31

/** Refuses shapes whose random data would not fit in memory, before anything is allocated. */
export function checkInputBytes(model: string, inputs: readonly ResolvedInput[], budget = inputByteBudget): void {
  let total = 0
  for (const input of inputs) {
    const count = input.shape.reduce((a, b) => a * b, 1)
    const bytes = storageBytes(dtypeCode(input.dtype), count)
    total += Number.isNaN(bytes) ? 0 : bytes
    if (total > budget)
      throw new UserError(
        `${model}: input '${input.name}' of shape [${input.shape.join(',')}] brings the inputs of one run to ${(total / 2 ** 30).toFixed(1)} GiB, over the ${(budget / 2 ** 30).toFixed(0)} GiB budget; check --batch and --shape`,
      )
  }
}

/** The batch a set of resolved inputs carries: the leading dim of the first input that has one. */
export function batchOf(inputs: readonly ResolvedInput[]): number {
  return inputs.find((input) => input.shape.length > 0)?.shape[0] ?? 1
}
