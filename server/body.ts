// Request bodies: read into one buffer of the declared size as they arrive (no concatenation of a large
// body at the end, which would hold the event loop), bounded by a limit, and by a wall clock for every
// route but uploads (which have their own progress-based timeout).
import type { IncomingMessage } from 'node:http'
import { HttpError } from './http-error'

/** Reads a body of at most `limit` bytes. Past the limit the rest is read and dropped, so the 413 reaches the client. */
export function collectBody(payload: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(payload.headers['content-length'])
    const known = payload.headers['content-length'] !== undefined && Number.isSafeInteger(declared) && declared <= limit
    const out = known ? Buffer.allocUnsafe(declared) : undefined
    const chunks: Buffer[] = []
    let size = 0
    const stop = (error: HttpError): void => {
      payload.removeListener('data', onData)
      payload.on('data', () => undefined)
      reject(error)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) return stop(new HttpError(413, `the request body is larger than the ${limit}-byte limit`))
      if (!out) return void chunks.push(chunk)
      if (size > out.length) return stop(new HttpError(400, 'the body is longer than its Content-Length'))
      chunk.copy(out, size - chunk.length)
    }
    payload.on('data', onData)
    payload.once('end', () => {
      if (out && size !== out.length) return reject(new HttpError(400, 'the request body was cut short'))
      resolve(out ?? Buffer.concat(chunks, size))
    })
    payload.once('aborted', () => reject(new HttpError(400, 'the request body was cut short')))
    payload.once('error', () => reject(new HttpError(400, 'the request body was cut short')))
  })
}

/**
 * Answers 408 and closes the connection when the body has not fully arrived `ms` after the headers did:
 * what Node's own requestTimeout does, which the server turns off because it would cut uploads too.
 */
export function bodyDeadline(raw: IncomingMessage, ms: number): void {
  if (ms <= 0 || raw.complete) return
  const timer = setTimeout(() => {
    if (raw.complete || raw.socket.destroyed) return
    // Node's path for its own timeout: the server's clientError handler writes the 408 and closes.
    raw.socket.emit('error', Object.assign(new Error('request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }))
  }, ms)
  timer.unref()
  raw.once('close', () => clearTimeout(timer))
}
