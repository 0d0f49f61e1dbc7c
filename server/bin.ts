// Standalone entry of the server (`slipway-server serve --repo DIR`, bin/slipway-server.js), used by the
// crash tests and the benchmark; `slipway serve` registers the same command in the CLI.
import { Command } from 'commander'
import { registerServeCommand } from './serve-command'

const program = new Command('slipway-server')
registerServeCommand(program)
await program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`slipway serve: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
