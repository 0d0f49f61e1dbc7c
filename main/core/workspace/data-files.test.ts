import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TensorInfo } from '../../../preload/api'
import { sampleDir } from '../resources'
import { checkData } from '../worker/check-data'
import { DataFiles } from './data-files'

const dirs: string[] = []
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-data-'))
  dirs.push(dir)
  return dir
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

const ctx = { progress: () => undefined, signal: new AbortController().signal, throwIfCancelled: () => undefined }
const digitsInput: TensorInfo = { name: 'input', dtype: 'float32', shape: ['batch', 1, 8, 8] }

describe('data files', () => {
  it("lists the sample's arrays, keeps an upload under data/ and remembers a path, across instances", async () => {
    const workspace = await tempDir()
    const upload = join(await tempDir(), 'u1')
    await mkdir(upload)
    await writeFile(join(upload, 'calib.npy'), new Uint8Array(300))
    const files = new DataFiles(workspace, sampleDir)
    const kept = await files.addUpload(upload)
    expect(kept).toMatchObject({ name: 'calib.npy', sizeBytes: 300, source: 'upload' })
    expect(kept.path.startsWith(join(workspace, 'data'))).toBe(true)
    const elsewhere = join(await tempDir(), 'eval.csv')
    await writeFile(elsewhere, 'a,b\n1,2\n')
    await files.addPath(elsewhere)
    const listed = await new DataFiles(workspace, sampleDir).list()
    const samples = listed.filter((f) => f.source === 'sample').map((f) => f.name)
    expect(samples).toEqual(expect.arrayContaining(['digits_calib.npy', 'digits_test_x.npy', 'digits_test_y.npy']))
    expect(listed.filter((f) => f.source !== 'sample').map((f) => `${f.source}:${f.name}`).sort()).toEqual(['path:eval.csv', 'upload:calib.npy'])
    expect(await readdir(join(workspace, 'data'))).toHaveLength(3)
    await expect(files.addPath(join(workspace, 'missing.npy'))).rejects.toThrow('missing.npy: file not found')
  })

  it("checks the sample's calibration data against the model's input, and names the problem with labels", async () => {
    const ok = await checkData({ path: join(sampleDir, 'digits_calib.npy'), inputs: [digitsInput] }, ctx)
    expect(ok).toEqual({ ok: true, rows: 200, inputs: [{ name: 'input', dtype: 'float32', shape: [200, 1, 8, 8] }] })
    const bad = await checkData({ path: join(sampleDir, 'digits_test_y.npy'), inputs: [digitsInput] }, ctx)
    expect(bad.ok).toBe(false)
    expect(bad.error).toMatchObject({ name: 'FileError', file: join(sampleDir, 'digits_test_y.npy'), reason: "input 'input': the data is int64; the model expects float32 [batch,1,8,8]" })
  })
})
