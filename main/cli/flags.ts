// Parsing command-line flag values into numbers and choices, with errors that name the flag.
import { UserError } from '../core/errors'

export function parseNumberFlag(flag: string, value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n)) throw new UserError(`${flag} must be a number (got '${value}')`)
  return n
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!allowed.includes(value as T)) throw new UserError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`)
  return value as T
}
