// The browser host serves the built renderer (out/renderer). From a source checkout it builds it on first
// use with Vite (a dev dependency), so `npx slipway ui` works right after `npm ci`.
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { appRoot } from '../core/resources'
import { UserError } from '../core/errors'

export const rendererDir = join(appRoot, 'out', 'renderer')

export async function ensureRendererBuilt(): Promise<string> {
  const index = join(rendererDir, 'index.html')
  if (await access(index).then(() => true, () => false)) return rendererDir
  process.stderr.write('building the workbench UI (first run)…\n')
  try {
    const vite = await import('vite')
    await vite.build({ configFile: join(appRoot, 'vite.config.ts'), logLevel: 'warn' })
  } catch (error) {
    throw new UserError(`the UI is not built and could not be built (${error instanceof Error ? error.message : String(error)}); run: npm run build:renderer`)
  }
  return rendererDir
}
