// Fixture paths and helpers shared by the TF.js engine's tests.
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { readNpy } from '../data/npy'
import type { LoadedTfjsModel } from './tfjs-model'

const root = join(import.meta.dirname, '../../../test-fixtures/tfjs')

export const fixtures = {
  digits: join(root, 'digits_cnn_layers/model.json'),
  mobilenetLayers: join(root, 'nsfw_mobilenet_v2_layers/model.json'),
  mobilenetGraph: join(root, 'nsfw_mobilenet_v2_graph/model.json'),
  digitsTestX: join(root, 'digits_cnn_layers/test_x.npy'),
  digitsTestY: join(root, 'digits_cnn_layers/test_y.npy'),
}

/** The digits test split: x f32[360,8,8,1] (x/16) and labels. */
export async function digitsTestSet(): Promise<{ x: Float32Array; labels: number[]; count: number }> {
  const x = await readNpy(fixtures.digitsTestX)
  const y = await readNpy(fixtures.digitsTestY)
  return { x: x.data as Float32Array, labels: Array.from(y.data as BigInt64Array, Number), count: x.dims[0] as number }
}

/** Top-1 accuracy of a TF.js model on the digits test split. */
export async function digitsAccuracy(model: LoadedTfjsModel): Promise<number> {
  const { x, labels, count } = await digitsTestSet()
  const input = tf.tensor4d(x, [count, 8, 8, 1])
  const [out] = await model.run([input])
  const top = (out as tf.Tensor).argMax(-1)
  const predicted = (await top.data()) as Int32Array
  tf.dispose([input, out as tf.Tensor, top])
  return predicted.reduce((hits, p, i) => hits + (p === labels[i] ? 1 : 0), 0) / count
}
