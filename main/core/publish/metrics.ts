// Live numbers of a deployed model from the server's Prometheus text (Triton's metric names plus
// Slipway's latency histogram): request and error rates and p50/p99 latency between two samples.

export interface MetricSample {
  readonly at: number
  readonly success: number
  readonly failure: number
  /** Cumulative histogram buckets (upper bound in ms → count), summed over the model's versions. */
  readonly buckets: ReadonlyMap<number, number>
}

export interface MetricWindow {
  readonly requestRate: number | null
  readonly errorRate: number | null
  readonly p50Ms: number | null
  readonly p99Ms: number | null
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/

function labelsOf(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const match of (text ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[match[1]!] = match[2]!.replace(/\\(.)/g, '$1')
  return labels
}

/** The counters of one model, summed over its versions. */
export function sampleOf(text: string, model: string, at: number): MetricSample {
  let success = 0
  let failure = 0
  const buckets = new Map<number, number>()
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue
    const match = LINE.exec(line)
    if (!match) continue
    const [, name, labelText, valueText] = match
    const labels = labelsOf(labelText)
    if (labels['model'] !== model) continue
    const value = Number(valueText)
    if (!Number.isFinite(value) && valueText !== '+Inf') continue
    if (name === 'nv_inference_request_success') success += value
    else if (name === 'nv_inference_request_failure') failure += value
    else if (name === 'slipway_inference_request_duration_ms_bucket') {
      const le = labels['le'] === '+Inf' ? Infinity : Number(labels['le'])
      buckets.set(le, (buckets.get(le) ?? 0) + value)
    }
  }
  return { at, success, failure, buckets }
}

/** The q-quantile from cumulative bucket counts (linear within a bucket, as Prometheus does). */
export function quantileOf(buckets: ReadonlyMap<number, number>, q: number): number | null {
  const bounds = [...buckets.keys()].sort((a, b) => a - b)
  const total = buckets.get(Infinity) ?? (bounds.length > 0 ? buckets.get(bounds[bounds.length - 1]!)! : 0)
  if (!total || total <= 0) return null
  const rank = q * total
  let lower = 0
  let below = 0
  for (const bound of bounds) {
    const count = buckets.get(bound)!
    if (count >= rank) {
      if (bound === Infinity) return lower
      const inBucket = count - below
      return inBucket <= 0 ? bound : lower + ((bound - lower) * (rank - below)) / inBucket
    }
    lower = bound
    below = count
  }
  return lower
}

export function windowBetween(previous: MetricSample | undefined, current: MetricSample): MetricWindow {
  if (!previous || current.at <= previous.at) {
    return { requestRate: null, errorRate: null, p50Ms: quantileOf(current.buckets, 0.5), p99Ms: quantileOf(current.buckets, 0.99) }
  }
  const seconds = (current.at - previous.at) / 1000
  const delta = new Map<number, number>()
  for (const [bound, count] of current.buckets) delta.set(bound, Math.max(0, count - (previous.buckets.get(bound) ?? 0)))
  const recent = [...delta.values()].some((v) => v > 0)
  return {
    requestRate: Math.max(0, current.success - previous.success) / seconds,
    errorRate: Math.max(0, current.failure - previous.failure) / seconds,
    // No requests in the window: the latency of all requests so far says more than nothing.
    p50Ms: quantileOf(recent ? delta : current.buckets, 0.5),
    p99Ms: quantileOf(recent ? delta : current.buckets, 0.99),
  }
}
