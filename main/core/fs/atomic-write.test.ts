import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic } from './atomic-write'

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temp file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-atomic-'))
    const path = join(dir, 'a.json')
    await writeFile(path, 'old')
    await writeFileAtomic(path, [new Uint8Array([110, 101]), new Uint8Array([119])])
    expect(await readFile(path, 'utf8')).toBe('new')
    expect(await readdir(dir)).toEqual(['a.json'])
  })

  it('keeps the old content when the write fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-atomic-'))
    const path = join(dir, 'missing-folder', 'a.json')
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow(/ENOENT/)
    expect(await readdir(dir)).toEqual([])
  })
})
