// bin/run-entry.js in a throwaway copy of the layout it expects (bin/, out/cli/, sources, node_modules):
// the bundle runs while its sources are as built, the sources through tsx once one differs.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')
const SOURCE = 'main/cli/index.ts'
let dir = ''

async function writeBuildInfo(): Promise<void> {
  const text = "process.stdout.write('sources')\n"
  await writeFile(join(dir, SOURCE), text)
  const built = { mtimeMs: (await stat(join(dir, SOURCE))).mtimeMs, sha256: createHash('sha256').update(text).digest('hex') }
  await writeFile(join(dir, 'out', 'cli', 'build-info.json'), JSON.stringify({ sources: { [SOURCE]: built } }))
}

function run(): { stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(dir, 'bin', 'slipway.js')], { encoding: 'utf8' })
  expect(result.status, result.stderr).toBe(0)
  return { stdout: result.stdout, stderr: result.stderr }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-run-entry-'))
  await Promise.all(['bin', 'out/cli', 'main/cli'].map((sub) => mkdir(join(dir, sub), { recursive: true })))
  await Promise.all(['bin/run-entry.js', 'bin/slipway.js'].map((file) => copyFile(join(ROOT, file), join(dir, file))))
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  await writeFile(join(dir, 'out', 'cli', 'slipway.js'), "process.stdout.write('bundle')\n")
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('bin/run-entry.js', () => {
  it('runs the bundle while the sources are as it was built from, a touched but unchanged file included', async () => {
    await writeBuildInfo()
    expect(run()).toEqual({ stdout: 'bundle', stderr: '' })
    const later = new Date(Date.now() + 60_000)
    await utimes(join(dir, SOURCE), later, later)
    expect(run()).toEqual({ stdout: 'bundle', stderr: '' })
  })

  it('runs the sources through tsx, saying so, once a source differs or nothing was built', async () => {
    await writeBuildInfo()
    await writeFile(join(dir, SOURCE), "process.stdout.write('sources')\n// edited\n")
    const edited = run()
    expect(edited.stdout).toBe('sources')
    expect(edited.stderr).toMatch(/^\(slipway: running the TypeScript sources through tsx; `npm run build:cli` .*\)\n$/)
    await rm(join(dir, 'out', 'cli', 'build-info.json'))
    expect(run().stdout).toBe('sources')
  })
})
