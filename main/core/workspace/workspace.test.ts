import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Workspace } from './workspace'

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'slipway-ws-'))
}

describe('Workspace', () => {
  it('adds a model with its files, lists it, and removes it', async () => {
    const dir = await tempDir()
    const source = join(dir, 'src')
    await mkdir(source)
    await writeFile(join(source, 'm.onnx'), 'abc')
    await writeFile(join(source, 'm.onnx.data'), 'defg')
    const ws = await Workspace.open(join(dir, 'ws'))
    const entry = await ws.add({ name: 'm', format: 'onnx', mainFile: 'm.onnx', source: 'test' }, [
      { from: join(source, 'm.onnx'), to: 'm.onnx' },
      { from: join(source, 'm.onnx.data'), to: 'm.onnx.data' },
    ])
    expect(entry.sizeBytes).toBe(7)
    expect((await ws.list()).map((e) => e.id)).toEqual([entry.id])
    expect(await readFile(await ws.mainFilePath(entry.id), 'utf8')).toBe('abc')
    await ws.remove(entry.id)
    expect(await ws.list()).toEqual([])
  })

  it('leaves no trace of a failed add and clears leftover staging when reopened', async () => {
    const dir = await tempDir()
    const ws = await Workspace.open(dir)
    await expect(
      ws.add({ name: 'm', format: 'onnx', mainFile: 'm.onnx', source: 'test' }, [{ from: join(dir, 'missing.onnx'), to: 'm.onnx' }]),
    ).rejects.toThrow(/ENOENT/)
    expect(await readdir(join(dir, 'models'))).toEqual([])
    await ws.stagingDir()
    await Workspace.open(dir)
    expect(await readdir(join(dir, 'staging'))).toEqual([])
  })

  it('refuses ids that would leave the models folder', async () => {
    const ws = await Workspace.open(await tempDir())
    await expect(ws.get('../../etc')).rejects.toThrow(/no model with id/)
  })
})
