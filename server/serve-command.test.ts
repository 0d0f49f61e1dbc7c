// The command-line face: flags to options (token and TLS files), and an HTTPS round trip with them.
import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { request } from 'node:https'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerServeCommand, serveOptionsFromFlags } from './serve-command'
import { startServer } from './server'
import { toErrorInfo } from '../main/core/errors'
import { makeRepo } from './test-support'

let made: Awaited<ReturnType<typeof makeRepo>>
const flags = (extra: Record<string, unknown>) => ({
  repo: made.repo,
  host: '127.0.0.1',
  port: '0',
  allowedHost: [],
  maxBodyBytes: '1024',
  maxJsonBodyBytes: '512',
  maxUploadBytes: '4096',
  uploadIdleTimeout: '7',
  maxQueueSize: '10',
  queueTimeoutMs: '1000',
  intraOpThreads: '1',
  ...extra,
})

beforeAll(async () => {
  made = await makeRepo()
  await writeFile(join(made.root, 'admin.token'), 'admin-token-0123456789\n')
  await writeFile(join(made.root, 'short.token'), 'short')
  // A throwaway self-signed certificate for 127.0.0.1, made where the test runs.
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(made.root, 'key.pem'), '-out', join(made.root, 'cert.pem'),
  ], { stdio: 'ignore' })
})

afterAll(() => made.cleanup())

describe('slipway serve', () => {
  it('registers the serve command with its options', () => {
    const program = new Command()
    registerServeCommand(program)
    const serve = program.commands.find((c) => c.name() === 'serve')!
    const names = serve.options.map((o) => o.long)
    for (const flag of ['--repo', '--host', '--port', '--admin-token-file', '--infer-token-file', '--tls-cert', '--tls-key']) {
      expect(names).toContain(flag)
    }
    expect(serve.options.find((o) => o.long === '--host')!.defaultValue).toBe('127.0.0.1')
  })

  it('reads tokens from files, trimmed, and refuses short ones or half a TLS pair', async () => {
    const options = await serveOptionsFromFlags(flags({ adminTokenFile: join(made.root, 'admin.token') }))
    expect(options.adminToken).toBe('admin-token-0123456789')
    expect(options).toMatchObject({ maxBodyBytes: 1024, maxJsonBodyBytes: 512, maxUploadBytes: 4096, uploadIdleTimeoutMs: 7000 })
    await expect(serveOptionsFromFlags(flags({ inferTokenFile: join(made.root, 'short.token') }))).rejects.toThrow(/at least 16 characters/)
    await expect(serveOptionsFromFlags(flags({ tlsCert: join(made.root, 'cert.pem') }))).rejects.toThrow(/go together/)
  })

  it('says what is wrong with the configuration in one line, as a user error (not an internal one)', async () => {
    const missing = join(made.root, 'nope.token')
    const errors = [
      await serveOptionsFromFlags(flags({ adminTokenFile: missing })).catch((e: unknown) => e),
      await serveOptionsFromFlags(flags({ inferTokenFile: join(made.root, 'short.token') })).catch((e: unknown) => e),
      await serveOptionsFromFlags(flags({ port: 'eighty' })).catch((e: unknown) => e),
    ]
    const first = await startServer(await serveOptionsFromFlags(flags({})))
    try {
      const port = new URL(first.url).port
      errors.push(await startServer(await serveOptionsFromFlags(flags({ port }))).catch((e: unknown) => e))
    } finally {
      await first.close()
    }
    expect(errors.map((e) => toErrorInfo(e))).toEqual([
      { name: 'UserError', message: `cannot read the admin token file ${missing}: no such file` },
      { name: 'UserError', message: `the inference token in ${join(made.root, 'short.token')} must be at least 16 characters` },
      { name: 'UserError', message: '--port must be a non-negative integer' },
      { name: 'UserError', message: expect.stringMatching(/^port \d+ on 127\.0\.0\.1 is already in use$/) },
    ])
  })

  it('serves HTTPS with the certificate and key given', async () => {
    const options = await serveOptionsFromFlags(flags({ tlsCert: join(made.root, 'cert.pem'), tlsKey: join(made.root, 'key.pem') }))
    const server = await startServer(options)
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      const ca = options.tls!.cert
      const status = await new Promise<number>((resolve, reject) => {
        request(`${server.url}/v2/models/mlp/ready`, { ca }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
          .on('error', reject)
          .end()
      })
      expect(status).toBe(200)
    } finally {
      await server.close()
    }
  })
})
