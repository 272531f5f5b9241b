// The six modeled KVM check paths (cli-contract.md `paths`): id, title, entry function and the
// functions on the path in call order. Source: Linux v6.12, reference kvm-nested-vmx.md §10.

export interface PathDef { id: string; title: string; entry: string; steps: string[] }

export const PATH_DEFS: readonly PathDef[] = [
  { id: 'nested-vmentry', title: 'VMLAUNCH/VMRESUME from L1', entry: 'handle_vmlaunch',
    steps: ['nested_vmx_run', 'nested_vmx_check_permission', 'nested_vmx_handle_enlightened_vmptrld', 'nested_vmx_check_controls',
      'nested_vmx_check_address_space_size', 'nested_vmx_check_host_state', 'nested_vmx_enter_non_root_mode', 'prepare_vmcs02_early',
      'nested_vmx_check_vmentry_hw', 'nested_vmx_check_guest_state', 'prepare_vmcs02', 'nested_vmx_load_cr3', 'nested_vmx_load_msr', 'vmx_vcpu_enter_exit'] },
  { id: 'nested-vmexit', title: 'Emulated VM-exit from L2 to L1', entry: 'nested_vmx_vmexit',
    steps: ['nested_vmx_vmexit', 'nested_get_evmcs_page', 'prepare_vmcs12', 'nested_vmx_store_msr', 'load_vmcs12_host_state', 'nested_vmx_load_cr3', 'nested_vmx_load_msr'] },
  { id: 'set-nested-state', title: 'KVM_SET_NESTED_STATE', entry: 'kvm_arch_vcpu_ioctl',
    steps: ['kvm_arch_vcpu_ioctl', 'vmx_set_nested_state', 'vmx_leave_nested', 'enter_vmx_operation', 'nested_vmx_check_controls',
      'nested_vmx_check_host_state', 'nested_vmx_check_guest_state', 'nested_vmx_enter_non_root_mode', 'prepare_vmcs02', 'nested_vmx_load_cr3'] },
  { id: 'module-load', title: 'kvm_intel load: setup_vmcs_config', entry: 'vmx_init',
    steps: ['vmx_init', 'vmx_hardware_setup', 'setup_vmcs_config', 'adjust_vmx_controls', 'nested_vmx_setup_ctls_msrs'] },
  { id: 'cr0-write', title: 'Guest CR0 write and CR0 bit ownership', entry: 'handle_cr',
    steps: ['handle_cr', 'handle_set_cr0', 'kvm_set_cr0', 'kvm_is_valid_cr0', 'vmx_is_valid_cr0', 'vmx_set_cr0', 'kvm_post_set_cr0'] },
  { id: 'cr3-write', title: 'Guest or userspace CR3 load', entry: 'kvm_set_cr3',
    steps: ['handle_cr', 'kvm_set_cr3', 'kvm_is_valid_sregs', 'kvm_vcpu_is_legal_cr3'] },
];
