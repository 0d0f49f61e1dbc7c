import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { silentJobContext } from '../jobs/job-context'
import { decodeModel } from '../onnx/codec'
import { pruneModel } from '../worker/prune-model'
import { ortOptimize } from './ort-optimize'
import { onnxChecker } from './prune-test-support'

describe('ortOptimize', () => {
  it('saves the extended-level graph (fused Conv+Relu) with the same outputs as the parent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-ort-opt-'))
    const output = join(dir, 'optimized.onnx')
    const result = await ortOptimize(
      { modelPath: 'test-fixtures/onnx/digits_cnn.onnx', outputPath: output, options: { level: 'extended', dataPath: 'resources/sample/digits_calib.npy' } },
      silentJobContext(),
    )
    expect(result.opsBefore).toMatchObject({ Conv: 3, Relu: 4 })
    expect(result.opsAfter['com.microsoft.FusedConv']).toBe(3)
    expect(result.nodesAfter).toBeLessThan(result.nodesBefore)
    expect(result.validation.inputs).toBe('given data')
    expect(result.validation.outputs[0]?.sqnrDb).toBeGreaterThan(60)
    expect(result.validation.outputs[0]?.top1Agreement).toBe(1)
    expect(decodeModel(await readFile(output)).graph?.node?.length).toBe(result.nodesAfter)
    expect(await readdir(dir)).toEqual(['optimized.onnx'])
  })

  it('basic level keeps standard ops only and passes the ONNX checker', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-ort-opt-'))
    const output = join(dir, 'basic.onnx')
    const result = await ortOptimize({ modelPath: 'test-fixtures/onnx/squeezenet1_1_random.onnx', outputPath: output, options: { level: 'basic' } }, silentJobContext())
    expect(Object.keys(result.opsAfter).every((op) => !op.includes('.'))).toBe(true)
    expect(result.notes[0]).toMatch(/^basic:/)
    expect(await onnxChecker(output)).toBe('ok')
  })
})

describe('pruneModel task', () => {
  it('writes nothing when pruning is refused, and reports sizes measured on the written file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-prune-task-'))
    const refused = pruneModel({ modelPath: 'test-fixtures/onnx/digits_cnn.onnx', outputPath: join(dir, 'x.onnx'), options: { method: 'structured', ratio: 0.99 } }, silentJobContext())
    await expect(refused).rejects.toThrow('would remove all 32 output channels')
    expect(await readdir(dir)).toEqual([])
    const output = join(dir, 'mlp.onnx')
    const result = await pruneModel({ modelPath: 'test-fixtures/onnx/digits_mlp.onnx', outputPath: output, options: { method: 'magnitude', sparsity: 0.5, includeFirstLast: true } }, silentJobContext())
    expect(result.sizes.bytes).toBe((await readFile(output)).length)
    expect(result.sizes.gzipBytes / result.sizes.parentGzipBytes).toBeLessThan(0.7)
    expect(result.notes[0]).toContain('Dense kernels do not skip zeros')
    expect(await onnxChecker(output)).toBe('ok')
  })
})
