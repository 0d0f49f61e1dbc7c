import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { conv2dFilterGradient } from './cpu-conv-grad-kernel'

describe('conv2dFilterGradient', () => {
  it('matches TF.js stock cpu kernel for strides 1 and 2, same and valid padding', async () => {
    await tf.setBackend('cpu')
    const x = tf.randomUniform([3, 7, 6, 5], -1, 1, 'float32', 1)
    for (const [stride, pad] of [[1, 'same'], [2, 'same'], [2, 'valid']] as const) {
      const filterShape: [number, number, number, number] = [3, 3, 5, 4]
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, stride, 1, pad)
      const dy = tf.randomUniform([3, info.outHeight, info.outWidth, 4], -1, 1, 'float32', 2)
      // The stock kernel, through the gradient of the public op.
      const expected = tf.grad((w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad).mul(dy).sum())(tf.zeros(filterShape))
      const got = conv2dFilterGradient(x.dataSync() as Float32Array, x.shape, dy.dataSync() as Float32Array, info)
      const want = expected.dataSync()
      for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(1e-4)
      tf.dispose([expected, dy])
    }
  })
})
