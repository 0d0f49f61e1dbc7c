import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeNpy } from '../data/npy'
import { CancelledError } from '../errors'
import { createJobContext, silentJobContext } from '../jobs/job-context'
import { distillTfjs } from './distill-tfjs'
import { studentTopology } from './student-topology'
import { loadTfjsModel } from './tfjs-model'
import { digitsAccuracy, digitsTestSet, fixtures } from './tfjs-test-support'

let dir: string
let trainX: string
let trainY: string

/** The digits rows that are not in the fixture's test split, scaled x/16 like the teacher's inputs. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-tfjs-distill-'))
  const csv = gunzipSync(await readFile(join(import.meta.dirname, '../../../test-fixtures/data/digits.csv.gz'))).toString()
  const rows = csv.trim().split('\n').map((line) => line.split(',').map(Number))
  const test = await digitsTestSet()
  const testRows = new Set<string>()
  for (let i = 0; i < test.count; i++) testRows.add(Array.from(test.x.subarray(i * 64, i * 64 + 64), (v) => Math.round(v * 16)).join(','))
  const train = rows.filter((row) => !testRows.has(row.slice(0, 64).join(',')))
  const x = new Float32Array(train.length * 64)
  train.forEach((row, i) => row.slice(0, 64).forEach((v, j) => (x[i * 64 + j] = v / 16)))
  trainX = join(dir, 'train_x.npy')
  trainY = join(dir, 'train_y.npy')
  await writeFile(trainX, encodeNpy({ dtype: 'float32', dims: [train.length, 8, 8, 1], data: x }))
  await writeFile(trainY, encodeNpy({ dtype: 'int64', dims: [train.length], data: BigInt64Array.from(train, (row) => BigInt(row[64] as number)) }))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('studentTopology', () => {
  it('halves filters and hidden units and keeps the output layer', async () => {
    const json = JSON.parse(await readFile(fixtures.digits, 'utf8'))
    const { changes } = studentTopology(json.modelTopology, 0.5, 'digits')
    expect(changes).toEqual(['conv2d_Conv2D1: 8 → 4 filters', 'conv2d_Conv2D2: 16 → 8 filters', 'dense_Dense1: 64 → 32 units'])
    expect(json.modelTopology.config.layers[0].config.filters).toBe(8)
  })
})

describe('distillTfjs', () => {
  it('trains a half-width digits student within 2 points of the teacher on the held-out test split', async () => {
    const stages = new Set<string>()
    const summary = await distillTfjs(
      { teacherPath: fixtures.digits, outDir: join(dir, 'student'), dataPath: trainX, labelsPath: trainY, epochs: 5, holdout: 0.1 },
      createJobContext(new AbortController().signal, (_, stage) => stages.add(stage)),
    )
    expect(summary.backend).toContain('cpu backend')
    expect(summary.parameters.student).toBeLessThan(summary.parameters.teacher / 3)
    expect(stages).toContain('training')
    const student = await loadTfjsModel(summary.modelPath)
    const accuracy = await digitsAccuracy(student)
    student.dispose()
    // The teacher scores 97.50% (351/360) on this split.
    expect(accuracy).toBeGreaterThanOrEqual(0.955)
  }, 120_000)

  it('stops when cancelled', async () => {
    const controller = new AbortController()
    const ctx = createJobContext(controller.signal, (_, stage) => {
      if (stage === 'training') controller.abort()
    })
    await expect(distillTfjs({ teacherPath: fixtures.digits, outDir: join(dir, 'cancelled'), dataPath: trainX, epochs: 3 }, ctx)).rejects.toBeInstanceOf(
      CancelledError,
    )
  })

  it('refuses a graph-model teacher and data of the wrong shape', async () => {
    await expect(distillTfjs({ teacherPath: fixtures.mobilenetGraph, outDir: join(dir, 'g'), dataPath: trainX }, silentJobContext())).rejects.toThrow(
      /graph-model/,
    )
    const wrong = join(dir, 'wrong.npy')
    await writeFile(wrong, encodeNpy({ dtype: 'float32', dims: [2, 64], data: new Float32Array(128) }))
    await expect(distillTfjs({ teacherPath: fixtures.digits, outDir: join(dir, 'w'), dataPath: wrong }, silentJobContext())).rejects.toThrow(
      `${wrong}: holds samples of shape [64], but the model's input 'conv2d_Conv2D1_input' takes [8, 8, 1]`,
    )
  })
})
