// `npm test`: every test layer, one closing line `N passed, N failed, N skipped`.
//   node scripts/test.mjs [static|unit|host|ui ...]     (default: all, in that order)
// static: tsc --noEmit and eslint (each counts as one test)
// unit: node:test over test/unit/**/*.test.ts (pure core, no VS Code)
// host: mocha inside a real VS Code extension host (code-server), through the vscode API
// ui:   playwright-core + Debian chromium against code-server with the packaged .vsix installed
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDeps } from './lib/ensure-deps.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const RUN = path.join(ROOT, '.run');
fs.mkdirSync(RUN, { recursive: true });
ensureDeps(ROOT);
const layers = process.argv.slice(2).length ? process.argv.slice(2) : ['static', 'unit', 'host', 'ui'];
const totals = { passed: 0, failed: 0, skipped: 0 };
const t0 = Date.now();

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  return r.status ?? 1;
}
function findTests(dir, re) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p, re)); else if (re.test(e.name)) out.push(p);
  }
  return out.sort();
}
function readResult(file, layer) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); }
  catch { console.error(`[test] ${layer}: no result file (${path.relative(ROOT, file)}): counted as one failure`); return { passed: 0, failed: 1, skipped: 0 }; }
}
function add(layer, r) {
  totals.passed += r.passed; totals.failed += r.failed; totals.skipped += r.skipped ?? 0;
  console.log(`[test] ${layer}: ${r.passed} passed, ${r.failed} failed, ${r.skipped ?? 0} skipped`);
}
function step(name, cmd, args) {
  console.log(`[test] ${name}`);
  if (run(cmd, args) !== 0) { console.error(`[test] ${name} failed`); return false; }
  return true;
}

let built = false, installed = false;
const build = () => built || (built = step('build', process.execPath, ['scripts/build.mjs']));
const install = () => installed || (installed = step('install VS Code (code-server, cached)', 'bash', ['scripts/install-vscode.sh']));

for (const layer of layers) {
  const resultFile = path.join(RUN, `${layer}-result.json`);
  fs.rmSync(resultFile, { force: true });
  if (layer === 'static') {
    // the type check and the lint (layer rules, floating promises) count as one test each
    const checks = [['typecheck', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']], ['typecheck webview', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'src/features/simulate/webview']], ['lint', ['node_modules/eslint/bin/eslint.js', '.']]];
    const r = { passed: 0, failed: 0, skipped: 0 };
    for (const [name, args] of checks) { if (step(name, process.execPath, args)) r.passed++; else r.failed++; }
    add('static', r);
  } else if (layer === 'unit') {
    if (!build()) { add('unit', { passed: 0, failed: 1 }); continue; }   // the CLI tests run the built bin
    const files = findTests(path.join(ROOT, 'test/unit'), /\.test\.ts$/);
    const tap = path.join(RUN, 'unit.tap');
    run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files]);
    const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
    const num = k => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) || [])[1] ?? NaN);
    const r = { passed: num('pass'), failed: num('fail'), skipped: num('skipped') + num('todo') };
    add('unit', Number.isNaN(r.passed) ? { passed: 0, failed: 1, skipped: 0 } : r);
  } else if (layer === 'host') {
    if (!build() || !install()) { add('host', { passed: 0, failed: 1 }); continue; }
    run(process.execPath, ['test/host-runner.mjs', resultFile]);
    add('host', readResult(resultFile, 'host'));
  } else if (layer === 'ui') {
    if (!build() || !install() || !step('package .vsix', process.execPath, ['scripts/package.mjs'])) { add('ui', { passed: 0, failed: 1 }); continue; }
    run(process.execPath, ['test/ui/run.mjs', resultFile]);
    add('ui', readResult(resultFile, 'ui'));
  } else {
    console.error(`[test] unknown layer ${layer} (unit, host, ui)`); process.exit(2);
  }
}
console.log(`[test] took ${Math.round((Date.now() - t0) / 1000)} s`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
