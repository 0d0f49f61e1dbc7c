// Debian's libonnx-testdata (ONNX 1.12 backend test models with test_data_set_0 inputs and expected
// outputs), for the tests and scripts that check the codec and the opset converter on it.
import { access, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { decodeModel, decodeTensor, encodeModel } from './codec'
import { opsetVersion } from './graph-edit'
import type { ModelProto, TensorProto } from './onnx-types'
import { DataType } from './onnx-types'
import { upgradeOpset } from './opset-upgrade'
import { dtypeName, tensorStrings, tensorToArray } from './tensor-data'

export const testdataRoot = '/usr/share/libonnx-testdata/data'
const suites = ['node', 'simple', 'pytorch-converted', 'pytorch-operator']

export async function testdataModelDirs(): Promise<string[]> {
  try {
    await access(testdataRoot)
  } catch {
    throw new Error(`${testdataRoot} is missing: apt-get install libonnx-testdata`)
  }
  const dirs: string[] = []
  for (const suite of suites) for (const name of (await readdir(join(testdataRoot, suite))).sort()) dirs.push(join(testdataRoot, suite, name))
  return dirs
}

function toOrtTensor(tensor: TensorProto): ort.Tensor {
  const dims = (tensor.dims ?? []).map(Number)
  if (tensor.dataType === DataType.STRING) return new ort.Tensor('string', tensorStrings(tensor), dims)
  const data = tensorToArray(tensor)
  return new ort.Tensor(dtypeName(tensor.dataType) as 'float32', data as Float32Array, dims)
}

async function numbered(dir: string, prefix: string): Promise<TensorProto[]> {
  const files = (await readdir(dir)).filter((f) => f.startsWith(prefix)).sort((a, b) => parseInt(a.slice(prefix.length)) - parseInt(b.slice(prefix.length)))
  return Promise.all(files.map(async (f) => decodeTensor(await readFile(join(dir, f)))))
}

/** test_data_set_0's inputs as feeds (named by the tensors, or by the graph's non-initializer inputs in order). */
export async function testdataFeeds(dir: string, model: ModelProto): Promise<Record<string, ort.Tensor> | undefined> {
  const initializers = new Set((model.graph?.initializer ?? []).map((t) => t.name))
  const graphInputs = (model.graph?.input ?? []).filter((i) => !initializers.has(i.name))
  if (graphInputs.some((i) => !i.type?.tensorType)) return undefined
  const feeds: Record<string, ort.Tensor> = {}
  for (const [index, tensor] of (await numbered(join(dir, 'test_data_set_0'), 'input_')).entries())
    feeds[tensor.name || graphInputs[index]?.name || ''] = toOrtTensor(tensor)
  return feeds
}

export type UpgradeCheck =
  | { readonly kind: 'matched' | 'not comparable' }
  | { readonly kind: 'refused' | 'mismatched' | 'broken'; readonly detail: string }

function close(actual: ort.Tensor, expected: TensorProto): boolean {
  if (actual.dims.join() !== (expected.dims ?? []).map(Number).join()) return false
  if (expected.dataType === DataType.STRING) return (actual.data as string[]).join('\0') === tensorStrings(expected).join('\0')
  const want = tensorToArray(expected)
  const got = actual.data as ArrayLike<number | bigint>
  for (let i = 0; i < want.length; i++) {
    const a = Number(got[i])
    const b = Number(want[i])
    if (Number.isNaN(a) && Number.isNaN(b)) continue
    if (!(Math.abs(a - b) <= 1e-4 + 1e-3 * Math.abs(b))) return false
  }
  return true
}

/**
 * Upgrades the model in `dir` to `target` and runs it on test_data_set_0 against the expected outputs.
 * 'not comparable': ONNX Runtime does not run the original to its expected outputs either (training ops,
 * types it lacks, its own deviations); 'broken': the original ran and the upgraded model does not.
 */
export async function checkUpgrade(dir: string, target = 13): Promise<UpgradeCheck> {
  const bytes = new Uint8Array(await readFile(join(dir, 'model.onnx')))
  const model = decodeModel(bytes)
  let upgraded: ModelProto
  try {
    upgraded = upgradeOpset(model, target, 'model')
  } catch (error) {
    return { kind: 'refused', detail: (error as Error).message }
  }
  const options: ort.InferenceSession.SessionOptions = { logSeverityLevel: 4, intraOpNumThreads: 1 }
  const feeds = await testdataFeeds(dir, model)
  const expected = await numbered(join(dir, 'test_data_set_0'), 'output_')
  const run = async (m: Uint8Array): Promise<ort.InferenceSession.ReturnType | string> => {
    let session: ort.InferenceSession
    try {
      session = await ort.InferenceSession.create(m, options)
    } catch (error) {
      return (error as Error).message
    }
    try {
      return feeds ? await session.run(feeds) : 'inputs are not tensors'
    } catch (error) {
      return (error as Error).message
    } finally {
      await session.release()
    }
  }
  const names = upgraded.graph?.output?.map((o) => o.name ?? '') ?? []
  const mismatch = (outputs: ort.InferenceSession.ReturnType): string | undefined => {
    for (const [i, want] of expected.entries()) {
      const name = want.name || names[i] || ''
      const got = outputs[name]
      if (!got) return `no output ${name}`
      if (!close(got, want)) return `output ${name} differs from the expected values`
    }
    return undefined
  }
  const result = await run(encodeModel(upgraded))
  const problem = typeof result === 'string' ? result.split('\n')[0] ?? '' : mismatch(result)
  if (problem === undefined) return { kind: 'matched' }
  const original = opsetVersion(model.opsetImport) >= 7 ? await run(bytes) : 'too old for ONNX Runtime'
  if (typeof original === 'string' || mismatch(original) !== undefined) return { kind: 'not comparable' }
  return { kind: typeof result === 'string' ? 'broken' : 'mismatched', detail: problem }
}
