// KVM nested-VMX functions the model knows. Source: Linux v6.12 arch/x86/kvm/vmx/nested.c, vmx.c,
// arch/x86/kvm/x86.c, as summarised in the project reference kvm-nested-vmx.md (sections noted).
export interface FunctionFact {
  name: string;
  file: string;
  summary: string;
  details: string;
  sdm?: string;
  related: string[];
  /** Ids of the modeled check paths that pass through this function. */
  paths: string[];
}

export const FUNCTIONS: readonly FunctionFact[] = [
  { name: 'nested_vmx_run', file: 'arch/x86/kvm/vmx/nested.c', paths: ['nested-vmentry'],
    summary: 'Emulates VMLAUNCH/VMRESUME executed by L1 (ref §2.1).',
    details: 'Checks VMX permission and the current VMCS, the launch state, then the vmcs12 controls (VMfailValid 7), the host address-space size and host state (VMfailValid 8), and enters L2 through nested_vmx_enter_non_root_mode.',
    related: ['nested_vmx_check_controls', 'nested_vmx_check_host_state', 'nested_vmx_enter_non_root_mode'] },
  { name: 'nested_vmx_check_host_state', file: 'arch/x86/kvm/vmx/nested.c', paths: ['nested-vmentry', 'set-nested-state'],
    summary: 'Consistency checks of the vmcs12 host-state area; a failure is VMfailValid 8 on VM-entry, -EINVAL on KVM_SET_NESTED_STATE (ref §2.4).',
    details: 'HOST_CR0/HOST_CR4 fixed bits, HOST_CR3 legality (LAM bits 61/62 allowed when the guest can use LAM), canonical bases, selectors, PAT, EFER against the host address-space size.',
    sdm: 'SDM Vol. 3C 27.2.2 (checks on host control registers, MSRs and SSP)', related: ['kvm_vcpu_is_legal_cr3', 'HOST_CR3', 'VM_EXIT_HOST_ADDR_SPACE_SIZE'] },
  { name: 'nested_vmx_load_cr3', file: 'arch/x86/kvm/vmx/nested.c', paths: ['nested-vmentry', 'nested-vmexit'],
    summary: 'Loads a CR3 from vmcs12 (GUEST_CR3 on entry, HOST_CR3 on exit) and re-initialises the MMU (ref §2.6).',
    details: 'Fails (-EINVAL, VM-exit qualification 0) if the CR3 is not a legal CR3 for the vCPU; with PAE paging, no nested EPT and reload requested, a PDPTE load failure gives qualification 2. Then marks CR3 dirty, calls kvm_init_mmu unconditionally to pick up CR4 role changes, and kvm_mmu_new_pgd when nested EPT is off.',
    related: ['kvm_vcpu_is_legal_cr3', 'kvm_init_mmu', 'prepare_vmcs02', 'load_vmcs12_host_state'] },
  { name: 'setup_vmcs_config', file: 'arch/x86/kvm/vmx/vmx.c', paths: ['module-load'],
    summary: 'Computes the VMCS controls kvm_intel will use from the VMX capability MSRs at module load (ref §5.3).',
    details: 'adjust_vmx_controls for primary, secondary, exit, pin and entry controls (-EIO when a required bit is missing); EPT/VPID capability consistency; VM-entry/VM-exit pair sanitising; VMX_BASIC size, width and memory type checks.',
    related: ['adjust_vmx_controls', 'MSR_IA32_VMX_PROCBASED_CTLS2', 'MSR_IA32_VMX_EPT_VPID_CAP', 'error_on_inconsistent_vmcs_config'] },
  { name: 'adjust_vmx_controls', file: 'arch/x86/kvm/vmx/vmx.c', paths: ['module-load'],
    summary: 'Fits wanted control bits to a capability MSR: (min|opt) & allowed-1, | allowed-0; -EIO if a required bit is missing (ref §5.2).',
    details: 'The low dword of the capability MSR lists bits that must be 1, the high dword bits that may be 1.', related: ['setup_vmcs_config'] },
  { name: 'load_vmcs12_host_state', file: 'arch/x86/kvm/vmx/nested.c', paths: ['nested-vmexit'],
    summary: 'Loads L1 state from the vmcs12 host-state area on an emulated VM-exit (ref §3.2).',
    details: 'EFER, RSP/RIP, CR0 (after resetting cr0_guest_owned_bits to vmx_l1_guest_owned_cr0_bits()), CR4, nested_vmx_load_cr3(HOST_CR3), segments, then the VM-exit MSR-load list (failure: VMX abort 4).',
    related: ['nested_vmx_vmexit', 'nested_vmx_load_cr3', 'vmx_l1_guest_owned_cr0_bits'] },
];
