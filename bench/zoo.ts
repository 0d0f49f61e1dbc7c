// npm run bench:zoo — the ONNX model zoo's ResNet-50 as a user downloads it (the onnx-caffe2 export: IR 3,
// opset 9, initializers also listed as graph inputs) through fp16, dynamic int8, static int8 and optimize,
// with the command line a user types. The graph is the zoo's, from onnx/onnx's light copy in
// test-fixtures/ (light_resnet50.onnx, whose 25.6 M weights were replaced by ConstantOfShape nodes); this
// script puts stored weights back (seeded He-normal convolutions, unit batch norms, residual branches scaled
// down so activations stay in range), as the zoo file has them, then runs each recipe. A recipe checks its
// output against the parent in ONNX Runtime before writing; printed per recipe: wall time, size against the
// parent, the check's output SQNR, and whether the result loads.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { encodeNpy } from '../main/core/data/npy'
import { seededRandom } from '../main/core/bench/random-inputs'
import { decodeModel, encodeModel } from '../main/core/onnx/codec'
import type { ModelProto, NodeProto, TensorProto } from '../main/core/onnx/onnx-types'
import { makeValueInfo } from '../main/core/onnx/graph-builder'
import { makeTensor, tensorToArray } from '../main/core/onnx/tensor-data'

const run = promisify(execFile)
const cli = join(import.meta.dirname, '../bin/slipway.js')
let failures = 0

function report(line: string, ok?: boolean): void {
  if (ok === false) failures++
  process.stdout.write(`${line}${ok === undefined ? '' : ok ? '  ok' : '  MISSED'}\n`)
}

function normal(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

/** The zoo file's form: every ConstantOfShape that stands in for a weight becomes a stored initializer. */
function materializeWeights(model: ModelProto): { model: ModelProto; weights: number } {
  const graph = model.graph ?? {}
  const nodes = graph.node ?? []
  const stored = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]))
  const consumers = new Map<string, { node: NodeProto; index: number }[]>()
  for (const node of nodes)
    (node.input ?? []).forEach((name, index) => consumers.set(name, [...(consumers.get(name) ?? []), { node, index }]))
  const gaussian = normal(seededRandom(50))
  const weights: TensorProto[] = []
  let count = 0
  for (const node of nodes.filter((n) => n.opType === 'ConstantOfShape')) {
    const shapeTensor = stored.get(node.input?.[0] ?? '')
    const name = node.output?.[0] ?? ''
    if (!shapeTensor) throw new Error(`ConstantOfShape '${node.name}' has no stored shape`)
    const dims = Array.from(tensorToArray(shapeTensor) as BigInt64Array, Number)
    const size = dims.reduce((a, b) => a * b, 1)
    const use = consumers.get(name)?.[0]
    const data = new Float32Array(size)
    const op = use?.node.opType
    if (op === 'Conv' && use?.index === 1) {
      const std = Math.sqrt(2 / (size / (dims[0] as number)))
      for (let i = 0; i < size; i++) data[i] = gaussian() * std
    } else if (op === 'Gemm' && use?.index === 1) {
      for (let i = 0; i < size; i++) data[i] = gaussian() * 0.02
    } else if (op === 'BatchNormalization' && (use?.index === 1 || use?.index === 4)) {
      // A residual branch's last batch norm feeds the Sum: scaled down so depth does not blow activations up.
      const intoSum = consumers.get(use.node.output?.[0] ?? '')?.some((c) => c.node.opType === 'Sum')
      data.fill(use.index === 1 && intoSum ? 0.2 : 1)
    }
    weights.push(makeTensor(name, dims, data))
    count += size
  }
  const replaced = new Set(nodes.filter((n) => n.opType === 'ConstantOfShape').map((n) => n.output?.[0]))
  const kept = nodes.filter((n) => n.opType !== 'ConstantOfShape')
  const used = new Set(kept.flatMap((n) => n.input ?? []))
  const initializer = [...(graph.initializer ?? []).filter((t) => used.has(t.name ?? '')), ...weights]
  const listed = initializer.map((t) => makeValueInfo(t.name ?? '', t.dataType ?? 1, (t.dims ?? []).map(Number)))
  // Inputs that were only the names of dropped initializers (the shapes ConstantOfShape took) go with them.
  const storedBefore = new Set(stored.keys())
  const inputs = (graph.input ?? []).filter((i) => !replaced.has(i.name) && !(storedBefore.has(i.name ?? '') && !used.has(i.name ?? '')))
  return { model: { ...model, graph: { ...graph, node: kept, initializer, input: [...inputs, ...listed] } }, weights: count }
}

interface CheckedOutput {
  readonly sqnrDb: number
}

/** The check a recipe ran against its parent before writing. */
function checkedOutputs(summary: Record<string, unknown>): readonly CheckedOutput[] {
  const check = summary.validation as { outputs?: CheckedOutput[] } | undefined
  return check?.outputs ?? []
}

const work = await mkdtemp(join(tmpdir(), 'slipway-bench-zoo-'))
try {
  const light = decodeModel(await readFile(join(import.meta.dirname, '../test-fixtures/onnx/light_resnet50.onnx')))
  const { model, weights } = materializeWeights(light)
  const parent = join(work, 'resnet50.onnx')
  await writeFile(parent, encodeModel(model))
  const parentBytes = (await stat(parent)).size
  report(
    `ResNet-50 (model zoo, ${model.producerName}, IR ${String(model.irVersion)}, opset ${String(model.opsetImport?.[0]?.version)}): ` +
      `${(weights / 1e6).toFixed(1)} M stored weights, also listed as graph inputs; ${(parentBytes / 1048576).toFixed(1)} MiB\n`,
  )
  const gaussian = normal(seededRandom(7))
  const images = Float32Array.from({ length: 8 * 3 * 224 * 224 }, gaussian)
  const calib = join(work, 'calib.npy')
  await writeFile(calib, encodeNpy({ dtype: 'float32', dims: [8, 3, 224, 224], data: images }))

  const recipes: { label: string; args: string[]; floorDb: number }[] = [
    { label: 'fp16', args: ['convert', '--to', 'fp16', '--keep-io-types'], floorDb: 30 },
    { label: 'dynamic int8', args: ['quantize', '--mode', 'dynamic'], floorDb: 15 },
    { label: 'static int8 (8 calibration images)', args: ['quantize', '--mode', 'static', '--calib', calib], floorDb: 15 },
    { label: 'optimize (extended)', args: ['optimize'], floorDb: 40 },
  ]
  for (const [i, recipe] of recipes.entries()) {
    const out = join(work, `resnet50-${i}.onnx`)
    const started = performance.now()
    const result = await run(process.execPath, [cli, recipe.args[0] as string, parent, ...recipe.args.slice(1), '--out', out, '--json'], { maxBuffer: 64 << 20 }).catch(
      (error: { stderr?: string; message: string }) => ({ stdout: '', stderr: error.stderr ?? error.message }),
    )
    const seconds = (performance.now() - started) / 1000
    if (!result.stdout) {
      // Progress lines come first on stderr; the error is the last line.
      report(`${recipe.label}: failed — ${result.stderr.trim().split('\n').at(-1) ?? ''}`, false)
      continue
    }
    const outputs = checkedOutputs(JSON.parse(result.stdout) as Record<string, unknown>)
    const worst = Math.min(...outputs.map((o) => o.sqnrDb))
    const inspected = await run(process.execPath, [cli, 'inspect', out]).then((r) => r.stdout)
    const loads = /runtime\s+ONNX Runtime [\d.]+: loads/.test(inspected)
    report(`${recipe.label}: ${seconds.toFixed(1)} s, ${((await stat(out)).size / parentBytes).toFixed(3)}× the size, output SQNR ${worst.toFixed(1)} dB (floor ${recipe.floorDb})`, worst >= recipe.floorDb)
    report(`  ONNX Runtime loads the result`, loads)
  }
} finally {
  await rm(work, { recursive: true, force: true })
}
process.exit(failures === 0 ? 0 : 1)
