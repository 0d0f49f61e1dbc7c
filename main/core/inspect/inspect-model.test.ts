// Facts asserted here come from PROVENANCE.md and were checked independently with Debian's python3-onnx
// (parameter counts over initializers and Constant nodes in all subgraphs; MACs from onnx.shape_inference
// with the batch dim pinned to 1) and by hand for the TF.js models.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileError } from '../errors'
import { encodeModel } from '../onnx/codec'
import { writeOnnxModelWithExternalData } from '../onnx/external-data-io'
import { readOnnxModel } from '../onnx/model-file'
import { inspectModelAndFiles, inspectModelFile, modelFilesFor } from './inspect-model'
import { macsForOneSample } from './inspect-onnx'

const onnx = (name: string): string => `test-fixtures/onnx/${name}.onnx`
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-inspect-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('inspectModelFile on ONNX fixtures', () => {
  it('digits_cnn: dynamic batch kept by name, parameters, MACs', async () => {
    const i = await inspectModelFile(onnx('digits_cnn'))
    expect(i.format).toBe('onnx')
    expect(i.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: ['batch', 1, 8, 8] }])
    expect(i.outputs).toEqual([{ name: 'logits', dtype: 'float32', shape: ['batch', 10] }])
    expect(i.irVersion).toBe(7)
    expect(i.opsets).toEqual({ '': 13 })
    expect(i.producer).toEqual({ name: 'pytorch', version: '1.13.0' })
    expect(i.nodeCount).toBe(12)
    expect(i.opHistogram).toEqual({ Conv: 3, Relu: 4, MaxPool: 2, Flatten: 1, Gemm: 2 })
    expect(i.parameters).toEqual({ count: 22954, bytes: 91816, byDtype: { float32: { count: 22954, bytes: 91816 } } })
    expect(i.sizeBytes).toBe(94258)
    expect(i.macs).toBe(460416)
    expect(i.warnings.map((w) => w.code)).toEqual(['dynamic-dims'])
  })

  it('digits_mlp: MACs are the sum of the Gemm weight sizes', async () => {
    const i = await inspectModelFile(onnx('digits_mlp'))
    expect(i.inputs[0]).toEqual({ name: 'input', dtype: 'float32', shape: ['batch', 64] })
    expect(i.parameters.count).toBe(17226)
    expect(i.macs).toBe(64 * 128 + 128 * 64 + 64 * 10)
  })

  it('mnist-8: fixed batch, opset 8, float_data weights, MatMul MACs', async () => {
    const i = await inspectModelFile(onnx('mnist-8'))
    expect(i.inputs).toEqual([{ name: 'Input3', dtype: 'float32', shape: [1, 1, 28, 28] }])
    expect(i.outputs).toEqual([{ name: 'Plus214_Output_0', dtype: 'float32', shape: [1, 10] }])
    expect(i.irVersion).toBe(3)
    expect(i.opsets).toEqual({ '': 8 })
    expect(i.parameters.byDtype).toEqual({ float32: { count: 5994, bytes: 23976 }, int64: { count: 4, bytes: 32 } })
    expect(i.macs).toBe(786560)
    // A zoo export of 2018: batch fixed at 1, IR 3, opset 8 (below TensorRT's 9).
    expect(i.warnings.map((w) => w.code)).toEqual(['fixed-batch', 'dated-ir-version', 'dated-opset'])
    expect(i.warnings[0]?.message).toMatch(/^Fixed batch of 1 \(Input3 \[1, 1, 28, 28\]\)/)
  })

  it('paddle-style OCR: MACs unknown where the width is dynamic, and a given width sizes them', async () => {
    const i = await inspectModelFile(onnx('paddle_style_ocr_rec_opset9'))
    expect(i.inputs[0]?.shape).toEqual(['p2o.DynamicDimension.0', 3, 16, 'p2o.DynamicDimension.1'])
    expect(i.macs).toBeNull()
    expect(i.macsUnknownAt).toBe("Conv 'conv2d_c1'")
    const { model } = await readOnnxModel(onnx('paddle_style_ocr_rec_opset9'))
    const w64 = macsForOneSample(model, { x: [1, 3, 16, 64] }).macs
    expect(w64).toBeGreaterThan(0)
    // Every layer's work grows with the width alone: twice the width, twice the MACs.
    expect(macsForOneSample(model, { x: [1, 3, 16, 128] }).macs).toBe(2 * (w64 as number))
    // A shape of the wrong rank is ignored, as if none had been given.
    expect(macsForOneSample(model, { x: [1, 3, 16] })).toEqual({ macs: null, unknownAt: "Conv 'conv2d_c1'" })
  })

  it('squeezenet: 1.23M parameters, 349M MACs', async () => {
    const i = await inspectModelFile(onnx('squeezenet1_1_random'))
    expect(i.parameters.count).toBe(1233288)
    expect(i.nodeCount).toBe(83)
    expect(i.macs).toBe(349151936)
    expect(i.sizeBytes).toBe(4950070)
  })

  it('silero VAD: anonymous dims as ?, weights inside If subgraphs counted and flagged, MACs unknown', async () => {
    const i = await inspectModelFile(onnx('silero_vad_v5'))
    expect(i.inputs).toEqual([
      { name: 'input', dtype: 'float32', shape: ['?', '?'] },
      { name: 'state', dtype: 'float32', shape: [2, '?', 128] },
      { name: 'sr', dtype: 'int64', shape: [] },
    ])
    expect(i.outputs.map((o) => o.name)).toEqual(['output', 'stateN'])
    expect(i.nodeCount).toBe(689)
    expect(i.opHistogram.If).toBe(25)
    expect(i.opHistogram.LSTM).toBe(4)
    expect(i.parameters.count).toBe(545597)
    expect(i.macs).toBeNull()
    expect(i.macsUnknownAt).toBe("the body of If 'If_0'")
    expect(i.warnings.find((w) => w.code === 'subgraph-weights')?.message).toMatch(/^340 weight tensors \(545,596 values\)/)
    const constants = i.warnings.find((w) => w.code === 'constant-weights')
    expect(constants?.severity).toBe('warning')
    expect(constants?.message).toMatch(/^28 weight tensors \(2\.08 MiB\) are stored as Constant nodes/)
  })

  it('light ResNet-50: weights computed by ConstantOfShape are flagged, MACs still estimated', async () => {
    const i = await inspectModelFile(onnx('light_resnet50'))
    expect(i.opHistogram.ConstantOfShape).toBe(239)
    expect(i.parameters.count).toBe(2194)
    expect(i.macs).toBe(4089184256)
    const computed = i.warnings.find((w) => w.code === 'computed-weights')
    expect(computed?.severity).toBe('warning')
    expect(computed?.message).toMatch(/^\d+ weight tensors \(25,608,360 values\) are computed by ConstantOfShape/)
  })

  it('counts external data in the size and warns about it', async () => {
    const out = join(dir, 'ext', 'model.onnx')
    await mkdir(join(dir, 'ext'))
    await writeOnnxModelWithExternalData(out, (await readOnnxModel(onnx('digits_cnn'))).model)
    const i = await inspectModelFile(join(dir, 'ext'))
    expect(i.parameters.count).toBe(22954)
    expect(i.sizeBytes).toBeGreaterThan(91816)
    expect(i.warnings.map((w) => w.code)).toContain('external-data')
    const files = await modelFilesFor(join(dir, 'ext'))
    expect(files.files).toEqual([resolve(out), resolve(`${out}.data`)])
    expect(files.sizeBytes).toBe(i.sizeBytes)
    expect(await inspectModelAndFiles(out)).toEqual({ files, inspection: i })
  })

  it('flags foreign domains, old opsets and quantized ops', async () => {
    const path = join(dir, 'odd.onnx')
    const node = (opType: string, domain = '') => ({ opType, domain, input: ['x'], output: [`${opType}_y`] })
    const model = {
      irVersion: 3,
      opsetImport: [{ domain: '', version: 6 }, { domain: 'org.example', version: 1 }],
      graph: {
        name: 'g',
        node: [node('Custom', 'org.example'), node('QLinearMatMul'), node('DequantizeLinear')],
        input: [{ name: 'x', type: { tensorType: { elemType: 3, shape: { dim: [{ dimValue: 4 }] } } } }],
        output: [{ name: 'Custom_y', type: { tensorType: { elemType: 1 } } }],
      },
    }
    await writeFile(path, encodeModel(model))
    const i = await inspectModelFile(path)
    const codes = Object.fromEntries(i.warnings.map((w) => [w.code, w]))
    expect(codes['old-opset']?.severity).toBe('warning')
    expect(codes['dated-ir-version']?.severity).toBe('warning')
    // Opset 6 is past ONNX Runtime's range: one warning, not a second about TensorRT's.
    expect(codes['dated-opset']).toBeUndefined()
    // A one-dimensional input has no batch dimension to be fixed.
    expect(codes['fixed-batch']).toBeUndefined()
    expect(codes['unsupported-domain']?.message).toMatch(/domain 'org\.example' \(Custom\)/)
    expect(codes['quantized-ops']?.message).toMatch(/^2 quantized/)
    expect(i.opHistogram).toEqual({ 'org.example.Custom': 1, QLinearMatMul: 1, DequantizeLinear: 1 })
  })
})

describe('inspectModelFile on TF.js fixtures', () => {
  it('digits CNN layers model: input [null,8,8,1] -> [N,10], 18,346 float32 weights', async () => {
    const i = await inspectModelFile('test-fixtures/tfjs/digits_cnn_layers')
    expect(i.format).toBe('tfjs-layers')
    expect(i.inputs).toEqual([{ name: 'conv2d_Conv2D1_input', dtype: 'float32', shape: ['?', 8, 8, 1] }])
    expect(i.outputs).toEqual([{ name: 'dense_Dense2', dtype: 'float32', shape: ['?', 10] }])
    expect(i.opHistogram).toEqual({ Conv2D: 2, MaxPooling2D: 1, Flatten: 1, Dense: 2 })
    // 3*3*1*8+8 + 3*3*8*16+16 + 256*64+64 + 64*10+10, and 4 bytes each: the shard's size.
    expect(i.parameters).toEqual({ count: 18346, bytes: 73384, byDtype: { float32: { count: 18346, bytes: 73384 } } })
    expect(i.sizeBytes).toBe(3028 + 73384)
    // 8*8*8*9*1 + 8*8*16*9*8 + 256*64 + 64*10
    expect(i.macs).toBe(95360)
  })

  it('nsfw MobileNetV2 graph model: two uint8 shards, signature inputs and outputs', async () => {
    const i = await inspectModelFile('test-fixtures/tfjs/nsfw_mobilenet_v2_graph/model.json')
    expect(i.format).toBe('tfjs-graph')
    expect(i.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: ['?', 224, 224, 3] }])
    expect(i.outputs).toEqual([{ name: 'Identity', dtype: 'float32', shape: ['?', 5] }])
    expect(i.parameters.byDtype).toEqual({ uint8: { count: 4300775, bytes: 4300775 } })
    expect(i.sizeBytes).toBe(135282 + 4194304 + 106471)
    expect(i.opHistogram._FusedConv2D).toBe(35)
    expect(i.warnings.find((w) => w.code === 'quantized-weights')?.message).toMatch(/^108 weights are stored as uint8/)
    const files = await modelFilesFor('test-fixtures/tfjs/nsfw_mobilenet_v2_graph')
    expect(files.files.map((f) => f.split('/').pop())).toEqual(['model.json', 'group1-shard1of2.bin', 'group1-shard2of2.bin'])
  })

  it('refuses a model.json missing a shard, with a FileError', async () => {
    await cp('test-fixtures/tfjs/digits_cnn_layers', join(dir, 'noshard'), { recursive: true })
    await rm(join(dir, 'noshard', 'weights.bin'))
    const error = await inspectModelFile(join(dir, 'noshard')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FileError)
    expect((error as Error).message).toMatch(/model\.json: weight shard 'weights\.bin' is missing/)
  })
})

describe('resolving a model path', () => {
  it('names empty folders, folders with several models and missing paths', async () => {
    await mkdir(join(dir, 'empty'))
    await expect(inspectModelFile(join(dir, 'empty'))).rejects.toThrow(/holds no \.onnx file and no TF\.js model\.json/)
    await mkdir(join(dir, 'two'))
    await cp(onnx('mnist-8'), join(dir, 'two', 'a.onnx'))
    await cp(onnx('mnist-8'), join(dir, 'two', 'b.onnx'))
    await expect(inspectModelFile(join(dir, 'two'))).rejects.toThrow(/several \.onnx files \(a\.onnx, b\.onnx\)/)
    await expect(modelFilesFor(join(dir, 'nothing'))).rejects.toThrow(/nothing: file not found/)
  })
})

describe('bad inputs from the issue give FileErrors naming the file, for inspect and import alike', () => {
  it.each([
    ['a zero-byte file', 'empty.onnx', async (p: string) => writeFile(p, ''), /empty\.onnx: the file is empty \(0 bytes\)/],
    [
      'a truncated ONNX file',
      'cut.onnx',
      async (p: string) => writeFile(p, (await readFile(onnx('squeezenet1_1_random'))).subarray(0, 1_000_000)),
      /cut\.onnx: the file is truncated or corrupt/,
    ],
    ['random bytes', 'noise.onnx', async (p: string) => writeFile(p, Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 2654435761) >>> 24))), /noise\.onnx: (not (a valid|an|a complete) ONNX model|the file is truncated or corrupt)/],
    [
      'a JPEG renamed .onnx',
      'cat.onnx',
      async (p: string) => writeFile(p, Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb', 'hex')),
      /cat\.onnx: this is a JPEG image, not an ONNX model/,
    ],
    ['a model.json that is not JSON', 'model.json', async (p: string) => writeFile(p, '<html>oops</html>'), /model\.json: is not valid JSON/],
    [
      'a model declaring a 1e12-element tensor',
      'huge.onnx',
      async (p: string) =>
        writeFile(
          p,
          encodeModel({
            irVersion: 8,
            opsetImport: [{ domain: '', version: 13 }],
            graph: { name: 'g', initializer: [{ name: 'w', dims: [1_000_000, 1_000_000], dataType: 1, rawData: new Uint8Array(4) }] },
          }),
        ),
      /huge\.onnx: tensor 'w' declares 1000000000000 elements \(3\.64 TiB\)/,
    ],
    [
      'an external-data path that escapes the folder',
      'escape.onnx',
      async (p: string) =>
        writeFile(
          p,
          encodeModel({
            irVersion: 8,
            opsetImport: [{ domain: '', version: 13 }],
            graph: {
              name: 'g',
              initializer: [
                { name: 'w', dims: [2], dataType: 1, dataLocation: 1, externalData: [{ key: 'location', value: '../../etc/passwd' }] },
              ],
            },
          }),
        ),
      /escape\.onnx: external data location '\.\.\/\.\.\/etc\/passwd' points outside the folder/,
    ],
  ])('%s', async (_what, name, make, message) => {
    const folder = await mkdtemp(join(dir, 'bad-'))
    const path = join(folder, name)
    await make(path)
    for (const entry of [inspectModelFile, modelFilesFor]) {
      const error = await entry(path).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(FileError)
      expect((error as Error).message).toMatch(message)
      expect((error as Error).message.startsWith(path)).toBe(true)
    }
  })
})
