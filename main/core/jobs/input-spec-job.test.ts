import { describe, expect, it } from 'vitest'
import { jobEnded, tempService } from './job-test-support'

const ws = tempService('slipway-input-spec-')

describe("a model's input spec", { timeout: 180_000 }, () => {
  it('is checked when set, fed to recipe checks, and inherited by the variant', async () => {
    const vad = await ws.service.api.importModel({ kind: 'paths', paths: ['test-fixtures/onnx/silero_vad_v5.onnx'] })
    await expect(ws.service.api.setInputSpec(vad.id, { values: { rate: 16000 } })).rejects.toThrow("silero_vad_v5 has no input 'rate' (its inputs: 'input', 'state', 'sr')")
    await expect(ws.service.api.setInputSpec(vad.id, { shapes: { state: [3, 1, 128] } })).rejects.toThrow(/contradicts silero_vad_v5: its dim 0 is fixed at 2/)

    // Without a spec the output check runs on made-up inputs, fails, and names the inputs to set.
    const refused = await jobEnded(ws.service, await ws.service.api.startJob({ kind: 'optimize', modelId: vad.id, options: { level: 'basic' } }))
    expect(refused.state).toBe('failed')
    expect(refused.error?.name).toBe('InputSpecError')
    expect(refused.error?.inputProblems?.map((p) => p.input)).toEqual(['sr', 'input', 'state'])

    const spec = { shapes: { input: [1, 512], state: [2, 1, 128] }, values: { sr: 16000 } }
    expect((await ws.service.api.setInputSpec(vad.id, spec)).inputSpec).toEqual(spec)
    expect((await ws.service.api.getModel(vad.id)).inputSpec).toEqual(spec)
    const done = await jobEnded(ws.service, await ws.service.api.startJob({ kind: 'convert', modelId: vad.id, options: { to: 'fp16', keepIoTypes: true } }))
    expect(done.state).toBe('succeeded')
    const variant = (await ws.service.api.listModels()).find((m) => m.lineage?.parentId === vad.id)
    expect(variant?.inputSpec).toEqual(spec)
  })
})
