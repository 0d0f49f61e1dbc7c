// Byte sizes in words, one way everywhere (the UI, the CLI and the engine's messages): IEC units, three
// significant digits. Here because preload/ is the one place the renderer and the engine may both import.

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
