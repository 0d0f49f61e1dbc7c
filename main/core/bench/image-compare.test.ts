import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readNpy } from '../data/npy'
import { spawnNodeWorker } from '../worker/spawn-node-worker'
import { runComparison } from './run-compare'

const fixture = (path: string): string => fileURLToPath(new URL(`../../../test-fixtures/${path}`, import.meta.url))
const cnn = { path: fixture('onnx/digits_cnn.onnx'), label: 'digits_cnn' }
let dir: string

// The digits test split written as 8×8 grayscale PNGs in one folder per class: the image-folder path
// (decode, layout, scale, labels from folders) must give the accuracy the .npy gives.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-digit-images-'))
  const x = (await readNpy(fixture('data/digits_test_x.npy'))).data as Float32Array
  const y = (await readNpy(fixture('data/digits_test_y.npy'))).data as BigInt64Array
  for (let digit = 0; digit < 10; digit++) await mkdir(join(dir, `class_${digit}`))
  for (let i = 0; i < y.length; i++) {
    const pixels = Buffer.from(Array.from(x.subarray(i * 64, i * 64 + 64), (v) => Math.round(v * 255)))
    const name = join(dir, `class_${y[i]}`, `${String(i).padStart(3, '0')}.png`)
    await sharp(pixels, { raw: { width: 8, height: 8, channels: 1 } }).png().toFile(name)
  }
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('comparing on an image folder', { timeout: 180_000 }, () => {
  it('scores digits_cnn at its known 99.44% from class folders of PNGs', async () => {
    const report = await runComparison(spawnNodeWorker, cnn, [cnn], { dataPath: dir, latencyBudgetS: 0 })
    expect(report.data.samples).toBe(360)
    expect(report.baseline.accuracy).toBe(358 / 360)
    expect(report.variants[0]?.fidelity.maxAbsError).toBe(0)
  })
})
