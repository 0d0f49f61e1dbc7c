import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelEntry, RecipeSummary } from '../../../preload/api'
import { spawnNodeWorker } from '../worker/spawn-node-worker'
import { Workspace } from '../workspace/workspace'
import { convertJob } from './convert-job'
import type { JobEnv } from './job-kinds'
import { JobQueue } from './job-queue'
import { quantizeJob } from './quantize-job'

const fixture = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))
let dir: string
let env: JobEnv
let cnn: ModelEntry

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-quantize-job-'))
  const workspace = await Workspace.open(dir)
  env = { workspace, spawnWorker: spawnNodeWorker }
  cnn = await workspace.add({ name: 'digits cnn', format: 'onnx', mainFile: 'model.onnx', source: 'test' }, [
    { from: fixture('test-fixtures/onnx/digits_cnn.onnx'), to: 'model.onnx' },
  ])
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('quantize and convert jobs', { timeout: 120_000 }, () => {
  it('commit validated variants with their lineage and summary', async () => {
    const queue = new JobQueue(() => undefined)
    const request = quantizeJob.schema.parse({
      kind: 'quantize',
      modelId: cnn.id,
      options: { mode: 'static', calibPath: fixture('resources/sample/digits_calib.npy'), perChannel: true },
    })
    expect(await quantizeJob.title(request, env)).toBe('Quantize digits cnn (static int8)')
    const info = await queue.waitFor(queue.start({ kind: 'quantize', title: 't', run: (job) => quantizeJob.run(request, env, job) }))
    expect(info.state).toBe('succeeded')
    const variant = info.result as ModelEntry
    expect(variant.lineage?.parentId).toBe(cnn.id)
    expect(variant.lineage?.recipe).toBe('quantize static')
    expect((variant.lineage?.summary as RecipeSummary).sizeRatio).toBeLessThan(0.4)
    expect(variant.inspection?.opHistogram.QuantizeLinear).toBeGreaterThan(0)

    const fp16 = convertJob.schema.parse({ kind: 'convert', modelId: cnn.id, options: { to: 'fp16', keepIoTypes: true } })
    const converted = await queue.waitFor(queue.start({ kind: 'convert', title: 'c', run: (job) => convertJob.run(fp16, env, job) }))
    expect((converted.result as ModelEntry).lineage?.recipe).toBe('fp16')
    // The float16 step's options, as a recipe file's fp16 step keeps them (the target is the recipe).
    expect((converted.result as ModelEntry).lineage?.params).toEqual({ keepIoTypes: true })
    expect((converted.result as ModelEntry).name).toBe(`${cnn.name} · fp16`)
    expect(() => quantizeJob.schema.parse({ kind: 'quantize', modelId: cnn.id, options: { mode: 'static' } })).toThrow(/calibPath/)
  })
})
