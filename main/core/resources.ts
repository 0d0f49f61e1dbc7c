// Paths of packaged resources and the app's version, found relative to this file (sources or bundle).
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(): string {
  // Start-up lookup (once): walk up from this module to the folder holding package.json.
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
  return dir
}

export const appRoot = findRoot()
export const sampleDir = join(appRoot, 'resources', 'sample')
export const appVersion = versionIn(join(appRoot, 'package.json'))

/** ONNX Runtime's version, read from its package: loading the runtime itself would put native code in the host. */
export const onnxRuntimeVersion = versionIn(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'))

function versionIn(packageJson: string): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version
}
