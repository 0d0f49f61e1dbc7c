// tfjs-node cannot install on the machines these tests run on, so the SavedModel path is checked here
// against a stand-in with tfjs-node's SavedModel API (getMetaGraphsFromSavedModel, loadSavedModel,
// TFSavedModel.predict on a NamedTensorMap) that computes with real TF.js: the digits layers-model plays
// the SavedModel's serving function. What this checks is Slipway's side: the signature read, the feeds
// converted, the outputs named and returned, and the message when tfjs-node is absent.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readModelIo } from '../bench/model-io'
import { loadTfjsModel, type LoadedTfjsModel } from './tfjs-model'
import { loadNativeTfjs, type NativeTfjs } from './tfjs-backend'
import { openSavedModelSession, readSavedModelIo, servingSignature } from './saved-model-native'
import { digitsTestSet, fixtures } from './tfjs-test-support'

let dir: string
let digits: LoadedTfjsModel
const loads: { path: string; tags?: string[]; signature?: string }[] = []

const metaGraphs: tf.MetaGraph[] = [
  { tags: ['train'], signatureDefs: {} },
  {
    tags: ['serve'],
    signatureDefs: {
      __saved_model_init_op: { inputs: {}, outputs: {} },
      serving_default: {
        inputs: { image: { name: 'serving_default_image:0', dtype: 'float32', shape: [-1, 8, 8, 1] } },
        outputs: { probabilities: { name: 'StatefulPartitionedCall:0', dtype: 'float32', shape: [-1, 10] } },
      },
    },
  },
]

const standIn: NativeTfjs = {
  node: {
    getMetaGraphsFromSavedModel: async () => metaGraphs,
    loadSavedModel: async (path, tags, signature) => {
      loads.push({ path, ...(tags ? { tags } : {}), ...(signature ? { signature } : {}) })
      return {
        inputs: [],
        outputs: [],
        predict: (inputs) => ({ probabilities: digits.layersModel?.predict(inputs.image as tf.Tensor) as tf.Tensor }),
        dispose: () => undefined,
      }
    },
  },
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-saved-model-'))
  await mkdir(join(dir, 'variables'))
  await writeFile(join(dir, 'saved_model.pb'), new Uint8Array(1000))
  await writeFile(join(dir, 'variables', 'variables.data-00000-of-00001'), new Uint8Array(5000))
  digits = await loadTfjsModel(fixtures.digits)
})
afterAll(async () => {
  digits.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('SavedModels through tfjs-node', () => {
  it('reads the serving signature: inputs, outputs, unknown sizes, and the folder size', async () => {
    const io = await readSavedModelIo(join(dir, 'saved_model.pb'), standIn)
    expect(io.inputs).toEqual([{ name: 'image', dtype: 'float32', dims: ['?', 8, 8, 1] }])
    expect(io.outputs).toEqual([{ name: 'probabilities', dtype: 'float32', dims: ['?', 10] }])
    expect(io.sizeBytes).toBe(6000)
    expect(io.signature).toMatchObject({ tags: ['serve'], key: 'serving_default' })
  })

  it('runs the serving signature on converted feeds and returns named outputs', async () => {
    const session = await openSavedModelSession(dir, standIn)
    expect(loads.at(-1)).toEqual({ path: dir, tags: ['serve'], signature: 'serving_default' })
    expect(session.inputNames).toEqual(['image'])
    const { x, labels } = await digitsTestSet()
    const feeds = { image: new ort.Tensor('float32', x.slice(0, 4 * 64), [4, 8, 8, 1]) }
    const out = (await session.run(feeds)).probabilities
    expect(out?.dims).toEqual([4, 10])
    const predicted = [0, 1, 2, 3].map((r) => {
      const row = Array.from((out?.data as Float32Array).subarray(r * 10, r * 10 + 10))
      return row.indexOf(Math.max(...row))
    })
    expect(predicted).toEqual(labels.slice(0, 4))
    await session.release()
  })

  it('picks the first signature when there is no serving_default, and refuses a model with none', () => {
    const only = [{ tags: ['serve'], signatureDefs: { __saved_model_init_op: { inputs: {}, outputs: {} }, predict: metaGraphs[1]!.signatureDefs.serving_default! } }]
    expect(servingSignature('m', only).key).toBe('predict')
    expect(() => servingSignature('m', [{ tags: ['serve'], signatureDefs: {} }])).toThrow('m: the SavedModel has no signature to run')
  })

  it('says what to install when tfjs-node is absent, before any work', async () => {
    const hint = `${dir}: is a TensorFlow SavedModel, which needs native TensorFlow: install it with \`npm install @tensorflow/tfjs-node\``
    // Where tfjs-node is installed, native TensorFlow reads this folder itself and refuses its empty saved_model.pb.
    if ((await loadNativeTfjs()) === undefined) await expect(readModelIo(dir)).rejects.toThrow(hint)
    else await expect(readModelIo(dir)).rejects.toThrow()
  })
})
