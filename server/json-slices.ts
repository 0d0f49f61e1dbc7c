// A JSON infer body read in slices, so that a large body never holds the event loop for more than about
// a millisecond at a time. First the skeleton: the body with each `inputs[i].data` value cut out (its byte
// range kept), small enough to JSON.parse at once and check against the model before any tensor data is
// decoded. Then each input's data, decoded straight into its typed array, stopping at the first element
// past the shape the header declared.
import { DATATYPES, type Datatype, type TypedArray } from '../main/core/serving/datatypes'
import { HttpError } from './http-error'

/** Bytes of work between two yields to the event loop. */
export const SLICE_BYTES = 256 * 1024
/** The body without its tensor data (names, shapes, parameters) is never larger than this. */
export const MAX_SKELETON_BYTES = 256 * 1024

/** Lets other requests run; returns when the event loop has gone round once. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

function bad(message: string): never {
  throw new HttpError(400, message)
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const COMMA = 0x2c
const COLON = 0x3a

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09
}

/** Index just past the string that starts at `i` (a quote). */
function endOfString(bytes: Uint8Array, i: number): number {
  for (let j = i + 1; j < bytes.length; j++) {
    const b = bytes[j]
    if (b === BACKSLASH) j++
    else if (b === QUOTE) return j + 1
  }
  return bad('malformed JSON body')
}

/** Index just past the number or literal that starts at `i`. */
function endOfScalar(bytes: Uint8Array, i: number): number {
  let j = i
  while (j < bytes.length) {
    const b = bytes[j]!
    if (b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || isSpace(b)) break
    j++
  }
  return j
}

function text(bytes: Buffer, from: number, to: number): string {
  return bytes.toString('utf8', from, to)
}

function parseString(token: string, what: string): string {
  try {
    return JSON.parse(token) as string
  } catch {
    return bad(what)
  }
}

export interface Skeleton {
  /** The body with every input's data replaced by `null`. */
  json: unknown
  /** Byte range of each input's data, by the input's index in `inputs`. */
  spans: Map<number, [number, number]>
}

/**
 * Cuts the tensor data out of a JSON infer body. Nesting outside the data is limited to `maxDepth`, the
 * data's own nesting to `maxDataDepth`; what remains must fit MAX_SKELETON_BYTES.
 */
export async function jsonSkeleton(bytes: Buffer, maxDepth: number, maxDataDepth: number): Promise<Skeleton> {
  const containers: number[] = [] // OPEN_BRACE or OPEN_BRACKET, innermost last
  const keys: (string | undefined)[] = [] // the key each open container sits under
  let key: string | undefined
  let expectKey = false
  let inputIndex = -1
  let inputsSeen = false
  const spans = new Map<number, [number, number]>()
  const pieces: Uint8Array[] = []
  let copied = 0
  let nextYield = SLICE_BYTES
  let i = 0
  const atData = (): boolean =>
    containers.length === 3 && key === 'data' && keys[1] === 'inputs' && containers[0] === OPEN_BRACE && containers[1] === OPEN_BRACKET && containers[2] === OPEN_BRACE
  while (i < bytes.length) {
    if (i >= nextYield) {
      await yieldToLoop()
      nextYield = i + SLICE_BYTES
    }
    const b = bytes[i]!
    if (isSpace(b) || b === COLON) {
      i++
      continue
    }
    if (b === COMMA) {
      if (containers[containers.length - 1] === OPEN_BRACE) expectKey = true
      i++
      continue
    }
    if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      containers.pop()
      key = keys.pop()
      i++
      continue
    }
    if (expectKey) {
      if (b !== QUOTE) bad('malformed JSON body')
      const end = endOfString(bytes, i)
      key = end - i < 64 ? parseString(text(bytes, i, end), 'malformed JSON body') : undefined
      if (containers.length === 1 && key === 'inputs') {
        if (inputsSeen) bad('inputs given twice')
        inputsSeen = true
      }
      expectKey = false
      i = end
      continue
    }
    if (atData()) {
      const end = await endOfValue(bytes, i, maxDataDepth)
      spans.set(inputIndex, [i, end])
      pieces.push(bytes.subarray(copied, i), NULL)
      copied = end
      i = end
      continue
    }
    if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (b === OPEN_BRACE && containers.length === 2 && keys[1] === 'inputs' && containers[1] === OPEN_BRACKET) inputIndex++
      containers.push(b)
      keys.push(key)
      if (containers.length > maxDepth) bad(`JSON nesting depth exceeds ${maxDepth}`)
      key = undefined
      expectKey = b === OPEN_BRACE
      i++
      continue
    }
    i = b === QUOTE ? endOfString(bytes, i) : Math.max(i + 1, endOfScalar(bytes, i))
  }
  pieces.push(bytes.subarray(copied))
  const size = pieces.reduce((n, p) => n + p.length, 0)
  if (size > MAX_SKELETON_BYTES) bad(`the request without its tensor data exceeds ${MAX_SKELETON_BYTES} bytes`)
  try {
    return { json: JSON.parse(Buffer.concat(pieces).toString('utf8')), spans }
  } catch {
    return bad('malformed JSON body')
  }
}

const NULL = Buffer.from('null')

/** Index just past the JSON value (array, object, string or scalar) that starts at `i`, in slices. */
async function endOfValue(bytes: Uint8Array, i: number, maxDepth: number): Promise<number> {
  const first = bytes[i]
  if (first === QUOTE) return endOfString(bytes, i)
  if (first !== OPEN_BRACKET && first !== OPEN_BRACE) return endOfScalar(bytes, i)
  let depth = 0
  let nextYield = i + SLICE_BYTES
  for (let j = i; j < bytes.length; j++) {
    if (j >= nextYield) {
      await yieldToLoop()
      nextYield = j + SLICE_BYTES
    }
    const b = bytes[j]
    if (b === QUOTE) j = endOfString(bytes, j) - 1
    else if (b === OPEN_BRACKET || b === OPEN_BRACE) {
      if (++depth > maxDepth) bad(`JSON nesting depth exceeds ${maxDepth}`)
    } else if (b === CLOSE_BRACKET || b === CLOSE_BRACE) {
      if (--depth === 0) return j + 1
    }
  }
  return bad('malformed JSON body')
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/

/**
 * Decodes one input's JSON data (nested or flat arrays, or one scalar when the shape holds one element)
 * into its typed array, refusing the first element past `count` before reading any further.
 */
export async function readJsonData(bytes: Buffer, [start, end]: [number, number], datatype: Datatype, count: number, where: string): Promise<TypedArray | string[]> {
  if (datatype === 'FP16') bad(`${where}: FP16 is only accepted as binary data`)
  const info = DATATYPES[datatype]
  const target = info.make(count)
  const wide = target instanceof BigInt64Array || target instanceof BigUint64Array
  let n = 0
  let depth = 0
  let expectValue = true
  let justOpened = false
  let nextYield = start + SLICE_BYTES
  const malformed = (): never => bad(`${where}: malformed data`)
  for (let i = start; i < end; ) {
    if (i >= nextYield) {
      await yieldToLoop()
      nextYield = i + SLICE_BYTES
    }
    const b = bytes[i]!
    if (isSpace(b)) {
      i++
      continue
    }
    if (b === OPEN_BRACKET) {
      if (!expectValue) malformed()
      depth++
      justOpened = true
      i++
      continue
    }
    if (b === CLOSE_BRACKET) {
      if ((expectValue && !justOpened) || --depth < 0) malformed()
      expectValue = false
      justOpened = false
      i++
      continue
    }
    if (b === COMMA) {
      if (expectValue || depth === 0) malformed()
      expectValue = true
      i++
      continue
    }
    if (!expectValue || (depth === 0 && n > 0)) malformed()
    if (n >= count) bad(`${where}: more elements than the shape holds (${count})`)
    const tokenEnd = b === QUOTE ? endOfString(bytes, i) : endOfScalar(bytes, i)
    const token = text(bytes, i, tokenEnd)
    i = tokenEnd
    expectValue = false
    justOpened = false
    if (datatype === 'BYTES') {
      if (b !== QUOTE) bad(`${where}: BYTES elements must be strings`)
      ;(target as string[])[n++] = parseString(token, `${where}: malformed string`)
      continue
    }
    if (datatype === 'BOOL') {
      if (token !== 'true' && token !== 'false') bad(`${where}: BOOL elements must be true or false`)
      ;(target as Uint8Array)[n++] = token === 'true' ? 1 : 0
      continue
    }
    // JSON has no NaN or Infinity; everything else that is not a number is a client error.
    if (!JSON_NUMBER.test(token)) bad(`${where}: element ${n} is not a number`)
    const v = Number(token)
    if (!Number.isFinite(v)) bad(`${where}: element ${n} is not a number`)
    if (info.integer && (!Number.isInteger(v) || v < info.integer.min || v > info.integer.max)) {
      bad(`${where}: element ${n} is not a valid ${datatype}`)
    }
    if (wide) (target as BigInt64Array)[n++] = BigInt(v) as never
    else (target as Float64Array)[n++] = v
  }
  if (depth !== 0 || expectValue) malformed()
  if (n !== count) bad(`${where}: ${n} elements given, shape holds ${count}`)
  return target
}
