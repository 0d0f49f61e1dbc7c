// npm run bench:server — the deployment server's targets, measured side by side in one run against a
// real server process on loopback (load from autocannon, bounded in count and time):
//   1. overhead: p50 of a binary infer of digits_mlp over HTTP minus the in-process session.run p50 ≤ 0.5 ms
//   2. dynamic batching: throughput at concurrency 64 ≥ 2× the same model without batching
//   3. 100,000 requests at concurrency 64: zero errors, resident memory growth < 10% after warm-up
//   4. a version swap and a rollback under load: zero failed requests
import { spawn } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { binaryInferBody, digitsInput, makeRepo, MLP_FILE, shiftedMlp, upload } from '../server/test-support'

interface LoadResult {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number }
  errors: number
  timeouts: number
  non2xx: number
  duration: number
}
type Autocannon = (options: Record<string, unknown>) => Promise<LoadResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

const ADMIN = 'bench-admin-token-0123456789'
const CONCURRENCY = 64
const TOTAL_REQUESTS = 100_000

const config = (name: string, batching: boolean) => `name: "${name}"
backend: "onnxruntime"
max_batch_size: 64
input [ { name: "input", data_type: TYPE_FP32, dims: [ 64 ] } ]
output [ { name: "logits", data_type: TYPE_FP32, dims: [ 10 ] } ]
version_policy: { specific: { versions: [ 1 ] } }
instance_group [ { count: 1, kind: KIND_CPU } ]
${batching ? 'dynamic_batching { max_queue_delay_microseconds: 100 }\n' : ''}`

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

async function inProcessP50(count: number): Promise<number> {
  const session = await ort.InferenceSession.create(MLP_FILE, { graphOptimizationLevel: 'all' })
  const feeds = { input: new ort.Tensor('float32', digitsInput(1), [1, 64]) }
  for (let i = 0; i < 300; i++) await session.run(feeds)
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint()
    await session.run(feeds)
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  await session.release()
  return percentile(samples.sort((a, b) => a - b), 0.5)
}

/** Sequential binary infers on one keep-alive connection, timed from request to full response. */
async function httpP50(url: string, model: string, count: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const { body, headerLength } = binaryInferBody(digitsInput(1), [1, 64])
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        `${url}/v2/models/${model}/infer`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength), 'content-length': String(body.length) },
        },
        (res) => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`))
          res.on('data', () => undefined)
          res.on('end', () => resolve())
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  for (let i = 0; i < 300; i++) await once()
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint()
    await once()
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  agent.destroy()
  return percentile(samples.sort((a, b) => a - b), 0.5)
}

function load(url: string, model: string, options: Record<string, unknown>): Promise<LoadResult> {
  const { body, headerLength } = binaryInferBody(digitsInput(1), [1, 64])
  return autocannon({
    url: `${url}/v2/models/${model}/infer`,
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength) },
    body,
    connections: CONCURRENCY,
    timeout: 10,
    ...options,
  })
}

function failures(r: LoadResult): number {
  return r.errors + r.timeouts + r.non2xx
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024
}

async function main(): Promise<void> {
  const made = await makeRepo()
  const mlp = await readFile(MLP_FILE)
  for (const [name, batching] of [['batched', true], ['plain', false], ['swap', true]] as const) {
    await mkdir(join(made.repo, name, '1'), { recursive: true })
    await writeFile(join(made.repo, name, '1', 'model.onnx'), mlp)
    await writeFile(join(made.repo, name, 'config.pbtxt'), config(name, batching))
  }
  const tokenFile = join(made.root, 'admin.token')
  await writeFile(tokenFile, ADMIN)
  // Node runs the server with tsx as a loader, so the pid below is the server's own (for its RSS).
  const root = join(import.meta.dirname, '..')
  const args = ['--import', 'tsx', join(root, 'server', 'bin.ts'), 'serve', '--repo', made.repo, '--port', '0', '--admin-token-file', tokenFile]
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += String(d)
      const match = /at (http:\/\/\S+)/.exec(out)
      if (match) resolve(match[1]!)
    })
    child.once('exit', () => reject(new Error(`server exited: ${out}`)))
  })
  const results: { target: string; measured: string; pass: boolean }[] = []
  try {
    // 1. Overhead, both sides measured here, one after the other, on the same input.
    const runP50 = await inProcessP50(3000)
    const overP50 = await httpP50(url, 'plain', 3000)
    const overhead = overP50 - runP50
    results.push({
      target: 'HTTP binary infer p50 − in-process session.run p50 ≤ 0.5 ms',
      measured: `${overP50.toFixed(3)} ms − ${runP50.toFixed(3)} ms = ${overhead.toFixed(3)} ms`,
      pass: overhead <= 0.5,
    })

    // 2. Dynamic batching against the same model without it, same server, same load.
    await load(url, 'batched', { duration: 2 })
    await load(url, 'plain', { duration: 2 })
    const plain = await load(url, 'plain', { duration: 8 })
    const batched = await load(url, 'batched', { duration: 8 })
    const ratio = batched.requests.average / plain.requests.average
    results.push({
      target: 'throughput at concurrency 64 with dynamic batching ≥ 2× without',
      measured: `${batched.requests.average.toFixed(0)} vs ${plain.requests.average.toFixed(0)} req/s = ${ratio.toFixed(2)}× (p50 ${batched.latency.p50} vs ${plain.latency.p50} ms)`,
      pass: ratio >= 2 && failures(batched) + failures(plain) === 0,
    })

    // 3. 100,000 requests after a warm-up; resident memory of the server process before and after.
    await load(url, 'batched', { amount: 20_000 })
    const before = await rssBytes(child.pid!)
    const soak = await load(url, 'batched', { amount: TOTAL_REQUESTS })
    const after = await rssBytes(child.pid!)
    const growth = (after - before) / before
    results.push({
      target: '100,000 requests at concurrency 64: zero errors, RSS growth < 10% after warm-up',
      measured: `${soak.requests.total} requests, ${failures(soak)} failed, RSS ${(before / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MiB (${(growth * 100).toFixed(1)}%)`,
      pass: failures(soak) === 0 && soak.requests.total >= TOTAL_REQUESTS && growth < 0.1,
    })

    // 4. Publish-and-promote a new version, then roll back, while load runs on the unversioned route.
    const running = load(url, 'swap', { duration: 8 })
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const published = await upload(url, ADMIN, 'swap', await shiftedMlp(1))
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const rolled = await fetch(`${url}/slipway/models/swap/rollback`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: '{}' })
    const swap = await running
    results.push({
      target: 'version swap and rollback under load: zero failed requests',
      measured: `publish ${published.status} (version ${String(published.json['version'])}), rollback ${rolled.status}; ${swap.requests.total} requests, ${failures(swap)} failed`,
      pass: published.status === 201 && rolled.status === 200 && failures(swap) === 0,
    })
  } finally {
    child.kill('SIGTERM')
    await made.cleanup()
  }
  for (const r of results) console.log(`${r.pass ? 'PASS' : 'FAIL'}  ${r.target}\n      ${r.measured}`)
  if (results.some((r) => !r.pass)) process.exitCode = 1
}

await main()
