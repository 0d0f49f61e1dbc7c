// Sizes in words, one way everywhere (the UI, the CLI and the engine's messages): bytes in IEC units with
// three significant digits, tensor shapes in brackets. Here because preload/ is the one place the renderer
// and the engine may both import.

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
