import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelEntry } from '../../../preload/api'
import { spawnNodeWorker } from '../worker/spawn-node-worker'
import { Workspace } from '../workspace/workspace'
import type { JobEnv } from './job-kinds'
import { JobQueue } from './job-queue'
import { tfjsConvertJob, tfjsQuantizeJob } from './tfjs-jobs'

const fixture = (name: string): string => fileURLToPath(new URL(`../../../test-fixtures/tfjs/digits_cnn_layers/${name}`, import.meta.url))
let dir: string
let env: JobEnv
let digits: ModelEntry
const queue = new JobQueue(() => undefined)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-tfjs-jobs-'))
  const workspace = await Workspace.open(dir)
  env = { workspace, spawnWorker: spawnNodeWorker }
  digits = await workspace.add({ name: 'digits tfjs', format: 'tfjs-layers', mainFile: 'model.json', source: 'test' }, [
    { from: fixture('model.json'), to: 'model.json' },
    { from: fixture('weights.bin'), to: 'weights.bin' },
  ])
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('TF.js job kinds', () => {
  it('quantize and convert commit variants with lineage, each loaded by its runtime first', async () => {
    const quantize = tfjsQuantizeJob.schema.parse({ kind: 'tfjs-quantize', modelId: digits.id, options: { mode: 'uint8' } })
    const q = await queue.waitFor(queue.start({ kind: 'tfjs-quantize', title: 'q', run: (job) => tfjsQuantizeJob.run(quantize, env, job) }))
    expect(q.error).toBeUndefined()
    const quantized = q.result as ModelEntry
    expect(quantized).toMatchObject({ format: 'tfjs-layers', lineage: { parentId: digits.id, recipe: 'tfjs-quantize-uint8' } })
    expect(quantized.inspection?.runtimeCheck).toMatchObject({ loads: true })
    expect(quantized.inspection?.runtimeCheck?.runtime).toContain('wasm backend')
    expect(quantized.sizeBytes).toBeLessThan(digits.sizeBytes * 0.35)

    const convert = tfjsConvertJob.schema.parse({ kind: 'tfjs-convert', modelId: quantized.id, options: { to: 'onnx' } })
    const c = await queue.waitFor(queue.start({ kind: 'tfjs-convert', title: 'c', run: (job) => tfjsConvertJob.run(convert, env, job) }))
    expect(c.error).toBeUndefined()
    const onnx = c.result as ModelEntry
    expect(onnx).toMatchObject({ format: 'onnx', mainFile: 'model.onnx', lineage: { parentId: quantized.id, recipe: 'tfjs-to-onnx' } })
    expect((onnx.lineage?.summary as { maxAbsDiff: number }).maxAbsDiff).toBeLessThanOrEqual(1e-4)
  }, 120_000)

  it('rejects options outside the schema', () => {
    expect(() => tfjsQuantizeJob.schema.parse({ kind: 'tfjs-quantize', modelId: digits.id, options: { mode: 'int8' } })).toThrow()
    expect(() => tfjsConvertJob.schema.parse({ kind: 'tfjs-convert', modelId: digits.id, options: { to: 'tflite' } })).toThrow()
  })
})
