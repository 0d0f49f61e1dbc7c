// `slipway ui`: the workbench in a browser, served on loopback with a token in its URL (for a remote box
// over SSH, or wherever the desktop app cannot run).
import { spawn } from 'node:child_process'
import type { Command } from 'commander'
import { spawnNodeWorker } from '../../core/worker/spawn-node-worker'
import { defaultWorkspaceDir } from '../../core/workspace/default-workspace-dir'

interface UiOptions {
  readonly port: string
  readonly host: string
  readonly workspace?: string
  readonly open: boolean
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  // Best effort: the URL is printed anyway, and a headless box has no browser to open.
  const child = spawn(command, [url], { stdio: 'ignore', detached: true })
  child.on('error', () => undefined)
  child.unref()
}

export function registerUiCommand(program: Command): void {
  program
    .command('ui')
    .description('serve the workbench on loopback and print its URL (with an access token)')
    .option('--port <n>', 'port (0 picks a free one)', '0')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--workspace <dir>', 'workspace folder (default: $SLIPWAY_WORKSPACE or the per-user data folder)')
    .option('--no-open', 'do not open a browser')
    .action(async (options: UiOptions) => {
      // Loaded here, not at start-up: every other command would pay for the engine and the HTTP server.
      const [{ createAppService }, { ensureRendererBuilt }, { startWebHost }] = await Promise.all([
        import('../../core/app-service'),
        import('../../web/renderer-build'),
        import('../../web/web-host'),
      ])
      const staticDir = await ensureRendererBuilt()
      const service = await createAppService({
        workspaceDir: options.workspace ?? defaultWorkspaceDir(),
        host: 'browser',
        spawnWorker: spawnNodeWorker,
        addSampleOnFirstRun: true,
      })
      const host = await startWebHost({ service, staticDir, host: options.host, port: Number(options.port) })
      process.stdout.write(`Slipway workbench: ${host.url}\n`)
      process.stderr.write(`workspace: ${service.workspace.dir}\nPress Ctrl+C to stop.\n`)
      if (options.open) openInBrowser(host.url)
      const stop = (): void => {
        void host.close().finally(() => process.exit(0))
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}
