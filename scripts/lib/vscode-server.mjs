// Starts a real VS Code (code-server) on 127.0.0.1 with private user-data/extensions dirs and HOME,
// in its own process group so that stopping it also ends its extension hosts; and Debian chromium
// through playwright-core with the flags that keep it off the network.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const CS_ROOT = process.env.CS_ROOT || path.join(ROOT, '.vscode-test/code-server/node_modules/code-server');
const ENTRY = path.join(CS_ROOT, 'out/node/entry.js');

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer(); s.unref(); s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function env(runDir) {
  const home = path.join(runDir, 'home');
  return { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'), EXTENSIONS_GALLERY: '{}' };
}
function dirArgs(runDir) {
  return ['--config', path.join(runDir, 'config.yaml'), '--user-data-dir', path.join(runDir, 'user-data'), '--extensions-dir', path.join(runDir, 'extensions')];
}

/** Fresh run directory; installs `vsix` into its extensions dir when given. */
export function prepareRunDir(runDir, { vsix } = {}) {
  fs.rmSync(runDir, { recursive: true, force: true });
  for (const d of ['user-data/User', 'extensions', 'home']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  if (!vsix) return '';
  const r = spawnSync(process.execPath, [ENTRY, ...dirArgs(runDir), '--install-extension', vsix], { encoding: 'utf8', env: env(runDir) });
  if (r.status !== 0) throw new Error(`--install-extension ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/** Starts code-server; resolves when /healthz answers. `stop()` ends the whole process group. */
export async function startCodeServer({ runDir, settings = {}, extraEnv = {}, port, log = true }) {
  if (!fs.existsSync(ENTRY)) throw new Error(`code-server is not installed at ${CS_ROOT}: run npm run install:vscode`);
  for (const d of ['user-data/User', 'extensions', 'home']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'user-data/User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'update.mode': 'none', 'workbench.enableExperiments': false,
    'editor.hover.delay': 150, 'workbench.tips.enabled': false, 'chat.disableAIFeatures': true, 'window.commandCenter': false,
    ...settings,
  }, null, 2));
  port ??= await freePort();
  const out = fs.openSync(path.join(runDir, 'code-server.log'), 'w');
  const proc = spawn(process.execPath, [ENTRY, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ...dirArgs(runDir)],
    { detached: true, stdio: ['ignore', out, out], env: { ...env(runDir), ...extraEnv } });
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`code-server exited with ${proc.exitCode}; see ${runDir}/code-server.log`);
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not up yet */ }
    if (Date.now() - t0 > 90000) { killGroup(proc, 'SIGKILL'); throw new Error('code-server did not answer /healthz within 90 s'); }
    await new Promise(r => setTimeout(r, 100));
  }
  if (log) console.log(`[vscode] code-server ready on ${url} after ${Date.now() - t0} ms`);
  return { url, port, proc, stop: () => stopGroup(proc) };
}

function killGroup(proc, signal) { try { process.kill(-proc.pid, signal); } catch { /* already gone */ } }
function stopGroup(proc) {
  return new Promise(resolve => {
    if (proc.exitCode !== null) { killGroup(proc, 'SIGKILL'); resolve(); return; }
    const hard = setTimeout(() => killGroup(proc, 'SIGKILL'), 5000);
    proc.once('exit', () => { clearTimeout(hard); setTimeout(() => { killGroup(proc, 'SIGKILL'); resolve(); }, 200); });
    killGroup(proc, 'SIGTERM');
  });
}

/** Debian chromium, headless, with no background networking. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const home = path.join(ROOT, '.run/browser-home');
  fs.mkdirSync(home, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** The vscode-remote URI of a server-side path, as the web workbench expects it in ?payload=. */
export function remoteUri(url, p) { return `vscode-remote://${new URL(url).host}${p}`; }
