// Hostile patch text in the simulator: costly bit helpers, huge counts, prototype names and
// self-referring macros are "cannot evaluate" for the one change that carries them; the rest of
// the comparison survives, and unused macros cost nothing (issue 10, items 2 and 3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ScenarioError, simulate } from '../../../src/sim';
import { parsePatchDocument } from '../../../src/diff';
import { comparePatch, divergePatch } from '../../../src/review/patchSimulation';

const ROOT = path.resolve(__dirname, '../../..');

function definePatch(lines: [string | null, string | null][], extra = ''): string {
  const body = lines.flatMap(([before, after]) => [...(before ? [`-${before}`] : []), ...(after ? [`+${after}`] : [])]);
  const removed = lines.filter(l => l[0]).length, added = lines.filter(l => l[1]).length;
  return ['From: a <a@example.invalid>', 'Subject: [PATCH] KVM: x86: hostile macros', '', '---',
    'diff --git a/arch/x86/kvm/kvm_cache_regs.h b/arch/x86/kvm/kvm_cache_regs.h', '--- a/arch/x86/kvm/kvm_cache_regs.h', '+++ b/arch/x86/kvm/kvm_cache_regs.h',
    `@@ -10,${removed + 1} +10,${added + 1} @@`, ' /* context */', ...body, extra].join('\n') + '\n';
}

void test('hostile conditions fail as one-line ScenarioErrors, never RangeError or TypeError', () => {
  const hostile = ['BIT(0xffffffffffffffff)', 'BIT_ULL(1073741823)', 'GENMASK_ULL(0xffffffffffffffff, 0)', 'GENMASK(3, 9)', 'IS_ALIGNED(vmcs12->host_cr3, 0)',
    'sizeof(constructor)', 'sizeof(__proto__)', '(constructor)1', '(__proto__)vmcs12->host_cr3', 'constructor(1)', 'vmcs12->__proto__', 'vmx->nested.msrs.constructor',
    'nested_vmx_load_msr(vcpu, 0, 4096) + nested_vmx_load_msr(vcpu, 0, 4096) + nested_vmx_load_msr(vcpu, 0, 4096) + nested_vmx_load_msr(vcpu, 0, 4096) + nested_vmx_load_msr(vcpu, 0, 4096) + nested_vmx_load_msr(vcpu, 0, 4096)',
    '1 ' + '+ 1 '.repeat(5000), '(' + 'x'.repeat(70000) + ')', '9'.repeat(200)];
  for (const condition of hostile) {
    const t0 = Date.now();
    assert.throws(() => simulate('nested-vmentry', { base: 'default' }, { overrides: { 'host-cr3': condition } }),
      (e: unknown) => e instanceof ScenarioError && !e.message.includes('\n') && e.message.length < 600, condition.slice(0, 80));
    assert.ok(Date.now() - t0 < 1000, `${condition.slice(0, 60)}: ${Date.now() - t0} ms`);
  }
});

void test('a hostile macro the model reads is "cannot evaluate" for that change; the comparison survives', () => {
  const doc = parsePatchDocument(definePatch([
    ['#define KVM_POSSIBLE_CR0_GUEST_BITS (X86_CR0_TS | X86_CR0_WP)', '#define KVM_POSSIBLE_CR0_GUEST_BITS GENMASK_ULL(BIT_ULL(62), 0)'],
  ]));
  const r = comparePatch('cr0-write', { base: 'default' }, doc);
  const change = r.changedChecks.find(c => c.reason?.includes('KVM_POSSIBLE_CR0_GUEST_BITS'));
  assert.ok(change, JSON.stringify(r.changedChecks));
  assert.match(change.reason!, /cannot evaluate/);
  assert.equal(r.before.outcome.kind, 'ok');
  assert.equal(r.after.outcome.kind, 'ok');
});

void test('a macro that refers to itself is "cannot evaluate", not a stack overflow', () => {
  const doc = parsePatchDocument(definePatch([[null, '#define KVM_POSSIBLE_CR0_GUEST_BITS (KVM_POSSIBLE_CR0_GUEST_BITS | 1)']]));
  const r = comparePatch('cr0-write', { base: 'default' }, doc);
  assert.match(r.changedChecks[0].reason ?? '', /refers to itself|cannot evaluate/);
});

void test('thousands of costly macros no condition reads are never evaluated: comparison and search stay fast', () => {
  const lines: [string | null, string | null][] = Array.from({ length: 3000 }, (_, i) => [null, `#define HOSTILE_${i} GENMASK_ULL(BIT_ULL(${i} * 1000000), BIT_ULL(BIT_ULL(62)))`]);
  const doc = parsePatchDocument(definePatch(lines));
  let t0 = Date.now();
  const r = comparePatch('cr0-write', { base: 'default' }, doc);
  const compareMs = Date.now() - t0;
  assert.equal(r.changedChecks.length, 3000);
  assert.ok(r.changedChecks.every(c => c.define && !c.reason), 'unused macros stay listed, without a reason');
  assert.ok(compareMs < 1500, `compare ${compareMs} ms`);
  t0 = Date.now();
  divergePatch('cr0-write', { base: 'default' }, doc);
  assert.ok(Date.now() - t0 < 3000, `diverge ${Date.now() - t0} ms`);
});

void test('a scenario search stops at its time budget and says so', () => {
  const doc = parsePatchDocument(fs.readFileSync(path.join(ROOT, 'samples/lam-cr3.patch'), 'utf8'));
  const t0 = Date.now();
  const r = divergePatch('nested-vmentry', { base: 'default' }, doc, 4096, 50, 30);
  assert.ok(Date.now() - t0 < 3000, `${Date.now() - t0} ms`);
  assert.match(r.stopped ?? '', /time budget/);
  assert.ok(r.searched < divergePatch('nested-vmentry', { base: 'default' }, doc).searched, 'stopped before the end');
});

void test('prototype names as path, function, MSR and scenario keys are unknown, not crashes', async () => {
  const { checksOnPath, checksOf } = await import('../../../src/sim');
  for (const nm of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    assert.deepEqual(checksOnPath(nm), []);
    assert.deepEqual(checksOf(nm), []);
    assert.throws(() => simulate(nm), ScenarioError);
    assert.throws(() => simulate('nested-vmentry', { base: 'default', l1Msrs: { [nm]: '0x1' } }), ScenarioError, nm);
  }
});

void test('a patch that changes one check thousands of times costs a few simulations, not thousands', () => {
  const hunk = (i: number) => ['@@ -1095,4 +1095,4 @@ static int nested_vmx_load_cr3(struct kvm_vcpu *vcpu, unsigned long cr3,', ' {',
    '-\tif (CC(!kvm_vcpu_is_legal_cr3(vcpu, cr3))) {', `+\tif (CC(!kvm_vcpu_is_legal_cr3(vcpu, cr3) || BIT_ULL(${1000 + i}))) {`, ' \t\treturn -EINVAL;'].join('\n');
  const text = ['From: a <a@example.invalid>', 'Subject: [PATCH] KVM: nVMX: 2000 changes of one check', '', '---',
    'diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c', '--- a/arch/x86/kvm/vmx/nested.c', '+++ b/arch/x86/kvm/vmx/nested.c',
    ...Array.from({ length: 2000 }, (_, i) => hunk(i)), ''].join('\n');
  const t0 = Date.now();
  const r = comparePatch('nested-vmentry', { base: 'default' }, parsePatchDocument(text));
  assert.ok(Date.now() - t0 < 4000, `${Date.now() - t0} ms`);
  assert.equal(r.changedChecks.length, 2000);
  assert.equal(r.changedChecks.filter(c => /cannot evaluate/.test(c.reason ?? '')).length, 4, 'the last four are tried');
  assert.ok(r.changedChecks.slice(0, 1996).every(c => c.check === null && /^not evaluated/.test(c.reason ?? '')));
  assert.equal(r.before.outcome.kind, 'entered');
});
