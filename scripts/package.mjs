// `npm run package`: builds and packs kvm-patch-review-<version>.vsix (everything is bundled, so
// no node_modules go in; .vscodeignore is an allowlist).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const out = path.join(ROOT, `${name}-${version}.vsix`);
const run = (cmd, args) => { const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' }); if (r.status !== 0) process.exit(r.status ?? 1); };
run(process.execPath, ['scripts/build.mjs']);
run(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--skip-license', '--no-rewrite-relative-links', '-o', out]);
console.log(`packaged ${path.relative(ROOT, out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KB)`);
