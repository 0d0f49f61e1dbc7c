// `startServer`: the Slipway inference server on fastify, serving a Triton-layout repository.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify'
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { UserError } from '../main/core/errors'
import { isLoopbackHost, OriginCheck, TokenCheck } from './auth'
import { bodyDeadline, collectBody } from './body'
import { HttpError } from './http-error'
import { ServerMetrics } from './metrics'
import { ModelConfigError } from '../main/core/serving/model-config'
import { ModelManager } from './model-manager'
import type { RuntimeOptions } from './model-session'
import { PbtxtError } from '../main/core/serving/pbtxt'
import { MAX_METADATA_BYTES, Publisher, type Checkpoint } from './publisher'
import { Repository } from './repository'
import { registerAdminRoutes, registerUploadRoute } from './routes-admin'
import { registerInferenceRoutes } from './routes-inference'
import { registerRepositoryRoutes } from './routes-repository'
import type { RouteOptions, ServerContext } from './server-context'
import { DEFAULTS } from './server-defaults'

export interface ServerOptions {
  repo: string
  /** Staging and trash; defaults to `.<repo-name>.slipway` beside the repository (same file system). */
  stateDir?: string
  host?: string
  /** 0 picks a free port. */
  port?: number
  adminToken?: string
  inferToken?: string
  tls?: { cert: string | Buffer; key: string | Buffer }
  /** Names besides loopback and the bind address that may appear in the Host header. */
  allowedHosts?: string[]
  /** Largest request body with binary tensors (or any other body). */
  maxBodyBytes?: number
  /** Largest infer body that is JSON only: JSON numbers take several times their binary size to decode. */
  maxJsonBodyBytes?: number
  /** Most BYTES elements in one infer request. */
  maxBytesElements?: number
  /** Model plus external data files of one upload. */
  maxUploadBytes?: number
  /** An upload that sends no byte for this long is ended (408); there is no cap on its duration. */
  uploadIdleTimeoutMs?: number
  maxJsonDepth?: number
  maxQueueSize?: number
  /** A request queued longer than this is answered 504 without running. */
  queueTimeoutMs?: number
  headersTimeoutMs?: number
  requestTimeoutMs?: number
  keepAliveTimeoutMs?: number
  maxHeaderSize?: number
  /** ONNX Runtime intra-op threads per session; 0 leaves ONNX Runtime's default. */
  intraOpThreads?: number
  /** Crash-test hook: stop at this publish step (printing `slipway-paused:<point>`) until killed. */
  pauseAt?: string
  log?: boolean
}

export interface RunningServer {
  url: string
  close(): Promise<void>
}

function sendError(error: unknown, reply: { code(c: number): unknown; headers(h: Record<string, string>): unknown; send(b: unknown): unknown }, app: FastifyInstance): void {
  if (error instanceof HttpError) {
    reply.headers(error.headers)
    reply.code(error.status)
    reply.send({ error: error.message })
    return
  }
  if (error instanceof ModelConfigError || error instanceof PbtxtError) {
    reply.code(400)
    reply.send({ error: error.message })
    return
  }
  const status = (error as FastifyError).statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own client errors (body too large, bad content type) carry no paths.
    reply.code(status)
    reply.send({ error: (error as Error).message })
    return
  }
  app.log.error(error)
  reply.code(500)
  reply.send({ error: 'internal server error' })
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const o = { ...DEFAULTS, ...options }
  if (!isLoopbackHost(o.host) && !o.inferToken) {
    throw new UserError(`refusing to serve inference on ${o.host} without a token: give --infer-token-file, or bind to 127.0.0.1`)
  }
  const repo = new Repository(o.repo, o.stateDir)
  await repo.init()
  const metrics = new ServerMetrics()
  const runtime: RuntimeOptions = { defaultQueueSize: o.maxQueueSize, queueTimeoutMs: o.queueTimeoutMs, intraOpThreads: o.intraOpThreads ?? 0 }
  const manager = new ModelManager(repo, metrics, runtime)
  const checkpoint: Checkpoint = async (point) => {
    if (o.pauseAt !== point) return
    process.stdout.write(`slipway-paused:${point}\n`)
    await new Promise<never>(() => undefined)
  }
  const publisher = new Publisher(manager, repo, metrics, runtime, { maxBytes: o.maxUploadBytes, idleTimeoutMs: o.uploadIdleTimeoutMs }, checkpoint)
  const ctx: ServerContext = {
    manager,
    publisher,
    metrics,
    tokens: new TokenCheck({ admin: o.adminToken, inference: o.inferToken }),
    origins: new OriginCheck(o.host, o.allowedHosts ?? []),
    limits: { maxTensorBytes: o.maxBodyBytes, maxBytesElements: o.maxBytesElements, maxJsonDepth: o.maxJsonDepth, maxRank: 8, maxTensors: 64 },
  }

  const serverOptions = {
    maxHeaderSize: o.maxHeaderSize,
    // Node's request timeout is one wall clock for every route; uploads need a progress-based one instead,
    // so both are kept here: bodyDeadline for the other routes, Publisher.receive for uploads.
    requestTimeout: 0,
    headersTimeout: o.headersTimeoutMs,
    keepAliveTimeout: o.keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (30 s by default).
    connectionsCheckingInterval: Math.min(1000, o.headersTimeoutMs),
  }
  const app = Fastify({
    logger: o.log ? { level: 'info' } : false,
    bodyLimit: o.maxBodyBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
      const server = o.tls
        ? createHttpsServer({ ...serverOptions, cert: o.tls.cert, key: o.tls.key }, handler)
        : createHttpServer(serverOptions, handler)
      server.maxHeadersCount = 100
      return server
    },
  })
  app.setErrorHandler((error, _request, reply) => sendError(error, reply, app))
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }))
  app.removeAllContentTypeParsers()
  const bodyLimit = (request: FastifyRequest): number =>
    (request.routeOptions.config as RouteOptions).upload
      ? o.maxUploadBytes + MAX_METADATA_BYTES
      : request.headers['inference-header-content-length'] === undefined && request.routeOptions.url?.endsWith('/infer') === true
        ? o.maxJsonBodyBytes
        : o.maxBodyBytes
  app.addContentTypeParser('*', (request, payload, done) => {
    collectBody(payload, bodyLimit(request)).then((body) => done(null, body), (error: Error) => done(error))
  })
  // A callback hook rather than an async one: it runs on every request, and needs no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const config = request.routeOptions.config as RouteOptions
    if (!config.upload) bodyDeadline(request.raw, o.requestTimeoutMs)
    // Refused before a byte of the body is read; the body is then read and dropped by Node (the
    // connection stays usable), so the client reads the 413 instead of a reset connection.
    const limit = bodyLimit(request)
    if (Number(request.headers['content-length'] ?? 0) > limit) return done(new HttpError(413, `the request body is larger than the ${limit}-byte limit`))
    const scope = config.scope ?? 'public'
    if (scope === 'public') return done()
    try {
      if (request.headers['content-encoding'] !== undefined && request.headers['content-encoding'] !== 'identity') {
        throw new HttpError(415, 'compressed request bodies are not accepted')
      }
      ctx.origins.require(scope, request.headers.host, request.headers.origin)
      ctx.tokens.require(scope, request.headers.authorization)
      done()
    } catch (error) {
      done(error as Error)
    }
  })

  registerInferenceRoutes(app, ctx)
  registerRepositoryRoutes(app, ctx)
  registerAdminRoutes(app, ctx)
  await app.register(async (scope) => registerUploadRoute(scope, ctx))

  await manager.loadAll()
  try {
    await app.listen({ host: o.host, port: o.port })
  } catch (error) {
    await manager.closeAll()
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new UserError(`port ${o.port} on ${o.host} is already in use`)
    if (code === 'EACCES') throw new UserError(`no permission to listen on port ${o.port} of ${o.host}`)
    if (code === 'EADDRNOTAVAIL') throw new UserError(`${o.host} is not an address of this machine`)
    throw error
  }
  const address = app.server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `${o.tls ? 'https' : 'http'}://${shownHost}:${address.port}`,
    close: async () => {
      await app.close()
      await manager.closeAll()
    },
  }
}
