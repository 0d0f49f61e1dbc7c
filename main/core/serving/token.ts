// Access tokens, checked one way by the browser host and the inference server: kept as sha256 digests and
// compared in constant time (digests have one length, so not even a token's length shows in the timing).
import { createHash, timingSafeEqual } from 'node:crypto'

export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

/** Whether a presented token is the one whose digest is kept; false when either is missing. */
export function tokenMatches(given: string | undefined, expected: Buffer | undefined): boolean {
  return given !== undefined && given !== '' && expected !== undefined && timingSafeEqual(tokenDigest(given), expected)
}
