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

export class ServerMetrics {
  readonly registry = new Registry()
  private readonly success = this.counter('nv_inference_request_success', 'Successful inference requests')
  private readonly failure = new Counter({
    name: 'nv_inference_request_failure',
    help: 'Failed inference requests',
    labelNames: ['model', 'version', 'reason'],
    registers: [this.registry],
  })
  private readonly inferences = this.counter('nv_inference_count', 'Inferences performed (a batch of n counts n)')
  private readonly executions = this.counter('nv_inference_exec_count', 'Model executions (batches)')
  private readonly requestUs = this.counter('nv_inference_request_duration_us', 'Cumulative end-to-end inference µs')
  private readonly queueUs = this.counter('nv_inference_queue_duration_us', 'Cumulative queue µs')
  private readonly inputUs = this.counter('nv_inference_compute_input_duration_us', 'Cumulative input preparation µs')
  private readonly inferUs = this.counter('nv_inference_compute_infer_duration_us', 'Cumulative model execution µs')
  private readonly outputUs = this.counter('nv_inference_compute_output_duration_us', 'Cumulative output extraction µs')
  private readonly pending = new Gauge({
    name: 'nv_inference_pending_request_count',
    help: 'Requests waiting in the model queue',
    labelNames: ['model', 'version'],
    registers: [this.registry],
  })
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
  }

  private counter(name: string, help: string): Counter<'model' | 'version'> {
    return new Counter({ name, help, labelNames: ['model', 'version'], registers: [this.registry] })
  }

  /** The recorder of one model version; it keeps its statistics across unload and reload. */
  recorder(model: string, version: number): VersionRecorder {
    const key = `${model}\u0000${version}`
    let recorder = this.recorders.get(key)
    if (!recorder) {
      const labels = { model, version: String(version) }
      recorder = new VersionRecorder(model, version, {
        success: this.success.labels(labels),
        failure: (reason) => this.failure.inc({ ...labels, reason }),
        inferences: this.inferences.labels(labels),
        executions: this.executions.labels(labels),
        requestUs: this.requestUs.labels(labels),
        queueUs: this.queueUs.labels(labels),
        inputUs: this.inputUs.labels(labels),
        inferUs: this.inferUs.labels(labels),
        outputUs: this.outputUs.labels(labels),
        pending: this.pending.labels(labels),
        latency: this.latency.labels(labels),
      })
      this.recorders.set(key, recorder)
    }
    return recorder
  }

  recordersOf(model?: string): VersionRecorder[] {
    return [...this.recorders.values()].filter((r) => model === undefined || r.model === model)
  }
}

interface Bound {
  success: { inc(n?: number): void }
  failure: (reason: FailureReason) => void
  inferences: { inc(n?: number): void }
  executions: { inc(n?: number): void }
  requestUs: { inc(n?: number): void }
  queueUs: { inc(n?: number): void }
  inputUs: { inc(n?: number): void }
  inferUs: { inc(n?: number): void }
  outputUs: { inc(n?: number): void }
  pending: { inc(n?: number): void; dec(n?: number): void }
  latency: { observe(value: number): void }
}

export class VersionRecorder {
  private readonly inference = {
    success: duration(),
    fail: duration(),
    queue: duration(),
    compute_input: duration(),
    compute_infer: duration(),
    compute_output: duration(),
  }
  private inferenceCount = 0
  private executionCount = 0
  private lastInference = 0
  private readonly batches = new Map<number, { count: number; input: number; infer: number; output: number }>()

  constructor(
    readonly model: string,
    readonly version: number,
    private readonly bound: Bound,
  ) {}

  enqueued(): void {
    this.bound.pending.inc()
  }

  dequeued(): void {
    this.bound.pending.dec()
  }

  /** One model execution over `batchSize` batch elements (possibly merged from several requests). */
  executed(batchSize: number, timing: Omit<Timing, 'queueNs'>): void {
    this.executionCount++
    this.bound.executions.inc()
    const stat = this.batches.get(batchSize) ?? { count: 0, input: 0, infer: 0, output: 0 }
    stat.count++
    stat.input += timing.computeInputNs
    stat.infer += timing.computeInferNs
    stat.output += timing.computeOutputNs
    this.batches.set(batchSize, stat)
  }

  succeeded(batchSize: number, totalNs: number, timing: Timing): void {
    this.lastInference = Date.now()
    this.inferenceCount += batchSize
    add(this.inference.success, totalNs)
    add(this.inference.queue, timing.queueNs)
    add(this.inference.compute_input, timing.computeInputNs)
    add(this.inference.compute_infer, timing.computeInferNs)
    add(this.inference.compute_output, timing.computeOutputNs)
    const b = this.bound
    b.success.inc()
    b.inferences.inc(batchSize)
    b.requestUs.inc(totalNs / 1000)
    b.queueUs.inc(timing.queueNs / 1000)
    b.inputUs.inc(timing.computeInputNs / 1000)
    b.inferUs.inc(timing.computeInferNs / 1000)
    b.outputUs.inc(timing.computeOutputNs / 1000)
    b.latency.observe(totalNs / 1e6)
  }

  failed(reason: FailureReason, totalNs: number): void {
    add(this.inference.fail, totalNs)
    this.bound.failure(reason)
  }

  /** `$model_stat` of Triton's statistics extension. */
  stat(): Record<string, unknown> {
    return {
      name: this.model,
      version: String(this.version),
      last_inference: this.lastInference,
      inference_count: this.inferenceCount,
      execution_count: this.executionCount,
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
