// esbuild options shared by the desktop bundles (build-electron.mjs) and the CLI bundle (build-cli.mjs).
// Native and large packages stay external: they load from node_modules (unpacked from the asar in the app).
export const external = ['electron', 'onnxruntime-node', 'sharp', '@tensorflow/*', 'fastify', '@fastify/*', 'vite']

export const nodeBundle = { bundle: true, platform: 'node', sourcemap: true, logLevel: 'warning', external }

// ESM bundles that pull in CommonJS dependencies need require().
export const esmBanner = { js: "import { createRequire as __slipwayCreateRequire } from 'node:module'; const require = __slipwayCreateRequire(import.meta.url);" }
