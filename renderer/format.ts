// Number formatting for the UI (byte sizes are formatted as the engine's messages are).
export { formatBytes } from '../preload/format'

/** 1234567 → "1.23 M"; small numbers stay exact. */
export function formatCount(value: number): string {
  if (value < 10_000) return value.toLocaleString('en-US')
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ]
  for (const [size, suffix] of units) if (value >= size) return `${(value / size).toFixed(value / size < 10 ? 2 : 1)} ${suffix}`
  return String(value)
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(0)} ms`
}

/** A time and its standard deviation over runs, in µs below a millisecond: "12.3 ± 4.1 µs", "2.41 ± 0.10 ms". */
export function formatSpread(meanMs: number, stdDevMs: number): string {
  return meanMs >= 1 ? `${meanMs.toFixed(2)} ± ${stdDevMs.toFixed(2)} ms` : `${(meanMs * 1000).toFixed(1)} ± ${(stdDevMs * 1000).toFixed(1)} µs`
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`
}
