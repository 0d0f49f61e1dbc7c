// A faster Conv2DBackpropFilter for TF.js's cpu backend, the one training backend without tfjs-node. The
// stock kernel reads every element through TensorBuffer.get() and takes ~95% of a training step (400 ms
// for a batch of 32 on an 8x8 CNN here); the same loops over the typed arrays are some 30x faster.
// Channels-first convolutions keep the stock kernel.
import * as tf from '@tensorflow/tfjs'

interface CpuBackendData {
  readonly data: { get(id: object): { values: Float32Array } }
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo
}

interface Attrs {
  readonly strides: [number, number] | number
  readonly pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding
  readonly dataFormat: 'NHWC' | 'NCHW'
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil'
  readonly filterShape: [number, number, number, number]
}

/** dW[kh, kw, ci, co] = sum over batch and output positions of x[...ci] * dy[...co] (NHWC, dilation 1). */
export function conv2dFilterGradient(x: Float32Array, xShape: readonly number[], dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float32Array {
  const [batch, inH, inW, ci] = xShape as [number, number, number, number]
  const { outHeight, outWidth, outChannels: co, filterHeight: kh, filterWidth: kw, strideHeight, strideWidth } = info
  const top = info.padInfo.top
  const left = info.padInfo.left
  const dW = new Float32Array(kh * kw * ci * co)
  for (let b = 0; b < batch; b++)
    for (let yR = 0; yR < outHeight; yR++)
      for (let yC = 0; yC < outWidth; yC++) {
        const dyBase = ((b * outHeight + yR) * outWidth + yC) * co
        for (let wR = 0; wR < kh; wR++) {
          const xR = yR * strideHeight + wR - top
          if (xR < 0 || xR >= inH) continue
          for (let wC = 0; wC < kw; wC++) {
            const xC = yC * strideWidth + wC - left
            if (xC < 0 || xC >= inW) continue
            const xBase = ((b * inH + xR) * inW + xC) * ci
            const wBase = (wR * kw + wC) * ci * co
            for (let d1 = 0; d1 < ci; d1++) {
              const xv = x[xBase + d1] as number
              if (xv === 0) continue
              const row = wBase + d1 * co
              for (let d2 = 0; d2 < co; d2++) dW[row + d2] = (dW[row + d2] as number) + xv * (dy[dyBase + d2] as number)
            }
          }
        }
      }
  return dW
}

let installed = false

/** Replaces the cpu backend's Conv2DBackpropFilter kernel once per process. */
export function installFastConvGradient(): void {
  if (installed) return
  const stock = tf.getKernel('Conv2DBackpropFilter', 'cpu')
  if (!stock) return
  tf.unregisterKernel('Conv2DBackpropFilter', 'cpu')
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'cpu',
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as Attrs
      if (attrs.dataFormat === 'NCHW') return stock.kernelFunc(args)
      const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo }
      const backend = args.backend as unknown as CpuBackendData
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        'channelsLast',
      )
      const dW = conv2dFilterGradient(backend.data.get(x.dataId).values, x.shape, backend.data.get(dy.dataId).values, info)
      return backend.makeTensorInfo([...attrs.filterShape], 'float32', dW)
    },
  })
  installed = true
}
