import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentJobContext } from '../jobs/job-context'
import { encodeModel } from '../onnx/codec'
import { convertTfjsToOnnx } from './convert-tfjs'
import { layersModelToOnnx } from './layers-to-onnx'
import { digitsTestSet, fixtures } from './tfjs-test-support'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-tfjs-convert-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('convertTfjsToOnnx', () => {
  it('converts the digits CNN: ONNX Runtime matches TF.js and keeps its 97.50% test accuracy', async () => {
    const out = join(dir, 'digits.onnx')
    const summary = await convertTfjsToOnnx({ modelPath: fixtures.digits, outPath: out }, silentJobContext())
    expect(summary.maxAbsDiff).toBeLessThanOrEqual(1e-4)
    expect(summary.tfjsBackend).toContain('wasm backend')
    expect(summary.transposes).toBe(2)
    const session = await ort.InferenceSession.create(out)
    const { x, labels, count } = await digitsTestSet()
    const result = await session.run({ [session.inputNames[0] as string]: new ort.Tensor('float32', x, [count, 8, 8, 1]) })
    const probs = result[session.outputNames[0] as string]?.data as Float32Array
    let hits = 0
    for (let i = 0; i < count; i++) {
      const row = probs.subarray(i * 10, i * 10 + 10)
      if (row.indexOf(Math.max(...row)) === labels[i]) hits++
    }
    expect(hits).toBe(351)
    await session.release()
  })

  it('converts the uint8 MobileNetV2 layers-model within 1e-4 of TF.js', async () => {
    const summary = await convertTfjsToOnnx({ modelPath: fixtures.mobilenetLayers, outPath: join(dir, 'mobilenet.onnx') }, silentJobContext())
    expect(summary.maxAbsDiff).toBeLessThanOrEqual(1e-4)
    expect(summary.layerCount).toBe(162)
    // Only the input and output change layout; the conv trunk runs in NCHW throughout.
    expect(summary.transposes).toBe(2)
    expect(summary.outputs).toEqual(['dense_3'])
  }, 60_000)

  it('refuses graph-models with a message naming the file', async () => {
    await expect(convertTfjsToOnnx({ modelPath: fixtures.mobilenetGraph, outPath: join(dir, 'g.onnx') }, silentJobContext())).rejects.toThrow(
      /nsfw_mobilenet_v2_graph\/model.json: only TF.js layers-models convert/,
    )
  })
})

describe('layersModelToOnnx', () => {
  it('lists every unsupported layer by name', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.lstm({ units: 4, inputShape: [3, 2], returnSequences: true, name: 'my_lstm' }),
        tf.layers.conv1d({ filters: 2, kernelSize: 1, name: 'my_conv1d' }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ units: 2, activation: 'gelu', name: 'head' }),
      ],
    })
    expect(() => layersModelToOnnx(model, 'm.json', '0')).toThrow(
      "m.json: cannot convert 3 layers to ONNX: my_lstm (LSTM: layer type not supported); my_conv1d (Conv1D: layer type not supported); head (Dense: activation 'gelu')",
    )
    model.dispose()
  })

  it('converts a functional model with Concatenate, SeparableConv2D, pooling, BatchNorm and Reshape', async () => {
    const input = tf.input({ shape: [6, 6, 3], name: 'image' })
    const a = tf.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'relu6' }).apply(input) as tf.SymbolicTensor
    const b = tf.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor
    const bUp = tf.layers.zeroPadding2d({ padding: [[0, 3], [3, 0]] }).apply(b) as tf.SymbolicTensor
    const merged = tf.layers.concatenate().apply([a, bUp]) as tf.SymbolicTensor
    const normed = tf.layers.batchNormalization({ epsilon: 0.01 }).apply(merged) as tf.SymbolicTensor
    const pooled = tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(normed) as tf.SymbolicTensor
    const reshaped = tf.layers.reshape({ targetShape: [9, 6] }).apply(pooled) as tf.SymbolicTensor
    const dense = tf.layers.dense({ units: 3, activation: 'tanh' }).apply(reshaped) as tf.SymbolicTensor
    const global = tf.layers.globalMaxPooling2d({}).apply(normed) as tf.SymbolicTensor
    const model = tf.model({ inputs: input, outputs: [dense, global] })
    // Non-trivial batch-norm statistics so the test checks their use.
    const bn = model.layers.find((l) => l.getClassName() === 'BatchNormalization') as tf.layers.Layer
    bn.setWeights(bn.getWeights().map((w, i) => tf.randomUniform(w.shape, i === 3 ? 0.5 : -1, 2, 'float32', i)))
    const converted = layersModelToOnnx(model, 'functional', '0')
    const session = await ort.InferenceSession.create(encodeModel(converted.model))
    const x = tf.randomUniform([2, 6, 6, 3], -1, 1, 'float32', 3)
    const expected = model.predict(x) as tf.Tensor[]
    const result = await session.run({ image: new ort.Tensor('float32', x.dataSync() as Float32Array, [2, 6, 6, 3]) })
    for (const [i, name] of converted.outputNames.entries()) {
      const got = result[name]?.data as Float32Array
      const want = (expected[i] as tf.Tensor).dataSync()
      expect(got.length).toBe(want.length)
      for (let k = 0; k < got.length; k++) expect(Math.abs((got[k] as number) - (want[k] as number))).toBeLessThan(1e-4)
    }
    await session.release()
  })
})
