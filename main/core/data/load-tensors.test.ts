import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TensorInfo } from '../../../preload/api'
import { encodeTensor } from '../onnx/codec'
import { makeTensor } from '../onnx/tensor-data'
import { loadTensorData, modelBatchSize, rebatch } from './load-tensors'
import { encodeNpy, readNpy } from './npy'

const cnnInput: TensorInfo[] = [{ name: 'input', dtype: 'float32', shape: ['batch', 1, 8, 8] }]
const mnistInput: TensorInfo[] = [{ name: 'Input3', dtype: 'float32', shape: [1, 1, 28, 28] }]
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-data-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('loadTensorData', () => {
  it('reads a real .npy and checks it against the model input', async () => {
    const set = await loadTensorData('resources/sample/digits_calib.npy', cnnInput)
    expect(set.rows).toBe(200)
    const t = set.batches[0]?.input
    expect(t?.dims).toEqual([200, 1, 8, 8])
    expect(Math.max(...(t?.data as Float32Array))).toBeLessThanOrEqual(1)
  })

  it('names the input and the expected shape when the data does not fit', async () => {
    await expect(loadTensorData('test-fixtures/data/digits_test_x.npy', cnnInput)).rejects.toThrow(
      "test-fixtures/data/digits_test_x.npy: input 'input': the data has shape [360,64]; the model expects float32 [batch,1,8,8]",
    )
    await expect(loadTensorData('test-fixtures/data/digits_test_y.npy', cnnInput)).rejects.toThrow(/the data is int64; the model expects float32/)
  })

  it('converts float data to the float type of the input (numpy float64, or float32 for an fp16 model)', async () => {
    const calib = await readNpy('resources/sample/digits_calib.npy')
    const doubles = join(dir, 'calib64.npy')
    await writeFile(doubles, encodeNpy({ dtype: 'float64', dims: calib.dims, data: Float64Array.from(calib.data as Float32Array) }))
    const asFloat = (await loadTensorData(doubles, cnnInput)).batches[0]?.input
    expect(asFloat?.dtype).toBe('float32')
    expect(asFloat?.data).toEqual(calib.data)
    const half = (await loadTensorData('resources/sample/digits_calib.npy', [{ ...cnnInput[0]!, dtype: 'float16' }])).batches[0]?.input
    expect(half?.dtype).toBe('float16')
    // 0.5 is exact in float16: its bits are 0x3800.
    const index = (calib.data as Float32Array).indexOf(0.5)
    expect(index).toBeGreaterThanOrEqual(0)
    expect((half?.data as Uint16Array)[index]).toBe(0x3800)
  })

  it('cuts rows to the batch a fixed-batch model takes', async () => {
    const set = await loadTensorData('test-fixtures/data/mnist_1k_x.npy', mnistInput, { maxRows: 10 })
    expect(set.rows).toBe(10)
    const batches = rebatch(set, modelBatchSize(mnistInput, 8))
    expect(batches).toHaveLength(10)
    expect(batches[3]?.Input3?.dims).toEqual([1, 1, 28, 28])
    expect(modelBatchSize(cnnInput, 8)).toBe(8)
  })

  it('matches .npz arrays to inputs by name and repeats unbatched ones', async () => {
    const inputs: TensorInfo[] = [
      { name: 'x', dtype: 'float32', shape: ['n', 3] },
      { name: 'state', dtype: 'float32', shape: [2, 'n', 4] },
      { name: 'sr', dtype: 'int64', shape: [] },
    ]
    const path = join(dir, 'several.npz')
    await writeFile(
      path,
      zipSync({
        'x.npy': encodeNpy({ dtype: 'float32', dims: [4, 3], data: Float32Array.from({ length: 12 }, (_, i) => i) }),
        'state.npy': encodeNpy({ dtype: 'float32', dims: [2, 1, 4], data: new Float32Array(8) }),
        'sr.npy': encodeNpy({ dtype: 'int64', dims: [], data: BigInt64Array.of(16000n) }),
      }),
    )
    const set = await loadTensorData(path, inputs)
    expect(set.rows).toBe(4)
    const batches = rebatch(set, 3)
    expect(batches.map((b) => b.x?.dims)).toEqual([[3, 3], [1, 3]])
    expect(batches[1]?.x?.data[0]).toBe(9)
    expect(batches[1]?.state?.dims).toEqual([2, 1, 4])
    expect(batches[1]?.sr?.data[0]).toBe(16000n)
    await writeFile(join(dir, 'missing.npz'), zipSync({ 'x.npy': encodeNpy({ dtype: 'float32', dims: [1, 3], data: new Float32Array(3) }) }))
    await expect(loadTensorData(join(dir, 'missing.npz'), inputs)).rejects.toThrow(/no data for model inputs 'state' float32 \[2,n,4\], 'sr' int64 \[\]/)

    // Inputs the user fixed (a sample rate, a zero state) need not be in the data: a lone .npy feeds the rest.
    const audio = join(dir, 'audio.npy')
    await writeFile(audio, encodeNpy({ dtype: 'float32', dims: [5, 3], data: new Float32Array(15) }))
    const fill = { state: { dtype: 'float32', dims: [2, 1, 4], data: new Float32Array(8) }, sr: { dtype: 'int64', dims: [], data: BigInt64Array.of(8000n) } }
    const filled = await loadTensorData(audio, inputs, { fill })
    expect(filled.rows).toBe(5)
    expect(rebatch(filled, 2).map((b) => [b.x?.dims, b.state?.dims, b.sr?.data[0]])).toEqual([
      [[2, 3], [2, 1, 4], 8000n],
      [[2, 3], [2, 1, 4], 8000n],
      [[1, 3], [2, 1, 4], 8000n],
    ])
  })

  it('reads ONNX test_data_set folders of TensorProto files', async () => {
    const root = join(dir, 'onnx-data')
    for (const n of [0, 1]) {
      await mkdir(join(root, `test_data_set_${n}`), { recursive: true })
      const t = makeTensor('input', [2, 1, 8, 8], new Float32Array(128).fill(n))
      await writeFile(join(root, `test_data_set_${n}`, 'input_0.pb'), encodeTensor(t))
    }
    const set = await loadTensorData(root, cnnInput)
    expect(set.rows).toBe(4)
    expect(set.batches[1]?.input?.data[0]).toBe(1)
  })

  it('refuses an empty folder and a file that is not data', async () => {
    const empty = join(dir, 'empty')
    await mkdir(empty)
    await expect(loadTensorData(empty, cnnInput)).rejects.toThrow(`${empty}: the folder holds no data`)
    await expect(loadTensorData('test-fixtures/onnx/mnist-8.onnx', cnnInput)).rejects.toThrow(/mnist-8.onnx: unsupported data file/)
    await writeFile(join(dir, 'bad.npy'), 'not numpy')
    await expect(readNpy(join(dir, 'bad.npy'))).rejects.toThrow(/bad.npy: not a NumPy .npy file/)
  })
})
