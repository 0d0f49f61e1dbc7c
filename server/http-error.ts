// An error whose message is safe to send to the client as `{"error": message}` with this status.
// Anything else that escapes a handler is reported as a bare 500 without its message (it may hold paths).
export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}
