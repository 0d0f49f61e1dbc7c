// Reading intermediate tensors: the model is re-emitted with the wanted values as extra graph outputs
// (values inside If/Loop/Scan bodies included, through their nodes) and run batch by batch, handing each
// batch's float32 values to a visitor. Calibration and the SQNR report both see the graph this way.
import type { Feed } from '../data/load-tensors'
import { exposeValues } from '../onnx/expose-values'
import { nameAllocator } from '../onnx/graph-edit'
import type { ModelProto } from '../onnx/onnx-types'
import type { JobContext } from '../jobs/job-context'
import { openModelSession, runSession } from './ort-feeds'

export interface CaptureOptions {
  readonly what: string
  readonly ctx: JobContext
  /** Progress is reported from `from` to `to` of the whole task. */
  readonly from: number
  readonly to: number
  readonly stage: string
  /** The folder of the model's side file, when it has external data. */
  readonly modelDir?: string
}

/** Runs every feed and calls `visit(name, values, batchIndex)` for each captured float32 tensor. */
export async function captureTensors(
  model: ModelProto,
  names: readonly string[],
  feeds: readonly Feed[],
  visit: (name: string, values: Float32Array, batch: number) => void,
  options: CaptureOptions,
): Promise<void> {
  // Graph inputs cannot also be outputs: their values come straight from the feed.
  const inputs = new Set((model.graph?.input ?? []).map((i) => i.name ?? ''))
  const exposed = exposeValues(model, names.filter((n) => !inputs.has(n)), nameAllocator(model.graph ?? {}))
  const fetched = [...new Set(exposed.outputs.values())]
  const session = await openModelSession(exposed.model, options.what, options.modelDir)
  try {
    for (let b = 0; b < feeds.length; b++) {
      options.ctx.throwIfCancelled()
      const feed = feeds[b] as Feed
      const outputs = await runSession(session, feed, options.what, fetched)
      for (const name of names) {
        const output = outputs[exposed.outputs.get(name) ?? '']
        const given = feed[name]
        if (output?.type === 'float32') visit(name, output.data as Float32Array, b)
        else if (given?.dtype === 'float32') visit(name, given.data as Float32Array, b)
      }
      const fraction = options.from + ((options.to - options.from) * (b + 1)) / feeds.length
      options.ctx.progress(fraction, options.stage, `batch ${b + 1} of ${feeds.length}`)
    }
  } finally {
    await session.release()
  }
}
