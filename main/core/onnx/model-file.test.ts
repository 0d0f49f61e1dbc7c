import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileError } from '../errors'
import { encodeModel } from './codec'
import { makeTensor } from './tensor-data'
import { maxSubgraphDepth, readOnnxModel, writeOnnxModel } from './model-file'
import type { GraphProto } from './onnx-types'

/** Reproducible noise (xorshift32), so a failure can be replayed from its seed. */
function noise(seed: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  let x = seed + 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    bytes[i] = x & 0xff
  }
  return bytes
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-model-file-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function badFile(name: string, bytes: Uint8Array): Promise<FileError> {
  const path = join(dir, name)
  await writeFile(path, bytes)
  const error = await readOnnxModel(path).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(FileError)
  expect((error as FileError).message.startsWith(`${path}: `)).toBe(true)
  return error as FileError
}

describe('readOnnxModel', () => {
  it('reads a real model with weights as views into the file bytes', async () => {
    const { model, bytes, dir: folder } = await readOnnxModel('test-fixtures/onnx/digits_cnn.onnx')
    expect(folder.endsWith('test-fixtures/onnx')).toBe(true)
    expect(model.graph?.input?.[0]?.name).toBe('input')
    const weights = model.graph!.initializer!.filter((t) => (t.rawData?.length ?? 0) > 0)
    expect(weights.length).toBeGreaterThan(0)
    for (const t of weights) expect(t.rawData!.buffer).toBe(bytes.buffer)
  })

  it('says a zero-byte file is empty', async () => {
    expect((await badFile('empty.onnx', new Uint8Array(0))).message).toMatch(/the file is empty \(0 bytes\)/)
  })

  it('says a truncated file is truncated', async () => {
    const bytes = await readFile('test-fixtures/onnx/digits_cnn.onnx')
    expect((await badFile('cut.onnx', bytes.subarray(0, bytes.length / 2))).message).toMatch(/truncated or corrupt/)
  })

  it('refuses random bytes', async () => {
    for (let seed = 0; seed < 20; seed++) {
      const error = await badFile(`random-${seed}.onnx`, noise(seed, 4096))
      expect(error.message).toMatch(/not (a valid|an) ONNX model|truncated or corrupt|not a complete ONNX model/)
    }
  })

  it('says a renamed JPEG is a JPEG', async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1])
    expect((await badFile('photo.onnx', jpeg)).message).toMatch(/this is a JPEG image, not an ONNX model/)
  })

  it('says a protobuf without a graph is not a model', async () => {
    const noGraph = encodeModel({ irVersion: 8, producerName: 'x', opsetImport: [{ domain: '', version: 13 }] })
    expect((await badFile('nograph.onnx', noGraph)).message).toMatch(/holds no graph/)
  })

  it('refuses a model declaring a 1e12-element tensor', async () => {
    const model = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'g', initializer: [{ ...makeTensor('w', [1], new Float32Array(1)), dims: [1_000_000, 1_000_000] }] },
    }
    expect((await badFile('huge.onnx', encodeModel(model))).message).toMatch(/tensor 'w' declares 1000000000000 elements/)
  })

  it('refuses subgraphs nested past the cap, before any recursive walk', async () => {
    let graph: GraphProto = { name: 'leaf' }
    for (let i = 0; i <= maxSubgraphDepth; i++)
      graph = { name: `g${i}`, node: [{ opType: 'If', input: ['c'], output: ['y'], attribute: [{ name: 'then_branch', type: 5, g: graph }] }] }
    const deep = encodeModel({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }], graph })
    expect((await badFile('deep.onnx', deep)).message).toMatch(/nested (more than 32 levels deep|too deeply to read)/)
  })

  it('refuses a negative declared dimension', async () => {
    const model = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'g', input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: -3 }] } } } }] },
    }
    expect((await badFile('negative.onnx', encodeModel(model))).message).toMatch(/'x' declares a negative dimension -3/)
  })

  it('names a missing file and a folder', async () => {
    await expect(readOnnxModel(join(dir, 'nope.onnx'))).rejects.toThrow(/nope\.onnx: file not found/)
    await expect(readOnnxModel(dir)).rejects.toThrow(/is a folder, not a file/)
  })
})

describe('writeOnnxModel', () => {
  it('writes bytes equal to the source and no temp file', async () => {
    const out = await mkdtemp(join(dir, 'out-'))
    const source = await readOnnxModel('test-fixtures/onnx/squeezenet1_1_random.onnx')
    await writeOnnxModel(join(out, 'copy.onnx'), source.model)
    expect(Buffer.compare(await readFile(join(out, 'copy.onnx')), Buffer.from(source.bytes))).toBe(0)
    expect(await readdir(out)).toEqual(['copy.onnx'])
  })
})
