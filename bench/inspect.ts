// Inspecting a big model must not copy its weights. Generates a ~500 MB float32 ONNX model, then in fresh
// child processes (so each peak RSS is clean) times `inspectModelFile` against a bare protobufjs decode of
// the same file (read + decode, since the inspector must read the file too), alternating runs, and prints
// the ratios: inspect time / bare decode time (target <= 1.5) and the inspector's peak RSS / file size (<= 2).
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { decodeModel } from '../main/core/onnx/codec'
import { writeOnnxModel } from '../main/core/onnx/model-file'
import type { ModelProto, NodeProto, TensorProto } from '../main/core/onnx/onnx-types'
import { makeTensor } from '../main/core/onnx/tensor-data'
import { inspectModelFile } from '../main/core/inspect/inspect-model'

const width = 2048
const layers = 30
const runs = 3

interface ChildResult {
  readonly ms: number
  /** For the bare decode: the part spent decoding, after the file is read. */
  readonly decodeMs?: number
  readonly maxRssBytes: number
}

/**
 * Peak RSS of this process. Linux's VmHWM starts afresh at exec; getrusage's maxRSS is inherited from the
 * parent across fork and exec, so it is only the fallback elsewhere.
 */
async function peakRssBytes(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '')
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
  return (kb ? Number(kb) : process.resourceUsage().maxRSS) * 1024
}

/** An MLP of `layers` MatMul+Relu blocks, 16.8 MB of float32 weights each. */
function bigModel(): ModelProto {
  const initializer: TensorProto[] = []
  const node: NodeProto[] = []
  let x = 'input'
  for (let i = 0; i < layers; i++) {
    const weights = new Float32Array(width * width)
    for (let j = 0; j < weights.length; j += 97) weights[j] = ((i + j) % 13) / 13
    initializer.push(makeTensor(`w${i}`, [width, width], weights))
    node.push({ opType: 'MatMul', input: [x, `w${i}`], output: [`m${i}`], name: `matmul${i}` })
    node.push({ opType: 'Relu', input: [`m${i}`], output: [`r${i}`], name: `relu${i}` })
    x = `r${i}`
  }
  const io = (name: string) => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } },
  })
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'slipway-bench',
    graph: { name: 'big', node, initializer, input: [io('input')], output: [io(x)] },
  }
}

async function child(mode: string, path: string): Promise<void> {
  if (mode === 'generate') {
    await writeOnnxModel(path, bigModel())
    process.stdout.write(JSON.stringify({ ms: 0, maxRssBytes: await peakRssBytes() }))
    return
  }
  const start = performance.now()
  let decodeMs: number | undefined
  if (mode === 'inspect') await inspectModelFile(path)
  else {
    const bytes = await readFile(path)
    const decodeStart = performance.now()
    decodeModel(bytes)
    decodeMs = performance.now() - decodeStart
  }
  const ms = performance.now() - start
  process.stdout.write(JSON.stringify({ ms, decodeMs, maxRssBytes: await peakRssBytes() }))
}

function runChild(mode: string, path: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'child', mode, path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    proc.on('error', reject)
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`${mode} child exited ${code}`))))
  })
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-bench-inspect-'))
  try {
    const path = join(dir, 'big.onnx')
    // Generated in a child so that this process stays small.
    await runChild('generate', path)
    const size = (await stat(path)).size
    console.log(`model: ${(size / 1e6).toFixed(0)} MB, ${layers} float32 ${width}x${width} initializers`)
    const inspect: ChildResult[] = []
    const decode: ChildResult[] = []
    // Warm the page cache so both sides read the file from memory, then alternate.
    await runChild('decode', path)
    for (let i = 0; i < runs; i++) {
      decode.push(await runChild('decode', path))
      inspect.push(await runChild('inspect', path))
    }
    console.log(`runs (ms / peak RSS MB): decode ${decode.map((r) => `${r.ms.toFixed(0)}/${(r.maxRssBytes / 1e6).toFixed(0)}`).join(", ")}; inspect ${inspect.map((r) => `${r.ms.toFixed(0)}/${(r.maxRssBytes / 1e6).toFixed(0)}`).join(", ")}`)
    const inspectMs = median(inspect.map((r) => r.ms))
    const decodeMs = median(decode.map((r) => r.ms))
    const inspectRss = Math.max(...inspect.map((r) => r.maxRssBytes))
    const decodeRss = Math.max(...decode.map((r) => r.maxRssBytes))
    const decodeOnlyMs = median(decode.map((r) => r.decodeMs ?? 0))
    console.log(
      `bare decode (read file + protobufjs decode): median ${decodeMs.toFixed(0)} ms (of which decode ${decodeOnlyMs.toFixed(0)} ms), peak RSS ${(decodeRss / 1e6).toFixed(0)} MB`,
    )
    console.log(`inspectModelFile:                           median ${inspectMs.toFixed(0)} ms, peak RSS ${(inspectRss / 1e6).toFixed(0)} MB`)
    console.log(`inspect time / bare decode time (both reading the file): ${(inspectMs / decodeMs).toFixed(2)} (target <= 1.5)`)
    console.log(`inspect peak RSS / file size:    ${(inspectRss / size).toFixed(2)} (target <= 2)`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === 'child') await child(process.argv[3] as string, process.argv[4] as string)
else await main()
