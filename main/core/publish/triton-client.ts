// Client of Triton's model repository extension in explicit model-control mode: index, and `load` with
// a `config` and `file:<version>/model.onnx` override (base64 in one JSON body). Triton caps that body at
// --http-max-input-size, 64 MiB by default, so a model whose request would be larger is refused up front.
import { readFile } from 'node:fs/promises'
import type { Feed, HostTensor } from '../data/load-tensors'
import { problemMessage } from '../problem-text'
import { callJson, TargetError } from './http-client'
import { inferOip } from './slipway-client'

export const TRITON_MAX_REQUEST_BYTES = 64 * 1024 * 1024

export interface IndexRow {
  readonly name: string
  readonly version?: string
  readonly state?: string
  readonly reason?: string
}

/** Bytes of the load request for a model file of `size` bytes (base64 grows it by 4/3) and its config. */
export function loadRequestBytes(size: number, configJson: string, version: number): number {
  const base64 = Math.ceil(size / 3) * 4
  return JSON.stringify({ parameters: { config: configJson, [`file:${version}/model.onnx`]: '' } }).length + base64
}

export function checkTritonSize(file: string, size: number, configJson: string, version: number): void {
  const bytes = loadRequestBytes(size, configJson, version)
  if (bytes > TRITON_MAX_REQUEST_BYTES) {
    const problem = { code: 'triton-request-too-large', size, requestBytes: bytes } as const
    throw new TargetError('too-large', problemMessage(problem, file), undefined, { problem, file })
  }
}

export class TritonClient {
  constructor(
    readonly url: string,
    private readonly token: string | undefined,
  ) {}

  private options(signal?: AbortSignal): { token?: string; signal?: AbortSignal } {
    return { ...(this.token ? { token: this.token } : {}), ...(signal ? { signal } : {}) }
  }

  async live(signal?: AbortSignal): Promise<void> {
    await callJson(`${this.url}/v2/health/live`, { ...(signal ? { signal } : {}), timeoutMs: 30_000 })
  }

  async index(signal?: AbortSignal): Promise<IndexRow[]> {
    try {
      return await callJson<IndexRow[]>(`${this.url}/v2/repository/index`, { ...this.options(signal), method: 'POST', body: {} })
    } catch (error) {
      if (error instanceof TargetError && (error.code === 'rejected' || error.code === 'not-found')) {
        const problem = { code: 'triton-not-explicit', message: error.message } as const
        throw new TargetError(error.code, problemMessage(problem), error.status, { problem })
      }
      throw error
    }
  }

  async load(name: string, configJson: string, version: number, file: string, signal?: AbortSignal): Promise<void> {
    const bytes = await readFile(file)
    checkTritonSize(file, bytes.length, configJson, version)
    await callJson(`${this.url}/v2/repository/models/${encodeURIComponent(name)}/load`, {
      ...this.options(signal),
      method: 'POST',
      body: { parameters: { config: configJson, [`file:${version}/model.onnx`]: bytes.toString('base64') } },
      timeoutMs: 600_000,
    })
  }

  async unload(name: string, signal?: AbortSignal): Promise<void> {
    await callJson(`${this.url}/v2/repository/models/${encodeURIComponent(name)}/unload`, { ...this.options(signal), method: 'POST', body: {} })
  }

  infer(name: string, version: string | undefined, feed: Feed, signal?: AbortSignal): Promise<Record<string, HostTensor>> {
    return inferOip(this.url, this.token, name, version, feed, signal)
  }
}
