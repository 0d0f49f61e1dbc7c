// Deployment targets: names, kinds and addresses in targets.json (no secrets), tokens in a SecretStore.
// A target is named by the user (`slipway targets add prod --kind slipway --url ...`), or given as a bare
// URL to a command that then takes its token from --token-file.
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { NewTarget, TargetInfo, TargetKind } from '../../../preload/api'
import { FileError, ProblemError, UserError } from '../errors'
import { writeJsonAtomic } from '../serving/atomic-write'
import type { SecretStore } from './secret-store'

export const TARGETS_FILE = 'targets.json'
export const SECRETS_FILE = 'secrets.json'
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const KINDS: readonly TargetKind[] = ['slipway', 'triton', 'folder']

type StoredTarget = Omit<TargetInfo, 'hasToken'>

/** A target with its token, for the engine's clients only. */
export interface ResolvedTarget {
  readonly info: TargetInfo
  readonly token?: string
}

export function isUrl(text: string): boolean {
  return /^https?:\/\//i.test(text)
}

/** A server URL without trailing slashes, refusing credentials or queries in it (they would be logged). */
export function normalizeUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new UserError(`'${text}' is not a URL (expected http://host:port)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`'${text}': only http and https targets are supported`)
  if (url.username || url.password) throw new UserError('put the token in a token file, not in the URL')
  if (url.search || url.hash) throw new UserError(`'${text}': a target URL takes no query or fragment`)
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

export function checkNewTarget(target: NewTarget): StoredTarget {
  if (!NAME_PATTERN.test(target.name)) throw new UserError(`target name '${target.name}' must be letters, digits, '.', '_' or '-' (at most 64)`)
  if (isUrl(target.name)) throw new UserError('a target name cannot be a URL')
  if (!KINDS.includes(target.kind)) throw new UserError(`target kind must be slipway, triton or folder (got '${String(target.kind)}')`)
  if (target.kind === 'folder') {
    if (!target.dir) throw new ProblemError({ code: 'target-incomplete', kind: 'folder', missing: 'dir' })
    if (target.token) throw new UserError('a folder target takes no token')
    return { name: target.name, kind: 'folder', dir: resolve(target.dir), format: target.format ?? 'triton' }
  }
  if (!target.url) throw new ProblemError({ code: 'target-incomplete', kind: target.kind, missing: 'url' })
  if (target.kind === 'slipway' && !target.token) throw new ProblemError({ code: 'target-incomplete', kind: 'slipway', missing: 'token' })
  return { name: target.name, kind: target.kind, url: normalizeUrl(target.url) }
}

export class TargetStore {
  constructor(
    private readonly dir: string,
    private readonly secrets: SecretStore,
  ) {}

  private get file(): string {
    return join(this.dir, TARGETS_FILE)
  }

  private async read(): Promise<StoredTarget[]> {
    try {
      return (JSON.parse(await readFile(this.file, 'utf8')) as { targets: StoredTarget[] }).targets
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new FileError(this.file, 'the targets file is not valid JSON')
    }
  }

  private async withToken(target: StoredTarget): Promise<TargetInfo> {
    return { ...target, hasToken: (await this.secrets.get(secretKey(target.name))) !== undefined }
  }

  async list(): Promise<TargetInfo[]> {
    return Promise.all((await this.read()).map((target) => this.withToken(target)))
  }

  async add(target: NewTarget): Promise<TargetInfo> {
    const stored = checkNewTarget(target)
    const all = await this.read()
    if (all.some((t) => t.name === stored.name)) throw new UserError(`a target named '${stored.name}' exists; remove it first`)
    if (target.token) await this.secrets.set(secretKey(stored.name), target.token.trim())
    await writeJsonAtomic(this.file, { targets: [...all, stored] })
    return this.withToken(stored)
  }

  async remove(name: string): Promise<void> {
    const all = await this.read()
    if (!all.some((t) => t.name === name)) throw new UserError(`no target named '${name}'`)
    await writeJsonAtomic(this.file, { targets: all.filter((t) => t.name !== name) })
    await this.secrets.delete(secretKey(name))
  }

  /** A target by name, or a Slipway server by URL; `token` (from --token-file) overrides the stored one. */
  async resolve(nameOrUrl: string, token?: string): Promise<ResolvedTarget> {
    if (isUrl(nameOrUrl)) {
      const info: TargetInfo = { name: normalizeUrl(nameOrUrl), kind: 'slipway', url: normalizeUrl(nameOrUrl), hasToken: token !== undefined }
      return { info, ...(token ? { token } : {}) }
    }
    const stored = (await this.read()).find((t) => t.name === nameOrUrl)
    if (!stored) throw new UserError(`no target named '${nameOrUrl}' (see slipway targets list, or give a URL)`)
    const secret = token ?? (await this.secrets.get(secretKey(stored.name)))
    return { info: { ...stored, hasToken: secret !== undefined }, ...(secret ? { token: secret } : {}) }
  }
}

function secretKey(name: string): string {
  return `target:${name}`
}

/** A token file: its first line, trimmed; errors name the file. */
export async function readTokenFile(path: string): Promise<string> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new FileError(path, 'cannot read the token file')
  }
  const token = text.split(/\r?\n/)[0]?.trim() ?? ''
  if (token.length === 0) throw new FileError(path, 'the token file is empty')
  return token
}
