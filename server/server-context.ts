// What the route modules share, and the scope each route declares for the auth hook.
import type { OriginCheck, Scope, TokenCheck } from './auth'
import type { CodecLimits } from './infer-codec'
import type { ServerMetrics } from './metrics'
import type { ModelManager } from './model-manager'
import type { Publisher } from './publisher'

export interface ServerContext {
  manager: ModelManager
  publisher: Publisher
  metrics: ServerMetrics
  tokens: TokenCheck
  origins: OriginCheck
  limits: CodecLimits
}

export type RouteScope = Scope | 'public'

/** What a route declares for the hooks: its auth scope, and whether it streams an upload. */
export interface RouteOptions {
  scope?: RouteScope
  upload?: boolean
}

export function scoped(scope: RouteScope, options: { upload?: boolean } = {}): { config: RouteOptions } {
  return { config: { scope, ...options } }
}

/** Route params after fastify's single percent-decoding; names and versions are validated by the caller. */
export interface ModelParams {
  name: string
  version?: string
}
