// The five seed-mail topics as scenarios (the mails themselves stay in ../shared/seeds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../../src/sim';

const NO_LAM = { cpuid: { features: { LAM: false } } };

void test('LAM: HOST_CR3 bits 61/62 pass with LAM in CPUID, fail (VMfailValid 8) without', () => {
  for (const cr3 of ['0x2000000000001000', '0x4000000000001000', '0x6000000000001000']) {
    assert.deepEqual(simulate('nested-vmentry', { vmcs12: { HOST_CR3: cr3 } }).outcome, { kind: 'entered' }, cr3);
    const r = simulate('nested-vmentry', { ...NO_LAM, vmcs12: { HOST_CR3: cr3 } });
    assert.deepEqual(r.outcome, { kind: 'vmfail-valid', vmInstructionError: 8 }, cr3);
    assert.deepEqual(r.failedCheck, { id: 'host-cr3', function: 'nested_vmx_check_host_state', condition: '!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)', sdm: 'SDM Vol. 3C 27.2.2 (checks on host control registers, MSRs and SSP)' });
    assert.equal(r.trace.at(-1)?.values.HOST_CR3, cr3.replace(/^0x0*/, '0x'));
    assert.equal(r.trace.at(-1)?.values['guest_can_use(X86_FEATURE_LAM)'], '0x0');
  }
  // Bit 63 is never a LAM bit.
  assert.equal(simulate('nested-vmentry', { vmcs12: { HOST_CR3: '0x8000000000001000' } }).failedCheck?.id, 'host-cr3');
});

void test('LAM: guest CPUID with LAM on a host without LAM cannot use it (guest_can_use needs the KVM cap)', () => {
  const r = simulate('nested-vmentry', { host: { features: { LAM: false } }, vmcs12: { HOST_CR3: '0x4000000000001000' } });
  assert.equal(r.failedCheck?.id, 'host-cr3');
});

void test('LAM: GUEST_CR3 bit 61 is an entry-failure VM-exit (reason 33, qualification 0) without LAM', () => {
  assert.equal(simulate('nested-vmentry', { vmcs12: { GUEST_CR3: '0x2000000000002000' } }).outcome.kind, 'entered');
  const r = simulate('nested-vmentry', { ...NO_LAM, vmcs12: { GUEST_CR3: '0x2000000000002000' } });
  assert.deepEqual(r.outcome, { kind: 'entry-failure-vmexit', exitReason: '0x80000021', exitQualification: '0x0' });
  assert.equal(r.failedCheck?.function, 'nested_vmx_load_cr3');
});

void test('LAM: MOV to CR3 is checked by KVM only when intercepted (shadow paging); KVM_SET_SREGS always in long mode', () => {
  const w = { write: { cr3: '0x4000000000002000' } };
  const shadow = simulate('cr3-write', { base: 'ept-off', ...w });
  assert.deepEqual(shadow.outcome, { kind: 'ok', intercepted: true, mmu: 'none' });
  assert.equal(shadow.trace.find(t => t.check === 'mmu-root-switch')?.values.kvm_mmu_new_pgd, '0x1');
  assert.deepEqual(simulate('cr3-write', { base: 'ept-off', ...NO_LAM, ...w }).outcome, { kind: 'fault', vector: 'GP' });
  // With EPT the write is not intercepted: the accepted "virtualization hole".
  assert.deepEqual(simulate('cr3-write', { ...NO_LAM, ...w }).outcome, { kind: 'ok', intercepted: false, mmu: 'none' });
  assert.deepEqual(simulate('cr3-write', { ...NO_LAM, write: { ...w.write, by: 'userspace' } }).outcome, { kind: 'error', errno: 'EINVAL' });
  assert.deepEqual(simulate('cr3-write', { write: { ...w.write, by: 'userspace' } }).outcome, { kind: 'ok', intercepted: false, mmu: 'kvm_mmu_reset_context' });
});

void test('VMCS config: inconsistent VM-entry/VM-exit pair rejects kvm_intel (-EIO) with the warning', () => {
  const r = simulate('module-load', { base: 'inconsistent-entry-exit' });
  assert.deepEqual(r.outcome, { kind: 'load-failed', errno: 'EIO' });
  assert.deepEqual(r.warnings, ['Inconsistent VM-Entry/VM-Exit pair, entry = 8000, exit = 0']);
  assert.equal(r.failedCheck?.id, 'entry-exit-pair');
  assert.equal(r.trace.at(-1)?.values.n_ctrl, '0x8000');
});

void test('VMCS config: error_on_inconsistent_vmcs_config=0 warns and clears both bits of the pair', () => {
  const r = simulate('module-load', { base: 'inconsistent-entry-exit', params: { error_on_inconsistent_vmcs_config: false } });
  assert.equal(r.outcome.kind, 'loaded');
  const cfg = r.outcome.vmcsConfig as Record<string, string | boolean>;
  assert.equal(BigInt(cfg.VM_ENTRY_CONTROLS as string) & 0x8000n, 0n);
  assert.equal(BigInt(cfg.VM_EXIT_CONTROLS as string) & 0x200000n, 0n);
  assert.equal(BigInt(cfg.VM_ENTRY_CONTROLS as string) & 0x4000n, 0x4000n, 'the PAT pair is untouched');
  assert.equal(r.warnings.length, 1);
  assert.equal(r.failedCheck, null);
});

void test('VMCS config: pr_warn_once prints only the first inconsistent pair', () => {
  const r = simulate('module-load', { hostMsrs: { MSR_IA32_VMX_EXIT_CTLS: { disallow: ['VM_EXIT_LOAD_IA32_PAT', 'VM_EXIT_LOAD_IA32_EFER'] } }, params: { error_on_inconsistent_vmcs_config: false } });
  assert.deepEqual(r.warnings, ['Inconsistent VM-Entry/VM-Exit pair, entry = 4000, exit = 0']);
  const cfg = r.outcome.vmcsConfig as Record<string, string>;
  assert.equal(BigInt(cfg.VM_ENTRY_CONTROLS) & 0xc000n, 0n);
});

void test('VMCS config: EPT capabilities without the enable-EPT control', () => {
  const r = simulate('module-load', { base: 'ept-cap-without-ept' });
  assert.deepEqual(r.outcome, { kind: 'load-failed', errno: 'EIO' });
  assert.deepEqual(r.warnings, ['EPT CAP should not exist if not support 1-setting enable EPT VM-execution control']);
  const lenient = simulate('module-load', { base: 'ept-cap-without-ept', params: { error_on_inconsistent_vmcs_config: false } });
  assert.equal(lenient.outcome.kind, 'loaded');
  assert.equal((lenient.outcome.vmcsConfig as { ept: boolean }).ept, false);
  // KVM then offers L1 no EPT: the default vmcs12 (with EPT) fails the secondary-controls check.
  const l1 = simulate('nested-vmentry', { base: 'ept-cap-without-ept', params: { error_on_inconsistent_vmcs_config: false } });
  assert.equal(l1.failedCheck?.id, 'secondary-ctls');
});

void test('CR0.WP: guest-owned with EPT (no exit), intercepted without EPT (kvm_mmu_reset_context)', () => {
  const wp = { write: { cr0: '0x80040033' } };
  const ept = simulate('cr0-write', wp);
  assert.deepEqual(ept.outcome, { kind: 'ok', intercepted: false, mmu: 'none' });
  assert.equal(ept.trace[0].values.cr0_guest_owned_bits, '0x10008');
  const shadow = simulate('cr0-write', { base: 'ept-off', ...wp });
  assert.deepEqual(shadow.outcome, { kind: 'ok', intercepted: true, mmu: 'kvm_mmu_reset_context' });
  assert.equal(shadow.trace[0].values.cr0_guest_owned_bits, '0x8');
  // A WP-only change KVM does see with TDP (emulated write) re-inits the MMU without unloading roots.
  assert.deepEqual(simulate('cr0-write', { ...wp, write: { ...wp.write, emulated: true } }).outcome, { kind: 'ok', intercepted: false, mmu: 'kvm_init_mmu' });
  // TS is always guest-owned; AM is not.
  assert.deepEqual(simulate('cr0-write', { write: { cr0: '0x8005003b' } }).outcome, { kind: 'ok', intercepted: false, mmu: 'none' });
  assert.deepEqual(simulate('cr0-write', { write: { cr0: '0x80010033' } }).outcome, { kind: 'ok', intercepted: true, mmu: 'none' });
  // With paging off a WP toggle needs no MMU work even with shadow paging intercepting it.
  assert.deepEqual(simulate('cr0-write', { base: 'ept-off', l1: { vmxon: false, cr0: '0x50033', efer: '0x0', cr4: '0x0' }, write: { cr0: '0x40033' } }).outcome,
    { kind: 'ok', intercepted: true, mmu: 'none' });
});

void test('CR0.WP: the VM-exit to L1 resets CR0 ownership to vmx_l1_guest_owned_cr0_bits()', () => {
  const withEpt = simulate('nested-vmexit', {}).trace.find(t => t.check === 'cr0-guest-owned-bits-reset');
  assert.equal(withEpt?.values.cr0_guest_owned_bits, '0x10008');
  const noEpt = simulate('nested-vmexit', { base: 'ept-off' }).trace.find(t => t.check === 'cr0-guest-owned-bits-reset');
  assert.equal(noEpt?.values.cr0_guest_owned_bits, '0x8');
});

void test('eVMCS restore: EVMCS flag without a vmcs12 GPA maps the eVMCS later (MAP_PENDING + request)', () => {
  const s = { nestedState: { flags: ['KVM_STATE_NESTED_EVMCS'], vmcs12_pa: '0xffffffffffffffff' } };
  const r = simulate('set-nested-state', s);
  assert.deepEqual(r.outcome, { kind: 'ok' });
  const pending = r.trace.find(t => t.check === 'evmcs-map-pending');
  assert.equal(pending?.values['vmx->nested.hv_evmcs_vmptr'], '0xfffffffffffffffe');
  assert.equal(pending?.values.request, 'KVM_REQ_GET_NESTED_STATE_PAGES');
  assert.deepEqual(simulate('set-nested-state', { ...s, evmcs: { enabled: false } }).outcome, { kind: 'error', errno: 'EINVAL' });
  assert.deepEqual(simulate('set-nested-state', { ...s, cpuid: { features: { VMX: false } } }).outcome, { kind: 'error', errno: 'EINVAL' });
  // In guest mode the vmcs12 is validated (-EINVAL, never a VMfail) before entering L2.
  const gm = { nestedState: { flags: ['KVM_STATE_NESTED_EVMCS', 'KVM_STATE_NESTED_GUEST_MODE'], vmcs12_pa: '0xffffffffffffffff' } };
  assert.deepEqual(simulate('set-nested-state', gm).outcome, { kind: 'ok' });
  assert.deepEqual(simulate('set-nested-state', { ...gm, vmcs12: { HOST_CR0: '0x0' } }).outcome, { kind: 'error', errno: 'EINVAL' });
  // Without the vmcs12 area, only bare VMXON state is accepted.
  assert.deepEqual(simulate('set-nested-state', { nestedState: { flags: ['KVM_STATE_NESTED_EVMCS'], vmcs12_pa: '0xffffffffffffffff', size: '0x80' } }).outcome, { kind: 'error', errno: 'EINVAL' });
});

void test('TPR threshold bits 31:4 are legal with virtual-interrupt delivery (kvm-unit-tests try_tpr_threshold)', () => {
  const vid = { PIN_BASED_VM_EXEC_CONTROL: { set: ['PIN_BASED_EXT_INTR_MASK'] }, CPU_BASED_VM_EXEC_CONTROL: { set: ['CPU_BASED_TPR_SHADOW'] },
    SECONDARY_VM_EXEC_CONTROL: { set: ['SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY'] }, TPR_THRESHOLD: '0x10' };
  assert.deepEqual(simulate('nested-vmentry', { vmcs12: vid }).outcome, { kind: 'entered' });
  assert.deepEqual(simulate('nested-vmentry', { vmcs12: { CPU_BASED_VM_EXEC_CONTROL: { set: ['CPU_BASED_TPR_SHADOW'] }, TPR_THRESHOLD: '0xf' } }).outcome, { kind: 'entered' });
});

void test('guest memory: MSR lists and the VMCS link pointer beyond RAM (kvm-unit-tests test_entry_msr_load end cases)', () => {
  const top = (1n << 46n);
  const at = (addr: bigint, extra: Record<string, unknown> = {}) => simulate('nested-vmentry', { ...extra, vmcs12: { VM_ENTRY_MSR_LOAD_COUNT: 2, VM_ENTRY_MSR_LOAD_ADDR: '0x' + addr.toString(16) } }).outcome;
  assert.deepEqual(at(top - 16n), { kind: 'vmfail-valid', vmInstructionError: 7 }); // the list ends beyond MAXPHYADDR
  // Legal addresses that no memslot backs: the entry is read and fails with its index (reason 34).
  assert.deepEqual(at(top - 32n), { kind: 'entry-failure-vmexit', exitReason: '0x80000022', exitQualification: '0x1' });
  assert.deepEqual(at(top - 32n, { memory: { size: '0x400000000000' } }), { kind: 'entered' });
  assert.deepEqual(at(0xfffffff0n), { kind: 'entry-failure-vmexit', exitReason: '0x80000022', exitQualification: '0x2' });
  const link = simulate('nested-vmentry', { vmcs12: { VMCS_LINK_POINTER: '0x200000000' } });
  assert.deepEqual(link.outcome, { kind: 'entry-failure-vmexit', exitReason: '0x80000021', exitQualification: '0x4' });
  assert.equal(link.failedCheck?.id, 'vmcs-link-ptr-map');
});

void test('LAM: an emulated MOV to CR3 goes through kvm_set_cr3 even with EPT', () => {
  const w = { write: { cr3: '0x4000000000002000', emulated: true } };
  assert.deepEqual(simulate('cr3-write', { ...NO_LAM, ...w }).outcome, { kind: 'fault', vector: 'GP' });
  assert.deepEqual(simulate('cr3-write', w).outcome, { kind: 'ok', intercepted: false, mmu: 'none' });
});

void test('MSR lists: an MSR KVM does not emulate fails the load (reason 34, its index) and the store (abort 1)', () => {
  const entry = simulate('nested-vmentry', { vmcs12: { VM_ENTRY_MSR_LOAD_COUNT: 2, VM_ENTRY_MSR_LOAD_ADDR: '0x6000' },
    msrLists: { VM_ENTRY_MSR_LOAD: [{ index: '0x174', value: '0x8' }, { index: '0x12345678', value: '0x0' }] } });
  assert.deepEqual(entry.outcome, { kind: 'entry-failure-vmexit', exitReason: '0x80000022', exitQualification: '0x2' });
  const store = simulate('nested-vmexit', { vmcs12: { VM_EXIT_MSR_STORE_COUNT: 1, VM_EXIT_MSR_STORE_ADDR: '0x6000' }, msrLists: { VM_EXIT_MSR_STORE: [{ index: '0x12345678' }] } });
  assert.deepEqual(store.outcome, { kind: 'abort', abortIndicator: 1 });
  const ok = simulate('nested-vmexit', { vmcs12: { VM_EXIT_MSR_STORE_COUNT: 1, VM_EXIT_MSR_STORE_ADDR: '0x6000' }, msrLists: { VM_EXIT_MSR_STORE: [{ index: 'MSR_FS_BASE' }] } });
  assert.deepEqual(ok.outcome, { kind: 'ok' });
});

void test('eVMCS: the legacy eVMCS v1 revision KVM emulates has no TSC scaling (evmcs_supported_ctrls)', () => {
  const s = { vmcs12: { SECONDARY_VM_EXEC_CONTROL: { set: ['SECONDARY_EXEC_TSC_SCALING'] }, TSC_MULTIPLIER: '0x1000000000000' } };
  assert.equal(simulate('nested-vmentry', s).outcome.kind, 'entered');
  assert.equal(simulate('nested-vmentry', { base: 'hyperv-evmcs', ...s }).failedCheck?.id, 'evmcs-secondary-controls');
});

void test('LAM bits in a PAE CR3 pass the legality test but the PDPTE load from that GPA fails', () => {
  const pae = { VM_ENTRY_CONTROLS: { clear: ['VM_ENTRY_IA32E_MODE'] }, GUEST_IA32_EFER: '0x0', GUEST_CR4: '0x3526a0', GUEST_CS_AR_BYTES: '0xc09b' };
  const r = simulate('nested-vmentry', { vmcs12: { ...pae, SECONDARY_VM_EXEC_CONTROL: { clear: ['SECONDARY_EXEC_ENABLE_EPT'] }, GUEST_CR3: '0x2000000000001000' } });
  assert.deepEqual(r.outcome, { kind: 'entry-failure-vmexit', exitReason: '0x80000021', exitQualification: '0x2' });
  assert.equal(r.failedCheck?.id, 'guest-pdptes');
  assert.deepEqual(simulate('cr3-write', { base: 'ept-off', l1: { efer: '0x0', cs_l: false, cr4: '0x3526a0' }, write: { cr3: '0x2000000000003000' } }).outcome, { kind: 'fault', vector: 'GP' });
});

void test('without nested=1 or VMX in L1 CPUID, L1 is never in VMX operation: VMLAUNCH raises #UD', () => {
  assert.deepEqual(simulate('nested-vmentry', { params: { nested: false } }).outcome, { kind: 'fault', vector: 'UD' });
  assert.deepEqual(simulate('nested-vmentry', { cpuid: { features: { VMX: false } } }).outcome, { kind: 'fault', vector: 'UD' });
});

void test('nested_early_check=1 moves the CPU control checks before KVM guest-state checks', () => {
  const s = { vmcs12: { CPU_BASED_VM_EXEC_CONTROL: { set: ['CPU_BASED_TPR_SHADOW'] }, TPR_THRESHOLD: '0x10', GUEST_ACTIVITY_STATE: 2 } };
  assert.equal(simulate('nested-vmentry', s).failedCheck?.id, 'guest-activity-state');
  const early = simulate('nested-vmentry', { ...s, params: { nested_early_check: true } });
  assert.deepEqual(early.outcome, { kind: 'vmfail-valid', vmInstructionError: 7 });
  assert.equal(early.failedCheck?.id, 'hw-tpr-threshold-reserved');
});
