import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BenchmarkReport, BenchmarkResult, CompareReport, JobInfo, ModelEntry } from '../../../preload/api'
import { spawnNodeWorker } from '../worker/spawn-node-worker'
import { watchedSpawn } from '../worker/worker-test-support'
import { Workspace } from '../workspace/workspace'
import { benchmarkJob, resultName } from './benchmark-job'
import { compareJob } from './compare-job'
import type { JobEnv } from './job-kinds'
import { JobQueue } from './job-queue'

const fixture = (path: string): string => fileURLToPath(new URL(`../../../test-fixtures/${path}`, import.meta.url))
let dir: string
let env: JobEnv
let mlp: ModelEntry
let cnn: ModelEntry

async function add(workspace: Workspace, name: string, file: string): Promise<ModelEntry> {
  return workspace.add({ name, format: 'onnx', mainFile: 'model.onnx', source: 'test' }, [{ from: fixture(file), to: 'model.onnx' }])
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-bench-job-'))
  const workspace = await Workspace.open(dir)
  env = { workspace, spawnWorker: spawnNodeWorker }
  mlp = await add(workspace, 'digits mlp', 'onnx/digits_mlp.onnx')
  cnn = await add(workspace, 'digits cnn', 'onnx/digits_cnn.onnx')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('benchmark and compare jobs', { timeout: 180_000 }, () => {
  it('stream finished configurations as partial progress and store the report with each model', async () => {
    const updates: JobInfo[] = []
    const queue = new JobQueue((job) => updates.push(job))
    const request = benchmarkJob.schema.parse({
      kind: 'benchmark',
      modelIds: [mlp.id, cnn.id],
      options: { batches: [2], iterations: 20, warmup: 2 },
    })
    expect(await benchmarkJob.title(request, env)).toBe('Benchmark digits mlp, digits cnn')
    const id = queue.start({ kind: 'benchmark', title: 'b', run: (job) => benchmarkJob.run(request, env, job) })
    const info = await queue.waitFor(id)
    expect(info.state).toBe('succeeded')
    const report = info.result as BenchmarkReport
    expect(report.results.map((r) => [r.model, r.batch])).toEqual([
      ['digits mlp', 2],
      ['digits cnn', 2],
    ])
    // While the second model runs, its progress carries the first model's finished result.
    const partials = updates.map((u) => u.progress.partial as BenchmarkResult[] | undefined).filter((p) => p !== undefined)
    expect(partials.at(-1)?.map((r) => r.model)).toEqual(['digits mlp'])
    const saved = (await env.workspace.readResult(mlp.id, resultName('benchmark', report.createdAt))) as BenchmarkReport
    expect(saved.results.map((r) => r.modelId)).toEqual([mlp.id])
    expect(saved.cpu.model).toBe(report.cpu.model)
  })

  it('fails a benchmark of a corrupt model file as a job error, read in a worker, and the engine goes on', async () => {
    const garbage = join(dir, 'garbage.onnx')
    await writeFile(garbage, Buffer.from('\x08\x07\x12\xff\xff\xff\xff\x0fnot a model', 'latin1'))
    const corrupt = await env.workspace.add({ name: 'corrupt', format: 'onnx', mainFile: 'model.onnx', source: 'test' }, [{ from: garbage, to: 'model.onnx' }])
    const spawned: string[] = []
    const spying: JobEnv = { ...env, spawnWorker: watchedSpawn((task) => spawned.push(task)) }
    const queue = new JobQueue(() => undefined)
    const request = benchmarkJob.schema.parse({ kind: 'benchmark', modelIds: [corrupt.id], options: { iterations: 5, warmup: 1 } })
    const failed = await queue.waitFor(queue.start({ kind: 'benchmark', title: 'b', run: (job) => benchmarkJob.run(request, spying, job) }))
    expect(failed.state).toBe('failed')
    expect(failed.error?.message).toMatch(/model\.onnx/)
    expect(spawned).toEqual(['bench-plan'])
    const again = benchmarkJob.schema.parse({ kind: 'benchmark', modelIds: [mlp.id], options: { iterations: 5, warmup: 1 } })
    expect((await queue.waitFor(queue.start({ kind: 'benchmark', title: 'b', run: (job) => benchmarkJob.run(again, spying, job) }))).state).toBe('succeeded')
  })

  it('validates requests strictly', () => {
    expect(benchmarkJob.schema.safeParse({ kind: 'benchmark', modelIds: [mlp.id], options: { batch: 4 } }).success).toBe(false)
    expect(benchmarkJob.schema.safeParse({ kind: 'benchmark', modelIds: [], options: {} }).success).toBe(false)
    expect(compareJob.schema.safeParse({ kind: 'compare', baselineId: mlp.id, variantIds: [mlp.id], options: {} }).success).toBe(false)
  })

  it('compares a variant with its baseline and stores the comparison with the variant', async () => {
    const queue = new JobQueue(() => undefined)
    const request = compareJob.schema.parse({
      kind: 'compare',
      baselineId: mlp.id,
      variantIds: [mlp.id],
      options: { dataPath: fixture('data/digits.csv.gz'), data: { scale: 1 / 16, limit: 200 }, latencyBudgetS: 1 },
    })
    const id = queue.start({ kind: 'compare', title: 'c', run: (job) => compareJob.run(request, env, job) })
    const info = await queue.waitFor(id)
    expect(info.state).toBe('succeeded')
    const report = info.result as CompareReport
    // The CSV carries its labels: accuracy on the first 200 digits rows, measured, not assumed.
    expect(report.baseline.accuracy).toBeGreaterThan(0.95)
    expect(report.variants[0]?.accuracyDropPoints).toBe(0)
    const saved = (await env.workspace.readResult(mlp.id, resultName('compare', report.createdAt))) as CompareReport
    expect(saved.variants).toHaveLength(1)
    // Timed side by side within the budget, and stored with the comparison (the model with itself: one key).
    expect(saved.latency).toMatchObject({ budgetS: 1, models: [{ key: mlp.id }, { key: mlp.id }] })
  })
})
