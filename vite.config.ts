import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The renderer is one static build served both by Electron (file://, hence relative paths) and by the
// browser host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
})
