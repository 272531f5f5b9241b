// Layer rules are lint rules: the pure core (mail, diff, analyzers, model, sim, cli) never imports
// vscode and never touches the file system; type-only imports are fine.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const CORE_DIRS = ['mail', 'knowledge', 'cfunctions', 'diff', 'sim', 'kernel', 'review', 'explain'];
const PURE = ['src/mail/**', 'src/knowledge/**', 'src/cfunctions/**', 'src/diff/**', 'src/sim/**', 'src/kernel/**', 'src/review/**', 'src/explain/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '.run/**', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  {
    // webview scripts run in the browser-like webview with VS Code's acquireVsCodeApi
    files: ['media/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { acquireVsCodeApi: 'readonly', document: 'readonly', window: 'readonly', Node: 'readonly', NodeFilter: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: PURE,
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'The pure core must not import vscode: put editor code in src/features or src/platform.', allowTypeImports: true },
          { name: 'fs', message: 'The pure core does no I/O: take the bytes as an argument.' },
          { name: 'node:fs', message: 'The pure core does no I/O: take the bytes as an argument.' },
          { name: 'fs/promises', message: 'The pure core does no I/O.' },
          { name: 'node:fs/promises', message: 'The pure core does no I/O.' },
          { name: 'child_process', message: 'The pure core does no I/O.' },
          { name: 'node:child_process', message: 'The pure core does no I/O.' },
        ],
      }],
    },
  },
  {
    // editor code reaches the pure core through src/core.ts only (loaded lazily); types are free
    files: ['src/features/**', 'src/platform/**', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: CORE_DIRS.flatMap(d => [`../${d}`, `../${d}/*`, `../../${d}`, `../../${d}/*`]),
        message: 'Import the core through ../core (it is loaded on first use); type-only imports are fine.', allowTypeImports: true }] }],
    },
  },
);
