// Targets and their secrets on disk: tokens only in the 0600 secrets file, never in targets.json or in
// what list() returns; bad names and URLs refused with a reason.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { targetStoreFor } from './publish-api'
import { normalizeUrl, readTokenFile, SECRETS_FILE, TARGETS_FILE } from './targets'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-targets-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const TOKEN = 'secret-admin-token-0123456789'

describe('targets', () => {
  it('keeps the token in a 0600 file and out of targets.json and list()', async () => {
    const store = targetStoreFor(dir)
    const added = await store.add({ name: 'prod', kind: 'slipway', url: 'http://127.0.0.1:8000/', token: TOKEN })
    expect(added).toEqual({ name: 'prod', kind: 'slipway', url: 'http://127.0.0.1:8000', hasToken: true })
    expect((await stat(join(dir, SECRETS_FILE))).mode & 0o777).toBe(0o600)
    expect(await readFile(join(dir, TARGETS_FILE), 'utf8')).not.toContain(TOKEN)
    expect(JSON.stringify(await store.list())).not.toContain(TOKEN)
    expect((await store.resolve('prod')).token).toBe(TOKEN)
    await store.remove('prod')
    expect(await readFile(join(dir, SECRETS_FILE), 'utf8')).not.toContain(TOKEN)
    expect(await store.list()).toEqual([])
  })

  it('resolves a URL with the token from a file, and refuses what would leak or break', async () => {
    const store = targetStoreFor(dir)
    const tokenFile = join(dir, 'token')
    await import('node:fs/promises').then((fs) => fs.writeFile(tokenFile, `${TOKEN}\n`))
    const resolved = await store.resolve('http://127.0.0.1:9000', await readTokenFile(tokenFile))
    expect(resolved.info.kind).toBe('slipway')
    expect(resolved.token).toBe(TOKEN)
    expect(() => normalizeUrl('http://user:pw@host:1')).toThrow(/token file, not in the URL/)
    await expect(store.resolve('nope')).rejects.toThrow(/no target named 'nope'/)
    await expect(store.add({ name: 'bad name', kind: 'triton', url: 'http://x' })).rejects.toThrow(/target name/)
    await expect(store.add({ name: 's', kind: 'slipway', url: 'http://x' })).rejects.toThrow(/admin token/)
    await expect(readTokenFile(join(dir, 'missing'))).rejects.toThrow(/missing: cannot read the token file/)
  })
})
