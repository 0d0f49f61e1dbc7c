// Where target tokens live. The engine only sees this interface: the desktop app backs it with the OS
// keychain (Electron safeStorage, main/electron/secret-store.ts); the CLI and the browser host with a
// JSON file that only the user can read (0600). Tokens never leave the engine and are never logged.
import { chmod, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { randomUUID } from 'node:crypto'

export interface SecretStore {
  get(key: string): Promise<string | undefined>
  set(key: string, value: string): Promise<void>
  delete(key: string): Promise<void>
}

/** A JSON map in a file created with mode 0600 (and kept so: written to a 0600 temp file, then renamed). */
export class FileSecretStore implements SecretStore {
  constructor(readonly path: string) {}

  private async read(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as Record<string, string>
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw new Error(`${this.path}: the secrets file cannot be read`)
    }
  }

  private async write(values: Record<string, string>): Promise<void> {
    const temp = join(dirname(this.path), `.${randomUUID()}.tmp`)
    const file = await open(temp, 'wx', 0o600)
    try {
      await file.writeFile(JSON.stringify(values))
      await file.sync()
    } finally {
      await file.close()
    }
    // The umask cannot widen 0o600, but an explicit chmod keeps that true on every platform.
    await chmod(temp, 0o600)
    try {
      await rename(temp, this.path)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.read())[key]
  }

  async set(key: string, value: string): Promise<void> {
    await this.write({ ...(await this.read()), [key]: value })
  }

  async delete(key: string): Promise<void> {
    const values = await this.read()
    if (!(key in values)) return
    delete values[key]
    await this.write(values)
  }
}

/** Secrets kept in memory only (tests, and a URL target given with --token-file). */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>()
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key)
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value)
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key)
  }
}
