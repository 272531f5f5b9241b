// diverge with the kernel engine on the default tree (read at test time; skipped when absent):
// patches the test makes from nested.c's own lines (a new CC() check in
// nested_vmx_check_host_state, an inverted one), a patch the tree already holds, and a patch that
// does not apply (the model engine runs it and the answer names why).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePatchDocument } from '../../../src/diff';
import { kernelCompareDeps } from '../../../src/review/kernelCompare';
import { kernelDivergeEngine, changedConditions } from '../../../src/review/kernelDiverge';
import { divergeWith } from '../../../src/review/engine';
import { MODEL_ENGINE } from '../../../src/review/modelDiverge';
import type { DivergeEngine } from '../../../src/review/engine';
import { cParser } from '../kernel/cparse';
import { HAVE_TREE, reader, treeInfo, TREE_ROOT } from '../kernel/engineTree';

const NESTED = 'arch/x86/kvm/vmx/nested.c';

let engine: DivergeEngine | undefined;
async function kernel(): Promise<DivergeEngine> {
  if (engine) return engine;
  const dir = path.join(os.tmpdir(), 'kvm-review-kernel-test-cache');
  fs.mkdirSync(dir, { recursive: true });
  const file = (k: string): string => path.join(dir, k.replace(/[^A-Za-z0-9]/g, '_').slice(0, 120));
  const cache = { get: (k: string) => { try { return fs.readFileSync(file(k), 'utf8'); } catch { return undefined; } }, put: (k: string, v: string) => { fs.writeFileSync(file(k), v); } };
  const info = treeInfo();
  engine = kernelDivergeEngine({ tree: reader, info, deps: kernelCompareDeps({ prepare: { parser: await cParser(), cache }, tree: info }) });
  return engine;
}

/** A one-hunk git patch of nested.c: lines [at, at+del) (1-based) replaced by `add`, 3 lines of context. */
function patchOf(lines: string[], at: number, del: number, add: string[]): string {
  const ctx = (a: number, b: number) => lines.slice(a - 1, b).map(l => ` ${l}`);
  return [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001', 'From: T <t@example.invalid>',
    'Subject: [PATCH] KVM: nVMX: test', '', 'test', '---',
    `diff --git a/${NESTED} b/${NESTED}`, 'index 1111111..2222222 100644', `--- a/${NESTED}`, `+++ b/${NESTED}`,
    `@@ -${at - 3},${del + 6} +${at - 3},${add.length + 6} @@`, ...ctx(at - 3, at - 1),
    ...lines.slice(at - 1, at - 1 + del).map(l => `-${l}`), ...add.map(l => `+${l}`), ...ctx(at + del, at + del + 2), '-- ', '2.0', '',
  ].join('\n');
}

const nestedLines = (): string[] => reader.read(NESTED)!.split('\n');
const lineOf = (lines: string[], text: string): number => lines.findIndex(l => l.includes(text)) + 1;

void test('changedConditions: the CC() and if () conditions of a hunk\'s changed lines, an if (CC()) once', () => {
  const doc = parsePatchDocument(['diff --git a/x.c b/x.c', '--- a/x.c', '+++ b/x.c', '@@ -1,3 +1,4 @@', ' int f(void)', '-\tif (CC(a &&', '-\t      b))', '+\tif (CC(a) ||', '+\t    CC(c))', '+\tif (d > 3)', ' \treturn 0;', ''].join('\n'));
  assert.deepEqual(changedConditions(doc, 0).map(c => [c.kind, c.text]), [['added', 'a'], ['added', 'c'], ['added', 'd > 3'], ['removed', 'a && b']]);
});

void test('kernel diverge: a new CC() check in nested_vmx_check_host_state is found from the default scenario, decided at its nested.c line', async t => {
  if (!HAVE_TREE) { t.skip(`default tree absent: ${TREE_ROOT}`); return; }
  const lines = nestedLines();
  // a new check after the CET/WP one: host SYSENTER_ESP must be 16-byte aligned (made up for the test)
  const at = lineOf(lines, 'CC(vmcs12->host_cr4 & X86_CR4_CET && !(vmcs12->host_cr0 & X86_CR0_WP))') + 2;
  assert.ok(at > 2);
  const doc = parsePatchDocument(patchOf(lines, at, 0, ['\tif (CC(vmcs12->host_ia32_sysenter_esp & 0xf))', '\t\treturn -EINVAL;', '']));
  const r = await divergeWith([await kernel(), MODEL_ENGINE], 'nested-vmentry', { base: 'default' }, doc, { maxMs: 20000 });
  assert.equal(r.engine, 'kernel', JSON.stringify(r.fallbacks));
  assert.equal(r.applied, 'applied');
  assert.deepEqual(r.fallbacks, []);
  assert.ok(r.witnesses.length >= 1, `searched ${r.searched}, axes ${JSON.stringify(r.axes)}`);
  const w = r.witnesses[0];
  assert.match(w.decidedAt, /^arch\/x86\/kvm\/vmx\/nested\.c:\d+$/);
  assert.equal(w.decidedAt, `${NESTED}:${at}`, 'the new check\'s line in the patched file');
  assert.equal(w.before.outcome.kind, 'entered');
  assert.deepEqual(w.after.outcome, { kind: 'vmfail-valid', vmInstructionError: 8 });
  assert.ok(w.changes.some(c => c.path.join('.') === 'vmcs12.HOST_IA32_SYSENTER_ESP'), JSON.stringify(w.changes));
  assert.equal(w.before.engine, 'kernel');
  assert.ok(r.changes.some(c => c.check === 'vmcs12->host_ia32_sysenter_esp & 0xf' && c.kind === 'added'), JSON.stringify(r.changes));
  assert.equal(r.notSimulated, 0);
});

void test('kernel diverge: inverting the CET/WP host check diverges on the default scenario itself', async t => {
  if (!HAVE_TREE) { t.skip(`default tree absent: ${TREE_ROOT}`); return; }
  const lines = nestedLines();
  const at = lineOf(lines, 'CC(vmcs12->host_cr4 & X86_CR4_CET && !(vmcs12->host_cr0 & X86_CR0_WP))');
  const doc = parsePatchDocument(patchOf(lines, at, 1, [lines[at - 1].replace('!(vmcs12->host_cr0 & X86_CR0_WP)', '(vmcs12->host_cr0 & X86_CR0_WP)').replace('vmcs12->host_cr4 & X86_CR4_CET && ', '')]));
  const r = await divergeWith([await kernel(), MODEL_ENGINE], 'nested-vmentry', { base: 'default' }, doc, { maxMs: 3000 });
  assert.equal(r.engine, 'kernel');
  const w = r.witnesses.find(x => x.changes.length === 0);
  assert.ok(w, `a witness with no change: ${JSON.stringify(r.witnesses.map(x => x.changes.map(c => c.label)))}`);
  assert.equal(w.decidedAt, `${NESTED}:${at}`);
  assert.equal(w.after.failedCheck?.location, `${NESTED}:${at}`);
});

void test('kernel diverge: a patch the tree already holds is already-applied (before = reversed)', async t => {
  if (!HAVE_TREE) { t.skip(`default tree absent: ${TREE_ROOT}`); return; }
  const lines = nestedLines();
  // the SYSENTER canonical checks as a patch that adds them: the tree holds them, so it applies in reverse
  const at = lineOf(lines, 'CC(is_noncanonical_msr_address(vmcs12->host_ia32_sysenter_esp, vcpu))');
  const ctx = (a: number, b: number) => lines.slice(a - 1, b).map(l => ` ${l}`);
  const text = [
    `diff --git a/${NESTED} b/${NESTED}`, `--- a/${NESTED}`, `+++ b/${NESTED}`, `@@ -${at - 3},6 +${at - 3},9 @@`,
    ...ctx(at - 3, at - 1), `+${lines[at - 1]}`, `+${lines[at]}`, `+${lines[at + 1]}`, ...ctx(at + 3, at + 5), '',
  ].join('\n');
  const r = await divergeWith([await kernel(), MODEL_ENGINE], 'nested-vmentry', { base: 'default' }, parsePatchDocument(text), { maxMs: 8000 });
  assert.equal(r.engine, 'kernel', JSON.stringify(r.fallbacks));
  assert.equal(r.applied, 'already-applied');
  const w = r.witnesses.find(x => x.after.failedCheck?.location === `${NESTED}:${at}`);
  assert.ok(w, `a witness failing the SYSENTER_ESP check after: ${JSON.stringify(r.witnesses.map(x => [x.decidedAt, x.changes.map(c => c.label)]))} searched ${r.searched}`);
  assert.ok(w.changes.some(c => c.path.join('.') === 'vmcs12.HOST_IA32_SYSENTER_ESP'));
  console.log(`already-applied: searched ${r.searched} in ${r.elapsedMs} ms, ${r.witnesses.length} witnesses`);
  assert.equal(w.before.outcome.kind, 'entered');
});

void test('kernel diverge: a patch that does not apply falls back to the model engine, naming why', async t => {
  if (!HAVE_TREE) { t.skip(`default tree absent: ${TREE_ROOT}`); return; }
  const text = [
    `diff --git a/${NESTED} b/${NESTED}`, `--- a/${NESTED}`, `+++ b/${NESTED}`, '@@ -100,3 +100,5 @@ static int nested_vmx_check_host_state(struct kvm_vcpu *vcpu,',
    ' \tthis line is not in any tree;', ' \tnor is this one;', '+\tif (CC(vmcs12->host_cr3 & 0xfff))', '+\t\treturn -EINVAL;', ' \tnor this;', '',
  ].join('\n');
  const r = await divergeWith([await kernel(), MODEL_ENGINE], 'nested-vmentry', { base: 'default' }, parsePatchDocument(text), { maxMs: 3000 });
  assert.equal(r.engine, 'model');
  assert.equal(r.fallbacks.length, 1);
  assert.equal(r.fallbacks[0].engine, 'kernel');
  assert.match(r.fallbacks[0].reason, /does not apply to 6\.12\.\d+/);
});

void test('kernel diverge: a path the kernel engine does not run is the model\'s, with the reason', async t => {
  if (!HAVE_TREE) { t.skip(`default tree absent: ${TREE_ROOT}`); return; }
  const p = (await kernel()).prepare('no-such-path', parsePatchDocument(''));
  assert.ok('cannot' in p);
  assert.match(p.cannot, /does not run path "no-such-path"/);
});

void test('kernel diverge: a side the kernel engine cannot finish (the reversed LAM patch calls a helper 6.12 no longer has) is the model\'s, with the reason', async t => {
  if (!HAVE_TREE) { t.skip(`default tree absent: ${TREE_ROOT}`); return; }
  const doc = parsePatchDocument(fs.readFileSync(path.join(__dirname, '../../../samples/lam-cr3.patch'), 'utf8'));
  const r = await divergeWith([await kernel(), MODEL_ENGINE], 'nested-vmentry', { base: 'default' }, doc, { maxMs: 2000 });
  assert.equal(r.engine, 'model');
  assert.match(r.fallbacks[0]?.reason ?? '', /^it could not finish the path before the patch \(the tree holds it; before = reversed\): cannot run kvm_vcpu_is_illegal_gpa/);
  assert.ok(r.witnesses.some(w => w.decidedAt === 'model:guest-cr3-legal'));
});
