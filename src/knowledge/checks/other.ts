// Checks of the module-load, KVM_SET_NESTED_STATE, CR0/CR3 write and nested VM-exit paths (v6.12).
// Sources: arch/x86/kvm/vmx/vmx.c setup_vmcs_config; arch/x86/kvm/x86.c kvm_arch_vcpu_ioctl,
// kvm_set_cr0, kvm_is_valid_cr0, kvm_set_cr3, kvm_is_valid_sregs; arch/x86/kvm/vmx/nested.c
// vmx_set_nested_state, nested_vmx_vmexit, load_vmcs12_host_state. Reference kvm-nested-vmx.md §3, §5, §6, §7.
import type { CheckDef } from './types';

const VMX = 'arch/x86/kvm/vmx/vmx.c';
const NESTED = 'arch/x86/kvm/vmx/nested.c';
const X86 = 'arch/x86/kvm/x86.c';
const EIO = { kind: 'load-failed', errno: 'EIO' } as const;
const EINVAL = { kind: 'error', errno: 'EINVAL' } as const;
const GP = { kind: 'fault', vector: 'GP' } as const;
const CAPS = 'SDM Vol. 3D A.3 (VM-execution controls), A.4, A.5 (capability MSRs: allowed 0/1 settings)';
const SELFTEST = 'KVM selftests x86_64/vmx_set_nested_state_test.c';

/** setup_vmcs_config (module load); variables named as in vmx.c. */
export const MODULE_LOAD_CHECKS: readonly CheckDef[] = [
  { id: 'vmx-supported', function: 'kvm_is_vmx_supported', result: { kind: 'load-failed', errno: 'EOPNOTSUPP' }, source: VMX, noCC: true,
    condition: '!boot_cpu_has(X86_FEATURE_VMX)', sdm: 'SDM Vol. 3C 24.6 (discovering support for VMX)',
    cc: 'Without VMX in CPUID (or VMX not enabled in IA32_FEAT_CTL) vmx_init refuses to load: -EOPNOTSUPP.' },
  { id: 'adjust-cpu-based', function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_cpu_based_exec_control & KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL) != KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL',
    cc: 'The CPU must allow every primary processor-based control KVM requires (HLT, CR3/CR8 load/store, MOV-DR, I/O, TSC offsetting, MWAIT/MONITOR, INVLPG, RDPMC, interrupt-window exiting).' },
  { id: 'ept-cap-without-ept', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.10 (VPID and EPT capabilities)',
    condition: '!(_cpu_based_2nd_exec_control & SECONDARY_EXEC_ENABLE_EPT) && vmx_cap->ept',
    cc: 'EPT capabilities reported without the 1-setting of "enable EPT": warning "EPT CAP should not exist if not support 1-setting enable EPT VM-execution control"; -EIO when error_on_inconsistent_vmcs_config (default), else the EPT caps are zeroed.' },
  { id: 'vpid-cap-without-vpid', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.10 (VPID and EPT capabilities)',
    condition: '!(_cpu_based_2nd_exec_control & SECONDARY_EXEC_ENABLE_VPID) && vmx_cap->vpid',
    cc: 'VPID capabilities reported without the 1-setting of "enable VPID": warning, -EIO by default, else the VPID caps are zeroed.' },
  { id: 'adjust-vm-exit', function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_vmexit_control & KVM_REQUIRED_VMX_VM_EXIT_CONTROLS) != KVM_REQUIRED_VMX_VM_EXIT_CONTROLS',
    cc: 'The CPU must allow the VM-exit controls KVM requires (save debug controls, acknowledge interrupt on exit, host address-space size).' },
  { id: 'adjust-pin-based', function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_pin_based_exec_control & KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL) != KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL',
    cc: 'The CPU must allow external-interrupt and NMI exiting.' },
  { id: 'adjust-vm-entry', function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_vmentry_control & KVM_REQUIRED_VMX_VM_ENTRY_CONTROLS) != KVM_REQUIRED_VMX_VM_ENTRY_CONTROLS',
    cc: 'The CPU must allow the VM-entry controls KVM requires (load debug controls, IA-32e mode guest).' },
  { id: 'entry-exit-pair', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3C 25.7/25.8 (VM-exit and VM-entry controls; paired load/clear controls)',
    condition: '!(_vmentry_control & n_ctrl) != !(_vmexit_control & x_ctrl)',
    cc: 'For each VM-entry/VM-exit control pair (PERF_GLOBAL_CTRL, PAT, EFER, BNDCFGS, RTIT_CTL) exactly one side supported: warning "Inconsistent VM-Entry/VM-Exit pair, entry = %x, exit = %x"; -EIO when error_on_inconsistent_vmcs_config (default), else both bits are cleared.' },
  { id: 'basic-vmcs-size', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.1 (basic VMX information)',
    condition: '(vmx_msr_high & 0x1fff) > PAGE_SIZE', cc: 'The VMCS region size in IA32_VMX_BASIC may not exceed 4 KiB.' },
  { id: 'basic-32bit-pa', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.1 (basic VMX information)',
    condition: 'vmx_msr_high & (1u << 16)', cc: 'A 64-bit kernel refuses a CPU that limits VMX structures to 32-bit physical addresses (IA32_VMX_BASIC bit 48).' },
  { id: 'shadow-paging-needs-nx', function: 'vmx_hardware_setup', result: { kind: 'load-failed', errno: 'EOPNOTSUPP' }, source: VMX, noCC: true,
    condition: '!enable_ept && !boot_cpu_has(X86_FEATURE_NX)', sdm: 'SDM Vol. 3A 4.6 (execute-disable; KVM requirement, not an SDM rule)',
    cc: 'Shadow paging (EPT off or unusable) needs NX on the host: "NX (Execute Disable) not supported", -EOPNOTSUPP.' },
  { id: 'basic-memtype-wb', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.1 (basic VMX information)',
    condition: '((vmx_msr_high >> 18) & 15) != 6', cc: 'The VMCS memory type in IA32_VMX_BASIC must be write-back (6).' },
];

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
  ] as const).map(([id, fn, condition, cc]): CheckDef => ({ id, function: fn, condition, cc, result: EINVAL, source: fn === 'kvm_arch_vcpu_ioctl' ? X86 : NESTED,
    sdm: 'KVM API (Documentation/virt/kvm/api.rst KVM_SET_NESTED_STATE); not an SDM rule', test: SELFTEST })),
];

/** CR0 writes (kvm_set_cr0 / KVM_SET_SREGS). */
export const CR0_CHECKS: readonly CheckDef[] = [
  { id: 'cr0-high-bits', function: 'kvm_is_valid_cr0', condition: 'cr0 & 0xffffffff00000000UL', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 2.5 (control registers: CR0 bits 63:32 reserved)', cc: 'CR0 bits 63:32 must be 0.' },
  { id: 'cr0-nw-without-cd', function: 'kvm_is_valid_cr0', condition: '(cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD)', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 2.5 (CR0.NW=1 with CD=0 is invalid)', cc: 'CR0.NW requires CR0.CD.' },
  { id: 'cr0-pg-without-pe', function: 'kvm_is_valid_cr0', condition: '(cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE)', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 2.5 (CR0.PG requires PE)', cc: 'CR0.PG requires CR0.PE.' },
  { id: 'cr0-vmx-fixed', function: 'vmx_is_valid_cr0', condition: 'is_guest_mode(vcpu) ? !nested_guest_cr0_valid(vcpu, cr0) : (vmx->nested.vmxon && !nested_host_cr0_valid(vcpu, cr0))', result: GP, source: VMX,
    sdm: 'SDM Vol. 3D A.7 (VMX-fixed bits in CR0)', cc: 'In VMX operation CR0 must keep the VMX-fixed bits (PE, NE, PG; relaxed for an unrestricted L2).' },
  { id: 'cr0-long-mode-pae', function: 'kvm_set_cr0', guard: '(vcpu->arch.efer & EFER_LME) && !is_paging(vcpu) && (cr0 & X86_CR0_PG)', condition: '!is_pae(vcpu)', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 9.8.5 (initializing IA-32e mode: PAE before PG)', cc: 'Enabling paging with EFER.LME needs CR4.PAE.' },
  { id: 'cr0-long-mode-cs-l', function: 'kvm_set_cr0', guard: '(vcpu->arch.efer & EFER_LME) && !is_paging(vcpu) && (cr0 & X86_CR0_PG)', condition: 'cs_l', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 9.8.5 (initializing IA-32e mode)', cc: 'Enabling long mode with CS.L=1 is refused.' },
  { id: 'cr0-pae-pdptrs', function: 'kvm_set_cr0', guard: '!(vcpu->arch.efer & EFER_LME) && (cr0 & X86_CR0_PG) && is_pae(vcpu) && ((cr0 ^ old_cr0) & X86_CR0_PDPTR_BITS)',
    condition: '!load_pdptrs(vcpu, kvm_read_cr3(vcpu))', result: GP, source: X86, sdm: 'SDM Vol. 3A 4.4.1 (PDPTE registers)', cc: 'PAE paging: the PDPTEs must load when PG/CD/NW change.' },
  { id: 'cr0-pg-off-long-mode', function: 'kvm_set_cr0', condition: '!(cr0 & X86_CR0_PG) && (is_64_bit_mode(vcpu) || kvm_is_cr4_bit_set(vcpu, X86_CR4_PCIDE))', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 4.10.1 (PCIDE requires paging) / 9.8.5.4', cc: 'Paging may not be turned off in 64-bit mode or with CR4.PCIDE.' },
];

/** CR3 writes (kvm_set_cr3, kvm_is_valid_sregs). */
export const CR3_CHECKS: readonly CheckDef[] = [
  { id: 'cr3-legal', function: 'kvm_set_cr3', condition: '!kvm_vcpu_is_legal_cr3(vcpu, cr3)', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 4.5 (CR3 reserved bits) and 4.4 LAM (CR3 bits 61/62)', cc: 'A CR3 with bits at or above the guest MAXPHYADDR is refused (#GP); LAM bits 61/62 are allowed when the guest can use LAM.',
    test: 'kvm-unit-tests x86/lam.c (test_lam_user / CR3 LAM bits)' },
  { id: 'cr3-pae-pdptrs', function: 'kvm_set_cr3', guard: 'is_pae_paging(vcpu)', condition: '!load_pdptrs(vcpu, cr3)', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 4.4.1 (PDPTE registers)', cc: 'PAE paging: the new CR3 must point to loadable PDPTEs.' },
  { id: 'sregs-long-mode-cr3', function: 'kvm_is_valid_sregs', guard: '(sregs->efer & EFER_LME) && (sregs->cr0 & X86_CR0_PG)',
    condition: '!(sregs->cr4 & X86_CR4_PAE) || !(sregs->efer & EFER_LMA) || !kvm_vcpu_is_legal_cr3(vcpu, sregs->cr3)', result: EINVAL, source: X86,
    sdm: 'KVM API KVM_SET_SREGS (not an SDM rule)', cc: 'Userspace long-mode state needs CR4.PAE, EFER.LMA and a legal CR3 (LAM bits allowed with LAM).' },
  { id: 'sregs-lma-without-long-mode', function: 'kvm_is_valid_sregs', guard: '!((sregs->efer & EFER_LME) && (sregs->cr0 & X86_CR0_PG))',
    condition: 'sregs->efer & EFER_LMA', result: EINVAL, source: X86, sdm: 'KVM API KVM_SET_SREGS', cc: 'EFER.LMA without LME and PG is refused.' },
];

/** Emulated VM-exit from L2 to L1. */
export const VMEXIT_CHECKS: readonly CheckDef[] = [
  { id: 'late-vmfail', function: 'nested_vmx_vmexit', condition: 'vmx->fail', result: { kind: 'vmfail-valid', vmInstructionError: 7 }, source: NESTED,
    sdm: 'SDM Vol. 3C 27.2 (VM-entry failures detected by hardware)', cc: 'vmcs02 VM-entry failed in hardware after KVM\'s checks passed: L1 sees VMfailValid 7 and KVM unwinds L1 state from vmcs01.', noCC: true },
  { id: 'exit-msr-store', function: 'nested_vmx_store_msr', guard: '!(vm_exit_reason & VMX_EXIT_REASONS_FAILED_VMENTRY) && vmcs12->vm_exit_msr_store_count',
    condition: 'nested_vmx_store_msr(vcpu, vmcs12->vm_exit_msr_store_addr, vmcs12->vm_exit_msr_store_count)', result: { kind: 'abort', abortIndicator: 1 }, source: NESTED,
    sdm: 'SDM Vol. 3C 28.4 (saving MSRs) and 28.7 (VMX aborts)', cc: 'An entry of the VM-exit MSR-store list that cannot be stored (SMBASE, FS/GS base, x2APIC range, microcode MSRs, reserved bits) is a VMX abort with indicator 1.', noCC: true },
  { id: 'host-cr3-reload', function: 'nested_vmx_load_cr3', condition: '!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)',
    result: { kind: 'abort', abortIndicator: 2 }, source: NESTED, noCC: true,
    sdm: 'SDM Vol. 3C 28.5.1 (loading host control registers) and 28.7 (VMX aborts)',
    cc: 'Reloading HOST_CR3 on VM-exit goes through nested_vmx_load_cr3; an illegal HOST_CR3 (only possible if it changed after VM-entry validated it) makes that call fail, which KVM reports as VMX abort 2.' },
  { id: 'host-pdptes', function: 'nested_vmx_load_cr3', guard: 'is_pae_paging_host',
    condition: '!load_pdptrs(vcpu, vmcs12->host_cr3)', result: { kind: 'abort', abortIndicator: 2 }, source: NESTED,
    sdm: 'SDM Vol. 3C 28.5.4 (checking and loading host PDPTEs) and 28.7', cc: 'Host PAE paging: PDPTEs that cannot be loaded on VM-exit are a VMX abort with indicator 2.', noCC: true },
  { id: 'exit-msr-load', function: 'nested_vmx_load_msr', guard: 'vmcs12->vm_exit_msr_load_count',
    condition: 'nested_vmx_load_msr(vcpu, vmcs12->vm_exit_msr_load_addr, vmcs12->vm_exit_msr_load_count)', result: { kind: 'abort', abortIndicator: 4 }, source: NESTED,
    sdm: 'SDM Vol. 3C 28.6 (loading MSRs) and 28.7', cc: 'An entry of the VM-exit MSR-load list that cannot be loaded is a VMX abort with indicator 4.', noCC: true,
    test: 'kvm-unit-tests x86/vmx_tests.c vmx_exit_msr_load (abort)' },
];
