// The VMLAUNCH/VMRESUME path outside nested_vmx_check_controls (arch/x86/kvm/vmx/nested.c):
// nested_vmx_run's prologue, nested_vmx_check_address_space_size, nested_vmx_check_host_state,
// nested_vmx_check_guest_state, nested_get_vmcs12_pages, prepare_vmcs02/nested_vmx_load_cr3 and the
// VM-entry MSR-load list. Rows are in KVM's order; each says since when (and until when) KVM has it.
// Reference: kvm-nested-vmx.md §2.1, §2.3–§2.6, §3.4; versions: knowledge/data/kernelHistory.ts.
import type { CheckDef, Locals, TestRef } from './types';

const SRC = 'arch/x86/kvm/vmx/nested.c';
const VMFAIL8 = { kind: 'vmfail-valid', vmInstructionError: 8 } as const;
const exit33 = (q: number) => ({ kind: 'entry-failure-vmexit', exitReason: 0x80000021, exitQualification: q }) as const;
const HOST_CR = 'SDM Vol. 3C 27.2.2 (checks on host control registers, MSRs and SSP)';
const HOST_SEG = 'SDM Vol. 3C 27.2.3 (checks on host segment and descriptor-table registers)';
const HOST_SIZE = 'SDM Vol. 3C 27.2.4 (checks related to address-space size)';
const GUEST_CR = 'SDM Vol. 3C 27.3.1.1 (checks on guest control registers, debug registers and MSRs)';
const GUEST_NONREG = 'SDM Vol. 3C 27.3.1.5 (checks on guest non-register state)';
const GUEST_RIP = 'SDM Vol. 3C 27.3.1.4 (checks on guest RIP, RFLAGS and SSP)';

/** kvm-unit-tests x86/vmx_tests.c functions. */
const kut = (...fns: string[]): TestRef[] => fns.map(f => ({ suite: 'kvm-unit-tests', file: 'x86/vmx_tests.c', function: f }));
const SINCE612 = { since: 'v6.12' } as const;
/** Backported to 6.12.y: in both baselines. */
const backported = (since: string) => ({ since, in612y: true }) as const;

/** Locals computed at the top of each function. */
export const HOST_STATE_LOCALS: Locals = { ia32e: '!!(vmcs12->vm_exit_controls & VM_EXIT_HOST_ADDR_SPACE_SIZE)' };
export const GUEST_STATE_LOCALS: Locals = {
  ia32e: '!!(vmcs12->vm_entry_controls & VM_ENTRY_IA32E_MODE)',
  // The DEBUGCTL value checked: FREEZE_IN_SMM is ignored while KVM_X86_QUIRK_VMCS12_ALLOW_FREEZE_IN_SMM is enabled.
  debugctl: 'kvm_check_has_quirk(vcpu->kvm, KVM_X86_QUIRK_VMCS12_ALLOW_FREEZE_IN_SMM) ? (vmcs12->guest_ia32_debugctl & ~DEBUGCTLMSR_FREEZE_IN_SMM) : vmcs12->guest_ia32_debugctl',
};

export const RUN_CHECKS: readonly CheckDef[] = [
  { id: 'vmx-not-on', function: 'nested_vmx_check_permission', condition: '!vmx->nested.vmxon', result: { kind: 'fault', vector: 'UD' }, ...SINCE612,
    sdm: 'SDM Vol. 3C 31.3 (VMLAUNCH/VMRESUME: #UD outside VMX operation)', rule: 'VMLAUNCH/VMRESUME outside VMX operation raise #UD.', source: SRC, noCC: true },
  { id: 'cpl-nonzero', function: 'nested_vmx_check_permission', condition: 'vmx_get_cpl(vcpu) != 0', result: { kind: 'fault', vector: 'GP' }, ...SINCE612,
    sdm: 'SDM Vol. 3C 31.3 (VMLAUNCH/VMRESUME: #GP(0) if CPL > 0)', rule: 'VMX instructions at CPL > 0 raise #GP(0).', source: SRC, noCC: true },
  { id: 'evmcs-map-error', function: 'nested_vmx_handle_enlightened_vmptrld', condition: 'evmptrld_status == EVMPTRLD_ERROR', ...SINCE612,
    guard: 'guest_cpuid_has_evmcs(vcpu)', result: { kind: 'fault', vector: 'UD' }, sdm: 'Hyper-V TLFS enlightened VMCS',
    rule: 'The eVMCS page named by the VP assist page cannot be mapped: KVM injects #UD.', source: SRC, noCC: true,
    tests: [{ suite: 'selftests', file: 'x86_64/hyperv_evmcs.c', function: 'guest_code' }] },
  { id: 'evmcs-vmfail', function: 'nested_vmx_run', condition: 'evmptrld_status == EVMPTRLD_VMFAIL', guard: 'guest_cpuid_has_evmcs(vcpu)', ...SINCE612,
    result: { kind: 'vmfail-invalid' }, sdm: 'Hyper-V TLFS enlightened VMCS', rule: 'The eVMCS revision is neither KVM_EVMCS_VERSION nor VMCS12_REVISION: VMfailInvalid.',
    source: SRC, tests: [{ suite: 'selftests', file: 'x86_64/hyperv_evmcs.c', function: 'guest_code' }] },
  { id: 'no-current-vmcs', function: 'nested_vmx_run', condition: '!nested_vmx_is_evmptr12_valid(vmx) && vmx->nested.current_vmptr == INVALID_GPA', ...SINCE612,
    result: { kind: 'vmfail-invalid' }, sdm: 'SDM Vol. 3C 31.3 (VMLAUNCH: VMfailInvalid if current-VMCS pointer is not valid)',
    rule: 'No current VMCS (and no eVMCS): VMfailInvalid.', source: SRC },
  { id: 'shadow-vmcs-launch', function: 'nested_vmx_run', condition: 'vmcs12->hdr.shadow_vmcs', result: { kind: 'vmfail-invalid' }, ...SINCE612,
    sdm: 'SDM Vol. 3C 31.3 (VMLAUNCH: VMfailInvalid for a shadow VMCS)', rule: 'A shadow VMCS cannot be launched or resumed: VMfailInvalid.', source: SRC },
  { id: 'mov-ss-blocking', function: 'nested_vmx_run', condition: 'vmx_get_interrupt_shadow(vcpu) & KVM_X86_SHADOW_INT_MOV_SS', ...SINCE612,
    result: { kind: 'vmfail-valid', vmInstructionError: 26 }, sdm: 'SDM Vol. 3C 31.4 (VM-instruction error 26)',
    rule: 'VM entry right after MOV SS/POP SS (blocking by MOV SS): VMfailValid 26.', source: SRC, tests: kut('vmentry_movss_shadow_test', 'try_vmentry_in_movss_shadow') },
  { id: 'launch-state', function: 'nested_vmx_run', condition: 'vmcs12->launch_state == launch', ...SINCE612,
    result: { kind: 'vmfail-valid', vmInstructionError: 4 }, sdm: 'SDM Vol. 3C 31.4 (VM-instruction errors 4 and 5)',
    rule: 'VMLAUNCH needs a clear VMCS (error 4 otherwise), VMRESUME a launched one (error 5 otherwise).', source: SRC },
  { id: 'address-space-size', function: 'nested_vmx_check_address_space_size', ...SINCE612,
    condition: '!!(vmcs12->vm_exit_controls & VM_EXIT_HOST_ADDR_SPACE_SIZE) != !!(vcpu->arch.efer & EFER_LMA)',
    result: VMFAIL8, sdm: HOST_SIZE, rule: 'The "host address-space size" exit control must equal L1\'s current EFER.LMA (VMLAUNCH/VMRESUME only).',
    source: SRC, tests: kut('test_host_addr_size') },
];

const host = (c: Omit<CheckDef, 'function' | 'result' | 'source' | 'since'> & { since?: string }): CheckDef =>
  ({ since: 'v6.12', ...c, function: 'nested_vmx_check_host_state', result: VMFAIL8, source: SRC });
const HOST_CET = 'vmcs12->vm_exit_controls & VM_EXIT_LOAD_CET_STATE';

export const HOST_STATE_CHECKS: readonly CheckDef[] = [
  host({ id: 'host-cr0', condition: '!nested_host_cr0_valid(vcpu, vmcs12->host_cr0)', rule: 'HOST_CR0 must have every CR0_FIXED0 bit (PE, NE, PG) and only CR0_FIXED1 bits.', sdm: HOST_CR, tests: kut('test_host_ctl_regs') }),
  host({ id: 'host-cr4', condition: '!nested_host_cr4_valid(vcpu, vmcs12->host_cr4)', rule: 'HOST_CR4 must have VMXE, only CR4_FIXED1 bits, and no bit reserved for the guest\'s CPUID (e.g. LAM_SUP without LAM).', sdm: HOST_CR, tests: kut('test_host_ctl_regs') }),
  host({ id: 'host-cr3', condition: '!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)', rule: 'HOST_CR3 may not set bits at or above the guest MAXPHYADDR; bits 61/62 (LAM_U57/LAM_U48) are ignored when the guest can use LAM.', sdm: HOST_CR, tests: kut('test_host_ctl_regs') }),
  host({ id: 'host-cr4-cet-wp', ...backported('v6.18'), condition: '(vmcs12->host_cr4 & X86_CR4_CET) && !(vmcs12->host_cr0 & X86_CR0_WP)',
    rule: 'HOST_CR4.CET needs HOST_CR0.WP (v6.18, backported to 6.12.y).', sdm: HOST_CR }),
  host({ id: 'host-sysenter-esp', ...backported('v6.13'), condition: 'is_noncanonical_msr_address(vmcs12->host_ia32_sysenter_esp, vcpu)',
    rule: 'HOST_IA32_SYSENTER_ESP must be canonical for the host CPU\'s address width (57 bits when the host has LA57, whatever L1\'s CR4.LA57).', sdm: HOST_CR, tests: kut('vmx_host_state_area_test', 'vmx_canonical_test') }),
  host({ id: 'host-sysenter-eip', ...backported('v6.13'), condition: 'is_noncanonical_msr_address(vmcs12->host_ia32_sysenter_eip, vcpu)',
    rule: 'HOST_IA32_SYSENTER_EIP must be canonical for the host CPU\'s address width.', sdm: HOST_CR, tests: kut('vmx_host_state_area_test', 'vmx_canonical_test') }),
  host({ id: 'host-pat', guard: 'vmcs12->vm_exit_controls & VM_EXIT_LOAD_IA32_PAT', condition: '!kvm_pat_valid(vmcs12->host_ia32_pat)',
    rule: 'With "load IA32_PAT" on exit, every PAT entry must be a valid memory type (0, 1, 4, 5, 6, 7).', sdm: HOST_CR, tests: kut('test_load_host_pat') }),
  host({ id: 'host-perf-global-ctrl', guard: 'vmcs12->vm_exit_controls & VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL',
    condition: '!kvm_valid_perf_global_ctrl(vcpu_to_pmu(vcpu), vmcs12->host_ia32_perf_global_ctrl)',
    rule: 'With "load IA32_PERF_GLOBAL_CTRL" on exit, no bit reserved for the vPMU may be set.', sdm: HOST_CR, tests: kut('test_load_host_perf_global_ctrl') }),
  host({ id: 'host-cr4-pae', guard: 'ia32e', condition: '!(vmcs12->host_cr4 & X86_CR4_PAE)', rule: 'A 64-bit host (host address-space size = 1) needs HOST_CR4.PAE.', sdm: HOST_SIZE, tests: kut('test_host_addr_size') }),
  host({ id: 'host-ia32e-guest', guard: '!ia32e', condition: 'vmcs12->vm_entry_controls & VM_ENTRY_IA32E_MODE', rule: 'A 32-bit host cannot enter an IA-32e mode guest.', sdm: HOST_SIZE, tests: kut('test_host_addr_size') }),
  host({ id: 'host-cr4-pcide', guard: '!ia32e', condition: 'vmcs12->host_cr4 & X86_CR4_PCIDE', rule: 'A 32-bit host may not have HOST_CR4.PCIDE.', sdm: HOST_SIZE, tests: kut('test_host_addr_size') }),
  host({ id: 'host-rip-high', guard: '!ia32e', condition: '(vmcs12->host_rip) >> 32', rule: 'A 32-bit host needs HOST_RIP bits 63:32 clear.', sdm: HOST_SIZE, tests: kut('test_host_addr_size') }),
  ...(['cs', 'ss', 'ds', 'es', 'fs', 'gs', 'tr'] as const).map((s): CheckDef => host({
    id: `host-${s}-selector-rpl-ti`, condition: `vmcs12->host_${s}_selector & (SEGMENT_RPL_MASK | SEGMENT_TI_MASK)`,
    rule: `HOST_${s.toUpperCase()}_SELECTOR must have RPL (bits 1:0) and TI (bit 2) clear.`, sdm: HOST_SEG, tests: kut('test_host_segment_regs') })),
  host({ id: 'host-cs-selector-null', condition: 'vmcs12->host_cs_selector == 0', rule: 'HOST_CS_SELECTOR may not be null.', sdm: HOST_SEG, tests: kut('test_host_segment_regs') }),
  host({ id: 'host-tr-selector-null', condition: 'vmcs12->host_tr_selector == 0', rule: 'HOST_TR_SELECTOR may not be null.', sdm: HOST_SEG, tests: kut('test_host_segment_regs') }),
  host({ id: 'host-ss-selector-null', condition: 'vmcs12->host_ss_selector == 0 && !ia32e', rule: 'HOST_SS_SELECTOR may be null only for a 64-bit host.', sdm: HOST_SEG, tests: kut('test_host_segment_regs') }),
  ...(['fs_base', 'gs_base', 'gdtr_base', 'idtr_base', 'tr_base'] as const).map((f): CheckDef => host({
    id: `host-${f.replace('_', '-')}-canonical`, ...backported('v6.13'), condition: `is_noncanonical_base_address(vmcs12->host_${f}, vcpu)`,
    rule: `HOST_${f.toUpperCase()} must be canonical for the host CPU's address width (57 bits when the host has LA57, whatever L1's CR4.LA57).`, sdm: HOST_SEG,
    tests: kut(f === 'gdtr_base' || f === 'idtr_base' ? 'test_host_desc_tables' : 'test_host_segment_regs', 'vmx_canonical_test') })),
  host({ id: 'host-rip-canonical', until: 'v6.13', in612y: true, condition: 'is_noncanonical_address(vmcs12->host_rip, vcpu, 0)',
    rule: 'HOST_RIP must be canonical for the width L1 runs with now (CR4.LA57 of the vCPU); 6.12.y keeps this form.', sdm: HOST_SIZE, tests: kut('test_host_addr_size') }),
  host({ id: 'host-rip-canonical-exit-width', since: 'v6.13', in612y: false, condition: 'is_l1_noncanonical_address_on_vmexit(vmcs12->host_rip, vmcs12)',
    rule: 'HOST_RIP must be canonical for the width HOST_CR4.LA57 gives L1 after the VM-exit (57 bits with HOST_CR4.LA57, else 48).', sdm: HOST_SIZE, tests: kut('test_host_addr_size', 'vmx_cr_load_test') }),
  host({ id: 'host-efer-valid', guard: 'vmcs12->vm_exit_controls & VM_EXIT_LOAD_IA32_EFER', condition: '!kvm_valid_efer(vcpu, vmcs12->host_ia32_efer)',
    rule: 'With "load IA32_EFER" on exit, HOST_IA32_EFER may not set reserved bits or bits of features missing from the guest CPUID.', sdm: HOST_CR, tests: kut('test_host_efer') }),
  host({ id: 'host-efer-lma', guard: 'vmcs12->vm_exit_controls & VM_EXIT_LOAD_IA32_EFER', condition: 'ia32e != !!(vmcs12->host_ia32_efer & EFER_LMA)',
    rule: 'With "load IA32_EFER" on exit, HOST_IA32_EFER.LMA must equal the host address-space size control.', sdm: HOST_CR, tests: kut('test_host_efer') }),
  host({ id: 'host-efer-lme', guard: 'vmcs12->vm_exit_controls & VM_EXIT_LOAD_IA32_EFER', condition: 'ia32e != !!(vmcs12->host_ia32_efer & EFER_LME)',
    rule: 'With "load IA32_EFER" on exit, HOST_IA32_EFER.LME must equal the host address-space size control.', sdm: HOST_CR, tests: kut('test_host_efer') }),
  host({ id: 'host-cet-s-cet', since: 'v6.18', guard: HOST_CET, condition: '!kvm_is_valid_u_s_cet(vcpu, vmcs12->host_s_cet)',
    rule: 'With "load CET state" on exit, HOST_S_CET may not set reserved bits, shadow-stack or IBT bits the guest cannot use, an unaligned legacy-bitmap base, or SUPPRESS together with WAIT_ENDBR.', sdm: HOST_CR, tests: kut('vmx_cet_test') }),
  host({ id: 'host-cet-ssp-aligned', since: 'v6.18', guard: HOST_CET, condition: '!IS_ALIGNED(vmcs12->host_ssp, 4)', rule: 'With "load CET state" on exit, HOST_SSP must be 4-byte aligned.', sdm: HOST_CR, tests: kut('vmx_cet_test') }),
  host({ id: 'host-cet-ssp-table', since: 'v6.18', guard: HOST_CET, condition: 'is_noncanonical_msr_address(vmcs12->host_ssp_tbl, vcpu)',
    rule: 'With "load CET state" on exit, the host interrupt-SSP-table address must be canonical.', sdm: HOST_CR, tests: kut('vmx_cet_test') }),
  host({ id: 'host-cet-s-cet-canonical', since: 'v6.18', guard: `(${HOST_CET}) && ia32e`, condition: 'is_noncanonical_msr_address(vmcs12->host_s_cet, vcpu)',
    rule: 'With "load CET state" on exit to a 64-bit host, HOST_S_CET must be canonical.', sdm: HOST_CR, tests: kut('vmx_cet_test') }),
  host({ id: 'host-cet-ssp-canonical', since: 'v6.18', guard: `(${HOST_CET}) && ia32e`, condition: 'is_noncanonical_msr_address(vmcs12->host_ssp, vcpu)',
    rule: 'With "load CET state" on exit to a 64-bit host, HOST_SSP must be canonical.', sdm: HOST_CR, tests: kut('vmx_cet_test') }),
  host({ id: 'host-cet-s-cet-high', since: 'v6.18', guard: `(${HOST_CET}) && !ia32e`, condition: 'vmcs12->host_s_cet >> 32',
    rule: 'With "load CET state" on exit to a 32-bit host, HOST_S_CET bits 63:32 must be 0.', sdm: HOST_CR, tests: kut('vmx_cet_test') }),
  host({ id: 'host-cet-ssp-high', since: 'v6.18', guard: `(${HOST_CET}) && !ia32e`, condition: 'vmcs12->host_ssp >> 32',
    rule: 'With "load CET state" on exit to a 32-bit host, HOST_SSP bits 63:32 must be 0.', sdm: HOST_CR, tests: kut('vmx_cet_test') }),
];

const guest = (c: Omit<CheckDef, 'function' | 'result' | 'source' | 'since'> & { since?: string; function?: string; result?: CheckDef['result'] }): CheckDef =>
  ({ since: 'v6.12', function: 'nested_vmx_check_guest_state', result: exit33(0), source: SRC, ...c });
const GUEST_CET = 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_CET_STATE';
const LINK = 'vmcs12->vmcs_link_pointer != INVALID_GPA';

export const GUEST_STATE_CHECKS: readonly CheckDef[] = [
  guest({ id: 'guest-cr0', condition: '!nested_guest_cr0_valid(vcpu, vmcs12->guest_cr0)',
    rule: 'GUEST_CR0 must have the CR0_FIXED0 bits (PE and PG may be 0 with unrestricted guest) and only CR0_FIXED1 bits.', sdm: GUEST_CR }),
  guest({ id: 'guest-cr4', condition: '!nested_guest_cr4_valid(vcpu, vmcs12->guest_cr4)', rule: 'GUEST_CR4 must have VMXE, only CR4_FIXED1 bits and no bit reserved for the guest CPUID.', sdm: GUEST_CR }),
  guest({ id: 'guest-cr4-cet-wp', ...backported('v6.18'), condition: '(vmcs12->guest_cr4 & X86_CR4_CET) && !(vmcs12->guest_cr0 & X86_CR0_WP)',
    rule: 'GUEST_CR4.CET needs GUEST_CR0.WP (v6.18, backported to 6.12.y).', sdm: GUEST_CR }),
  guest({ id: 'guest-dr7', guard: 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_DEBUG_CONTROLS', condition: '!kvm_dr7_valid(vmcs12->guest_dr7)',
    rule: 'With "load debug controls", GUEST_DR7 bits 63:32 must be 0.', sdm: GUEST_CR, tests: kut('test_guest_dr7') }),
  guest({ id: 'guest-debugctl', ...backported('v6.17'), guard: 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_DEBUG_CONTROLS', condition: '!vmx_is_valid_debugctl(vcpu, debugctl, false)',
    rule: 'With "load debug controls", GUEST_IA32_DEBUGCTL may set only bits KVM supports for the guest (BTF and LBR are tolerated; bus-lock detection, FREEZE_LBRS_ON_PMI and RTM_DEBUG need the feature); FREEZE_IN_SMM is ignored while the KVM_X86_QUIRK_VMCS12_ALLOW_FREEZE_IN_SMM quirk is enabled (the default; quirk since v7.0, both backported to 6.12.y).',
    sdm: GUEST_CR }),
  guest({ id: 'guest-pat', guard: 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_IA32_PAT', condition: '!kvm_pat_valid(vmcs12->guest_ia32_pat)',
    rule: 'With "load IA32_PAT" on entry, every GUEST_IA32_PAT entry must be a valid memory type.', sdm: GUEST_CR, tests: kut('test_load_guest_pat') }),
  guest({ id: 'vmcs-link-ptr-address', function: 'nested_vmx_check_vmcs_link_ptr', guard: LINK, condition: '!page_address_valid(vcpu, vmcs12->vmcs_link_pointer)', result: exit33(4),
    rule: 'A VMCS link pointer other than all-ones must be a 4 KiB-aligned legal address (qualification 4).', sdm: GUEST_NONREG, tests: kut('vmx_vmcs_shadow_test') }),
  guest({ id: 'vmcs-link-ptr-map', function: 'nested_vmx_check_vmcs_link_ptr', guard: LINK, result: exit33(4),
    condition: 'ghc->gpa != vmcs12->vmcs_link_pointer && kvm_gfn_to_hva_cache_init(vcpu->kvm, ghc, vmcs12->vmcs_link_pointer, VMCS12_SIZE)',
    rule: 'The VMCS the link pointer names must be guest memory a memslot backs (qualification 4).', sdm: GUEST_NONREG, tests: kut('vmx_vmcs_shadow_test') }),
  guest({ id: 'vmcs-link-ptr-read', function: 'nested_vmx_check_vmcs_link_ptr', guard: LINK, result: exit33(4),
    condition: 'kvm_read_guest_offset_cached(vcpu->kvm, ghc, &hdr, offsetof(vmcs12, hdr), sizeof(hdr))',
    rule: 'The header of the linked VMCS must be readable (a failed read of the cached page fails the entry with qualification 4).', sdm: GUEST_NONREG }),
  guest({ id: 'vmcs-link-ptr-revision', function: 'nested_vmx_check_vmcs_link_ptr', guard: LINK, condition: 'shadow_vmcs12_hdr.revision_id != VMCS12_REVISION', result: exit33(4),
    rule: 'The linked VMCS must carry KVM\'s vmcs12 revision 0x11e57ed0 (qualification 4).', sdm: GUEST_NONREG, tests: kut('vmx_vmcs_shadow_test') }),
  guest({ id: 'vmcs-link-ptr-shadow', function: 'nested_vmx_check_vmcs_link_ptr', guard: LINK, condition: 'shadow_vmcs12_hdr.shadow_vmcs != nested_cpu_has_shadow_vmcs(vmcs12)', result: exit33(4),
    rule: 'The linked VMCS\'s shadow-VMCS indicator must equal the "VMCS shadowing" control (qualification 4).', sdm: GUEST_NONREG, tests: kut('vmx_vmcs_shadow_test') }),
  guest({ id: 'guest-perf-global-ctrl', guard: 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL',
    condition: '!kvm_valid_perf_global_ctrl(vcpu_to_pmu(vcpu), vmcs12->guest_ia32_perf_global_ctrl)',
    rule: 'With "load IA32_PERF_GLOBAL_CTRL" on entry, no bit reserved for the vPMU may be set.', sdm: GUEST_CR, tests: kut('test_load_guest_perf_global_ctrl') }),
  guest({ id: 'guest-cr0-pg-without-pe', condition: '(vmcs12->guest_cr0 & (X86_CR0_PG | X86_CR0_PE)) == X86_CR0_PG', rule: 'GUEST_CR0.PG=1 requires PE=1.', sdm: GUEST_CR }),
  guest({ id: 'guest-ia32e-pae', condition: 'ia32e && !(vmcs12->guest_cr4 & X86_CR4_PAE)', rule: 'An IA-32e mode guest needs GUEST_CR4.PAE.', sdm: GUEST_CR }),
  guest({ id: 'guest-ia32e-pg', condition: 'ia32e && !(vmcs12->guest_cr0 & X86_CR0_PG)', rule: 'An IA-32e mode guest needs GUEST_CR0.PG.', sdm: GUEST_CR }),
  guest({ id: 'guest-efer-valid', guard: 'vmx->nested.nested_run_pending && (vmcs12->vm_entry_controls & VM_ENTRY_LOAD_IA32_EFER)', condition: '!kvm_valid_efer(vcpu, vmcs12->guest_ia32_efer)',
    rule: 'With "load IA32_EFER" on entry, GUEST_IA32_EFER may not set reserved bits or bits of features missing from the guest CPUID.', sdm: GUEST_CR, tests: kut('test_guest_efer') }),
  guest({ id: 'guest-efer-lma', guard: 'vmx->nested.nested_run_pending && (vmcs12->vm_entry_controls & VM_ENTRY_LOAD_IA32_EFER)', condition: 'ia32e != !!(vmcs12->guest_ia32_efer & EFER_LMA)',
    rule: 'With "load IA32_EFER" on entry, GUEST_IA32_EFER.LMA must equal "IA-32e mode guest".', sdm: GUEST_CR, tests: kut('test_guest_efer') }),
  guest({ id: 'guest-efer-lme', guard: 'vmx->nested.nested_run_pending && (vmcs12->vm_entry_controls & VM_ENTRY_LOAD_IA32_EFER)',
    condition: '(vmcs12->guest_cr0 & X86_CR0_PG) && ia32e != !!(vmcs12->guest_ia32_efer & EFER_LME)',
    rule: 'With "load IA32_EFER" on entry and GUEST_CR0.PG=1, GUEST_IA32_EFER.LME must equal "IA-32e mode guest".', sdm: GUEST_CR, tests: kut('test_guest_efer') }),
  guest({ id: 'guest-bndcfgs-canonical', ...backported('v6.13'), guard: 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_BNDCFGS', condition: 'is_noncanonical_msr_address(vmcs12->guest_bndcfgs & PAGE_MASK, vcpu)',
    rule: 'With "load IA32_BNDCFGS", the bound-directory base (bits 63:12) must be canonical for the host CPU\'s address width.', sdm: GUEST_CR, tests: kut('test_load_guest_bndcfgs') }),
  guest({ id: 'guest-bndcfgs-reserved', guard: 'vmcs12->vm_entry_controls & VM_ENTRY_LOAD_BNDCFGS', condition: 'vmcs12->guest_bndcfgs & MSR_IA32_BNDCFGS_RSVD',
    rule: 'With "load IA32_BNDCFGS", bits 11:2 must be 0.', sdm: GUEST_CR, tests: kut('test_load_guest_bndcfgs') }),
  guest({ id: 'guest-cet-s-cet', since: 'v6.18', guard: GUEST_CET, condition: '!kvm_is_valid_u_s_cet(vcpu, vmcs12->guest_s_cet)',
    rule: 'With "load CET state" on entry, GUEST_S_CET may not set reserved bits, shadow-stack or IBT bits the guest cannot use, an unaligned legacy-bitmap base, or SUPPRESS together with WAIT_ENDBR.', sdm: GUEST_CR, tests: kut('vmx_cet_test') }),
  guest({ id: 'guest-cet-ssp-aligned', since: 'v6.18', guard: GUEST_CET, condition: '!IS_ALIGNED(vmcs12->guest_ssp, 4)', rule: 'With "load CET state" on entry, GUEST_SSP must be 4-byte aligned.', sdm: GUEST_RIP, tests: kut('vmx_cet_test') }),
  guest({ id: 'guest-cet-ssp-table', since: 'v6.18', guard: GUEST_CET, condition: 'is_noncanonical_msr_address(vmcs12->guest_ssp_tbl, vcpu)',
    rule: 'With "load CET state" on entry, the guest interrupt-SSP-table address must be canonical.', sdm: GUEST_CR, tests: kut('vmx_cet_test') }),
  guest({ id: 'guest-cet-ssp-width', since: 'v6.18', guard: GUEST_CET, condition: '!__is_canonical_address(vmcs12->guest_ssp, max_host_virt_addr_bits() + 1)',
    rule: 'With "load CET state" on entry, GUEST_SSP bits 63:N must be identical (N = the host\'s linear-address width), one bit looser than canonical.', sdm: GUEST_RIP, tests: kut('vmx_cet_test') }),
  guest({ id: 'guest-activity-state', function: 'nested_check_guest_non_reg_state',
    condition: 'vmcs12->guest_activity_state != GUEST_ACTIVITY_ACTIVE && vmcs12->guest_activity_state != GUEST_ACTIVITY_HLT && vmcs12->guest_activity_state != GUEST_ACTIVITY_WAIT_SIPI',
    rule: 'KVM accepts only the active, HLT and wait-for-SIPI activity states (not shutdown).', sdm: GUEST_NONREG }),
];

/** nested_get_vmcs12_pages, the early hardware check, prepare_vmcs02 / nested_vmx_load_cr3 and the VM-entry MSR-load list. */
export const ENTER_CHECKS: readonly CheckDef[] = [
  { id: 'guest-pdptrs-reload', function: 'nested_get_vmcs12_pages', ...SINCE612,
    guard: '!vcpu->arch.pdptrs_from_userspace && !nested_cpu_has_ept(vmcs12) && is_pae_paging(vcpu)',
    condition: '!load_pdptrs(vcpu, vcpu->arch.cr3)', result: { kind: 'internal-error', detail: 'KVM_RUN returns 0 (no exit reason set)' },
    sdm: 'KVM behaviour (no SDM rule): PDPTEs reloaded from L1\'s CR3 after a migration', source: SRC,
    rule: 'L1 in PAE paging without nested EPT (and PDPTRs not set by userspace): KVM reloads the PDPTEs from L1\'s CR3; when they cannot be loaded, the VMLAUNCH/VMRESUME exits to userspace instead of entering L2.' },
  { id: 'apic-access-page-unbacked', function: 'nested_get_vmcs12_pages', guard: 'nested_cpu_has2(vmcs12, SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES)', ...SINCE612,
    condition: 'kvm_vcpu_map_fails(vcpu, vmcs12->apic_access_addr)', result: { kind: 'internal-error', detail: 'KVM_EXIT_INTERNAL_ERROR' },
    sdm: 'KVM behaviour (no SDM rule): the APIC-access page must be backed by a memslot', source: SRC, noCC: true,
    rule: 'An APIC-access address that no memslot backs cannot be mapped: KVM exits to userspace with KVM_EXIT_INTERNAL_ERROR (emulation suberror) instead of entering L2.',
    tests: kut('test_vmcs_addr') },
  { id: 'vmentry-hw-early-check', function: 'nested_vmx_check_vmentry_hw', guard: 'nested_early_check', since: 'v6.12', until: 'v6.19',
    condition: 'early_hw_vmfail', result: { kind: 'vmfail-valid', vmInstructionError: 7 }, sdm: 'SDM Vol. 3C 27.2 (hardware checks on VMX controls and host state)',
    rule: 'With nested_early_check=1, a hardware VM-entry with vmcs02 that VM-fails makes L1 see VMfailValid 7 (the parameter and this step are gone since v6.19).', source: SRC, noCC: true },
  { id: 'guest-state-emulation', function: 'prepare_vmcs02', condition: 'from_vmentry && !vmx_guest_state_valid(vcpu)', result: exit33(0), ...SINCE612,
    sdm: 'SDM Vol. 3C 27.3.1.2 (checks on guest segment registers)', source: SRC,
    rule: 'Unless vmcs12 enables unrestricted guest (and KVM has it), L2\'s segments must be ones VMX can run without emulation: in real or virtual-8086 mode each of CS/SS/DS/ES/FS/GS needs base = selector x 16, limit 0xffff and access rights 0xf3; in protected mode CS/SS RPL equal, CS an accessed code segment with DPL matching RPL, SS/DS/ES/FS/GS usable ones consistent with their RPL, TR a present TSS in the GDT and LDTR (if usable) a present LDT in the GDT.',
    tests: [...kut('vmentry_unrestricted_guest_test', 'vmx_ldtr_test'), { suite: 'selftests', file: 'x86_64/vmx_invalid_nested_guest_state.c', function: 'l1_guest_code' }] },
  { id: 'guest-cr3-legal', function: 'nested_vmx_load_cr3', condition: '!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->guest_cr3)', result: exit33(0), ...SINCE612,
    sdm: GUEST_CR, rule: 'GUEST_CR3 may not set bits at or above the guest MAXPHYADDR; bits 61/62 are ignored when the guest can use LAM.', source: SRC },
  { id: 'guest-pdptes', function: 'nested_vmx_load_cr3', guard: 'from_vmentry && !nested_cpu_has_ept(vmcs12) && is_pae_paging_guest', ...SINCE612,
    condition: '!load_pdptrs(vcpu, vmcs12->guest_cr3)', result: exit33(2),
    sdm: 'SDM Vol. 3C 27.3.1.6 (checks on guest page-directory-pointer-table entries)', rule: 'PAE paging without nested EPT: the four PDPTEs must load (present entries without reserved bits); qualification 2.',
    source: SRC, tests: kut('test_vmx_guest_pdptes') },
  { id: 'guest-perf-global-ctrl-write', function: 'prepare_vmcs02', ...SINCE612,
    guard: '(vmcs12->vm_entry_controls & VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL) && kvm_pmu_has_perf_global_ctrl(vcpu_to_pmu(vcpu))',
    condition: 'kvm_set_msr(vcpu, MSR_CORE_PERF_GLOBAL_CTRL, vmcs12->guest_ia32_perf_global_ctrl)', result: exit33(0), noCC: true,
    sdm: GUEST_CR, source: SRC,
    rule: 'With "load IA32_PERF_GLOBAL_CTRL" on entry and a vPMU that has the MSR, KVM writes GUEST_IA32_PERF_GLOBAL_CTRL through its MSR emulation; a refused write (a WARN: the value was validated before) fails the entry with reason 33.' },
  { id: 'entry-msr-load', function: 'nested_vmx_load_msr', guard: 'vmcs12->vm_entry_msr_load_count != 0', ...SINCE612,
    condition: 'nested_vmx_load_msr(vcpu, vmcs12->vm_entry_msr_load_addr, vmcs12->vm_entry_msr_load_count)',
    result: { kind: 'entry-failure-vmexit', exitReason: 0x80000022, exitQualification: 'index' },
    sdm: 'SDM Vol. 3C 27.4 (VM entries: loading MSRs)', source: SRC,
    rule: 'An entry of the VM-entry MSR-load list that cannot be loaded fails the entry with reason 34 and its 1-based index: FS/GS base, SMM monitor control, an x2APIC register while L1\'s APIC is in x2APIC mode, the microcode MSRs, non-zero reserved bits, an entry past the list limit or outside guest memory, or a value KVM\'s MSR emulation refuses.',
    tests: kut('msr_switch_main', 'msr_switch_entry_failure', 'invalid_msr_main', 'invalid_msr_entry_failure', 'atomic_switch_overflow_msrs_test') },
];
