// ONNX Runtime's error messages as users see them. Its own module so that the engines that only need this
// do not load the runtime check's TF.js side with it.

/** ORT errors carry internal source paths; keep the part a user can act on. */
export function cleanOrtMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/\s*\[?\/[^\s\]]*onnxruntime[^\s\]]*\]?/g, ' ').replace(/\s+/g, ' ').trim()
}
