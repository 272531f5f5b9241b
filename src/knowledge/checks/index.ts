// The check tables of the modeled KVM paths (pure data). Each check names the kernel function that
// performs it; CALLEES says which functions a function calls, so "the checks performed by
// nested_vmx_check_controls" includes those of its helpers.
import type { CheckDef, Locals } from './types';
import { CONTROL_CHECKS, ENTRY_CONTROL_LOCALS } from './controls';
import { ENTER_CHECKS, GUEST_STATE_CHECKS, GUEST_STATE_LOCALS, HOST_STATE_CHECKS, HOST_STATE_LOCALS, RUN_CHECKS } from './vmentry';
import { MODULE_LOAD_CHECKS } from './moduleLoad';
import { NESTED_STATE_CHECKS } from './nestedState';
import { CR0_CHECKS, CR3_CHECKS } from './crWrites';
import { VMEXIT_CHECKS } from './vmexit';
import { HARDWARE_CONTROL_CHECKS, HARDWARE_GUEST_CHECKS, HARDWARE_LOCALS } from './hardware';

export type { CheckDef, FailResult, Locals } from './types';
export { HARDWARE_CONTROL_CHECKS, HARDWARE_GUEST_CHECKS, CONTROL_CHECKS, RUN_CHECKS, HOST_STATE_CHECKS, GUEST_STATE_CHECKS, ENTER_CHECKS, MODULE_LOAD_CHECKS, NESTED_STATE_CHECKS, CR0_CHECKS, CR3_CHECKS, VMEXIT_CHECKS };

/** Every check, in table order (each table is in KVM's order). */
export const ALL_CHECKS: readonly CheckDef[] = [
  ...RUN_CHECKS, ...CONTROL_CHECKS, ...HOST_STATE_CHECKS, ...GUEST_STATE_CHECKS, ...ENTER_CHECKS, ...HARDWARE_CONTROL_CHECKS, ...HARDWARE_GUEST_CHECKS,
  ...MODULE_LOAD_CHECKS, ...NESTED_STATE_CHECKS, ...CR0_CHECKS, ...CR3_CHECKS, ...VMEXIT_CHECKS,
];

/** Locals a function computes before its checks (C expressions). */
export const FUNCTION_LOCALS: Record<string, Locals> = {
  nested_check_vm_entry_controls: ENTRY_CONTROL_LOCALS,
  nested_vmx_check_host_state: HOST_STATE_LOCALS,
  nested_vmx_check_guest_state: GUEST_STATE_LOCALS,
  vmx_vcpu_enter_exit: HARDWARE_LOCALS,
};

/** Kernel call graph restricted to the modeled checks (v6.12 nested.c / vmx.c / x86.c). */
export const CALLEES: Record<string, string[]> = {
  handle_vmlaunch: ['nested_vmx_run'],
  handle_vmresume: ['nested_vmx_run'],
  nested_vmx_check_controls: ['nested_check_vm_execution_controls', 'nested_check_vm_exit_controls', 'nested_check_vm_entry_controls', 'nested_evmcs_check_controls'],
  nested_check_vm_execution_controls: ['nested_vmx_check_io_bitmap_controls', 'nested_vmx_check_msr_bitmap_controls', 'nested_vmx_check_tpr_shadow_controls',
    'nested_vmx_check_apic_access_controls', 'nested_vmx_check_apicv_controls', 'nested_vmx_check_nmi_controls', 'nested_vmx_check_pml_controls',
    'nested_vmx_check_unrestricted_guest_controls', 'nested_vmx_check_mode_based_ept_exec_controls', 'nested_vmx_check_shadow_vmcs_controls', 'nested_vmx_check_eptp'],
  nested_check_vm_exit_controls: ['nested_vmx_check_exit_msr_switch_controls'],
  nested_check_vm_entry_controls: ['nested_vmx_check_entry_msr_switch_controls'],
  nested_vmx_check_guest_state: ['nested_vmx_check_vmcs_link_ptr', 'nested_check_guest_non_reg_state'],
  nested_vmx_enter_non_root_mode: ['prepare_vmcs02_early', 'nested_vmx_check_vmentry_hw', 'nested_vmx_check_guest_state', 'prepare_vmcs02', 'nested_vmx_load_msr'],
  nested_vmx_run: ['nested_vmx_check_permission', 'nested_vmx_handle_enlightened_vmptrld', 'nested_vmx_check_controls',
    'nested_vmx_check_address_space_size', 'nested_vmx_check_host_state', 'nested_vmx_enter_non_root_mode', 'vmx_vcpu_enter_exit'],
  prepare_vmcs02: ['nested_vmx_load_cr3'],
  vmx_set_nested_state: ['nested_vmx_check_controls', 'nested_vmx_check_host_state', 'nested_vmx_check_guest_state', 'nested_vmx_enter_non_root_mode'],
  vmx_init: ['vmx_hardware_setup'],
  vmx_hardware_setup: ['setup_vmcs_config'],
  setup_vmcs_config: ['adjust_vmx_controls'],
  handle_cr: ['handle_set_cr0', 'kvm_set_cr3'],
  handle_set_cr0: ['kvm_set_cr0'],
  kvm_set_cr0: ['kvm_is_valid_cr0', 'kvm_post_set_cr0'],
  kvm_is_valid_cr0: ['vmx_is_valid_cr0'],
  kvm_set_cr3: ['kvm_vcpu_is_legal_cr3'],
  nested_vmx_vmexit: ['prepare_vmcs12', 'load_vmcs12_host_state'],
  prepare_vmcs12: ['nested_vmx_store_msr'],
  load_vmcs12_host_state: ['nested_vmx_load_cr3', 'nested_vmx_load_msr'],
};
