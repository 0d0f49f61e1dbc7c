// What a model is fed when no data says otherwise: concrete shapes for every input and the values to
// generate for it, from the model's input metadata, the user's input spec (shapes, ranges, fixed values),
// the batch size and the shapes a data file implies. The one resolver behind the benchmark, comparisons,
// every recipe's output check and calibration. Pure functions; messages name inputs, never CLI flags
// (the CLI adds its own hint, see main/cli/input-spec-options.ts).
import type { Dim, InputProblem, InputSpec, ValueRange } from '../../../preload/api'
import type { Problem } from '../../../preload/api'
import { InputSpecError, ProblemError, runtimeError, UserError } from '../errors'
import { problemMessage } from '../problem-text'
import { dtypeCode, storageBytes } from '../onnx/tensor-data'
import type { IoInfo } from './model-io'
import { defaultRange } from './random-inputs'

export interface ShapeRequest {
  /** The batch size to put in each input's leading symbolic dim; undefined keeps the spec's or 1. */
  readonly batch?: number
  readonly spec?: InputSpec
  /** Shape of one sample per input, from a data set (the leading sample dim excluded). */
  readonly sampleShapes?: Readonly<Record<string, readonly number[]>>
  /** Named for errors: the data file the sample shapes come from. */
  readonly dataFile?: string
  /**
   * Dynamic dims nobody gave become 1 instead of an error (a recipe's output check runs on whatever it
   * can make up; when the model then fails, the made-up inputs are named).
   */
  readonly guessUnknownDims?: boolean
}

export interface ResolvedInput {
  readonly name: string
  readonly dtype: string
  readonly shape: readonly number[]
  /** What generated values are drawn from (low = high for a fixed value). */
  readonly range: ValueRange
  /** Nobody said what this input is: its values are the dtype's default, or some dynamic dims were set to 1. */
  readonly madeUp?: { readonly values: boolean; readonly dims: boolean }
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

/** Splits repeated `NAME=REST` options; `example` shows the form in the error. */
function namedOptions(values: readonly string[], option: string, example: string): [string, string][] {
  return values.map((value) => {
    const eq = value.lastIndexOf('=')
    if (eq <= 0) throw new UserError(`${option} ${value}: write ${example}`)
    return [value.slice(0, eq), value.slice(eq + 1)]
  })
}

/** Parses repeated `NAME=1x3x224x224` options into a map. */
export function parseShapeOptions(values: readonly string[]): Record<string, number[]> {
  return Object.fromEntries(
    namedOptions(values, '--shape', 'NAME=DIMS, e.g. --shape input=1x3x224x224').map(([name, dims]) => [name, parseDims(dims, `--shape ${name}=${dims}`)]),
  )
}

/** Parses repeated `NAME=LOW:HIGH` options (inclusive) into a map. */
export function parseRangeOptions(values: readonly string[]): Record<string, ValueRange> {
  const ranges: Record<string, ValueRange> = {}
  for (const [name, text] of namedOptions(values, '--range', 'NAME=LOW:HIGH, e.g. --range input_ids=0:30521')) {
    const match = /^(-?[\d.e+-]+):(-?[\d.e+-]+)$/.exec(text)
    const low = Number(match?.[1])
    const high = Number(match?.[2])
    if (!match || !Number.isFinite(low) || !Number.isFinite(high) || low > high)
      throw new UserError(`--range ${name}=${text}: write NAME=LOW:HIGH with LOW ≤ HIGH, e.g. --range input_ids=0:30521`)
    ranges[name] = { low, high }
  }
  return ranges
}

/** Parses repeated `NAME=VALUE` options (one value for every element, e.g. sr=16000) into a map. */
export function parseValueOptions(values: readonly string[]): Record<string, number> {
  const parsed: Record<string, number> = {}
  for (const [name, text] of namedOptions(values, '--value', 'NAME=NUMBER, e.g. --value sr=16000')) {
    const value = Number(text)
    if (text.trim() === '' || !Number.isFinite(value)) throw new UserError(`--value ${name}=${text}: not a number`)
    parsed[name] = value
  }
  return parsed
}

/** Parses a comma-separated list of positive integers ("1,8,32"). */
export function parsePositiveList(text: string, option: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()))
  if (values.length === 0 || values.some((value) => !Number.isSafeInteger(value) || value < 1))
    throw new UserError(`${option} ${text}: expected positive whole numbers separated by commas, e.g. 1,8,32`)
  return [...new Set(values)]
}

function inputList(inputs: readonly IoInfo[]): string {
  return inputs.map((i) => `'${i.name}'`).join(', ')
}

/** The spec's names that the model has no input of (several models share one spec from the CLI). */
export function specNames(spec: InputSpec | undefined): string[] {
  return [...new Set([...Object.keys(spec?.shapes ?? {}), ...Object.keys(spec?.ranges ?? {}), ...Object.keys(spec?.values ?? {})])]
}

/** The part of a spec that names inputs of this model. */
export function specFor(spec: InputSpec | undefined, inputs: readonly { readonly name: string }[]): InputSpec {
  const names = new Set(inputs.map((input) => input.name))
  const pick = <T>(record: Readonly<Record<string, T>> | undefined): Record<string, T> | undefined => {
    const kept = Object.entries(record ?? {}).filter(([name]) => names.has(name))
    return kept.length > 0 ? Object.fromEntries(kept) : undefined
  }
  const shapes = pick(spec?.shapes)
  const ranges = pick(spec?.ranges)
  const values = pick(spec?.values)
  return { ...(shapes ? { shapes } : {}), ...(ranges ? { ranges } : {}), ...(values ? { values } : {}) }
}

const integerLimits: Readonly<Record<string, readonly [number, number]>> = {
  bool: [0, 1],
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
}

/** Problems of the spec itself against the model's inputs: unknown names, values its dtype cannot hold. */
export function checkSpec(model: string, inputs: readonly IoInfo[], spec: InputSpec): void {
  const problems: InputProblem[] = []
  const known = new Set(inputs.map((input) => input.name))
  for (const name of specNames(spec))
    if (!known.has(name)) problems.push({ input: name, problem: `${model} has no input '${name}' (its inputs: ${inputList(inputs)})` })
  for (const input of inputs) {
    const limits = integerLimits[input.dtype]
    const value = spec.values?.[input.name]
    const range = spec.ranges?.[input.name]
    if (range && !(range.low <= range.high))
      problems.push({ input: input.name, problem: `the value range of '${input.name}' is empty (${range.low} > ${range.high})` })
    if (!limits) continue
    const [low, high] = limits
    for (const [what, v] of [
      ['value', value],
      ['range', range?.low],
      ['range', range?.high],
    ] as const)
      if (v !== undefined && (!Number.isInteger(v) ? what === 'value' : v < low || v > high)) {
        problems.push({ input: input.name, problem: `'${input.name}' is ${input.dtype}: ${v} is not a whole number in [${low}, ${high}]` })
        break
      }
  }
  if (problems.length > 0) throw new InputSpecError(problems.map((p) => p.problem).join('; '), problems)
}

/** A shape the user gave that the model refuses: coded for the wording, and the input marked for the UI. */
function shapeContradicts(problem: Extract<Problem, { code: 'shape-contradicts' }>, what: string): InputSpecError {
  return new InputSpecError(problemMessage(problem), [{ input: problem.input, needs: 'shape', problem: what }], { problem })
}

function dynamicDimProblem(input: IoInfo, dims: readonly Dim[], i: number, batchDim: boolean): InputProblem {
  const example = dims.map((d, j) => (j === 0 && batchDim ? 1 : typeof d === 'number' ? d : 'N')).join('x')
  return {
    input: input.name,
    needs: 'shape',
    problem: `dim ${i} ('${dims[i]}') of input '${input.name}' is dynamic; give its size (its full shape, e.g. ${example})`,
  }
}

/**
 * Concrete shapes and value ranges for every input of `model`. The leading dim of an input is its batch
 * dim when it is symbolic; `batch` fills it. Fixed dims must agree with the spec and the data; other
 * symbolic dims come from the spec or the data, else an InputSpecError names every input left open.
 */
export function resolveInputs(model: string, inputs: readonly IoInfo[], request: ShapeRequest): ResolvedInput[] {
  const spec = request.spec ?? {}
  checkSpec(model, inputs, spec)
  const shapes = spec.shapes ?? {}
  const open: InputProblem[] = []
  // A fixed leading dim is the batch only when no input has a dynamic one (a state input [2,?,128] is not).
  const anyDynamicBatch = inputs.some((input) => typeof input.dims?.[0] === 'string')
  const resolved = inputs.map((input): ResolvedInput => {
    const given = shapes[input.name]
    const sample = request.sampleShapes?.[input.name]
    const value = spec.values?.[input.name]
    const range = value !== undefined ? { low: value, high: value } : spec.ranges?.[input.name]
    let guessedDims = false
    const done = (shape: readonly number[]): ResolvedInput => {
      const madeUp = { values: range === undefined, dims: guessedDims }
      return {
        name: input.name,
        dtype: input.dtype,
        shape,
        range: range ?? defaultRange(input.name, input.dtype),
        ...(madeUp.values || madeUp.dims ? { madeUp } : {}),
      }
    }
    const dims = input.dims
    if (request.sampleShapes && !sample && !given)
      throw new ProblemError({ code: 'data-lacks-input', model, input: input.name }, request.dataFile)
    if (!dims) {
      if (given) return done(given)
      if (sample) return done([request.batch ?? 1, ...sample])
      if (value !== undefined) return done([])
      open.push({ input: input.name, needs: 'shape', problem: `input '${input.name}' declares no shape; give its full shape` })
      return done([])
    }
    const batchDim = dims.length > 0 && typeof dims[0] === 'string'
    if (given && given.length !== dims.length)
      throw shapeContradicts({ code: 'shape-contradicts', model, input: input.name, given, expected: dims }, `the model expects ${dims.length} dims ${formatShape(dims)}`)
    if (sample && sample.length + 1 !== dims.length)
      throw new ProblemError({ code: 'data-shape-mismatch', model, input: input.name, sample, expected: dims }, request.dataFile)
    const shape = dims.map((dim, i) => {
      const fromShape = given?.[i]
      const fromData = i === 0 ? undefined : sample?.[i - 1]
      if (typeof dim === 'number') {
        if (fromShape !== undefined && fromShape !== dim)
          throw shapeContradicts({ code: 'shape-contradicts', model, input: input.name, given: given ?? [], expected: dims, dim: i }, `dim ${i} is fixed at ${dim}`)
        if (fromData !== undefined && fromData !== dim)
          throw new ProblemError({ code: 'data-shape-mismatch', model, input: input.name, sample: sample ?? [], expected: dims }, request.dataFile)
        if (i === 0 && request.batch !== undefined && request.batch !== dim && !anyDynamicBatch)
          throw new ProblemError({ code: 'batch-contradicts', model, input: input.name, batch: request.batch, fixed: dim })
        return dim
      }
      if (i === 0 && batchDim) return request.batch ?? fromShape ?? 1
      const size = fromShape ?? fromData
      if (size !== undefined) return size
      if (!request.guessUnknownDims && !open.some((p) => p.input === input.name)) open.push(dynamicDimProblem(input, dims, i, batchDim))
      guessedDims = true
      return 1
    })
    return done(shape)
  })
  if (open.length > 0) {
    const reason = open.map((p) => p.problem).join('; ')
    throw new InputSpecError(`${model}: ${reason}`, open, { file: model, reason })
  }
  return resolved
}

/**
 * When a model fails on generated inputs: the inputs nobody described, those most likely at fault first
 * (integers and scalars drawn at random: a sample rate, a length, an index), then guessed shapes.
 */
export function madeUpInputProblems(inputs: readonly ResolvedInput[]): InputProblem[] {
  const suspicion = (input: ResolvedInput): number =>
    (input.madeUp?.values && !input.dtype.startsWith('float') ? 2 : 0) + (input.madeUp?.dims ? 1 : 0) + (input.shape.length === 0 && input.madeUp?.values ? 2 : 0)
  return inputs
    .filter((input) => suspicion(input) > 0)
    .sort((a, b) => suspicion(b) - suspicion(a))
    .map((input) => {
      const what = [
        ...(input.madeUp?.values ? [`random values ${input.range.low}…${input.range.high}`] : []),
        ...(input.madeUp?.dims ? ['its dynamic dims set to 1'] : []),
      ]
      const shape = input.shape.length === 0 ? 'scalar' : `[${input.shape.join(',')}]`
      return { input: input.name, needs: input.madeUp?.dims ? 'shape' : 'values', problem: `${input.dtype} ${shape}: ${what.join(', ')}` }
    })
}

/**
 * The error for a model that failed on generated inputs (`sentence` says so, `runtimeText` is ONNX
 * Runtime's own words), naming the inputs nobody described.
 */
export function failedOnGeneratedInputs(sentence: string, runtimeText: string, inputs: readonly ResolvedInput[]): UserError {
  const problems = madeUpInputProblems(inputs)
  if (problems.length === 0) return runtimeError(sentence, runtimeText)
  const list = problems.map((p) => `'${p.input}' (${p.problem})`).join(', ')
  const generated = `It ran on generated inputs; say what these inputs should be (a shape, a value or a range), or give real data: ${list}`
  return new InputSpecError(`${sentence}: ${runtimeText}. ${generated}`, problems, { reason: `${sentence}. ${generated}`, details: [runtimeText] })
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
      throw new InputSpecError(
        `${model}: input '${input.name}' of shape [${input.shape.join(',')}] brings the inputs of one run to ${(total / 2 ** 30).toFixed(1)} GiB, over the ${(budget / 2 ** 30).toFixed(0)} GiB budget; check the batch sizes and shapes`,
        [{ input: input.name, needs: 'shape', problem: `shape [${input.shape.join(',')}] is too large to generate` }],
      )
  }
}

/** The batch a set of resolved inputs carries: the leading dim of the first input that has one. */
export function batchOf(inputs: readonly ResolvedInput[]): number {
  return inputs.find((input) => input.shape.length > 0)?.shape[0] ?? 1
}

/** `over` wins input by input: a command's options over the spec remembered with the model. */
export function mergeSpecs(base: InputSpec | undefined, over: InputSpec | undefined): InputSpec {
  const merged: Record<string, unknown> = {}
  for (const key of ['shapes', 'ranges', 'values'] as const) {
    const both = { ...base?.[key], ...over?.[key] }
    if (Object.keys(both).length > 0) merged[key] = both
  }
  return merged as InputSpec
}
