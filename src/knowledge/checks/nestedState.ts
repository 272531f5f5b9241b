// Checks of KVM_SET_NESTED_STATE (v6.12): arch/x86/kvm/x86.c kvm_arch_vcpu_ioctl, then
// arch/x86/kvm/vmx/nested.c vmx_set_nested_state. Reference kvm-nested-vmx.md §5.
import type { CheckDef } from './types';

const NESTED = 'arch/x86/kvm/vmx/nested.c';
const X86 = 'arch/x86/kvm/x86.c';
const EINVAL = { kind: 'error', errno: 'EINVAL' } as const;
const SELFTEST = 'KVM selftests x86_64/vmx_set_nested_state_test.c';

/** KVM_SET_NESTED_STATE: generic ioctl checks, then vmx_set_nested_state, in order. */
export const NESTED_STATE_CHECKS: readonly CheckDef[] = [
  ...([
    ['state-size-header', 'kvm_arch_vcpu_ioctl', 'kvm_state->size < sizeof(*kvm_state)', 'The state must at least hold the 128-byte header.'],
    ['state-flags-unknown', 'kvm_arch_vcpu_ioctl', 'kvm_state->flags & ~(KVM_STATE_NESTED_RUN_PENDING | KVM_STATE_NESTED_GUEST_MODE | KVM_STATE_NESTED_EVMCS | KVM_STATE_NESTED_MTF_PENDING | KVM_STATE_NESTED_GIF_SET)', 'Only the GUEST_MODE, RUN_PENDING, EVMCS, MTF_PENDING and GIF_SET flags exist.'],
    ['state-run-pending-without-guest-mode', 'kvm_arch_vcpu_ioctl', '(kvm_state->flags & KVM_STATE_NESTED_RUN_PENDING) && !(kvm_state->flags & KVM_STATE_NESTED_GUEST_MODE)', 'A pending VM-entry implies guest mode.'],
    ['state-format', 'vmx_set_nested_state', 'kvm_state->format != KVM_STATE_NESTED_FORMAT_VMX', 'The state must be in VMX format.'],
    ['state-no-vmxon-smm', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa == INVALID_GPA && kvm_state->hdr.vmx.smm.flags', 'Without VMXON no SMM flags are allowed.'],
    ['state-no-vmxon-vmcs12', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa == INVALID_GPA && kvm_state->hdr.vmx.vmcs12_pa != INVALID_GPA', 'Without VMXON there is no current VMCS.'],
    ['state-no-vmxon-flags', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa == INVALID_GPA && (kvm_state->flags & ~KVM_STATE_NESTED_EVMCS)', 'Without VMXON only the (legacy) EVMCS flag is accepted.'],
    ['state-vmx-cpuid', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa != INVALID_GPA && !guest_can_use(vcpu, X86_FEATURE_VMX)', 'VMXON state needs VMX in the guest CPUID.'],
    ['state-vmxon-address', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa != INVALID_GPA && !page_address_valid(vcpu, kvm_state->hdr.vmx.vmxon_pa)', 'The VMXON region must be 4 KiB-aligned and legal.'],
    ['state-smm-guest-mode', 'vmx_set_nested_state', '(kvm_state->hdr.vmx.smm.flags & KVM_STATE_NESTED_SMM_GUEST_MODE) && (kvm_state->flags & KVM_STATE_NESTED_GUEST_MODE)', 'SMM guest mode and guest mode exclude each other.'],
    ['state-smm-flags-unknown', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.smm.flags & ~(KVM_STATE_NESTED_SMM_GUEST_MODE | KVM_STATE_NESTED_SMM_VMXON)', 'Only two SMM flags exist.'],
    ['state-vmx-flags-unknown', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.flags & ~KVM_STATE_VMX_PREEMPTION_TIMER_DEADLINE', 'Only the preemption-timer-deadline header flag exists.'],
    ['state-smm-consistency', 'vmx_set_nested_state', 'is_smm(vcpu) ? (kvm_state->flags & (KVM_STATE_NESTED_GUEST_MODE | KVM_STATE_NESTED_RUN_PENDING)) : kvm_state->hdr.vmx.smm.flags', 'In SMM no guest mode or pending run; outside SMM no SMM flags.'],
    ['state-smm-guest-without-vmxon', 'vmx_set_nested_state', '(kvm_state->hdr.vmx.smm.flags & KVM_STATE_NESTED_SMM_GUEST_MODE) && !(kvm_state->hdr.vmx.smm.flags & KVM_STATE_NESTED_SMM_VMXON)', 'SMM guest mode needs SMM VMXON.'],
    ['state-evmcs-not-enabled', 'vmx_set_nested_state', '(kvm_state->flags & KVM_STATE_NESTED_EVMCS) && (!guest_can_use(vcpu, X86_FEATURE_VMX) || !vmx->nested.enlightened_vmcs_enabled)', 'The EVMCS flag needs VMX in CPUID and the eVMCS capability enabled (KVM_CAP_HYPERV_ENLIGHTENED_VMCS).'],
    ['state-size-vmcs12', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmxon_pa != INVALID_GPA && kvm_state->size < sizeof(*kvm_state) + sizeof(*vmcs12) && ((kvm_state->flags & (KVM_STATE_NESTED_GUEST_MODE | KVM_STATE_NESTED_EVMCS)) || kvm_state->hdr.vmx.vmcs12_pa != INVALID_GPA)', 'Without room for a vmcs12 only bare VMXON state (no guest mode, no eVMCS, no current VMCS) is accepted.'],
    ['state-vmcs12-address', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmcs12_pa != INVALID_GPA && (kvm_state->hdr.vmx.vmcs12_pa == kvm_state->hdr.vmx.vmxon_pa || !page_address_valid(vcpu, kvm_state->hdr.vmx.vmcs12_pa))', 'The current VMCS must differ from the VMXON region and be 4 KiB-aligned and legal.'],
    ['state-no-vmcs12', 'vmx_set_nested_state', 'kvm_state->hdr.vmx.vmcs12_pa == INVALID_GPA && !(kvm_state->flags & KVM_STATE_NESTED_EVMCS)', 'With room for a vmcs12 there must be a current VMCS or an eVMCS.'],
    ['state-vmcs12-revision', 'vmx_set_nested_state', 'vmcs12->hdr.revision_id != VMCS12_REVISION', 'The restored vmcs12 must carry revision 0x11e57ed0.'],
    ['state-shadow-size', 'vmx_set_nested_state', 'nested_cpu_has_shadow_vmcs(vmcs12) && vmcs12->vmcs_link_pointer != INVALID_GPA && kvm_state->size < sizeof(*kvm_state) + 2 * sizeof(*vmcs12)', 'In guest mode with VMCS shadowing, the state must include the shadow vmcs12.'],
    ['state-shadow-revision', 'vmx_set_nested_state', 'nested_cpu_has_shadow_vmcs(vmcs12) && vmcs12->vmcs_link_pointer != INVALID_GPA && (shadow_vmcs12_hdr.revision_id != VMCS12_REVISION || !shadow_vmcs12_hdr.shadow_vmcs)', 'The restored shadow vmcs12 must carry the vmcs12 revision and the shadow indicator.'],
  ] as const).map(([id, fn, condition, rule]): CheckDef => ({ id, function: fn, condition, rule, result: EINVAL, source: fn === 'kvm_arch_vcpu_ioctl' ? X86 : NESTED,
    sdm: 'KVM API (Documentation/virt/kvm/api.rst KVM_SET_NESTED_STATE); not an SDM rule', test: SELFTEST })),
];
