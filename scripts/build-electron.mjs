// Bundles the Electron main process, the preload (CommonJS: sandboxed preloads cannot be ES modules) and the
// worker into out/. Native and large packages stay external and are unpacked from the asar (electron-builder.yml).
import { build } from 'esbuild'
import { esmBanner, nodeBundle } from './esbuild-options.mjs'

const common = { ...nodeBundle, target: 'node22' }

await Promise.all([
  build({ ...common, entryPoints: ['main/electron/index.ts'], outfile: 'out/main/index.mjs', format: 'esm', banner: esmBanner }),
  build({ ...common, entryPoints: ['main/core/worker/worker-main.ts'], outfile: 'out/worker/worker-main.mjs', format: 'esm', banner: esmBanner }),
  build({ ...common, entryPoints: ['preload/index.ts'], outfile: 'out/preload/index.cjs', format: 'cjs' }),
])
