// How the CLI talks: results on stdout (text or --json), progress and errors on stderr, exit code 1 on error.
import { toErrorInfo } from '../core/errors'
import { inputSpecHint } from './input-spec-options'

export function reportCliError(error: unknown): void {
  const info = toErrorInfo(error)
  process.stderr.write(`slipway: ${info.message}${info.name === 'UnchangedError' ? '; no file was written' : ''}\n`)
  const hint = inputSpecHint(info)
  if (hint) process.stderr.write(`slipway: ${hint}\n`)
  if (info.name === 'InternalError' && process.env.SLIPWAY_DEBUG && error instanceof Error) {
    process.stderr.write(`${error.stack ?? ''}\n`)
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** A progress line on stderr that rewrites itself on a terminal and prints sparse lines otherwise. */
export function progressPrinter(label: string): (fraction: number, stage: string, detail?: string) => void {
  let lastLine = ''
  let lastPrinted = 0
  return (fraction, stage, detail) => {
    const line = `${label}: ${stage} ${Math.round(fraction * 100)}%${detail ? ` (${detail})` : ''}`
    if (line === lastLine) return
    lastLine = line
    if (process.stderr.isTTY) {
      process.stderr.write(`\r\x1b[2K${line}${fraction >= 1 ? '\n' : ''}`)
    } else if (Date.now() - lastPrinted > 1000 || fraction >= 1) {
      lastPrinted = Date.now()
      process.stderr.write(`${line}\n`)
    }
  }
}
