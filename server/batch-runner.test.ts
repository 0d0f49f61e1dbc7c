import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { BatchRunner, type RunnerOptions } from './batch-runner'
import { HttpError } from './http-error'
import type { Tensor } from './infer-codec'
import { ServerMetrics } from './metrics'

/** A session whose runs finish when the test says so; each run doubles its input `x` into `y`. */
function fakeSession() {
  const runs: { batch: number; release: () => void }[] = []
  const session = {
    run: (feeds: Record<string, ort.Tensor>) =>
      new Promise<Record<string, ort.Tensor>>((resolve) => {
        const x = feeds['x']!
        const data = Float32Array.from(x.data as Float32Array, (v) => v * 2)
        runs.push({ batch: x.dims[0]!, release: () => resolve({ y: new ort.Tensor('float32', data, x.dims) }) })
      }),
  }
  return { session: session as unknown as ort.InferenceSession, runs }
}

function row(value: number, batch = 1): Tensor[] {
  return [{ name: 'x', datatype: 'FP32', shape: [batch, 2], data: new Float32Array(batch * 2).fill(value) }]
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

function runner(options: Partial<RunnerOptions>) {
  const fake = fakeSession()
  const metrics = new ServerMetrics()
  const recorder = metrics.recorder('m', 1)
  const batcher = new BatchRunner(fake.session, { maxBatchSize: 8, instanceCount: 1, maxQueueSize: 100, queueTimeoutMs: 30_000, ...options }, recorder)
  return { ...fake, batcher, recorder, metrics }
}

describe('batch runner', () => {
  it('runs one request at a time per instance without dynamic batching', async () => {
    const { batcher, runs } = runner({})
    const results = [batcher.run(row(1)), batcher.run(row(2)), batcher.run(row(3))]
    await tick()
    expect(runs.map((r) => r.batch)).toEqual([1])
    runs[0]!.release()
    await tick()
    runs[1]!.release()
    await tick()
    runs[2]!.release()
    const outputs = await Promise.all(results)
    expect(outputs.map((o) => Array.from(o.outputs[0]!.data as Float32Array))).toEqual([[2, 2], [4, 4], [6, 6]])
    expect(runs.map((r) => r.batch)).toEqual([1, 1, 1])
  })

  it('merges requests queued behind a running batch and splits the outputs back', async () => {
    const { batcher, runs, recorder } = runner({ batching: { preferredBatchSize: [], maxQueueDelayMicroseconds: 0 } })
    const first = batcher.run(row(1))
    const rest = [batcher.run(row(2, 2)), batcher.run(row(3)), batcher.run(row(4, 3))]
    await tick()
    runs[0]!.release()
    await tick()
    expect(runs.map((r) => r.batch)).toEqual([1, 6])
    runs[1]!.release()
    const outputs = await Promise.all([first, ...rest])
    expect(outputs.map((o) => o.outputs[0]!.shape)).toEqual([[1, 2], [2, 2], [1, 2], [3, 2]])
    expect(Array.from(outputs[3]!.outputs[0]!.data as Float32Array)).toEqual([8, 8, 8, 8, 8, 8])
    expect(recorder.stat()['execution_count']).toBe(2)
  })

  it('never merges past max_batch_size and cuts at a preferred size', async () => {
    const { batcher, runs } = runner({ maxBatchSize: 4, batching: { preferredBatchSize: [2], maxQueueDelayMicroseconds: 0 } })
    const all = [batcher.run(row(0)), ...Array.from({ length: 5 }, (_, i) => batcher.run(row(i + 1)))]
    for (let i = 0; i < 4; i++) {
      await tick()
      runs[i]?.release()
    }
    await Promise.all(all)
    expect(runs.map((r) => r.batch)).toEqual([1, 2, 2, 1])
  })

  it('waits up to max_queue_delay for a batch to fill', async () => {
    const { batcher, runs } = runner({ batching: { preferredBatchSize: [], maxQueueDelayMicroseconds: 50_000 } })
    const a = batcher.run(row(1))
    await tick()
    const b = batcher.run(row(2))
    expect(runs).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(runs.map((r) => r.batch)).toEqual([2])
    runs[0]!.release()
    await Promise.all([a, b])
  })

  it('answers 503 with Retry-After once the queue is full, counting the rejection', async () => {
    const { batcher, runs, metrics } = runner({ maxQueueSize: 2 })
    const admitted = [batcher.run(row(1)), batcher.run(row(2)), batcher.run(row(3))]
    let rejected: unknown
    try {
      void batcher.run(row(4))
    } catch (error) {
      rejected = error
    }
    expect(rejected).toBeInstanceOf(HttpError)
    expect((rejected as HttpError).status).toBe(503)
    expect((rejected as HttpError).headers).toEqual({ 'retry-after': '1' })
    for (let i = 0; i < 3; i++) {
      await tick()
      runs[i]!.release()
    }
    await Promise.all(admitted)
    expect(await metrics.registry.getSingleMetricAsString('nv_inference_pending_request_count')).toContain('{model="m",version="1"} 0')
  })

  it('answers 504 to a request that waited past the queue timeout, without running it', async () => {
    const { batcher, runs } = runner({ queueTimeoutMs: 20 })
    const first = batcher.run(row(1))
    const late = batcher.run(row(2))
    const outcome = late.then(() => 'ran', (error: HttpError) => error.status)
    await new Promise((resolve) => setTimeout(resolve, 40))
    runs[0]!.release()
    await first
    expect(await outcome).toBe(504)
    expect(runs).toHaveLength(1)
  })
})
