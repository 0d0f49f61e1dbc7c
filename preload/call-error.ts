// A failed call as the renderer receives it: the engine's ErrorInfo, kept whole so that the UI can word
// it from its structured fields. Electron's contextBridge keeps only an Error's message, so the preload
// rejects with the plain ErrorInfo; the browser bridge throws a CallError holding it.
import type { ErrorInfo } from './api-jobs'

export class CallError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message)
    this.name = info.name
  }
}

function isErrorInfo(value: unknown): value is ErrorInfo {
  return typeof value === 'object' && value !== null && typeof (value as ErrorInfo).name === 'string' && typeof (value as ErrorInfo).message === 'string'
}

/** The ErrorInfo of anything a call or the UI's own code threw. */
export function errorInfoOf(error: unknown): ErrorInfo {
  if (error instanceof CallError) return error.info
  if (error instanceof Error) return { name: error.name, message: error.message }
  if (isErrorInfo(error)) return error
  return { name: 'Error', message: String(error) }
}
