#!/usr/bin/env node
// The `slipway` command. Runs the TypeScript sources through tsx's loader, so an installed checkout needs
// no build step; the packaged desktop app bundles the same code instead.
import { register } from 'tsx/esm/api'

register()
await import('../main/cli/index.ts')
