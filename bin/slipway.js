#!/usr/bin/env node
// The `slipway` command: the bundled CLI, or its sources through tsx in a checkout being edited (run-entry.js).
import { runEntry } from './run-entry.js'

await runEntry('slipway', 'main/cli/index.ts')
