// Target tokens in the desktop app: encrypted with Electron's safeStorage (the OS keychain: Keychain,
// DPAPI, libsecret) and kept as ciphertext in a 0600 file under userData. Only the main process sees the
// clear text; it is never sent to the renderer and never logged.
import { safeStorage } from 'electron'
import { FileSecretStore, type SecretStore } from '../core/publish/secret-store'

export class SafeStorageSecretStore implements SecretStore {
  private readonly file: FileSecretStore

  constructor(path: string) {
    this.file = new FileSecretStore(path)
  }

  private requireEncryption(): void {
    // On Linux without a keyring safeStorage falls back to a hard-coded key: refuse rather than pretend.
    if (!safeStorage.isEncryptionAvailable() || (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'))
      throw new Error('no OS keychain is available to keep the token; use the CLI with a token file instead')
  }

  async get(key: string): Promise<string | undefined> {
    const sealed = await this.file.get(key)
    if (sealed === undefined) return undefined
    this.requireEncryption()
    return safeStorage.decryptString(Buffer.from(sealed, 'base64'))
  }

  async set(key: string, value: string): Promise<void> {
    this.requireEncryption()
    await this.file.set(key, safeStorage.encryptString(value).toString('base64'))
  }

  delete(key: string): Promise<void> {
    return this.file.delete(key)
  }
}
