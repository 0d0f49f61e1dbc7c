import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { imageFolderDataSet, interleavedPick, isImageFolder, loadImageFolder, preprocessFor } from './image-folder'

let dir: string

/** A solid-colour PNG of the given size. */
async function solid(path: string, width: number, height: number, rgb: [number, number, number]): Promise<void> {
  await sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toFile(path)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-images-'))
  await mkdir(join(dir, 'classes', 'blue'), { recursive: true })
  await mkdir(join(dir, 'classes', 'red'), { recursive: true })
  await solid(join(dir, 'classes', 'red', 'a.png'), 20, 10, [255, 0, 0])
  await solid(join(dir, 'classes', 'red', 'b.png'), 7, 7, [255, 0, 0])
  await solid(join(dir, 'classes', 'blue', 'c.png'), 9, 30, [0, 0, 255])
  await mkdir(join(dir, 'flat'))
  await solid(join(dir, 'flat', 'x.png'), 4, 4, [0, 128, 255])
  await mkdir(join(dir, 'broken'))
  await writeFile(join(dir, 'broken', 'bad.jpg'), 'not a jpeg')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('image folders', () => {
  it('decodes, resizes and lays out NCHW with scale and mean/std', async () => {
    const pre = { width: 4, height: 4, layout: 'nchw' as const, channels: 3 as const, scale: 1 / 255, mean: [0.5], std: [0.5] }
    const data = await loadImageFolder(join(dir, 'flat'), pre)
    expect(data.sampleShape).toEqual([3, 4, 4])
    // (v/255 - 0.5) / 0.5 per channel: R 0 → -1, G 128 → 0.0039, B 255 → 1, each plane 16 values.
    expect(data.data[0]).toBeCloseTo(-1, 5)
    expect(data.data[16]).toBeCloseTo((128 / 255 - 0.5) / 0.5, 5)
    expect(data.data[32]).toBeCloseTo(1, 5)
  })
  it('lays out NHWC with channels interleaved', async () => {
    const pre = { width: 2, height: 2, layout: 'nhwc' as const, channels: 3 as const, scale: 1 }
    const data = await loadImageFolder(join(dir, 'flat'), pre)
    expect(data.sampleShape).toEqual([2, 2, 3])
    expect(Array.from(data.data.subarray(0, 6))).toEqual([0, 128, 255, 0, 128, 255])
  })
  it('labels images by class subfolder (sorted) and keeps every class under a limit', async () => {
    const pre = { width: 8, height: 8, layout: 'nchw' as const, channels: 3 as const, scale: 1 / 255 }
    const all = await loadImageFolder(join(dir, 'classes'), pre)
    expect(all.labelNames).toEqual(['blue', 'red'])
    expect(Array.from(all.labels ?? [], Number)).toEqual([0, 1, 1])
    const two = await loadImageFolder(join(dir, 'classes'), pre, 2)
    expect(Array.from(two.labels ?? [], Number)).toEqual([0, 1])
    expect(interleavedPick([0, 0, 0, 1, 1, 2], 6, 4)).toEqual([0, 3, 5, 1])
  })
  it('takes size and layout from the model input', async () => {
    expect(preprocessFor('d', { name: 'x', dtype: 'float32', shape: ['N', 224, 224, 3] })).toMatchObject({ layout: 'nhwc', width: 224, height: 224, channels: 3 })
    expect(preprocessFor('d', { name: 'x', dtype: 'float32', shape: ['N', 1, 28, 28] })).toMatchObject({ layout: 'nchw', width: 28, channels: 1 })
    expect(() => preprocessFor('d', { name: 'x', dtype: 'float32', shape: ['N', 3, 'h', 'w'] })).toThrow(/--resize HxW/)
    const set = await imageFolderDataSet(join(dir, 'classes'), [{ name: 'x', dtype: 'float32', shape: ['N', 3, 16, 16] }])
    expect(set.batches[0]?.x?.dims).toEqual([3, 3, 16, 16])
    expect(set.labels).toHaveLength(3)
  })
  it('names an image that cannot be decoded', async () => {
    expect(await isImageFolder(join(dir, 'broken'))).toBe(true)
    const pre = { width: 4, height: 4, layout: 'nchw' as const, channels: 3 as const, scale: 1 }
    await expect(loadImageFolder(join(dir, 'broken'), pre)).rejects.toThrow(/bad.jpg: cannot be decoded as an image/)
    expect(await isImageFolder(join(dir, 'classes', 'red', 'a.png'))).toBe(false)
  })
})
