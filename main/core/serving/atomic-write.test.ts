import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeFileAtomic, writeJsonAtomic } from './atomic-write'

const dirs: string[] = []
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-atomic-'))
  dirs.push(dir)
  return dir
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file', async () => {
    const dir = await tempDir()
    const path = join(dir, 'a.json')
    await writeFile(path, 'old')
    await writeFileAtomic(path, [new Uint8Array([104, 105]), new Uint8Array([33])])
    expect(await readFile(path, 'utf8')).toBe('hi!')
    expect(await readdir(dir)).toEqual(['a.json'])
  })

  it('leaves the old file and no temp file when the write fails', async () => {
    const dir = await tempDir()
    const path = join(dir, 'b.txt')
    await writeFile(path, 'keep')
    const bad = [new Uint8Array([1]), 42 as unknown as Uint8Array]
    await expect(writeFileAtomic(path, bad)).rejects.toThrow()
    expect(await readFile(path, 'utf8')).toBe('keep')
    expect(await readdir(dir)).toEqual(['b.txt'])
  })
})

describe('writeJsonAtomic', () => {
  it('writes JSON that reads back equal', async () => {
    const path = join(await tempDir(), 'c.json')
    await writeJsonAtomic(path, { a: [1, 'x'] })
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ a: [1, 'x'] })
  })
})
