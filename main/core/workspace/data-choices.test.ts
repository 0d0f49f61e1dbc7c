// Data choices per model: the engine suggests only files that fit a model's inputs (checked in a worker as a
// job would load them), keeps what the user chose in the model's entry, and reads it back after a restart.
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAppService } from '../app-service'
import { tempService } from '../jobs/job-test-support'
import { spawnNodeWorker } from '../worker/spawn-node-worker'
import { pairedLabelsName } from './data-suggestions'

const ws = tempService('slipway-data-choices-')

describe('data choices per model', { timeout: 180_000 }, () => {
  it('pairs labels with inputs by name', () => {
    expect(pairedLabelsName('digits_test_x.npy')).toBe('digits_test_y.npy')
    expect(pairedLabelsName('x_val.npz')).toBe('y_val.npz')
    expect(pairedLabelsName('inputs.csv')).toBe('labels.csv')
    expect(pairedLabelsName('calib.npy')).toBeUndefined()
  })

  it('suggests fitting files only, keeps choices per model in the workspace, and reads them back after a restart', async () => {
    const sample = await ws.service.api.importModel({ kind: 'sample' })
    const mnist = await ws.service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/mnist-8.onnx'] })

    // The sample keeps its own data; mnist-8 (1×1×28×28) fits none of the sample's 8×8 files.
    const forSample = await ws.service.api.suggestData(sample.id)
    expect(forSample.calibration?.path).toMatch(/digits_calib\.npy$/)
    expect(forSample.calibration?.reason).toBe('fits input input [batch, 1, 8, 8] · 200 rows')
    expect(forSample.evaluation?.path).toMatch(/digits_test_x\.npy$/)
    expect(forSample.labels).toEqual({ path: expect.stringMatching(/digits_test_y\.npy$/), reason: 'pairs with digits_test_x.npy' })
    expect(await ws.service.api.suggestData(mnist.id)).toEqual({})

    // Once a file that fits is in the workspace, it is the one suggested, with its labels paired by name.
    const x = await ws.service.api.addDataFile({ kind: 'paths', paths: [resolve('test-fixtures/data/mnist_1k_x.npy')] })
    const y = await ws.service.api.addDataFile({ kind: 'paths', paths: [resolve('test-fixtures/data/mnist_1k_y.npy')] })
    const forMnist = await ws.service.api.suggestData(mnist.id)
    expect(forMnist).toEqual({
      calibration: { path: x.path, reason: 'fits input Input3 [1, 1, 28, 28] · 1000 rows' },
      evaluation: { path: x.path, reason: 'fits input Input3 [1, 1, 28, 28] · 1000 rows' },
      labels: { path: y.path, reason: 'pairs with mnist_1k_x.npy' },
    })
    expect((await ws.service.api.suggestData(sample.id)).evaluation?.path).toBe(forSample.evaluation?.path)

    await ws.service.api.setDataChoice(mnist.id, 'calibration', x.path)
    const cleared = await ws.service.api.setDataChoice(mnist.id, 'evaluation', null)
    expect(cleared.dataChoices).toEqual({ calibration: x.path, evaluation: null })
    await expect(ws.service.api.setDataChoice(mnist.id, 'labels', join(ws.dir, 'elsewhere.npy'))).rejects.toThrow('that data file is not in the workspace')

    const restarted = await createAppService({ workspaceDir: ws.dir, host: 'cli', spawnWorker: spawnNodeWorker })
    expect((await restarted.api.getModel(mnist.id)).dataChoices).toEqual({ calibration: x.path, evaluation: null })
    expect((await restarted.api.getModel(sample.id)).dataChoices).toBeUndefined()
  })
})
