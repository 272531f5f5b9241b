// Installs the npm dependencies when node_modules is missing or older than package-lock.json, and
// the kernel engine's default tree (scripts/setup-tree.mjs), so that `npm test` and `npm run demo`
// work on a fresh clone. Node built-ins only (runs before npm ci).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setupTree } from '../setup-tree.mjs';

export function ensureDeps(root) {
  ensureNpm(root);
  // the kernel engine's default tree (Debian linux-source-6.12, extracted once into .cache/)
  setupTree(root);
}

function ensureNpm(root) {
  const marker = path.join(root, 'node_modules/.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  console.log('[deps] npm ci');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) { console.error('[deps] npm ci failed'); process.exit(r.status ?? 1); }
}
