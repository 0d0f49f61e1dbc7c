#!/usr/bin/env node
// `slipway-server serve --repo DIR`: the inference server alone, without the rest of the CLI (server/bin.ts).
import { runEntry } from './run-entry.js'

await runEntry('slipway-server', 'server/bin.ts')
