// The warning for a quantization that would change nothing. The CLI's message lists the first few nodes
// inline; the UI's first line gives the reason (or how many there are) and keeps every node behind its
// disclosure, since a conv net in dynamic mode leaves dozens.
import type { LeftAsIs } from '../../../preload/api'
import { UnchangedError } from '../errors'

/** `what` says which quantization ("in dynamic mode"); `message` is the CLI's words. */
export function nothingToQuantize(what: string, left: readonly LeftAsIs[], message: string): UnchangedError {
  const reasons = [...new Set(left.map((l) => l.reason))]
  const nodes = `${left.length} node${left.length === 1 ? '' : 's'}`
  const reason =
    reasons.length === 0 ? message : reasons.length === 1 ? `nothing to quantize ${what}: ${reasons[0]} (${nodes})` : `nothing to quantize ${what}: ${nodes} stay as they are, for ${reasons.length} reasons`
  return new UnchangedError(message, { reason, ...(left.length > 0 ? { details: left.map((l) => `${l.node}: ${l.reason}`) } : {}) })
}
