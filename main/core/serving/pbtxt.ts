// A small reader/writer for protobuf text format, enough for Triton's config.pbtxt: scalars, enums,
// strings, nested messages (with or without ':'), lists `[a, b]`, repeated fields and `#` comments.
// The reader is schema-less: every field maps to the list of values it was given, in order.

export type PbtxtScalar = string | number | boolean | PbtxtEnum
export type PbtxtValue = PbtxtScalar | PbtxtMessage
export interface PbtxtMessage {
  [field: string]: PbtxtValue[]
}

/** A bare identifier value such as `TYPE_FP32` or `KIND_CPU`, kept apart from quoted strings. */
export class PbtxtEnum {
  constructor(readonly name: string) {}
}

export class PbtxtError extends Error {
  override name = 'PbtxtError'
}

const MAX_DEPTH = 32

type Token =
  | { kind: 'punct'; value: string; pos: number }
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'string'; value: string; pos: number }

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' }

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++
    } else if ('{}[]:,;<>'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, pos: i })
      i++
    } else if (c === '"' || c === "'") {
      const start = i
      let value = ''
      i++
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\') {
          const escaped = ESCAPES[text[i + 1] ?? '']
          if (escaped === undefined) throw new PbtxtError(`unsupported escape at offset ${i}`)
          value += escaped
          i += 2
        } else {
          value += text[i]
          i++
        }
      }
      if (i >= text.length) throw new PbtxtError(`unterminated string at offset ${start}`)
      i++
      tokens.push({ kind: 'string', value, pos: start })
    } else {
      const match = /^[-+]?[A-Za-z0-9_.]+/.exec(text.slice(i, i + 256))
      if (!match) throw new PbtxtError(`unexpected character '${c}' at offset ${i}`)
      const word = match[0]
      const numeric = /^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)$/.test(word)
      tokens.push(numeric ? { kind: 'number', value: Number(word), pos: i } : { kind: 'ident', value: word, pos: i })
      i += word.length
    }
  }
  return tokens
}

class Parser {
  private at = 0
  constructor(private readonly tokens: Token[]) {}

  parseMessage(close: string | null, depth: number): PbtxtMessage {
    if (depth > MAX_DEPTH) throw new PbtxtError('messages nested too deeply')
    const message: PbtxtMessage = Object.create(null) as PbtxtMessage
    for (;;) {
      const token = this.tokens[this.at]
      if (!token) {
        if (close !== null) throw new PbtxtError(`missing '${close}' at end of input`)
        return message
      }
      if (token.kind === 'punct' && token.value === close) {
        this.at++
        return message
      }
      if (token.kind !== 'ident') throw new PbtxtError(`expected a field name at offset ${token.pos}`)
      this.at++
      const field = token.value
      let next = this.peek()
      const hasColon = next?.kind === 'punct' && next.value === ':'
      if (hasColon) {
        this.at++
        next = this.peek()
      }
      const values = (message[field] ??= [])
      if (next?.kind === 'punct' && next.value === '[') {
        this.at++
        this.parseList(values, depth)
      } else if (next?.kind === 'punct' && (next.value === '{' || next.value === '<')) {
        this.at++
        values.push(this.parseMessage(next.value === '{' ? '}' : '>', depth + 1))
      } else {
        if (!hasColon) throw new PbtxtError(`expected ':' after '${field}' at offset ${token.pos}`)
        values.push(this.parseScalar())
      }
      const sep = this.peek()
      if (sep?.kind === 'punct' && (sep.value === ',' || sep.value === ';')) this.at++
    }
  }

  private parseList(values: PbtxtValue[], depth: number): void {
    for (;;) {
      const token = this.peek()
      if (!token) throw new PbtxtError("missing ']' at end of input")
      if (token.kind === 'punct' && token.value === ']') {
        this.at++
        return
      }
      if (token.kind === 'punct' && (token.value === '{' || token.value === '<')) {
        this.at++
        values.push(this.parseMessage(token.value === '{' ? '}' : '>', depth + 1))
      } else {
        values.push(this.parseScalar())
      }
      const sep = this.peek()
      if (sep?.kind === 'punct' && sep.value === ',') this.at++
    }
  }

  private parseScalar(): PbtxtScalar {
    const token = this.tokens[this.at++]
    if (!token) throw new PbtxtError('expected a value at end of input')
    if (token.kind === 'number' || token.kind === 'string') return token.value
    if (token.kind === 'ident') {
      if (token.value === 'true' || token.value === 'True') return true
      if (token.value === 'false' || token.value === 'False') return false
      return new PbtxtEnum(token.value)
    }
    throw new PbtxtError(`expected a value at offset ${token.pos}`)
  }

  private peek(): Token | undefined {
    return this.tokens[this.at]
  }
}

export function parsePbtxt(text: string): PbtxtMessage {
  return new Parser(tokenize(text)).parseMessage(null, 0)
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

function writeScalar(value: PbtxtScalar): string {
  if (value instanceof PbtxtEnum) return value.name
  if (typeof value === 'string') return quote(value)
  return String(value)
}

/** Writes a message in the layout Triton's own examples use; fields keep their insertion order. */
export function writePbtxt(message: PbtxtMessage, indent = ''): string {
  let out = ''
  for (const [field, values] of Object.entries(message)) {
    const scalars = values.filter((v): v is PbtxtScalar => typeof v !== 'object' || v instanceof PbtxtEnum)
    if (scalars.length > 1 && scalars.length === values.length) {
      out += `${indent}${field}: [ ${scalars.map(writeScalar).join(', ')} ]\n`
      continue
    }
    for (const value of values) {
      if (typeof value === 'object' && !(value instanceof PbtxtEnum)) {
        out += `${indent}${field} {\n${writePbtxt(value, indent + '  ')}${indent}}\n`
      } else {
        out += `${indent}${field}: ${writeScalar(value)}\n`
      }
    }
  }
  return out
}
