// HTTP for the publish clients: JSON calls with errors a user can act on (server down, wrong token,
// name taken), and a streamed upload that reports bytes sent. Tokens go only in the Authorization header;
// error messages carry the server's `{"error"}` text and the URL, never a header.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Readable } from 'node:stream'
import { UserError, type ErrorFacts } from '../errors'

export type TargetErrorCode = 'unreachable' | 'auth' | 'forbidden' | 'exists' | 'not-found' | 'conflict' | 'rejected' | 'too-large' | 'server'

/** A target answered no (or not at all); `code` tells callers (and the UI) what kind of no. */
export class TargetError extends UserError {
  override name = 'UserError'
  constructor(
    readonly code: TargetErrorCode,
    message: string,
    readonly status?: number,
    facts: ErrorFacts = {},
  ) {
    super(message, facts)
  }
}

/** Transport failures that a retry may cure (connection refused, reset, cut mid-body, timeout). */
export class NetworkError extends TargetError {
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super('unreachable', `cannot reach ${url}: ${describeNetworkCause(cause)}`)
  }
}

function describeNetworkCause(cause: unknown): string {
  const code = (cause as { code?: string } | undefined)?.code ?? (cause as { cause?: { code?: string } } | undefined)?.cause?.code
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running, and is this its address?)'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host name'
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'the connection was cut'
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ABORT_ERR':
      return 'no answer in time'
    default: {
      // fetch wraps the real reason ('bad port', a TLS failure) in a generic "fetch failed".
      const inner = (cause as { cause?: unknown } | undefined)?.cause
      if (inner instanceof Error) return inner.message
      return cause instanceof Error ? cause.message : 'network error'
    }
  }
}

export interface CallOptions {
  readonly method?: string
  readonly token?: string
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  readonly signal?: AbortSignal
  /** Per-call limit; the machines this runs on can be slow, so the default is generous. */
  readonly timeoutMs?: number
}

export interface HttpAnswer {
  readonly status: number
  readonly headers: Headers
  readonly bytes: Uint8Array
}

const DEFAULT_TIMEOUT_MS = 120_000

export async function call(url: string, options: CallOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) }
  if (options.token) headers['authorization'] = `Bearer ${options.token}`
  let body: Uint8Array<ArrayBuffer> | string | undefined
  // A copy typed over a plain ArrayBuffer, which is what fetch's BodyInit takes under the DOM typings.
  if (options.body instanceof Uint8Array) body = new Uint8Array(options.body)
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['content-type'] = 'application/json'
  }
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  try {
    const response = await fetch(url, { method: options.method ?? 'GET', headers, ...(body === undefined ? {} : { body }), signal })
    return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason
    throw new NetworkError(url, error)
  }
}

/** The server's own words for an error: `{"error": "..."}`, or the start of the body. */
export function errorText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('utf8')
  try {
    const parsed = JSON.parse(text) as { error?: unknown }
    if (typeof parsed.error === 'string') return parsed.error
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 200).trim() || 'no details'
}

/** Turns a non-2xx answer into a TargetError naming what went wrong. */
export function failure(url: string, status: number, bytes: Uint8Array): TargetError {
  const said = errorText(bytes)
  if (status === 401) return new TargetError('auth', `${url} refused the token (401 Unauthorized): the admin token is wrong or missing (${said})`, status)
  if (status === 403) return new TargetError('forbidden', `${url} refused the request (403): ${said}`, status)
  if (status === 404) return new TargetError('not-found', `${url}: not found (${said})`, status)
  if (status === 409) return new TargetError('conflict', `${url}: ${said}`, status)
  if (status === 413) return new TargetError('too-large', `${url}: too large (${said})`, status)
  if (status >= 500) return new TargetError('server', `${url}: the server failed (${status}): ${said}`, status)
  return new TargetError('rejected', `${url}: rejected (${status}): ${said}`, status)
}

export async function callJson<T>(url: string, options: CallOptions = {}): Promise<T> {
  const answer = await call(url, options)
  if (answer.status < 200 || answer.status >= 300) throw failure(url, answer.status, answer.bytes)
  const text = Buffer.from(answer.bytes).toString('utf8')
  if (text.length === 0) return {} as T
  try {
    return JSON.parse(text) as T
  } catch {
    throw new TargetError('server', `${url}: the answer is not JSON`)
  }
}

export interface StreamUpload {
  readonly url: string
  readonly token?: string
  readonly headers: Readonly<Record<string, string>>
  /** The whole body, in order (metadata first, then the file). */
  readonly body: () => Readable
  readonly contentLength: number
  readonly onSent?: (bytes: number) => void
  readonly signal?: AbortSignal
  readonly timeoutMs?: number
}

/** POSTs a streamed body with a known length; rejects with NetworkError if the connection drops. */
export function streamUpload(upload: StreamUpload): Promise<{ status: number; bytes: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const target = new URL(upload.url)
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest
    const headers: Record<string, string> = { ...upload.headers, 'content-length': String(upload.contentLength) }
    if (upload.token) headers['authorization'] = `Bearer ${upload.token}`
    let settled = false
    const fail = (error: unknown): void => {
      if (settled) return
      settled = true
      request.destroy()
      body.destroy()
      reject(upload.signal?.aborted ? upload.signal.reason : error instanceof TargetError ? error : new NetworkError(upload.url, error))
    }
    const request = send(target, { method: 'POST', headers, timeout: upload.timeoutMs ?? DEFAULT_TIMEOUT_MS, ...(upload.signal ? { signal: upload.signal } : {}) })
    const body = upload.body()
    let sent = 0
    body.on('data', (chunk: Buffer) => {
      sent += chunk.length
      upload.onSent?.(sent)
      if (!request.write(chunk)) body.pause()
    })
    request.on('drain', () => body.resume())
    body.on('end', () => request.end())
    body.on('error', fail)
    request.on('timeout', () => fail(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })))
    request.on('error', fail)
    request.on('response', (response: IncomingMessage) => {
      const parts: Buffer[] = []
      response.on('data', (chunk: Buffer) => parts.push(chunk))
      response.on('error', fail)
      response.on('end', () => {
        if (settled) return
        // An answer before the whole body went out (an early 401/413) is still the server's answer.
        settled = true
        body.destroy()
        resolve({ status: response.statusCode ?? 0, bytes: new Uint8Array(Buffer.concat(parts)) })
      })
    })
  })
}
