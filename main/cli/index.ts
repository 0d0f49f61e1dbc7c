// `slipway`: the engine as a command line. Each command lives in commands/ and registers itself here.
import { Command, CommanderError } from 'commander'
import { appVersion } from '../core/resources'
import { reportCliError } from './cli-output'
import { registerBenchCommand } from './commands/bench-command'
import { registerProfileCommand } from './commands/profile-command'
import { registerCompareCommand } from './commands/compare-command'
import { registerImportCommand } from './commands/import-command'
import { registerApplyCommand } from './commands/apply-command'
import { registerInspectCommand } from './commands/inspect-command'
import { registerOptimizeCommand } from './commands/optimize-command'
import { registerPruneCommand } from './commands/prune-command'
import { registerConvertCommand } from './commands/convert-command'
import { registerQuantizeCommand } from './commands/quantize-command'
import { registerDistillCommand } from './commands/tfjs-commands'
import { registerUiCommand } from './commands/ui-command'
import { registerDeploymentsCommand } from './commands/deployments-command'
import { registerExportCommand } from './commands/export-command'
import { registerPublishCommand } from './commands/publish-command'
import { registerTargetsCommand } from './commands/targets-command'
import { registerTuneCommand } from './commands/tune-command'
import { registerServeCommand } from '../../server/serve-command'

const program = new Command('slipway')
  .description('Import, optimize, benchmark, compare and publish ONNX and TensorFlow.js models.')
  .version(appVersion)
  .showHelpAfterError()
  .exitOverride()

registerInspectCommand(program)
registerImportCommand(program)
registerPruneCommand(program)
registerConvertCommand(program)
registerQuantizeCommand(program)
registerOptimizeCommand(program)
registerApplyCommand(program)
registerBenchCommand(program)
registerProfileCommand(program)
registerCompareCommand(program)
registerTuneCommand(program)
registerUiCommand(program)
registerTargetsCommand(program)
registerPublishCommand(program)
registerDeploymentsCommand(program)
registerExportCommand(program)
registerServeCommand(program)
registerDistillCommand(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode)
  reportCliError(error)
  process.exit(1)
}
