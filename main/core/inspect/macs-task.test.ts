// The Overview's "try a size": the engine estimates MACs in a worker with the shapes given for a workspace
// model, and says where the estimate stops when the shapes still leave it unknown.
import { describe, expect, it } from 'vitest'
import { tempService } from '../jobs/job-test-support'

const ws = tempService('slipway-macs-')

describe('estimateMacs', { timeout: 120_000 }, () => {
  it('sizes a dynamic width, names where a subgraph stops the estimate, and refuses TF.js models', async () => {
    const ocr = await ws.service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/paddle_style_ocr_rec_opset9.onnx'] })
    expect(ocr.inspection?.macs).toBeNull()
    const w64 = await ws.service.api.estimateMacs(ocr.id, { x: [1, 3, 16, 64] })
    expect((await ws.service.api.estimateMacs(ocr.id, { x: [1, 3, 16, 320] })).macs).toBe(5 * (w64.macs as number))
    const vad = await ws.service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/silero_vad_v5.onnx'] })
    expect(await ws.service.api.estimateMacs(vad.id, { input: [1, 512], state: [2, 1, 128] })).toEqual({ macs: null, unknownAt: "the body of If 'If_0'" })
    const layers = await ws.service.api.importModel({ kind: 'paths', paths: ['test-fixtures/tfjs/digits_cnn_layers/model.json'] })
    await expect(ws.service.api.estimateMacs(layers.id, {})).rejects.toThrow('MACs for other sizes are estimated for ONNX models')
  })
})
