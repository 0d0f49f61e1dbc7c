import { link, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeModel, modelToPlainObject } from './codec'
import { externalDataFiles } from './external-data'
import { loadExternalData, writeOnnxModelWithExternalData } from './external-data-io'
import { readOnnxModel } from './model-file'
import type { ModelProto, TensorProto } from './onnx-types'
import { makeTensor } from './tensor-data'
import { openSession } from '../optimize/ort-feeds'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-external-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function modelWithExternal(location: string, length = 16): ModelProto {
  const tensor: TensorProto = {
    name: 'w',
    dims: [4],
    dataType: 1,
    dataLocation: 1,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: '0' },
      { key: 'length', value: String(length) },
    ],
  }
  return { irVersion: 8, opsetImport: [{ domain: '', version: 13 }], graph: { name: 'g', initializer: [tensor] } }
}

async function writeModel(folder: string, model: ModelProto): Promise<string> {
  await mkdir(folder, { recursive: true })
  const path = join(folder, 'model.onnx')
  await writeFile(path, encodeModel(model))
  return path
}

describe('external data', () => {
  it('writes big tensors to a side file and reads them back to an equal model', async () => {
    const source = await readOnnxModel('test-fixtures/onnx/squeezenet1_1_random.onnx')
    const out = join(dir, 'squeeze', 'model.onnx')
    await mkdir(join(dir, 'squeeze'))
    await writeOnnxModelWithExternalData(out, source.model)
    const modelSize = (await stat(out)).size
    const dataSize = (await stat(`${out}.data`)).size
    // Every float initializer of 1 KB or more moved out: the .onnx keeps the graph and the small ones.
    expect(modelSize).toBeLessThan(40_000)
    expect(dataSize).toBeGreaterThan(4_900_000)
    // ONNX Runtime reads the externalized model and computes what the original does.
    const input = new ort.Tensor('float32', new Float32Array(3 * 224 * 224).map((_, i) => (i % 255) / 255), [1, 3, 224, 224])
    const run = async (model: string | Uint8Array): Promise<Float32Array> => {
      const session = await (typeof model === 'string' ? ort.InferenceSession.create(model) : ort.InferenceSession.create(model))
      const result = await session.run({ input })
      await session.release()
      return result.output!.data as Float32Array
    }
    expect(await run(out)).toEqual(await run(source.bytes))
    const back = await readOnnxModel(out)
    expect(await externalDataFiles(out, back.model)).toEqual([{ path: join(dir, 'squeeze', 'model.onnx.data'), location: 'model.onnx.data', size: dataSize }])
    await loadExternalData(out, back.model)
    for (const init of back.model.graph!.initializer!) delete init.dataLocation
    const original = modelToPlainObject(source.model)
    expect(modelToPlainObject(back.model)).toEqual(original)
  })

  it('externalizes Constant weights inside If subgraphs (Silero VAD) and ONNX Runtime still computes the same', async () => {
    const source = 'test-fixtures/onnx/silero_vad_v5.onnx'
    await mkdir(join(dir, 'silero'))
    const out = join(dir, 'silero', 'vad.onnx')
    await writeOnnxModelWithExternalData(out, (await readOnnxModel(source)).model)
    // The weights (545,286 float32 values) moved out; the graph stayed.
    expect((await stat(`${out}.data`)).size).toBeGreaterThan(2_150_000)
    expect((await stat(out)).size).toBeLessThan(200_000)
    const feeds = {
      input: new ort.Tensor('float32', new Float32Array(512).map((_, k) => Math.sin(k / 10)), [1, 512]),
      state: new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]),
      sr: new ort.Tensor('int64', new BigInt64Array([16000n]), []),
    }
    const outputs: Float32Array[] = []
    for (const path of [source, out]) {
      const session = await ort.InferenceSession.create(path)
      outputs.push((await session.run(feeds)).output!.data as Float32Array)
      await session.release()
    }
    expect(outputs[1]).toEqual(outputs[0])
  })

  it('refuses absolute locations, .. escapes and symlinks out of the folder, naming model and location', async () => {
    await writeFile(join(dir, 'outside.bin'), new Uint8Array(16))
    const absolute = await writeModel(join(dir, 'abs'), modelWithExternal(join(dir, 'outside.bin')))
    await expect(externalDataFiles(absolute, (await readOnnxModel(absolute)).model)).rejects.toThrow(
      new RegExp(`${absolute}: external data location '.*outside\\.bin' is an absolute path`),
    )
    const escape = await writeModel(join(dir, 'esc'), modelWithExternal('../outside.bin'))
    await expect(loadExternalData(escape, (await readOnnxModel(escape)).model)).rejects.toThrow(
      /model\.onnx: external data location '\.\.\/outside\.bin' points outside the folder/,
    )
    const linked = await writeModel(join(dir, 'link'), modelWithExternal('weights.bin'))
    await symlink(join(dir, 'outside.bin'), join(dir, 'link', 'weights.bin'))
    await expect(loadExternalData(linked, (await readOnnxModel(linked)).model)).rejects.toThrow(
      /external data location .weights\.bin. leads through a symbolic link/,
    )
  })

  it('refuses nested escapes, hard links, unknown and repeated keys', async () => {
    await writeFile(join(dir, 'secret.bin'), new Uint8Array(16))
    const nested = await writeModel(join(dir, 'nested'), modelWithExternal('sub/../../secret.bin'))
    await expect(externalDataFiles(nested, (await readOnnxModel(nested)).model)).rejects.toThrow(/'sub\/\.\.\/\.\.\/secret\.bin' points outside the folder/)
    const hard = await writeModel(join(dir, 'hard'), modelWithExternal('w.bin'))
    await link(join(dir, 'secret.bin'), join(dir, 'hard', 'w.bin'))
    await expect(externalDataFiles(hard, (await readOnnxModel(hard)).model)).rejects.toThrow(/'w\.bin' is a hard link \(2 names share its data\)/)
    const keyed = modelWithExternal('w.bin')
    keyed.graph!.initializer![0]!.externalData!.push({ key: '__proto__', value: 'x' })
    const unknown = await writeModel(join(dir, 'keys'), keyed)
    await expect(externalDataFiles(unknown, (await readOnnxModel(unknown)).model)).rejects.toThrow(/tensor 'w' has an unknown external-data key '__proto__'/)
    const twice = modelWithExternal('w.bin')
    twice.graph!.initializer![0]!.externalData!.push({ key: 'location', value: '../secret.bin' })
    const repeated = await writeModel(join(dir, 'twice'), twice)
    await expect(externalDataFiles(repeated, (await readOnnxModel(repeated)).model)).rejects.toThrow(/gives external-data 'location' twice/)
  })

  it('checks external tensors at every depth, refuses links and `..` inside the folder, backslashes and drives', async () => {
    const external = (location: string): TensorProto => modelWithExternal(location).graph!.initializer![0]!
    const deep: ModelProto = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        name: 'g',
        node: [{ opType: 'If', input: ['c'], output: ['y'], attribute: [
          { name: 'then_branch', type: 5, g: { name: 't', node: [{ opType: 'Constant', output: ['k'], attribute: [{ name: 'value', type: 4, t: external('sub/w.bin') }] }] } },
          { name: 'else_branch', type: 5, g: { name: 'e', sparseInitializer: [{ values: external('v.bin'), indices: { name: 'i', dims: [4], dataType: 7, int64Data: [0, 1, 2, 3] }, dims: [8] }] } },
        ] }],
      },
    }
    const folder = join(dir, 'deep')
    const path = await writeModel(folder, deep)
    await mkdir(join(folder, 'sub'))
    await writeFile(join(folder, 'sub', 'w.bin'), new Uint8Array(16))
    await expect(externalDataFiles(path, deep)).rejects.toThrow(/'v\.bin' is missing/)
    await writeFile(join(folder, 'v.bin'), new Uint8Array(16))
    expect((await externalDataFiles(path, deep)).map((f) => f.location)).toEqual(['sub/w.bin', 'v.bin'])
    // A link that stays inside is refused too: the file ONNX Runtime opens must be the one checked here.
    await symlink('w.bin', join(folder, 'sub', 'alias.bin'))
    await symlink('sub', join(folder, 'dirlink'))
    for (const [location, why] of [
      ['sub/alias.bin', 'leads through a symbolic link'],
      ['dirlink/w.bin', 'leads through a symbolic link'],
      ['sub/../v.bin', 'points outside the folder'],
      ['sub\\w.bin', 'holds a backslash'],
      ['C:w.bin', 'is an absolute path'],
      ['file:///etc/passwd', 'is an absolute path'],
    ]) {
      const model = modelWithExternal(location)
      await expect(externalDataFiles(await writeModel(folder, model), model)).rejects.toThrow(why)
    }
    const past = modelWithExternal('v.bin')
    past.graph!.initializer![0]!.externalData![1]!.value = '8'
    await expect(externalDataFiles(await writeModel(folder, past), past)).rejects.toThrow(/reads bytes 8\.\.24 of 'v\.bin', which has only 16/)
    const lying = modelWithExternal('v.bin', 8)
    await expect(externalDataFiles(await writeModel(folder, lying), lying)).rejects.toThrow(/needs 16 bytes but its external data says 8/)
  })

  it('never hands ONNX Runtime bytes that point at external data (it would resolve them in the working directory)', async () => {
    const bytes = encodeModel(modelWithExternal('package.json'))
    await expect(openSession(bytes, 'the model')).rejects.toThrow("the model keeps tensor 'w' in an external data file: it must be loaded from its own file, not from bytes")
  })

  it('says when the side file is missing or short', async () => {
    const missing = await writeModel(join(dir, 'missing'), modelWithExternal('gone.bin'))
    await expect(loadExternalData(missing, (await readOnnxModel(missing)).model)).rejects.toThrow(
      /external data location 'gone\.bin' is missing/,
    )
    const short = await writeModel(join(dir, 'short'), modelWithExternal('w.bin'))
    await writeFile(join(dir, 'short', 'w.bin'), new Uint8Array(10))
    await expect(loadExternalData(short, (await readOnnxModel(short)).model)).rejects.toThrow(/the file is truncated/)
    await expect(externalDataFiles(short, (await readOnnxModel(short)).model)).rejects.toThrow(
      /short[\\/]model\.onnx: tensor 'w' reads bytes 0\.\.16 of 'w\.bin', which has only 10: the file is truncated/,
    )
  })

  it('refuses to write a side file outside the folder', async () => {
    const model: ModelProto = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'g', initializer: [makeTensor('w', [1024], new Float32Array(1024))] },
    }
    await expect(
      writeOnnxModelWithExternalData(join(dir, 'x.onnx'), model, { location: '../evil.bin' }),
    ).rejects.toThrow(/must be a plain file name/)
    const out = join(dir, 'ok.onnx')
    await writeOnnxModelWithExternalData(out, model, { location: 'ok.weights' })
    expect((await readFile(join(dir, 'ok.weights'))).length).toBe(4096)
  })
})
