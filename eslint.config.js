// Lint rules that encode the architecture (see ARCHITECTURE.md): which layer may import what, and where raw
// Electron IPC may appear. Type checking is tsc's job (npm run typecheck).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'

const noElectron = { name: 'electron', message: 'The engine, CLI, browser host and server run under plain Node: no electron here.' }

// The engine, hosts and server never depend on the UI: what both sides use (the contract, pure helpers over it) lives in preload/.
const noRenderer = { group: ['**/renderer/**'], message: 'main/ and server/ do not import the renderer: shared pure modules live in preload/.' }

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'worker_threads', 'stream', 'events', 'url', 'util', 'zlib']

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      // A value import cycle makes load order matter and hides what depends on what (type imports are free).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value='electron'] ImportSpecifier[imported.name=/^ipc(Main|Renderer)$/]", message: 'Raw ipcMain/ipcRenderer live only in main/electron/ipc.ts and preload/index.ts.' },
      ],
    },
  },
  {
    files: ['main/core/**', 'main/cli/**', 'main/web/**', 'server/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noRenderer] }],
    },
  },
  // The one test that follows a real engine error to the words the UI shows for it.
  {
    files: ['main/core/jobs/job-error-words.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noRenderer] }],
    },
  },
  // The engine and the inference server share main/core/serving/ and never import each other (tests may
  // cross: they start a real server against the engine's output).
  {
    files: ['main/core/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noRenderer, { group: ['**/server/**'], message: 'The engine does not import the server: what both need lives in main/core/serving/.' }] }],
    },
  },
  {
    files: ['main/core/serving/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noRenderer, { group: ['../**'], message: 'main/core/serving/ stands alone: the engine and the server both import it, so it imports neither.' }] }],
    },
  },
  {
    files: ['server/**'],
    ignores: ['**/*.test.ts', 'server/test-support.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron], patterns: [noRenderer, { regex: '(^|/)main/(?!core/(serving|onnx|fs)/|core/errors$)', message: 'The server imports from the engine only main/core/serving/, the ONNX reader (onnx/), file confinement (fs/) and errors.' }] },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to the engine only through the Bridge (preload/api.ts).' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a browser: no Node modules.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer runs in a browser: no Node modules.' },
            { group: ['**/main/**', '**/server/**'], message: 'The renderer sees only the contract in preload/api.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/ipc.ts', 'preload/index.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
)
