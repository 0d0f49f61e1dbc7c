// The opset converter on every libonnx-testdata model older than opset 13: each upgraded model runs in
// ONNX Runtime to the expected outputs of test_data_set_0, or is refused with the op and the opset named.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeModel } from './codec'
import { opsetVersion } from './graph-edit'
import { checkUpgrade, testdataModelDirs } from './testdata-support'

describe('opset upgrade on libonnx-testdata', () => {
  it('converts the old models so that they compute the expected outputs at opset 13', async () => {
    const tally: Record<string, number> = {}
    const refusals: string[] = []
    const failures: string[] = []
    for (const dir of await testdataModelDirs()) {
      const model = decodeModel(new Uint8Array(await readFile(join(dir, 'model.onnx'))))
      if (opsetVersion(model.opsetImport) >= 13) continue
      const check = await checkUpgrade(dir)
      tally[check.kind] = (tally[check.kind] ?? 0) + 1
      if (check.kind === 'refused') refusals.push(check.detail)
      else if ('detail' in check) failures.push(`${dir}: ${check.kind}: ${check.detail}`)
    }
    console.log(`opset upgrade: ${JSON.stringify(tally)}`)
    expect(failures).toEqual([])
    // 368 models below 13 (80 PyTorch conversions at opset 6 among them); 22 do not run to their expected
    // outputs in ONNX Runtime even unconverted.
    expect(tally.matched).toBeGreaterThanOrEqual(340)
    for (const reason of refusals) expect(reason).toMatch(/uses opset \d+ .* its \w+ node cannot be converted: .+/)
    expect(refusals.length).toBeLessThanOrEqual(2)
  }, 120_000)
})
