// Bearer tokens and request-origin checks. Tokens are kept only as sha256 digests and compared in
// constant time; only the Authorization header counts (a token in a URL ends up in logs and histories).
import { isIP } from 'node:net'
import { tokenDigest, tokenMatches } from '../main/core/serving/token'
import { HttpError } from './http-error'

export type Scope = 'inference' | 'admin'

export class TokenCheck {
  private readonly admin: Buffer | undefined
  private readonly inference: Buffer | undefined

  constructor(tokens: { admin?: string | undefined; inference?: string | undefined }) {
    this.admin = tokens.admin ? tokenDigest(tokens.admin) : undefined
    this.inference = tokens.inference ? tokenDigest(tokens.inference) : undefined
  }

  get adminEnabled(): boolean {
    return this.admin !== undefined
  }

  /** Throws 401/403 unless the header carries a token of `scope` (the admin token also opens inference). */
  require(scope: Scope, authorization: string | undefined): void {
    if (scope === 'admin' && !this.admin) {
      throw new HttpError(403, 'the management API is disabled: start the server with --admin-token-file')
    }
    if (scope === 'inference' && !this.inference) return
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(authorization ?? '')
    const given = match?.[1]
    const accepted = scope === 'admin' ? [this.admin] : [this.inference, this.admin]
    // Compare against every candidate without short-circuit so timing says nothing about which matched.
    let ok = false
    for (const expected of accepted) {
      if (tokenMatches(given, expected)) ok = true
    }
    if (!ok) throw new HttpError(401, 'missing or invalid bearer token', { 'www-authenticate': 'Bearer' })
  }
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'))
}

/** The hostname of a Host header value (`name:port`, `[v6]:port`), lower-cased. */
export function hostnameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase()
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']'))
  const colon = value.lastIndexOf(':')
  return colon >= 0 && value.indexOf(':') === colon ? value.slice(0, colon) : value
}

/**
 * Guards against DNS rebinding and cross-site requests from browsers: the Host must be one this server
 * answers to, and admin calls must not come from a web page (browsers always send Origin on those).
 */
export class OriginCheck {
  private readonly hosts: Set<string>

  constructor(bindHost: string, extraHosts: string[]) {
    this.hosts = new Set(['localhost', '127.0.0.1', '::1', ...extraHosts.map((h) => h.toLowerCase())])
    if (bindHost !== '0.0.0.0' && bindHost !== '::') this.hosts.add(bindHost.toLowerCase())
  }

  require(scope: Scope, host: string | undefined, origin: string | undefined): void {
    if (!host || !this.hosts.has(hostnameOf(host))) throw new HttpError(403, 'Host header not allowed')
    if (scope === 'admin' && origin !== undefined) throw new HttpError(403, 'management calls from web pages are refused')
  }
}
