// Validation of a rewritten model before a step reports success (runs in the worker): the output must
// load in ONNX Runtime and run on the same inputs as its parent; how far its outputs moved is measured.
import * as ort from 'onnxruntime-node'
import { UserError } from '../errors'
import { seededRandom } from './seeded-random'
import { cleanOrtMessage } from '../worker/check-runtime'

export interface OutputDrift {
  readonly name: string
  readonly maxAbs: number
  readonly meanAbs: number
  /** ‖child − parent‖ / ‖parent‖ over the whole output. */
  readonly relativeL2: number
  /** For [N, classes] outputs: how often both pick the same class. */
  readonly top1Agreement?: number
}

export interface OutputCheck {
  /** 'given': the caller's samples; 'synthetic': seeded uniform [0, 1) values in the parent's input shapes. */
  readonly inputs: 'given' | 'synthetic'
  readonly samples: number
  readonly outputs: readonly OutputDrift[]
}

export type Feeds = Record<string, ort.Tensor>

async function open(model: string | Uint8Array, what: string): Promise<ort.InferenceSession> {
  try {
    return typeof model === 'string' ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(model)
  } catch (error) {
    throw new UserError(`${what} does not load in ONNX Runtime: ${cleanOrtMessage(error)}`)
  }
}

/** Seeded inputs in the shapes a session declares (symbolic dims become `batch`). */
export function syntheticFeeds(session: ort.InferenceSession, batch = 2): Feeds {
  const random = seededRandom(7)
  const feeds: Feeds = {}
  for (const meta of session.inputMetadata) {
    if (!meta.isTensor) throw new UserError(`input '${meta.name}' is not a tensor: give sample inputs to compare outputs`)
    const dims = meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : batch))
    const count = dims.reduce((a, b) => a * b, 1)
    if (meta.type === 'float32') feeds[meta.name] = new ort.Tensor('float32', Float32Array.from({ length: count }, random), dims)
    else if (meta.type === 'int64') feeds[meta.name] = new ort.Tensor('int64', new BigInt64Array(count), dims)
    else if (meta.type === 'int32') feeds[meta.name] = new ort.Tensor('int32', new Int32Array(count), dims)
    else throw new UserError(`input '${meta.name}' holds ${meta.type}: give sample inputs to compare outputs`)
  }
  return feeds
}

export function outputDrift(name: string, parent: ort.Tensor, child: ort.Tensor): OutputDrift {
  const a = parent.data as ArrayLike<number>
  const b = child.data as ArrayLike<number>
  if (a.length !== b.length) throw new UserError(`output '${name}' changed size (${a.length} values before, ${b.length} after)`)
  let maxAbs = 0
  let sumAbs = 0
  let diff2 = 0
  let ref2 = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(Number(b[i]) - Number(a[i]))
    if (!Number.isFinite(Number(b[i]))) throw new UserError(`output '${name}' holds NaN or infinite values`)
    maxAbs = Math.max(maxAbs, d)
    sumAbs += d
    diff2 += d * d
    ref2 += Number(a[i]) ** 2
  }
  const drift = { name, maxAbs, meanAbs: sumAbs / Math.max(1, a.length), relativeL2: Math.sqrt(diff2 / (ref2 || 1)) }
  if (parent.dims.length !== 2 || (parent.dims[1] as number) < 2) return drift
  const [rows, cols] = parent.dims as [number, number]
  let agree = 0
  for (let r = 0; r < rows; r++) {
    let pa = 0
    let pb = 0
    for (let c = 1; c < cols; c++) {
      if (Number(a[r * cols + c]) > Number(a[r * cols + pa])) pa = c
      if (Number(b[r * cols + c]) > Number(b[r * cols + pb])) pb = c
    }
    if (pa === pb) agree++
  }
  return { ...drift, top1Agreement: agree / rows }
}

/** Loads both models, runs them on `feeds` (or synthetic inputs) and measures the drift of every output. */
export async function compareWithParent(parent: string | Uint8Array, child: string | Uint8Array, what: string, feeds?: Feeds): Promise<OutputCheck> {
  const parentSession = await open(parent, 'the parent model')
  const childSession = await open(child, what)
  try {
    const inputs = feeds ?? syntheticFeeds(parentSession)
    let before: ort.InferenceSession.ReturnType
    let after: ort.InferenceSession.ReturnType
    try {
      before = await parentSession.run(inputs)
      after = await childSession.run(inputs)
    } catch (error) {
      throw new UserError(`${what} fails to run on the parent's inputs: ${cleanOrtMessage(error)}`)
    }
    const samples = (Object.values(inputs)[0]?.dims[0] as number | undefined) ?? 1
    const outputs = parentSession.outputNames.map((name) => {
      const out = after[name]
      if (!out) throw new UserError(`${what} lost the output '${name}'`)
      return outputDrift(name, before[name] as ort.Tensor, out)
    })
    return { inputs: feeds ? 'given' : 'synthetic', samples, outputs }
  } finally {
    await parentSession.release()
    await childSession.release()
  }
}
