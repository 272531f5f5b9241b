// `kvm-review diverge` with the kernel engine on the default tree (skipped when it is absent): a
// patch the test makes from nested.c's own lines (a new CC() check in nested_vmx_check_host_state)
// is found from the default scenario with the deciding line in nested.c (contract v2: engine, tree,
// complete, witnesses[].decidedAt); --as-test still writes the witness; a patch that applies
// nowhere runs on the model engine with the reason on stderr and in `fallbacks`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const TREE = path.join(ROOT, '.cache/linux-source-6.12');
const NESTED = 'arch/x86/kvm/vmx/nested.c';
const HAVE_TREE = fs.existsSync(path.join(TREE, NESTED));

function kvmReview(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: os.tmpdir() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

before(() => {
  if (!fs.existsSync(CLI)) spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
});

/** nested.c with a new check after the CET/WP host check: host SYSENTER_ESP 16-byte aligned (made up for the test). */
function newCheckPatch(): { file: string; line: number } {
  const lines = fs.readFileSync(path.join(TREE, NESTED), 'utf8').split('\n');
  const at = lines.findIndex(l => l.includes('CC(vmcs12->host_cr4 & X86_CR4_CET && !(vmcs12->host_cr0 & X86_CR0_WP))')) + 3;
  assert.ok(at > 3);
  const ctx = (a: number, b: number) => lines.slice(a - 1, b).map(l => ` ${l}`);
  const text = [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001', 'From: T <t@example.invalid>', 'Subject: [PATCH] KVM: nVMX: test', '', 'test', '---',
    `diff --git a/${NESTED} b/${NESTED}`, `--- a/${NESTED}`, `+++ b/${NESTED}`, `@@ -${at - 3},6 +${at - 3},9 @@`, ...ctx(at - 3, at - 1),
    '+\tif (CC(vmcs12->host_ia32_sysenter_esp & 0xf))', '+\t\treturn -EINVAL;', '+', ...ctx(at, at + 2), '-- ', '2.0', '',
  ].join('\n');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-review-')), 'new-check.patch');
  fs.writeFileSync(file, text);
  return { file, line: at };
}

test('diverge --engine kernel --json: a new host-state check found from the default scenario, decided at its nested.c line', t => {
  if (!HAVE_TREE) { t.skip(`default tree absent: ${TREE}`); return; }
  const { file, line } = newCheckPatch();
  const r = kvmReview('diverge', '--path', 'nested-vmentry', '--patch', file, '--engine', 'kernel', '--tree', TREE, '--budget', '4000', '--json');
  assert.equal(r.code, 0, r.stderr);
  const d = r.json();
  assert.equal(d.engine, 'kernel');
  assert.equal(d.tree.path, TREE);
  assert.match(d.tree.version, /^6\.12\.\d+$/);
  assert.equal(typeof d.complete, 'boolean');
  assert.equal(d.applied, 'applied');
  assert.deepEqual(d.fallbacks, []);
  const w = d.witnesses.find((x: { decidedAt: string }) => x.decidedAt === `${NESTED}:${line}`);
  assert.ok(w, JSON.stringify(d.witnesses.map((x: { decidedAt: string }) => x.decidedAt)));
  assert.equal(w.before.outcome.kind, 'entered');
  assert.deepEqual(w.after.outcome, { kind: 'vmfail-valid', vmInstructionError: 8 });
  assert.equal(w.after.failedCheck.location, `${NESTED}:${line}`);
  assert.ok('HOST_IA32_SYSENTER_ESP' in w.scenario.vmcs12);
  assert.equal(w.before.trace, undefined);
  // the same witness as a kvm-unit-tests test
  const kut = kvmReview('diverge', '--path', 'nested-vmentry', '--patch', file, '--engine', 'kernel', '--tree', TREE, '--budget', '3000', '--as-test', 'kvm-unit-tests');
  assert.equal(kut.code, 0, kut.stderr);
  assert.match(kut.stdout, /vmcs_write\(HOST_SYSENTER_ESP|HOST_IA32_SYSENTER_ESP/);
});

test('diverge with a tree: a patch that applies nowhere runs on the model engine, the reason on stderr and in fallbacks', t => {
  if (!HAVE_TREE) { t.skip(`default tree absent: ${TREE}`); return; }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-review-')), 'elsewhere.patch');
  fs.writeFileSync(file, [`diff --git a/${NESTED} b/${NESTED}`, `--- a/${NESTED}`, `+++ b/${NESTED}`, '@@ -100,3 +100,5 @@ static int nested_vmx_check_host_state(struct kvm_vcpu *vcpu,',
    ' \tthis line is not in any tree;', ' \tnor is this one;', '+\tif (CC(vmcs12->host_cr3 & 0xfff))', '+\t\treturn -EINVAL;', ' \tnor this;', ''].join('\n'));
  const r = kvmReview('diverge', '--path', 'nested-vmentry', '--patch', file, '--tree', TREE, '--budget', '1000', '--json');
  assert.equal(r.code, 0, r.stderr);
  const d = r.json();
  assert.equal(d.engine, 'model');
  assert.equal(d.tree, undefined);
  assert.equal(d.fallbacks[0].engine, 'kernel');
  assert.match(d.fallbacks[0].reason, /does not apply to 6\.12\.\d+/);
  assert.match(r.stderr, /kernel engine: the patch does not apply to 6\.12\.\d+.*; the model engine ran instead/);
});
