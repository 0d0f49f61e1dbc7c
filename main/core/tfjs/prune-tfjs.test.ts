import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentJobContext } from '../jobs/job-context'
import { readTfjsArtifacts, weightEntries } from './node-io-handler'
import { findKernels, pruneEntries, pruneTfjs } from './prune-tfjs'
import { loadTfjsModel } from './tfjs-model'
import { digitsAccuracy, fixtures } from './tfjs-test-support'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-tfjs-prune-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('pruneTfjs', () => {
  it('zeros half the inner kernels of the digits CNN, keeps first and last, and reports gzip sizes', async () => {
    const result = await pruneTfjs({ modelPath: fixtures.digits, outDir: join(dir, 'digits'), sparsity: 0.5 }, silentJobContext())
    const layers = result.summary.layers
    expect(layers.map((l) => [l.node, l.weights, l.kept])).toEqual([
      ['conv2d_Conv2D1', 72, 'first layer'],
      ['conv2d_Conv2D2', 1152, undefined],
      ['dense_Dense1', 16384, undefined],
      ['dense_Dense2', 640, 'last layer'],
    ])
    // Exactly half of the 17536 pruned weights are zero (global threshold).
    expect(result.summary.achievedSparsity).toBe(0.5)
    expect(result.sizes.gzipBytes).toBeLessThan(result.sizes.parentGzipBytes * 0.75)
    expect(result.sizes.bytes).toBeGreaterThanOrEqual(result.sizes.parentBytes - 16)
    const pruned = await loadTfjsModel(result.modelPath)
    expect(await digitsAccuracy(pruned)).toBeGreaterThanOrEqual(0.96)
    pruned.dispose()
  })

  it('per-layer scope gives each pruned layer the target sparsity', async () => {
    const artifacts = await readTfjsArtifacts(fixtures.digits)
    const { summary } = pruneEntries(artifacts, weightEntries(artifacts), { sparsity: 0.3, scope: 'layer', includeFirstLast: true })
    for (const layer of summary.layers) expect(Math.abs(layer.sparsity - 0.3)).toBeLessThan(1 / layer.weights)
  })

  it('finds graph-model kernels through the ops that use them, in model order', async () => {
    const kernels = findKernels(await readTfjsArtifacts(fixtures.mobilenetGraph))
    expect(kernels).toHaveLength(53)
    expect(kernels[0]?.opType).toBe('_FusedConv2D')
    expect(kernels.at(-1)?.opType).toBe('_FusedMatMul')
  })

  it('refuses a sparsity outside [0, 1)', async () => {
    await expect(pruneTfjs({ modelPath: fixtures.digits, outDir: join(dir, 'bad'), sparsity: 1 }, silentJobContext())).rejects.toThrow(/--sparsity/)
  })
})
