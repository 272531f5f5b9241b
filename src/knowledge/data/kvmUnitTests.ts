// The kvm-unit-tests functions the check tables cite, by file: function names only (no test code),
// each verified to be defined in that file of kvm-unit-tests at KUT_COMMIT. Pure data.
// Selftest citations are not listed here: they are checked against the default kernel tree's
// tools/testing/selftests/kvm at test time.

/** kvm-unit-tests master at which every name below was read. */
export const KUT_COMMIT = '1da1819e49fc4938985edca67df669099b4c87a7';
export const KUT_REPOSITORY = 'https://gitlab.com/kvm-unit-tests/kvm-unit-tests';

/** file (relative to the kvm-unit-tests root) → functions defined in it that the model cites. */
export const KUT_FUNCTIONS: Readonly<Record<string, readonly string[]>> = {
  'x86/vmx_tests.c': [
    // VMLAUNCH/VMRESUME prologue
    'try_vmentry_in_movss_shadow', 'vmentry_movss_shadow_test', 'vmx_vmcs_shadow_test',
    // nested_vmx_check_controls and its helpers
    'vmx_controls_test', 'test_vm_execution_ctls', 'test_pin_based_ctls', 'test_primary_processor_based_ctls',
    'test_secondary_processor_based_ctls', 'test_cr3_targets', 'test_io_bitmaps', 'test_msr_bitmap', 'test_apic_virt_addr',
    'test_apic_access_addr', 'test_apic_virtual_ctls', 'test_apic_ctls', 'test_virtual_intr_ctls', 'test_posted_intr', 'test_nmi_ctrls',
    'test_pml', 'test_mode_based_execute_control', 'test_vpid', 'test_vmx_preemption_timer', 'test_ept_eptp', 'test_eptp_ad_bit',
    'test_vm_exit_ctls', 'test_exit_msr_store', 'test_vm_entry_ctls', 'test_invalid_event_injection', 'test_entry_msr_load',
    'test_tpr_threshold', 'test_tpr_threshold_values', 'test_vtpr_values', 'test_vmcs_addr',
    // host state
    'vmx_host_state_area_test', 'test_host_ctl_regs', 'test_load_host_pat', 'test_load_host_perf_global_ctrl', 'test_host_addr_size',
    'test_host_segment_regs', 'test_host_desc_tables', 'test_host_efer', 'test_canonical', 'vmx_cr_load_test',
    // guest state
    'vmx_guest_state_area_test', 'test_guest_dr7', 'test_load_guest_pat', 'test_load_guest_perf_global_ctrl', 'test_guest_efer',
    'test_load_guest_bndcfgs', 'test_guest_segment_sel_fields', 'test_guest_segment_base_addr_fields', 'test_vmx_guest_pdptes',
    'vmx_pae_test', 'vmx_sipi_signal_test', 'vmentry_unrestricted_guest_test', 'vmx_ldtr_test',
    // MSR-load/store lists
    'msr_switch_main', 'msr_switch_entry_failure', 'invalid_msr_main', 'invalid_msr_entry_failure',
    'atomic_switch_max_msrs_test', 'atomic_switch_overflow_msrs_test',
    // newer behaviour (LA57-width canonical checks, CET state)
    'vmx_canonical_test', 'vmx_cet_test',
  ],
  'x86/vmx.c': ['test_vmxon', 'test_vmptrld', 'test_vmx_caps', 'test_vmxon_bad_cr'],
  'x86/lam.c': ['test_lam_user', 'test_lam_sup', 'test_cr4_lam_set_clear'],
  'x86/la57.c': ['test_canonical_checks'],
};

/** True when `fn` is a cited kvm-unit-tests function of `file`. */
export function isKnownKutFunction(file: string, fn: string): boolean {
  return Object.hasOwn(KUT_FUNCTIONS, file) && KUT_FUNCTIONS[file].includes(fn);
}
