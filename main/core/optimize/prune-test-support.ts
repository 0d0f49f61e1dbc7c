// Test helpers for the pruning and recipe tests: the independent ONNX checker (Debian's python3-onnx),
// accuracy on the labelled digits test data, and running a model in ONNX Runtime from memory.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import * as ort from 'onnxruntime-node'

const run = promisify(execFile)

/** Debian's python3 carries the onnx package; a pyenv python3 earlier on PATH may not. */
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'

/** Runs onnx.checker.check_model (full_check: shape inference too) on a file; resolves with its verdict. */
export async function onnxChecker(path: string): Promise<string> {
  const script = 'import onnx, sys\nonnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)\nprint("ok")'
  try {
    const { stdout } = await run(python, ['-c', script, path])
    return stdout.trim()
  } catch (error) {
    return (error as { stderr?: string }).stderr?.trim().split('\n').slice(-1)[0] ?? String(error)
  }
}

/** A .npy file of float32 or int64 (the digits test data), read without the data module. */
export async function readSmallNpy(path: string): Promise<{ data: Float32Array | BigInt64Array; shape: number[] }> {
  const bytes = await readFile(path)
  const length = bytes.readUInt16LE(8)
  const header = bytes.subarray(10, 10 + length).toString('latin1')
  const shape = (/\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').filter((s) => s.trim()).map(Number)
  const body = new Uint8Array(bytes.subarray(10 + length)).buffer
  return { data: header.includes("'<i8'") ? new BigInt64Array(body) : new Float32Array(body), shape }
}

export async function runModel(model: Uint8Array | string, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(model)
  try {
    return await session.run(feeds)
  } finally {
    await session.release()
  }
}

/** Top-1 accuracy on resources/sample/digits_test_*.npy; `flat` feeds [N, 64] (the MLP) instead of [N,1,8,8]. */
export async function digitsAccuracy(model: Uint8Array | string, flat = false): Promise<number> {
  const x = await readSmallNpy('resources/sample/digits_test_x.npy')
  const y = (await readSmallNpy('resources/sample/digits_test_y.npy')).data as BigInt64Array
  const count = y.length
  const out = await runModel(model, { input: new ort.Tensor('float32', x.data as Float32Array, flat ? [count, 64] : x.shape) })
  const logits = Object.values(out)[0]?.data as Float32Array
  let correct = 0
  for (let i = 0; i < count; i++) {
    let best = 0
    for (let k = 1; k < 10; k++) if ((logits[i * 10 + k] as number) > (logits[i * 10 + best] as number)) best = k
    if (BigInt(best) === y[i]) correct++
  }
  return correct / count
}
