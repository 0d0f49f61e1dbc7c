// The Open Inference Protocol (KServe v2) routes, with Triton's model_configuration and statistics
// extensions, and Prometheus /metrics.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { HttpError } from './http-error'
import { decodeInputs, encodeInferResponse, parseInferHead, type Tensor } from './infer-codec'
import type { FailureReason } from './metrics'
import { configToJson, type ModelConfig, type TensorConfig } from '../main/core/serving/model-config'
import { checkModelName, parseVersion } from './repository'
import { checkRequest, rawInput } from './request-check'
import { scoped, type ModelParams, type ServerContext } from './server-context'

export const SERVER_NAME = 'slipway'
export const SERVER_VERSION = '0.1.0'
export const EXTENSIONS = ['binary_tensor_data', 'model_repository', 'model_configuration', 'statistics', 'parameters']

function target(params: ModelParams): { name: string; version: number | undefined } {
  return {
    name: checkModelName(params.name),
    version: params.version === undefined ? undefined : parseVersion(params.version),
  }
}

function metadataTensor(config: ModelConfig, tensor: TensorConfig): Record<string, unknown> {
  return { name: tensor.name, datatype: tensor.datatype, shape: config.maxBatchSize > 0 ? [-1, ...tensor.dims] : tensor.dims }
}

function headerLength(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) throw new HttpError(400, 'Inference-Header-Content-Length is out of range')
  return Number(value)
}

function failureReason(error: unknown): FailureReason {
  if (!(error instanceof HttpError)) return 'BACKEND'
  return error.status === 503 || error.status === 504 ? 'REJECTED' : error.status >= 500 ? 'BACKEND' : 'OTHER'
}

export function registerInferenceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { manager, metrics } = ctx

  app.get('/v2/health/live', scoped('public'), async () => ({ live: true }))
  app.get('/v2/health/ready', scoped('public'), async (_request, reply) => {
    const ready = manager.allReady()
    return reply.code(ready ? 200 : 400).send({ ready })
  })
  app.get('/v2', scoped('inference'), async () => ({ name: SERVER_NAME, version: SERVER_VERSION, extensions: EXTENSIONS }))

  const modelMetadata = async (request: FastifyRequest<{ Params: ModelParams }>) => {
    const { name, version } = target(request.params)
    const { entry } = manager.resolve(name, version)
    const config = entry.config!
    return {
      name,
      versions: [...entry.loaded.keys()].sort((a, b) => a - b).map(String),
      platform: config.platform,
      inputs: config.inputs.map((t) => metadataTensor(config, t)),
      outputs: config.outputs.map((t) => metadataTensor(config, t)),
    }
  }
  app.get('/v2/models/:name', scoped('inference'), modelMetadata)
  app.get('/v2/models/:name/versions/:version', scoped('inference'), modelMetadata)

  const modelReady = async (request: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
    const { name, version } = target(request.params)
    manager.resolve(name, version)
    return reply.code(200).send({ name, ready: true })
  }
  app.get('/v2/models/:name/ready', scoped('inference'), modelReady)
  app.get('/v2/models/:name/versions/:version/ready', scoped('inference'), modelReady)

  const modelConfig = async (request: FastifyRequest<{ Params: ModelParams }>) => {
    const { name, version } = target(request.params)
    return configToJson(manager.resolve(name, version).entry.config!)
  }
  app.get('/v2/models/:name/config', scoped('inference'), modelConfig)
  app.get('/v2/models/:name/versions/:version/config', scoped('inference'), modelConfig)

  const infer = async (request: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
    const started = process.hrtime.bigint()
    const { name, version } = target(request.params)
    const { entry, loaded } = manager.resolve(name, version)
    const config = entry.config!
    try {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      const head = await parseInferHead(body, headerLength(request.headers['inference-header-content-length']), ctx.limits, () => {
        const raw = rawInput(config)
        if (!raw) throw new HttpError(400, 'a raw binary request needs a model with exactly one fixed-shape input')
        return raw
      })
      // Header first: a request the model cannot take is refused before a byte of its data is decoded.
      checkRequest(config, head)
      const parsed = await decodeInputs(body, head, ctx.limits)
      if (loaded.drift) for (const input of parsed.inputs) loaded.drift.observe(input.name, input.data)
      const result = await loaded.runner.run(parsed.inputs)
      const byName = new Map(result.outputs.map((t) => [t.name, t]))
      const wanted = parsed.outputs ?? config.outputs.map((o) => ({ name: o.name, binary: parsed.binaryDefault }))
      const selected = wanted.map(({ name: outputName, binary }) => ({ tensor: byName.get(outputName) as Tensor, binary }))
      const meta = { modelName: name, modelVersion: String(loaded.version), ...(parsed.id !== undefined ? { id: parsed.id } : {}) }
      const encoded = encodeInferResponse(meta, selected)
      const batch = config.maxBatchSize > 0 ? (parsed.inputs[0]?.shape[0] ?? 1) : 1
      loaded.recorder.succeeded(batch, Number(process.hrtime.bigint() - started), result.timing)
      if (encoded.headerLength !== undefined) {
        reply.header('inference-header-content-length', String(encoded.headerLength))
        reply.type('application/octet-stream')
      } else {
        reply.type('application/json')
      }
      return reply.send(encoded.body)
    } catch (error) {
      loaded.recorder.failed(failureReason(error), Number(process.hrtime.bigint() - started))
      throw error
    }
  }
  app.post('/v2/models/:name/infer', scoped('inference'), infer)
  app.post('/v2/models/:name/versions/:version/infer', scoped('inference'), infer)

  const stats = async (request: FastifyRequest<{ Params: Partial<ModelParams> }>) => {
    const name = request.params.name === undefined ? undefined : checkModelName(request.params.name)
    const version = request.params.version === undefined ? undefined : parseVersion(request.params.version)
    if (name !== undefined && !manager.entry(name)) throw new HttpError(404, `unknown model '${name}'`)
    const recorders = metrics.recordersOf(name).filter((r) => version === undefined || r.version === version)
    if (version !== undefined && recorders.length === 0) throw new HttpError(404, `model '${name}' has no version ${version}`)
    return { model_stats: recorders.map((r) => r.stat()) }
  }
  app.get('/v2/models/stats', scoped('inference'), stats)
  app.get('/v2/models/:name/stats', scoped('inference'), stats)
  app.get('/v2/models/:name/versions/:version/stats', scoped('inference'), stats)

  app.get('/metrics', scoped('inference'), async (_request, reply) => {
    reply.type(metrics.registry.contentType)
    return metrics.registry.metrics()
  })
}
