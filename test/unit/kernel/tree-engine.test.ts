// Which engine runs (contract v2): chooseEngine's rows over temporary trees, then the built CLI on
// the default tree (engine/tree in the JSON, a failing check located at the tree's real line, the
// model when asked, one-line errors for a bad --tree or --engine).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseEngine } from '../../../src/io/kernelEngine';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const DEFAULT = path.join(ROOT, '.cache/linux-source-6.12');
const hasDefault = fs.existsSync(path.join(DEFAULT, 'arch/x86/kvm/vmx/nested.c'));

function fakeTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-engine-'));
  fs.mkdirSync(path.join(root, 'arch/x86/kvm/vmx'), { recursive: true });
  fs.writeFileSync(path.join(root, 'arch/x86/kvm/vmx/nested.c'), '\n');
  fs.writeFileSync(path.join(root, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 15\nSUBLEVEL = 1\nEXTRAVERSION =\n');
  return root;
}
const notATree = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-empty-'));
const noProject = (): string => notATree(); // a project root without a default tree

test('chooseEngine: --engine model runs the model whatever trees exist', () => {
  const r = chooseEngine('model', { option: fakeTree() });
  assert.deepEqual([r.engine, r.found, r.error], ['model', null, undefined]);
});

test('chooseEngine: --tree DIR runs the kernel engine on it, with its version', () => {
  const t = fakeTree();
  const r = chooseEngine(undefined, { option: t, projectRoot: noProject() });
  assert.deepEqual([r.engine, r.found?.info?.path, r.found?.info?.version, r.found?.source], ['kernel', t, '6.15.1', 'option']);
});

test('chooseEngine: a bad --tree is an error naming it; a bad KVM_REVIEW_TREE is a notice', () => {
  const bad = notATree();
  const e = chooseEngine(undefined, { option: bad });
  assert.match(e.error ?? '', new RegExp(`^--tree ${bad}: no arch/x86/kvm/vmx/nested\\.c`));
  const t = fakeTree();
  const n = chooseEngine(undefined, { env: { KVM_REVIEW_TREE: bad }, workspaceFolders: [t] });
  assert.equal(n.engine, 'kernel');
  assert.equal(n.found?.source, 'workspace');
  const m = chooseEngine(undefined, { env: { KVM_REVIEW_TREE: bad }, projectRoot: noProject() });
  assert.equal(m.engine, 'model');
  assert.match(m.notices.join('\n'), /^KVM_REVIEW_TREE .*: no arch\/x86\/kvm\/vmx\/nested\.c.*; ignored/m);
});

test('chooseEngine: no tree anywhere → the model, unless --engine kernel (then an error)', () => {
  assert.equal(chooseEngine(undefined, { projectRoot: noProject(), env: {} }).engine, 'model');
  assert.match(chooseEngine('kernel', { projectRoot: noProject(), env: {} }).error ?? '', /^no kernel tree found/);
});

test('chooseEngine: the default tree when nothing else is named (skips without it)', t => {
  if (!hasDefault) { t.skip('default tree absent: run node scripts/setup-tree.mjs'); return; }
  const r = chooseEngine(undefined, { projectRoot: ROOT, env: {} });
  assert.deepEqual([r.engine, r.found?.source, r.found?.info?.version], ['kernel', 'default', '6.12.118']);
});

function kvmReview(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: os.tmpdir(), env: { ...process.env, KVM_REVIEW_TREE: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  if (!fs.existsSync(CLI)) spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
});

test('CLI: a bad --tree or --engine exits 2 with one line', () => {
  for (const args of [['--tree', notATree()], ['--engine', 'fast'], ['--tree']]) {
    const r = kvmReview(['simulate', '--path', 'nested-vmentry', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^kvm-review: (--tree|--engine)/);
  }
});

test('CLI: --engine model says engine "model" and names no tree', () => {
  const r = kvmReview(['simulate', '--path', 'nested-vmentry', '--engine', 'model', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.equal(o.engine, 'model');
  assert.equal(o.tree, undefined);
});

test('CLI: on the default tree the kernel engine runs; a failed check is located at the tree\'s line (skips without it)', t => {
  if (!hasDefault) { t.skip('default tree absent: run node scripts/setup-tree.mjs'); return; }
  const file = path.join(notATree(), 's.json');
  fs.writeFileSync(file, JSON.stringify({ base: 'default', vmcs12: { HOST_CR3: '0xffffffffffffffff' } }));
  const r = kvmReview(['simulate', '--path', 'nested-vmentry', '--scenario', file, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.equal(o.engine, 'kernel');
  assert.deepEqual(o.tree, { path: DEFAULT, version: '6.12.118' });
  assert.equal(o.outcome.kind, 'vmfail-valid');
  const [file2, line] = String(o.failedCheck?.location).split(':');
  assert.equal(file2, 'arch/x86/kvm/vmx/nested.c');
  const text = fs.readFileSync(path.join(DEFAULT, file2!), 'utf8').split('\n')[Number(line) - 1]!;
  assert.match(text, /host_cr3/, `line ${line}: ${text}`);
});

test('package.json: kvmPatchReview.kernelTree is a setting restricted in untrusted workspaces', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.contributes.configuration.properties['kvmPatchReview.kernelTree']?.type, 'string');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('kvmPatchReview.kernelTree'));
});
