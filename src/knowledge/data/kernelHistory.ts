// When the nested-VMX behaviour the check tables model changed, as verified from published sources
// (kernel trees, kvm-x86 pull requests, stable review mails). Facts restated in our own words; no
// kernel text. Pure data: the check rows take their `since`/`until` from here.
//
// Trees read:
// - the default tree: Debian linux-source-6.12, 6.12.118 (baseline "6.12.y");
// - kvm-x86/linux arch/x86/kvm/vmx/nested.c at 1a27afa0511e404fd87c1a5e643945940ef72f90 (baseline "kvm-x86");
// - the kvm and stable mailing-list archives for the pull requests and backports named below.

/** The baselines the model can answer for. */
export type Baseline = '6.12.y' | 'kvm-x86';
export const BASELINES: readonly Baseline[] = ['6.12.y', 'kvm-x86'];
export const DEFAULT_BASELINE: Baseline = '6.12.y';

/** What each baseline stands for (shown in outputs). */
export const BASELINE_INFO: Readonly<Record<Baseline, { kernel: string; source: string }>> = {
  '6.12.y': { kernel: '6.12.118', source: 'Debian linux-source-6.12 (6.12.118), the default tree' },
  'kvm-x86': { kernel: 'newest kvm-x86 tree read, 1a27afa0511e', source: 'kvm-x86/linux nested.c at 1a27afa0511e (newest tree read)' },
};

export interface KernelChange {
  id: string;
  /** What changed, in our words. */
  what: string;
  /** Mainline release that first has it ("kvm-x86" when only seen in kvm-x86 so far). */
  mainline: string;
  /** True when the 6.12.y stable tree (as shipped in 6.12.118) has it too. */
  in612y: boolean;
  /** Where it was verified. */
  evidence: string;
}

/** Verified changes after v6.12.0 that the model distinguishes. */
export const KERNEL_CHANGES: readonly KernelChange[] = [
  { id: 'canonical-host-width', what: 'Canonical checks of MSR-held addresses (SYSENTER_ESP/EIP, BNDCFGS) and of segment/descriptor-table bases use the host CPU\'s linear-address width (57 bits when the host has LA57), not the vCPU\'s CR4.LA57.',
    mainline: '6.13', in612y: true, evidence: 'kvm-x86-misc-6.13 pull ("model canonical checks more precisely", 9245fd6b8531); present in 6.12.118 nested.c (is_noncanonical_msr_address / is_noncanonical_base_address)' },
  { id: 'host-rip-host-cr4-la57', what: 'HOST_RIP is checked canonical against the width HOST_CR4.LA57 selects (what L1 runs with after the exit), not the current CR4.LA57.',
    mainline: '6.13', in612y: false, evidence: 'kvm-x86-misc-6.13 pull ("fix canonical check of vmcs12 HOST_RIP", 90a877216e6b); 6.12.118 still checks HOST_RIP with the vCPU width' },
  { id: 'msr-list-count', what: 'A VM-entry/VM-exit MSR-load or MSR-store count above the nested IA32_VMX_MISC limit (512 × (N+1)) fails the control checks (VMfailValid 7) instead of failing while the list is processed.',
    mainline: '6.16', in612y: false, evidence: 'kvm-x86-vmx-6.16 pull ("Check MSR load/store list counts during VM-Enter consistency checks", 17a2c62fbf1e); absent from 6.12.118' },
  { id: 'guest-debugctl', what: 'With "load debug controls", KVM itself checks GUEST_IA32_DEBUGCTL against the bits it supports for the guest (a failure is the invalid-guest-state exit 33) instead of leaving reserved bits to the CPU.',
    mainline: '6.17', in612y: true, evidence: 'upstream 095686e6fcb4 (backported to 6.16.y and 6.12.y, Aug 2025); present in 6.12.118' },
  { id: 'cet-wp', what: 'HOST_CR4.CET requires HOST_CR0.WP, and GUEST_CR4.CET requires GUEST_CR0.WP.',
    mainline: '6.18', in612y: true, evidence: 'kvm-x86-cet-6.18 pull ("Add consistency checks for CR0.WP and CR4.CET", 8060b2bd2dd0); backported to 6.12.y as a dependency of the FREEZE_IN_SMM quirk; present in 6.12.118' },
  { id: 'cet-state', what: 'With the "load CET state" entry/exit controls, S_CET must be valid, SSP 4-byte aligned, the interrupt-SSP-table address canonical, and host S_CET/SSP canonical (64-bit host) or below 4 GiB; guest SSP bits 63:N identical.',
    mainline: '6.18', in612y: false, evidence: 'kvm-x86-cet-6.18 pull ("Add consistency checks for CET states"); absent from 6.12.118' },
  { id: 'cet-entry-exit-pair', what: 'setup_vmcs_config treats VM_ENTRY_LOAD_CET_STATE / VM_EXIT_LOAD_CET_STATE as an entry/exit pair that must be supported together.',
    mainline: '6.18', in612y: false, evidence: 'kvm-x86-cet-6.18 pull ("Introduce CET VMCS fields and control bits"); absent from 6.12.118 vmx.c (five pairs)' },
  { id: 'no-hw-errcode-cc', what: 'When the nested IA32_VMX_BASIC reports bit 56 (no hardware error-code consistency check), a hardware exception in protected mode may be injected with or without an error code; outside that case only "no error code" is accepted for non-exceptions/real mode.',
    mainline: '6.18', in612y: false, evidence: 'kvm-x86-cet-6.18 pull ("Virtualize NO_HW_ERROR_CODE_CC for L1 event injection to L2")' },
  { id: 'tpr-threshold-cc', what: 'With "use TPR shadow" and without virtual-interrupt delivery, TPR_THRESHOLD bits 31:4 must be 0 — now a KVM control check (VMfailValid 7 from KVM) rather than a hardware late VM-Fail.',
    mainline: '6.19', in612y: false, evidence: 'kvm-x86-vmx-6.19 pull ("Add consistency check for TPR_THRESHOLD[31:4]!=0 without VID", 15fe455dd1a0)' },
  { id: 'tsc-multiplier-cc', what: 'With "use TSC scaling", a TSC multiplier of 0 fails the control checks.',
    mainline: '6.19', in612y: false, evidence: 'kvm-x86-vmx-6.19 pull ("Add consistency check for TSC_MULTIPLIER=0", ae8e6ad84177)' },
  { id: 'early-check-removed', what: 'The nested_early_check module parameter (hardware VM-entry of vmcs02 before KVM\'s guest-state checks) is removed; an off-by-default warn_on_missed_cc parameter replaces it.',
    mainline: '6.19', in612y: false, evidence: 'kvm-x86-vmx-6.19 pull ("Remove support for \\"early\\" consistency checks via hardware", a175da6d430e)' },
  { id: 'freeze-in-smm-quirk', what: 'KVM_X86_QUIRK_VMCS12_ALLOW_FREEZE_IN_SMM (on by default): the guest DEBUGCTL check ignores FREEZE_IN_SMM (bit 14) while the quirk is enabled.',
    mainline: '7.0', in612y: true, evidence: 'mainline e2ffe85b6d2b (7.0-rc fixes, Mar 2026), backported to 6.12.y; present in 6.12.118' },
  { id: 'sregs-efer', what: 'KVM_SET_SREGS(2) refuses an EFER that KVM or the guest CPUID does not allow (kvm_is_valid_sregs ends with kvm_valid_efer).',
    mainline: 'kvm-x86', in612y: true, evidence: 'posted 2026-06-30 with Cc: stable ("Check EFER validity on KVM_SET_SREGS*"), merged via kvm-x86 (2026-07); present in 6.12.118 regs.c; its mainline release is not verified' },
  { id: 'restored-vmcs12-shared', what: 'The checks KVM_SET_NESTED_STATE runs on a restored vmcs12 (shadow vmcs12 header, controls, host and guest state) move into nested_vmx_check_restored_vmcs12(), which the return from SMM (RSM into L2) also runs; an invalid vmcs12 there is a triple fault.',
    mainline: '7.0', in612y: false, evidence: 'mainline 5a30e8aea079 ("check validity of VMCS controls when returning from SMM", Mar 2026, Cc stable); present in kvm-x86 1a27afa0, absent from 6.12.118' },
];

/** Changes by id. */
export const KERNEL_CHANGE: Readonly<Record<string, KernelChange>> = Object.fromEntries(KERNEL_CHANGES.map(c => [c.id, c]));
