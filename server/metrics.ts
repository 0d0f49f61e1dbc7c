// Prometheus metrics under Triton's names (so Triton dashboards carry over) and the cumulative
// statistics of Triton's statistics extension, both fed from the same per-version recorder.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface Timing {
  queueNs: number
  computeInputNs: number
  computeInferNs: number
  computeOutputNs: number
}

interface DurationStat {
  count: number
  ns: number
}

function duration(): DurationStat {
  return { count: 0, ns: 0 }
}

function add(stat: DurationStat, ns: number): void {
  stat.count++
  stat.ns += ns
}

export type FailureReason = 'REJECTED' | 'CANCELED' | 'BACKEND' | 'OTHER'

const LATENCY_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000]

type CounterField = 'success' | 'inferences' | 'executions' | 'requestUs' | 'queueUs' | 'inputUs' | 'inferUs' | 'outputUs'

// Counters are read from the recorders when Prometheus scrapes, so a request pays for plain additions
// only, not for a label hash per metric.
const COUNTERS: [string, string, CounterField][] = [
  ['nv_inference_request_success', 'Successful inference requests', 'success'],
  ['nv_inference_count', 'Inferences performed (a batch of n counts n)', 'inferences'],
  ['nv_inference_exec_count', 'Model executions (batches)', 'executions'],
  ['nv_inference_request_duration_us', 'Cumulative end-to-end inference µs', 'requestUs'],
  ['nv_inference_queue_duration_us', 'Cumulative queue µs', 'queueUs'],
  ['nv_inference_compute_input_duration_us', 'Cumulative input preparation µs', 'inputUs'],
  ['nv_inference_compute_infer_duration_us', 'Cumulative model execution µs', 'inferUs'],
  ['nv_inference_compute_output_duration_us', 'Cumulative output extraction µs', 'outputUs'],
]

export class ServerMetrics {
  readonly registry = new Registry()
  private readonly latency = new Histogram({
    name: 'slipway_inference_request_duration_ms',
    help: 'End-to-end inference request latency in milliseconds',
    labelNames: ['model', 'version'],
    buckets: LATENCY_BUCKETS_MS,
    registers: [this.registry],
  })
  private readonly recorders = new Map<string, VersionRecorder>()

  constructor() {
    collectDefaultMetrics({ register: this.registry })
    const recorders = this.recorders
    for (const [name, help, field] of COUNTERS) {
      new Counter({
        name,
        help,
        labelNames: ['model', 'version'],
        registers: [this.registry],
        collect() {
          this.reset()
          for (const r of recorders.values()) this.inc(r.labels, r.totals[field])
        },
      })
    }
    new Counter({
      name: 'nv_inference_request_failure',
      help: 'Failed inference requests',
      labelNames: ['model', 'version', 'reason'],
      registers: [this.registry],
      collect() {
        this.reset()
        for (const r of recorders.values()) {
          for (const [reason, count] of r.failures) this.inc({ ...r.labels, reason }, count)
        }
      },
    })
    new Gauge({
      name: 'nv_inference_pending_request_count',
      help: 'Requests waiting in the model queue',
      labelNames: ['model', 'version'],
      registers: [this.registry],
      collect() {
        this.reset()
        for (const r of recorders.values()) this.set(r.labels, r.pending)
      },
    })
  }

  /** The recorder of one model version; it keeps its statistics across unload and reload. */
  recorder(model: string, version: number): VersionRecorder {
    const key = `${model}\u0000${version}`
    let recorder = this.recorders.get(key)
    if (!recorder) {
      recorder = new VersionRecorder(model, version, this.latency.labels({ model, version: String(version) }))
      this.recorders.set(key, recorder)
    }
    return recorder
  }

  recordersOf(model?: string): VersionRecorder[] {
    return [...this.recorders.values()].filter((r) => model === undefined || r.model === model)
  }
}

export class VersionRecorder {
  readonly labels: { model: string; version: string }
  readonly totals: Record<CounterField, number> = {
    success: 0,
    inferences: 0,
    executions: 0,
    requestUs: 0,
    queueUs: 0,
    inputUs: 0,
    inferUs: 0,
    outputUs: 0,
  }
  readonly failures = new Map<FailureReason, number>()
  pending = 0
  private readonly inference = {
    success: duration(),
    fail: duration(),
    queue: duration(),
    compute_input: duration(),
    compute_infer: duration(),
    compute_output: duration(),
  }
  private lastInference = 0
  private readonly batches = new Map<number, { count: number; input: number; infer: number; output: number }>()

  constructor(
    readonly model: string,
    readonly version: number,
    private readonly latency: { observe(value: number): void },
  ) {
    this.labels = { model, version: String(version) }
  }

  enqueued(): void {
    this.pending++
  }

  dequeued(): void {
    this.pending--
  }

  /** One model execution over `batchSize` batch elements (possibly merged from several requests). */
  executed(batchSize: number, timing: Omit<Timing, 'queueNs'>): void {
    this.totals.executions++
    const stat = this.batches.get(batchSize) ?? { count: 0, input: 0, infer: 0, output: 0 }
    stat.count++
    stat.input += timing.computeInputNs
    stat.infer += timing.computeInferNs
    stat.output += timing.computeOutputNs
    this.batches.set(batchSize, stat)
  }

  succeeded(batchSize: number, totalNs: number, timing: Timing): void {
    this.lastInference = Date.now()
    add(this.inference.success, totalNs)
    add(this.inference.queue, timing.queueNs)
    add(this.inference.compute_input, timing.computeInputNs)
    add(this.inference.compute_infer, timing.computeInferNs)
    add(this.inference.compute_output, timing.computeOutputNs)
    const t = this.totals
    t.success++
    t.inferences += batchSize
    t.requestUs += totalNs / 1000
    t.queueUs += timing.queueNs / 1000
    t.inputUs += timing.computeInputNs / 1000
    t.inferUs += timing.computeInferNs / 1000
    t.outputUs += timing.computeOutputNs / 1000
    this.latency.observe(totalNs / 1e6)
  }

  failed(reason: FailureReason, totalNs: number): void {
    add(this.inference.fail, totalNs)
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1)
  }

  /** `$model_stat` of Triton's statistics extension. */
  stat(): Record<string, unknown> {
    return {
      name: this.model,
      version: String(this.version),
      last_inference: this.lastInference,
      inference_count: this.totals.inferences,
      execution_count: this.totals.executions,
      inference_stats: { ...this.inference, cache_hit: duration(), cache_miss: duration() },
      batch_stats: [...this.batches.entries()]
        .sort(([a], [b]) => a - b)
        .map(([size, s]) => ({
          batch_size: size,
          compute_input: { count: s.count, ns: s.input },
          compute_infer: { count: s.count, ns: s.infer },
          compute_output: { count: s.count, ns: s.output },
        })),
    }
  }
}
