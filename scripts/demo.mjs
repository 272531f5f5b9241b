// `npm run demo`: builds and packages the extension, installs the .vsix into a real VS Code
// (code-server 4.100.3 = VS Code 1.100.3, 127.0.0.1 only, no auth, fresh dirs under .run/demo),
// opens the sample patch mails and prints the URL. Ctrl-C stops it and every child process.
//   env: PORT (default 8080), HOST_SEEDS=0 to leave ../shared/seeds out of the demo workspace
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDeps } from './lib/ensure-deps.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
ensureDeps(ROOT);
const step = (what, cmd, args) => {
  console.log(`[demo] ${what}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) { console.error(`[demo] ${what} failed`); process.exit(r.status ?? 1); }
};
step('install VS Code (code-server, cached in .vscode-test)', 'bash', ['scripts/install-vscode.sh']);
step('build and package the extension', process.execPath, ['scripts/package.mjs']);

const { prepareRunDir, startCodeServer, remoteUri } = await import('./lib/vscode-server.mjs');
const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const runDir = path.join(ROOT, '.run/demo');
const workspace = path.join(ROOT, '.run/demo-workspace');
fs.rmSync(workspace, { recursive: true, force: true });
fs.cpSync(path.join(ROOT, 'samples'), workspace, { recursive: true });
const seeds = path.resolve(ROOT, '../shared/seeds');
if (process.env.HOST_SEEDS !== '0' && fs.existsSync(seeds)) fs.cpSync(seeds, path.join(workspace, 'seeds'), { recursive: true });
console.log(`[demo] ${prepareRunDir(runDir, { vsix: path.join(ROOT, `${name}-${version}.vsix`) }).split('\n').pop()}`);
// the installed extension finds the project's default kernel tree through KVM_REVIEW_TREE
const defaultTree = path.join(ROOT, '.cache/linux-source-6.12');
const extraEnv = !process.env.KVM_REVIEW_TREE && fs.existsSync(path.join(defaultTree, 'arch/x86/kvm/vmx/nested.c')) ? { KVM_REVIEW_TREE: defaultTree } : {};
const server = await startCodeServer({ runDir, port: Number(process.env.PORT || 8080), settings: { 'git.openRepositoryInParentFolders': 'never' }, extraEnv });
const file = path.join(workspace, 'lam-cr3.patch');
const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify([['openFile', remoteUri(server.url, file)]]))}`;
console.log(`\n  KVM Patch Review demo is running.\n  Open: ${url}\n  (hover nested_vmx_load_cr3, click "Simulate this path"; Ctrl-C stops everything)\n`);
let stopping = false;
const stop = async () => { if (stopping) return; stopping = true; console.log('\n[demo] stopping'); await server.stop(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.proc.on('exit', code => { if (!stopping) { console.error(`[demo] code-server exited (${code})`); process.exit(1); } });
