// Numbers in words, one way everywhere (the UI, the CLI and the engine's messages): byte sizes in IEC units
// with three significant digits, tensor shapes in brackets, and intervals. Here because preload/ is the one
// place the renderer and the engine may both import.
import type { Estimate } from './api-results'

/** 512 → "512 B", 1536 → "1.50 KiB", 50·2^20 → "50.0 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`
}

/** [1, 3, 224, 224] → "[1,3,224,224]"; a model that gives no shape: "unknown shape". */
export function formatDims(dims: readonly unknown[] | undefined): string {
  return dims ? `[${dims.join(',')}]` : 'unknown shape'
}

/** The half-width of an interval around its value, in the value's unit: the larger side, so it never understates. */
export function halfWidth(e: Estimate): number {
  return Math.max(e.high - e.value, e.value - e.low)
}

/** An interval's ends, scaled (100 turns a fraction into percent): "96.11–97.92". */
export function formatRange(e: Estimate, scale = 1, digits = 2): string {
  return `${(e.low * scale).toFixed(digits)}–${(e.high * scale).toFixed(digits)}`
}
