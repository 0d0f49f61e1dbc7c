// Calibration and evaluation data for a model, from any of the layouts users have, checked against the
// model's inputs (name, dtype, shape) before any work starts.
//
//   loadTensorData(path, modelInputs, { maxRows? }) -> TensorDataSet { source, rows, batches }
//
// `path` is one of:
//   - a .npy file: one array, for a model with one input;
//   - a .npz file: arrays named after the inputs (an only array of any name feeds an only input);
//   - a .pb file: one serialized TensorProto;
//   - an ONNX test-data folder (input_0.pb...), or a folder of test_data_set_N folders (one batch each);
//   - a folder of .npy/.npz/.pb files: `<input name>.npy` for each input, or several files for a
//     one-input model (each one a batch);
//   - a CSV table (csv.ts, options.csv) or a folder of images (image-folder.ts, options.images), which
//     also give labels.
// Each batch holds every model input (`HostTensor { dtype, dims, data }` by input name) with the rows
// along dimension 0; `rows` counts them all. rebatch() re-cuts the rows to the batch size a model takes
// (1 for a model whose batch dimension is fixed at 1). Errors are FileErrors naming the file, the input
// and the expected shape. Inputs without a batch dimension (scalars such as a sample rate, or a leading
// dimension fixed at more than 1, such as a recurrent state) are listed in `unbatched` and repeated in
// every batch.
import { readdir, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { Dim, TensorInfo } from '../../../preload/api'
import { FileError } from '../errors'
import type { TensorArray } from '../onnx/tensor-data'
import { castFloat } from './cast-float'
import { csvDataSet, isCsvPath, type CsvOptions } from './csv'
import { imageFolderDataSet, isImageFolder, type ImageOptions } from './image-folder'
import { readNpy, type HostTensor } from './npy'
import { readNpz } from './npz'
import { readTensorPb, readTestDataSet, testDataSetDirs, type NamedTensor } from './onnx-test-data'

export type { HostTensor } from './npy'

/** One run's inputs, by model input name. */
export type Feed = Record<string, HostTensor>

export interface TensorDataSet {
  readonly source: string
  /** Rows across all batches (dimension 0 of the batched inputs). */
  readonly rows: number
  readonly batches: readonly Feed[]
  /** Inputs with no batch dimension: the same tensor goes with every batch. */
  readonly unbatched?: readonly string[]
  /** Class labels per row, when the source has them (CSV label column, image class folders). */
  readonly labels?: BigInt64Array
  readonly labelNames?: readonly string[]
}

export interface LoadOptions {
  /** Keep only the first rows (calibration --samples). */
  readonly maxRows?: number
  readonly csv?: CsvOptions
  readonly images?: ImageOptions
  /** Whole tensors for inputs the data need not hold (a sample rate the user fixed): the same in every batch. */
  readonly fill?: Feed
}

export function formatShape(shape: readonly Dim[]): string {
  return `[${shape.join(',')}]`
}

/** Model input spec as a readable string: `float32 [batch,1,8,8]`. */
function expected(input: TensorInfo): string {
  return `${input.dtype} ${formatShape(input.shape)}`
}

/** Checks a tensor against a model input; dimension 0 may differ when the model's is symbolic or 1. */
export function checkTensorAgainst(file: string, input: TensorInfo, tensor: HostTensor): void {
  const problem = (what: string): never => {
    throw new FileError(file, `input '${input.name}': ${what}; the model expects ${expected(input)}`)
  }
  if (tensor.dtype !== input.dtype) problem(`the data is ${tensor.dtype}`)
  if (tensor.dims.length !== input.shape.length) problem(`the data has shape ${formatShape(tensor.dims)}`)
  input.shape.forEach((dim, i) => {
    if (typeof dim !== 'number' || dim === tensor.dims[i]) return
    if (i === 0 && dim === 1) return
    problem(`the data has shape ${formatShape(tensor.dims)} (dimension ${i} is ${tensor.dims[i]}, not ${dim})`)
  })
}

/** Rows run along dimension 0 when it is symbolic or 1 (a model that takes one row at a time). */
function isBatched(input: TensorInfo): boolean {
  return input.shape.length > 0 && (typeof input.shape[0] !== 'number' || input.shape[0] === 1)
}

async function kindOf(path: string): Promise<'file' | 'dir'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'file'
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new FileError(path, code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? 'error'})`)
  }
}

function namesOf(inputs: readonly TensorInfo[]): string {
  return inputs.map((i) => `'${i.name}' ${expected(i)}`).join(', ')
}

/** Matches named arrays to the model's inputs; a single array feeds a single input whatever its name. */
function feedFromNamed(file: string, named: readonly NamedTensor[], inputs: readonly TensorInfo[]): Feed {
  const feed: Feed = {}
  if (inputs.length === 1 && named.length === 1) {
    feed[(inputs[0] as TensorInfo).name] = (named[0] as NamedTensor).tensor
    return feed
  }
  named.forEach((n, position) => {
    const input = inputs.find((i) => i.name === n.name) ?? (n.name === '' ? inputs[position] : undefined)
    if (input) feed[input.name] = n.tensor
  })
  const missing = inputs.filter((i) => !(i.name in feed))
  if (missing.length > 0)
    throw new FileError(
      file,
      `no data for model input${missing.length > 1 ? 's' : ''} ${namesOf(missing)} (found ${named.map((n) => `'${n.name}'`).join(', ') || 'nothing'})`,
    )
  return feed
}

async function feedsFromFile(file: string, inputs: readonly TensorInfo[]): Promise<Feed[]> {
  const ext = extname(file).toLowerCase()
  if (ext === '.npy') {
    if (inputs.length !== 1)
      throw new FileError(
        file,
        `an .npy file holds one array but the model has ${inputs.length} inputs (${namesOf(inputs)}): use an .npz with one array per input name`,
      )
    return [{ [(inputs[0] as TensorInfo).name]: await readNpy(file) }]
  }
  if (ext === '.npz') {
    const arrays = await readNpz(file)
    return [feedFromNamed(file, [...arrays].map(([name, tensor]) => ({ name, tensor })), inputs)]
  }
  if (ext === '.pb') return [feedFromNamed(file, [await readTensorPb(file)], inputs)]
  throw new FileError(file, 'unsupported data file: use .npy, .npz, .pb (TensorProto), .csv, an image folder or an ONNX test_data_set folder')
}

async function feedsFromDir(dir: string, inputs: readonly TensorInfo[]): Promise<Feed[]> {
  const sets = await testDataSetDirs(dir)
  if (sets.length > 0) {
    const feeds: Feed[] = []
    for (const set of sets) feeds.push(feedFromNamed(set, await readTestDataSet(set), inputs))
    return feeds
  }
  const files = (await readdir(dir)).filter((f) => ['.npy', '.npz', '.pb'].includes(extname(f).toLowerCase())).sort()
  if (files.length === 0)
    throw new FileError(dir, 'the folder holds no data: expected .npy, .npz or .pb files, or test_data_set_N folders')
  if (files.some((f) => /^input_\d+\.pb$/.test(f))) return [feedFromNamed(dir, await readTestDataSet(dir), inputs)]
  const byInputName = inputs.length > 1 || files.some((f) => basename(f, extname(f)) === inputs[0]?.name && extname(f) === '.npy')
  if (byInputName && files.every((f) => extname(f) === '.npy')) {
    const named: NamedTensor[] = []
    for (const f of files) named.push({ name: basename(f, '.npy'), tensor: await readNpy(join(dir, f)) })
    return [feedFromNamed(dir, named, inputs)]
  }
  const feeds: Feed[] = []
  for (const f of files) feeds.push(...(await feedsFromFile(join(dir, f), inputs)))
  return feeds
}

function rowsOf(feed: Feed, inputs: readonly TensorInfo[], file: string): number {
  let rows: number | undefined
  for (const input of inputs.filter(isBatched)) {
    const n = (feed[input.name] as HostTensor).dims[0] as number
    if (rows !== undefined && n !== rows)
      throw new FileError(file, `inputs hold different numbers of rows (${rows} and ${n} for '${input.name}')`)
    rows = n
  }
  return rows ?? 1
}

/** Rows [start, end) of every batched input (views, no copy); scalars are kept. */
export function sliceFeed(feed: Feed, start: number, end: number, unbatched: readonly string[] = []): Feed {
  const out: Feed = {}
  for (const [name, t] of Object.entries(feed)) {
    if (t.dims.length === 0 || unbatched.includes(name)) {
      out[name] = t
      continue
    }
    const rowSize = t.dims.slice(1).reduce((a, b) => a * b, 1)
    out[name] = { dtype: t.dtype, dims: [end - start, ...t.dims.slice(1)], data: t.data.subarray(start * rowSize, end * rowSize) as TensorArray }
  }
  return out
}

function concatRows(parts: readonly HostTensor[], repeated: boolean): HostTensor {
  const first = parts[0] as HostTensor
  if (parts.length === 1 || first.dims.length === 0 || repeated) return first
  const Ctor = first.data.constructor as new (n: number) => TensorArray
  const data = new Ctor(parts.reduce((n, p) => n + p.data.length, 0))
  let offset = 0
  for (const p of parts) {
    ;(data as Float32Array).set(p.data as Float32Array, offset)
    offset += p.data.length
  }
  return { dtype: first.dtype, dims: [parts.reduce((n, p) => n + (p.dims[0] as number), 0), ...first.dims.slice(1)], data }
}

/** The same rows cut into batches of `batchSize` (the last may be smaller). */
export function rebatch(set: TensorDataSet, batchSize: number): Feed[] {
  const unbatched = set.unbatched ?? []
  const rows: Feed[] = []
  for (const batch of set.batches) {
    const n = Object.entries(batch).find(([name, t]) => t.dims.length > 0 && !unbatched.includes(name))?.[1].dims[0] ?? 1
    for (let r = 0; r < n; r++) rows.push(sliceFeed(batch, r, r + 1, unbatched))
  }
  const out: Feed[] = []
  for (let start = 0; start < rows.length; start += batchSize) {
    const group = rows.slice(start, start + batchSize)
    const feed: Feed = {}
    for (const name of Object.keys(group[0] ?? {})) feed[name] = concatRows(group.map((g) => g[name] as HostTensor), unbatched.includes(name))
    out.push(feed)
  }
  return out
}

/** The largest batch a model accepts for these inputs: its fixed dimension 0, or `preferred` when symbolic. */
export function modelBatchSize(inputs: readonly TensorInfo[], preferred: number): number {
  const fixed = inputs.filter(isBatched).map((i) => i.shape[0]).find((d) => typeof d === 'number')
  return typeof fixed === 'number' && fixed > 0 ? fixed : preferred
}

export async function loadTensorData(path: string, inputs: readonly TensorInfo[], options: LoadOptions = {}): Promise<TensorDataSet> {
  const kind = await kindOf(path)
  if (kind === 'file' && isCsvPath(path)) return csvDataSet(path, inputs, options)
  if (kind === 'dir' && (await isImageFolder(path))) return imageFolderDataSet(path, inputs, options)
  const fill = options.fill ?? {}
  const read = inputs.filter((i) => !fill[i.name])
  const feeds = kind === 'dir' ? await feedsFromDir(path, read) : await feedsFromFile(path, read)
  for (const feed of feeds) Object.assign(feed, fill)
  const unbatched = inputs.filter((i) => !isBatched(i) || fill[i.name]).map((i) => i.name)
  const batches: Feed[] = []
  let rows = 0
  for (const feed of feeds) {
    for (const input of inputs) {
      feed[input.name] = castFloat(feed[input.name] as HostTensor, input.dtype)
      checkTensorAgainst(path, input, feed[input.name] as HostTensor)
    }
    let n = rowsOf(feed, read, path)
    if (n === 0) continue
    if (options.maxRows !== undefined && rows + n > options.maxRows) n = options.maxRows - rows
    if (n <= 0) break
    batches.push(n === rowsOf(feed, read, path) ? feed : sliceFeed(feed, 0, n, unbatched))
    rows += n
  }
  if (rows === 0) throw new FileError(path, 'the data holds no rows')
  return { source: path, rows, batches, ...(unbatched.length > 0 ? { unbatched } : {}) }
}
