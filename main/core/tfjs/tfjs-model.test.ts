import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTfjsModel } from './tfjs-model'
import { readTfjsModelIo } from './tfjs-io'
import { openTfjsSession } from './tfjs-runner'
import { digitsTestSet, fixtures } from './tfjs-test-support'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-tfjs-model-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A copy of the graph fixture whose model.json went through `edit`. */
async function editedGraph(name: string, edit: (json: { modelTopology: { node: { op: string; name: string }[] }; weightsManifest: { paths: string[] }[] }) => void): Promise<string> {
  const out = join(dir, name)
  await rm(out, { recursive: true, force: true })
  await mkdir(out)
  const json = JSON.parse(await readFile(fixtures.mobilenetGraph, 'utf8'))
  for (const shard of json.weightsManifest[0].paths) await copyFile(join(dirname(fixtures.mobilenetGraph), shard), join(out, shard))
  edit(json)
  await writeFile(join(out, 'model.json'), JSON.stringify(json))
  return join(out, 'model.json')
}

describe('loadTfjsModel', () => {
  it('names an op TF.js lacks, and the file, when a graph-model is opened', async () => {
    const path = await editedGraph('unknown-op', (json) => {
      const node = json.modelTopology.node.find((n) => n.op === 'Squeeze')
      if (node) node.op = 'FancySqueezeV9'
    })
    await expect(loadTfjsModel(path)).rejects.toThrow(`${path}: the graph-model uses op 'FancySqueezeV9', which TensorFlow.js 4.22.0 does not implement`)
  }, 30_000)

  it('refuses a manifest path that leaves the model folder before TF.js sees any bytes', async () => {
    const path = await editedGraph('escape', (json) => {
      json.weightsManifest[0]!.paths[0] = '../../etc/passwd'
    })
    await expect(loadTfjsModel(path)).rejects.toThrow(/weight shard '..\/..\/etc\/passwd'/)
  })
})

describe('TF.js benchmark session', () => {
  it('reads inputs and outputs from model.json and runs a batch with ONNX Runtime tensors', async () => {
    const io = await readTfjsModelIo(fixtures.digits)
    expect(io.inputs).toEqual([{ name: 'conv2d_Conv2D1_input', dtype: 'float32', dims: ['?', 8, 8, 1] }])
    expect(io.sizeBytes).toBe(3028 + 73384)
    const session = await openTfjsSession(fixtures.digits)
    expect(session.runtime).toContain('wasm backend')
    const { x, labels } = await digitsTestSet()
    const feeds = { conv2d_Conv2D1_input: new ort.Tensor('float32', x.slice(0, 4 * 64), [4, 8, 8, 1]) }
    const out = (await session.run(feeds)).dense_Dense2 as ort.Tensor
    expect(out.dims).toEqual([4, 10])
    const probs = out.data as Float32Array
    const predicted = [0, 1, 2, 3].map((r) => {
      const row = Array.from(probs.subarray(r * 10, r * 10 + 10))
      return row.indexOf(Math.max(...row))
    })
    expect(predicted).toEqual(labels.slice(0, 4))
    await session.release()
  })
})
