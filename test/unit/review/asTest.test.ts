// Witnesses written as tests: the suite's idioms, the witness's values, the expected (after) result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { witnessesAsTests } from '../../../src/review/asTest';
import type { Witness } from '../../../src/review/divergeTypes';

const hostCr3: Witness = {
  scenario: { base: 'default', vmcs12: { HOST_CR3: '0x4000000000001000' } },
  changes: [{ path: ['vmcs12', 'HOST_CR3'], value: '0x4000000000001000', label: 'HOST_CR3 = 0x4000000000001000' }],
  before: { outcome: { kind: 'entered' }, warnings: [], failedCheck: null },
  after: { outcome: { kind: 'vmfail-valid', vmInstructionError: 8 }, warnings: [], failedCheck: { id: 'host-cr3', function: 'nested_vmx_check_host_state' } },
  decidedAt: 'arch/x86/kvm/vmx/nested.c:3054', count: 3,
};

const cases: { name: string; suite: 'kvm-unit-tests' | 'selftest'; path: string; witness: Witness; want: RegExp[]; not?: RegExp[] }[] = [
  { name: 'kvm-unit-tests host-state VMfail', suite: 'kvm-unit-tests', path: 'nested-vmentry', witness: hostCr3, want: [
    /u64 saved_host_cr3 = vmcs_read\(HOST_CR3\);/, /report_prefix_pushf\("HOST_CR3 = 0x4000000000001000"\);/,
    /vmcs_write\(HOST_CR3, 0x4000000000001000ull\);\n\ttest_vmx_vmlaunch\(VMXERR_ENTRY_INVALID_HOST_STATE_FIELD\);\n\treport_prefix_pop\(\);/,
    /vmcs_write\(HOST_CR3, saved_host_cr3\);/, /Before the patch: entered\./, /After the patch: {2}vmfail-valid, vmInstructionError 8/, /3 diverging scenarios/] },
  { name: 'kvm-unit-tests control bits with kvm-unit-tests names', suite: 'kvm-unit-tests', path: 'nested-vmentry', witness: {
    ...hostCr3, changes: [{ path: ['vmcs12', 'VM_ENTRY_CONTROLS'], value: { set: ['VM_ENTRY_LOAD_IA32_EFER'], clear: ['VM_ENTRY_IA32E_MODE'] }, label: 'entry controls' },
      { path: ['cpuid', 'features', 'LAM'], value: false, label: 'cpuid LAM off' }],
    after: { outcome: { kind: 'vmfail-valid', vmInstructionError: 7 }, warnings: [], failedCheck: null } }, want: [
    /vmcs_set_bits\(ENT_CONTROLS, ENT_LOAD_EFER\);/, /vmcs_clear_bits\(ENT_CONTROLS, ENT_GUEST_64\);/,
    /test_vmx_vmlaunch\(VMXERR_ENTRY_INVALID_CONTROL_FIELD\);/, /L1's CPUID without LAM \(e\.g\. QEMU -cpu host,-lam\)/] },
  { name: 'kvm-unit-tests guest-state entry failure', suite: 'kvm-unit-tests', path: 'nested-vmentry', witness: {
    ...hostCr3, changes: [{ path: ['vmcs12', 'GUEST_CR3'], value: '0x4000000000001000', label: 'GUEST_CR3' }],
    after: { outcome: { kind: 'entry-failure-vmexit', exitReason: '0x80000021', exitQualification: '0x0' }, warnings: [], failedCheck: null } }, want: [
    /enter_guest_with_invalid_guest_state\(\);/, /report_guest_state_test\("GUEST_CR3", VMX_ENTRY_FAILURE \| VMX_FAIL_STATE, 0x4000000000001000ull, "GUEST_CR3"\);/] },
  { name: 'selftest set-nested-state -EINVAL', suite: 'selftest', path: 'set-nested-state', witness: {
    ...hostCr3, changes: [
      { path: ['nestedState', 'flags'], value: ['KVM_STATE_NESTED_EVMCS'], label: 'flags EVMCS' },
      { path: ['nestedState', 'vmcs12_pa'], value: '0xffffffffffffffff', label: 'no vmcs12' },
      { path: ['nestedState', 'evmcs_pa'], value: '0x7fff0000', label: 'evmcs_pa unbacked' }],
    before: { outcome: { kind: 'ok' }, warnings: [], failedCheck: null },
    after: { outcome: { kind: 'error', errno: 'EINVAL' }, warnings: [], failedCheck: null } }, want: [
    /set_default_vmx_state\(state, state_sz\);\n\tstate->flags = KVM_STATE_NESTED_EVMCS;\n\tstate->hdr\.vmx\.vmcs12_pa = -1ull;\n\tstate->hdr\.vmx\.evmcs_pa = 0x7fff0000ull;\n\ttest_nested_state_expect_einval\(vcpu, state\);/] },
  { name: 'selftest cr0 write no longer intercepted', suite: 'selftest', path: 'cr0-write', witness: {
    ...hostCr3, changes: [{ path: ['write', 'cr0'], value: '0x80040033', label: 'CR0 write 0x80040033' }],
    before: { outcome: { kind: 'ok', intercepted: true, mmu: 'kvm_init_mmu' }, warnings: [], failedCheck: null },
    after: { outcome: { kind: 'ok', intercepted: false, mmu: 'none' }, warnings: [], failedCheck: null } }, want: [
    /set_cr0\(0x80040033ul\);/, /TEST_ASSERT\(vcpu_get_stat\(vcpu, exits\) == exits \+ 1,/, /before the patch the write was intercepted; after it, it is not/] },
  { name: 'selftest module-load: a shell check with the warning', suite: 'selftest', path: 'module-load', witness: {
    ...hostCr3, changes: [{ path: ['hostMsrs', 'MSR_IA32_VMX_EXIT_CTLS'], value: { disallow: ['VM_EXIT_LOAD_IA32_EFER'] }, label: 'exit ctls without LOAD_IA32_EFER' }],
    before: { outcome: { kind: 'loaded' }, warnings: [], failedCheck: null },
    after: { outcome: { kind: 'loaded' }, warnings: ['Inconsistent VM-Entry/VM-Exit pair, entry = 8000, exit = 0'], failedCheck: null } }, want: [
    /modprobe -r kvm_intel/, /dmesg \| grep -F \\"Inconsistent VM-Entry\/VM-Exit pair, entry\\"/, /the host \(or L0\) reports MSR_IA32_VMX_EXIT_CTLS \{"disallow":\["VM_EXIT_LOAD_IA32_EFER"\]\}/] },
  { name: 'selftest nested-vmentry with the VMX helpers', suite: 'selftest', path: 'nested-vmentry', witness: hostCr3, want: [
    /prepare_vmcs\(vmx_pages, /, /vmwrite\(HOST_CR3, 0x4000000000001000ull\);\n\tGUEST_ASSERT\(vmlaunch\(\)\);\n\tGUEST_ASSERT_EQ\(vmreadz\(VM_INSTRUCTION_ERROR\), 8\);/] },
];

for (const c of cases) {
  test(`as test: ${c.name}`, () => {
    const text = witnessesAsTests(c.suite, c.path, [c.witness]);
    for (const re of c.want) assert.match(text, re);
    assert.doesNotMatch(text, /SPDX|GPL/);
  });
}

test('as test: no witness, no test (and says so)', () => {
  assert.match(witnessesAsTests('selftest', 'nested-vmentry', []), /no scenario where the patch changes the outcome/);
});

test('as test: comment terminators in labels cannot close the comment', () => {
  const text = witnessesAsTests('kvm-unit-tests', 'nested-vmentry', [{ ...hostCr3, changes: [{ ...hostCr3.changes[0], label: 'x */ evil(); /*' }] }]);
  assert.doesNotMatch(text.split('static void')[0], /\*\/ evil/);
});
