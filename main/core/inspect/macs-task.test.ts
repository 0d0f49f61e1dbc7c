// The Overview's "try a size": the engine estimates MACs in a worker with the shapes given for a workspace
// model, and says where the estimate stops when the shapes still leave it unknown.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppService, type AppService } from '../app-service'
import { spawnNodeWorker } from '../worker/spawn-node-worker'

let dir: string
let service: AppService

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-macs-'))
  service = await createAppService({ workspaceDir: dir, host: 'cli', spawnWorker: spawnNodeWorker })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('estimateMacs', { timeout: 120_000 }, () => {
  it('sizes a dynamic width, names where a subgraph stops the estimate, and refuses TF.js models', async () => {
    const ocr = await service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/paddle_style_ocr_rec_opset9.onnx'] })
    expect(ocr.inspection?.macs).toBeNull()
    const w64 = await service.api.estimateMacs(ocr.id, { x: [1, 3, 16, 64] })
    expect((await service.api.estimateMacs(ocr.id, { x: [1, 3, 16, 320] })).macs).toBe(5 * (w64.macs as number))
    const vad = await service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/silero_vad_v5.onnx'] })
    expect(await service.api.estimateMacs(vad.id, { input: [1, 512], state: [2, 1, 128] })).toEqual({ macs: null, unknownAt: "the body of If 'If_0'" })
    const layers = await service.api.importModel({ kind: 'paths', paths: ['test-fixtures/tfjs/digits_cnn_layers/model.json'] })
    await expect(service.api.estimateMacs(layers.id, {})).rejects.toThrow('MACs for other sizes are estimated for ONNX models')
  })
})
