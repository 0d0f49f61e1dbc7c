import { describe, expect, it } from 'vitest'
import type { TensorInfo } from '../../preload/api'
import { CallError } from '../../preload/call-error'
import { createAppStore } from '../store/app-store'
import { fakeBridge } from '../store/fake-bridge'
import { shapesWithSizes, sizeDims, sizeKey } from './macs-dims'

// The inputs of test-fixtures' paddle_style_ocr_rec_opset9 and silero_vad_v5, as inspected.
const paddle: TensorInfo[] = [{ name: 'x', dtype: 'float32', shape: ['p2o.DynamicDimension.0', 3, 16, 'p2o.DynamicDimension.1'] }]
const silero: TensorInfo[] = [
  { name: 'input', dtype: 'float32', shape: ['?', '?'] },
  { name: 'state', dtype: 'float32', shape: [2, '?', 128] },
  { name: 'sr', dtype: 'int64', shape: [] },
]

describe('sizes for the MACs estimate', () => {
  it('asks for the dynamic dims other than the batch, starting from the input spec', () => {
    expect(sizeDims(paddle)).toEqual([{ input: 'x', index: 3, name: 'p2o.DynamicDimension.1' }])
    expect(sizeDims(silero, { shapes: { input: [1, 512] } })).toEqual([
      { input: 'input', index: 1, name: '?', initial: 512 },
      { input: 'state', index: 1, name: '?' },
    ])
    expect(sizeDims([{ name: 'input', dtype: 'float32', shape: ['batch', 1, 8, 8] }])).toEqual([])
  })

  it('makes full shapes with the batch as 1, and sends the estimate to the engine', async () => {
    const shapes = shapesWithSizes(paddle, { [sizeKey('x', 3)]: 320 })
    expect(shapes).toEqual({ x: [1, 3, 16, 320] })
    expect(shapesWithSizes(silero, { [sizeKey('input', 1)]: 512, [sizeKey('state', 1)]: 1 })).toEqual({ input: [1, 512], state: [2, 1, 128] })
    const store = createAppStore(fakeBridge({ estimateMacs: async (_id, given) => ({ macs: (given.x?.[3] ?? 0) * 1000 }) }))
    await store.getState().tryMacs('m', shapes)
    expect(store.getState().macsTries.m).toEqual({ state: 'done', macs: 320000 })
  })

  it("keeps a refused estimate's structured error, for the UI to word", async () => {
    const refusal = { name: 'UserError', message: 'MACs for other sizes are estimated for ONNX models', reason: 'not ONNX' }
    const store = createAppStore(fakeBridge({ estimateMacs: () => Promise.reject(new CallError(refusal)) }))
    await store.getState().tryMacs('m', {})
    expect(store.getState().macsTries.m).toEqual({ state: 'failed', error: refusal })
  })
})
