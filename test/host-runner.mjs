// Runs the in-host mocha suite (out/test/host) INSIDE a real VS Code extension host: code-server
// gets the repo as extensionDevelopmentPath and the suite as extensionTestsPath through the
// workbench URL payload; the exit code and mocha's output come back through codeAutomationExit/Log.
//   node test/host-runner.mjs [RESULT.json]      env: KVM_HOST_GREP=<mocha grep>
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { ROOT, startCodeServer, launchBrowser, remoteUri, prepareRunDir } from '../scripts/lib/vscode-server.mjs';

const resultFile = path.resolve(process.argv[2] || path.join(ROOT, '.run/host-result.json'));
const runDir = path.join(ROOT, '.run/host');
const workspace = path.join(ROOT, '.run/host-workspace');
fs.rmSync(resultFile, { force: true });
fs.rmSync(workspace, { recursive: true, force: true });
fs.cpSync(path.join(ROOT, 'samples'), workspace, { recursive: true });
prepareRunDir(runDir);

const t0 = Date.now();
const server = await startCodeServer({ runDir, extraEnv: {
  KVM_HOST_RESULT: resultFile, KVM_HOST_GREP: process.env.KVM_HOST_GREP ?? '', KVM_REVIEW_ROOT: ROOT, KVM_REVIEW_WORKSPACE: workspace } });
let exitCode = 'not run';
let browser;
try {
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  let resolveExit; const exited = new Promise(r => { resolveExit = r; });
  await page.exposeFunction('codeAutomationExit', code => resolveExit(code));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...args);
    if (/ENOTFOUND|socket|connection token|Service Worker|builtin extensions cache|ChatSessionStore|additional builtin|marketplace|gallery/i.test(line)) return;
    console.log(`[host:${type}] ${line}`);
  });
  const payload = [['extensionDevelopmentPath', remoteUri(server.url, ROOT)], ['extensionTestsPath', remoteUri(server.url, path.join(ROOT, 'out/test/host/index.js'))]];
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  exitCode = await Promise.race([exited, new Promise(r => setTimeout(() => r('timeout after 600 s'), 600000))]);
  fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
  await page.screenshot({ path: path.join(ROOT, 'test-results/host-tests.png') });
} finally {
  await browser?.close().catch(() => {});
  await server.stop();
}
console.log(`[host] extension-host test runner exit code: ${exitCode} (${Math.round((Date.now() - t0) / 1000)} s)`);
if (!fs.existsSync(resultFile)) fs.writeFileSync(resultFile, JSON.stringify({ passed: 0, failed: 1, skipped: 0, error: `no result (exit ${exitCode})` }));
process.exit(exitCode === 0 ? 0 : 1);
