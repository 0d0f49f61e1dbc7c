// Every recipe output is checked before it is written: ONNX Runtime loads it, runs it on the given (or
// calibration) inputs, and its outputs are compared with the parent's on the same inputs.
import type { Feed } from '../data/load-tensors'
import type { OutputComparison, TensorInfo, Validation } from '../../../preload/api'
import { UserError } from '../errors'
import { float16ArrayToFloat32, float32ToFloat16Array, holdsFloat16 } from '../onnx/float16'
import type { JobContext } from '../jobs/job-context'
import type { ModelProto } from '../onnx/onnx-types'
import type { Tensor } from 'onnxruntime-node'
import { openSession, runSession } from './ort-feeds'
import { sqnrDb } from './quant-params'

/** The feed with the named float32 inputs turned float16 (for a variant whose inputs became float16). */
function asFloat16(feed: Feed, names: ReadonlySet<string>): Feed {
  if (names.size === 0) return feed
  const out: Feed = { ...feed }
  for (const name of names) {
    const t = feed[name]
    if (t?.dtype === 'float32') out[name] = { dtype: 'float16', dims: t.dims, data: float32ToFloat16Array(t.data as Float32Array) }
  }
  return out
}

function argmaxAgreement(a: Float32Array, b: Float32Array, dims: readonly number[]): number | undefined {
  if (dims.length !== 2) return undefined
  const [rows, cols] = dims as [number, number]
  if (rows === 0 || cols < 2) return undefined
  let same = 0
  for (let r = 0; r < rows; r++) {
    let ia = 0
    let ib = 0
    for (let c = 1; c < cols; c++) {
      if ((a[r * cols + c] as number) > (a[r * cols + ia] as number)) ia = c
      if ((b[r * cols + c] as number) > (b[r * cols + ib] as number)) ib = c
    }
    if (ia === ib) same++
  }
  return same / rows
}

interface Accumulated {
  x: number[]
  y: number[]
  agreeing: number
  rows: number
  top1: boolean
}

/** Float outputs are compared (float16 ones too: an fp16 parent's outputs are its answer). */
function isFloat(t: Tensor): boolean {
  return t.type === 'float32' || t.type === 'float16'
}

function asFloat32(t: Tensor): Float32Array {
  return t.type === 'float16' ? float16ArrayToFloat32(t.data as Uint16Array) : (t.data as Float32Array)
}

/**
 * The SQNR below which a variant that should compute the same as its parent (graph optimization) is
 * treated as broken: float32 agreement (a relative error of 1e-3) for a float32 parent; for a parent that
 * computes in float16, whose own rounding is about 1e-3 per op, 40 dB (1e-2).
 */
export function exactnessFloorDb(parent: ModelProto): number {
  return holdsFloat16(parent) ? 40 : 60
}

/** Sessions for checking use little memory: no arena, no pre-packed weight copies. */
const lean = { enableCpuMemArena: false, extra: { session: { disable_prepacking: '1' } } }

export type ReferenceOutputs = Record<string, { dims: readonly number[]; data: Float32Array }>[]

export interface ParentRun<D> {
  readonly inputs: TensorInfo[]
  /** What `dataFor` returned for the parent's inputs. */
  readonly data: D
  /** The parent's float32 outputs on the feeds `checkFeedsOf` picked. */
  readonly reference: ReferenceOutputs
}

/**
 * One session of the parent, released before this returns: its inputs as ONNX Runtime reads them, the
 * data for them, and its outputs on the check feeds. It runs before the recipe reads the model, so the
 * runtime's copy of a big parent and the recipe's never sit in memory together.
 */
export async function runParent<D>(
  parent: string,
  dataFor: (inputs: TensorInfo[]) => Promise<D>,
  checkFeedsOf: (data: D) => readonly Feed[],
): Promise<ParentRun<D>> {
  // The reference needs no graph optimization: unoptimized, the runtime holds one copy of the weights.
  const session = await openSession(parent, 'the original model', { ...lean, graphOptimizationLevel: 'disabled', enableMemPattern: false })
  try {
    const inputs = session.inputMetadata.map((m) => ({
      name: m.name,
      dtype: m.isTensor ? m.type : 'unknown',
      shape: m.isTensor ? m.shape.map((d) => (typeof d === 'string' ? d : d >= 0 ? d : '?')) : [],
    }))
    const data = await dataFor(inputs)
    const reference: ReferenceOutputs = []
    for (const feed of checkFeedsOf(data)) {
      const out = await runSession(session, feed, 'the original model')
      reference.push(Object.fromEntries(Object.entries(out).flatMap(([k, t]) => (isFloat(t) ? [[k, { dims: t.dims, data: asFloat32(t) }]] : []))))
    }
    return { inputs, data, reference }
  } finally {
    await session.release()
  }
}

export interface VariantCheckOptions {
  /** Inputs that became float16 (fed as float16). */
  readonly float16Inputs?: ReadonlySet<string>
  /**
   * Let ONNX Runtime pre-pack the weights: MatMulNBits runs about 100× slower without (a 2 GB model's
   * check took a minute), and its packed copy is a fraction of the float weights it replaced.
   */
  readonly prepack?: boolean
  /**
   * Check the graph as written, unoptimized. For float16 weights read through Casts: optimized, ONNX
   * Runtime folds each Cast into a float32 copy and holds the weights twice; unoptimized it casts as it runs.
   */
  readonly unoptimized?: boolean
}

/**
 * Loads `variant` in ONNX Runtime (bytes, or a path: a model with external data is read from its files)
 * and compares its outputs with the parent's on `feeds`: the parent is a path (run here first) or its
 * outputs from runParent. Throws a UserError when the variant does not load or run, or an output changes
 * shape.
 */
export async function validateVariant(
  parent: string | ReferenceOutputs,
  variant: Uint8Array | string,
  feeds: readonly Feed[],
  given: boolean,
  ctx: JobContext,
  options: VariantCheckOptions = {},
): Promise<Validation> {
  const float16Inputs = options.float16Inputs ?? new Set<string>()
  ctx.progress(0.9, 'validating')
  const reference = typeof parent === 'string' ? (await runParent(parent, async () => feeds, (f) => f)).reference : parent
  ctx.throwIfCancelled()
  const session = await openSession(variant, 'the new model (the recipe produced a model ONNX Runtime rejects)', {
    ...(options.prepack ? { enableCpuMemArena: false } : lean),
    ...(options.unoptimized ? { graphOptimizationLevel: 'disabled' as const } : {}),
  })
  const acc = new Map<string, Accumulated>()
  let rows = 0
  try {
    for (const [i, feed] of feeds.entries()) {
      const out = await runSession(session, asFloat16(feed, float16Inputs), 'the new model')
      const expected = reference[i] ?? {}
      rows += Object.values(feed).find((t) => t.dims.length > 0)?.dims[0] ?? 1
      for (const [name, ref] of Object.entries(expected)) {
        const t = out[name]
        if (!t) throw new UserError(`the new model lost the output '${name}'`)
        if (t.dims.join(',') !== ref.dims.join(','))
          throw new UserError(`the new model's output '${name}' has shape [${t.dims.join(',')}], the original's [${ref.dims.join(',')}]`)
        const data = asFloat32(t)
        let a = acc.get(name)
        if (!a) acc.set(name, (a = { x: [], y: [], agreeing: 0, rows: 0, top1: true }))
        for (let j = 0; j < ref.data.length; j++) {
          a.x.push(ref.data[j] as number)
          a.y.push(data[j] as number)
        }
        const agreement = argmaxAgreement(ref.data, data, ref.dims)
        if (agreement === undefined) a.top1 = false
        else {
          a.agreeing += agreement * (ref.dims[0] as number)
          a.rows += ref.dims[0] as number
        }
      }
    }
  } finally {
    await session.release()
  }
  const outputs = [...acc].map(([name, a]): OutputComparison => {
    let maxAbsDiff = 0
    for (let j = 0; j < a.x.length; j++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs((a.x[j] as number) - (a.y[j] as number)))
    return { name, sqnrDb: sqnrDb(a.x, a.y), maxAbsDiff, ...(a.top1 && a.rows > 0 ? { top1Agreement: a.agreeing / a.rows } : {}) }
  })
  return { loads: true, rows, inputs: given ? 'given data' : 'random data', outputs }
}
