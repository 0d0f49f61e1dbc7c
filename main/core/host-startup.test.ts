// The hosts (Electron main, the browser host) import the app service at start-up; native code (ONNX
// Runtime, sharp, tfjs-node) belongs in workers, so importing the service must not load any.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)

const script = (module: string): string => `
  await import(${JSON.stringify(module)})
  const maps = (await import('node:fs')).readFileSync('/proc/self/maps', 'utf8')
  const native = new Set(maps.split('\\n').map((l) => l.split(/\\s+/)[5] ?? '').filter((p) => /onnxruntime|sharp|vips|tfjs/.test(p)))
  console.log(JSON.stringify([...native].map((p) => p.split('/').pop())))`

describe.runIf(process.platform === 'linux')('host start-up', () => {
  it('imports the app service and the browser host without loading native modules', async () => {
    for (const module of ['./app-service.ts', '../web/web-host.ts']) {
      const path = fileURLToPath(new URL(module, import.meta.url))
      const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(path)])
      expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]'), module).toEqual([])
    }
  })
})
