// JSON.parse with a nesting-depth limit checked by a linear scan first, so that `[[[[...]]]]` ten thousand
// deep is refused before the parser (or any recursive walk after it) sees it.
import { HttpError } from './http-error'

const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b
const CLOSE_BRACE = 0x7d
const CLOSE_BRACKET = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c

export function jsonDepth(bytes: Uint8Array): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if (inString) {
      if (b === BACKSLASH) i++
      else if (b === QUOTE) inString = false
    } else if (b === QUOTE) {
      inString = true
    } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      depth++
      if (depth > max) max = depth
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      depth--
    }
  }
  return max
}

export function parseJsonLimited(bytes: Uint8Array, maxDepth: number): unknown {
  if (jsonDepth(bytes) > maxDepth) throw new HttpError(400, `JSON nesting depth exceeds ${maxDepth}`)
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
  } catch {
    throw new HttpError(400, 'malformed JSON body')
  }
}
