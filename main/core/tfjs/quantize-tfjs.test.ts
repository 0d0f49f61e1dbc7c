import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentJobContext } from '../jobs/job-context'
import { readTfjsArtifacts, weightEntries } from './node-io-handler'
import { quantizeEntries, quantizeTfjs } from './quantize-tfjs'
import { loadTfjsModel } from './tfjs-model'
import { digitsAccuracy, fixtures } from './tfjs-test-support'
import { roundHalfEven } from './weight-quantization'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-tfjs-quantize-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('roundHalfEven', () => {
  it('rounds halves to even like NumPy', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2])
  })
})

describe('quantizeTfjs', () => {
  it('uint8 on the digits CNN: manifest as the converter writes it, 3.5x smaller, accuracy kept', async () => {
    const out = join(dir, 'digits-uint8')
    const summary = await quantizeTfjs({ modelPath: fixtures.digits, outDir: out, mode: 'uint8' }, silentJobContext())
    expect(summary.weightsQuantized).toBe(8)
    expect(summary.weightBytes).toEqual({ before: 73384, after: 73384 / 4 })
    const json = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'))
    expect(json.weightsManifest[0].paths).toEqual(['group1-shard1of1.bin'])
    const kernel = json.weightsManifest[0].weights[0]
    expect(kernel).toMatchObject({ name: 'conv2d_Conv2D1/kernel', dtype: 'float32', quantization: { dtype: 'uint8' } })
    // The range is nudged so that 0.0 is an exact code: -min/scale is an integer.
    const zero = -kernel.quantization.min / kernel.quantization.scale
    expect(Math.abs(zero - Math.round(zero))).toBeLessThan(1e-9)
    // Loaded back with TF.js's own loader (which dequantizes), the test accuracy stays within a point of 97.50%.
    const model = await loadTfjsModel(summary.modelPath)
    expect(await digitsAccuracy(model)).toBeGreaterThanOrEqual(0.965)
    model.dispose()
    expect(summary.note).toContain('dequantizes')
  })

  it('float16 and uint16 stay within 1e-3 of the float32 outputs', async () => {
    for (const mode of ['float16', 'uint16'] as const) {
      const summary = await quantizeTfjs({ modelPath: fixtures.digits, outDir: join(dir, `digits-${mode}`), mode }, silentJobContext())
      expect(summary.validation.outputs[0]?.maxAbsDiff).toBeLessThan(1e-3)
      expect(summary.weightBytes.after).toBe(73384 / 2)
    }
  })

  it('requantizing the converter-quantized MobileNetV2 reproduces the converter bytes', async () => {
    const artifacts = await readTfjsArtifacts(fixtures.mobilenetLayers)
    const original = weightEntries(artifacts)
    const { entries } = quantizeEntries(original, 'uint8')
    let same = 0
    let total = 0
    for (const [i, entry] of entries.entries()) {
      const source = original[i]!
      for (let k = 0; k < entry.bytes.length; k++) if (entry.bytes[k] === source.bytes[k]) same++
      total += entry.bytes.length
      expect(entry.spec.quantization?.scale).toBeCloseTo(source.spec.quantization?.scale ?? NaN, 6)
      expect(entry.spec.quantization?.min).toBeCloseTo(source.spec.quantization?.min ?? NaN, 5)
    }
    expect(same / total).toBeGreaterThan(0.999)
  })

  it('quantizes the graph-model to uint16 and TF.js loads it with the same outputs', async () => {
    const summary = await quantizeTfjs({ modelPath: fixtures.mobilenetGraph, outDir: join(dir, 'graph-uint16'), mode: 'uint16' }, silentJobContext())
    expect(summary.format).toBe('tfjs-graph')
    expect(summary.validation.outputs[0]?.maxAbsDiff).toBeLessThan(1e-5)
    expect(summary.validation.outputs[0]?.top1Agreement).toBe(1)
    expect(summary.files.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual(['model.json', 'group1-shard1of3.bin', 'group1-shard2of3.bin', 'group1-shard3of3.bin'])
  }, 60_000)
})
