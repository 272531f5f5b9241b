// nested_vmx_check_controls and its helpers (arch/x86/kvm/vmx/nested.c, v6.12): every check that
// makes VMLAUNCH/VMRESUME fail with VMfailValid 7 (VMXERR_ENTRY_INVALID_CONTROL_FIELD), in KVM's
// order: execution controls, exit controls, entry controls, then eVMCS controls when enabled.
// Reference: kvm-nested-vmx.md §2.2 (E1..E18, X1..X2, N1..N3). Conditions restate nested.c.
import type { CheckDef, Locals, TestRef } from './types';

const SRC = 'arch/x86/kvm/vmx/nested.c';
const VMFAIL7 = { kind: 'vmfail-valid', vmInstructionError: 7 } as const;
const EXEC = 'SDM Vol. 3C 27.2.1.1 (VM-execution control fields)';
const EXIT = 'SDM Vol. 3C 27.2.1.2 (VM-exit control fields)';
const ENTRY = 'SDM Vol. 3C 27.2.1.3 (VM-entry control fields)';
/** kvm-unit-tests x86/vmx_tests.c functions. */
const kut = (...fns: string[]): TestRef[] => fns.map(f => ({ suite: 'kvm-unit-tests', file: 'x86/vmx_tests.c', function: f }));
const EVMCS_TEST: TestRef[] = [{ suite: 'selftests', file: 'x86_64/hyperv_evmcs.c', function: 'guest_code' }];
const INTR_VALID = 'vmcs12->vm_entry_intr_info_field & INTR_INFO_VALID_MASK';
const APICV = 'nested_cpu_has_virt_x2apic_mode(vmcs12) || nested_cpu_has_apic_reg_virt(vmcs12) || nested_cpu_has_vid(vmcs12) || nested_cpu_has_posted_intr(vmcs12)';

/** Version facts of a row other than "present since v6.12, still current". */
type Era = Pick<CheckDef, 'since' | 'until' | 'in612y'>;
const V612: Era = { since: 'v6.12' };

function c(id: string, fn: string, condition: string, rule: string, sdm: string, test?: string | string[], guard?: string, noCC?: boolean, era: Era = V612): CheckDef {
  const tests = test === undefined ? [] : kut(...(Array.isArray(test) ? test : [test]));
  return { id, function: fn, condition, rule, sdm, tests, guard, result: VMFAIL7, source: SRC, noCC, ...era };
}

/** Locals of nested_check_vm_entry_controls (event-injection fields). */
export const ENTRY_CONTROL_LOCALS: Locals = {
  intr_info: 'vmcs12->vm_entry_intr_info_field',
  vector: 'vmcs12->vm_entry_intr_info_field & INTR_INFO_VECTOR_MASK',
  intr_type: 'vmcs12->vm_entry_intr_info_field & INTR_INFO_INTR_TYPE_MASK',
  has_error_code: '!!(vmcs12->vm_entry_intr_info_field & INTR_INFO_DELIVER_CODE_MASK)',
  urg: 'nested_cpu_has2(vmcs12, SECONDARY_EXEC_UNRESTRICTED_GUEST)',
  prot_mode: '!urg || (vmcs12->guest_cr0 & X86_CR0_PE)',
  should_have_error_code: 'intr_type == INTR_TYPE_HARD_EXCEPTION && prot_mode && x86_exception_has_error_code(vector)',
};

export const CONTROL_CHECKS: readonly CheckDef[] = [
  c('pin-based-ctls', 'nested_check_vm_execution_controls',
    '!vmx_control_verify(vmcs12->pin_based_vm_exec_control, vmx->nested.msrs.pinbased_ctls_low, vmx->nested.msrs.pinbased_ctls_high)',
    'Pin-based controls must set every allowed-0 bit and no bit outside the allowed-1 bits that KVM reports to L1.', EXEC, 'test_pin_based_ctls'),
  c('cpu-based-ctls', 'nested_check_vm_execution_controls',
    '!vmx_control_verify(vmcs12->cpu_based_vm_exec_control, vmx->nested.msrs.procbased_ctls_low, vmx->nested.msrs.procbased_ctls_high)',
    'Primary processor-based controls must respect the nested allowed-0/allowed-1 settings.', EXEC, 'test_primary_processor_based_ctls'),
  c('secondary-ctls', 'nested_check_vm_execution_controls',
    '!vmx_control_verify(vmcs12->secondary_vm_exec_control, vmx->nested.msrs.secondary_ctls_low, vmx->nested.msrs.secondary_ctls_high)',
    'When "activate secondary controls" is 1, the secondary controls must respect the nested allowed settings (not checked at all otherwise).', EXEC,
    'test_secondary_processor_based_ctls', 'nested_cpu_has(vmcs12, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)'),
  c('cr3-target-count', 'nested_check_vm_execution_controls', 'vmcs12->cr3_target_count > nested_cpu_vmx_misc_cr3_count(vcpu)',
    'The CR3-target count may not exceed the count in the nested IA32_VMX_MISC (KVM reports 0).', EXEC, 'test_cr3_targets'),
  c('io-bitmap-a', 'nested_vmx_check_io_bitmap_controls', '!page_address_valid(vcpu, vmcs12->io_bitmap_a)',
    'With "use I/O bitmaps", I/O bitmap A must be a 4 KiB-aligned legal guest-physical address.', EXEC, 'test_io_bitmaps', 'nested_cpu_has(vmcs12, CPU_BASED_USE_IO_BITMAPS)'),
  c('io-bitmap-b', 'nested_vmx_check_io_bitmap_controls', '!page_address_valid(vcpu, vmcs12->io_bitmap_b)',
    'With "use I/O bitmaps", I/O bitmap B must be a 4 KiB-aligned legal guest-physical address.', EXEC, 'test_io_bitmaps', 'nested_cpu_has(vmcs12, CPU_BASED_USE_IO_BITMAPS)'),
  c('msr-bitmap', 'nested_vmx_check_msr_bitmap_controls', '!page_address_valid(vcpu, vmcs12->msr_bitmap)',
    'With "use MSR bitmaps", the MSR bitmap must be a 4 KiB-aligned legal guest-physical address.', EXEC, 'test_msr_bitmap', 'nested_cpu_has(vmcs12, CPU_BASED_USE_MSR_BITMAPS)'),
  c('virtual-apic-page', 'nested_vmx_check_tpr_shadow_controls', '!page_address_valid(vcpu, vmcs12->virtual_apic_page_addr)',
    'With "use TPR shadow", the virtual-APIC page address must be 4 KiB-aligned and legal.', EXEC, 'test_apic_virt_addr', 'nested_cpu_has(vmcs12, CPU_BASED_TPR_SHADOW)'),
  c('tpr-threshold-reserved', 'nested_vmx_check_tpr_shadow_controls', '!nested_cpu_has_vid(vmcs12) && (vmcs12->tpr_threshold >> 4)',
    'With "use TPR shadow" and without virtual-interrupt delivery, TPR-threshold bits 31:4 must be 0; KVM checks it itself since v6.19 (before, only the CPU did: late VM-Fail).',
    'SDM Vol. 3C 27.2.1.1 (VM-execution control fields: TPR threshold)', ['test_tpr_threshold', 'test_tpr_threshold_values', 'test_vtpr_values'], 'nested_cpu_has(vmcs12, CPU_BASED_TPR_SHADOW)', false, { since: 'v6.19' }),
  c('apic-access-page', 'nested_vmx_check_apic_access_controls',
    'nested_cpu_has2(vmcs12, SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES) && !page_address_valid(vcpu, vmcs12->apic_access_addr)',
    'With "virtualize APIC accesses", the APIC-access address must be 4 KiB-aligned and legal.', EXEC, 'test_apic_access_addr'),
  c('x2apic-with-apic-access', 'nested_vmx_check_apicv_controls',
    'nested_cpu_has_virt_x2apic_mode(vmcs12) && nested_cpu_has2(vmcs12, SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES)',
    '"Virtualize x2APIC mode" and "virtualize APIC accesses" may not both be 1.', EXEC, 'test_apic_virtual_ctls', APICV),
  c('vid-without-ext-intr', 'nested_vmx_check_apicv_controls', 'nested_cpu_has_vid(vmcs12) && !nested_exit_on_intr(vcpu)',
    '"Virtual-interrupt delivery" requires "external-interrupt exiting".', EXEC, 'test_virtual_intr_ctls', APICV),
  c('posted-intr-without-vid', 'nested_vmx_check_apicv_controls', '!nested_cpu_has_vid(vmcs12)',
    '"Process posted interrupts" requires "virtual-interrupt delivery".', EXEC, 'test_posted_intr', `(${APICV}) && nested_cpu_has_posted_intr(vmcs12)`),
  c('posted-intr-without-ack', 'nested_vmx_check_apicv_controls', '!nested_exit_intr_ack_set(vcpu)',
    '"Process posted interrupts" requires the "acknowledge interrupt on exit" VM-exit control.', EXEC, 'test_posted_intr', `(${APICV}) && nested_cpu_has_posted_intr(vmcs12)`),
  c('posted-intr-nv', 'nested_vmx_check_apicv_controls', 'vmcs12->posted_intr_nv & 0xff00',
    'The posted-interrupt notification vector must fit in bits 7:0.', EXEC, 'test_posted_intr', `(${APICV}) && nested_cpu_has_posted_intr(vmcs12)`),
  c('posted-intr-desc', 'nested_vmx_check_apicv_controls', '!kvm_vcpu_is_legal_aligned_gpa(vcpu, vmcs12->posted_intr_desc_addr, 64)',
    'The posted-interrupt descriptor address must be 64-byte aligned and legal.', EXEC, 'test_posted_intr', `(${APICV}) && nested_cpu_has_posted_intr(vmcs12)`),
  c('apicv-without-tpr-shadow', 'nested_vmx_check_apicv_controls', '!nested_cpu_has(vmcs12, CPU_BASED_TPR_SHADOW)',
    'Every APIC-virtualisation control (x2APIC mode, register virtualisation, VID, posted interrupts) requires "use TPR shadow".', EXEC, 'test_apic_virtual_ctls', APICV),
  c('vnmi-without-nmi-exiting', 'nested_vmx_check_nmi_controls', '!nested_cpu_has_nmi_exiting(vmcs12) && nested_cpu_has_virtual_nmis(vmcs12)',
    '"Virtual NMIs" requires "NMI exiting".', EXEC, 'test_nmi_ctrls'),
  c('nmi-window-without-vnmi', 'nested_vmx_check_nmi_controls', '!nested_cpu_has_virtual_nmis(vmcs12) && nested_cpu_has(vmcs12, CPU_BASED_NMI_WINDOW_EXITING)',
    '"NMI-window exiting" requires "virtual NMIs".', EXEC, 'test_nmi_ctrls'),
  c('pml-without-ept', 'nested_vmx_check_pml_controls', '!nested_cpu_has_ept(vmcs12)',
    '"Enable PML" requires "enable EPT".', EXEC, 'test_pml', 'nested_cpu_has_pml(vmcs12)'),
  c('pml-address', 'nested_vmx_check_pml_controls', '!page_address_valid(vcpu, vmcs12->pml_address)',
    'With "enable PML", the PML address must be 4 KiB-aligned and legal.', EXEC, 'test_pml', 'nested_cpu_has_pml(vmcs12)'),
  c('unrestricted-guest-without-ept', 'nested_vmx_check_unrestricted_guest_controls',
    'nested_cpu_has2(vmcs12, SECONDARY_EXEC_UNRESTRICTED_GUEST) && !nested_cpu_has_ept(vmcs12)',
    '"Unrestricted guest" requires "enable EPT".', EXEC, 'test_ept_eptp'),
  c('mode-based-ept-exec-without-ept', 'nested_vmx_check_mode_based_ept_exec_controls',
    'nested_cpu_has2(vmcs12, SECONDARY_EXEC_MODE_BASED_EPT_EXEC) && !nested_cpu_has_ept(vmcs12)',
    '"Mode-based execute control for EPT" requires "enable EPT".', EXEC, 'test_mode_based_execute_control'),
  c('vmread-bitmap', 'nested_vmx_check_shadow_vmcs_controls', '!page_address_valid(vcpu, vmcs12->vmread_bitmap)',
    'With "VMCS shadowing", the VMREAD bitmap must be 4 KiB-aligned and legal.', EXEC, undefined, 'nested_cpu_has_shadow_vmcs(vmcs12)'),
  c('vmwrite-bitmap', 'nested_vmx_check_shadow_vmcs_controls', '!page_address_valid(vcpu, vmcs12->vmwrite_bitmap)',
    'With "VMCS shadowing", the VMWRITE bitmap must be 4 KiB-aligned and legal.', EXEC, undefined, 'nested_cpu_has_shadow_vmcs(vmcs12)'),
  c('vpid-zero', 'nested_check_vm_execution_controls', 'nested_cpu_has_vpid(vmcs12) && !vmcs12->virtual_processor_id',
    'With "enable VPID", the VPID may not be 0.', EXEC, 'test_vpid'),
  c('save-preemption-timer-without-timer', 'nested_check_vm_execution_controls',
    '!nested_cpu_has_preemption_timer(vmcs12) && nested_cpu_has_save_preemption_timer(vmcs12)',
    '"Save VMX-preemption timer value" (exit control) requires the "activate VMX-preemption timer" pin control; KVM does not wrap this one in CC().',
    EXEC, 'test_vmx_preemption_timer', undefined, true),
  c('eptp-memtype', 'nested_vmx_check_eptp',
    '((vmcs12->ept_pointer & VMX_EPTP_MT_MASK) == VMX_EPTP_MT_UC) ? !(vmx->nested.msrs.ept_caps & VMX_EPTP_UC_BIT) : ((vmcs12->ept_pointer & VMX_EPTP_MT_MASK) == VMX_EPTP_MT_WB) ? !(vmx->nested.msrs.ept_caps & VMX_EPTP_WB_BIT) : 1',
    'The EPTP memory type must be UC (0) or WB (6) and offered in the nested EPT capabilities (KVM offers WB only).', EXEC, 'test_ept_eptp', 'nested_cpu_has_ept(vmcs12)'),
  c('eptp-page-walk', 'nested_vmx_check_eptp',
    '((vmcs12->ept_pointer & VMX_EPTP_PWL_MASK) == VMX_EPTP_PWL_5) ? !(vmx->nested.msrs.ept_caps & VMX_EPT_PAGE_WALK_5_BIT) : ((vmcs12->ept_pointer & VMX_EPTP_PWL_MASK) == VMX_EPTP_PWL_4) ? !(vmx->nested.msrs.ept_caps & VMX_EPT_PAGE_WALK_4_BIT) : 1',
    'The EPTP page-walk length minus one must be 3 (4 levels) or 4 (5 levels) and offered in the nested EPT capabilities.', EXEC, 'test_ept_eptp', 'nested_cpu_has_ept(vmcs12)'),
  c('eptp-reserved', 'nested_vmx_check_eptp', 'kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->ept_pointer) || ((vmcs12->ept_pointer >> 7) & 0x1f)',
    'EPTP bits above the guest MAXPHYADDR and bits 11:7 must be 0.', EXEC, 'test_ept_eptp', 'nested_cpu_has_ept(vmcs12)'),
  c('eptp-ad', 'nested_vmx_check_eptp', '(vmcs12->ept_pointer & VMX_EPTP_AD_ENABLE_BIT) && !(vmx->nested.msrs.ept_caps & VMX_EPT_AD_BIT)',
    'EPTP bit 6 (accessed/dirty flags) requires A/D support in the nested EPT capabilities (eptad=1).', EXEC, ['test_eptp_ad_bit', 'test_ept_eptp'], 'nested_cpu_has_ept(vmcs12)'),
  c('vmfunc-controls', 'nested_check_vm_execution_controls', 'vmcs12->vm_function_control & ~vmx->nested.msrs.vmfunc_controls',
    'With "enable VM functions", only VM functions KVM offers (EPTP switching) may be enabled.', EXEC, undefined, 'nested_cpu_has_vmfunc(vmcs12)'),
  c('eptp-switching-without-ept', 'nested_check_vm_execution_controls', '!nested_cpu_has_ept(vmcs12)',
    'EPTP switching requires "enable EPT".', EXEC, undefined, 'nested_cpu_has_vmfunc(vmcs12) && nested_cpu_has_eptp_switching(vmcs12)'),
  c('eptp-list-address', 'nested_check_vm_execution_controls', '!page_address_valid(vcpu, vmcs12->eptp_list_address)',
    'EPTP switching requires a 4 KiB-aligned legal EPTP-list address.', EXEC, undefined, 'nested_cpu_has_vmfunc(vmcs12) && nested_cpu_has_eptp_switching(vmcs12)'),
  c('tsc-multiplier-zero', 'nested_check_vm_execution_controls', '!vmcs12->tsc_multiplier',
    'With "use TSC scaling", the TSC multiplier may not be 0; KVM checks it itself since v6.19 (before, only the CPU did: late VM-Fail).',
    EXEC, undefined, 'nested_cpu_has2(vmcs12, SECONDARY_EXEC_TSC_SCALING)', false, { since: 'v6.19' }),

  c('vm-exit-ctls', 'nested_check_vm_exit_controls',
    '!vmx_control_verify(vmcs12->vm_exit_controls, vmx->nested.msrs.exit_ctls_low, vmx->nested.msrs.exit_ctls_high)',
    'VM-exit controls must respect the nested allowed-0/allowed-1 settings.', EXIT, 'test_vm_exit_ctls'),
  c('exit-msr-load-count', 'nested_vmx_check_exit_msr_switch_controls', 'vmcs12->vm_exit_msr_load_count > nested_vmx_max_atomic_switch_msrs(vcpu)',
    'The VM-exit MSR-load count may not exceed the nested IA32_VMX_MISC limit (512 x (bits 27:25 + 1)); checked up front since v6.16 (before, the list failed while being loaded).',
    EXIT, 'atomic_switch_overflow_msrs_test', undefined, false, { since: 'v6.16' }),
  c('exit-msr-load-list', 'nested_vmx_check_exit_msr_switch_controls',
    'nested_vmx_check_msr_switch(vcpu, vmcs12->vm_exit_msr_load_count, vmcs12->vm_exit_msr_load_addr)',
    'A non-empty VM-exit MSR-load list must start 16-byte aligned at a legal address and end at a legal address.', EXIT),
  c('exit-msr-store-count', 'nested_vmx_check_exit_msr_switch_controls', 'vmcs12->vm_exit_msr_store_count > nested_vmx_max_atomic_switch_msrs(vcpu)',
    'The VM-exit MSR-store count may not exceed the nested IA32_VMX_MISC limit; checked up front since v6.16.', EXIT, undefined, undefined, false, { since: 'v6.16' }),
  c('exit-msr-store-list', 'nested_vmx_check_exit_msr_switch_controls',
    'nested_vmx_check_msr_switch(vcpu, vmcs12->vm_exit_msr_store_count, vmcs12->vm_exit_msr_store_addr)',
    'A non-empty VM-exit MSR-store list must start 16-byte aligned at a legal address and end at a legal address.', EXIT, 'test_exit_msr_store'),

  c('vm-entry-ctls', 'nested_check_vm_entry_controls',
    '!vmx_control_verify(vmcs12->vm_entry_controls, vmx->nested.msrs.entry_ctls_low, vmx->nested.msrs.entry_ctls_high)',
    'VM-entry controls must respect the nested allowed-0/allowed-1 settings.', ENTRY, 'test_vm_entry_ctls'),
  ...([
    ['intr-type-reserved', 'intr_type == INTR_TYPE_RESERVED', 'Interruption type 1 is reserved.'],
    ['intr-type-other-event', 'intr_type == INTR_TYPE_OTHER_EVENT && !nested_cpu_supports_monitor_trap_flag(vcpu)', 'Type 7 (other event) needs monitor-trap-flag support.'],
    ['intr-nmi-vector', 'intr_type == INTR_TYPE_NMI_INTR && vector != NMI_VECTOR', 'An injected NMI must use vector 2.'],
    ['intr-hw-exception-vector', 'intr_type == INTR_TYPE_HARD_EXCEPTION && vector > 31', 'A hardware exception vector must be 0..31.'],
    ['intr-other-event-vector', 'intr_type == INTR_TYPE_OTHER_EVENT && vector != 0', 'Type 7 (other event) must use vector 0 (pending MTF).'],
  ] as const).map(([id, cond, rule]) => c(id, 'nested_check_vm_entry_controls', cond, rule, ENTRY, 'test_invalid_event_injection', INTR_VALID)),
  c('intr-deliver-error-code', 'nested_check_vm_entry_controls', 'has_error_code != should_have_error_code',
    '"Deliver error code" must be 1 exactly for a hardware exception that has an error code (#DF, #TS, #NP, #SS, #GP, #PF, #AC) injected in protected mode (URG off or guest CR0.PE=1).',
    ENTRY, 'test_invalid_event_injection', INTR_VALID, false, { since: 'v6.12', until: 'v6.18' }),
  c('intr-error-code-not-allowed', 'nested_check_vm_entry_controls', 'has_error_code',
    'Outside protected mode, or for an event other than a hardware exception, "deliver error code" must be 0 (v6.18 split of the error-code rule).',
    ENTRY, 'test_invalid_event_injection', `${INTR_VALID} && (!prot_mode || intr_type != INTR_TYPE_HARD_EXCEPTION)`, false, { since: 'v6.18' }),
  c('intr-error-code-mismatch', 'nested_check_vm_entry_controls', 'has_error_code != x86_exception_has_error_code(vector)',
    'A hardware exception injected in protected mode must deliver an error code exactly when the vector has one — unless the nested IA32_VMX_BASIC reports bit 56 (no hardware error-code consistency check), which KVM offers L1 since v6.18 when the CPU has it.',
    ENTRY, 'test_invalid_event_injection', `${INTR_VALID} && prot_mode && intr_type == INTR_TYPE_HARD_EXCEPTION && !nested_cpu_has_no_hw_errcode_cc(vcpu)`, false, { since: 'v6.18' }),
  ...([
    ['intr-error-code-bits', 'has_error_code && (vmcs12->vm_entry_exception_error_code & GENMASK(31, 16))', 'A delivered error code must have bits 31:16 clear.'],
    ['intr-reserved-bits', 'intr_info & INTR_INFO_RESVD_BITS_MASK', 'Bits 30:12 of the interruption-information field are reserved.'],
    ['intr-instruction-len-max', '(intr_type == INTR_TYPE_SOFT_EXCEPTION || intr_type == INTR_TYPE_SOFT_INTR || intr_type == INTR_TYPE_PRIV_SW_EXCEPTION) && vmcs12->vm_entry_instruction_len > 15',
      'Software interrupts/exceptions need an instruction length of at most 15.'],
    ['intr-instruction-len-zero', '(intr_type == INTR_TYPE_SOFT_EXCEPTION || intr_type == INTR_TYPE_SOFT_INTR || intr_type == INTR_TYPE_PRIV_SW_EXCEPTION) && vmcs12->vm_entry_instruction_len == 0 && !nested_cpu_has_zero_length_injection(vcpu)',
      'Software interrupts/exceptions need a non-zero instruction length unless IA32_VMX_MISC allows zero-length injection.'],
  ] as const).map(([id, cond, rule]) => c(id, 'nested_check_vm_entry_controls', cond, rule, ENTRY, 'test_invalid_event_injection', INTR_VALID)),
  c('entry-msr-load-count', 'nested_vmx_check_entry_msr_switch_controls', 'vmcs12->vm_entry_msr_load_count > nested_vmx_max_atomic_switch_msrs(vcpu)',
    'The VM-entry MSR-load count may not exceed the nested IA32_VMX_MISC limit; checked up front since v6.16 (before: exit reason 34 at the first entry past the limit).',
    ENTRY, 'atomic_switch_overflow_msrs_test', undefined, false, { since: 'v6.16' }),
  c('entry-msr-load-list', 'nested_vmx_check_entry_msr_switch_controls',
    'nested_vmx_check_msr_switch(vcpu, vmcs12->vm_entry_msr_load_count, vmcs12->vm_entry_msr_load_addr)',
    'A non-empty VM-entry MSR-load list must start 16-byte aligned at a legal address and end at a legal address.', ENTRY, 'test_entry_msr_load'),
  ...([
    ['evmcs-pin-controls', 'vmcs12->pin_based_vm_exec_control & ~EVMCS1_SUPPORTED_PINCTRL', 'pin-based (no posted interrupts, no preemption timer)'],
    ['evmcs-exec-controls', 'vmcs12->cpu_based_vm_exec_control & ~EVMCS1_SUPPORTED_EXEC_CTRL', 'primary processor-based (no tertiary controls)'],
    ['evmcs-secondary-controls', 'vmcs12->secondary_vm_exec_control & ~(EVMCS1_SUPPORTED_2NDEXEC & ~SECONDARY_EXEC_TSC_SCALING)', 'secondary (no APIC-access or register virtualisation, VID, PLE, VMCS shadowing, PML, VM functions, MBEC, and for the legacy eVMCS v1 revision no TSC scaling)'],
    ['evmcs-exit-controls', 'vmcs12->vm_exit_controls & ~EVMCS1_SUPPORTED_VMEXIT_CTRL', 'VM-exit (no save-preemption-timer)'],
    ['evmcs-entry-controls', 'vmcs12->vm_entry_controls & ~EVMCS1_SUPPORTED_VMENTRY_CTRL', 'VM-entry'],
    ['evmcs-vmfunc-high', 'vmcs12->vm_function_control >> 32', 'VM-function (bits 63:32 are refused outright: a WARN_ON_ONCE, not CC)'],
    ['evmcs-vmfunc-controls', 'vmcs12->vm_function_control & ~EVMCS1_SUPPORTED_VMFUNC', 'VM-function (none)'],
  ] as const).map(([id, condition, what]): CheckDef => ({ id, function: 'nested_evmcs_check_controls', condition, guard: 'guest_cpuid_has_evmcs(vcpu)', result: VMFAIL7,
    sdm: 'Hyper-V TLFS, enlightened VMCS v1 (not an SDM rule)', rule: `With eVMCS exposed to L1, only the ${what} controls an enlightened VMCS v1 can express are accepted.`,
    tests: EVMCS_TEST, source: 'arch/x86/kvm/vmx/hyperv.c', since: 'v6.12', ...(id === 'evmcs-vmfunc-high' ? { noCC: true } : {}) })),
];
