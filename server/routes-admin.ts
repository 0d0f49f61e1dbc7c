// Slipway's publishing API under /slipway (admin token): streamed upload, list, describe, promote,
// rollback, canary, delete and drift. server/README.md documents it for the publish client.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Readable } from 'node:stream'
import { z } from 'zod'
import { HttpError } from './http-error'
import { parseJsonLimited } from './json-guard'
import { servingVersion } from './model-manager'
import { checkModelName, parseVersion } from './repository'
import { scoped, type ModelParams, type ServerContext } from './server-context'

function parseBody<T>(request: FastifyRequest, schema: z.ZodType<T>): T {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
  const parsed = schema.safeParse(body.length === 0 ? {} : parseJsonLimited(body, 8))
  if (!parsed.success) throw new HttpError(400, `invalid body: ${parsed.error.issues[0]?.message ?? 'bad shape'}`)
  return parsed.data
}

const versionBody = z.object({ version: z.union([z.string(), z.number()]).transform(String) }).strict()
const rollbackBody = z.object({ version: z.union([z.string(), z.number()]).transform(String).optional() }).strict()
const canaryBody = z.object({ version: z.union([z.string(), z.number()]).transform(String), percent: z.number().min(0).max(100) }).strict()

export function registerAdminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { manager, publisher } = ctx

  app.get('/slipway/models', scoped('admin'), async () => {
    const models = []
    for (const name of await manager.repo.listModels()) {
      const entry = manager.entry(name)
      const loaded = [...(entry?.loaded.keys() ?? [])].sort((a, b) => a - b)
      const serving = entry?.config ? servingVersion(entry.config, loaded) : undefined
      models.push({
        name,
        state: entry?.state ?? 'UNAVAILABLE',
        serving: serving === undefined ? null : String(serving),
        versions: (await manager.repo.listVersions(name)).map(String),
      })
    }
    return { models }
  })

  app.get('/slipway/models/:name', scoped('admin'), async (request: FastifyRequest<{ Params: ModelParams }>) =>
    publisher.describe(checkModelName(request.params.name)),
  )

  app.post('/slipway/models/:name/promote', scoped('admin'), async (request: FastifyRequest<{ Params: ModelParams }>) => {
    const name = checkModelName(request.params.name)
    const version = parseVersion(parseBody(request, versionBody).version)
    await publisher.promote(name, version)
    return { model: name, serving: String(version) }
  })

  app.post('/slipway/models/:name/rollback', scoped('admin'), async (request: FastifyRequest<{ Params: ModelParams }>) => {
    const name = checkModelName(request.params.name)
    const given = parseBody(request, rollbackBody).version
    const serving = await publisher.rollback(name, given === undefined ? undefined : parseVersion(given))
    return { model: name, serving: String(serving) }
  })

  app.put('/slipway/models/:name/canary', scoped('admin'), async (request: FastifyRequest<{ Params: ModelParams }>) => {
    const name = checkModelName(request.params.name)
    const body = parseBody(request, canaryBody)
    await publisher.setCanary(name, parseVersion(body.version), body.percent)
    return { model: name, canary: { version: body.version, percent: body.percent } }
  })

  app.delete('/slipway/models/:name/canary', scoped('admin'), async (request: FastifyRequest<{ Params: ModelParams }>) => {
    const name = checkModelName(request.params.name)
    await publisher.clearCanary(name)
    return { model: name, canary: null }
  })

  app.delete('/slipway/models/:name/versions/:version', scoped('admin'), async (request: FastifyRequest<{ Params: ModelParams }>) => {
    const name = checkModelName(request.params.name)
    const version = parseVersion(request.params.version ?? '')
    await publisher.deleteVersion(name, version)
    return { model: name, deleted: String(version) }
  })

  app.get('/slipway/models/:name/versions/:version/drift', scoped('admin'), async (request: FastifyRequest<{ Params: ModelParams }>) => {
    const name = checkModelName(request.params.name)
    const version = parseVersion(request.params.version ?? '')
    const loaded = manager.entry(name)?.loaded.get(version)
    if (!loaded) throw new HttpError(404, `model '${name}' has no loaded version ${version}`)
    if (!loaded.drift) throw new HttpError(404, `version ${version} was published without input statistics`)
    return { model: name, version: String(version), inputs: loaded.drift.report() }
  })
}

/** The upload route lives in its own scope, whose body parser hands over the raw stream. */
export function registerUploadRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
  app.post('/slipway/models/:name/versions', scoped('admin', { upload: true }), async (request: FastifyRequest<{ Params: ModelParams }>, reply) => {
    const name = checkModelName(request.params.name)
    const lengthHeader = request.headers['slipway-metadata-length']
    const key = request.headers['idempotency-key']
    if (typeof lengthHeader !== 'string' || !/^\d{1,8}$/.test(lengthHeader)) {
      throw new HttpError(400, 'Slipway-Metadata-Length header is required')
    }
    if (Array.isArray(key)) throw new HttpError(400, 'one Idempotency-Key at most')
    const result = await ctx.publisher.upload(name, request.body as Readable, Number(lengthHeader), key)
    return reply.code(result.replayed ? 200 : 201).send(result)
  })
}
