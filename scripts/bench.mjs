// `npm run bench`: runs every bench/*.bench.ts in one process run each and prints their figures.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = path.join(ROOT, 'bench');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.bench.ts')).sort() : [];
let failed = 0;
for (const f of files) {
  console.log(`\n## ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(dir, f)], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) { failed++; console.log(`(${f} exited ${r.status})`); }
}
const ext = path.join(ROOT, 'dist/extension.js');
if (fs.existsSync(ext)) console.log(`\n## bundle\ndist/extension.js: ${(fs.statSync(ext).size / 1024).toFixed(0)} KB (wasm loaded lazily: ${fs.readdirSync(path.join(ROOT, 'dist')).filter(f => f.endsWith('.wasm')).join(', ')})`);
process.exit(failed ? 1 : 0);
