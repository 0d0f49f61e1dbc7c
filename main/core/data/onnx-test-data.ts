// ONNX's test-data layout: test_data_set_N folders holding input_K.pb (serialized TensorProto, named or
// in the order of the model's inputs), as the ONNX backend tests and the model zoo ship them.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeTensor, OnnxDecodeError } from '../onnx/codec'
import { dtypeName, TensorDataError, tensorToArray } from '../onnx/tensor-data'
import { toNumber } from '../onnx/codec'
import { FileError } from '../errors'
import type { HostTensor } from './npy'

export interface NamedTensor {
  /** The TensorProto's name; empty when the file does not name it. */
  readonly name: string
  readonly tensor: HostTensor
}

/** Reads one serialized TensorProto (.pb). */
export async function readTensorPb(path: string): Promise<NamedTensor> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (error) {
    throw new FileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    const proto = decodeTensor(bytes)
    const data = tensorToArray(proto)
    return {
      name: proto.name ?? '',
      tensor: { dtype: dtypeName(proto.dataType), dims: (proto.dims ?? []).map((d) => toNumber(d)), data },
    }
  } catch (error) {
    if (error instanceof OnnxDecodeError || error instanceof TensorDataError)
      throw new FileError(path, `not a serialized ONNX TensorProto: ${error.message}`)
    throw error
  }
}

/** Sorts input_2.pb before input_10.pb. */
function byIndex(a: string, b: string): number {
  const n = (s: string): number => Number(/(\d+)\.pb$/.exec(s)?.[1] ?? 0)
  return n(a) - n(b)
}

/** The input_K.pb tensors of one test_data_set folder, in index order (outputs are ignored). */
export async function readTestDataSet(dir: string): Promise<NamedTensor[]> {
  const names = (await readdir(dir)).filter((f) => /^input_\d+\.pb$/.test(f)).sort(byIndex)
  if (names.length === 0) throw new FileError(dir, 'holds no input_N.pb files')
  return Promise.all(names.map((f) => readTensorPb(join(dir, f))))
}

/** The test_data_set_N subfolders of a folder, in index order (empty when it has none). */
export async function testDataSetDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  return entries
    .filter((e) => e.isDirectory() && /^test_data_set_\d+$/.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => Number(a.split('_').pop()) - Number(b.split('_').pop()))
    .map((name) => join(dir, name))
}
