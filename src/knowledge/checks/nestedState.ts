// KVM_SET_NESTED_STATE: kvm_arch_vcpu_ioctl (arch/x86/kvm/x86.c) then vmx_set_nested_state and,
// since v7.0, nested_vmx_check_restored_vmcs12 (arch/x86/kvm/vmx/nested.c). Reference kvm-nested-vmx.md §7.
import type { CheckDef, TestRef } from './types';

const NESTED = 'arch/x86/kvm/vmx/nested.c';
const X86 = 'arch/x86/kvm/x86.c';
const EINVAL = { kind: 'error', errno: 'EINVAL' } as const;
const SELFTEST: TestRef[] = [{ suite: 'selftests', file: 'x86_64/vmx_set_nested_state_test.c', function: 'test_vmx_nested_state' }];
const SMM_SELFTEST: TestRef[] = [...SELFTEST, { suite: 'selftests', file: 'x86_64/smm_test.c', function: 'inject_smi' }];
const selftest = (...fns: string[]): TestRef[] => fns.map(f => ({ suite: 'selftests', file: 'x86_64/vmx_set_nested_state_test.c', function: f }));

const ns = (id: string, fn: string, condition: string, rule: string, extra: Partial<CheckDef> = {}): CheckDef => ({
  id, function: fn, condition, rule, result: EINVAL, source: fn === 'kvm_arch_vcpu_ioctl' ? X86 : NESTED, since: 'v6.12',
  sdm: 'KVM API (Documentation/virt/kvm/api.rst KVM_SET_NESTED_STATE); not an SDM rule', tests: SELFTEST, noCC: true, ...extra });
const SMM = { tests: SMM_SELFTEST } as const;

/** KVM_SET_NESTED_STATE: generic ioctl checks, then vmx_set_nested_state, in order. */
export const NESTED_STATE_CHECKS: readonly CheckDef[] = [
  ns('state-size-header', 'kvm_arch_vcpu_ioctl', 'kvm_state->size < sizeof(*kvm_state)', 'The state must at least hold the 128-byte header.'),
  ns('state-flags-unknown', 'kvm_arch_vcpu_ioctl', 'kvm_state->flags & ~(KVM_STATE_NESTED_RUN_PENDING | KVM_STATE_NESTED_GUEST_MODE | KVM_STATE_NESTED_EVMCS | KVM_STATE_NESTED_MTF_PENDING | KVM_STATE_NESTED_GIF_SET)',
    'Only the GUEST_MODE, RUN_PENDING, EVMCS, MTF_PENDING and GIF_SET flags exist (the SMM flags live in hdr.vmx.smm.flags).'),
  ns('state-run-pending-without-guest-mode', 'kvm_arch_vcpu_ioctl', '(kvm_state->flags & KVM_STATE_NESTED_RUN_PENDING) && !(kvm_state->flags & KVM_STATE_NESTED_GUEST_MODE)', 'A pending VM-entry implies guest mode.'),
  ns('state-format', 'vmx_set_nested_state', 'kvm_state->format != KVM_STATE_NESTED_FORMAT_VMX', 'The state must be in VMX format.'),
  ns('state-no-vmxon-smm', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa == INVALID_GPA && kvm_state->hdr.vmx.smm.flags', 'Without VMXON no SMM flags are allowed.', SMM),
  ns('state-no-vmxon-vmcs12', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa == INVALID_GPA && kvm_state->hdr.vmx.vmcs12_pa != INVALID_GPA', 'Without VMXON there is no current VMCS.'),
  ns('state-no-vmxon-flags', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa == INVALID_GPA && (kvm_state->flags & ~KVM_STATE_NESTED_EVMCS)', 'Without VMXON only the (legacy) EVMCS flag is accepted.'),
  ns('state-vmx-cpuid', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa != INVALID_GPA && !guest_cpu_cap_has(vcpu, X86_FEATURE_VMX)', 'VMXON state needs VMX in the guest CPUID (and nested=1).'),
  ns('state-vmxon-address', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa != INVALID_GPA && !page_address_valid(vcpu, kvm_state->hdr.vmx.vmxon_pa)', 'The VMXON region must be 4 KiB-aligned and legal.'),
  ns('state-smm-guest-mode', 'vmx_set_nested_state', '(kvm_state->hdr.vmx.smm.flags & KVM_STATE_NESTED_SMM_GUEST_MODE) && (kvm_state->flags & KVM_STATE_NESTED_GUEST_MODE)', 'SMM guest mode and guest mode exclude each other.', SMM),
  ns('state-smm-flags-unknown', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.smm.flags & ~(KVM_STATE_NESTED_SMM_GUEST_MODE | KVM_STATE_NESTED_SMM_VMXON)', 'Only two SMM flags exist.', SMM),
  ns('state-vmx-flags-unknown', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.flags & ~KVM_STATE_VMX_PREEMPTION_TIMER_DEADLINE', 'Only the preemption-timer-deadline header flag exists.'),
  ns('state-smm-consistency', 'vmx_set_nested_state', 'is_smm(vcpu) ? (kvm_state->flags & (KVM_STATE_NESTED_GUEST_MODE | KVM_STATE_NESTED_RUN_PENDING)) : kvm_state->hdr.vmx.smm.flags',
    'In SMM no guest mode or pending run; outside SMM no SMM flags.', SMM),
  ns('state-smm-guest-without-vmxon', 'vmx_set_nested_state', '(kvm_state->hdr.vmx.smm.flags & KVM_STATE_NESTED_SMM_GUEST_MODE) && !(kvm_state->hdr.vmx.smm.flags & KVM_STATE_NESTED_SMM_VMXON)', 'SMM guest mode needs SMM VMXON.', SMM),
  ns('state-evmcs-not-enabled', 'vmx_set_nested_state', '(kvm_state->flags & KVM_STATE_NESTED_EVMCS) && (!guest_cpu_cap_has(vcpu, X86_FEATURE_VMX) || !vmx->nested.enlightened_vmcs_enabled)',
    'The EVMCS flag needs VMX in CPUID and the eVMCS capability enabled (KVM_CAP_HYPERV_ENLIGHTENED_VMCS).'),
  ns('state-vmxon-enomem', 'enter_vmx_operation', 'enter_vmx_operation(vcpu)', 'Entering VMX operation allocates the shadow VMCS and vmcs02; an allocation failure returns -ENOMEM.',
    { result: { kind: 'error', errno: 'ENOMEM' }, noCC: true, tests: [] }),
  ns('state-size-vmcs12', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa != INVALID_GPA && kvm_state->size < sizeof(*kvm_state) + sizeof(*vmcs12) && ((kvm_state->flags & (KVM_STATE_NESTED_GUEST_MODE | KVM_STATE_NESTED_EVMCS)) || kvm_state->hdr.vmx.vmcs12_pa != INVALID_GPA)',
    'Without room for a vmcs12 only bare VMXON state (no guest mode, no eVMCS, no current VMCS) is accepted.'),
  ns('state-vmcs12-address', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmcs12_pa != INVALID_GPA && (kvm_state->hdr.vmx.vmcs12_pa == kvm_state->hdr.vmx.vmxon_pa || !page_address_valid(vcpu, kvm_state->hdr.vmx.vmcs12_pa))',
    'The current VMCS must differ from the VMXON region and be 4 KiB-aligned and legal.'),
  ns('state-no-vmcs12', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmcs12_pa == INVALID_GPA && !(kvm_state->flags & KVM_STATE_NESTED_EVMCS)', 'With room for a vmcs12 there must be a current VMCS or an eVMCS.'),
  ns('state-vmcs12-efault', 'vmx_set_nested_state', 'copy_from_user(vmcs12, user_vmx_nested_state->vmcs12, sizeof(*vmcs12))',
    'The vmcs12 that follows the header must be readable from userspace memory (-EFAULT otherwise).', { result: { kind: 'error', errno: 'EFAULT' }, noCC: true, tests: selftest('test_nested_state_expect_efault') }),
  ns('state-vmcs12-revision', 'vmx_set_nested_state', 'vmcs12->hdr.revision_id != VMCS12_REVISION', 'The restored vmcs12 must carry revision 0x11e57ed0.'),
  ns('state-shadow-size', 'vmx_set_nested_state', 'nested_cpu_has_shadow_vmcs(vmcs12) && vmcs12->vmcs_link_pointer != INVALID_GPA && kvm_state->size < sizeof(*kvm_state) + 2 * sizeof(*vmcs12)',
    'In guest mode with VMCS shadowing, the state must include the shadow vmcs12.'),
  ns('state-shadow-efault', 'vmx_set_nested_state', 'nested_cpu_has_shadow_vmcs(vmcs12) && vmcs12->vmcs_link_pointer != INVALID_GPA && copy_from_user(shadow_vmcs12, user_vmx_nested_state->shadow_vmcs12, sizeof(*shadow_vmcs12))',
    'The shadow vmcs12 must be readable from userspace memory (-EFAULT otherwise).', { result: { kind: 'error', errno: 'EFAULT' }, noCC: true, tests: [] }),
  ns('state-shadow-revision', 'vmx_set_nested_state', 'nested_cpu_has_shadow_vmcs(vmcs12) && vmcs12->vmcs_link_pointer != INVALID_GPA && (shadow_vmcs12_hdr.revision_id != VMCS12_REVISION || !shadow_vmcs12_hdr.shadow_vmcs)',
    'The restored shadow vmcs12 must carry the vmcs12 revision and the shadow indicator (checked in vmx_set_nested_state until v7.0).', { until: 'v7.0', in612y: true }),
  ns('restored-shadow-revision', 'nested_vmx_check_restored_vmcs12', 'nested_cpu_has_shadow_vmcs(vmcs12) && vmcs12->vmcs_link_pointer != INVALID_GPA && (shadow_vmcs12_hdr.revision_id != VMCS12_REVISION || !shadow_vmcs12_hdr.shadow_vmcs)',
    'The restored shadow vmcs12 must carry the vmcs12 revision and the shadow indicator; since v7.0 this and the control, host- and guest-state checks run in nested_vmx_check_restored_vmcs12, which the return from SMM into L2 shares.',
    { since: 'v7.0', in612y: false, tests: SMM_SELFTEST }),
];
