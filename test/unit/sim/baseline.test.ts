// The model per baseline (6.12.y = the Debian tree's 6.12.118, kvm-x86 = the newest published
// behaviour) and the fixes of issue 12, each against what the kernel source does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allChecks, pathChecks, simulate, listPaths } from '../../../src/sim';
import { activeIn } from '../../../src/knowledge/checks/types';

const x33 = (q = '0x0') => ({ kind: 'entry-failure-vmexit', exitReason: '0x80000021', exitQualification: q });
const v7 = { kind: 'vmfail-valid', vmInstructionError: 7 };
const URG = { SECONDARY_VM_EXEC_CONTROL: { set: ['SECONDARY_EXEC_UNRESTRICTED_GUEST'] } };
const badMsrLoad = { VM_ENTRY_MSR_LOAD_COUNT: 1, VM_ENTRY_MSR_LOAD_ADDR: '0x6000' };
const fsBaseList = { msrLists: { VM_ENTRY_MSR_LOAD: [{ index: 'MSR_FS_BASE', value: '0x0' }] } };

void test('every row names a since version, and its baselines follow since/until/in612y', () => {
  for (const c of allChecks()) {
    assert.ok(c.since, `${c.id} has no since`);
    if (c.until === undefined) assert.ok(activeIn(c, 'kvm-x86'), `${c.id}: current rows are in kvm-x86`);
    else assert.ok(!activeIn(c, 'kvm-x86'), `${c.id}: a row that left is not in kvm-x86`);
    assert.ok(activeIn(c, '6.12.y') || activeIn(c, 'kvm-x86'), `${c.id} is in no baseline`);
  }
});

void test('outputs name the baseline; the default is 6.12.y; an explicit option wins over the scenario key', () => {
  assert.equal(simulate('nested-vmentry', {}).baseline, '6.12.y');
  assert.equal(simulate('nested-vmentry', { baseline: 'kvm-x86' }).baseline, 'kvm-x86');
  assert.equal(simulate('nested-vmentry', { baseline: 'kvm-x86' }, { baseline: '6.12.y' }).baseline, '6.12.y');
  assert.throws(() => simulate('nested-vmentry', { baseline: 'v6.12' }), /baseline: "v6.12" is not one of 6.12.y, kvm-x86/);
});

void test('guest-state-emulation: KVM tests segments unless vmcs12 has URG, so a bad segment plus a bad MSR entry is exit 33, not 34', () => {
  const bad = { vmcs12: { GUEST_SS_SELECTOR: '0x13', ...badMsrLoad }, ...fsBaseList };
  const r = simulate('nested-vmentry', bad);
  assert.deepEqual(r.outcome, x33());
  assert.equal(r.failedCheck?.id, 'guest-state-emulation');
  // with URG in vmcs12 KVM skips its test: the MSR list fails first (34), the CPU's rule would come later
  const urg = simulate('nested-vmentry', { ...bad, vmcs12: { ...bad.vmcs12, ...URG } });
  assert.equal(urg.outcome.exitReason, '0x80000022');
  // the unrestricted_guest module parameter alone does not skip it (v6.12.0 model did)
  assert.equal(simulate('nested-vmentry', { vmcs12: { GUEST_SS_SELECTOR: '0x13' } }).failedCheck?.id, 'guest-state-emulation');
  // virtual-8086 mode takes the real-mode rules (base = selector << 4, limit 0xffff, AR 0xf3)
  assert.equal(simulate('nested-vmentry', { vmcs12: { GUEST_RFLAGS: '0x20002' } }).failedCheck?.id, 'guest-state-emulation');
});

void test('KVM_SET_SREGS outside long mode refuses CS.L as well as EFER.LMA', () => {
  const lm = { by: 'userspace', cr0: '0x50033', efer: '0x100' };   // LME without paging: not long mode
  assert.equal(simulate('cr3-write', { l1: { vmxon: false }, write: { ...lm, cs_l: true } }).failedCheck?.id, 'sregs-lma-without-long-mode');
  assert.equal(simulate('cr3-write', { l1: { vmxon: false }, write: { ...lm, cs_l: false } }).outcome.kind, 'ok');
});

void test('MSR lists: x2APIC registers are refused by the nested check only in x2APIC mode (else KVM cannot write them either)', () => {
  const list = { vmcs12: badMsrLoad, msrLists: { VM_ENTRY_MSR_LOAD: [{ index: '0x808', value: '0x0' }] } };
  const x2 = simulate('nested-vmentry', { ...list, l1: { x2apic: true } });
  assert.equal(x2.outcome.exitReason, '0x80000022');
  const step = x2.trace.find(t => t.check === 'entry-msr-load');
  assert.equal(step?.values['VCPU->ARCH.APIC_BASE'] ?? step?.values['vcpu->arch.apic_base'], '0xfee00d00');
  assert.equal(simulate('nested-vmentry', list).outcome.exitReason, '0x80000022');
});

void test('MSR lists: writability per MSR (read-only, canonical, value checks, CPUID needs)', () => {
  const load = (index: string, value: string, extra: Record<string, unknown> = {}) =>
    simulate('nested-vmentry', { ...extra, vmcs12: badMsrLoad, msrLists: { VM_ENTRY_MSR_LOAD: [{ index, value }] } }).outcome.kind;
  assert.equal(load('MSR_IA32_TSC', '0x1234'), 'entered');
  assert.equal(load('0x10a', '0x0'), 'entry-failure-vmexit', 'host-only');
  assert.equal(load('0xce', '0x0'), 'entry-failure-vmexit', 'host-only');
  assert.equal(load('0xc0000102', '0x0000800000000000'), 'entered', 'KERNEL_GS_BASE: canonical for the host\'s 57 bits');
  assert.equal(load('0xc0000102', '0x0100000000000000'), 'entry-failure-vmexit');
  assert.equal(load('0xc0000103', '0x100000000'), 'entry-failure-vmexit', 'TSC_AUX bits 63:32');
  assert.equal(load('MSR_IA32_DEBUGCTLMSR', '0x40'), 'entry-failure-vmexit', 'DEBUGCTL.TR unsupported');
  assert.equal(load('0xd90', '0x0'), 'entered', 'BNDCFGS with MPX (default on)');
  assert.equal(load('0xd90', '0x4'), 'entry-failure-vmexit', 'BNDCFGS reserved bit 2');
  assert.equal(load('0xd90', '0x0', { cpuid: { features: { MPX: false } } }), 'entry-failure-vmexit', 'BNDCFGS without MPX');
});

void test('MSR-store abort: KVM still loads L1\'s host state (the trace goes on), the outcome stays abort 1', () => {
  const r = simulate('nested-vmexit', { vmcs12: { VM_EXIT_MSR_STORE_COUNT: 1, VM_EXIT_MSR_STORE_ADDR: '0x7000', VM_EXIT_MSR_LOAD_COUNT: 1, VM_EXIT_MSR_LOAD_ADDR: '0x8000' },
    msrLists: { VM_EXIT_MSR_STORE: [{ index: 'MSR_IA32_SMBASE' }], VM_EXIT_MSR_LOAD: [{ index: 'MSR_FS_BASE', value: '0x0' }] } });
  assert.deepEqual(r.outcome, { kind: 'abort', abortIndicator: 1 });
  assert.equal(r.failedCheck?.id, 'exit-msr-store');
  assert.equal(r.trace.find(t => t.check === 'exit-msr-load')?.result, 'fail', 'host MSR loading still ran');
});

void test('guest DEBUGCTL: FREEZE_IN_SMM is accepted while KVM_X86_QUIRK_VMCS12_ALLOW_FREEZE_IN_SMM is enabled (the default)', () => {
  const s = { vmcs12: { VM_ENTRY_CONTROLS: { set: ['VM_ENTRY_LOAD_DEBUG_CONTROLS'] }, GUEST_IA32_DEBUGCTL: '0x4000' } };
  assert.equal(simulate('nested-vmentry', s).outcome.kind, 'entered');
  const off = simulate('nested-vmentry', { ...s, quirks: { KVM_X86_QUIRK_VMCS12_ALLOW_FREEZE_IN_SMM: false } });
  assert.deepEqual(off.outcome, x33());
  assert.equal(off.failedCheck?.id, 'guest-debugctl');
  assert.equal(simulate('nested-vmentry', { ...s, quirks: { VMCS12_ALLOW_FREEZE_IN_SMM: false } }).failedCheck?.id, 'guest-debugctl', 'prefix optional');
  assert.throws(() => simulate('nested-vmentry', { quirks: { NO_SUCH_QUIRK: false } }), /unknown KVM quirk "NO_SUCH_QUIRK"/);
  // RTM_DEBUG needs RTM on host and guest
  const rtm = { vmcs12: { ...s.vmcs12, GUEST_IA32_DEBUGCTL: '0x8000' } };
  assert.equal(simulate('nested-vmentry', rtm).failedCheck?.id, 'guest-debugctl');
  assert.equal(simulate('nested-vmentry', { ...rtm, host: { features: { RTM: true } }, cpuid: { features: { RTM: true } } }).outcome.kind, 'entered');
});

void test('host-width canonical checks (6.12.y and kvm-x86): a 57-bit address passes on an LA57 host, fails without LA57', () => {
  const s = { vmcs12: { HOST_FS_BASE: '0x0000800000000000' } };
  assert.equal(simulate('nested-vmentry', s).outcome.kind, 'entered');
  assert.equal(simulate('nested-vmentry', { ...s, host: { features: { LA57: false } } }).failedCheck?.id, 'host-fs-base-canonical');
});

void test('HOST_RIP: 6.12.y checks the vCPU\'s current width, kvm-x86 the width HOST_CR4.LA57 gives after the exit', () => {
  const s = { l1: { cr4: '0x3736a0' }, vmcs12: { HOST_RIP: '0x0080000000000000' } };   // L1 runs with CR4.LA57, HOST_CR4 without
  assert.equal(simulate('nested-vmentry', s).outcome.kind, 'entered');
  const newer = simulate('nested-vmentry', { ...s, baseline: 'kvm-x86' });
  assert.equal(newer.failedCheck?.id, 'host-rip-canonical-exit-width');
});

void test('MSR-list counts above the limit: 6.12.y fails at entry 513 (exit 34), kvm-x86 fails the controls (VMfail 7)', () => {
  const s = { vmcs12: { VM_ENTRY_MSR_LOAD_COUNT: 513, VM_ENTRY_MSR_LOAD_ADDR: '0x6000' } };
  assert.deepEqual(simulate('nested-vmentry', s).outcome, { kind: 'entry-failure-vmexit', exitReason: '0x80000022', exitQualification: '0x201' });
  assert.deepEqual(simulate('nested-vmentry', { ...s, baseline: 'kvm-x86' }).outcome, v7);
});

void test('TPR_THRESHOLD[31:4] and TSC_MULTIPLIER = 0: the CPU refuses vmcs02 in 6.12.y (late), KVM checks them first in kvm-x86', () => {
  const tpr = { vmcs12: { CPU_BASED_VM_EXEC_CONTROL: { set: ['CPU_BASED_TPR_SHADOW'] }, TPR_THRESHOLD: '0x10', GUEST_SS_SELECTOR: '0x13' } };
  assert.deepEqual(simulate('nested-vmentry', tpr).outcome, x33(), '6.12.y: the guest-state failure comes first');
  assert.deepEqual(simulate('nested-vmentry', { ...tpr, baseline: 'kvm-x86' }).outcome, v7);
  const tsc = { vmcs12: { SECONDARY_VM_EXEC_CONTROL: { set: ['SECONDARY_EXEC_TSC_SCALING'] }, TSC_MULTIPLIER: '0x0' } };
  assert.equal(simulate('nested-vmentry', tsc).failedCheck?.id, 'hw-tsc-multiplier-zero');
  assert.equal(simulate('nested-vmentry', { ...tsc, baseline: 'kvm-x86' }).failedCheck?.id, 'tsc-multiplier-zero');
});

void test('nested_early_check exists in 6.12.y only', () => {
  assert.equal(simulate('nested-vmentry', { params: { nested_early_check: true } }).trace.find(t => t.check === 'vmentry-hw-early-check')?.result, 'pass');
  const newer = simulate('nested-vmentry', { baseline: 'kvm-x86', params: { nested_early_check: true } });
  assert.equal(newer.trace.find(t => t.check === 'vmentry-hw-early-check'), undefined);
  assert.ok(newer.warnings.some(w => w.includes('nested_early_check')));
});

void test('VMX_BASIC bit 56 relaxes the error-code rule in kvm-x86 only', () => {
  const gp = { hostMsrs: { MSR_IA32_VMX_BASIC: { set: ['VMX_BASIC_NO_HW_ERROR_CODE_CC'] } }, vmcs12: { VM_ENTRY_INTR_INFO_FIELD: '0x8000030d' } };
  assert.deepEqual(simulate('nested-vmentry', gp).outcome, v7, '6.12.y: error code required');
  assert.equal(simulate('nested-vmentry', { ...gp, baseline: 'kvm-x86' }).outcome.kind, 'entered');
});

void test('SMM rules of KVM_SET_NESTED_STATE: SMM flags named in flags go to smm.flags; in SMM, SMM_VMXON leaves VMX operation suspended', () => {
  const inSmm = simulate('set-nested-state', { l1: { smm: true }, nestedState: { flags: ['KVM_STATE_NESTED_SMM_VMXON', 'KVM_STATE_NESTED_SMM_GUEST_MODE'] } });
  assert.deepEqual(inSmm.outcome, { kind: 'ok', vmxon: false, smm: { vmxon: true, guestMode: true } });
  assert.equal(simulate('set-nested-state', { nestedState: { flags: ['KVM_STATE_NESTED_SMM_VMXON'] } }).failedCheck?.id, 'state-smm-consistency', 'outside SMM');
  assert.equal(simulate('set-nested-state', { l1: { smm: true }, nestedState: { flags: ['KVM_STATE_NESTED_SMM_GUEST_MODE'] } }).failedCheck?.id, 'state-smm-guest-without-vmxon');
  assert.equal(simulate('set-nested-state', { l1: { smm: true }, nestedState: { flags: ['KVM_STATE_NESTED_GUEST_MODE'] } }).failedCheck?.id, 'state-smm-consistency', 'guest mode in SMM');
  assert.equal(simulate('set-nested-state', { l1: { smm: true }, nestedState: { smm: { flags: ['KVM_STATE_NESTED_SMM_VMXON'] } } }).outcome.kind, 'ok');
  assert.equal(simulate('set-nested-state', { nestedState: { vmxon_pa: '0xffffffffffffffff', vmcs12_pa: '0xffffffffffffffff', flags: ['KVM_STATE_NESTED_SMM_VMXON'] } }).failedCheck?.id, 'state-no-vmxon-smm');
});

void test('scenario names: CONSTANT_TSC as a host feature, VMX_BASIC bit 56 by name', () => {
  assert.equal(simulate('module-load', { host: { features: { CONSTANT_TSC: false } } }).outcome.kind, 'loaded');
  assert.equal(simulate('module-load', { hostMsrs: { MSR_IA32_VMX_BASIC: { set: ['VMX_BASIC_NO_HW_ERROR_CODE_CC'] } } }).outcome.kind, 'loaded');
});

void test('paths --checks inventory: every path lists its checks with since, baselines and tests', () => {
  for (const p of listPaths()) {
    const checks = pathChecks(p.id);
    assert.ok(checks.length > 0, p.id);
    for (const c of checks) assert.ok((c.since === null || /^v\d+\.\d+$/.test(c.since)) && c.baselines.length && Array.isArray(c.tests) && c.rule && c.function, `${p.id}/${c.id}`);
  }
});
