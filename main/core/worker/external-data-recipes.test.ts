// Every recipe on a model whose weights live in a side file (a 6.5 MB LLaMA-style MLP stack, generated):
// the output is written as .onnx plus one .onnx.data with its weights there, ONNX Runtime loads it from
// its path, and it computes what the parent does on the same input.
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../bench/random-inputs'
import { encodeNpy } from '../data/npy'
import { silentJobContext } from '../jobs/job-context'
import { hasExternalTensors } from '../onnx/external-data-io'
import { readOnnxModel } from '../onnx/model-file'
import { ortOptimize } from '../optimize/ort-optimize'
import { writeMlpModel } from '../optimize/mlp-sample-model'
import { sqnrDb } from '../optimize/quant-params'
import { convertModel } from './convert-model'
import { pruneModel } from './prune-model'
import { quantizeModel } from './quantize-model'

const hidden = 256
const sequence = 4
let dir: string
let parent: string
let calib: string
let input: Float32Array
let expected: Float32Array

async function outputOf(model: string, values: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model)
  try {
    const out = await session.run({ input: new ort.Tensor('float32', values, [1, sequence, hidden]) })
    return (out.output as ort.Tensor).data as Float32Array
  } finally {
    await session.release()
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-external-recipes-'))
  await mkdir(join(dir, 'parent'))
  parent = join(dir, 'parent', 'mlp.onnx')
  await writeMlpModel(parent, { hidden, ffn: 704, layers: 3 })
  const random = seededRandom(5)
  input = Float32Array.from({ length: sequence * hidden }, () => random() * 2 - 1)
  calib = join(dir, 'calib.npy')
  await writeFile(calib, encodeNpy({ dtype: 'float32', dims: [8, sequence, hidden], data: Float32Array.from({ length: 8 * sequence * hidden }, () => random() * 2 - 1) }))
  expected = await outputOf(parent, input)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The output's weights are in its side file, it loads from its path, and its SQNR against the parent. */
async function checkOutput(out: string): Promise<number> {
  const graph = await readOnnxModel(out)
  expect(hasExternalTensors(graph.model)).toBe(true)
  expect(graph.bytes.length).toBeLessThan(64_000)
  expect((await stat(`${out}.data`)).size).toBeGreaterThan(500_000)
  return sqnrDb(expected, await outputOf(out, input))
}

describe('recipes on a model with external data', () => {
  it('has its weights in a side file to begin with', async () => {
    expect((await stat(`${parent}.data`)).size).toBeGreaterThan(6_400_000)
    expect((await stat(parent)).size).toBeLessThan(16_000)
  })

  it('int4, dynamic int8 and static int8 quantize it and write the output the same way', async () => {
    const cases = [
      { options: { mode: 'int4' as const }, minDb: 12, maxRatio: 0.2 },
      { options: { mode: 'dynamic' as const }, minDb: 20, maxRatio: 0.3 },
      { options: { mode: 'static' as const, calibPath: calib }, minDb: 15, maxRatio: 0.3 },
    ]
    for (const { options, minDb, maxRatio } of cases) {
      const out = join(dir, `${options.mode}.onnx`)
      const summary = await quantizeModel({ modelPath: parent, outputPath: out, options }, silentJobContext())
      expect(await checkOutput(out), options.mode).toBeGreaterThan(minDb)
      expect(summary.sizeRatio, options.mode).toBeLessThan(maxRatio)
      expect(summary.parentBytes).toBe((await stat(parent)).size + (await stat(`${parent}.data`)).size)
      expect(summary.outputBytes).toBe((await stat(out)).size + (await stat(`${out}.data`)).size)
    }
  })

  it('fp16 halves it, keeping the weights in a side file', async () => {
    const out = join(dir, 'fp16.onnx')
    const summary = await convertModel({ modelPath: parent, outputPath: out, options: { keepIoTypes: true } }, silentJobContext())
    expect(await checkOutput(out)).toBeGreaterThan(50)
    expect(summary.sizeRatio).toBeLessThan(0.52)
  })

  it('magnitude and structured pruning write their outputs with a side file', async () => {
    const magnitude = join(dir, 'magnitude.onnx')
    const m = await pruneModel({ modelPath: parent, outputPath: magnitude, options: { method: 'magnitude', sparsity: 0.3 } }, silentJobContext())
    expect(await checkOutput(magnitude)).toBeGreaterThan(8)
    expect(m.sizes.parentBytes).toBe((await stat(parent)).size + (await stat(`${parent}.data`)).size)
    const structured = join(dir, 'structured.onnx')
    const s = await pruneModel({ modelPath: parent, outputPath: structured, options: { method: 'structured', ratio: 0.25 } }, silentJobContext())
    await checkOutput(structured)
    expect(s.sizes.bytes / s.sizes.parentBytes).toBeLessThan(0.85)
  })

  it('optimize loads it from its path and keeps the weights external', async () => {
    const out = join(dir, 'optimized.onnx')
    const result = await ortOptimize({ modelPath: parent, outputPath: out, options: { level: 'extended' } }, silentJobContext())
    expect(await checkOutput(out)).toBeGreaterThan(60)
    expect(result.bytesBefore).toBe((await stat(parent)).size + (await stat(`${parent}.data`)).size)
  })
})
