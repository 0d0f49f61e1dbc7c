import { describe, expect, it } from 'vitest'
import { readOnnxModel } from '../onnx/model-file'
import { preflightChecks } from './preflight'
import { quantizeDynamic } from './quantize-dynamic'

describe('pre-flight', () => {
  it('warns when the CPU has no int8 dot-product instructions, not when it has VNNI', async () => {
    const { model } = await readOnnxModel('test-fixtures/onnx/digits_mlp.onnx')
    expect(preflightChecks(model, 'static', ['avx2', 'fma']).warnings.join()).toMatch(/no int8 dot-product instructions/)
    expect(preflightChecks(model, 'static', ['avx2', 'avx512_vnni']).warnings).toEqual([])
    expect(preflightChecks(model, 'dynamic', ['asimd', 'asimddp']).warnings).toEqual([])
  })

  it('says that dynamic mode leaves Conv float, and refuses a model quantized already', async () => {
    const cnn = (await readOnnxModel('test-fixtures/onnx/digits_cnn.onnx')).model
    expect(preflightChecks(cnn, 'dynamic', ['avx512_vnni']).warnings.join()).toMatch(/Conv stays float in dynamic mode/)
    const mlp = (await readOnnxModel('test-fixtures/onnx/digits_mlp.onnx')).model
    const quantized = quantizeDynamic(mlp, 'digits_mlp.onnx', { perChannel: false }).model
    expect(preflightChecks(quantized, 'static', undefined).errors).toEqual([expect.stringMatching(/already quantized \(it holds DynamicQuantizeLinear, MatMulInteger\)/)])
  })
})
