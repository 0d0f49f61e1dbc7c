import { cp, mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileError } from '../errors'
import { readTfjsModelJson, readTfjsWeightData } from './model-json'

const digits = 'test-fixtures/tfjs/digits_cnn_layers'
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-model-json-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

interface ManifestJson {
  weightsManifest: { paths: string[]; weights: { dtype: string; quantization?: unknown }[] }[]
}

/** A copy of the digits model whose model.json is edited by `edit`. */
async function variant(name: string, edit: (json: ManifestJson) => void): Promise<string> {
  const folder = join(dir, name)
  await cp(digits, folder, { recursive: true })
  const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as ManifestJson
  edit(json)
  await writeFile(join(folder, 'model.json'), JSON.stringify(json))
  return join(folder, 'model.json')
}

describe('readTfjsModelJson', () => {
  it('reads a layers model and a two-shard quantized graph model', async () => {
    const layers = await readTfjsModelJson(join(digits, 'model.json'))
    expect(layers.format).toBe('tfjs-layers')
    expect(layers.groups[0]!.weights.length).toBe(8)
    expect(layers.sizeBytes).toBe(3028 + 73384)
    const graph = await readTfjsModelJson('test-fixtures/tfjs/nsfw_mobilenet_v2_graph/model.json')
    expect(graph.format).toBe('tfjs-graph')
    expect(graph.groups[0]!.shardSizes).toEqual([4194304, 106471])
    expect(graph.groups[0]!.weights[0]!.quantization?.dtype).toBe('uint8')
    const { specs, data } = await readTfjsWeightData(graph)
    expect(specs.length).toBe(108)
    expect(data.length).toBe(4194304 + 106471)
  })

  it('says a model.json that is not JSON is not JSON', async () => {
    const path = join(dir, 'bad.json')
    await writeFile(path, '{"format": "layers-model", ')
    await expect(readTfjsModelJson(path)).rejects.toThrow(new RegExp(`^${path}: is not valid JSON`))
  })

  it('names a missing shard and a truncated one', async () => {
    const missing = await variant('missing', (j) => (j.weightsManifest[0]!.paths = ['weights.bin', 'group1-shard2of2.bin']))
    await expect(readTfjsModelJson(missing)).rejects.toThrow(/weight shard 'group1-shard2of2\.bin' is missing/)
    const short = await variant('short', () => undefined)
    await truncate(join(dir, 'short', 'weights.bin'), 70000)
    await expect(readTfjsModelJson(short)).rejects.toThrow(/hold 70000 bytes but its weights need 73384: a shard is truncated/)
    const long = await variant('long', () => undefined)
    await writeFile(join(dir, 'long', 'weights.bin'), new Uint8Array(73388))
    await expect(readTfjsModelJson(long)).rejects.toThrow(/hold 73388 bytes but its weights need 73384: a shard is too long/)
    const twice = await variant('twice', (j) => (j.weightsManifest[0]!.paths = ['weights.bin', './weights.bin']))
    await expect(readTfjsModelJson(twice)).rejects.toThrow(/weight shard '\.\/weights\.bin' is listed more than once/)
  })

  it('refuses shard paths that leave the folder', async () => {
    const up = await variant('up', (j) => (j.weightsManifest[0]!.paths = ['../digits.bin']))
    await expect(readTfjsModelJson(up)).rejects.toThrow(/weight shard '\.\.\/digits\.bin' points outside the folder/)
    const abs = await variant('abs', (j) => (j.weightsManifest[0]!.paths = ['/etc/passwd']))
    await expect(readTfjsModelJson(abs)).rejects.toThrow(/weight shard '\/etc\/passwd' is an absolute path/)
    const linked = await variant('linked', (j) => (j.weightsManifest[0]!.paths = ['link.bin']))
    await mkdir(join(dir, 'elsewhere'))
    await cp(join(digits, 'weights.bin'), join(dir, 'elsewhere', 'w.bin'))
    await symlink(join(dir, 'elsewhere', 'w.bin'), join(dir, 'linked', 'link.bin'))
    await expect(readTfjsModelJson(linked)).rejects.toThrow(/leads through a symbolic link/)
  })

  it('refuses unknown dtypes and quantization types', async () => {
    const dtype = await variant('dtype', (j) => (j.weightsManifest[0]!.weights[0]!.dtype = 'float64'))
    await expect(readTfjsModelJson(dtype)).rejects.toThrow(/weight 'conv2d_Conv2D1\/kernel' has an unknown dtype 'float64'/)
    const quant = await variant('quant', (j) => (j.weightsManifest[0]!.weights[0]!.quantization = { dtype: 'int4' }))
    await expect(readTfjsModelJson(quant)).rejects.toThrow(/unknown quantization dtype 'int4'/)
    const error = await readTfjsModelJson(dtype).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FileError)
  })
})
