import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelEntry } from '../../../preload/api'
import { digitsAccuracy, onnxChecker } from '../optimize/prune-test-support'
import { spawnNodeWorker } from '../worker/spawn-node-worker'
import { Workspace } from '../workspace/workspace'
import type { JobEnv } from './job-kinds'
import { JobQueue } from './job-queue'
import { optimizeJob } from './optimize-job'
import { pruneJob } from './prune-job'
import { recipeJob } from './recipe-job'

const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))
let dir: string
let env: JobEnv
let cnn: ModelEntry
const queue = new JobQueue(() => undefined)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-recipe-job-'))
  const workspace = await Workspace.open(dir)
  env = { workspace, spawnWorker: spawnNodeWorker }
  cnn = await workspace.add({ name: 'digits cnn', format: 'onnx', mainFile: 'model.onnx', source: 'test' }, [
    { from: root('test-fixtures/onnx/digits_cnn.onnx'), to: 'model.onnx' },
  ])
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('recipe job', () => {
  it('structured 25% then static int8 on digits_cnn: two variants in a lineage chain, 95% or better on the digits test data', async () => {
    const calib = root('resources/sample/digits_calib.npy')
    const request = recipeJob.schema.parse({
      kind: 'recipe',
      modelId: cnn.id,
      recipe: {
        name: 'slim int8',
        steps: [
          { step: 'prune', options: { method: 'structured', ratio: 0.25, dataPath: calib } },
          { step: 'quantize', options: { mode: 'static', calibPath: calib } },
        ],
      },
    })
    expect(await recipeJob.title(request, env)).toBe('slim int8 on digits cnn')
    const id = queue.start({ kind: 'recipe', title: 't', run: (job) => recipeJob.run(request, env, job) })
    const info = await queue.waitFor(id)
    expect(info.error).toBeUndefined()
    const { variants } = info.result as { variants: string[] }
    const [pruned, int8] = await Promise.all(variants.map((v) => env.workspace.get(v)))
    expect(pruned?.lineage).toMatchObject({ parentId: cnn.id, recipe: 'prune', params: { method: 'structured', ratio: 0.25, stepIndex: 0, recipeName: 'slim int8' } })
    expect(int8?.lineage).toMatchObject({ parentId: pruned?.id, recipe: 'quantize', params: { mode: 'static', stepIndex: 1 } })
    expect(Date.parse(int8?.lineage?.createdAt ?? '')).toBeGreaterThanOrEqual(Date.parse(pruned?.lineage?.createdAt ?? ''))
    expect(int8?.name).toBe('digits cnn · prune structured 0.25 · quantize static')
    const int8Path = await env.workspace.mainFilePath(int8?.id ?? '')
    expect(await onnxChecker(int8Path)).toBe('ok')
    expect(await digitsAccuracy(int8Path)).toBeGreaterThanOrEqual(0.95)
  }, 240_000)

  it('prune and optimize jobs commit one variant each; a bad step fails the job without adding a model', async () => {
    const before = (await env.workspace.list()).length
    const prune = pruneJob.schema.parse({ kind: 'prune', modelId: cnn.id, options: { method: 'magnitude', sparsity: 0.5 } })
    const pruneInfo = await queue.waitFor(queue.start({ kind: 'prune', title: 'p', run: (job) => pruneJob.run(prune, env, job) }))
    expect(pruneInfo.error).toBeUndefined()
    const pruned = pruneInfo.result as ModelEntry
    expect(pruned.lineage?.recipe).toBe('prune')
    const optimize = optimizeJob.schema.parse({ kind: 'optimize', modelId: pruned.id, options: { level: 'basic' } })
    const optimized = (await queue.waitFor(queue.start({ kind: 'optimize', title: 'o', run: (job) => optimizeJob.run(optimize, env, job) }))).result as ModelEntry
    expect(optimized.lineage).toMatchObject({ parentId: pruned.id, recipe: 'optimize', params: { level: 'basic' } })
    const bad = recipeJob.schema.parse({ kind: 'recipe', modelId: cnn.id, recipe: { steps: [{ step: 'prune', options: { method: 'structured', ratio: 0.99 } }] } })
    const failed = await queue.waitFor(queue.start({ kind: 'recipe', title: 'b', run: (job) => recipeJob.run(bad, env, job) }))
    expect(failed.state).toBe('failed')
    expect(failed.error?.message).toContain('--ratio 0.99 would remove all 32 output channels')
    expect((await env.workspace.list()).length).toBe(before + 2)
  }, 240_000)

  it('makes no variant from an output that equals its parent: the job ends with a warning that says why', async () => {
    const mnist = await env.workspace.add({ name: 'mnist-8', format: 'onnx', mainFile: 'model.onnx', source: 'test' }, [
      { from: root('test-fixtures/onnx/mnist-8.onnx'), to: 'model.onnx' },
    ])
    const before = (await env.workspace.list()).length
    // The case: structured 25% on mnist-8 leaves both convolutions intact.
    const prune = pruneJob.schema.parse({ kind: 'prune', modelId: mnist.id, options: { method: 'structured', ratio: 0.25 } })
    const pruned = await queue.waitFor(queue.start({ kind: 'prune', title: 'p', run: (job) => pruneJob.run(prune, env, job) }))
    expect(pruned.state).toBe('succeeded')
    expect(pruned.result ?? pruned.error).toBeUndefined()
    expect(pruned.warning?.message).toMatch(/^structured pruning would remove no channel: every layer was left intact: Convolution28 \(.*first layer/)
    // A rewrite whose output computes exactly what its parent does, found by comparing the graphs.
    const optimize = optimizeJob.schema.parse({ kind: 'optimize', modelId: mnist.id, options: { level: 'basic' } })
    const once = (await queue.waitFor(queue.start({ kind: 'optimize', title: 'o', run: (job) => optimizeJob.run(optimize, env, job) }))).result as ModelEntry
    const again = optimizeJob.schema.parse({ kind: 'optimize', modelId: once.id, options: { level: 'basic' } })
    const twice = await queue.waitFor(queue.start({ kind: 'optimize', title: 'o2', run: (job) => optimizeJob.run(again, env, job) }))
    expect(twice.state).toBe('succeeded')
    expect(twice.result ?? twice.error).toBeUndefined()
    expect(twice.warning?.message).toBe(`optimize changed nothing: every node and weight is as in ${once.name}, so no new variant was made`)
    expect((await env.workspace.list()).length).toBe(before + 1)
  }, 240_000)

  it('refuses recipes that are not valid, naming the place', () => {
    const parse = (recipe: unknown) => recipeJob.schema.safeParse({ kind: 'recipe', modelId: cnn.id, recipe })
    expect(parse({ steps: [] }).success).toBe(false)
    expect(parse({ steps: [{ step: 'prune', options: { method: 'magnitude', sparsity: 1 } }] }).success).toBe(false)
    expect(parse({ steps: [{ step: 'quantize', options: { mode: 'static' } }] }).success).toBe(false)
    expect(parse({ steps: [{ step: 'fp16' }] }).success).toBe(true)
  })
})
