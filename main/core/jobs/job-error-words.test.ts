// Real failing jobs, from the engine's throw to the words the UI shows: the structured error must carry
// what the UI needs to say it without the CLI's flags and without workspace paths.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ErrorInfo } from '../../../preload/api'
import { uiMessage } from '../../../renderer/messages/problem-text'
import { jobEnded, tempService } from './job-test-support'

const ws = tempService('slipway-error-words-')

function expectUiWords(info: ErrorInfo | undefined): { line: string; details: readonly string[] } {
  expect(info).toBeDefined()
  const words = uiMessage(info as ErrorInfo)
  for (const text of [words.line, ...words.details]) {
    expect(text).not.toContain(ws.dir)
    expect(text).not.toContain(process.cwd())
    expect(text).not.toMatch(/(^|\s|\()--[a-z]/)
  }
  expect(words.line).not.toContain('\n')
  return words
}

describe('a failed job in the UI', { timeout: 180_000 }, () => {
  it('names calibration data of the wrong shape by its file name, and the CLI by its path', async () => {
    const model = await ws.service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/squeezenet1_1_random.onnx'] })
    const calib = await ws.service.api.addDataFile({ kind: 'paths', paths: [resolve('resources/sample/digits_calib.npy')] })
    const job = await jobEnded(ws.service, await ws.service.api.startJob({ kind: 'quantize', modelId: model.id, options: { mode: 'static', calibPath: calib.path } }))
    expect(job.state).toBe('failed')
    expect(job.error).toMatchObject({ name: 'FileError', file: calib.path })
    expect(job.error?.message).toContain(`${calib.path}: input 'input'`)
    const { line } = expectUiWords(job.error)
    expect(line).toBe("digits_calib.npy: input 'input': the data has shape [200,1,8,8] (dimension 1 is 1, not 3); the model expects float32 [batch,3,224,224]")
  })

  it("keeps a conv net's per-node list of dynamic int8 out of the line", async () => {
    const model = (await ws.service.api.listModels()).find((m) => m.name.startsWith('squeezenet')) ?? (await ws.service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/squeezenet1_1_random.onnx'] }))
    const job = await jobEnded(ws.service, await ws.service.api.startJob({ kind: 'quantize', modelId: model.id, options: { mode: 'dynamic' } }))
    expect(job.state).toBe('succeeded')
    expect(job.warning?.message).toMatch(/^nothing to quantize in dynamic mode/)
    const { line, details } = expectUiWords(job.warning)
    expect(line).toBe('nothing to quantize in dynamic mode: dynamic int8 Conv has no fast CPU kernel (static mode quantizes it) (26 nodes)')
    expect(details).toHaveLength(26)
  })

  it('names the field that sets a batch the model cannot take', async () => {
    const model = await ws.service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/mnist-8.onnx'] })
    const job = await jobEnded(ws.service, await ws.service.api.startJob({ kind: 'benchmark', modelIds: [model.id], options: { batches: [8], iterations: 5 } }))
    expect(job.state).toBe('failed')
    const { line } = expectUiWords(job.error)
    expect(line).toMatch(/^Batch size 8 does not fit this model: its input 'Input3' has a fixed batch of 1\. Use 1 under Batch sizes\./)
  })
})
