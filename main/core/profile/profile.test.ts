import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../bench/random-inputs'
import { percentile } from '../bench/statistics'
import { UserError } from '../errors'
import { silentJobContext } from '../jobs/job-context'
import { encodeModel } from '../onnx/codec'
import { GraphBuilder, makeValueInfo } from '../onnx/graph-builder'
import { allNodes } from '../onnx/graph-walk'
import { readOnnxModel } from '../onnx/model-file'
import { DataType, type ModelProto } from '../onnx/onnx-types'
import { spawnNodeWorker } from '../worker/spawn-node-worker'
import type { TaskName } from '../worker/task-registry'
import { watchedSpawn } from '../worker/worker-test-support'
import { changeReason, graphFacts } from './compare-profiles'
import { formatProfile } from './profile-report'
import { profiledRuns, profileModel } from './profile-task'
import { runProfile } from './run-profile'

const fixture = (path: string): string => fileURLToPath(new URL(`../../../test-fixtures/${path}`, import.meta.url))

/** x[batch,512] → mm0 (512×hidden) → relu → mm1 (hidden×512) → add x → mm2 (512×512) → y: MatMuls big enough that kernels are most of a run. */
function mlpModel(hidden: number): ModelProto {
  const g = new GraphBuilder()
  g.claimName('x')
  g.claimName('y')
  const random = seededRandom(7)
  const weight = (name: string, rows: number, cols: number): string =>
    g.initializer(name, [rows, cols], Float32Array.from({ length: rows * cols }, () => (random() - 0.5) / 16))
  const h = g.node('MatMul', ['x', weight('w0', 512, hidden)], { name: 'mm0' })
  const r = g.node('Relu', [h], { name: 'relu' })
  const o = g.node('MatMul', [r, weight('w1', hidden, 512)], { name: 'mm1' })
  const a = g.node('Add', [o, 'x'], { name: 'residual' })
  g.node('MatMul', [a, weight('w2', 512, 512)], { name: 'mm2', outputs: ['y'] })
  return g.model({
    graphName: 'mlp',
    inputs: [makeValueInfo('x', DataType.FLOAT, ['batch', 512])],
    outputs: [makeValueInfo('y', DataType.FLOAT, ['batch', 512])],
    opset: 13,
    producerName: 'test',
    producerVersion: '0',
  })
}

let dir: string
let parentPath: string
let variantPath: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-profile-test-'))
  parentPath = join(dir, 'parent.onnx')
  variantPath = join(dir, 'variant.onnx')
  await writeFile(parentPath, encodeModel(mlpModel(512)))
  await writeFile(variantPath, encodeModel(mlpModel(2048)))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const inputs = [{ name: 'x', dtype: 'float32', shape: [128, 512], range: { low: 0, high: 1 } }]

describe('profileModel (real ONNX Runtime sessions)', () => {
  it('the node times of one run add up to that run: kernel events within 5% of the model_run event of the same trace', async () => {
    const runs = await profiledRuns({ modelPath: parentPath, inputs, threads: 1, warmup: 2, runs: 8 }, silentJobContext())
    expect(runs).toHaveLength(8)
    // The kernels run one after another inside model_run, so their sum is never above it (trace times are
    // whole microseconds: one per kernel of rounding); with kernels of a fraction of a millisecond, what
    // is left (feeding inputs, allocating outputs, going from one kernel to the next) is a few percent.
    // The median run is the measure: a run that the shared machine preempted between two kernels is not.
    const ratios = runs.map((run) => {
      const kernelUs = run.kernels.reduce((sum, k) => sum + k.us, 0)
      expect(kernelUs).toBeLessThanOrEqual(run.runUs + run.kernels.length)
      expect(run.kernels.map((k) => k.name)).toEqual(expect.arrayContaining(['mm0', 'mm2']))
      return kernelUs / run.runUs
    })
    expect(percentile(ratios, 0.5)).toBeGreaterThan(0.95)
  })

  it('times per node and per op type: means and spreads over runs, shares of the node time', async () => {
    const result = await profileModel({ modelPath: parentPath, inputs, threads: 1, warmup: 2, runs: 8 }, silentJobContext())
    expect(result.runs).toBe(8)
    expect(result.nodeSumMs.meanMs).toBeLessThanOrEqual(result.runMs.meanMs)
    const byName = new Map(result.nodes.map((n) => [n.name, n]))
    expect([...byName.keys()].sort()).toEqual(expect.arrayContaining(['mm0', 'mm1', 'mm2']))
    const sumOfShares = result.nodes.reduce((sum, n) => sum + n.share, 0)
    expect(sumOfShares).toBeCloseTo(1, 6)
    // Per op type: MatMul is its three nodes together, and op types split the same total.
    const matmul = result.opTypes.find((o) => o.opType === 'MatMul')
    expect(matmul?.nodes).toBe(3)
    const matmulNodes = result.nodes.filter((n) => n.opType === 'MatMul')
    // ONNX Runtime fused the residual Add into mm1 (a Gemm named 'mm1/MatMulAddFusion'): it is mm1's time.
    expect(byName.get('mm1')).toMatchObject({ ranAs: 'Gemm', fused: ['residual'] })
    expect(matmul?.meanMs).toBeCloseTo(matmulNodes.reduce((sum, n) => sum + n.meanMs, 0), 9)
    expect(result.opTypes.reduce((sum, o) => sum + o.share, 0)).toBeCloseTo(1, 6)
    expect(result.opTypes[0]?.opType).toBe('MatMul')
    expect(matmul?.share).toBeGreaterThan(0.8)
    for (const node of result.nodes) expect(node.stdDevMs).toBeGreaterThanOrEqual(0)
  })

  it('names every kernel of a real CNN by its node in the model file, with fused activations and rewritten kernels', async () => {
    const path = fixture('onnx/digits_cnn.onnx')
    const result = await profileModel(
      { modelPath: path, inputs: [{ name: 'input', dtype: 'float32', shape: [1, 1, 8, 8], range: { low: 0, high: 1 } }], threads: 1, warmup: 1, runs: 3 },
      silentJobContext(),
    )
    const modelNames = new Set(allNodes((await readOnnxModel(path)).model).map((n) => n.name ?? ''))
    const named = result.nodes.filter((n) => !n.runtimeOnly)
    for (const node of named) expect(modelNames.has(node.name)).toBe(true)
    // Every node of the model is accounted for: it ran, went into a node that ran, or never ran.
    const accounted = new Set([...named.map((n) => n.name), ...named.flatMap((n) => n.fused ?? []), ...result.notRun])
    expect([...modelNames].filter((name) => !accounted.has(name))).toEqual([])
    const gemm = result.nodes.find((n) => n.name === '/classifier/classifier.1/Gemm')
    expect(gemm?.ranAs).toBe('FusedGemm')
    expect(gemm?.fused).toEqual(['/classifier/classifier.2/Relu'])
    expect(result.nodes.find((n) => n.name === '/features/features.0/Conv')?.fused).toEqual(['/features/features.2/Relu'])
  })
  it('names an unnamed node by its op and first output, as recipe summaries do', async () => {
    const model = mlpModel(64)
    const unnamed: ModelProto = { ...model, graph: { ...model.graph, node: model.graph?.node?.map((node) => ({ ...node, name: '' })) } }
    const path = join(dir, 'unnamed.onnx')
    await writeFile(path, encodeModel(unnamed))
    const result = await profileModel({ modelPath: path, inputs: [{ ...inputs[0], shape: [1, 512] } as (typeof inputs)[0]], threads: 1, warmup: 1, runs: 2 }, silentJobContext())
    // (mm1's fusion with the Add is named '/MatMulAddFusion' after its empty name: no node to give it to.)
    expect(result.nodes.filter((n) => !n.runtimeOnly).map((n) => n.name).sort()).toEqual(['MatMul(mm0_out)', 'MatMul(y)', 'Relu(relu_out)'])
  })
})

describe('runProfile: a variant next to its parent', () => {
  it('matches nodes by name and says why the widened MatMuls got slower', async () => {
    const tasks: TaskName[] = []
    const result = await runProfile(
      watchedSpawn((task) => tasks.push(task)),
      { path: variantPath, label: 'wide' },
      { batch: 128, runs: 10, warmup: 2 },
      { path: parentPath, label: 'narrow' },
    )
    expect(result.batch).toBe(128)
    // The engine reads neither model file: the inputs are resolved and the profiles joined in workers too.
    expect(tasks).toEqual(['profile-plan', 'profile-model', 'profile-model', 'profile-join'])
    const changes = new Map(result.parent?.nodes.map((c) => [c.name, c]))
    expect(result.parent?.model).toBe('narrow')
    const mm0 = changes.get('mm0')
    expect(mm0?.parent?.meanMs).toBeGreaterThan(0)
    // Four times the multiply-adds: clearly slower in every run (a rank test, so one preempted run cannot hide it).
    expect(mm0?.ratio).toBeGreaterThan(2)
    expect(mm0?.significant).toBe(true)
    expect(mm0?.note).toMatch(/^this MatMul went \d+\.\d× slower than in narrow: its weights went from 512×512 to 512×2048$/)
    expect(changes.get('mm2')?.note ?? '').not.toMatch(/weights went/)
    // What `slipway profile --parent` prints: the tables, then the sentence of each big change.
    const text = formatProfile(result)
    expect(text).toContain('top 10 nodes')
    expect(text).toMatch(/^mm0: this MatMul went .* slower than in narrow: its weights went from 512×512 to 512×2048$/m)
  })
})

describe('runProfile: the model files are read in workers', () => {
  const quick = { batch: 1, runs: 2, warmup: 0 }

  /** The error runProfile fails with, and the tasks whose workers it started. */
  async function failure(
    model: { path: string; label: string },
    parent?: { path: string; label: string },
    crash?: TaskName,
  ): Promise<{ error: unknown; tasks: TaskName[] }> {
    const tasks: TaskName[] = []
    const spawn = watchedSpawn((task, worker) => {
      tasks.push(task)
      // What a parser crash on a hostile file looks like from outside: the reading worker dies by SIGSEGV.
      if (task === crash && worker.pid) process.kill(worker.pid, 'SIGSEGV')
    })
    const error = await runProfile(spawn, model, quick, parent).then(
      () => undefined,
      (e: unknown) => e,
    )
    return { error, tasks }
  }

  it('a file that crashes its reader or is corrupt fails the profile with a user error, before any model runs, and the engine goes on', async () => {
    const planCrash = await failure({ path: variantPath, label: 'wide' }, { path: parentPath, label: 'narrow' }, 'profile-plan')
    expect(planCrash.error).toBeInstanceOf(UserError)
    expect((planCrash.error as Error).message).toMatch(/killed by SIGSEGV while running "profile-plan"/)
    expect(planCrash.tasks).toEqual(['profile-plan'])

    const joinCrash = await failure({ path: variantPath, label: 'wide' }, { path: parentPath, label: 'narrow' }, 'profile-join')
    expect((joinCrash.error as Error).message).toMatch(/killed by SIGSEGV while running "profile-join"/)
    expect(joinCrash.tasks).toEqual(['profile-plan', 'profile-model', 'profile-model', 'profile-join'])

    const corrupt = join(dir, 'corrupt.onnx')
    await writeFile(corrupt, Buffer.from('\x08\x07\x12\xff\xff\xff\xff\x0fnot a model', 'latin1'))
    // A corrupt parent too fails the profile before the variant is profiled.
    for (const [model, parent] of [
      [{ path: corrupt, label: 'corrupt' }, undefined],
      [{ path: parentPath, label: 'narrow' }, { path: corrupt, label: 'corrupt' }],
    ] as const) {
      const { error, tasks } = await failure(model, parent)
      expect(error).toBeInstanceOf(UserError)
      expect((error as Error).message).toMatch(/corrupt\.onnx: /)
      expect(tasks).toEqual(['profile-plan'])
    }

    const tfjs = await failure({ path: fixture('tfjs/digits_cnn_layers/model.json'), label: 'digits_cnn (TF.js)' })
    expect(tfjs.error).toBeInstanceOf(UserError)
    expect((tfjs.error as Error).message).toBe(
      "digits_cnn (TF.js): the per-operator profile runs ONNX models (ONNX Runtime's profiler); convert it to ONNX first",
    )
    expect(tfjs.tasks).toEqual(['profile-plan'])

    const result = await runProfile(spawnNodeWorker, { path: parentPath, label: 'narrow' }, quick)
    expect(result.runs).toBe(2)
    expect(result.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: [1, 512] }])
  })
})

describe('changeReason', () => {
  /** x → Q → DQ → conv (quantized weights) ; and conv2 reading the float output directly. */
  function qdqModel(): ModelProto {
    const g = new GraphBuilder()
    const scale = g.initializer('s', [], Float32Array.of(0.1))
    const zero = g.initializer('z', [], Uint8Array.of(0), DataType.UINT8)
    const q = g.node('QuantizeLinear', ['x', scale, zero], { name: 'q' })
    const dq = g.node('DequantizeLinear', [q, scale, zero], { name: 'dq' })
    const wq = g.initializer('wq', [4, 4, 1, 1], new Uint8Array(16), DataType.UINT8)
    const w = g.node('DequantizeLinear', [wq, scale, zero], { name: 'wdq' })
    const c = g.node('Conv', [dq, w], { name: 'conv' })
    g.node('Conv', [c, g.initializer('w2', [4, 4, 1, 1], new Float32Array(16))], { name: 'conv2', outputs: ['y'] })
    return g.model({ graphName: 'q', inputs: [makeValueInfo('x', DataType.FLOAT, [1, 4, 2, 2])], outputs: [makeValueInfo('y', DataType.FLOAT, [1, 4, 2, 2])], opset: 13, producerName: 't', producerVersion: '0' })
  }
  function floatModel(): ModelProto {
    const g = new GraphBuilder()
    const c = g.node('Conv', ['x', g.initializer('w', [4, 4, 1, 1], new Float32Array(16))], { name: 'conv' })
    g.node('Conv', [c, g.initializer('w2', [4, 4, 1, 1], new Float32Array(16))], { name: 'conv2', outputs: ['y'] })
    return g.model({ graphName: 'f', inputs: [makeValueInfo('x', DataType.FLOAT, [1, 4, 2, 2])], outputs: [makeValueInfo('y', DataType.FLOAT, [1, 4, 2, 2])], opset: 13, producerName: 't', producerVersion: '0' })
  }

  it('reads the reason from the variant graph: an integer kernel, an unquantized input, a float kernel on dequantized inputs', () => {
    const variant = graphFacts(qdqModel())
    const parent = graphFacts(floatModel())
    expect(changeReason('conv', { variant: 'QLinearConv' }, variant, parent)).toBe('it runs as QLinearConv, in integer arithmetic')
    expect(changeReason('conv2', {}, variant, parent)).toBe('its input is not quantized')
    expect(changeReason('conv', {}, variant, parent)).toMatch(/still runs in float/)
    expect(changeReason('conv2', {}, parent, parent)).toBeUndefined()
    expect(changeReason('conv2', { variant: 'NhwcConv' }, parent, parent)).toBe('ONNX Runtime runs it as NhwcConv (was Conv)')
  })
})
