// Executes requests on one loaded model version: a bounded queue, `instanceCount` executions at a time,
// and Triton's dynamic batcher (requests with the same non-batch shape are concatenated along dim 0 up to
// max_batch_size, waiting at most max_queue_delay for more, then the outputs are split back).
import * as ort from 'onnxruntime-node'
import { DATATYPES, datatypeFromOrt, type TypedArray } from '../main/core/serving/datatypes'
import { HttpError } from './http-error'
import type { Tensor, TensorData } from './infer-codec'
import type { DynamicBatching } from '../main/core/serving/model-config'
import type { Timing, VersionRecorder } from './metrics'

export interface RunnerOptions {
  maxBatchSize: number
  batching?: DynamicBatching
  instanceCount: number
  maxQueueSize: number
  queueTimeoutMs: number
}

export interface RunResult {
  outputs: Tensor[]
  timing: Timing
}

interface Job {
  inputs: Tensor[]
  batch: number
  key: string
  enqueuedAt: bigint
  resolve: (result: RunResult) => void
  reject: (error: unknown) => void
}

const now = process.hrtime.bigint

function batchKey(inputs: Tensor[]): string {
  return inputs.map((t) => `${t.name}:${t.datatype}:${t.shape.slice(1).join(',')}`).join('|')
}

function concat(parts: TensorData[], datatype: Tensor['datatype']): TensorData {
  if (Array.isArray(parts[0])) return (parts as string[][]).flat()
  const total = parts.reduce((n, p) => n + p.length, 0)
  const out = DATATYPES[datatype].make(total) as TypedArray
  let at = 0
  for (const part of parts as TypedArray[]) {
    ;(out as Uint8Array).set(part as Uint8Array, at)
    at += part.length
  }
  return out
}

function fromOrt(name: string, value: ort.Tensor): Tensor {
  const datatype = datatypeFromOrt(value.type)
  if (!datatype) throw new HttpError(500, `output '${name}' has a type the protocol cannot carry`)
  return { name, datatype, shape: value.dims.map(Number), data: value.data as TensorData }
}

export class BatchRunner {
  private readonly queue: Job[] = []
  private busy = 0
  private timer: NodeJS.Timeout | undefined
  private readonly idle: (() => void)[] = []

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly options: RunnerOptions,
    private readonly recorder: VersionRecorder,
  ) {}

  get pending(): number {
    return this.queue.length
  }

  /** Inputs must already be validated against the model config (names, types, dims, batch size). */
  run(inputs: Tensor[]): Promise<RunResult> {
    if (this.queue.length >= this.options.maxQueueSize) {
      throw new HttpError(503, 'the model queue is full, retry later', { 'retry-after': '1' })
    }
    const sorted = [...inputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const batch = this.options.maxBatchSize > 0 ? (sorted[0]?.shape[0] ?? 1) : 1
    return new Promise<RunResult>((resolve, reject) => {
      this.queue.push({ inputs: sorted, batch, key: batchKey(sorted), enqueuedAt: now(), resolve, reject })
      this.recorder.enqueued()
      this.pump()
    })
  }

  /** Resolves once nothing is queued or executing (used before releasing a replaced version). */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.busy === 0) return Promise.resolve()
    return new Promise((resolve) => this.idle.push(resolve))
  }

  private pump(): void {
    while (this.busy < this.options.instanceCount && this.queue.length > 0) {
      const jobs = this.take()
      if (!jobs) return
      this.busy++
      void this.execute(jobs).finally(() => {
        this.busy--
        this.pump()
        if (this.queue.length === 0 && this.busy === 0) for (const resolve of this.idle.splice(0)) resolve()
      })
    }
  }

  /** Answers 504 to requests that waited past the queue timeout; they are the oldest, so at the front. */
  private expire(): void {
    const limit = BigInt(this.options.queueTimeoutMs) * 1_000_000n
    const current = now()
    while (this.queue.length > 0 && current - this.queue[0]!.enqueuedAt > limit) {
      const job = this.queue.shift()!
      this.recorder.dequeued()
      job.reject(new HttpError(504, `the request waited more than ${this.options.queueTimeoutMs} ms in the model queue`))
    }
  }

  private take(): Job[] | undefined {
    this.expire()
    if (this.queue.length === 0) return undefined
    const batching = this.options.batching
    if (!batching || this.options.maxBatchSize === 0) return this.queue.splice(0, 1)
    const first = this.queue[0]!
    const sums: number[] = []
    let sum = 0
    for (const job of this.queue) {
      if (job.key !== first.key || sum + job.batch > this.options.maxBatchSize) break
      sum += job.batch
      sums.push(sum)
    }
    const preferred = batching.preferredBatchSize
    const target = preferred.length > 0 ? Math.max(...preferred) : this.options.maxBatchSize
    const canGrow = sums.length === this.queue.length && sum < target
    if (canGrow && batching.maxQueueDelayMicroseconds > 0) {
      const waitedUs = Number(now() - first.enqueuedAt) / 1000
      const leftUs = batching.maxQueueDelayMicroseconds - waitedUs
      if (leftUs > 0) {
        clearTimeout(this.timer)
        this.timer = setTimeout(() => this.pump(), Math.max(0, leftUs / 1000))
        return undefined
      }
    }
    let count = sums.length
    const bestPreferred = preferred.filter((p) => sums.includes(p)).sort((a, b) => b - a)[0]
    if (bestPreferred !== undefined) count = sums.indexOf(bestPreferred) + 1
    return this.queue.splice(0, count)
  }

  private async execute(jobs: Job[]): Promise<void> {
    const started = now()
    for (const _ of jobs) this.recorder.dequeued()
    try {
      const first = jobs[0]!
      const feeds: Record<string, ort.Tensor> = {}
      const total = jobs.reduce((n, j) => n + j.batch, 0)
      first.inputs.forEach((input, i) => {
        const data = jobs.length === 1 ? input.data : concat(jobs.map((j) => j.inputs[i]!.data), input.datatype)
        const shape = jobs.length === 1 ? input.shape : [total, ...input.shape.slice(1)]
        feeds[input.name] = new ort.Tensor(DATATYPES[input.datatype].ort, data as TypedArray, shape)
      })
      const inputDone = now()
      const results = await this.session.run(feeds)
      const inferDone = now()
      const outputs = Object.entries(results).map(([name, value]) => fromOrt(name, value))
      const perJob = jobs.length === 1 ? [outputs] : this.split(outputs, jobs, total)
      const outputDone = now()
      const computeInputNs = Number(inputDone - started)
      const computeInferNs = Number(inferDone - inputDone)
      const computeOutputNs = Number(outputDone - inferDone)
      this.recorder.executed(total, { computeInputNs, computeInferNs, computeOutputNs })
      jobs.forEach((job, i) =>
        job.resolve({
          outputs: perJob[i]!,
          timing: { queueNs: Number(started - job.enqueuedAt), computeInputNs, computeInferNs, computeOutputNs },
        }),
      )
    } catch (error) {
      for (const job of jobs) job.reject(error)
    }
  }

  private split(outputs: Tensor[], jobs: Job[], total: number): Tensor[][] {
    const perJob: Tensor[][] = jobs.map(() => [])
    for (const output of outputs) {
      if (output.shape[0] !== total) throw new HttpError(500, `output '${output.name}' does not keep the batch dimension`)
      const row = total === 0 ? 0 : output.data.length / total
      let at = 0
      jobs.forEach((job, i) => {
        const data = output.data.slice(at * row, (at + job.batch) * row) as TensorData
        perJob[i]!.push({ ...output, shape: [job.batch, ...output.shape.slice(1)], data })
        at += job.batch
      })
    }
    return perJob
  }
}
