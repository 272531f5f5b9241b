// compareKernelPatch with the real kernel engine on the default tree (read at test time; skipped
// when absent): a patch the test makes from nested.c's own lines that changes a host-state check,
// and seed 004, which 6.12 already holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parsePatchDocument } from '../../../src/diff';
import { fsTreeReader } from '../../../src/io/tree';
import { compareKernelPatch, kernelCompareDeps, type KernelCheckChange, type KernelCompareDeps } from '../../../src/review/kernelCompare';
import { cParser } from './cparse';
import { seedText } from '../seeds';

const ROOT = path.resolve(__dirname, '../../../.cache/linux-source-6.12');
const NESTED = 'arch/x86/kvm/vmx/nested.c';


let deps: KernelCompareDeps | undefined;
async function engine(): Promise<KernelCompareDeps> {
  deps ??= kernelCompareDeps({ prepare: { parser: await cParser() }, tree: { path: ROOT, version: '6.12.118' } });
  return deps;
}

/** A one-hunk git patch of nested.c: line `at` (1-based) becomes `text`, 3 lines of context. */
function patchOfLine(lines: string[], at: number, text: string): string {
  const ctx = (a: number, b: number) => lines.slice(a - 1, b).map(l => ` ${l}`);
  return [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001', 'From: T <t@example.invalid>',
    'Subject: [PATCH] KVM: nVMX: test', '', 'test', '---',
    `diff --git a/${NESTED} b/${NESTED}`, 'index 1111111..2222222 100644', `--- a/${NESTED}`, `+++ b/${NESTED}`,
    `@@ -${at - 3},7 +${at - 3},7 @@`, ...ctx(at - 3, at - 1), `-${lines[at - 1]}`, `+${text}`, ...ctx(at + 1, at + 3), '-- ', '2.0', '',
  ].join('\n');
}

void test('kernel engine: a patch that turns the CET/WP host check into one the default scenario fails', async t => {
  if (!fs.existsSync(path.join(ROOT, NESTED))) { t.skip(`default tree absent: ${ROOT}`); return; }
  const tree = fsTreeReader(ROOT);
  const lines = tree.read(NESTED)!.split('\n');
  const at = lines.findIndex(l => l.includes('CC(vmcs12->host_cr4 & X86_CR4_CET && !(vmcs12->host_cr0 & X86_CR0_WP))')) + 1;
  assert.ok(at > 0, 'nested.c has the CET/WP host check');
  const changed = lines[at - 1].replace('vmcs12->host_cr4 & X86_CR4_CET && !(vmcs12->host_cr0 & X86_CR0_WP)', 'vmcs12->host_cr0 & X86_CR0_WP');
  const doc = parsePatchDocument(patchOfLine(lines, at, changed));
  const r = compareKernelPatch(tree, doc, 'nested-vmentry', { base: 'default' }, await engine());
  assert.deepEqual(r.engine, { before: 'kernel', after: 'kernel' }, r.fallback);
  assert.deepEqual(r.apply.map(a => [a.status, a.line]), [['applied', at - 3]]);
  assert.notEqual(r.before.failedCheck?.location, `${NESTED}:${at}`, 'before: the check passes (host CR0.WP is set by default)');
  assert.equal(r.after.failedCheck?.location, `${NESTED}:${at}`);
  assert.equal(r.after.failedCheck?.source, changed.trim());
  assert.deepEqual(r.after.outcome, { kind: 'vmfail-valid', vmInstructionError: 8 });
  assert.equal(r.differs, true);
  const cc = r.changedChecks as KernelCheckChange[];
  assert.equal(cc.length, 1);
  assert.deepEqual([cc[0].before, cc[0].after, cc[0].location], [
    'vmcs12->host_cr4 & X86_CR4_CET && !(vmcs12->host_cr0 & X86_CR0_WP)', 'vmcs12->host_cr0 & X86_CR0_WP',
    { before: `${NESTED}:${at}`, after: `${NESTED}:${at}` },
  ]);
  assert.equal(tree.read(NESTED)!.split('\n')[at - 1], lines[at - 1], 'the tree on disk is unchanged');
});

void test('kernel engine: seed 004 is already in 6.12; it changes comments only, so before and after agree', async t => {
  if (!fs.existsSync(path.join(ROOT, NESTED))) { t.skip(`default tree absent: ${ROOT}`); return; }
  const text = seedText('004', t); if (text === undefined) return;
  const r = compareKernelPatch(fsTreeReader(ROOT), parsePatchDocument(text), 'nested-vmentry', { base: 'default' }, await engine());
  assert.deepEqual(r.engine, { before: 'kernel', after: 'kernel' }, r.fallback);
  assert.deepEqual(r.apply.map(a => a.status), ['failed', 'already-applied', 'already-applied', 'already-applied']);
  assert.equal(r.alreadyApplied, true);
  assert.equal(r.partial, true);
  assert.equal(r.differs, false);
  assert.deepEqual(r.before.outcome, r.after.outcome);
  assert.ok((r.changedChecks as KernelCheckChange[]).every(c => c.check === null && /no check of this path ran/.test(c.reason ?? '')));
});

void test('kernel engine: a path the kernel engine does not run falls back to the model, saying so', async t => {
  if (!fs.existsSync(path.join(ROOT, NESTED))) { t.skip(`default tree absent: ${ROOT}`); return; }
  const text = seedText('004', t); if (text === undefined) return;
  const d = await engine();
  if (d.canRun?.('no-such-path') !== false) { t.skip('engine lists no paths'); return; }
  const r = compareKernelPatch(fsTreeReader(ROOT), parsePatchDocument(text), 'no-such-path', { base: 'default' }, { ...d, model: () => ({ before: { outcome: { kind: 'ok' }, warnings: [], failedCheck: null }, after: { outcome: { kind: 'ok' }, warnings: [], failedCheck: null }, differs: false, changedChecks: [] }) });
  assert.deepEqual(r.engine, { before: 'model', after: 'model' });
  assert.match(r.fallback!, /does not run path "no-such-path"/);
});
