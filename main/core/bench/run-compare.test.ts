import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { comparisonCandidates, defaultPickRule, pickVariant } from '../../../preload/pick-rule'
import { readNpy } from '../data/npy'
import { decodeModel, encodeModel } from '../onnx/codec'
import { convertToFp16 } from '../optimize/convert-fp16'
import { float32ToFloat16Array } from '../onnx/float16'
import { DataType, type NodeProto } from '../onnx/onnx-types'
import { makeTensor, tensorToArray } from '../onnx/tensor-data'
import { spawnNodeWorker } from '../worker/spawn-node-worker'
import { watchedSpawn } from '../worker/worker-test-support'
import { runComparison } from './run-compare'

const fixture = (path: string): string => fileURLToPath(new URL(`../../../test-fixtures/${path}`, import.meta.url))
const mlp = { path: fixture('onnx/digits_mlp.onnx'), label: 'digits_mlp' }
const testX = fixture('data/digits_test_x.npy')
const testY = fixture('data/digits_test_y.npy')
let dir: string
let fp16: { path: string; label: string }

/** digits_mlp with its weights stored as float16 and cast back at run time: written with the codec, not ORT. */
async function writeFp16WeightsCopy(path: string): Promise<void> {
  const model = decodeModel(await readFile(mlp.path))
  const graph = model.graph ?? {}
  const casts: NodeProto[] = []
  graph.initializer = (graph.initializer ?? []).map((tensor) => {
    if (tensor.dataType !== DataType.FLOAT) return tensor
    const half = makeTensor(`${tensor.name}_fp16`, (tensor.dims ?? []).map(Number), float32ToFloat16Array(tensorToArray(tensor) as Float32Array), DataType.FLOAT16)
    casts.push({ opType: 'Cast', input: [half.name ?? ''], output: [tensor.name ?? ''], attribute: [{ name: 'to', type: 2, i: DataType.FLOAT }] })
    return half
  })
  graph.node = [...casts, ...(graph.node ?? [])]
  await writeFile(path, encodeModel(model))
}

/** Logits of a model for all 360 test digits, computed here in one run. */
async function logits(path: string, x: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path)
  const out = await session.run({ input: new ort.Tensor('float32', x, [x.length / 64, 64]) })
  await session.release()
  return (out.logits as ort.Tensor).data as Float32Array
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-compare-'))
  fp16 = { path: join(dir, 'digits_mlp_fp16.onnx'), label: 'fp16 weights' }
  await writeFp16WeightsCopy(fp16.path)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('runComparison', { timeout: 180_000 }, () => {
  it('matches fidelity metrics computed independently for digits_mlp and its fp16-weight copy', async () => {
    const report = await runComparison(spawnNodeWorker, mlp, [fp16], { dataPath: testX, labelsPath: testY, batch: 50, latencyBudgetS: 0 })

    const x = (await readNpy(testX)).data as Float32Array
    const y = Array.from((await readNpy(testY)).data as BigInt64Array, Number)
    const a = await logits(mlp.path, x)
    const b = await logits(fp16.path, x)
    const rows = Array.from({ length: 360 }, (_, i) => [Array.from(a.subarray(i * 10, i * 10 + 10)), Array.from(b.subarray(i * 10, i * 10 + 10))] as const)
    const diffs = rows.flatMap(([p, q]) => p.map((v, j) => Math.abs(v - (q[j] as number))))
    const argmax = (v: readonly number[]): number => v.indexOf(Math.max(...v))
    const ranked = (v: readonly number[]): number[] => v.map((_, j) => j).sort((i, j) => (v[j] as number) - (v[i] as number))
    const softmax = (v: readonly number[]): number[] => {
      const e = v.map((t) => Math.exp(t - Math.max(...v)))
      const s = e.reduce((m, n) => m + n, 0)
      return e.map((t) => t / s)
    }
    const dot = (p: readonly number[], q: readonly number[]): number => p.reduce((s, v, j) => s + v * (q[j] as number), 0)
    const expected = {
      maxAbsError: Math.max(...diffs),
      meanAbsError: diffs.reduce((s, d) => s + d, 0) / diffs.length,
      cosine: rows.reduce((s, [p, q]) => s + dot(p, q) / Math.sqrt(dot(p, p) * dot(q, q)), 0) / 360,
      sqnrDb: 10 * Math.log10(rows.reduce((s, [p]) => s + dot(p, p), 0) / diffs.reduce((s, d) => s + d * d, 0)),
      top1Agreement: rows.filter(([p, q]) => argmax(p) === argmax(q)).length / 360,
      top5Agreement: rows.filter(([p, q]) => ranked(q).slice(0, 5).includes(argmax(p))).length / 360,
      klDivergence:
        rows.reduce((s, [p, q]) => {
          const sp = softmax(p)
          const sq = softmax(q)
          return s + sp.reduce((k, v, j) => k + v * Math.log(v / (sq[j] as number)), 0)
        }, 0) / 360,
    }
    const fidelity = report.variants[0]?.fidelity
    expect(fidelity?.output).toBe('logits')
    expect(fidelity?.elements).toBe(3600)
    expect(fidelity?.maxAbsError).toBeCloseTo(expected.maxAbsError, 7)
    expect(fidelity?.meanAbsError).toBeCloseTo(expected.meanAbsError, 8)
    expect(fidelity?.cosine).toBeCloseTo(expected.cosine, 9)
    expect(fidelity?.sqnrDb).toBeCloseTo(expected.sqnrDb, 6)
    expect(fidelity?.top1Agreement).toBe(expected.top1Agreement)
    expect(fidelity?.top5Agreement).toBe(expected.top5Agreement)
    expect(fidelity?.klDivergence).toBeCloseTo(expected.klDivergence, 9)
    // fp16 weights perturb the logits a little, not the decisions: a real, non-zero error.
    expect(expected.maxAbsError).toBeGreaterThan(0)
    expect(expected.sqnrDb).toBeGreaterThan(40)

    const accuracy = (scores: Float32Array): number =>
      y.filter((label, i) => argmax(Array.from(scores.subarray(i * 10, i * 10 + 10))) === label).length / 360
    expect(report.baseline.accuracy).toBe(348 / 360)
    expect(accuracy(a)).toBe(348 / 360)
    expect(report.variants[0]?.accuracy).toBe(accuracy(b))
    expect(report.variants[0]?.accuracyDropPoints).toBeCloseTo((accuracy(a) - accuracy(b)) * 100, 10)
    // 348 of 360 right: Wilson's 95% interval is about [0.943, 0.981].
    expect(report.baseline.accuracyInterval?.low).toBeCloseTo(0.943, 3)
    expect(report.baseline.accuracyInterval?.high).toBeCloseTo(0.981, 3)
    // The drop is read on matched samples: its interval holds the point and stays within a couple of points,
    // far narrower than the ±2 points each accuracy alone carries.
    const drop = report.variants[0]?.accuracyDropInterval
    expect(drop?.value).toBeCloseTo(report.variants[0]?.accuracyDropPoints ?? Number.NaN, 12)
    expect(drop?.low).toBeLessThanOrEqual(drop?.value ?? Number.NaN)
    expect(drop?.high).toBeGreaterThanOrEqual(drop?.value ?? Number.NaN)
    expect((drop?.high ?? 100) - (drop?.low ?? -100)).toBeLessThan(2)
    expect(report.data).toMatchObject({ samples: 360, labels: testY })
  })

  it('feeds a variant with float16 inputs and outputs (convert-fp16 without --keep-io-types) the same data', async () => {
    const converted = convertToFp16(decodeModel(await readFile(mlp.path)), { keepIoTypes: false })
    expect(converted.float16Inputs).toEqual(['input'])
    const path = join(dir, 'digits_mlp_fp16_io.onnx')
    await writeFile(path, encodeModel(converted.model))
    const report = await runComparison(spawnNodeWorker, mlp, [{ path, label: 'fp16 io' }], { dataPath: testX, labelsPath: testY, latencyBudgetS: 0 })
    const variant = report.variants[0]
    expect(variant?.fidelity.top1Agreement).toBeGreaterThanOrEqual(0.99)
    expect(variant?.fidelity.sqnrDb).toBeGreaterThan(30)
    expect(Math.abs(variant?.accuracyDropPoints ?? 100)).toBeLessThanOrEqual(1)
  })

  it('compares a model with itself as identical', async () => {
    const report = await runComparison(spawnNodeWorker, mlp, [mlp], { dataPath: testX, data: { limit: 20 }, latencyBudgetS: 0 })
    expect(report.variants[0]?.fidelity).toMatchObject({ maxAbsError: 0, sqnrDb: null, top1Agreement: 1, klDivergence: 0 })
    expect(report.baseline.accuracy).toBeUndefined()
    expect(report.latency).toBeUndefined()
  })

  it('times the models in alternation, and never tells two byte-identical copies apart', async () => {
    const copies = ['copy a', 'copy b'].map((label) => ({ path: join(dir, `${label.replace(' ', '_')}.onnx`), label }))
    for (const copy of copies) await copyFile(mlp.path, copy.path)
    const report = await runComparison(spawnNodeWorker, mlp, [...copies, fp16], { dataPath: testX, labelsPath: testY, latencyBudgetS: 2, stableWithin: 0.02 })
    const latency = report.latency
    expect(latency).toMatchObject({ batch: 1, threads: 1, budgetS: 2 })
    expect(['stable', 'budget']).toContain(latency?.stop)
    expect(latency?.rounds).toBeGreaterThanOrEqual(20)
    // Every later model over every earlier one: 4 models, 6 pairs.
    expect(latency?.ratios.map((r) => `${r.of}/${r.over}`)).toEqual(['copy a/digits_mlp', 'copy b/digits_mlp', 'copy b/copy a', 'fp16 weights/digits_mlp', 'fp16 weights/copy a', 'fp16 weights/copy b'])
    for (const { ratio } of latency?.ratios ?? []) expect(ratio && ratio.low <= ratio.value && ratio.value <= ratio.high).toBe(true)
    expect(report.variants[0]?.digest).toBe(report.baseline.digest)
    expect(report.variants[1]?.digest).toBe(report.baseline.digest)
    expect(report.variants[2]?.digest).not.toBe(report.baseline.digest)
    const candidates = comparisonCandidates(report)
    for (const rule of [defaultPickRule, { ...defaultPickRule, objective: 'sizeBytes' as const }]) {
      const pick = pickVariant(candidates, rule)
      // The copies (and the model they copy) are one model: none of them is picked over another.
      const same = ['digits_mlp', 'copy a', 'copy b']
      expect(pick.winnerId === null || !same.includes(pick.winnerId)).toBe(true)
    }
  })

  it('refuses mismatched labels, data and models before any model runs', async () => {
    // The files are read in a worker of their own ('compare-plan'); no worker runs a model.
    let spawned = 0
    const spawn = watchedSpawn((task) => {
      if (task !== 'compare-plan') spawned++
    })
    const cnn = { path: fixture('onnx/digits_cnn.onnx'), label: 'digits_cnn' }
    await expect(runComparison(spawn, mlp, [fp16], { dataPath: testX, labelsPath: testY, data: { limit: 100 } })).rejects.toThrow(
      /digits_test_y.npy holds 360 labels, but .*digits_test_x.npy holds 100 samples \(limited to 100\)/,
    )
    await expect(runComparison(spawn, mlp, [cnn], { dataPath: testX })).rejects.toThrow(
      "digits_cnn: input 'input' has shape [batch,1,8,8], but [batch,64] in digits_mlp, so they cannot run on the same data",
    )
    await expect(runComparison(spawn, cnn, [cnn], { dataPath: testX })).rejects.toThrow(/digits_test_x.npy: input 'input'/)
    await expect(runComparison(spawn, mlp, [fp16], { dataPath: testX, labelsPath: testX })).rejects.toThrow(
      /labels must be one class index per sample/,
    )
    expect(spawned).toBe(0)
  })
})
