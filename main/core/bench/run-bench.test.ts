import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { zipSync } from 'fflate'
import { encodeNpy } from '../data/npy'
import { CancelledError, InputSpecError } from '../errors'
import { decodeModel, encodeModel } from '../onnx/codec'
import { spawnNodeWorker, type SpawnWorker } from '../worker/spawn-node-worker'
import { watchedSpawn } from '../worker/worker-test-support'
import { runBenchmarks } from './run-bench'
import { relativeSpread } from './statistics'

const fixture = (path: string): string => fileURLToPath(new URL(`../../../test-fixtures/${path}`, import.meta.url))
const mlp = { path: fixture('onnx/digits_mlp.onnx'), label: 'digits_mlp' }
const squeezenet = { path: fixture('onnx/squeezenet1_1_random.onnx'), label: 'squeezenet' }
const vad = { path: fixture('onnx/silero_vad_v5.onnx'), label: 'silero_vad' }

/** Spawns real workers and counts those that time a configuration, so a test can check that none started. */
function countingSpawn(): { spawn: SpawnWorker; count: () => number } {
  let count = 0
  return {
    spawn: watchedSpawn((task) => {
      if (task === 'bench-model') count++
    }),
    count: () => count,
  }
}

/** Whether a process still runs (a killed child not yet reaped by its parent is a zombie: not running). */
async function running(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    return !/^\d+ \(.*\) Z/.test(stat)
  } catch {
    return false
  }
}

// Worker processes start slowly on a loaded two-core machine: these tests get room beyond the default.
describe('runBenchmarks', { timeout: 180_000 }, () => {
  it('measures every configuration in its own worker with every statistic', async () => {
    const { spawn, count } = countingSpawn()
    const details: string[] = []
    const partials: number[] = []
    const report = await runBenchmarks(spawn, [mlp], { batches: [1, 4], threads: [1], warmup: 3, iterations: 40 }, {
      onProgress: (_f, _s, detail) => details.push(detail ?? ''),
      onResult: (results) => partials.push(results.length),
    })
    expect(count()).toBe(2)
    expect(partials).toEqual([1, 2])
    expect(report.results.map((r) => [r.batch, r.threads, r.iterations])).toEqual([
      [1, 1, 40],
      [4, 1, 40],
    ])
    const size = (await stat(mlp.path)).size
    for (const r of report.results) {
      const l = r.latencyMs
      expect(l.min).toBeGreaterThan(0)
      expect(l.min <= l.p50 && l.p50 <= l.p90 && l.p90 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.max).toBe(true)
      expect(r.throughput.samplesPerSec).toBeCloseTo(r.throughput.inferencesPerSec * r.batch, 6)
      expect(r.throughput.inferencesPerSec).toBeCloseTo(1000 / l.mean, 6)
      expect(r.histogram.counts.reduce((a, b) => a + b, 0)).toBe(40)
      expect(r.sizeBytes).toBe(size)
      expect(r.peakRssBytes).toBeGreaterThan(0)
      expect(r.sessionCreateMs).toBeGreaterThan(0)
      expect(r.inputs[0]?.shape).toEqual([r.batch, 64])
    }
    expect(report.cpu.logicalCores).toBeGreaterThan(0)
    if (process.platform === 'linux' && process.arch === 'x64') expect(report.cpu.instructionSets).toContain('sse4_2')
    expect(details.some((d) => /digits_mlp · batch 4 · 1 thread · .*p50 [\d.]+ ms/.test(d))).toBe(true)
    expect(report.sweetSpots).toHaveLength(1)
  })

  it('stops once the median is stable, or at the time budget, and says which', async () => {
    const adaptive = await runBenchmarks(spawnNodeWorker, [mlp], { durationS: 3, stableWithin: 0.05, warmup: 3 })
    const result = adaptive.results[0]
    const p50 = result?.intervals?.p50Ms
    expect(adaptive.settings).toMatchObject({ durationS: 3, stableWithin: 0.05 })
    expect(p50 && p50.low <= (result?.latencyMs.p50 ?? 0) && (result?.latencyMs.p50 ?? 0) <= p50.high).toBe(true)
    // Stable means the interval is within ±5% (a busy machine may use the whole budget instead).
    if (result?.stop === 'stable') expect(p50 && relativeSpread(p50)).toBeLessThanOrEqual(0.05)
    else expect(result?.stop).toBe('budget')
    const budget = await runBenchmarks(spawnNodeWorker, [mlp], { durationS: 0.3, stableWithin: 0, warmup: 1 })
    expect(budget.results[0]?.stop).toBe('budget')
    const runs = await runBenchmarks(spawnNodeWorker, [mlp], { iterations: 7, warmup: 1 })
    expect(runs.results[0]).toMatchObject({ stop: 'runs', iterations: 7 })
    // 7 runs give a median interval but none for p99.
    expect(runs.results[0]?.intervals?.p50Ms).toBeDefined()
    expect(runs.results[0]?.intervals?.p99Ms).toBeUndefined()
  })

  it('feeds real data, cycling its rows to fill the batch', async () => {
    const report = await runBenchmarks(spawnNodeWorker, [mlp], {
      batches: [3],
      iterations: 5,
      warmup: 1,
      dataPath: fixture('data/digits_test_x.npy'),
      data: { limit: 2 },
    })
    expect(report.results[0]?.inputs[0]?.shape).toEqual([3, 64])
    expect(report.settings.data).toContain('digits_test_x.npy')
  })

  it('runs a fixed-batch model at its own batch by default, and a model whose inputs need values once told them', async () => {
    const mnist = { path: fixture('onnx/mnist-8.onnx'), label: 'mnist-8' }
    const mnistReport = await runBenchmarks(spawnNodeWorker, [mnist], { iterations: 5, warmup: 1 })
    expect(mnistReport.results.map((r) => r.batch)).toEqual([1])
    const dir = await mkdtemp(join(tmpdir(), 'slipway-bench-'))
    try {
      // An .npz as a user saves it for a silero-style detector: audio rows, a state, and a 0-d sample rate.
      const data = join(dir, 'vad.npz')
      const npy = (dtype: string, dims: number[], values: Float32Array | BigInt64Array): Uint8Array => encodeNpy({ dtype, dims, data: values })
      await writeFile(data, zipSync({ 'input.npy': npy('float32', [1, 512], new Float32Array(512)), 'state.npy': npy('float32', [2, 1, 128], new Float32Array(256)), 'sr.npy': npy('int64', [], BigInt64Array.of(16000n)) }))
      const report = await runBenchmarks(spawnNodeWorker, [vad], { iterations: 5, warmup: 1, dataPath: data })
      expect(report.results[0]?.inputs.map((i) => i.shape)).toEqual([[1, 512], [2, 1, 128], []])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    const spec = { shapes: { input: [1, 512], state: [2, 1, 128] } }
    const failed = runBenchmarks(spawnNodeWorker, [{ ...vad, inputSpec: spec }], { iterations: 5, warmup: 1 })
    await expect(failed).rejects.toBeInstanceOf(InputSpecError)
    await expect(failed).rejects.toMatchObject({ inputProblems: [{ input: 'sr', needs: 'values' }] })
    const told = await runBenchmarks(spawnNodeWorker, [{ ...vad, inputSpec: { ...spec, values: { sr: 16000 } } }], { iterations: 5, warmup: 1 })
    expect(told.results[0]?.inputs.map((i) => i.shape)).toEqual([[1, 512], [2, 1, 128], []])
  })

  it('refuses bad requests before any configuration is timed', async () => {
    const { spawn, count } = countingSpawn()
    const cnn = { path: fixture('onnx/digits_cnn.onnx'), label: 'digits_cnn' }
    const mnist = { path: fixture('onnx/mnist-8.onnx'), label: 'mnist-8' }
    await expect(runBenchmarks(spawn, [mlp, squeezenet], { shapes: { input: [1, 3, 128, 128] } })).rejects.toThrow(
      /contradicts digits_mlp/,
    )
    await expect(runBenchmarks(spawn, [mlp, squeezenet], { shapes: { image: [1, 3, 224, 224] } })).rejects.toThrow(
      "the inputs given name 'image', which none of the models has",
    )
    await expect(runBenchmarks(spawn, [mlp, mnist], { batches: [8] })).rejects.toThrow(
      "batch size 8 contradicts mnist-8: its input 'Input3' has a fixed batch of 1",
    )
    await expect(runBenchmarks(spawn, [cnn], { dataPath: fixture('data/digits_test_x.npy') })).rejects.toThrow(
      /digits_test_x.npy: input 'input'.*\[360,64\].*float32 \[batch,1,8,8\]/,
    )
    await expect(runBenchmarks(spawn, [{ path: fixture('onnx/missing.onnx'), label: 'x' }], {})).rejects.toThrow(/missing.onnx: file not found/)
    await expect(runBenchmarks(spawn, [mlp], { iterations: 10, durationS: 1 })).rejects.toThrow(/not both/)
    expect(count()).toBe(0)
  })

  it('does not retry a model ONNX Runtime refuses to load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-bench-'))
    try {
      const model = decodeModel(await readFile(mlp.path))
      model.opsetImport = [{ domain: '', version: 999 }]
      const path = join(dir, 'future.onnx')
      await writeFile(path, encodeModel(model))
      const { spawn, count } = countingSpawn()
      await expect(runBenchmarks(spawn, [{ path, label: 'future' }], { batches: [1, 2, 4], iterations: 5 })).rejects.toThrow(
        /future.onnx: ONNX Runtime cannot load it: .*opset/i,
      )
      expect(count()).toBe(1)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a crashed worker fails only its configuration, with the signal', async () => {
    let crashed = false
    const spawn: SpawnWorker = () => {
      const worker = spawnNodeWorker()
      // What a segfault in ONNX Runtime looks like from outside: the first configuration's process dies by SIGSEGV mid-task.
      return {
        ...worker,
        pid: worker.pid,
        onMessage: (listener) =>
          worker.onMessage((message) => {
            if (message.type === 'progress' && message.stage === 'warm-up' && !crashed && worker.pid) {
              crashed = true
              process.kill(worker.pid, 'SIGSEGV')
            }
            listener(message)
          }),
      }
    }
    const report = await runBenchmarks(spawn, [squeezenet, mlp], { iterations: 20, warmup: 2 })
    expect(report.failures).toHaveLength(1)
    expect(report.failures[0]?.model).toBe('squeezenet')
    expect(report.failures[0]?.error).toMatch(/killed by SIGSEGV/)
    expect(report.results.map((r) => r.model)).toEqual(['digits_mlp'])
  })

  it('reads the model and data files in a worker: a file that crashes its reader fails the benchmark, and the engine goes on', async () => {
    // What a parser crash on a hostile file looks like from outside: the reading worker dies by SIGSEGV.
    const spawn = watchedSpawn((task, worker) => {
      if (task === 'bench-plan' && worker.pid) process.kill(worker.pid, 'SIGSEGV')
    })
    await expect(runBenchmarks(spawn, [mlp], { iterations: 5, warmup: 1 })).rejects.toThrow(/killed by SIGSEGV while running "bench-plan"/)
    const dir = await mkdtemp(join(tmpdir(), 'slipway-bench-'))
    try {
      const corrupt = join(dir, 'corrupt.onnx')
      await writeFile(corrupt, Buffer.from('\x08\x07\x12\xff\xff\xff\xff\x0fnot a model', 'latin1'))
      await expect(runBenchmarks(spawnNodeWorker, [{ path: corrupt, label: 'corrupt' }], { iterations: 5, warmup: 1 })).rejects.toThrow(/corrupt\.onnx/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    const report = await runBenchmarks(spawnNodeWorker, [mlp], { iterations: 5, warmup: 1 })
    expect(report.results.map((r) => r.iterations)).toEqual([5])
  })

  it('stops a worker past its time limit or memory cap and says which', async () => {
    await expect(runBenchmarks(spawnNodeWorker, [squeezenet], { durationS: 30, stableWithin: 0, timeLimitS: 2 })).rejects.toThrow(
      'squeezenet: the task ran past its time limit of 2 s and was stopped',
    )
    // A bare Node worker with ONNX Runtime loaded already holds more than 40 MB.
    await expect(runBenchmarks(spawnNodeWorker, [mlp], { iterations: 10, memoryCapMb: 40 })).rejects.toThrow(
      /digits_mlp: the worker grew past its memory cap of 40\.0 MiB/,
    )
  })

  it('cancels within a second and kills the worker', async () => {
    const controller = new AbortController()
    let pid = 0
    const spawn: SpawnWorker = () => {
      const worker = spawnNodeWorker()
      pid = worker.pid ?? 0
      return worker
    }
    let cancelledAt = 0
    const run = runBenchmarks(spawn, [squeezenet], { durationS: 60, stableWithin: 0, warmup: 0 }, {
      signal: controller.signal,
      onProgress: (_f, stage) => {
        if (stage === 'measuring' && !cancelledAt) {
          cancelledAt = Date.now()
          controller.abort()
        }
      },
    })
    await expect(run).rejects.toBeInstanceOf(CancelledError)
    // The worker stops at its next progress tick (≤ 0.5 s) or is killed after the 1 s grace; the rest is
    // scheduling delay on a loaded two-core machine. A run that was not stopped would take 60 s.
    expect(Date.now() - cancelledAt).toBeLessThan(3000)
    for (let wait = 0; wait < 20 && (await running(pid)); wait++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await running(pid)).toBe(false)
  }, 60_000)
})
