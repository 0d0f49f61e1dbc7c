// The browser host: the same contract as Electron's IPC, over HTTP + WebSocket on loopback, guarded by a
// random token (as Jupyter does) and by Host/Origin checks against DNS rebinding and cross-site requests.
// It also serves the built renderer, so `slipway ui` is the workbench in any browser.
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join, normalize, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import fastifyStatic from '@fastify/static'
import fastifyWebsocket from '@fastify/websocket'
import { apiMethods, eventNames, type ApiMethod } from '../../preload/api'
import type { AppService } from '../core/app-service'
import { parseArgs } from '../core/api-schemas'
import { toErrorInfo, UserError } from '../core/errors'
import { tokenDigest, tokenMatches } from '../core/serving/token'

export interface WebHostOptions {
  readonly service: AppService
  /** Folder of the built renderer (index.html and its assets). */
  readonly staticDir: string
  readonly host?: string
  /** 0 picks a free port. */
  readonly port?: number
  /** Fixed token (tests); random otherwise. */
  readonly token?: string
}

export interface WebHost {
  /** The URL to open, with the token in it. */
  readonly url: string
  readonly origin: string
  readonly token: string
  close(): Promise<void>
}

export const TOKEN_HEADER = 'x-slipway-token'
const MAX_UPLOAD_BYTES = 8 * 1024 ** 3

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const tokenKept = tokenDigest(token)
  const hostName = options.host ?? '127.0.0.1'
  // Stopping cuts keep-alive connections: an open page must not hold the host's exit.
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024, forceCloseConnections: true })
  const allowedHosts = new Set<string>()
  const allowedOrigins = new Set<string>()

  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload))

  // Every request: the Host must be ours (DNS rebinding), and a cross-site Origin is refused.
  app.addHook('onRequest', async (request, reply) => {
    if (!allowedHosts.has(request.headers.host ?? '')) return reply.code(403).send({ error: 'refused: unexpected Host header' })
    const requestOrigin = request.headers.origin
    if (requestOrigin !== undefined && !allowedOrigins.has(requestOrigin))
      return reply.code(403).send({ error: 'refused: request from another origin' })
    return undefined
  })

  const requireToken = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const query = request.query as { token?: string }
    const given = (request.headers[TOKEN_HEADER] as string | undefined) ?? query.token
    if (!tokenMatches(given, tokenKept)) await reply.code(401).send({ error: 'refused: missing or wrong access token' })
  }

  await app.register(fastifyWebsocket, {
    // The default waits for each page to answer the closing handshake (30 s when it does not); a stopping host
    // drops its event sockets, and the page reconnects to the next host.
    preClose(done) {
      for (const client of this.websocketServer.clients) client.terminate()
      this.websocketServer.close()
      done()
    },
  })
  await app.register(async (scope) => {
    scope.addHook('onRequest', requireToken)

    scope.post<{ Params: { method: string }; Body: { args?: unknown } }>('/api/:method', async (request, reply) => {
      const method = request.params.method as ApiMethod
      if (!(apiMethods as readonly string[]).includes(method)) return reply.code(404).send({ error: { name: 'UserError', message: `no such call: ${method}` } })
      try {
        const args = parseArgs(method, request.body?.args ?? [])
        const result = await (options.service.api[method] as (...a: unknown[]) => Promise<unknown>)(...(args as unknown[]))
        return { result: result ?? null }
      } catch (error) {
        return reply.code(error instanceof UserError ? 400 : 500).send({ error: toErrorInfo(error) })
      }
    })

    // Dropped files arrive one request each, into a staging folder; importModel({kind:'upload'}) then imports it.
    scope.post('/upload', async () => {
      const upload = await options.service.createUpload()
      return { uploadId: upload.id }
    })
    scope.put<{ Params: { id: string; '*': string } }>('/upload/:id/*', async (request, reply) => {
      const dir = options.service.uploadDir(request.params.id)
      const relative = normalize(request.params['*'])
      const target = join(dir ?? '', relative)
      // A refused or broken file fails the whole upload (the page stops the import), so its folder goes now.
      const discard = (): Promise<void> => options.service.discardUpload(request.params.id)
      if (!dir || relative.startsWith('..') || !target.startsWith(dir + sep)) {
        await discard()
        return reply.code(400).send({ error: { name: 'UserError', message: 'refused upload path' } })
      }
      const length = Number(request.headers['content-length'] ?? 0)
      if (length > MAX_UPLOAD_BYTES) {
        await discard()
        return reply.code(413).send({ error: { name: 'UserError', message: 'file too large' } })
      }
      try {
        await mkdir(dirname(target), { recursive: true })
        await pipeline(request.body as NodeJS.ReadableStream, createWriteStream(target))
      } catch (error) {
        await discard()
        throw error
      }
      return { ok: true }
    })

    scope.get('/events', { websocket: true }, (socket) => {
      const unsubscribe = eventNames.map((event) =>
        options.service.on(event, (payload) => socket.send(JSON.stringify({ event, payload }))),
      )
      socket.on('close', () => unsubscribe.forEach((off) => off()))
    })
  })

  await app.register(fastifyStatic, { root: options.staticDir, index: 'index.html' })

  await app.listen({ host: hostName, port: options.port ?? 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port ?? 0
  const origin = `http://${hostName}:${port}`
  for (const name of hostName === '127.0.0.1' ? [hostName, 'localhost'] : [hostName]) {
    allowedHosts.add(`${name}:${port}`)
    allowedOrigins.add(`http://${name}:${port}`)
  }
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: () => app.close(),
  }
}

