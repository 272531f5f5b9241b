// `npm test`: every test layer, one closing line `N passed, N failed, N skipped`.
//   node scripts/test.mjs [static|unit|host|ui ...]     (default: all, in that order)
// static: tsc --noEmit and eslint (each counts as one test)
// unit: node:test over test/unit/**/*.test.ts (pure core, no VS Code)
// host: mocha inside a real VS Code extension host (code-server), through the vscode API
// ui:   playwright-core + Debian chromium against code-server with the packaged .vsix installed
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * The unit layer, two files at a time, each its own node:test run: a line per finished file (so
 * the layer is never silent for long), the failing files' TAP output in full, the totals from
 * each file's TAP summary; every file's TAP also goes to .run/unit.tap.
 */
async function runUnit(files) {
  const tapFile = path.join(RUN, 'unit.tap');
  fs.writeFileSync(tapFile, '');
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const started = Date.now();
  let next = 0, done = 0;
  const runFile = file => new Promise(resolve => {
    const t0 = Date.now();
    // a node:test context inherited from a caller would send the results there instead of as TAP
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', b => { out += b; });
    child.stderr.on('data', b => { out += b; });
    child.on('close', code => resolve({ file, code, out, ms: Date.now() - t0 }));
  });
  const worker = async () => {
    while (next < files.length) {
      const r = await runFile(files[next++]);
      done++;
      fs.appendFileSync(tapFile, `# file ${path.relative(ROOT, r.file)}\n${r.out}\n`);
      const num = k => Number((r.out.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) || [])[1] ?? 0);
      // no TAP summary, or an exit code the summary does not explain: one failure
      const summary = /^# pass \d+$/m.test(r.out);
      const f = { passed: num('pass'), failed: num('fail') || (!summary || r.code !== 0 ? 1 : 0), skipped: num('skipped') + num('todo') };
      totals.passed += f.passed; totals.failed += f.failed; totals.skipped += f.skipped;
      const mark = f.failed ? 'FAIL' : 'ok  ';
      console.log(`[test] unit ${String(done).padStart(String(files.length).length)}/${files.length} ${mark} ${path.relative(ROOT, r.file)}: ${f.passed} passed${f.failed ? `, ${f.failed} failed` : ''}${f.skipped ? `, ${f.skipped} skipped` : ''} (${(r.ms / 1000).toFixed(1)} s; layer ${Math.round((Date.now() - started) / 1000)} s)`);
      if (f.failed) process.stdout.write(r.out.split('\n').filter(l => !/^(?:\s*(?:ok \d|# Subtest|---|\.\.\.|duration_ms|type: 'test')|TAP version)/.test(l)).join('\n') + '\n');
    }
  };
  await Promise.all([worker(), worker()]);
  return totals;
}

const HEADERS = { static: 'type check and lint', unit: 'unit tests (node:test, the pure core and the CLI)', host: 'in-host tests (mocha in a VS Code extension host)', ui: 'UI tests (code-server + chromium)' };

for (const layer of layers) {
  console.log(`\n[test] ── ${layer}: ${HEADERS[layer] ?? layer} ──`);
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
    // UNIT_FILTER=text: only the unit files whose path holds it
    const files = findTests(path.join(ROOT, 'test/unit'), /\.test\.ts$/).filter(f => !process.env.UNIT_FILTER || f.includes(process.env.UNIT_FILTER));
    add('unit', await runUnit(files));
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
