// Folder export: config.pbtxt read back with the server's parser has the model's inputs, outputs, dims and
// batch size; the KServe manifest and README are there; a second export asks, or adds version 2.
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFromPbtxt } from '../serving/model-config'
import { CNN_FILE } from '../../../server/test-support'
import * as ort from 'onnxruntime-node'
import { writeMlpModel } from '../optimize/mlp-sample-model'
import { spawnNodeWorker } from '../worker/spawn-node-worker'
import { publishModel } from './publish-model'
import { sourceFromFile } from './publish-source'
import { checkTritonSize, loadRequestBytes, TRITON_MAX_REQUEST_BYTES } from './triton-client'

let out: string
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'slipway-export-'))
})
afterAll(() => rm(out, { recursive: true, force: true }))

const run = { signal: new AbortController().signal, progress: () => undefined }

describe('export to a folder', { timeout: 300_000 }, () => {
  it('writes a Triton repository with the model config and a KServe manifest', async () => {
    const source = await sourceFromFile(spawnNodeWorker, CNN_FILE)
    const target = { info: { name: out, kind: 'folder' as const, dir: out, format: 'kserve' as const, hasToken: false } }
    const result = await publishModel(spawnNodeWorker, source, target, { target: out, name: 'digits_cnn' }, run)
    expect(result.version).toBe('1')
    const config = configFromPbtxt(await readFile(join(out, 'digits_cnn', 'config.pbtxt'), 'utf8'), 'digits_cnn')
    expect(config.maxBatchSize).toBe(4)
    expect(config.inputs).toEqual([{ name: 'input', datatype: 'FP32', dims: [1, 8, 8] }])
    expect(config.outputs).toEqual([{ name: 'logits', datatype: 'FP32', dims: [10] }])
    expect(config.versionPolicy).toEqual({ kind: 'specific', versions: [1] })
    expect(await readFile(join(out, 'digits_cnn', '1', 'model.onnx'))).toEqual(await readFile(CNN_FILE))
    const yaml = await readFile(join(out, 'inference-service.yaml'), 'utf8')
    expect(yaml).toContain('kind: InferenceService')
    expect(yaml).toContain('runtime: kserve-tritonserver')
    expect(yaml).toContain('protocolVersion: v2')
    expect(await readFile(join(out, 'README.md'), 'utf8')).toContain('tritonserver --model-repository=/models')

    await expect(publishModel(spawnNodeWorker, source, target, { target: out, name: 'digits_cnn' }, run)).rejects.toThrow(/already holds model 'digits_cnn' \(versions 1\)/)
    const second = await publishModel(spawnNodeWorker, source, target, { target: out, name: 'digits_cnn', ifExists: 'new-version' }, run)
    expect(second.version).toBe('2')
    expect((await readdir(join(out, 'digits_cnn'))).sort()).toEqual(['1', '2', 'config.pbtxt'])
  })

  it('copies the external data file with the model, under the name the model gives it', async () => {
    await mkdir(join(out, 'src'))
    const file = join(out, 'src', 'mlp.onnx')
    await writeMlpModel(file, { hidden: 64, ffn: 128, layers: 1 })
    const target = { info: { name: out, kind: 'folder' as const, dir: join(out, 'repo'), format: 'triton' as const, hasToken: false } }
    const result = await publishModel(spawnNodeWorker, await sourceFromFile(spawnNodeWorker, file), target, { target: out, name: 'mlp' }, run)
    expect((await readdir(join(out, 'repo', 'mlp', result.version))).sort()).toEqual(['mlp.onnx.data', 'model.onnx', 'slipway.json'])
    expect(await readFile(join(out, 'repo', 'mlp', result.version, 'mlp.onnx.data'))).toEqual(await readFile(`${file}.data`))
    const session = await ort.InferenceSession.create(join(out, 'repo', 'mlp', result.version, 'model.onnx'))
    expect(session.inputNames).toEqual(['input'])
    await session.release()
  })
})

describe("Triton's 64 MiB request limit", () => {
  it('counts the base64 growth and refuses with the reason', () => {
    expect(loadRequestBytes(3 * 1024, '{}', 1)).toBeGreaterThan(4 * 1024)
    expect(() => checkTritonSize('big.onnx', 40 * 1024 * 1024, '{}', 1)).not.toThrow()
    expect(() => checkTritonSize('big.onnx', 50 * 1024 * 1024, '{}', 1)).toThrow(/big\.onnx is 50\.0 MiB.*66\.7 MiB\), over Triton's 64 MiB request limit/)
    expect(loadRequestBytes(48 * 1024 * 1024, '{}', 1)).toBeGreaterThan(TRITON_MAX_REQUEST_BYTES)
  })
})
