// Image folders as data sets: every image decoded with sharp (libvips), resized, laid out NCHW or NHWC,
// scaled and normalized. Images in class subfolders get labels: the subfolder's index in sorted order.
import { readdir, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import type { TensorInfo } from '../../../preload/api'
import { FileError, ProblemError } from '../errors'
import { floatRowsTensor } from './float-rows'
import type { LoadOptions, TensorDataSet } from './load-tensors'

export interface ImagePreprocess {
  readonly width: number
  readonly height: number
  readonly layout: 'nchw' | 'nhwc'
  readonly channels: 1 | 3
  /** Raw 0..255 values are multiplied by this first (1/255 gives 0..1). */
  readonly scale: number
  /** Per-channel (or one for all) mean subtracted and std divided by, after scaling. */
  readonly mean?: readonly number[]
  readonly std?: readonly number[]
  /** How the image fits the size: 'cover' resizes the shorter side and crops the centre; 'fill' stretches. */
  readonly fit?: 'cover' | 'fill' | 'contain'
}

export interface ImageFolderData {
  readonly file: string
  readonly count: number
  /** count × sample shape, float32. */
  readonly data: Float32Array
  /** Shape of one sample: [C,H,W] or [H,W,C]. */
  readonly sampleShape: readonly number[]
  readonly files: readonly string[]
  readonly labels?: BigInt64Array
  readonly labelNames?: readonly string[]
}

const imageExtensions = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'])

function isImage(name: string): boolean {
  return imageExtensions.has(extname(name).toLowerCase())
}

async function listDir(dir: string): Promise<{ name: string; isDir: boolean }[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    return entries
      .filter((entry) => !entry.name.startsWith('.'))
      .map((entry) => ({ name: entry.name, isDir: entry.isDirectory() }))
      .sort((a, b) => a.name.localeCompare(b.name))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new FileError(dir, code === 'ENOENT' ? 'folder not found' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code})`)
  }
}

/** The images of a folder: its own files, or (when it has only subfolders) one class per subfolder. */
export async function listImages(dir: string): Promise<{ files: string[]; labels?: number[]; labelNames?: string[] }> {
  const entries = await listDir(dir)
  const images = entries.filter((entry) => !entry.isDir && isImage(entry.name)).map((entry) => join(dir, entry.name))
  const classes = entries.filter((entry) => entry.isDir).map((entry) => entry.name)
  if (images.length > 0 || classes.length === 0) {
    if (images.length === 0)
      throw new FileError(dir, `holds no images (${[...imageExtensions].join(', ')}) and no class subfolders`)
    return { files: images }
  }
  const files: string[] = []
  const labels: number[] = []
  for (const [index, name] of classes.entries()) {
    for (const entry of await listDir(join(dir, name))) {
      if (entry.isDir || !isImage(entry.name)) continue
      files.push(join(dir, name, entry.name))
      labels.push(index)
    }
  }
  if (files.length === 0) throw new FileError(dir, 'its class subfolders hold no images')
  return { files, labels, labelNames: classes }
}

function perChannel(values: readonly number[] | undefined, channels: number, fallback: number, what: string): number[] {
  if (!values) return new Array<number>(channels).fill(fallback)
  if (values.length === 1) return new Array<number>(channels).fill(values[0] as number)
  if (values.length !== channels) throw new FileError(what, `gives ${values.length} values for ${channels} channels`)
  return [...values]
}

/** Decodes one image into `out` at `offset` (sample-sized), applying the preprocessing. */
export async function decodeImage(file: string, pre: ImagePreprocess, out: Float32Array, offset: number): Promise<void> {
  // Loaded on first use: sharp is native code the host process must not load at start-up (this module is on its import chain).
  const { default: sharp } = await import('sharp')
  let pixels: Buffer
  try {
    let image = sharp(file, { failOn: 'error' }).rotate().removeAlpha()
    image = pre.channels === 1 ? image.toColourspace('b-w') : image.toColourspace('srgb')
    pixels = await image.resize(pre.width, pre.height, { fit: pre.fit ?? 'cover' }).raw().toBuffer()
  } catch (error) {
    throw new FileError(file, `cannot be decoded as an image (${(error as Error).message})`)
  }
  const c = pre.channels
  const plane = pre.width * pre.height
  if (pixels.length !== plane * c) throw new FileError(file, `decoded to ${pixels.length} bytes, expected ${plane * c}`)
  const mean = perChannel(pre.mean, c, 0, '--mean')
  const std = perChannel(pre.std, c, 1, '--std')
  for (let p = 0; p < plane; p++) {
    for (let ch = 0; ch < c; ch++) {
      const value = ((pixels[p * c + ch] as number) * pre.scale - (mean[ch] as number)) / (std[ch] as number)
      out[offset + (pre.layout === 'nchw' ? ch * plane + p : p * c + ch)] = value
    }
  }
}

/**
 * Indices of the first `limit` images, taking classes in turn so that a limited sample still holds every
 * class (the listing is sorted by class).
 */
export function interleavedPick(labels: readonly number[] | undefined, total: number, limit: number): number[] {
  const all = Array.from({ length: total }, (_, i) => i)
  if (!labels || limit >= total) return all.slice(0, limit)
  const rank = new Array<number>(total)
  const seen = new Map<number, number>()
  all.forEach((i) => {
    const label = labels[i] as number
    rank[i] = seen.get(label) ?? 0
    seen.set(label, (rank[i] as number) + 1)
  })
  return all.sort((a, b) => (rank[a] as number) - (rank[b] as number) || a - b).slice(0, limit)
}

export async function loadImageFolder(dir: string, pre: ImagePreprocess, limit?: number): Promise<ImageFolderData> {
  const listed = await listImages(dir)
  const count = Math.min(listed.files.length, limit ?? Number.POSITIVE_INFINITY)
  const picked = interleavedPick(listed.labels, listed.files.length, count)
  const files = picked.map((i) => listed.files[i] as string)
  const sampleShape = pre.layout === 'nchw' ? [pre.channels, pre.height, pre.width] : [pre.height, pre.width, pre.channels]
  const sampleSize = pre.channels * pre.height * pre.width
  const data = new Float32Array(count * sampleSize)
  for (const [i, file] of files.entries()) await decodeImage(file, pre, data, i * sampleSize)
  return {
    file: dir,
    count,
    data,
    sampleShape,
    files,
    ...(listed.labels ? { labels: BigInt64Array.from(picked, (i) => BigInt(listed.labels?.[i] ?? 0)) } : {}),
    ...(listed.labelNames ? { labelNames: listed.labelNames } : {}),
  }
}

/** Image options a user may give; the rest comes from the model's input shape. */
export type ImageOptions = Partial<ImagePreprocess>

/** Whether a path is a folder of images (directly, or in class subfolders). */
export async function isImageFolder(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isDirectory()) return false
    const entries = await listDir(path)
    if (entries.some((entry) => !entry.isDir && isImage(entry.name))) return true
    for (const entry of entries.filter((e) => e.isDir))
      if ((await listDir(join(path, entry.name))).some((e) => !e.isDir && isImage(e.name))) return true
    return false
  } catch {
    return false
  }
}

/** Fills what the user left out from the model's image input: layout, channels and size. */
export function preprocessFor(dir: string, input: TensorInfo, options: ImageOptions = {}): ImagePreprocess {
  const dims = input.shape
  if (dims.length !== 4)
    throw new FileError(dir, `images feed a 4-d input (NCHW or NHWC); input '${input.name}' has shape [${dims.join(',')}]`)
  const isChannels = (dim: unknown): boolean => dim === 1 || dim === 3
  const layout = options.layout ?? (isChannels(dims[1]) ? 'nchw' : isChannels(dims[3]) ? 'nhwc' : 'nchw')
  const [cDim, hDim, wDim] = layout === 'nchw' ? [dims[1], dims[2], dims[3]] : [dims[3], dims[1], dims[2]]
  const channels = options.channels ?? (cDim === 1 ? 1 : 3)
  const height = options.height ?? (typeof hDim === 'number' ? hDim : undefined)
  const width = options.width ?? (typeof wDim === 'number' ? wDim : undefined)
  if (height === undefined || width === undefined)
    throw new ProblemError({ code: 'image-size-dynamic', input: input.name, dims }, dir)
  return {
    width,
    height,
    layout,
    channels,
    scale: options.scale ?? 1 / 255,
    ...(options.mean ? { mean: options.mean } : {}),
    ...(options.std ? { std: options.std } : {}),
    fit: options.fit ?? 'cover',
  }
}

/** An image folder as data for a one-input image model, with labels when the images sit in class folders. */
export async function imageFolderDataSet(dir: string, inputs: readonly TensorInfo[], options: LoadOptions = {}): Promise<TensorDataSet> {
  const input = inputs[0]
  if (inputs.length !== 1 || !input)
    throw new FileError(dir, `an image folder feeds a model with one input; this one has ${inputs.length} (${inputs.map((i) => `'${i.name}'`).join(', ')})`)
  const pre = preprocessFor(dir, input, options.images)
  const images = await loadImageFolder(dir, pre, options.maxRows)
  return {
    source: dir,
    rows: images.count,
    batches: [{ [input.name]: floatRowsTensor(dir, images.data, images.count, images.sampleShape, input) }],
    ...(images.labels ? { labels: images.labels } : {}),
    ...(images.labelNames ? { labelNames: images.labelNames } : {}),
  }
}
