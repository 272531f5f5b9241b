// Before/after simulation of a patch: which checks a patch touches, and what KVM does before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parsePatchDocument } from '../../../src/diff';
import { allChecks } from '../../../src/sim';
import { checkChangesOf, conditionsIn } from '../../../src/review/checkChanges';
import { comparePatch, divergePatch } from '../../../src/review/patchSimulation';
import { seedText } from '../seeds';

const ROOT = path.resolve(__dirname, '../../..');
const lamPatch = () => parsePatchDocument(fs.readFileSync(path.join(ROOT, 'samples/lam-cr3.patch'), 'utf8'));
const hostCr3Bit62 = (lam: boolean) => ({ base: 'default', cpuid: { features: { LAM: lam } }, vmcs12: { HOST_CR3: '0x4000000000001000' } });

test('conditions are the CC() arguments of changed lines, else the if() condition', () => {
  assert.deepEqual(conditionsIn('if (CC(a(vcpu, x)) ||\n    CC(!b(y)))'), ['a(vcpu, x)', '!b(y)']);
  assert.deepEqual(conditionsIn('\tif (evmcs_gpa && (evmcs_gpa != -1ull))\n\t\treturn -EINVAL;'), ['evmcs_gpa && (evmcs_gpa != -1ull)']);
  assert.deepEqual(conditionsIn('\tvcpu->arch.cr3 = cr3;'), []);
  // a changed line cut after CC(...) keeps only the condition; comments never count
  assert.deepEqual(conditionsIn('\t    CC(kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->host_cr3)))'), ['kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->host_cr3)']);
  assert.deepEqual(conditionsIn('} else if ((a && b)) {'), ['(a && b)']);
  assert.deepEqual(conditionsIn('if (a /* why (not) */ &&\n    b)').map(c => c.replace(/\s+/g, ' ')), ['a && b']);
});

test('the LAM patch touches the HOST_CR3 and GUEST_CR3 checks, with the parameter cr3 bound to vmcs12->guest_cr3', () => {
  const changes = checkChangesOf(lamPatch(), allChecks());
  assert.deepEqual(changes.map(c => c.check), ['guest-cr3-legal', 'host-cr3']);
  const guest = changes[0];
  assert.equal(guest.function, 'nested_vmx_load_cr3');
  assert.match(guest.before!, /^kvm_vcpu_is_illegal_gpa\(vcpu, \(?vmcs12->guest_cr3\)?\)$/);
  assert.match(guest.after!, /^!kvm_vcpu_is_legal_cr3\(vcpu, \(?vmcs12->guest_cr3\)?\)$/);
  assert.equal(changes[1].before, 'kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->host_cr3)');
});

test('HOST_CR3 with bit 62 and LAM enumerated: VMfailValid 8 before the LAM patch, entered after', () => {
  const r = comparePatch('nested-vmentry', hostCr3Bit62(true), lamPatch());
  assert.deepEqual(r.before.outcome, { kind: 'vmfail-valid', vmInstructionError: 8 });
  assert.equal(r.before.failedCheck?.id, 'host-cr3');
  assert.deepEqual(r.after.outcome, { kind: 'entered' });
  assert.equal(r.differs, true);
  assert.deepEqual(r.changedChecks.map(c => c.sourceLine), [27, 36]);
});

test('without LAM in CPUID, bit 62 fails both before and after; the default scenario does not differ', () => {
  const r = comparePatch('nested-vmentry', hostCr3Bit62(false), lamPatch());
  assert.equal(r.before.outcome.kind, 'vmfail-valid');
  assert.equal(r.after.outcome.kind, 'vmfail-valid');
  assert.equal(r.differs, false);
  assert.equal(comparePatch('nested-vmentry', { base: 'default' }, lamPatch()).differs, false);
});

test('diverge finds exactly the LAM bits 61/62 of HOST_CR3 and GUEST_CR3 with LAM enumerated', () => {
  const found = divergePatch('nested-vmentry', { base: 'default' }, lamPatch());
  assert.ok(found.searched > 500, `searched ${found.searched}`);
  assert.ok(found.diverging.length > 0);
  for (const d of found.diverging) {
    const s = d.scenario as { cpuid: { features: { LAM: boolean } }; vmcs12: Record<string, string> };
    assert.equal(s.cpuid.features.LAM, true);
    const cr3 = BigInt(s.vmcs12.HOST_CR3 ?? s.vmcs12.GUEST_CR3);
    assert.ok((cr3 & (3n << 61n)) !== 0n, JSON.stringify(s));
  }
});

test('seed 004 (a comment-only patch) touches no check; seed 003 reports its new eVMCS condition as unmapped', t => {
  const s4 = seedText('004', t); const s3 = seedText('003', t);
  if (!s4 || !s3) return;
  const r4 = comparePatch('nested-vmentry', { base: 'default' }, parsePatchDocument(s4));
  assert.deepEqual(r4.changedChecks, []);
  assert.equal(r4.differs, false);
  const c3 = checkChangesOf(parsePatchDocument(s3), allChecks());
  const evmcs = c3.find(c => c.function === 'vmx_set_nested_state');
  assert.ok(evmcs && evmcs.check === null && evmcs.reason, JSON.stringify(c3));
});

test('seed 002 redefines KVM_POSSIBLE_CR0_GUEST_BITS: a guest CR0.WP toggle with EPT exits before the patch, not after', t => {
  const s2 = seedText('002', t);
  if (!s2) return;
  const doc = parsePatchDocument(s2);
  const define = checkChangesOf(doc, allChecks()).find(c => c.define === 'KVM_POSSIBLE_CR0_GUEST_BITS');
  assert.deepEqual(define && [define.before, define.after], ['X86_CR0_TS', '(X86_CR0_TS | X86_CR0_WP)']);
  const withEpt = comparePatch('cr0-write', { base: 'default', write: { cr0: '0x80040033' } }, doc);
  assert.deepEqual(withEpt.before.outcome, { kind: 'ok', intercepted: true, mmu: 'kvm_init_mmu' });
  assert.deepEqual(withEpt.after.outcome, { kind: 'ok', intercepted: false, mmu: 'none' });
  assert.equal(withEpt.differs, true);
  // with shadow paging WP stays intercepted either way
  assert.equal(comparePatch('cr0-write', { base: 'default', params: { ept: false }, write: { cr0: '0x80040033' } }, doc).differs, false);
});
