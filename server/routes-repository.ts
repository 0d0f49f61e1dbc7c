// Triton's model repository extension: index, load (with `config` and `file:` overrides) and unload.
// `file:<version>/<path>` keys are parsed strictly and the path is never joined onto a directory:
// only `model.onnx` is accepted, and it is written under the server's own fixed name.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HttpError } from './http-error'
import { parseJsonLimited } from './json-guard'
import { configFromJson, VERSION_PATTERN } from '../main/core/serving/model-config'
import { checkModelName, MODEL_FILE } from './repository'
import { scoped, type ModelParams, type ServerContext } from './server-context'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const MAX_OVERRIDE_FILES = 16

function bodyJson(request: FastifyRequest, depth: number): Record<string, unknown> {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
  if (body.length === 0) return {}
  const json = parseJsonLimited(body, depth)
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new HttpError(400, 'the body must be a JSON object')
  return json as Record<string, unknown>
}

/** Parses `file:<version>/<path>` keys into version → bytes; refuses anything but `<n>/model.onnx`. */
export function parseFileOverrides(parameters: Record<string, unknown>): Map<number, Buffer> {
  const files = new Map<number, Buffer>()
  for (const [key, value] of Object.entries(parameters)) {
    if (!key.startsWith('file:')) continue
    const slash = key.indexOf('/')
    const version = key.slice(5, slash < 0 ? undefined : slash)
    const path = slash < 0 ? '' : key.slice(slash + 1)
    if (!VERSION_PATTERN.test(version)) throw new HttpError(400, 'file override: the version must be a positive integer')
    if (path !== MODEL_FILE) throw new HttpError(400, `file override: only '<version>/${MODEL_FILE}' is accepted`)
    if (typeof value !== 'string' || !BASE64.test(value)) throw new HttpError(400, 'file override: the content must be base64')
    if (files.size >= MAX_OVERRIDE_FILES) throw new HttpError(400, 'file override: too many files')
    files.set(Number(version), Buffer.from(value, 'base64'))
  }
  return files
}

export function registerRepositoryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { manager, publisher } = ctx

  app.post('/v2/repository/index', scoped('admin'), async (request) => {
    const readyOnly = bodyJson(request, 4)['ready'] === true
    const rows: Record<string, unknown>[] = []
    for (const name of await manager.repo.listModels()) {
      const entry = manager.entry(name)
      if (entry?.state === 'READY') {
        for (const version of [...entry.loaded.keys()].sort((a, b) => a - b)) rows.push({ name, version: String(version), state: 'READY', reason: '' })
      } else if (!readyOnly) {
        rows.push({ name, state: 'UNAVAILABLE', reason: entry?.reason ?? 'not loaded' })
      }
    }
    return rows
  })

  app.post('/v2/repository/models/:name/load', scoped('admin'), async (request: FastifyRequest<{ Params: ModelParams }>) => {
    const name = checkModelName(request.params.name)
    const parameters = bodyJson(request, 8)['parameters'] ?? {}
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
      throw new HttpError(400, 'parameters must be an object')
    }
    const params = parameters as Record<string, unknown>
    const files = parseFileOverrides(params)
    const configText = params['config']
    if (configText === undefined) {
      if (files.size > 0) throw new HttpError(400, 'file overrides need a config parameter')
      await manager.load(name)
      return {}
    }
    if (typeof configText !== 'string') throw new HttpError(400, 'config must be a string holding ModelConfig JSON')
    let configJson: unknown
    try {
      configJson = JSON.parse(configText)
    } catch {
      throw new HttpError(400, 'config is not valid JSON')
    }
    const config = configFromJson(configJson, name)
    if (files.size > 0) await publisher.loadOverride(name, config, files)
    else await manager.load(name, config)
    return {}
  })

  app.post('/v2/repository/models/:name/unload', scoped('admin'), async (request: FastifyRequest<{ Params: ModelParams }>) => {
    await manager.unload(checkModelName(request.params.name))
    return {}
  })
}
