// Resident memory of the current process, from /proc on Linux: the benchmark reports the worker's peak
// above its idle baseline. The peak (VmHWM) is reset first so start-up work does not count.
import { readFile, writeFile } from 'node:fs/promises'

async function statusField(field: 'VmRSS' | 'VmHWM'): Promise<number | undefined> {
  try {
    const status = await readFile('/proc/self/status', 'utf8')
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

/** Resets the peak-RSS mark (Linux ≥ 4.0) and returns the resident bytes now, the idle baseline. */
export async function startMemoryWatch(): Promise<number> {
  try {
    await writeFile('/proc/self/clear_refs', '5')
  } catch {
    // Not Linux, or not allowed: the peak then counts from process start, an overestimate.
  }
  return (await statusField('VmRSS')) ?? process.memoryUsage().rss
}

/** Peak resident bytes since startMemoryWatch (the current RSS where the peak is not available). */
export async function peakRss(): Promise<number> {
  return (await statusField('VmHWM')) ?? process.memoryUsage().rss
}
