import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { decodeModel, encodeModel } from '../onnx/codec'
import { GraphBuilder, makeValueInfo } from '../onnx/graph-builder'
import { DataType, type ModelProto } from '../onnx/onnx-types'
import { pruneStructured } from './prune-structured'
import { seededRandom } from '../bench/random-inputs'
import { resnetStyleModel } from './prune-sample-models'
import { digitsAccuracy, onnxChecker, runModel } from './prune-test-support'

function randomInput(dims: number[], seed = 3): ort.Tensor {
  const random = seededRandom(seed)
  return new ort.Tensor('float32', Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, random), dims)
}

async function outputs(bytes: Uint8Array, input: ort.Tensor): Promise<Float32Array> {
  return Object.values(await runModel(bytes, { input }))[0]?.data as Float32Array
}

async function checked(bytes: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-prune-'))
  await writeFile(join(dir, 'model.onnx'), bytes)
  return onnxChecker(join(dir, 'model.onnx'))
}

/** Conv (8 channels, the first two dead) → Clip → MaxPool → Reshape [-1, 128] → Gemm → logits. */
function reshapeModel(): ModelProto {
  const g = new GraphBuilder()
  g.claimName('input')
  g.claimName('logits')
  const random = seededRandom(5)
  const w = Float32Array.from({ length: 8 * 3 * 9 }, () => random() - 0.5).fill(0, 0, 2 * 27)
  const conv = g.node('Conv', ['input', g.initializer('w', [8, 3, 3, 3], w), g.initializer('b', [8], Float32Array.of(-1, -1, 0, 0, 0, 0, 0, 0))], {
    name: 'conv',
    attributes: { pads: [1, 1, 1, 1] },
  })
  const clip = g.node('Clip', [conv, g.initializer('lo', [], Float32Array.of(0)), g.initializer('hi', [], Float32Array.of(6))], { name: 'clip' })
  const pool = g.node('MaxPool', [clip], { name: 'pool', attributes: { kernel_shape: [2, 2], strides: [2, 2] } })
  const flat = g.node('Reshape', [pool, g.int64s('shape', [-1, 128])], { name: 'reshape' })
  const fc = g.initializer('fc', [4, 128], Float32Array.from({ length: 512 }, () => random() - 0.5))
  g.node('Gemm', [flat, fc], { name: 'fc', attributes: { transB: 1 }, outputs: ['logits'] })
  return g.model({
    graphName: 'reshape',
    inputs: [makeValueInfo('input', DataType.FLOAT, ['batch', 3, 8, 8])],
    outputs: [makeValueInfo('logits', DataType.FLOAT, ['batch', 4])],
    opset: 13,
    producerName: 'test',
    producerVersion: '0',
  })
}

describe('pruneStructured', () => {
  it('follows Clip, MaxPool and a Reshape with a fixed feature count: the dead channels go, the outputs stay', async () => {
    const parent = reshapeModel()
    const { model, summary } = pruneStructured(parent, { ratio: 0.25, includeFirstLast: true })
    expect(summary.layers[0]).toMatchObject({ node: 'conv', channelsBefore: 8, channelsAfter: 6 })
    const bytes = encodeModel(model)
    expect(await checked(bytes)).toBe('ok')
    const input = randomInput([3, 3, 8, 8])
    const before = await outputs(encodeModel(parent), input)
    const after = await outputs(bytes, input)
    expect(Math.max(...before.map((v, i) => Math.abs(v - (after[i] as number))))).toBeLessThan(1e-5)
  })

  it('removes exactly the dead channels of inner convs and keeps the outputs identical', async () => {
    const parent = resnetStyleModel({ width: 8, stages: 1, blocksPerStage: 2, imageSize: 8, deadChannels: 2 })
    const { model, summary } = pruneStructured(parent, { ratio: 0.25 })
    const input = randomInput([2, 3, 8, 8])
    const before = await outputs(encodeModel(parent), input)
    const after = await outputs(encodeModel(model), input)
    expect(Math.max(...before.map((v, i) => Math.abs(v - (after[i] as number))))).toBeLessThan(1e-5)
    expect(summary.layers.filter((l) => l.node.endsWith('conv1/Conv')).map((l) => l.channelsAfter)).toEqual([6, 6])
    expect(summary.intact.map((g) => g.reasons[0])).toEqual(["Conv 'stem/Conv' is the first layer (kept by default)", "reaches the model output 'logits'"])
    expect(summary.parametersAfter).toBeLessThan(summary.parametersBefore)
  })

  it('prunes residual groups consistently: a smaller ResNet-style net that loads and passes the checker', async () => {
    const parent = resnetStyleModel({ width: 8, stages: 2, blocksPerStage: 2, imageSize: 16 })
    const { model, summary } = pruneStructured(parent, { ratio: 0.5, criterion: 'l2', includeFirstLast: true })
    const bytes = encodeModel(model)
    expect(await checked(bytes)).toBe('ok')
    const logits = await outputs(bytes, randomInput([2, 3, 16, 16]))
    expect(logits).toHaveLength(20)
    expect(logits.every(Number.isFinite)).toBe(true)
    const stem = summary.layers.find((l) => l.node === 'stem/Conv')
    expect(stem).toMatchObject({ channelsBefore: 8, channelsAfter: 4 })
    const tied = summary.layers.filter((l) => l.group === stem?.group).map((l) => l.channelsAfter)
    expect(tied).toEqual([4, 4, 4])
    expect(summary.parametersAfter / summary.parametersBefore).toBeLessThan(0.35)
  })

  it('prunes SqueezeNet through Concat and shared Identity biases: 30% gives at most 0.75x the parameters', async () => {
    const bytes = await readFile('test-fixtures/onnx/squeezenet1_1_random.onnx')
    const { model, summary } = pruneStructured(decodeModel(bytes), { ratio: 0.3 })
    const out = encodeModel(model)
    expect(await checked(out)).toBe('ok')
    expect(summary.parametersAfter / summary.parametersBefore).toBeLessThanOrEqual(0.75)
    expect(out.length / bytes.length).toBeLessThanOrEqual(0.75)
    const logits = await outputs(out, randomInput([1, 3, 224, 224]))
    expect(logits).toHaveLength(1000)
  })

  it('keeps digits_cnn at 97% or better on the digits test data after removing 25% of its channels', async () => {
    const bytes = await readFile('test-fixtures/onnx/digits_cnn.onnx')
    const { model } = pruneStructured(decodeModel(bytes), { ratio: 0.25 })
    expect(await digitsAccuracy(encodeModel(model))).toBeGreaterThanOrEqual(0.97)
  })

  it('refuses a ratio that would remove every channel of a layer, and computed weights', async () => {
    const parent = resnetStyleModel({ width: 8, stages: 1, blocksPerStage: 1, imageSize: 8 })
    expect(() => pruneStructured(parent, { ratio: 1 })).toThrow("--ratio 1 would remove all 8 output channels of Conv 'stage0.block0.conv1/Conv'")
    expect(() => pruneStructured(parent, { ratio: 1.5 })).toThrow('--ratio must be a fraction between 0 and 1 (got 1.5)')
    const computed = decodeModel(await readFile('test-fixtures/onnx/light_resnet50.onnx'))
    expect(() => pruneStructured(computed, { ratio: 0.3 })).toThrow(/weights of Conv 'n0' and \d+ other layers are computed at run time by ConstantOfShape/)
  })
})
