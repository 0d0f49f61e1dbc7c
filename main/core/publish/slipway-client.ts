// Client of a Slipway server's publishing API (server/README.md): streamed upload with sha256 and an
// Idempotency-Key (retried on a dropped connection: the server keeps no partial version, and a retry of
// an upload that did complete returns the version it made), promote, rollback, delete, drift, metrics.
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import type { Feed, HostTensor } from '../data/load-tensors'
import { call, callJson, failure, NetworkError, streamUpload, TargetError } from './http-client'
import { decodeInferResponse, encodeInferRequest } from './oip'

export interface UploadMetadata {
  readonly sha256: string
  readonly size: number
  /** External data files, sent after the model in this order (names relative to the model's folder). */
  readonly files?: readonly { readonly name: string; readonly sha256: string; readonly size: number }[]
  readonly promote?: boolean
  readonly canaryPercent?: number
  readonly config?: unknown
  readonly lineage?: unknown
  readonly metrics?: unknown
  readonly inputStats?: unknown
}

export interface UploadAnswer {
  readonly model: string
  readonly version: string
  readonly sha256: string
  readonly size: number
  readonly serving: boolean
  readonly canary: boolean
  readonly replayed: boolean
}

export interface RemoteVersion {
  readonly version: string
  readonly loaded: boolean
  readonly serving: boolean
  readonly sha256?: string
  readonly size?: number
  readonly createdAt?: string
  readonly lineage?: unknown
  readonly metrics?: unknown
}

export interface RemoteModel {
  readonly name: string
  readonly state: string
  readonly reason?: string
  readonly serving: string | null
  readonly previous?: string | null
  readonly canary?: { readonly version: string; readonly percent: number } | null
  readonly versions: readonly RemoteVersion[]
}

export interface UploadOptions {
  readonly idempotencyKey: string
  readonly onProgress?: (sentBytes: number, totalBytes: number, attempt: number) => void
  readonly signal?: AbortSignal
  /** Tries in all, on dropped connections and on 409 "in progress" (default 4). */
  readonly attempts?: number
  /** Waits between tries grow from this (default 500 ms). */
  readonly retryDelayMs?: number
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    }, { once: true })
  })

export class SlipwayClient {
  constructor(
    readonly url: string,
    private readonly token: string | undefined,
  ) {}

  private path(...parts: string[]): string {
    return `${this.url}/${parts.map(encodeURIComponent).join('/')}`
  }

  async live(signal?: AbortSignal): Promise<void> {
    const answer = await call(`${this.url}/v2/health/live`, { ...(signal ? { signal } : {}), timeoutMs: 30_000 })
    if (answer.status !== 200) throw failure(`${this.url}/v2/health/live`, answer.status, answer.bytes)
  }

  async listModels(signal?: AbortSignal): Promise<{ name: string; state: string; serving: string | null; versions: string[] }[]> {
    const body = await callJson<{ models: { name: string; state: string; serving: string | null; versions: string[] }[] }>(this.path('slipway', 'models'), this.options(signal))
    return body.models
  }

  /** The model with its versions, or undefined when the server has no model of that name. */
  async describe(name: string, signal?: AbortSignal): Promise<RemoteModel | undefined> {
    try {
      return await callJson<RemoteModel>(this.path('slipway', 'models', name), this.options(signal))
    } catch (error) {
      if (error instanceof TargetError && error.code === 'not-found') return undefined
      throw error
    }
  }

  /** Uploads `file`, then the side files at `sidePaths` (one per entry of metadata.files, same order). */
  async upload(name: string, file: string, metadata: UploadMetadata, options: UploadOptions, sidePaths: readonly string[] = []): Promise<UploadAnswer & { attempts: number }> {
    const head = Buffer.from(JSON.stringify(metadata))
    const total = metadata.size + (metadata.files ?? []).reduce((n, f) => n + f.size, 0)
    const url = this.path('slipway', 'models', name, 'versions')
    const attempts = options.attempts ?? 4
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await streamUpload({
          url,
          ...(this.token ? { token: this.token } : {}),
          headers: {
            'content-type': 'application/octet-stream',
            'slipway-metadata-length': String(head.length),
            'idempotency-key': options.idempotencyKey,
          },
          body: () => Readable.from(concatStreams(head, [file, ...sidePaths])),
          contentLength: head.length + total,
          onSent: (sent) => options.onProgress?.(Math.max(0, sent - head.length), total, attempt),
          ...(options.signal ? { signal: options.signal } : {}),
        })
        if (answer.status === 200 || answer.status === 201) return { ...(JSON.parse(Buffer.from(answer.bytes).toString('utf8')) as UploadAnswer), attempts: attempt }
        const error = failure(url, answer.status, answer.bytes)
        // 409 with this key: the first try is still being committed on the server; wait for it.
        if (answer.status !== 409 || !/Idempotency-Key/i.test(error.message) || attempt >= attempts) throw error
      } catch (error) {
        if (!(error instanceof NetworkError) || attempt >= attempts) {
          if (error instanceof NetworkError)
            throw new TargetError('unreachable', `${error.message}; gave up after ${attempt} tries (the server keeps no partial version)`)
          throw error
        }
      }
      await sleep((options.retryDelayMs ?? 500) * attempt, options.signal)
    }
  }

  promote(name: string, version: string, signal?: AbortSignal): Promise<{ serving: string }> {
    return callJson(this.path('slipway', 'models', name, 'promote'), { ...this.options(signal), method: 'POST', body: { version } })
  }

  rollback(name: string, version?: string, signal?: AbortSignal): Promise<{ serving: string }> {
    return callJson(this.path('slipway', 'models', name, 'rollback'), { ...this.options(signal), method: 'POST', body: version === undefined ? {} : { version } })
  }

  clearCanary(name: string, signal?: AbortSignal): Promise<unknown> {
    return callJson(this.path('slipway', 'models', name, 'canary'), { ...this.options(signal), method: 'DELETE' })
  }

  deleteVersion(name: string, version: string, signal?: AbortSignal): Promise<unknown> {
    return callJson(this.path('slipway', 'models', name, 'versions', version), { ...this.options(signal), method: 'DELETE' })
  }

  drift(name: string, version: string, signal?: AbortSignal): Promise<{ inputs: Record<string, { psi: number; samples: number }> }> {
    return callJson(this.path('slipway', 'models', name, 'versions', version, 'drift'), this.options(signal))
  }

  async metricsText(signal?: AbortSignal): Promise<string> {
    const answer = await call(`${this.url}/metrics`, this.options(signal))
    if (answer.status !== 200) throw failure(`${this.url}/metrics`, answer.status, answer.bytes)
    return Buffer.from(answer.bytes).toString('utf8')
  }

  /** An inference over the Open Inference Protocol (binary tensors), to one version or the serving one. */
  infer(name: string, version: string | undefined, feed: Feed, signal?: AbortSignal): Promise<Record<string, HostTensor>> {
    return inferOip(this.url, this.token, name, version, feed, signal)
  }

  private options(signal?: AbortSignal): { token?: string; signal?: AbortSignal } {
    return { ...(this.token ? { token: this.token } : {}), ...(signal ? { signal } : {}) }
  }
}

async function* concatStreams(head: Buffer, files: readonly string[]): AsyncGenerator<Buffer> {
  yield head
  for (const file of files) for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) yield chunk as Buffer
}

export async function inferOip(
  url: string,
  token: string | undefined,
  name: string,
  version: string | undefined,
  feed: Feed,
  signal?: AbortSignal,
): Promise<Record<string, HostTensor>> {
  const path = version === undefined ? `/v2/models/${encodeURIComponent(name)}/infer` : `/v2/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/infer`
  const request = encodeInferRequest(feed)
  const answer = await call(`${url}${path}`, {
    method: 'POST',
    ...(token ? { token } : {}),
    ...(signal ? { signal } : {}),
    headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(request.headerLength) },
    body: request.body,
  })
  if (answer.status !== 200) throw failure(`${url}${path}`, answer.status, answer.bytes)
  const headerLength = answer.headers.get('inference-header-content-length')
  return decodeInferResponse(answer.bytes, headerLength === null ? undefined : Number(headerLength))
}
