// What the Model inputs panel shows before the user says anything: good guesses for every dynamic dim
// (the dims a data file implies, 224×224 or 640×640 for images, 128 for sequences, 512 samples of audio)
// and for values that must mean something (a sample rate of 16000). Pure functions; the panel edits them.
import type { Dim, InputSpec, TensorInfo, ValueRange } from '../../preload/api'

/** A model input as the panel edits it: its full shape (null: nothing to ask), and how its values are made. */
export interface InputDraft {
  readonly name: string
  readonly dtype: string
  readonly declared: readonly Dim[]
  /** Whether the user must (or may) give sizes: some dim other than a leading batch dim is dynamic. */
  readonly hasOpenDims: boolean
  /** "1×3×640×640"; empty for a scalar. */
  readonly shape: string
  readonly values: { readonly kind: 'random' } | { readonly kind: 'fixed'; readonly value: string } | { readonly kind: 'range'; readonly low: string; readonly high: string }
}

const isDynamic = (dim: Dim): boolean => typeof dim !== 'number' || dim < 0

/** Dims that are dynamic beyond a leading batch dim (which the benchmark's batch sizes fill). */
export function openDims(shape: readonly Dim[]): number[] {
  return shape.flatMap((dim, i) => (isDynamic(dim) && !(i === 0 && shape.length > 1) ? [i] : []))
}

/** A detector-style model (its name says so) takes 640×640 images; a classifier 224×224. */
function imageSize(modelName: string): number {
  return /yolo|det|ssd|rcnn|retina|seg/i.test(modelName) ? 640 : 224
}

/** Image inputs: rank 4 with 1 or 3 channels fixed first (NCHW) or last (NHWC). */
function imageAxes(shape: readonly Dim[]): readonly [number, number] | undefined {
  if (shape.length !== 4) return undefined
  const channels = (dim: Dim | undefined): boolean => dim === 1 || dim === 3
  if (channels(shape[1])) return [2, 3]
  if (channels(shape[3])) return [1, 2]
  return undefined
}

function guessDim(input: TensorInfo, i: number, modelName: string, audio: boolean): number {
  const shape = input.shape
  if (i === 0) return 1
  const image = imageAxes(shape)
  if (image?.includes(i)) return imageSize(modelName)
  // Audio next to a sample-rate input: a chunk of 512 samples (what voice-activity detectors take at 16 kHz).
  if (audio && shape.length === 2 && i === 1 && input.dtype.startsWith('float')) return 512
  // Token ids, masks and feature sequences: [batch, sequence] or [batch, sequence, features].
  if ((shape.length === 2 || shape.length === 3) && i === 1 && isDynamic(shape[0] as Dim)) return 128
  return 1
}

const sampleRateName = /^(sr|sample_?rate|sampling_?rate)$/i

/** The drafts for a model's inputs; `dataShapes` are shapes a data file holds for them (its first batch). */
export function guessDrafts(
  inputs: readonly TensorInfo[],
  modelName: string,
  dataShapes: Readonly<Record<string, readonly number[]>> = {},
): InputDraft[] {
  const integer = (input: TensorInfo): boolean => !input.dtype.startsWith('float') && input.dtype !== 'bool'
  const audio = inputs.some((input) => integer(input) && sampleRateName.test(input.name))
  return inputs.map((input) => {
    const fromData = dataShapes[input.name]
    const dims = input.shape.map((dim, i) =>
      !isDynamic(dim) ? (dim as number) : i === 0 && input.shape.length > 1 ? 1 : (fromData?.[i] ?? guessDim(input, i, modelName, audio)),
    )
    return {
      name: input.name,
      dtype: input.dtype,
      declared: input.shape,
      hasOpenDims: openDims(input.shape).length > 0,
      shape: dims.join('×'),
      values: integer(input) && sampleRateName.test(input.name) ? { kind: 'fixed', value: '16000' } : { kind: 'random' },
    }
  })
}

/** The drafts of a saved spec: what it says, and the guesses for what it does not. */
export function draftsFromSpec(guesses: readonly InputDraft[], spec: InputSpec | undefined): InputDraft[] {
  if (!spec) return [...guesses]
  return guesses.map((draft) => {
    const shape = spec.shapes?.[draft.name]
    const value = spec.values?.[draft.name]
    const range = spec.ranges?.[draft.name]
    return {
      ...draft,
      ...(shape ? { shape: shape.join('×') } : {}),
      values:
        value !== undefined
          ? { kind: 'fixed', value: String(value) }
          : range
            ? { kind: 'range', low: String(range.low), high: String(range.high) }
            : { kind: 'random' },
    }
  })
}

/** Why a draft cannot be saved, by input name (empty when every one can). */
export function draftProblems(drafts: readonly InputDraft[]): Record<string, string> {
  const problems: Record<string, string> = {}
  for (const draft of drafts) {
    const dims = parseShape(draft.shape)
    if (draft.hasOpenDims && dims === null) problems[draft.name] = 'Write sizes separated by ×, e.g. 1×3×640×640'
    else if (dims && dims.length !== draft.declared.length) problems[draft.name] = `This input has ${draft.declared.length} dims`
    else if (dims && draft.declared.some((dim, i) => typeof dim === 'number' && dim >= 0 && dim !== dims[i]))
      problems[draft.name] = `Fixed dims must stay as the model declares them (${draft.declared.join('×')})`
    const v = draft.values
    const number = (text: string): boolean => text.trim() !== '' && Number.isFinite(Number(text))
    if (v.kind === 'fixed' && !number(v.value)) problems[draft.name] = 'The value must be a number'
    if (v.kind === 'range' && (!number(v.low) || !number(v.high) || Number(v.low) > Number(v.high)))
      problems[draft.name] = 'The range needs two numbers, low ≤ high'
  }
  return problems
}

/** "1×3×640×640" (x and commas too) → dims; "" is a scalar; null when not sizes. */
export function parseShape(text: string): number[] | null {
  const trimmed = text.trim()
  if (trimmed === '') return []
  const dims = trimmed.split(/\s*[x×,]\s*/).map(Number)
  return dims.every((dim) => Number.isSafeInteger(dim) && dim >= 0) ? dims : null
}

/** The spec the engine keeps: shapes of inputs with open dims, and the values the user set. */
export function specOf(drafts: readonly InputDraft[]): InputSpec {
  const shapes: Record<string, number[]> = {}
  const values: Record<string, number> = {}
  const ranges: Record<string, ValueRange> = {}
  for (const draft of drafts) {
    const dims = parseShape(draft.shape)
    if (draft.hasOpenDims && dims) shapes[draft.name] = dims
    if (draft.values.kind === 'fixed') values[draft.name] = Number(draft.values.value)
    if (draft.values.kind === 'range') ranges[draft.name] = { low: Number(draft.values.low), high: Number(draft.values.high) }
  }
  return {
    ...(Object.keys(shapes).length > 0 ? { shapes } : {}),
    ...(Object.keys(values).length > 0 ? { values } : {}),
    ...(Object.keys(ranges).length > 0 ? { ranges } : {}),
  }
}

/** Benchmark batch sizes to start from: a model with a fixed batch takes only that one. */
export function defaultBatchText(models: readonly { readonly inspection?: { readonly inputs: readonly TensorInfo[] } }[]): string {
  const fixed = new Set<number>()
  for (const model of models) {
    const first = model.inspection?.inputs.find((input) => input.shape.length > 0)?.shape[0]
    const dynamic = model.inspection?.inputs.some((input) => input.shape.length > 0 && isDynamic(input.shape[0] as Dim))
    if (!dynamic && typeof first === 'number' && first > 0) fixed.add(first)
  }
  return fixed.size > 0 ? [...fixed].join(', ') : '1, 8'
}
