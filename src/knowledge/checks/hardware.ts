// Guest-state checks KVM leaves to the CPU: once KVM's own checks pass, L0 enters vmcs02 (whose
// guest area is vmcs12's) and the processor checks the rest; a failure is an "invalid guest state"
// VM-exit (reason 33, bit 31 set, qualification 0) that KVM reflects to L1 unchanged
// (nested_vmx_l1_wants_exit returns true for EXIT_REASON_INVALID_STATE). Reference
// kvm-nested-vmx.md §2.5 ("left to the CPU"); rules restated from SDM Vol. 3C 27.3.1.
// A subset: the rules kvm-unit-tests' guest-state tests exercise most. Conditions name the
// hardware rule with kernel-style expressions; `hw_*` helpers are the CPU's view.
import type { CheckDef, Locals } from './types';

const SRC = 'arch/x86/kvm/vmx/vmx.c (vmx_vcpu_enter_exit: hardware VM-entry of vmcs02); reflected by nested.c nested_vmx_reflect_vmexit';
const FN = 'vmx_vcpu_enter_exit';
const EXIT33 = { kind: 'entry-failure-vmexit', exitReason: 0x80000021, exitQualification: 0 } as const;
const KUT = 'kvm-unit-tests x86/vmx_tests.c';
const SEG = 'SDM Vol. 3C 27.3.1.2 (checks on guest segment registers)';
const DT = 'SDM Vol. 3C 27.3.1.3 (checks on guest descriptor-table registers)';
const RIP = 'SDM Vol. 3C 27.3.1.4 (checks on guest RIP, RFLAGS and SSP)';
const NONREG = 'SDM Vol. 3C 27.3.1.5 (checks on guest non-register state)';
const CRS = 'SDM Vol. 3C 27.3.1.1 (checks on guest control registers, debug registers and MSRs)';

/** Locals the hardware checks share. */
export const HARDWARE_LOCALS: Locals = {
  ia32e: '!!(vmcs12->vm_entry_controls & VM_ENTRY_IA32E_MODE)',
  urg: 'nested_cpu_has2(vmcs12, SECONDARY_EXEC_UNRESTRICTED_GUEST)',
  cs_l: '!!(vmcs12->guest_cs_ar_bytes & VMX_AR_L_MASK)',
  ldtr_usable: '!(vmcs12->guest_ldtr_ar_bytes & VMX_AR_UNUSABLE_MASK)',
};

function hw(id: string, condition: string, rule: string, sdm: string, test: string, guard?: string): CheckDef {
  return { id, function: FN, condition, guard, rule, sdm, test: `${KUT} ${test}`, result: EXIT33, source: SRC, noCC: true };
}

/**
 * Control checks only the CPU performs (KVM v6.12 has no software check for them): with
 * nested_early_check=0 the hardware VM-entry of vmcs02 VM-fails ("late VM-Fail") and
 * nested_vmx_vmexit reports VMfailValid 7 to L1. They come before the CPU's guest-state checks.
 */
export const HARDWARE_CONTROL_CHECKS: readonly CheckDef[] = [
  { id: 'hw-virtual-apic-page-unbacked', function: FN, source: SRC, noCC: true, result: { kind: 'vmfail-valid', vmInstructionError: 7 },
    guard: 'nested_cpu_has(vmcs12, CPU_BASED_TPR_SHADOW) && !(nested_cpu_has(vmcs12, CPU_BASED_CR8_LOAD_EXITING) && nested_cpu_has(vmcs12, CPU_BASED_CR8_STORE_EXITING) && !nested_cpu_has2(vmcs12, SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES))',
    condition: 'kvm_vcpu_map_fails(vcpu, vmcs12->virtual_apic_page_addr)',
    rule: 'A virtual-APIC page no memslot backs: nested_get_vmcs12_pages writes an invalid address into vmcs02 so the hardware VM-entry fails (late VM-Fail, VMfailValid 7); with CR8 load and store exiting and no APIC-access virtualisation KVM drops "use TPR shadow" instead.',
    sdm: 'SDM Vol. 3C 27.2.1.1 (virtual-APIC address)', test: `${KUT} test_apic_virt_addr (skip_beyond_mapped_ram)` },
  { id: 'hw-tpr-threshold-reserved', function: FN, source: SRC, noCC: true, result: { kind: 'vmfail-valid', vmInstructionError: 7 },
    condition: 'nested_cpu_has(vmcs12, CPU_BASED_TPR_SHADOW) && !nested_cpu_has_vid(vmcs12) && (vmcs12->tpr_threshold >> 4)',
    rule: 'With "use TPR shadow" and without virtual-interrupt delivery, TPR-threshold bits 31:4 must be 0 (a hardware check; L1 sees VMfailValid 7 through the late VM-Fail path).',
    sdm: 'SDM Vol. 3C 27.2.1.1 (VM-execution control fields: TPR threshold)', test: `${KUT} test_tpr_threshold` },
];

export const HARDWARE_GUEST_CHECKS: readonly CheckDef[] = [
  hw('hw-guest-cr4-pcide-not-ia32e', '!ia32e && (vmcs12->guest_cr4 & X86_CR4_PCIDE)', 'Outside IA-32e mode the guest CR4.PCIDE must be 0 (KVM\'s CR4 check does not test it; the CPU does).', CRS, 'vmx_guest_state_area_test (CR4.PCIDE)'),
  hw('hw-guest-debugctl-reserved', '(vmcs12->vm_entry_controls & VM_ENTRY_LOAD_DEBUG_CONTROLS) && (vmcs12->guest_ia32_debugctl & (GENMASK_ULL(63, 16) | GENMASK(5, 2)))',
    'With "load debug controls", reserved IA32_DEBUGCTL bits (5:2, 63:16) must be 0; prepare_vmcs02 copies the field unchecked.', CRS, 'test_guest_debugctl'),
  hw('hw-guest-sysenter-esp', 'hw_is_noncanonical(vmcs12->guest_sysenter_esp)', 'GUEST_SYSENTER_ESP must be canonical (checked by the CPU, not KVM).', CRS, 'test_guest_sysenter (vmx_guest_state_area_test)'),
  hw('hw-guest-sysenter-eip', 'hw_is_noncanonical(vmcs12->guest_sysenter_eip)', 'GUEST_SYSENTER_EIP must be canonical.', CRS, 'test_guest_sysenter (vmx_guest_state_area_test)'),
  hw('hw-guest-tr-ti', 'vmcs12->guest_tr_selector & SEGMENT_TI_MASK', 'The guest TR selector must reference the GDT (TI = 0).', SEG, 'test_guest_segment_sel_fields'),
  hw('hw-guest-ldtr-ti', 'ldtr_usable && (vmcs12->guest_ldtr_selector & SEGMENT_TI_MASK)', 'A usable guest LDTR selector must reference the GDT.', SEG, 'test_guest_segment_sel_fields'),
  hw('hw-guest-ss-rpl', '!urg && (vmcs12->guest_ss_selector & SEGMENT_RPL_MASK) != (vmcs12->guest_cs_selector & SEGMENT_RPL_MASK)', 'Without unrestricted guest, SS.RPL must equal CS.RPL.', SEG, 'test_guest_segment_sel_fields'),
  hw('hw-guest-fs-base', 'hw_is_noncanonical(vmcs12->guest_fs_base)', 'The guest FS base must be canonical.', SEG, 'test_guest_segment_base_addr_fields'),
  hw('hw-guest-gs-base', 'hw_is_noncanonical(vmcs12->guest_gs_base)', 'The guest GS base must be canonical.', SEG, 'test_guest_segment_base_addr_fields'),
  hw('hw-guest-tr-base', 'hw_is_noncanonical(vmcs12->guest_tr_base)', 'The guest TR base must be canonical.', SEG, 'test_guest_segment_base_addr_fields'),
  hw('hw-guest-ldtr-base', 'ldtr_usable && hw_is_noncanonical(vmcs12->guest_ldtr_base)', 'A usable guest LDTR base must be canonical.', SEG, 'test_guest_segment_base_addr_fields'),
  hw('hw-guest-cs-base-high', 'vmcs12->guest_cs_base >> 32', 'Guest CS base bits 63:32 must be 0.', SEG, 'test_guest_segment_base_addr_fields'),
  hw('hw-guest-ss-base-high', '!(vmcs12->guest_ss_ar_bytes & VMX_AR_UNUSABLE_MASK) && (vmcs12->guest_ss_base >> 32)', 'A usable guest SS base must have bits 63:32 clear.', SEG, 'test_guest_segment_base_addr_fields'),
  hw('hw-guest-ds-base-high', '!(vmcs12->guest_ds_ar_bytes & VMX_AR_UNUSABLE_MASK) && (vmcs12->guest_ds_base >> 32)', 'A usable guest DS base must have bits 63:32 clear.', SEG, 'test_guest_segment_base_addr_fields'),
  hw('hw-guest-es-base-high', '!(vmcs12->guest_es_ar_bytes & VMX_AR_UNUSABLE_MASK) && (vmcs12->guest_es_base >> 32)', 'A usable guest ES base must have bits 63:32 clear.', SEG, 'test_guest_segment_base_addr_fields'),
  hw('hw-guest-tr-type', 'ia32e ? (vmcs12->guest_tr_ar_bytes & VMX_AR_TYPE_MASK) != 11 : ((vmcs12->guest_tr_ar_bytes & VMX_AR_TYPE_MASK) != 3 && (vmcs12->guest_tr_ar_bytes & VMX_AR_TYPE_MASK) != 11)',
    'The guest TR must be a busy TSS (type 11; type 3 also outside IA-32e mode).', SEG, 'test_guest_segment_ar_fields (TR)'),
  hw('hw-guest-tr-s', 'vmcs12->guest_tr_ar_bytes & VMX_AR_S_MASK', 'The guest TR must be a system descriptor (S = 0).', SEG, 'test_guest_segment_ar_fields (TR)'),
  hw('hw-guest-tr-present', '!(vmcs12->guest_tr_ar_bytes & VMX_AR_P_MASK)', 'The guest TR must be present.', SEG, 'test_guest_segment_ar_fields (TR)'),
  hw('hw-guest-tr-unusable', 'vmcs12->guest_tr_ar_bytes & VMX_AR_UNUSABLE_MASK', 'The guest TR must be usable.', SEG, 'test_guest_segment_ar_fields (TR)'),
  hw('hw-guest-ar-reserved', '(vmcs12->guest_cs_ar_bytes | vmcs12->guest_tr_ar_bytes) & VMX_AR_RESERVD_MASK', 'Reserved access-rights bits (11:8, 31:17) of CS and TR must be 0.', SEG, 'test_guest_segment_ar_fields'),
  hw('hw-guest-cs-l-db', 'ia32e && cs_l && (vmcs12->guest_cs_ar_bytes & VMX_AR_DB_MASK)', 'In IA-32e mode a 64-bit code segment (L = 1) must have D/B = 0.', SEG, 'test_guest_segment_ar_fields (CS)'),
  hw('hw-guest-gdtr-base', 'hw_is_noncanonical(vmcs12->guest_gdtr_base)', 'The guest GDTR base must be canonical.', DT, 'test_guest_desc_tables (GDTR/IDTR)'),
  hw('hw-guest-idtr-base', 'hw_is_noncanonical(vmcs12->guest_idtr_base)', 'The guest IDTR base must be canonical.', DT, 'test_guest_desc_tables (GDTR/IDTR)'),
  hw('hw-guest-gdtr-limit', 'vmcs12->guest_gdtr_limit >> 16', 'Guest GDTR limit bits 31:16 must be 0.', DT, 'test_guest_desc_tables (GDTR/IDTR)'),
  hw('hw-guest-idtr-limit', 'vmcs12->guest_idtr_limit >> 16', 'Guest IDTR limit bits 31:16 must be 0.', DT, 'test_guest_desc_tables (GDTR/IDTR)'),
  hw('hw-guest-rip', '(ia32e && cs_l) ? hw_is_noncanonical(vmcs12->guest_rip) : (vmcs12->guest_rip >> 32) != 0',
    'Guest RIP bits 63:32 must be 0 outside 64-bit mode, and RIP canonical in 64-bit mode.', RIP, 'test_guest_rip'),
  hw('hw-guest-rflags-reserved', '(vmcs12->guest_rflags & (GENMASK_ULL(63, 22) | BIT(15) | BIT(5) | BIT(3))) || !(vmcs12->guest_rflags & BIT(1))',
    'Guest RFLAGS reserved bits (63:22, 15, 5, 3) must be 0 and bit 1 must be 1.', RIP, 'test_guest_rflags'),
  hw('hw-guest-rflags-vm', '(ia32e || !(vmcs12->guest_cr0 & X86_CR0_PE)) && (vmcs12->guest_rflags & X86_EFLAGS_VM)', 'RFLAGS.VM must be 0 in IA-32e mode or with CR0.PE = 0.', RIP, 'test_guest_rflags'),
  hw('hw-guest-rflags-if', '(vmcs12->vm_entry_intr_info_field & INTR_INFO_VALID_MASK) && (vmcs12->vm_entry_intr_info_field & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_EXT_INTR && !(vmcs12->guest_rflags & X86_EFLAGS_IF)',
    'Injecting an external interrupt needs RFLAGS.IF = 1.', RIP, 'test_guest_rflags'),
  hw('hw-guest-interruptibility-reserved', 'vmcs12->guest_interruptibility_info & GENMASK(31, 5)', 'Interruptibility-state bits 31:5 must be 0.', NONREG, 'test_guest_intr_state'),
  hw('hw-guest-interruptibility-sti-movss', '(vmcs12->guest_interruptibility_info & 3) == 3', 'Blocking by STI and by MOV SS may not both be set.', NONREG, 'test_guest_intr_state'),
  hw('hw-guest-interruptibility-sti-if', '(vmcs12->guest_interruptibility_info & 1) && !(vmcs12->guest_rflags & X86_EFLAGS_IF)', 'Blocking by STI requires RFLAGS.IF = 1.', NONREG, 'test_guest_intr_state'),
  hw('hw-guest-pending-dbg-reserved', 'vmcs12->guest_pending_dbg_exceptions & ~(GENMASK_ULL(3, 0) | BIT(12) | BIT(14) | BIT(16))', 'Pending-debug-exceptions reserved bits must be 0.', NONREG, 'test_pending_dbg'),
  { id: 'hw-guest-pdptes', function: FN, source: SRC, noCC: true,
    guard: 'nested_cpu_has_ept(vmcs12) && !ia32e && (vmcs12->guest_cr0 & X86_CR0_PG) && (vmcs12->guest_cr4 & X86_CR4_PAE)',
    condition: 'hw_pdpte_invalid(vmcs12->guest_pdptr0) || hw_pdpte_invalid(vmcs12->guest_pdptr1) || hw_pdpte_invalid(vmcs12->guest_pdptr2) || hw_pdpte_invalid(vmcs12->guest_pdptr3)',
    result: { kind: 'entry-failure-vmexit', exitReason: 0x80000021, exitQualification: 2 },
    rule: 'PAE guest with vmcs12 EPT: KVM copies GUEST_PDPTRn to vmcs02 unchecked; a present PDPTE with reserved bits (2:1, 8:5, at or above the CPU\'s MAXPHYADDR, taken as 52) fails the entry with qualification 2 (ENTRY_FAIL_PDPTE).',
    sdm: 'SDM Vol. 3C 27.3.1.6 (checks on guest page-directory-pointer-table entries)', test: `${KUT} vmx_pae_test / test_guest_pdptes` },
  hw('hw-guest-hlt-ss-dpl', 'vmcs12->guest_activity_state == GUEST_ACTIVITY_HLT && ((vmcs12->guest_ss_ar_bytes >> 5) & 3) != 0', 'The HLT activity state requires SS.DPL = 0.', NONREG, 'test_guest_activity_state'),
];
