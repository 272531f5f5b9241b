// The VMLAUNCH/VMRESUME path outside nested_vmx_check_controls (arch/x86/kvm/vmx/nested.c, v6.12):
// nested_vmx_run's prologue, nested_vmx_check_address_space_size, nested_vmx_check_host_state,
// nested_vmx_check_guest_state, prepare_vmcs02/nested_vmx_load_cr3 and the VM-entry MSR-load list.
// Reference: kvm-nested-vmx.md §2.1, §2.3–§2.6, §3.4.
import type { CheckDef, Locals } from './types';

const SRC = 'arch/x86/kvm/vmx/nested.c';
const KUT = 'kvm-unit-tests x86/vmx_tests.c';
const VMFAIL8 = { kind: 'vmfail-valid', vmInstructionError: 8 } as const;
const exit33 = (q: number) => ({ kind: 'entry-failure-vmexit', exitReason: 0x80000021, exitQualification: q }) as const;
const HOST_CR = 'SDM Vol. 3C 27.2.2 (checks on host control registers, MSRs and SSP)';
const HOST_SEG = 'SDM Vol. 3C 27.2.3 (checks on host segment and descriptor-table registers)';
const HOST_SIZE = 'SDM Vol. 3C 27.2.4 (checks related to address-space size)';
const GUEST_CR = 'SDM Vol. 3C 27.3.1.1 (checks on guest control registers, debug registers and MSRs)';
const GUEST_NONREG = 'SDM Vol. 3C 27.3.1.5 (checks on guest non-register state)';

/** Locals computed at the top of each function. */
export const HOST_STATE_LOCALS: Locals = { ia32e: '!!(vmcs12->vm_exit_controls & VM_EXIT_HOST_ADDR_SPACE_SIZE)' };
export const GUEST_STATE_LOCALS: Locals = { ia32e: '!!(vmcs12->vm_entry_controls & VM_ENTRY_IA32E_MODE)' };

export const RUN_CHECKS: readonly CheckDef[] = [
  { id: 'vmx-not-on', function: 'nested_vmx_check_permission', condition: '!vmx->nested.vmxon', result: { kind: 'fault', vector: 'UD' },
    sdm: 'SDM Vol. 3C 31.3 (VMLAUNCH/VMRESUME: #UD outside VMX operation)', rule: 'VMLAUNCH/VMRESUME outside VMX operation raise #UD.', source: SRC, noCC: true },
  { id: 'cpl-nonzero', function: 'nested_vmx_check_permission', condition: 'vmx_get_cpl(vcpu) != 0', result: { kind: 'fault', vector: 'GP' },
    sdm: 'SDM Vol. 3C 31.3 (VMLAUNCH/VMRESUME: #GP(0) if CPL > 0)', rule: 'VMX instructions at CPL > 0 raise #GP(0).', source: SRC, noCC: true },
  { id: 'evmcs-map-error', function: 'nested_vmx_handle_enlightened_vmptrld', condition: 'evmptrld_status == EVMPTRLD_ERROR',
    guard: 'guest_cpuid_has_evmcs(vcpu)', result: { kind: 'fault', vector: 'UD' }, sdm: 'Hyper-V TLFS enlightened VMCS',
    rule: 'The eVMCS page named by the VP assist page cannot be mapped: KVM injects #UD.', source: SRC, noCC: true, test: 'KVM selftests x86_64/evmcs_test.c' },
  { id: 'evmcs-vmfail', function: 'nested_vmx_run', condition: 'evmptrld_status == EVMPTRLD_VMFAIL', guard: 'guest_cpuid_has_evmcs(vcpu)',
    result: { kind: 'vmfail-invalid' }, sdm: 'Hyper-V TLFS enlightened VMCS', rule: 'The eVMCS revision is neither KVM_EVMCS_VERSION nor VMCS12_REVISION: VMfailInvalid.',
    source: SRC, test: 'KVM selftests x86_64/evmcs_test.c' },
  { id: 'no-current-vmcs', function: 'nested_vmx_run', condition: '!nested_vmx_is_evmptr12_valid(vmx) && vmx->nested.current_vmptr == INVALID_GPA',
    result: { kind: 'vmfail-invalid' }, sdm: 'SDM Vol. 3C 31.3 (VMLAUNCH: VMfailInvalid if current-VMCS pointer is not valid)',
    rule: 'No current VMCS (and no eVMCS): VMfailInvalid.', source: SRC, test: `${KUT} test_vmlaunch / vmx_vmcs_pointer tests` },
  { id: 'shadow-vmcs-launch', function: 'nested_vmx_run', condition: 'vmcs12->hdr.shadow_vmcs', result: { kind: 'vmfail-invalid' },
    sdm: 'SDM Vol. 3C 31.3 (VMLAUNCH: VMfailInvalid for a shadow VMCS)', rule: 'A shadow VMCS cannot be launched or resumed: VMfailInvalid.', source: SRC },
  { id: 'mov-ss-blocking', function: 'nested_vmx_run', condition: 'vmx_get_interrupt_shadow(vcpu) & KVM_X86_SHADOW_INT_MOV_SS',
    result: { kind: 'vmfail-valid', vmInstructionError: 26 }, sdm: 'SDM Vol. 3C 31.4 (VM-instruction error 26)',
    rule: 'VM entry right after MOV SS/POP SS (blocking by MOV SS): VMfailValid 26.', source: SRC, test: `${KUT} vmx_mov_ss_blocking / vmentry_movss_shadow_test` },
  { id: 'launch-state', function: 'nested_vmx_run', condition: 'vmcs12->launch_state == launch',
    result: { kind: 'vmfail-valid', vmInstructionError: 4 }, sdm: 'SDM Vol. 3C 31.4 (VM-instruction errors 4 and 5)',
    rule: 'VMLAUNCH needs a clear VMCS (error 4 otherwise), VMRESUME a launched one (error 5 otherwise).', source: SRC, test: `${KUT} test_vmlaunch/test_vmresume (vmlaunch error numbers)` },
  { id: 'address-space-size', function: 'nested_vmx_check_address_space_size',
    condition: '!!(vmcs12->vm_exit_controls & VM_EXIT_HOST_ADDR_SPACE_SIZE) != !!(vcpu->arch.efer & EFER_LMA)',
    result: VMFAIL8, sdm: HOST_SIZE, rule: 'The "host address-space size" exit control must equal L1\'s current EFER.LMA (VMLAUNCH/VMRESUME only).',
    source: SRC, test: `${KUT} test_host_addr_size` },
];

export const HOST_STATE_CHECKS: readonly CheckDef[] = [
  ...([
    ['host-cr0', '!nested_host_cr0_valid(vcpu, vmcs12->host_cr0)', 'HOST_CR0 must have every CR0_FIXED0 bit (PE, NE, PG) and only CR0_FIXED1 bits.', HOST_CR, 'test_host_ctl_regs'],
    ['host-cr4', '!nested_host_cr4_valid(vcpu, vmcs12->host_cr4)', 'HOST_CR4 must have VMXE, only CR4_FIXED1 bits, and no bit reserved for the guest\'s CPUID (e.g. LAM_SUP without LAM).', HOST_CR, 'test_host_ctl_regs'],
    ['host-cr3', '!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)', 'HOST_CR3 may not set bits at or above the guest MAXPHYADDR; bits 61/62 (LAM_U57/LAM_U48) are ignored when the guest can use LAM.', HOST_CR, 'test_host_ctl_regs (host CR3)'],
    ['host-sysenter-esp', 'is_noncanonical_address(vmcs12->host_ia32_sysenter_esp, vcpu)', 'HOST_IA32_SYSENTER_ESP must be canonical.', HOST_CR, 'test_sysenter_field'],
    ['host-sysenter-eip', 'is_noncanonical_address(vmcs12->host_ia32_sysenter_eip, vcpu)', 'HOST_IA32_SYSENTER_EIP must be canonical.', HOST_CR, 'test_sysenter_field'],
  ] as const).map(([id, condition, rule, sdm, t]): CheckDef => ({ id, function: 'nested_vmx_check_host_state', condition, rule, sdm, test: `${KUT} ${t}`, result: VMFAIL8, source: SRC })),
  { id: 'host-pat', function: 'nested_vmx_check_host_state', guard: 'vmcs12->vm_exit_controls & VM_EXIT_LOAD_IA32_PAT',
    condition: '!kvm_pat_valid(vmcs12->host_ia32_pat)', rule: 'With "load IA32_PAT" on exit, every PAT entry must be a valid memory type (0, 1, 4, 5, 6, 7).',
    sdm: HOST_CR, test: `${KUT} test_load_host_pat`, result: VMFAIL8, source: SRC },
  { id: 'host-perf-global-ctrl', function: 'nested_vmx_check_host_state', guard: 'vmcs12->vm_exit_controls & VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL',
    condition: '!kvm_valid_perf_global_ctrl(vcpu_to_pmu(vcpu), vmcs12->host_ia32_perf_global_ctrl)',
    rule: 'With "load IA32_PERF_GLOBAL_CTRL" on exit, no bit reserved for the vPMU may be set.', sdm: HOST_CR, test: `${KUT} test_load_host_perf_global_ctrl`, result: VMFAIL8, source: SRC },
  { id: 'host-cr4-pae', function: 'nested_vmx_check_host_state', guard: 'ia32e', condition: '!(vmcs12->host_cr4 & X86_CR4_PAE)',
    rule: 'A 64-bit host (host address-space size = 1) needs HOST_CR4.PAE.', sdm: HOST_SIZE, test: `${KUT} test_host_addr_size`, result: VMFAIL8, source: SRC },
  { id: 'host-ia32e-guest', function: 'nested_vmx_check_host_state', guard: '!ia32e', condition: 'vmcs12->vm_entry_controls & VM_ENTRY_IA32E_MODE',
    rule: 'A 32-bit host cannot enter an IA-32e mode guest.', sdm: HOST_SIZE, test: `${KUT} test_host_addr_size`, result: VMFAIL8, source: SRC },
  { id: 'host-cr4-pcide', function: 'nested_vmx_check_host_state', guard: '!ia32e', condition: 'vmcs12->host_cr4 & X86_CR4_PCIDE',
    rule: 'A 32-bit host may not have HOST_CR4.PCIDE.', sdm: HOST_SIZE, test: `${KUT} test_host_addr_size`, result: VMFAIL8, source: SRC },
  { id: 'host-rip-high', function: 'nested_vmx_check_host_state', guard: '!ia32e', condition: '(vmcs12->host_rip) >> 32',
    rule: 'A 32-bit host needs HOST_RIP bits 63:32 clear.', sdm: HOST_SIZE, test: `${KUT} test_host_addr_size`, result: VMFAIL8, source: SRC },
  ...(['cs', 'ss', 'ds', 'es', 'fs', 'gs', 'tr'] as const).map((s): CheckDef => ({
    id: `host-${s}-selector-rpl-ti`, function: 'nested_vmx_check_host_state', condition: `vmcs12->host_${s}_selector & (SEGMENT_RPL_MASK | SEGMENT_TI_MASK)`,
    rule: `HOST_${s.toUpperCase()}_SELECTOR must have RPL (bits 1:0) and TI (bit 2) clear.`, sdm: HOST_SEG, test: `${KUT} test_host_segment_regs`, result: VMFAIL8, source: SRC })),
  { id: 'host-cs-selector-null', function: 'nested_vmx_check_host_state', condition: 'vmcs12->host_cs_selector == 0',
    rule: 'HOST_CS_SELECTOR may not be null.', sdm: HOST_SEG, test: `${KUT} test_host_segment_regs`, result: VMFAIL8, source: SRC },
  { id: 'host-tr-selector-null', function: 'nested_vmx_check_host_state', condition: 'vmcs12->host_tr_selector == 0',
    rule: 'HOST_TR_SELECTOR may not be null.', sdm: HOST_SEG, test: `${KUT} test_host_segment_regs`, result: VMFAIL8, source: SRC },
  { id: 'host-ss-selector-null', function: 'nested_vmx_check_host_state', condition: 'vmcs12->host_ss_selector == 0 && !ia32e',
    rule: 'HOST_SS_SELECTOR may be null only for a 64-bit host.', sdm: HOST_SEG, test: `${KUT} test_host_segment_regs`, result: VMFAIL8, source: SRC },
  ...(['fs_base', 'gs_base', 'gdtr_base', 'idtr_base', 'tr_base', 'rip'] as const).map((f): CheckDef => ({
    id: `host-${f.replace('_', '-')}-canonical`, function: 'nested_vmx_check_host_state', condition: `is_noncanonical_address(vmcs12->host_${f}, vcpu)`,
    rule: `HOST_${f.toUpperCase()} must be canonical (48-bit, or 57-bit with CR4.LA57).`, sdm: f === 'rip' ? HOST_SIZE : HOST_SEG,
    test: `${KUT} ${f === 'rip' ? 'test_host_addr_size' : 'test_host_desc_tables / test_host_segment_regs'}`, result: VMFAIL8, source: SRC })),
  { id: 'host-efer-valid', function: 'nested_vmx_check_host_state', guard: 'vmcs12->vm_exit_controls & VM_EXIT_LOAD_IA32_EFER',
    condition: '!kvm_valid_efer(vcpu, vmcs12->host_ia32_efer)', rule: 'With "load IA32_EFER" on exit, HOST_IA32_EFER may not set reserved bits or bits of features missing from the guest CPUID.',
    sdm: HOST_CR, test: `${KUT} test_host_efer`, result: VMFAIL8, source: SRC },
  { id: 'host-efer-lma', function: 'nested_vmx_check_host_state', guard: 'vmcs12->vm_exit_controls & VM_EXIT_LOAD_IA32_EFER',
    condition: 'ia32e != !!(vmcs12->host_ia32_efer & EFER_LMA)', rule: 'With "load IA32_EFER" on exit, HOST_IA32_EFER.LMA must equal the host address-space size control.',
    sdm: HOST_CR, test: `${KUT} test_host_efer`, result: VMFAIL8, source: SRC },
  { id: 'host-efer-lme', function: 'nested_vmx_check_host_state', guard: 'vmcs12->vm_exit_controls & VM_EXIT_LOAD_IA32_EFER',
    condition: 'ia32e != !!(vmcs12->host_ia32_efer & EFER_LME)', rule: 'With "load IA32_EFER" on exit, HOST_IA32_EFER.LME must equal the host address-space size control.',
    sdm: HOST_CR, test: `${KUT} test_host_efer`, result: VMFAIL8, source: SRC },
];

export const GUEST_STATE_CHECKS: readonly CheckDef[] = [
  { id: 'guest-cr0', function: 'nested_vmx_check_guest_state', condition: '!nested_guest_cr0_valid(vcpu, vmcs12->guest_cr0)', result: exit33(0),
    rule: 'GUEST_CR0 must have the CR0_FIXED0 bits (PE and PG may be 0 with unrestricted guest) and only CR0_FIXED1 bits.', sdm: GUEST_CR, source: SRC, test: `${KUT} test_guest_cr0 (vmx_guest_state_area_test)` },
  { id: 'guest-cr4', function: 'nested_vmx_check_guest_state', condition: '!nested_guest_cr4_valid(vcpu, vmcs12->guest_cr4)', result: exit33(0),
    rule: 'GUEST_CR4 must have VMXE, only CR4_FIXED1 bits and no bit reserved for the guest CPUID.', sdm: GUEST_CR, source: SRC, test: `${KUT} test_guest_cr4` },
  { id: 'guest-dr7', function: 'nested_vmx_check_guest_state', guard: 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_DEBUG_CONTROLS',
    condition: '!kvm_dr7_valid(vmcs12->guest_dr7)', result: exit33(0), rule: 'With "load debug controls", GUEST_DR7 bits 63:32 must be 0.', sdm: GUEST_CR, source: SRC, test: `${KUT} test_guest_dr7` },
  { id: 'guest-pat', function: 'nested_vmx_check_guest_state', guard: 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_IA32_PAT',
    condition: '!kvm_pat_valid(vmcs12->guest_ia32_pat)', result: exit33(0), rule: 'With "load IA32_PAT" on entry, every GUEST_IA32_PAT entry must be a valid memory type.', sdm: GUEST_CR, source: SRC, test: `${KUT} test_load_guest_pat` },
  { id: 'vmcs-link-ptr-address', function: 'nested_vmx_check_vmcs_link_ptr', guard: 'vmcs12->vmcs_link_pointer != INVALID_GPA',
    condition: '!page_address_valid(vcpu, vmcs12->vmcs_link_pointer)', result: exit33(4),
    rule: 'A VMCS link pointer other than all-ones must be a 4 KiB-aligned legal address (qualification 4).', sdm: GUEST_NONREG, source: SRC, test: `${KUT} test_vmcs_link_ptr` },
  { id: 'vmcs-link-ptr-map', function: 'nested_vmx_check_vmcs_link_ptr', guard: 'vmcs12->vmcs_link_pointer != INVALID_GPA',
    condition: 'ghc->gpa != vmcs12->vmcs_link_pointer && kvm_gfn_to_hva_cache_init(vcpu->kvm, ghc, vmcs12->vmcs_link_pointer, VMCS12_SIZE)', result: exit33(4),
    rule: 'The VMCS the link pointer names must be readable guest memory (qualification 4).', sdm: GUEST_NONREG, source: SRC, test: `${KUT} test_vmcs_link_ptr` },
  { id: 'vmcs-link-ptr-revision', function: 'nested_vmx_check_vmcs_link_ptr', guard: 'vmcs12->vmcs_link_pointer != INVALID_GPA',
    condition: 'shadow_vmcs12_hdr.revision_id != VMCS12_REVISION', result: exit33(4),
    rule: 'The linked VMCS must carry KVM\'s vmcs12 revision 0x11e57ed0 (qualification 4).', sdm: GUEST_NONREG, source: SRC, test: `${KUT} test_vmcs_link_ptr` },
  { id: 'vmcs-link-ptr-shadow', function: 'nested_vmx_check_vmcs_link_ptr', guard: 'vmcs12->vmcs_link_pointer != INVALID_GPA',
    condition: 'shadow_vmcs12_hdr.shadow_vmcs != nested_cpu_has_shadow_vmcs(vmcs12)', result: exit33(4),
    rule: 'The linked VMCS\'s shadow-VMCS indicator must equal the "VMCS shadowing" control (qualification 4).', sdm: GUEST_NONREG, source: SRC, test: `${KUT} test_vmcs_link_ptr` },
  { id: 'guest-perf-global-ctrl', function: 'nested_vmx_check_guest_state', guard: 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL',
    condition: '!kvm_valid_perf_global_ctrl(vcpu_to_pmu(vcpu), vmcs12->guest_ia32_perf_global_ctrl)', result: exit33(0),
    rule: 'With "load IA32_PERF_GLOBAL_CTRL" on entry, no bit reserved for the vPMU may be set.', sdm: GUEST_CR, source: SRC, test: `${KUT} test_load_guest_perf_global_ctrl` },
  { id: 'guest-cr0-pg-without-pe', function: 'nested_vmx_check_guest_state', condition: '(vmcs12->guest_cr0 & (X86_CR0_PG | X86_CR0_PE)) == X86_CR0_PG',
    result: exit33(0), rule: 'GUEST_CR0.PG=1 requires PE=1.', sdm: GUEST_CR, source: SRC, test: `${KUT} test_guest_cr0` },
  { id: 'guest-ia32e-pae', function: 'nested_vmx_check_guest_state', condition: 'ia32e && !(vmcs12->guest_cr4 & X86_CR4_PAE)', result: exit33(0),
    rule: 'An IA-32e mode guest needs GUEST_CR4.PAE.', sdm: GUEST_CR, source: SRC, test: `${KUT} test_guest_efer / vmx_guest_state_area_test` },
  { id: 'guest-ia32e-pg', function: 'nested_vmx_check_guest_state', condition: 'ia32e && !(vmcs12->guest_cr0 & X86_CR0_PG)', result: exit33(0),
    rule: 'An IA-32e mode guest needs GUEST_CR0.PG.', sdm: GUEST_CR, source: SRC, test: `${KUT} test_guest_efer` },
  { id: 'guest-efer-valid', function: 'nested_vmx_check_guest_state', guard: 'vmx->nested.nested_run_pending && (vmcs12->vm_entry_controls & VM_ENTRY_LOAD_IA32_EFER)',
    condition: '!kvm_valid_efer(vcpu, vmcs12->guest_ia32_efer)', result: exit33(0),
    rule: 'With "load IA32_EFER" on entry, GUEST_IA32_EFER may not set reserved bits or bits of features missing from the guest CPUID.', sdm: GUEST_CR, source: SRC, test: `${KUT} test_guest_efer` },
  { id: 'guest-efer-lma', function: 'nested_vmx_check_guest_state', guard: 'vmx->nested.nested_run_pending && (vmcs12->vm_entry_controls & VM_ENTRY_LOAD_IA32_EFER)',
    condition: 'ia32e != !!(vmcs12->guest_ia32_efer & EFER_LMA)', result: exit33(0),
    rule: 'With "load IA32_EFER" on entry, GUEST_IA32_EFER.LMA must equal "IA-32e mode guest".', sdm: GUEST_CR, source: SRC, test: `${KUT} test_guest_efer` },
  { id: 'guest-efer-lme', function: 'nested_vmx_check_guest_state', guard: 'vmx->nested.nested_run_pending && (vmcs12->vm_entry_controls & VM_ENTRY_LOAD_IA32_EFER)',
    condition: '(vmcs12->guest_cr0 & X86_CR0_PG) && ia32e != !!(vmcs12->guest_ia32_efer & EFER_LME)', result: exit33(0),
    rule: 'With "load IA32_EFER" on entry and GUEST_CR0.PG=1, GUEST_IA32_EFER.LME must equal "IA-32e mode guest".', sdm: GUEST_CR, source: SRC, test: `${KUT} test_guest_efer` },
  { id: 'guest-bndcfgs-canonical', function: 'nested_vmx_check_guest_state', guard: 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_BNDCFGS',
    condition: 'is_noncanonical_address(vmcs12->guest_bndcfgs & PAGE_MASK, vcpu)', result: exit33(0),
    rule: 'With "load IA32_BNDCFGS", the bound-directory base (bits 63:12) must be canonical.', sdm: GUEST_CR, source: SRC, test: `${KUT} test_guest_bndcfgs` },
  { id: 'guest-bndcfgs-reserved', function: 'nested_vmx_check_guest_state', guard: 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_BNDCFGS',
    condition: 'vmcs12->guest_bndcfgs & MSR_IA32_BNDCFGS_RSVD', result: exit33(0),
    rule: 'With "load IA32_BNDCFGS", bits 11:2 must be 0.', sdm: GUEST_CR, source: SRC, test: `${KUT} test_guest_bndcfgs` },
  { id: 'guest-activity-state', function: 'nested_check_guest_non_reg_state',
    condition: 'vmcs12->guest_activity_state != GUEST_ACTIVITY_ACTIVE && vmcs12->guest_activity_state != GUEST_ACTIVITY_HLT && vmcs12->guest_activity_state != GUEST_ACTIVITY_WAIT_SIPI',
    result: exit33(0), rule: 'KVM accepts only the active, HLT and wait-for-SIPI activity states (not shutdown).', sdm: GUEST_NONREG, source: SRC, test: `${KUT} test_guest_activity_state` },
];

/** Checks in prepare_vmcs02 / nested_vmx_load_cr3 and the VM-entry MSR-load list (entering L2). */
export const ENTER_CHECKS: readonly CheckDef[] = [
  { id: 'apic-access-page-unbacked', function: 'nested_get_vmcs12_pages', guard: 'nested_cpu_has2(vmcs12, SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES)',
    condition: 'kvm_vcpu_map_fails(vcpu, vmcs12->apic_access_addr)', result: { kind: 'internal-error', detail: 'KVM_EXIT_INTERNAL_ERROR' },
    sdm: 'KVM behaviour (no SDM rule): the APIC-access page must be backed by a memslot', source: SRC, noCC: true,
    rule: 'An APIC-access address that no memslot backs cannot be mapped: KVM exits to userspace with KVM_EXIT_INTERNAL_ERROR (emulation suberror) instead of entering L2.',
    test: `${KUT} test_vmcs_addr (skip_beyond_mapped_ram)` },
  { id: 'vmentry-hw-early-check', function: 'nested_vmx_check_vmentry_hw', guard: 'nested_early_check',
    condition: 'early_hw_vmfail', result: { kind: 'vmfail-valid', vmInstructionError: 7 }, sdm: 'SDM Vol. 3C 27.2 (hardware checks on VMX controls and host state)',
    rule: 'With nested_early_check=1, a hardware VM-entry with vmcs02 that VM-fails makes L1 see VMfailValid 7.', source: SRC, noCC: true },
  { id: 'guest-state-emulation', function: 'prepare_vmcs02', condition: 'from_vmentry && !vmx_guest_state_valid(vcpu)', result: exit33(0),
    sdm: 'SDM Vol. 3C 27.3.1.2 (checks on guest segment registers)', rule: 'Without unrestricted guest in L0, a guest state that VMX cannot run (real mode, invalid segments) fails the entry.',
    source: SRC },
  { id: 'guest-cr3-legal', function: 'nested_vmx_load_cr3', condition: '!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->guest_cr3)', result: exit33(0),
    sdm: GUEST_CR, rule: 'GUEST_CR3 may not set bits at or above the guest MAXPHYADDR; bits 61/62 are ignored when the guest can use LAM.',
    source: SRC, test: `${KUT} test_guest_cr3 / LAM (vmx_tests.c)` },
  { id: 'guest-pdptes', function: 'nested_vmx_load_cr3', guard: 'from_vmentry && !nested_cpu_has_ept(vmcs12) && is_pae_paging_guest',
    condition: '!load_pdptrs(vcpu, vmcs12->guest_cr3)', result: exit33(2),
    sdm: 'SDM Vol. 3C 27.3.1.6 (checks on guest page-directory-pointer-table entries)', rule: 'PAE paging without nested EPT: the four PDPTEs must load (present entries without reserved bits); qualification 2.',
    source: SRC, test: `${KUT} test_guest_pdptes` },
  { id: 'entry-msr-load', function: 'nested_vmx_load_msr', guard: 'vmcs12->vm_entry_msr_load_count != 0',
    condition: 'nested_vmx_load_msr(vcpu, vmcs12->vm_entry_msr_load_addr, vmcs12->vm_entry_msr_load_count)',
    result: { kind: 'entry-failure-vmexit', exitReason: 0x80000022, exitQualification: 'index' },
    sdm: 'SDM Vol. 3C 27.4 (VM entries: loading MSRs)', rule: 'An entry of the VM-entry MSR-load list that cannot be loaded (FS/GS base, SMM monitor, x2APIC range, microcode MSRs, reserved bits, a refused write, more than the list limit) fails the entry with reason 34 and its 1-based index.',
    source: SRC, test: `${KUT} test_entry_msr_load / vmx_msr_load_list tests` },
];
