// Lossless codec check on Debian's libonnx-testdata (ONNX 1.12 backend test models): every model decodes
// and re-encodes to an equal message, and wherever ONNX Runtime runs the original, the re-encoded model
// gives bit-identical outputs on test_data_set_0.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { inspectModelFile } from '../inspect/inspect-model'
import { decodeModel, encodeModel, modelToPlainObject } from './codec'
import type { ModelProto } from './onnx-types'
import { testdataFeeds, testdataModelDirs as modelDirs } from './testdata-support'

const perModelTimeoutMs = 10_000

function sameTensor(a: ort.Tensor, b: ort.Tensor): boolean {
  if (a.type !== b.type || a.dims.join() !== b.dims.join()) return false
  if (a.type === 'string') return (a.data as string[]).join('\u0000') === (b.data as string[]).join('\u0000')
  const bytes = (t: ort.Tensor): Buffer => {
    const d = t.data as Uint8Array
    return Buffer.from(d.buffer, d.byteOffset, d.byteLength)
  }
  return bytes(a).equals(bytes(b))
}

/** Models whose outputs are random by design: compared by type and shape only. */
const randomOps = /^(RandomNormal|RandomUniform|RandomNormalLike|RandomUniformLike|Bernoulli|Multinomial|Dropout)$/

async function runBoth(dir: string, model: ModelProto, original: Uint8Array, reencoded: Uint8Array): Promise<'ran' | 'skipped'> {
  const options: ort.InferenceSession.SessionOptions = { logSeverityLevel: 4, intraOpNumThreads: 1 }
  let first: ort.InferenceSession
  try {
    first = await ort.InferenceSession.create(original, options)
  } catch {
    return 'skipped'
  }
  const second = await ort.InferenceSession.create(reencoded, options)
  try {
    const feeds = await testdataFeeds(dir, model)
    if (!feeds) return 'skipped'
    let a: ort.InferenceSession.ReturnType
    try {
      a = await first.run(feeds)
    } catch {
      return 'skipped'
    }
    const b = await second.run(feeds)
    const random = (model.graph?.node ?? []).some((n) => randomOps.test(n.opType ?? ''))
    for (const name of Object.keys(a)) {
      const same = random ? a[name]!.type === b[name]!.type && a[name]!.dims.join() === b[name]!.dims.join() : sameTensor(a[name]!, b[name]!)
      if (!same) throw new Error(`${dir}: output '${name}' differs after re-encoding`)
    }
    return 'ran'
  } finally {
    await first.release()
    await second.release()
  }
}

function withTimeout<T>(promise: Promise<T>, dir: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${dir}: took over ${perModelTimeoutMs} ms`)), perModelTimeoutMs)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

describe('libonnx-testdata round trip', () => {
  it('decodes and re-encodes every model losslessly; re-encoded models compute the same outputs', async () => {
    const dirs = await modelDirs()
    let identicalBytes = 0
    let ran = 0
    const failures: string[] = []
    for (const dir of dirs) {
      const original = new Uint8Array(await readFile(join(dir, 'model.onnx')))
      const model = decodeModel(original)
      const reencoded = encodeModel(model)
      if (Buffer.from(reencoded).equals(Buffer.from(original))) identicalBytes++
      if (JSON.stringify(modelToPlainObject(decodeModel(reencoded))) !== JSON.stringify(modelToPlainObject(model))) {
        failures.push(`${dir}: re-encoded message differs`)
        continue
      }
      try {
        if ((await withTimeout(runBoth(dir, model, original, reencoded), dir)) === 'ran') ran++
      } catch (error) {
        failures.push((error as Error).message)
      }
    }
    console.log(
      `libonnx-testdata: ${dirs.length} models decoded and re-encoded to equal messages (${identicalBytes} byte-identical); ` +
        `${ran} ran in ONNX Runtime with identical outputs before and after`,
    )
    expect(failures).toEqual([])
    expect(dirs.length).toBeGreaterThan(1000)
    // The ONNX Runtime of this project runs about 860 of the 932 node models (shared/fixtures/PROVENANCE.md).
    expect(ran).toBeGreaterThan(850)
  }, 600_000)

  it('inspects every model without an error', async () => {
    const dirs = await modelDirs()
    const failures: string[] = []
    let withMacs = 0
    for (const dir of dirs) {
      try {
        const inspection = await inspectModelFile(join(dir, 'model.onnx'))
        if ((inspection.macs ?? 0) > 0) withMacs++
      } catch (error) {
        failures.push(`${dir}: ${(error as Error).message}`)
      }
    }
    expect(failures).toEqual([])
    // Conv/Gemm/MatMul models with static shapes: the node tests of those ops and the converted nets.
    expect(withMacs).toBeGreaterThan(60)
  }, 120_000)
})
