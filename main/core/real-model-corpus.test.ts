// Every recipe and the benchmark on a corpus of small real models from different producers and eras
// (test-fixtures/PROVENANCE.md): each (model, recipe) pair either gives a variant that ONNX Runtime loads
// and whose outputs match its parent's, or is refused with one line that names a property of the model.
// The table printed at the end is the corpus's state; the expectations pin it.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TensorInfo } from '../../preload/api'
import { randomTensorData } from './bench/random-inputs'
import { benchModel } from './bench/bench-task'
import { UserError } from './errors'
import { inputInfos } from './optimize/recipe-io'
import { encodeTensor } from './onnx/codec'
import { readOnnxModel } from './onnx/model-file'
import { dtypeCode, makeTensor, type TensorArray } from './onnx/tensor-data'
import { silentJobContext } from './jobs/job-context'
import { ortOptimize } from './optimize/ort-optimize'
import { convertModel } from './worker/convert-model'
import { pruneModel } from './worker/prune-model'
import { quantizeModel } from './worker/quantize-model'

const fixtures = join(__dirname, '../../test-fixtures/onnx')

interface CorpusModel {
  readonly file: string
  /** Per recipe (in `recipes` order): o = a matching variant, r = refused with a reason. */
  readonly expected: string
  /** Values for symbolic dims and inputs that need meaningful values (the rest is random in [0, 1)). */
  readonly dims?: Readonly<Record<string, readonly number[]>>
  readonly values?: Readonly<Record<string, (count: number) => TensorArray>>
  /** Data sets (of batch 2 where the batch is free); one where an input carries state across the batch. */
  readonly sets?: number
}

const corpus: readonly CorpusModel[] = [
  { file: 'mnist-8.onnx', expected: 'ooooooro' },
  { file: 'digits_cnn.onnx', expected: 'oooooooo' },
  { file: 'paddle_style_ocr_rec_opset9.onnx', expected: 'ooooooro', dims: { x: [2, 3, 16, 32] } },
  { file: 'fp16_segmenter.onnx', expected: 'rrrroroo' },
  {
    file: 'silero_vad_v5.onnx',
    expected: 'ooororro',
    dims: { input: [1, 512], state: [2, 1, 128], sr: [] },
    values: { input: (n) => Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i / 5)), sr: () => BigInt64Array.of(16000n), state: (n) => new Float32Array(n) },
    sets: 1,
  },
  { file: 'libonnx_test_Linear.onnx', expected: 'ooororro' },
  { file: 'libonnx_test_Linear_no_bias.onnx', expected: 'ooororro' },
  { file: 'libonnx_test_Conv2d_groups.onnx', expected: 'orororro' },
  { file: 'libonnx_test_operator_conv.onnx', expected: 'orororro' },
  { file: 'libonnx_test_operator_mm.onnx', expected: 'orrrorro' },
]

type Recipe = 'fp16' | 'dynamic' | 'static' | 'int4' | 'optimize' | 'prune' | 'prune-ch' | 'bench'
const recipes: readonly Recipe[] = ['fp16', 'dynamic', 'static', 'int4', 'optimize', 'prune', 'prune-ch', 'bench']

/** The least output SQNR against the parent a variant must keep; pruning changes outputs by design. */
const floorDb: Readonly<Record<Recipe, number>> = { fp16: 30, dynamic: 20, static: 20, int4: 15, optimize: 40, prune: -Infinity, 'prune-ch': -Infinity, bench: -Infinity }

interface Outcome {
  readonly ok: boolean
  /** Worst output SQNR against the parent (dB), or the refusal. */
  readonly detail: string
  readonly sqnrDb?: number
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-corpus-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A test_data_set folder of two sets, batch 2 where the batch is free, for calibration and checks. */
async function dataFor(model: CorpusModel, inputs: readonly TensorInfo[], name: string): Promise<{ path: string; feed: Record<string, { dtype: string; dims: number[]; data: TensorArray }> }> {
  const root = join(dir, `${name}-data`)
  let first: Record<string, { dtype: string; dims: number[]; data: TensorArray }> = {}
  for (let set = 0; set < (model.sets ?? 2); set++) {
    const sub = join(root, `test_data_set_${set}`)
    await mkdir(sub, { recursive: true })
    const feed: typeof first = {}
    for (const [i, input] of inputs.entries()) {
      const dims = [...(model.dims?.[input.name] ?? input.shape.map((d, k) => (typeof d === 'number' ? d : k === 0 ? 2 : 1)))]
      const count = dims.reduce((a, b) => a * b, 1)
      const data = model.values?.[input.name]?.(count) ?? randomTensorData(input.dtype, count, { low: 0, high: 1 }, 7 + set * 13 + i)
      feed[input.name] = { dtype: input.dtype, dims, data }
      await writeFile(join(sub, `input_${i}.pb`), encodeTensor(makeTensor(input.name, dims, data, dtypeCode(input.dtype))))
    }
    if (set === 0) first = feed
  }
  return { path: root, feed: first }
}

function worst(outputs: readonly { sqnrDb: number }[]): number {
  return Math.min(...outputs.map((o) => o.sqnrDb))
}

async function runPair(path: string, recipe: Recipe, data: Awaited<ReturnType<typeof dataFor>>, out: string): Promise<Outcome> {
  const ctx = silentJobContext()
  try {
    switch (recipe) {
      case 'fp16': {
        const s = await convertModel({ modelPath: path, outputPath: out, options: { dataPath: data.path } }, ctx)
        return { ok: true, sqnrDb: worst(s.validation.outputs), detail: '' }
      }
      case 'dynamic':
      case 'static':
      case 'int4': {
        const s = await quantizeModel({ modelPath: path, outputPath: out, options: { mode: recipe, calibPath: data.path, perChannel: recipe === 'static' } }, ctx)
        return { ok: true, sqnrDb: worst(s.validation.outputs), detail: '' }
      }
      case 'optimize': {
        const r = await ortOptimize({ modelPath: path, outputPath: out, options: { level: 'extended', dataPath: data.path } }, ctx)
        return { ok: true, sqnrDb: worst(r.validation.outputs), detail: '' }
      }
      case 'prune':
      case 'prune-ch': {
        const options = recipe === 'prune' ? ({ method: 'magnitude', sparsity: 0.3, dataPath: data.path } as const) : ({ method: 'structured', ratio: 0.25, dataPath: data.path } as const)
        const r = await pruneModel({ modelPath: path, outputPath: out, options }, ctx)
        return { ok: true, sqnrDb: worst(r.validation.outputs), detail: '' }
      }
      case 'bench': {
        const inputs = Object.entries(data.feed).map(([name, t]) => ({ name, dtype: t.dtype, shape: t.dims, range: { low: 0, high: 1 } }))
        const r = await benchModel({ modelPath: path, inputs, feeds: data.feed, threads: 1, warmup: 1, iterations: 3 }, ctx)
        return { ok: true, detail: `${(r.latenciesMs[1] ?? 0).toFixed(2)} ms` }
      }
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    return { ok: false, detail: error.message.replace(path, '<model>') }
  }
}

describe('real-model corpus', () => {
  it('runs every recipe and the benchmark on every model: a matching variant or a one-line refusal', async () => {
    const table = new Map<string, Map<Recipe, Outcome>>()
    const seconds = new Map<string, number>()
    for (const model of corpus) {
      const path = join(fixtures, model.file)
      const inputs = inputInfos((await readOnnxModel(path)).model)
      const data = await dataFor(model, inputs, model.file)
      const row = new Map<Recipe, Outcome>()
      const started = performance.now()
      for (const recipe of recipes) row.set(recipe, await runPair(path, recipe, data, join(dir, `${model.file}.${recipe}.onnx`)))
      table.set(model.file, row)
      seconds.set(model.file, (performance.now() - started) / 1000)
    }
    const lines = [['model', ...recipes, 's'].join(' | ')]
    const refusals: string[] = []
    for (const [file, row] of table) {
      lines.push([file, ...recipes.map((r) => {
        const o = row.get(r) as Outcome
        if (!o.ok) refusals.push(`${file} ${r}: ${o.detail}`)
        return o.ok ? (o.sqnrDb === undefined ? o.detail : `${o.sqnrDb.toFixed(1)} dB`) : 'refused'
      }), (seconds.get(file) ?? 0).toFixed(1)].join(' | '))
    }
    console.log(`${lines.join('\n')}\n\n${refusals.join('\n')}`)
    for (const model of corpus) {
      const row = table.get(model.file) as Map<Recipe, Outcome>
      expect(recipes.map((r) => (row.get(r)?.ok ? 'o' : 'r')).join(''), model.file).toBe(model.expected)
      for (const [recipe, outcome] of row)
        if (outcome.ok && outcome.sqnrDb !== undefined) expect(outcome.sqnrDb, `${model.file} ${recipe}`).toBeGreaterThanOrEqual(floorDb[recipe])
    }
    // A refusal is one line about the model, not a runtime failure passed on.
    for (const r of refusals) {
      expect(r).not.toMatch(/\n/)
      expect(r).not.toMatch(/ONNX Runtime (failed|cannot)/)
    }
  }, 120_000)
})
