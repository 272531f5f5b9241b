// For contributors with network: runs the in-host suite in desktop VS Code downloaded by
// @vscode/test-electron (`npm run build && npm run test:electron`). This machine has no network for
// that download; `npm test` runs the same suite inside code-server instead (test/host-runner.mjs).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'in-host',
  files: 'out/test/host/*.test.js',
  version: '1.100.3',
  workspaceFolder: './samples',
  extensionDevelopmentPath: '.',
  env: { KVM_REVIEW_ROOT: process.cwd() },
  mocha: { ui: 'bdd', timeout: 60000 },
});
