// Activation ranges from calibration data, run in the worker: min-max, percentile or entropy.
import type { Feed } from '../data/load-tensors'
import type { ModelProto } from '../onnx/onnx-types'
import type { JobContext } from '../jobs/job-context'
import { entropyThreshold } from './calibrate-entropy'
import { AbsHistogram, RangeAccumulator } from './calibrate-histogram'
import { DEFAULT_PERCENTILE, percentileThreshold } from './calibrate-percentile'
import { captureTensors } from './capture-tensors'

export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy'

export interface TensorRange {
  readonly min: number
  readonly max: number
}

export interface CalibrateOptions {
  readonly method: CalibrationMethod
  readonly percentile?: number
  readonly ctx: JobContext
  /** The folder of the model's side file, when it has external data. */
  readonly modelDir?: string
  /** Share of the task's progress bar calibration takes, from..to. */
  readonly from: number
  readonly to: number
}

export async function calibrateRanges(
  model: ModelProto,
  tensors: readonly string[],
  feeds: readonly Feed[],
  options: CalibrateOptions,
): Promise<Map<string, TensorRange>> {
  const ranges = new Map<string, RangeAccumulator>()
  const twoPass = options.method !== 'minmax'
  const mid = twoPass ? (options.from + options.to) / 2 : options.to
  const common = { what: 'the model for calibration', ctx: options.ctx, stage: 'calibrating', ...(options.modelDir ? { modelDir: options.modelDir } : {}) }
  await captureTensors(
    model,
    tensors,
    feeds,
    (name, values) => {
      let acc = ranges.get(name)
      if (!acc) ranges.set(name, (acc = new RangeAccumulator()))
      acc.add(values)
    },
    { ...common, from: options.from, to: mid },
  )
  const result = new Map<string, TensorRange>()
  if (!twoPass) {
    for (const [name, acc] of ranges) result.set(name, { min: acc.min, max: acc.max })
    return result
  }
  // The model's own outputs keep their whole range: clipping logits or scores changes the answer itself
  // (a class score, a box coordinate), not just the precision of a step inside.
  const outputs = new Set((model.graph?.output ?? []).map((o) => o.name ?? ''))
  const histograms = new Map<string, AbsHistogram>()
  for (const [name, acc] of ranges) {
    if (outputs.has(name)) result.set(name, { min: acc.min, max: acc.max })
    else histograms.set(name, new AbsHistogram(acc.absMax))
  }
  await captureTensors(model, [...histograms.keys()], feeds, (name, values) => histograms.get(name)?.add(values), {
    ...common,
    from: mid,
    to: options.to,
  })
  for (const [name, histogram] of histograms) {
    const acc = ranges.get(name) as RangeAccumulator
    const threshold =
      options.method === 'entropy'
        ? entropyThreshold(histogram)
        : percentileThreshold(histogram, options.percentile ?? DEFAULT_PERCENTILE)
    result.set(name, { min: Math.max(acc.min, -threshold), max: Math.min(acc.max, threshold) })
  }
  return result
}
