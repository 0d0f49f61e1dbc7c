// The server's default limits, apart from the server itself: `slipway --help` shows them without loading
// fastify and onnxruntime-node.
export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8000,
  maxBodyBytes: 64 * 1024 * 1024,
  maxJsonBodyBytes: 16 * 1024 * 1024,
  maxBytesElements: 1 << 20,
  maxUploadBytes: 8 * 1024 * 1024 * 1024,
  uploadIdleTimeoutMs: 60_000,
  maxJsonDepth: 32,
  maxQueueSize: 100,
  queueTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderSize: 16 * 1024,
}
