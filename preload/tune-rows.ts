// A search's candidates as the comparison's rows (the baseline first), so that the tuner's pick, its live
// chart and the Compare tab read one kind of row with one pick rule and one Pareto front.
import type { TuneReport } from './api'
import { medianInterval, type ModelMetrics, type TimedMedian } from './pick-rule'

/** The median's interval, so that the pick rule tells latencies apart only beyond their uncertainty. */
function latencyIntervals(m: TimedMedian): Pick<ModelMetrics, 'intervals'> {
  const p50Ms = medianInterval(m)
  return p50Ms ? { intervals: { p50Ms } } : {}
}

/** The baseline and every measured candidate (the failed, dropped and unmeasured ones have no point). */
export function tuneRows(report: Pick<TuneReport, 'modelId' | 'model' | 'baseline' | 'candidates'>): ModelMetrics[] {
  const baseline: ModelMetrics = {
    id: report.modelId,
    name: report.model,
    recipe: 'baseline',
    isBaseline: true,
    sizeBytes: report.baseline.sizeBytes,
    parameters: undefined,
    p50Ms: report.baseline.p50Ms,
    p99Ms: undefined,
    throughput: report.baseline.samplesPerSec,
    memoryBytes: undefined,
    accuracy: report.baseline.accuracy,
    accuracyDrop: report.baseline.accuracy === undefined ? undefined : 0,
    agreement: 1,
    sqnrDb: undefined,
    ...latencyIntervals(report.baseline),
  }
  return [
    baseline,
    ...report.candidates
      .filter((c) => c.status === 'done' && c.modelId !== undefined && c.p50Ms !== undefined)
      .map(
        (c): ModelMetrics => ({
          id: c.modelId as string,
          name: `${report.model} · ${c.label}`,
          recipe: c.family,
          isBaseline: false,
          sizeBytes: c.sizeBytes ?? 0,
          parameters: undefined,
          p50Ms: c.p50Ms,
          p99Ms: undefined,
          throughput: c.samplesPerSec,
          memoryBytes: undefined,
          accuracy: c.accuracy,
          accuracyDrop: c.accuracyDropPoints,
          agreement: c.top1Agreement,
          sqnrDb: c.sqnrDb ?? undefined,
          ...latencyIntervals(c),
          ...(c.accuracyDropInterval ? { accuracyDropInterval: c.accuracyDropInterval } : {}),
        }),
      ),
  ]
}
