// The quantization recipes on the real trained fixtures: accuracy on their labelled test data, sizes,
// the independent ONNX checker (Debian's python3-onnx), and the bad-input cases.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { QuantizeOptions } from '../../../preload/api'
import { encodeNpy, readNpy, type HostTensor } from '../data/npy'
import { seededRandom } from '../bench/random-inputs'
import { writeFile } from 'node:fs/promises'
import { zipSync } from 'fflate'
import { encodeModel } from '../onnx/codec'
import { GraphBuilder, makeValueInfo } from '../onnx/graph-builder'
import { DataType } from '../onnx/onnx-types'
import { makeTensor } from '../onnx/tensor-data'
import { createJobContext, silentJobContext } from '../jobs/job-context'
import { convertModel } from './convert-model'
import { quantizeModel } from './quantize-model'

const run = promisify(execFile)
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-quantize-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Top-1 accuracy of a model over rows of x (reshaped to `rowShape`) against labels y, `batch` rows a run. */
async function accuracy(model: string, x: HostTensor, y: HostTensor, rowShape: number[], options: { from?: number; batch?: number } = {}): Promise<number> {
  const session = await ort.InferenceSession.create(model)
  const rowSize = rowShape.reduce((a, b) => a * b, 1)
  const from = options.from ?? 0
  const batch = options.batch ?? 60
  const rows = x.dims[0] as number
  let correct = 0
  for (let start = from; start < rows; start += batch) {
    const n = Math.min(batch, rows - start)
    const values = (x.data as Float32Array).subarray(start * rowSize, (start + n) * rowSize)
    const tensor = new ort.Tensor('float32', values, [n, ...rowShape])
    const out = (await session.run({ [session.inputNames[0] as string]: tensor }))[session.outputNames[0] as string] as ort.Tensor
    const classes = out.dims[1] as number
    const logits = out.data as Float32Array
    for (let r = 0; r < n; r++) {
      let best = 0
      for (let c = 1; c < classes; c++) if ((logits[r * classes + c] as number) > (logits[r * classes + best] as number)) best = c
      if (BigInt(best) === (y.data as BigInt64Array)[start + r]) correct++
    }
  }
  await session.release()
  return correct / (rows - from)
}

/** The independent checker: Debian's python3-onnx, full check with shape inference. */
async function onnxCheck(path: string): Promise<void> {
  await run('/usr/bin/python3', ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', path])
}

async function sizeRatio(out: string, parent: string): Promise<number> {
  return (await stat(out)).size / (await stat(parent)).size
}

const quantize = (model: string, out: string, options: QuantizeOptions) =>
  quantizeModel({ modelPath: model, outputPath: join(dir, out), options }, silentJobContext())

describe('quantization on the trained fixtures', () => {
  it('static int8 keeps digits_cnn at ≥ 99.0% (float 99.44%), calibrated on training rows', async () => {
    const summary = await quantize('test-fixtures/onnx/digits_cnn.onnx', 'cnn-static.onnx', {
      mode: 'static',
      calibPath: 'resources/sample/digits_calib.npy',
      perChannel: true,
    })
    expect(summary.converted).toMatchObject({ Conv: 3, Gemm: 2 })
    expect(summary.validation.outputs[0]?.top1Agreement).toBeGreaterThan(0.95)
    const x = await readNpy('test-fixtures/data/digits_test_x.npy')
    const y = await readNpy('test-fixtures/data/digits_test_y.npy')
    const acc = await accuracy(join(dir, 'cnn-static.onnx'), x, y, [1, 8, 8])
    expect(acc).toBeGreaterThanOrEqual(0.99)
    await onnxCheck(join(dir, 'cnn-static.onnx'))
  })

  it('entropy calibration keeps digits_cnn at ≥ 99.0% too, its logits within 30 dB of float', async () => {
    const summary = await quantize('test-fixtures/onnx/digits_cnn.onnx', 'cnn-entropy.onnx', {
      mode: 'static',
      calibPath: 'resources/sample/digits_calib.npy',
      method: 'entropy',
    })
    expect(summary.validation.outputs[0]?.sqnrDb).toBeGreaterThan(30)
    const x = await readNpy('test-fixtures/data/digits_test_x.npy')
    const y = await readNpy('test-fixtures/data/digits_test_y.npy')
    expect(await accuracy(join(dir, 'cnn-entropy.onnx'), x, y, [1, 8, 8])).toBeGreaterThanOrEqual(0.99)
  })

  it('static int8 keeps mnist-8 at ≥ 99.0% on 900 held-out rows, calibrated on 100 others', async () => {
    const summary = await quantize('test-fixtures/onnx/mnist-8.onnx', 'mnist-static.onnx', {
      mode: 'static',
      calibPath: 'test-fixtures/data/mnist_1k_x.npy',
      samples: 100,
      method: 'percentile',
    })
    expect(summary.converted.Conv).toBe(2)
    const x = await readNpy('test-fixtures/data/mnist_1k_x.npy')
    const y = await readNpy('test-fixtures/data/mnist_1k_y.npy')
    expect(await accuracy(join(dir, 'mnist-static.onnx'), x, y, [1, 28, 28], { from: 100, batch: 1 })).toBeGreaterThanOrEqual(0.99)
    await onnxCheck(join(dir, 'mnist-static.onnx'))
  })

  it('dynamic int8 keeps digits_mlp at ≥ 96.0% (float 96.67%) at under 0.30× the size', async () => {
    const summary = await quantize('test-fixtures/onnx/digits_mlp.onnx', 'mlp-dynamic.onnx', { mode: 'dynamic' })
    expect(summary.converted).toEqual({ Gemm: 3 })
    const x = await readNpy('test-fixtures/data/digits_test_x.npy')
    const y = await readNpy('test-fixtures/data/digits_test_y.npy')
    expect(await accuracy(join(dir, 'mlp-dynamic.onnx'), x, y, [64])).toBeGreaterThanOrEqual(0.96)
    expect(await sizeRatio(join(dir, 'mlp-dynamic.onnx'), 'test-fixtures/onnx/digits_mlp.onnx')).toBeLessThanOrEqual(0.3)
    await onnxCheck(join(dir, 'mlp-dynamic.onnx'))
  })

  it('int4 MatMulNBits keeps digits_mlp within 1 point of float', async () => {
    const summary = await quantize('test-fixtures/onnx/digits_mlp.onnx', 'mlp-int4.onnx', { mode: 'int4', blockSize: 32 })
    expect(summary.converted).toEqual({ Gemm: 3 })
    const x = await readNpy('test-fixtures/data/digits_test_x.npy')
    const y = await readNpy('test-fixtures/data/digits_test_y.npy')
    expect(await accuracy(join(dir, 'mlp-int4.onnx'), x, y, [64])).toBeGreaterThanOrEqual(0.9567)
    await onnxCheck(join(dir, 'mlp-int4.onnx'))
  })

  it('fp16 keeps digits_cnn and digits_mlp within 0.3 points of float', async () => {
    const x = await readNpy('test-fixtures/data/digits_test_x.npy')
    const y = await readNpy('test-fixtures/data/digits_test_y.npy')
    for (const [name, shape, float] of [['digits_cnn', [1, 8, 8], 358 / 360], ['digits_mlp', [64], 348 / 360]] as const) {
      const out = join(dir, `${name}-fp16.onnx`)
      await convertModel({ modelPath: `test-fixtures/onnx/${name}.onnx`, outputPath: out, options: { keepIoTypes: true } }, silentJobContext())
      expect(Math.abs((await accuracy(out, x, y, [...shape])) - float)).toBeLessThanOrEqual(0.003)
      await onnxCheck(out)
    }
  })

  it('fp16 without --keep-io-types takes and gives float16', async () => {
    const out = join(dir, 'mlp-fp16-io.onnx')
    const summary = await convertModel({ modelPath: 'test-fixtures/onnx/digits_mlp.onnx', outputPath: out, options: { dataPath: 'test-fixtures/data/digits_test_x.npy' } }, silentJobContext())
    expect(summary.validation.outputs[0]?.top1Agreement).toBe(1)
    const session = await ort.InferenceSession.create(out)
    const result = await session.run({ input: new ort.Tensor('float16', new Uint16Array(64), [1, 64]) })
    expect(result.logits?.type).toBe('float16')
  })

  it('meets the size targets on a weight-dominated model (squeezenet): int8 ≤ 0.30×, fp16 ≤ 0.52×', async () => {
    const parent = 'test-fixtures/onnx/squeezenet1_1_random.onnx'
    const random = seededRandom(5)
    const calib = join(dir, 'sq-calib.npy')
    await writeFile(calib, encodeNpy({ dtype: 'float32', dims: [2, 3, 224, 224], data: Float32Array.from({ length: 2 * 3 * 224 * 224 }, random) }))
    const summary = await quantize(parent, 'sq-static.onnx', { mode: 'static', calibPath: calib })
    expect(summary.converted.Conv).toBe(26)
    expect(await sizeRatio(join(dir, 'sq-static.onnx'), parent)).toBeLessThanOrEqual(0.3)
    await convertModel({ modelPath: parent, outputPath: join(dir, 'sq-fp16.onnx'), options: {} }, silentJobContext())
    expect(await sizeRatio(join(dir, 'sq-fp16.onnx'), parent)).toBeLessThanOrEqual(0.52)
  })
})

describe('the error report', () => {
  it('ranks quantized activations by SQNR and re-quantizes with a node kept float', async () => {
    const options: QuantizeOptions = { mode: 'static', calibPath: 'resources/sample/digits_calib.npy', errorReport: true }
    const summary = await quantize('test-fixtures/onnx/digits_cnn.onnx', 'cnn-report.onnx', options)
    const report = summary.errorReport ?? []
    expect(report.length).toBeGreaterThanOrEqual(8)
    expect(report.map((e) => e.sqnrDb)).toEqual([...report.map((e) => e.sqnrDb)].sort((a, b) => a - b))
    for (const e of report) {
      expect(e.sqnrDb).toBeGreaterThan(20)
      expect(e.qdqSqnrDb).toBeGreaterThan(30)
    }
    const worst = report.find((e) => e.op === 'Conv')?.node as string
    const again = await quantize('test-fixtures/onnx/digits_cnn.onnx', 'cnn-excluded.onnx', { ...options, excludeNodes: [worst] })
    expect(again.leftAsIs).toContainEqual({ node: worst, op: 'Conv', reason: 'excluded by the recipe' })
    expect(again.converted.Conv).toBe(2)
  })
})

describe('quantization refuses bad input without writing a file', () => {
  it('names the input and expected shape when calibration data does not fit', async () => {
    await expect(
      quantize('test-fixtures/onnx/digits_cnn.onnx', 'bad-shape.onnx', { mode: 'static', calibPath: 'test-fixtures/data/digits_test_x.npy' }),
    ).rejects.toThrow("input 'input': the data has shape [360,64]; the model expects float32 [batch,1,8,8]")
    await expect(stat(join(dir, 'bad-shape.onnx'))).rejects.toThrow(/ENOENT/)
  })

  it('quantizes a network that lives inside If subgraphs (dynamic LSTM, static Conv with calibration)', async () => {
    const data = join(dir, 'vad.npz')
    const npy = (dtype: string, dims: number[], values: Float32Array | BigInt64Array) => encodeNpy({ dtype, dims, data: values })
    const audio = Float32Array.from({ length: 512 }, (_, i) => 0.3 * Math.sin(i / 5))
    await writeFile(data, zipSync({ 'input.npy': npy('float32', [1, 512], audio), 'state.npy': npy('float32', [2, 1, 128], new Float32Array(256)), 'sr.npy': npy('int64', [], BigInt64Array.of(16000n)) }))
    await expect(quantize('test-fixtures/onnx/silero_vad_v5.onnx', 'vad.onnx', { mode: 'dynamic' })).rejects.toThrow(/It ran on generated inputs; .*'sr' \(int64 scalar/)
    await expect(stat(join(dir, 'vad.onnx'))).rejects.toThrow(/ENOENT/)
    const dynamic = await quantize('test-fixtures/onnx/silero_vad_v5.onnx', 'vad-dynamic.onnx', { mode: 'dynamic', calibPath: data })
    // Two LSTMs in each of the two If branches (8 kHz and 16 kHz), none in the main graph.
    expect(dynamic.converted).toEqual({ LSTM: 4 })
    console.log(`VAD in If branches: dynamic ${JSON.stringify(dynamic.validation.outputs)}`)
    for (const output of dynamic.validation.outputs) expect(output.sqnrDb).toBeGreaterThan(20)
    const fixed = await quantize('test-fixtures/onnx/silero_vad_v5.onnx', 'vad-static.onnx', { mode: 'static', calibPath: data, perChannel: true })
    expect(fixed.converted.Conv).toBe(12)
    console.log(`VAD in If branches: static ${JSON.stringify(fixed.validation.outputs)}`)
    for (const output of fixed.validation.outputs) expect(output.sqnrDb).toBeGreaterThan(15)
    // float16 does reach weights inside the If branches, and the result still runs and agrees.
    const summary = await convertModel({ modelPath: 'test-fixtures/onnx/silero_vad_v5.onnx', outputPath: join(dir, 'vad-fp16.onnx'), options: { keepIoTypes: true, dataPath: data } }, silentJobContext())
    expect(summary.sizeRatio).toBeLessThan(0.8)
    // 38 dB on this input: the LSTM state carries float16 weight rounding from step to step.
    for (const output of summary.validation.outputs) expect(output.sqnrDb).toBeGreaterThan(35)
  })

  it('quantizes weights stored as Constant nodes and keeps the model valid', async () => {
    const random = seededRandom(8)
    const g = new GraphBuilder()
    g.claimName('x')
    g.claimName('y')
    const weight = makeTensor('w', [64, 32], Float32Array.from({ length: 64 * 32 }, () => random() - 0.5))
    const w = g.node('Constant', [], { name: 'weight', attributes: { value: weight } })
    g.node('MatMul', ['x', w], { name: 'matmul', outputs: ['y'] })
    const model = g.model({
      graphName: 'constant_weight',
      inputs: [makeValueInfo('x', DataType.FLOAT, ['n', 64])],
      outputs: [makeValueInfo('y', DataType.FLOAT, ['n', 32])],
      opset: 13,
      producerName: 'test',
      producerVersion: '1',
    })
    const path = join(dir, 'constant-weight.onnx')
    await writeFile(path, encodeModel(model))
    for (const mode of ['dynamic', 'int4'] as const) {
      const summary = await quantize(path, `constant-weight-${mode}.onnx`, { mode })
      expect(summary.converted).toEqual({ MatMul: 1 })
      expect(summary.validation.outputs[0]?.sqnrDb).toBeGreaterThan(mode === 'int4' ? 15 : 30)
      await onnxCheck(join(dir, `constant-weight-${mode}.onnx`))
    }
  })

  it('refuses a model that is already quantized', async () => {
    await quantize('test-fixtures/onnx/digits_mlp.onnx', 'once.onnx', { mode: 'dynamic' })
    await expect(quantize(join(dir, 'once.onnx'), 'twice.onnx', { mode: 'dynamic' })).rejects.toThrow(/already quantized \(it holds .*MatMulInteger/)
  })

  it('stops on cancel during calibration and leaves no partial file', async () => {
    const controller = new AbortController()
    const ctx = createJobContext(controller.signal, (_f, stage) => {
      if (stage === 'calibrating') controller.abort()
    })
    const out = join(dir, 'cancelled.onnx')
    await expect(
      quantizeModel({ modelPath: 'test-fixtures/onnx/digits_cnn.onnx', outputPath: out, options: { mode: 'static', calibPath: 'resources/sample/digits_calib.npy' } }, ctx),
    ).rejects.toThrow('cancelled')
    await expect(readFile(out)).rejects.toThrow(/ENOENT/)
  })
})
