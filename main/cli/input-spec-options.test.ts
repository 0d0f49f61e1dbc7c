import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inputSpecFrom, inputSpecHint } from './input-spec-options'
import { slipway } from './slipway-test-support'

const vad = 'test-fixtures/onnx/silero_vad_v5.onnx'

describe('input spec options', () => {
  it('parse into one spec, and errors naming inputs get the flags that settle them', () => {
    expect(inputSpecFrom({ shape: ['input=1x512'], value: ['sr=16000'], range: ['ids=0:9'] })).toEqual({
      shapes: { input: [1, 512] },
      values: { sr: 16000 },
      ranges: { ids: { low: 0, high: 9 } },
    })
    expect(inputSpecFrom({})).toEqual({})
    const hint = inputSpecHint({ name: 'InputSpecError', message: 'm', inputProblems: [{ input: 'sr', needs: 'values', problem: 'p' }, { input: 'x', needs: 'shape', problem: 'p' }] })
    expect(hint).toBe('say what they are: --value sr=V (or --range sr=LOW:HIGH), --shape x=DIMS; or feed real inputs (--data, or --calib for quantize)')
    expect(inputSpecHint({ name: 'UserError', message: 'm' })).toBeUndefined()
  })

  it('tell a recipe what a detector’s inputs are: without them the check names them, with them it passes', { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-cli-'))
    try {
      const out = join(dir, 'vad-fp16.onnx')
      const refused = await slipway(['convert', vad, '--to', 'fp16', '--out', out])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/ONNX Runtime failed to run the original model: .*Pad.*generated inputs.*'sr' \(int64 scalar: random values 0…9\), 'input' \(float32 \[1,1\]/)
      expect(refused.stderr).toContain('say what they are: --value sr=V (or --range sr=LOW:HIGH), --shape input=DIMS, --shape state=DIMS')
      await expect(stat(out)).rejects.toThrow()
      const done = await slipway(['convert', vad, '--to', 'fp16', '--out', out, '--shape', 'input=1x512', '--shape', 'state=2x1x128', '--value', 'sr=16000'])
      expect(done.stderr).not.toContain('slipway:')
      expect(done.code).toBe(0)
      expect(done.stdout).toMatch(/checked against the original on 2 rows of random data:\n {2}output: SQNR \d+\.\d dB/)
      expect((await stat(out)).size).toBeGreaterThan(1_000_000)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
