// KVM nested-VMX functions the model knows, restated in our own words. Source: Linux v6.12
// arch/x86/kvm/vmx/{nested,vmx}.c, arch/x86/kvm/{x86,mmu/mmu}.c and headers, as summarised in the
// project reference kvm-nested-vmx.md (the `source` of each entry names the section); history rows
// come from the reference's version tables and the five seed patches (LAM v7, VM-entry/exit pair
// sanitising, CR0.WP guest-owned, eVMCS restore, MMU-role comments).
import type { CheckFact, HistoryFact } from './types';

export interface FunctionFact {
  name: string;
  file: string;
  summary: string;
  details: string;
  sdm?: string;
  related: string[];
  /** Ids of the modeled check paths that pass through this function. */
  paths: string[];
  /** Reference section / kernel file the facts come from. */
  source: string;
  callers?: string[];
  callees?: string[];
  checks?: CheckFact[];
  history?: HistoryFact[];
  /** Older or draft names that mean this function. */
  aliases?: string[];
  /** False when the function is not in v6.12 (a draft name or a later addition). */
  inV612?: boolean;
}

const NESTED = 'arch/x86/kvm/vmx/nested.c';
const VMX = 'arch/x86/kvm/vmx/vmx.c';
const VMX_H = 'arch/x86/kvm/vmx/vmx.h';
const X86 = 'arch/x86/kvm/x86.c';
const MMU = 'arch/x86/kvm/mmu/mmu.c';
const CAPS = 'arch/x86/kvm/vmx/capabilities.h';
const CPUID_H = 'arch/x86/kvm/cpuid.h';
const NESTED_H = 'arch/x86/kvm/vmx/nested.h';

type Opt = Partial<Omit<FunctionFact, 'name' | 'file' | 'paths' | 'summary'>>;
function fn(name: string, file: string, paths: string[], summary: string, o: Opt = {}): FunctionFact {
  return { name, file, paths, summary, details: o.details ?? '', related: o.related ?? [], source: o.source ?? 'kvm-nested-vmx.md', ...o };
}

const VE = 'nested-vmentry', VX = 'nested-vmexit', SNS = 'set-nested-state', ML = 'module-load', CR0W = 'cr0-write', CR3W = 'cr3-write';

const LAM_HISTORY: HistoryFact[] = [
  { era: '≤ ~v5.11', change: 'CR3 legality tested with nested_cr3_valid (no bit at or above MAXPHYADDR).' },
  { era: '~v5.12 – v6.7', change: 'condition is kvm_vcpu_is_illegal_gpa(cr3).' },
  { era: 'LAM v6–v8 drafts (2023, seed 000)', change: 'kvm_vcpu_is_illegal_gpa → !kvm_vcpu_is_legal_cr3, which first clears vcpu->arch.cr3_ctrl_bits (LAM_U48|LAM_U57 when the guest has LAM).' },
  { era: 'v6.8+ (merged)', change: '!kvm_vcpu_is_legal_cr3 with LAM decided by guest_can_use(X86_FEATURE_LAM); no cr3_ctrl_bits field; the MMU masks the PGD with __PT_BASE_ADDR_MASK.' },
];

const WP_HISTORY: HistoryFact[] = [
  { era: '≤ v6.3', change: 'cr0_guest_owned_bits reset to KVM_POSSIBLE_CR0_GUEST_BITS (CR0.TS only).' },
  { era: 'v6.4+ (CR0.WP series, seed 002)', change: 'KVM_POSSIBLE_CR0_GUEST_BITS → vmx_l1_guest_owned_cr0_bits(): TS|WP, WP only when ept=1; the draft lazycr0 module param was dropped in review.' },
];

const PAIR_HISTORY: HistoryFact[] = [
  { era: '≤ v5.18', change: 'unpaired entry/exit controls stayed in vmcs_config; cpu_has_load_ia32_efer() etc. required both bits.' },
  { era: 'v5.19/6.0 cycle (seed 001, 1/2)', change: 'loop over vmcs_entry_exit_pairs: warn once and clear both bits when exactly one side is supported.' },
  { era: 'v6.0 cycle (seed 001, 2/2)', change: 'error_on_inconsistent_vmcs_config (default 1): inconsistent pair or EPT/VPID caps without the control → -EIO, kvm_intel refuses to load.' },
  { era: '2025 patches (not 6.12)', change: 'pair check moved to vmx_check_entry_exit_pairs; LOAD_CET_STATE pair and secondary VM-exit controls added.' },
];

const EVMCS_HISTORY: HistoryFact[] = [
  { era: 'v5.10-era', change: 'SET with the EVMCS flag requests KVM_REQ_GET_VMCS12_PAGES; nested_get_vmcs12_pages maps the eVMCS.' },
  { era: '~v5.11–v5.13', change: 'request renamed KVM_REQ_GET_NESTED_STATE_PAGES; nested_vmx_vmexit maps the eVMCS if the request is still pending.' },
  { era: 'May 2021 proposal (seed 003, not merged)', change: 'add evmcs_pa to kvm_vmx_nested_state_hdr and map the eVMCS directly in SET via __nested_vmx_handle_enlightened_vmptrld; rejected because SET must not touch guest memory.' },
  { era: 'v6.12', change: 'EVMPTR_MAP_PENDING sentinel; mapping deferred to nested_get_evmcs_page; GET reports KVM_STATE_NESTED_EVMCS while mapping is pending.' },
];

const MMU_HISTORY: HistoryFact[] = [
  { era: 'Jun 2021 (seed 004)', change: 'comment added: kvm_init_mmu is called unconditionally to pick up CR4 MMU role changes, even with nested TDP; CR3 marked available.' },
  { era: 'v6.12', change: 'CR3 marked dirty, kvm_init_mmu, then kvm_mmu_new_pgd(cr3) when nested EPT is off.' },
];

const HOST_STATE_CHECKS: CheckFact[] = [
  { id: 'H1', fails: 'HOST_CR0 violates the nested CR0 fixed-0/fixed-1 bits (nested_host_cr0_valid)', result: 'VMfailValid 8' },
  { id: 'H2', fails: 'HOST_CR4 violates CR4 fixed bits or sets a reserved bit (LAM_SUP without guest LAM)', result: 'VMfailValid 8' },
  { id: 'H3', fails: 'HOST_CR3 is not a legal CR3: a bit at or above guest MAXPHYADDR is set, bits 61/62 excepted when the guest can use LAM (kvm_vcpu_is_legal_cr3)', result: 'VMfailValid 8', sdm: 'SDM Vol. 3C 27.2.2' },
  { id: 'H4', fails: 'HOST_IA32_SYSENTER_ESP or _EIP is non-canonical', result: 'VMfailValid 8' },
  { id: 'H5', fails: 'VM_EXIT_LOAD_IA32_PAT set and HOST_IA32_PAT has an invalid memory type byte', result: 'VMfailValid 8' },
  { id: 'H6', fails: 'VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL set and the value has bits the vPMU lacks', result: 'VMfailValid 8' },
  { id: 'H7', fails: 'host address-space size (ia32e) set but HOST_CR4.PAE clear', result: 'VMfailValid 8' },
  { id: 'H8', fails: 'ia32e clear but IA32E_MODE_GUEST entry control, HOST_CR4.PCIDE or HOST_RIP bits 63:32 set', result: 'VMfailValid 8' },
  { id: 'H9', fails: 'a host selector (CS/SS/DS/ES/FS/GS/TR) has RPL or TI bits set', result: 'VMfailValid 8' },
  { id: 'H10', fails: 'CS or TR selector is 0, or SS selector is 0 without ia32e', result: 'VMfailValid 8' },
  { id: 'H11', fails: 'HOST_FS/GS/GDTR/IDTR/TR base or HOST_RIP is non-canonical', result: 'VMfailValid 8' },
  { id: 'H12', fails: 'VM_EXIT_LOAD_IA32_EFER set and HOST_IA32_EFER is invalid or its LMA/LME differ from ia32e', result: 'VMfailValid 8' },
];

const GUEST_STATE_CHECKS: CheckFact[] = [
  { id: 'G1', fails: 'GUEST_CR0 or GUEST_CR4 violates the nested fixed bits (PE/PG relaxed with unrestricted guest)', result: 'VM-exit 33|0x80000000, qualification 0' },
  { id: 'G2', fails: 'VM_ENTRY_LOAD_DEBUG_CONTROLS set and GUEST_DR7 bits 63:32 not zero', result: 'VM-exit 33, qualification 0' },
  { id: 'G3', fails: 'VM_ENTRY_LOAD_IA32_PAT set and GUEST_IA32_PAT invalid', result: 'VM-exit 33, qualification 0' },
  { id: 'G4', fails: 'VMCS link pointer not all-ones and unaligned/illegal/unreadable, wrong revision or wrong shadow bit', result: 'VM-exit 33, qualification 4 (ENTRY_FAIL_VMCS_LINK_PTR)' },
  { id: 'G5', fails: 'VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL set and the value invalid', result: 'VM-exit 33, qualification 0' },
  { id: 'G6', fails: 'GUEST_CR0.PG set with PE clear', result: 'VM-exit 33, qualification 0' },
  { id: 'G7', fails: 'IA32E_MODE_GUEST entry control set with CR4.PAE or CR0.PG clear', result: 'VM-exit 33, qualification 0' },
  { id: 'G8', fails: 'run pending, VM_ENTRY_LOAD_IA32_EFER set and GUEST_IA32_EFER invalid or LMA/LME inconsistent with ia32e', result: 'VM-exit 33, qualification 0' },
  { id: 'G9', fails: 'VM_ENTRY_LOAD_BNDCFGS set and GUEST_BNDCFGS non-canonical or reserved bits set', result: 'VM-exit 33, qualification 0' },
  { id: 'G10', fails: 'GUEST_ACTIVITY_STATE not active, HLT or wait-for-SIPI', result: 'VM-exit 33, qualification 0' },
];

const CONTROL_CHECKS: CheckFact[] = [
  { id: 'E1-E3', fails: 'pin, primary or (when activated) secondary execution controls outside the nested allowed-0/allowed-1 settings', result: 'VMfailValid 7' },
  { id: 'E4', fails: 'CR3_TARGET_COUNT above the MISC limit (KVM reports 0)', result: 'VMfailValid 7' },
  { id: 'E5-E8', fails: 'I/O bitmaps, MSR bitmap, virtual-APIC page or APIC-access page address not page aligned and legal when the control uses it', result: 'VMfailValid 7' },
  { id: 'E9-E10', fails: 'APICv or virtual-NMI controls combined inconsistently', result: 'VMfailValid 7' },
  { id: 'E11-E13', fails: 'PML, unrestricted guest or mode-based EPT execute without EPT (or bad PML address)', result: 'VMfailValid 7' },
  { id: 'E15', fails: 'VPID enabled with VIRTUAL_PROCESSOR_ID 0', result: 'VMfailValid 7' },
  { id: 'E17', fails: 'EPT enabled and EPT_POINTER invalid (memory type, walk length, reserved or A/D bits)', result: 'VMfailValid 7' },
  { id: 'X1-X2', fails: 'VM-exit controls outside allowed settings, or exit MSR-store/load list misaligned or beyond MAXPHYADDR', result: 'VMfailValid 7' },
  { id: 'N1-N3', fails: 'VM-entry controls outside allowed settings, malformed event injection, or entry MSR-load list misaligned/illegal', result: 'VMfailValid 7' },
];

export const FUNCTIONS: readonly FunctionFact[] = [
  // ── VM-entry (reference §2) ────────────────────────────────────────────────────────────────
  fn('handle_vmlaunch', NESTED, [VE], 'Exit handler for VMLAUNCH executed by L1 (exit reason 20): runs nested_vmx_run(vcpu, true).',
    { source: 'kvm-nested-vmx.md §2.1', callers: ['__vmx_handle_exit'], callees: ['nested_vmx_run'], related: ['EXIT_REASON_VMLAUNCH', 'handle_vmresume'] }),
  fn('handle_vmresume', NESTED, [VE], 'Exit handler for VMRESUME executed by L1 (exit reason 24): runs nested_vmx_run(vcpu, false).',
    { source: 'kvm-nested-vmx.md §2.1', callers: ['__vmx_handle_exit'], callees: ['nested_vmx_run'], related: ['EXIT_REASON_VMRESUME', 'handle_vmlaunch'] }),
  fn('nested_vmx_run', NESTED, [VE], 'Emulates VMLAUNCH/VMRESUME executed by L1 (ref §2.1).',
    { details: 'Checks VMX permission and the current VMCS (VMfailInvalid when none), the MOV-SS shadow (VMfailValid 26) and the launch state (VMfailValid 4/5), then the vmcs12 controls (VMfailValid 7), the host address-space size and host state (VMfailValid 8), sets nested_run_pending and enters L2 through nested_vmx_enter_non_root_mode.',
      source: 'kvm-nested-vmx.md §2.1', sdm: 'SDM Vol. 3C 27.1–27.2 (VM-entry checks)', callers: ['handle_vmlaunch', 'handle_vmresume'],
      callees: ['nested_vmx_check_permission', 'nested_vmx_handle_enlightened_vmptrld', 'nested_vmx_check_controls', 'nested_vmx_check_address_space_size', 'nested_vmx_check_host_state', 'nested_vmx_enter_non_root_mode', 'nested_vmx_fail'],
      related: ['nested_vmx_check_controls', 'nested_vmx_check_host_state', 'nested_vmx_enter_non_root_mode', 'VMXERR_ENTRY_INVALID_CONTROL_FIELD', 'VMXERR_ENTRY_INVALID_HOST_STATE_FIELD'],
      checks: [
        { id: 'R1', fails: 'no current VMCS and no enlightened VMCS, or vmcs12 is a shadow VMCS', result: 'VMfailInvalid' },
        { id: 'R2', fails: 'VM-entry blocked by MOV SS', result: 'VMfailValid 26' },
        { id: 'R3', fails: 'VMLAUNCH on a launched VMCS / VMRESUME on a clear VMCS', result: 'VMfailValid 4 / 5' },
      ] }),
  fn('nested_vmx_check_permission', NESTED, [VE], 'Checks that the vCPU is in VMX operation (#UD otherwise) at CPL 0 (#GP(0) otherwise) before emulating a VMX instruction.',
    { source: 'kvm-nested-vmx.md §2.1', callers: ['nested_vmx_run'] }),
  fn('nested_vmx_handle_enlightened_vmptrld', NESTED, [VE, SNS], 'Maps the Hyper-V enlightened VMCS named by the VP-assist page; returns DISABLED, SUCCEEDED, VMFAIL or ERROR (ref §7.2).',
    { details: 'Without eVMCS CPUID: DISABLED. A new eVMCS GPA releases the old mapping and maps the page (failure: ERROR → #UD in nested_vmx_run); its revision must be KVM_EVMCS_VERSION or VMCS12_REVISION (else VMFAIL → VMfailInvalid). From VMLAUNCH the vmcs12 is zeroed; clean fields are reset.',
      source: 'kvm-nested-vmx.md §7.2', callers: ['nested_vmx_run', 'nested_get_evmcs_page'], related: ['EVMPTR_MAP_PENDING', 'KVM_EVMCS_VERSION', 'hv_evmcs_vmptr'], history: EVMCS_HISTORY }),
  fn('__nested_vmx_handle_enlightened_vmptrld', NESTED, [SNS], 'Draft helper from the May-2021 eVMCS-restore patch (seed 003): map an eVMCS given its GPA directly from KVM_SET_NESTED_STATE. Not merged; v6.12 has no such function.',
    { source: 'kvm-nested-vmx.md §7.6', inV612: false, related: ['nested_vmx_handle_enlightened_vmptrld', 'vmx_set_nested_state', 'evmcs_pa'], history: EVMCS_HISTORY }),
  fn('nested_vmx_check_controls', NESTED, [VE, SNS], 'Checks the vmcs12 execution, VM-exit and VM-entry controls against what KVM offers L1; a failure is VMfailValid 7 on VM-entry, -EINVAL on KVM_SET_NESTED_STATE (ref §2.2).',
    { details: 'Order: execution controls, exit controls, entry controls, then the eVMCS control checks when the guest has eVMCS CPUID. Every failing condition is wrapped in CC() so tracepoint kvm_nested_vmenter_failed names it.',
      sdm: 'SDM Vol. 3C 27.2.1 (checks on VMX controls)', source: 'kvm-nested-vmx.md §2.2', callers: ['nested_vmx_run', 'vmx_set_nested_state'],
      callees: ['nested_check_vm_execution_controls', 'nested_check_vm_exit_controls', 'nested_check_vm_entry_controls', 'nested_evmcs_check_controls'],
      checks: CONTROL_CHECKS, related: ['VMXERR_ENTRY_INVALID_CONTROL_FIELD', 'vmx_control_verify', 'page_address_valid'] }),
  fn('nested_check_vm_execution_controls', NESTED, [VE, SNS], 'Execution-control part of nested_vmx_check_controls: pin/primary/secondary allowed settings, bitmap and APIC page addresses, APICv, PML, URG, VPID, EPTP, VMFUNC (ref §2.2 E1–E18).',
    { source: 'kvm-nested-vmx.md §2.2', callers: ['nested_vmx_check_controls'], related: ['SECONDARY_VM_EXEC_CONTROL', 'EPT_POINTER'] }),
  fn('nested_check_vm_exit_controls', NESTED, [VE, SNS], 'Exit-control part of nested_vmx_check_controls: allowed settings and the exit MSR-store/load list addresses (ref §2.2 X1–X2).',
    { source: 'kvm-nested-vmx.md §2.2', callers: ['nested_vmx_check_controls'], related: ['VM_EXIT_CONTROLS', 'VM_EXIT_MSR_LOAD_ADDR'] }),
  fn('nested_check_vm_entry_controls', NESTED, [VE, SNS], 'Entry-control part of nested_vmx_check_controls: allowed settings, event injection fields and the entry MSR-load list (ref §2.2 N1–N3).',
    { source: 'kvm-nested-vmx.md §2.2', callers: ['nested_vmx_check_controls'], related: ['VM_ENTRY_CONTROLS', 'VM_ENTRY_INTR_INFO_FIELD', 'VM_ENTRY_MSR_LOAD_ADDR'] }),
  fn('nested_evmcs_check_controls', 'arch/x86/kvm/vmx/hyperv.c', [VE, SNS], 'Rejects vmcs12 controls that the enlightened VMCS cannot represent (only when the guest has eVMCS CPUID).',
    { source: 'kvm-nested-vmx.md §2.2', callers: ['nested_vmx_check_controls'] }),
  fn('nested_vmx_check_address_space_size', NESTED, [VE], 'On 64-bit kernels, fails VM-entry (VMfailValid 8) when the vmcs12 "host address-space size" exit control differs from L1\'s current EFER.LMA (ref §2.3).',
    { details: 'Called only from nested_vmx_run, not from vmx_set_nested_state.', source: 'kvm-nested-vmx.md §2.3', callers: ['nested_vmx_run'], related: ['VM_EXIT_HOST_ADDR_SPACE_SIZE', 'EFER_LMA'],
      checks: [{ id: 'A1', fails: 'VM_EXIT_HOST_ADDR_SPACE_SIZE ≠ L1 EFER.LMA', result: 'VMfailValid 8' }] }),
  fn('nested_vmx_check_host_state', NESTED, [VE, SNS], 'Consistency checks of the vmcs12 host-state area; a failure is VMfailValid 8 on VM-entry, -EINVAL on KVM_SET_NESTED_STATE (ref §2.4).',
    { details: 'HOST_CR0/HOST_CR4 fixed bits, HOST_CR3 legality (LAM bits 61/62 allowed when the guest can use LAM), canonical bases, selectors, PAT, EFER against the host address-space size.',
      sdm: 'SDM Vol. 3C 27.2.2 (checks on host control registers, MSRs and SSP)', source: 'kvm-nested-vmx.md §2.4', callers: ['nested_vmx_run', 'vmx_set_nested_state'],
      callees: ['nested_host_cr0_valid', 'nested_cr4_valid', 'kvm_vcpu_is_legal_cr3', 'is_noncanonical_address', 'kvm_pat_valid', 'kvm_valid_efer'],
      checks: HOST_STATE_CHECKS, history: LAM_HISTORY, related: ['kvm_vcpu_is_legal_cr3', 'HOST_CR3', 'VM_EXIT_HOST_ADDR_SPACE_SIZE', 'VMXERR_ENTRY_INVALID_HOST_STATE_FIELD'] }),
  fn('nested_vmx_check_guest_state', NESTED, [VE, SNS], 'Software checks of the vmcs12 guest-state area; a failure is an emulated VM-exit with reason 33|0x80000000 and a qualification (ref §2.5).',
    { details: 'Qualification 0 (ENTRY_FAIL_DEFAULT) except for a bad VMCS link pointer (4). Segment, RFLAGS and most other guest checks are left to the CPU when it enters vmcs02.',
      sdm: 'SDM Vol. 3C 27.3.1 (checks on the guest-state area)', source: 'kvm-nested-vmx.md §2.5', callers: ['nested_vmx_enter_non_root_mode', 'vmx_set_nested_state'],
      checks: GUEST_STATE_CHECKS, related: ['EXIT_REASON_INVALID_STATE', 'ENTRY_FAIL_VMCS_LINK_PTR', 'VMCS_LINK_POINTER'] }),
  fn('nested_vmx_check_vmentry_hw', NESTED, [VE], 'Optional early hardware VM-entry with vmcs02 (module param nested_early_check=1) so the CPU validates controls and host state before KVM commits; failure → VMfailValid 7.',
    { source: 'kvm-nested-vmx.md §2.1 step 13e', callers: ['nested_vmx_enter_non_root_mode'], related: ['nested_early_check'] }),
  fn('nested_vmx_enter_non_root_mode', NESTED, [VE, SNS], 'Switches the vCPU to vmcs02 and enters L2; returns SUCCESS, VMEXIT (emulated failed-entry exit), VMFAIL or INTERNAL_ERROR (ref §2.1 step 13).',
    { details: 'prepare_vmcs02_early, maps vmcs12 pages (or defers them with KVM_REQ_GET_NESTED_STATE_PAGES when from_vmentry is false), guest-state checks, enter_guest_mode, prepare_vmcs02, the entry MSR-load list. Failed guest state or CR3 → reason 33; MSR-load failure → reason 34 with the 1-based index; then load_vmcs12_host_state.',
      source: 'kvm-nested-vmx.md §2.1, §7.3 step 19', callers: ['nested_vmx_run', 'vmx_set_nested_state'],
      callees: ['prepare_vmcs02_early', 'nested_get_vmcs12_pages', 'nested_vmx_check_vmentry_hw', 'nested_vmx_check_guest_state', 'enter_guest_mode', 'prepare_vmcs02', 'nested_vmx_load_msr', 'load_vmcs12_host_state'],
      related: ['EXIT_REASON_INVALID_STATE', 'EXIT_REASON_MSR_LOAD_FAIL', 'VMX_EXIT_REASONS_FAILED_VMENTRY'] }),
  fn('prepare_vmcs02_early', NESTED, [VE], 'Writes the vmcs02 controls that must be set before the guest state (pin, exec, secondary, entry/exit controls); sets entry IA32E_MODE/LOAD_EFER and exit LOAD_EFER only if cpu_has_load_ia32_efer().',
    { source: 'kvm-nested-vmx.md §5.3 (consumers)', callers: ['nested_vmx_enter_non_root_mode'], related: ['cpu_has_load_ia32_efer', 'VM_ENTRY_LOAD_IA32_EFER'] }),
  fn('prepare_vmcs02', NESTED, [VE, SNS], 'Loads L2 state from vmcs12 into vmcs02 and the vCPU: CR0 ownership, EPT MMU, CR0/CR4/EFER, then nested_vmx_load_cr3(GUEST_CR3) (ref §2.7).',
    { details: 'cr0_guest_owned_bits &= ~vmcs12 cr0_guest_host_mask and vmcs02 CR0_GUEST_HOST_MASK = ~owned; with vmcs12 EPT, nested_ept_init_mmu_context; vmx_set_cr0/cr4/efer; an illegal GUEST_CR3 → VM-exit 33 qualification 0, a PDPTE load failure → qualification 2.',
      source: 'kvm-nested-vmx.md §2.7', callers: ['nested_vmx_enter_non_root_mode'],
      callees: ['nested_vmx_transition_tlb_flush', 'nested_ept_init_mmu_context', 'vmx_set_cr0', 'vmx_set_cr4', 'nested_vmx_calc_efer', 'vmx_set_efer', 'nested_vmx_load_cr3'],
      checks: [
        { id: 'P1', fails: 'from VM-entry and vmx_guest_state_valid is false (L0 without unrestricted guest)', result: 'VM-exit 33, qualification 0' },
        { id: 'P2', fails: 'GUEST_CR3 not a legal CR3 (nested_vmx_load_cr3)', result: 'VM-exit 33, qualification 0' },
        { id: 'P3', fails: 'PAE paging without vmcs12 EPT and the PDPTEs cannot be loaded', result: 'VM-exit 33, qualification 2 (ENTRY_FAIL_PDPTE)' },
        { id: 'P4', fails: 'LOAD_PERF_GLOBAL_CTRL entry control and the MSR write fails', result: 'VM-exit 33, qualification 0' },
      ], history: WP_HISTORY, related: ['cr0_guest_owned_bits', 'CR0_GUEST_HOST_MASK', 'GUEST_CR3'] }),
  fn('nested_get_vmcs12_pages', NESTED, [VE, SNS], 'Maps the guest pages vmcs12 points at (APIC-access, virtual-APIC, posted-interrupt descriptor) and merges MSR bitmaps; reloads PDPTEs after a restore.',
    { details: 'APIC-access page map failure → KVM_EXIT_INTERNAL_ERROR. On restore it runs from vmx_get_nested_state_pages.', source: 'kvm-nested-vmx.md §7.4', callers: ['nested_vmx_enter_non_root_mode', 'vmx_get_nested_state_pages'], related: ['KVM_REQ_GET_NESTED_STATE_PAGES', 'KVM_EXIT_INTERNAL_ERROR'] }),
  fn('nested_vmx_load_cr3', NESTED, [VE, VX, SNS], 'Loads a CR3 from vmcs12 (GUEST_CR3 on entry, HOST_CR3 on exit) and re-initialises the MMU (ref §2.6).',
    { details: 'Fails (-EINVAL, qualification 0) if the CR3 is not a legal CR3 for the vCPU; with PAE paging, no nested EPT and PDPTE reload requested, a PDPTE load failure gives qualification 2. Then marks CR3 dirty, calls kvm_init_mmu unconditionally to pick up CR4 role changes, and kvm_mmu_new_pgd when nested EPT is off.',
      source: 'kvm-nested-vmx.md §2.6, §8', callers: ['prepare_vmcs02', 'load_vmcs12_host_state'], callees: ['kvm_vcpu_is_legal_cr3', 'load_pdptrs', 'kvm_init_mmu', 'kvm_mmu_new_pgd'],
      checks: [
        { id: 'C1', fails: 'cr3 is not a legal CR3 (kvm_vcpu_is_legal_cr3)', result: '-EINVAL, qualification 0' },
        { id: 'C2', fails: 'PDPTE reload requested, no nested EPT, PAE paging, load_pdptrs fails', result: '-EINVAL, qualification 2 (ENTRY_FAIL_PDPTE)' },
      ],
      history: [...LAM_HISTORY, ...MMU_HISTORY], related: ['kvm_vcpu_is_legal_cr3', 'kvm_init_mmu', 'prepare_vmcs02', 'load_vmcs12_host_state', 'GUEST_CR3', 'HOST_CR3'] }),
  fn('nested_vmx_load_msr', NESTED, [VE, VX], 'Processes a VM-entry or VM-exit MSR-load list from guest memory; returns 0 or the 1-based index of the failing entry (ref §3.4).',
    { details: 'At most (MISC[27:25]+1)·512 entries; rejects FS_BASE, GS_BASE, SMM_MONITOR_CTL, x2APIC MSRs when x2APIC is on, UCODE_WRITE, UCODE_REV and a non-zero reserved dword; entries before the failing one stay applied. Entry list failure → VM-exit 34; exit list failure → VMX abort 4.',
      source: 'kvm-nested-vmx.md §3.4', callers: ['nested_vmx_enter_non_root_mode', 'load_vmcs12_host_state'], callees: ['kvm_set_msr_with_filter'], related: ['EXIT_REASON_MSR_LOAD_FAIL', 'VMX_ABORT_LOAD_HOST_MSR_FAIL', 'VM_ENTRY_MSR_LOAD_COUNT'] }),
  fn('nested_vmx_store_msr', NESTED, [VX], 'Writes the VM-exit MSR-store list to guest memory; any failure is VMX abort 1 (ref §3.4).',
    { source: 'kvm-nested-vmx.md §3.4', callers: ['prepare_vmcs12'], related: ['VM_EXIT_MSR_STORE_ADDR', 'VMX_ABORT_SAVE_GUEST_MSR_FAIL'] }),
  fn('nested_vmx_transition_tlb_flush', NESTED, [VE, VX], 'Requests the TLB flush a nested transition needs: FLUSH_GUEST without vmcs12 VPID or when vpid12 changed; FLUSH_CURRENT when there is no distinct tag (ref §8).',
    { source: 'kvm-nested-vmx.md §8', callers: ['prepare_vmcs02', 'load_vmcs12_host_state'], related: ['KVM_REQ_TLB_FLUSH_GUEST', 'KVM_REQ_TLB_FLUSH_CURRENT'] }),
  fn('nested_ept_init_mmu_context', NESTED, [VE], 'With vmcs12 EPT: points arch.mmu at guest_mmu configured as a shadow-EPT MMU (kvm_init_shadow_ept_mmu) and walk_mmu at nested_mmu (ref §8).',
    { source: 'kvm-nested-vmx.md §8', callers: ['prepare_vmcs02'], callees: ['kvm_init_shadow_ept_mmu'] }),
  fn('nested_ept_uninit_mmu_context', NESTED, [VX], 'Back to L1: arch.mmu and walk_mmu point at root_mmu again (ref §3.2 step 5).',
    { source: 'kvm-nested-vmx.md §3.2', callers: ['load_vmcs12_host_state', 'nested_vmx_restore_host_state'] }),
  fn('nested_vmx_calc_efer', NESTED, [VE], 'EFER for L2: vmcs12 GUEST_IA32_EFER when run pending with LOAD_EFER, else L1 EFER with LMA/LME forced to IA32E_MODE_GUEST (ref §2.7).',
    { source: 'kvm-nested-vmx.md §2.7', callers: ['prepare_vmcs02'] }),
  fn('vmx_switch_vmcs', NESTED, [VE, VX], 'Makes vmcs01 or vmcs02 the loaded VMCS of the vCPU.', { source: 'kvm-nested-vmx.md §2.1, §3.1', callers: ['nested_vmx_enter_non_root_mode', 'nested_vmx_vmexit'] }),
  fn('enter_guest_mode', 'arch/x86/kvm/kvm_cache_regs.h', [VE], 'Marks the vCPU as running L2 (HF_GUEST_MASK) so is_guest_mode() is true.', { source: 'kvm-nested-vmx.md §2.1', related: ['leave_guest_mode', 'is_guest_mode'] }),
  fn('leave_guest_mode', 'arch/x86/kvm/kvm_cache_regs.h', [VX], 'Clears guest mode when L2 exits to L1.', { source: 'kvm-nested-vmx.md §3.1', related: ['enter_guest_mode'] }),
  fn('is_guest_mode', 'arch/x86/kvm/kvm_cache_regs.h', [], 'True while the vCPU runs L2; feeds guest_mode of the MMU role.', { source: 'kvm-nested-vmx.md §8' }),
  fn('vmx_guest_state_valid', 'arch/x86/kvm/vmx/vmx.h', [VE], 'Whether VMX can run the current guest state directly; only matters when L0 lacks unrestricted guest (check P1 of prepare_vmcs02).', { source: 'kvm-nested-vmx.md §2.5' }),
  // ── VMfail/VMsucceed helpers (§1.1) ────────────────────────────────────────────────────────
  fn('nested_vmx_succeed', NESTED, [], 'Reports success of an emulated VMX instruction: clears CF, PF, AF, ZF, SF, OF and skips the instruction (ref §1.1).', { source: 'kvm-nested-vmx.md §1.1', sdm: 'SDM Vol. 3C 31.2 (conventions)' }),
  fn('nested_vmx_failInvalid', NESTED, [VE], 'VMfailInvalid: sets CF, clears the other arithmetic flags; no error number (ref §1.1).', { source: 'kvm-nested-vmx.md §1.1', sdm: 'SDM Vol. 3C 31.2' }),
  fn('nested_vmx_failValid', NESTED, [VE], 'VMfailValid(err): sets ZF and writes err to vmcs12 VM_INSTRUCTION_ERROR (0x4400) (ref §1.1).', { source: 'kvm-nested-vmx.md §1.1', sdm: 'SDM Vol. 3C 31.2', related: ['VM_INSTRUCTION_ERROR'] }),
  fn('nested_vmx_fail', NESTED, [VE, VX], 'VMfailInvalid when there is no current VMCS (and no eVMCS), VMfailValid(err) otherwise (ref §1.1).', { source: 'kvm-nested-vmx.md §1.1', callees: ['nested_vmx_failInvalid', 'nested_vmx_failValid'] }),
  fn('nested_vmx_abort', NESTED, [VX], 'Emulates a VMX abort: requests KVM_REQ_TRIPLE_FAULT so L1 is reset; indicator 1 = MSR store, 2 = host PDPTE load, 4 = host MSR load (ref §1.1).', { source: 'kvm-nested-vmx.md §1.1', related: ['KVM_REQ_TRIPLE_FAULT', 'VMX_ABORT_LOAD_HOST_MSR_FAIL'] }),
  // ── VM-exit (§3) ───────────────────────────────────────────────────────────────────────────
  fn('__vmx_handle_exit', VMX, [VX, CR0W], 'VMX exit dispatcher: in guest mode asks nested_vmx_reflect_vmexit whether L1 handles the exit, else calls kvm_vmx_exit_handlers[reason].', { source: 'kvm-nested-vmx.md §2.1, §3.1', callers: ['vmx_handle_exit'], callees: ['nested_vmx_reflect_vmexit', 'nested_vmx_vmexit', 'handle_cr', 'handle_vmlaunch'] }),
  fn('vmx_handle_exit', VMX, [VX], 'Entry point for hardware VM-exits on VMX; wraps __vmx_handle_exit.', { source: 'kvm-nested-vmx.md §2.1', callees: ['__vmx_handle_exit'] }),
  fn('nested_vmx_reflect_vmexit', NESTED, [VX], 'Decides whether an exit from L2 goes to L1: late VM-Fail, or L1 wants it and L0 does not; then calls nested_vmx_vmexit (ref §3.1).', { source: 'kvm-nested-vmx.md §3.1', callers: ['__vmx_handle_exit'], callees: ['nested_vmx_l1_wants_exit', 'nested_vmx_vmexit'] }),
  fn('nested_vmx_l1_wants_exit', NESTED, [VX], 'Whether vmcs12 intercepts this exit reason (true for INVALID_STATE, so hardware invalid-guest-state exits go to L1).', { source: 'kvm-nested-vmx.md §2.5, §3.1', callers: ['nested_vmx_reflect_vmexit'] }),
  fn('nested_vmx_exit_handled_cr', NESTED, [VX, CR0W], 'For a CR access in L2: L1 gets the exit iff vmcs12 cr0_guest_host_mask & (new ^ cr0_read_shadow) ≠ 0 (CLTS/LMSW have their own rules) (ref §6).', { source: 'kvm-nested-vmx.md §6' }),
  fn('nested_vmx_vmexit', NESTED, [VX], 'Emulates a VM-exit from L2 to L1: syncs vmcs02 → vmcs12, prepare_vmcs12, switches to vmcs01, loads L1 host state (ref §3.1).',
    { details: 'Services a pending KVM_REQ_GET_NESTED_STATE_PAGES first (maps the eVMCS), leaves guest mode, and after a late VM-Fail reports VMfailValid 7 and restores L1 from vmcs01 instead of vmcs12.',
      source: 'kvm-nested-vmx.md §3.1', callers: ['nested_vmx_reflect_vmexit', 'vmx_leave_nested'],
      callees: ['nested_get_evmcs_page', 'sync_vmcs02_to_vmcs12', 'prepare_vmcs12', 'vmx_switch_vmcs', 'load_vmcs12_host_state', 'nested_vmx_restore_host_state'], history: EVMCS_HISTORY,
      related: ['load_vmcs12_host_state', 'prepare_vmcs12'] }),
  fn('sync_vmcs02_to_vmcs12', NESTED, [VX], 'Copies the guest state L2 left in vmcs02 back into vmcs12.', { source: 'kvm-nested-vmx.md §3.1', callers: ['nested_vmx_vmexit'] }),
  fn('prepare_vmcs12', NESTED, [VX], 'Writes exit reason and qualification into vmcs12; for a real exit also marks it launched, saves exit information and runs the MSR-store list (failure → VMX abort 1) (ref §3.1).', { source: 'kvm-nested-vmx.md §3.1', callers: ['nested_vmx_vmexit'], callees: ['nested_vmx_store_msr', 'vmcs12_guest_cr0'] }),
  fn('vmcs12_guest_cr0', NESTED, [VX, CR0W], 'GUEST_CR0 to save into vmcs12: L2-owned bits from vmcs02 GUEST_CR0, L1-intercepted bits from the old vmcs12 value, L0-only bits from CR0_READ_SHADOW (ref §6).', { source: 'kvm-nested-vmx.md §6' }),
  fn('load_vmcs12_host_state', NESTED, [VX, VE], 'Loads L1 state from the vmcs12 host-state area on an emulated VM-exit (also after a failed VM-entry) (ref §3.2).',
    { details: 'EFER, RSP/RIP, CR0 (after resetting cr0_guest_owned_bits to vmx_l1_guest_owned_cr0_bits()), CR4, nested_vmx_load_cr3(HOST_CR3) (PDPTE failure: VMX abort 2), segments, then the VM-exit MSR-load list (failure: VMX abort 4).',
      source: 'kvm-nested-vmx.md §3.2', callers: ['nested_vmx_vmexit', 'nested_vmx_enter_non_root_mode'],
      callees: ['vmx_set_efer', 'vmx_set_cr0', 'vmx_set_cr4', 'nested_ept_uninit_mmu_context', 'nested_vmx_load_cr3', 'nested_vmx_transition_tlb_flush', 'nested_vmx_load_msr', 'nested_vmx_abort'],
      history: WP_HISTORY, related: ['nested_vmx_vmexit', 'nested_vmx_load_cr3', 'vmx_l1_guest_owned_cr0_bits', 'HOST_CR0', 'HOST_CR3'] }),
  fn('nested_vmx_restore_host_state', NESTED, [VX], 'Late VM-Fail unwind: restores L1 from vmcs01 (not from vmcs12 host state), then kvm_mmu_reset_context; failures → VMX abort 4 (ref §3.3).',
    { source: 'kvm-nested-vmx.md §3.3', callers: ['nested_vmx_vmexit'], callees: ['nested_vmx_get_vmcs01_guest_efer', 'vmx_set_cr0', 'nested_ept_uninit_mmu_context', 'kvm_mmu_reset_context'], history: WP_HISTORY, related: ['vmx_l1_guest_owned_cr0_bits', 'CR0_READ_SHADOW'] }),
  fn('nested_vmx_get_vmcs01_guest_efer', NESTED, [VX], 'L1 EFER as vmcs01 holds it (guest EFER field or the autoload list), used by the late VM-Fail unwind.', { source: 'kvm-nested-vmx.md §3.3' }),
  fn('nested_flush_cached_shadow_vmcs12', NESTED, [VX], 'Writes the cached shadow vmcs12 back to guest memory on VM-exit.', { source: 'kvm-nested-vmx.md §3.1' }),
  // ── Nested state (§7) ──────────────────────────────────────────────────────────────────────
  fn('vmx_set_nested_state', NESTED, [SNS], 'KVM_SET_NESTED_STATE for VMX: validates the header, re-enters VMX operation, restores vmcs12 (and shadow vmcs12), runs the control/host/guest checks and re-enters L2 (ref §7.3).',
    { details: 'All header problems are -EINVAL. With KVM_STATE_NESTED_EVMCS and no vmcs12_pa, hv_evmcs_vmptr := EVMPTR_MAP_PENDING and KVM_REQ_GET_NESTED_STATE_PAGES is requested: guest memory is not touched here. vmcs12 content is validated only with GUEST_MODE; failures are -EINVAL (no VMfail, no VM-exit); the address-space-size check is not run.',
      source: 'kvm-nested-vmx.md §7.3', callers: ['kvm_arch_vcpu_ioctl'],
      callees: ['vmx_leave_nested', 'enter_vmx_operation', 'set_current_vmptr', 'nested_vmx_check_controls', 'nested_vmx_check_host_state', 'nested_vmx_check_guest_state', 'nested_vmx_enter_non_root_mode'],
      checks: [
        { id: 'S1', fails: 'format ≠ KVM_STATE_NESTED_FORMAT_VMX', result: '-EINVAL' },
        { id: 'S2', fails: 'no vmxon_pa but smm flags, a vmcs12_pa or flags other than EVMCS; or vmxon_pa set without VMX CPUID or not page aligned/legal', result: '-EINVAL' },
        { id: 'S3', fails: 'SMM flags inconsistent with GUEST_MODE/RUN_PENDING, or unknown hdr.vmx.flags', result: '-EINVAL' },
        { id: 'S4', fails: 'EVMCS flag without VMX CPUID or without the eVMCS capability enabled', result: '-EINVAL' },
        { id: 'S5', fails: 'vmcs12_pa equal to vmxon_pa or not page aligned/legal; no vmcs12_pa and no EVMCS flag while a vmcs12 is supplied', result: '-EINVAL' },
        { id: 'S6', fails: 'vmcs12 (or shadow vmcs12) revision ≠ VMCS12_REVISION', result: '-EINVAL' },
        { id: 'S7', fails: 'GUEST_MODE and the control, host-state or guest-state checks fail', result: '-EINVAL' },
      ], history: EVMCS_HISTORY, related: ['KVM_SET_NESTED_STATE', 'kvm_vmx_nested_state_hdr', 'EVMPTR_MAP_PENDING', 'KVM_REQ_GET_NESTED_STATE_PAGES'] }),
  fn('vmx_get_nested_state', NESTED, [SNS], 'KVM_GET_NESTED_STATE for VMX: fills kvm_vmx_nested_state_hdr and copies vmcs12 (and shadow vmcs12) to userspace (ref §7.5).',
    { details: 'KVM_STATE_NESTED_EVMCS is reported while hv_evmcs_vmptr is set, including EVMPTR_MAP_PENDING, so GET right after SET keeps the flag. A too-small buffer only gets the required size.',
      source: 'kvm-nested-vmx.md §7.5', callers: ['kvm_arch_vcpu_ioctl'], history: EVMCS_HISTORY, related: ['KVM_GET_NESTED_STATE', 'kvm_vmx_nested_state_hdr', 'vmx_has_valid_vmcs12'] }),
  fn('vmx_has_valid_vmcs12', NESTED_H, [SNS], 'Whether there is a vmcs12 to migrate: a current VMCS pointer or an eVMCS pointer that is set (MAP_PENDING counts).', { source: 'kvm-nested-vmx.md §7.5' }),
  fn('vmx_leave_nested', NESTED, [SNS], 'Forces the vCPU out of nested operation (emulated exit with reason -1, no vmcs12 update) and frees nested state (ref §7.3 step 7).', { source: 'kvm-nested-vmx.md §7.3', callers: ['vmx_set_nested_state'], callees: ['nested_vmx_vmexit'] }),
  fn('enter_vmx_operation', NESTED, [SNS], 'Allocates what VMX operation needs (shadow VMCS, vmcs02, caches) as VMXON does; errors such as -ENOMEM propagate.', { source: 'kvm-nested-vmx.md §7.3 step 9', callers: ['vmx_set_nested_state'] }),
  fn('set_current_vmptr', NESTED, [SNS], 'Makes a GPA the current VMCS pointer (as VMPTRLD does) and marks vmcs12 dirty.', { source: 'kvm-nested-vmx.md §7.3 step 11', callers: ['vmx_set_nested_state'] }),
  fn('vmx_get_nested_state_pages', NESTED, [SNS], 'Services KVM_REQ_GET_NESTED_STATE_PAGES on the first KVM_RUN after a restore: maps the eVMCS (nested_get_evmcs_page) then the vmcs12 pages (ref §7.4).', { source: 'kvm-nested-vmx.md §7.4', callers: ['vcpu_enter_guest'], callees: ['nested_get_evmcs_page', 'nested_get_vmcs12_pages'], history: EVMCS_HISTORY }),
  fn('nested_get_evmcs_page', NESTED, [SNS, VX], 'Maps a restored eVMCS when hv_evmcs_vmptr is EVMPTR_MAP_PENDING; failure → KVM_EXIT_INTERNAL_ERROR (ref §7.4).', { source: 'kvm-nested-vmx.md §7.4', callers: ['vmx_get_nested_state_pages', 'nested_vmx_vmexit'], callees: ['nested_vmx_handle_enlightened_vmptrld'], history: EVMCS_HISTORY, related: ['EVMPTR_MAP_PENDING'] }),
  fn('kvm_arch_vcpu_ioctl', X86, [SNS], 'x86 vCPU ioctl dispatcher; for KVM_SET_NESTED_STATE it checks the generic header (size ≥ 128, known flags, RUN_PENDING only with GUEST_MODE) first.', { source: 'kvm-nested-vmx.md §7.3', callees: ['vmx_set_nested_state', 'vmx_get_nested_state'] }),
  fn('vcpu_enter_guest', X86, [SNS], 'Runs pending requests (e.g. KVM_REQ_GET_NESTED_STATE_PAGES) and enters the guest.', { source: 'kvm-nested-vmx.md §7.4', callees: ['vmx_get_nested_state_pages'] }),
  // ── Module load (§5) ───────────────────────────────────────────────────────────────────────
  fn('vmx_init', VMX, [ML], 'kvm_intel module init: checks VMX support, then kvm_x86_vendor_init and kvm_init (ref §5.1).', { source: 'kvm-nested-vmx.md §5.1', callees: ['kvm_is_vmx_supported', 'kvm_x86_vendor_init'] }),
  fn('kvm_is_vmx_supported', VMX, [ML], 'CPUID.1:ECX.VMX and VMX enabled in IA32_FEAT_CTL; otherwise kvm_intel fails with -EOPNOTSUPP.', { source: 'kvm-nested-vmx.md §5.1', related: ['MSR_IA32_FEAT_CTL'], callers: ['vmx_init'] }),
  fn('__kvm_is_vmx_supported', VMX, [ML], 'Per-CPU VMX support check used by vmx_check_processor_compat.', { source: 'kvm-nested-vmx.md §5.1' }),
  fn('kvm_x86_vendor_init', X86, [ML], 'Registers the vendor module with KVM x86: hardware setup, then a per-CPU compatibility check.', { source: 'kvm-nested-vmx.md §5.1', callees: ['__kvm_x86_vendor_init'] }),
  fn('__kvm_x86_vendor_init', X86, [ML], 'Body of kvm_x86_vendor_init: calls ops->hardware_setup (vmx_hardware_setup) and kvm_x86_check_processor_compatibility on each CPU.', { source: 'kvm-nested-vmx.md §5.1', callees: ['vmx_hardware_setup', 'kvm_x86_check_processor_compatibility'] }),
  fn('vmx_hardware_setup', VMX, [ML], 'kvm_intel hardware setup: setup_vmcs_config (failure → -EIO), feature trimming from module params, nested capability MSRs (ref §5.1).',
    { source: 'kvm-nested-vmx.md §5.1', callees: ['setup_vmcs_config', 'nested_vmx_setup_ctls_msrs', 'nested_vmx_hardware_setup'], aliases: ['hardware_setup'],
      history: [{ era: 'older kernels (rename version unverified)', change: 'named hardware_setup (the name in the CR0.WP patch, seed 002); the draft lazycr0 param would have been cleared here without EPT.' }] }),
  fn('setup_vmcs_config', VMX, [ML], 'Computes the VMCS controls kvm_intel will use from the VMX capability MSRs at module load (ref §5.3).',
    { details: 'adjust_vmx_controls for primary, secondary (MSR 0x48B), exit, pin and entry controls (-EIO when a required bit is missing); EPT/VPID capability consistency; VM-entry/VM-exit pair sanitising over vmcs_entry_exit_pairs; VMX_BASIC size, width and memory type checks.',
      source: 'kvm-nested-vmx.md §5.3', sdm: 'SDM Vol. 3D Appendix A.3–A.5 (VMX capability MSRs)', callers: ['vmx_hardware_setup', 'vmx_check_processor_compat'], callees: ['adjust_vmx_controls', 'adjust_vmx_controls64'],
      checks: [
        { id: 'M1', fails: 'a required (min) control bit is not allowed by its capability MSR', result: '-EIO' },
        { id: 'M2', fails: 'EPT or VPID capabilities reported without the matching secondary control', result: '-EIO with error_on_inconsistent_vmcs_config (default), else caps cleared' },
        { id: 'M3', fails: 'exactly one side of a vmcs_entry_exit_pairs pair supported', result: '-EIO with error_on_inconsistent_vmcs_config (default), else both cleared with a warning' },
        { id: 'M4', fails: 'VMX_BASIC: VMCS size > 4096, 32-bit-PA-only on 64-bit, or memory type not WB', result: '-EIO' },
      ], history: PAIR_HISTORY, related: ['adjust_vmx_controls', 'MSR_IA32_VMX_PROCBASED_CTLS2', 'MSR_IA32_VMX_EPT_VPID_CAP', 'error_on_inconsistent_vmcs_config', 'vmcs_entry_exit_pairs', 'vmcs_config'] }),
  fn('adjust_vmx_controls', VMX, [ML], 'Fits wanted control bits to a capability MSR: ((min|opt) & allowed-1) | allowed-0; -EIO if a required bit is missing (ref §5.2).',
    { details: 'The low dword of the capability MSR lists bits that must be 1, the high dword bits that may be 1.', source: 'kvm-nested-vmx.md §5.2', sdm: 'SDM Vol. 3D Appendix A.3', callers: ['setup_vmcs_config'], related: ['setup_vmcs_config'] }),
  fn('adjust_vmx_controls64', VMX, [ML], 'Tertiary controls: the wanted bits ANDed with the 64-bit allowed-1 MSR (0x492).', { source: 'kvm-nested-vmx.md §5.2', callers: ['setup_vmcs_config'], related: ['MSR_IA32_VMX_PROCBASED_CTLS3'] }),
  fn('vmx_check_processor_compat', VMX, [ML], 'Per-CPU check at load: setup_vmcs_config on this CPU must succeed and equal the boot CPU\'s vmcs_config, else -EIO.', { source: 'kvm-nested-vmx.md §5.1', callers: ['kvm_x86_check_processor_compatibility'], callees: ['setup_vmcs_config', 'nested_vmx_setup_ctls_msrs'] }),
  fn('kvm_x86_check_processor_compatibility', X86, [ML], 'Per-CPU: CR4 reserved bits must match the boot CPU, then the vendor compat check.', { source: 'kvm-nested-vmx.md §5.1', callees: ['vmx_check_processor_compat'] }),
  fn('nested_vmx_setup_ctls_msrs', NESTED, [ML], 'Computes the VMX capability MSR values KVM reports to L1 from vmcs_config and module params (ref §1.3).',
    { details: 'CR0_FIXED0 = PE|PG|NE, CR4_FIXED0 = VMXE, VMX_BASIC revision 0x11e57ed0 with TRUE_CTLS, secondary controls filtered by ept/vpid/unrestricted_guest, CR3-target count 0.', source: 'kvm-nested-vmx.md §1.3', callers: ['vmx_hardware_setup', 'vmx_check_processor_compat'] }),
  fn('nested_vmx_hardware_setup', NESTED, [ML], 'Installs the nested exit handlers (handle_vmlaunch, handle_vmresume, ...) into kvm_vmx_exit_handlers.', { source: 'kvm-nested-vmx.md §2.1, §5.1' }),
  fn('vmx_check_entry_exit_pairs', VMX, [ML], 'Later (2025) helper that checks VM-entry/VM-exit control pairs; not in v6.12, where the loop sits inside setup_vmcs_config.', { source: 'kvm-nested-vmx.md §5.3', inV612: false, history: PAIR_HISTORY }),
  fn('cpu_has_load_ia32_efer', CAPS, [ML, VE], 'Whether KVM uses the VM-entry/VM-exit EFER load controls: entry control bit only since pair sanitising (both bits before).',
    { source: 'kvm-nested-vmx.md §5.3', history: PAIR_HISTORY, related: ['VM_ENTRY_LOAD_IA32_EFER', 'VM_EXIT_LOAD_IA32_EFER'] }),
  fn('cpu_has_load_perf_global_ctrl', CAPS, [ML], 'Whether KVM can load PERF_GLOBAL_CTRL on entry/exit: entry bit only since pair sanitising.', { source: 'kvm-nested-vmx.md §5.3', history: PAIR_HISTORY }),
  fn('cpu_has_vmx_mpx', CAPS, [ML], 'MPX support for guests: VM_ENTRY_LOAD_BNDCFGS (paired with VM_EXIT_CLEAR_BNDCFGS).', { source: 'kvm-nested-vmx.md §5.3', history: PAIR_HISTORY }),
  fn('cpu_has_vmx_intel_pt', CAPS, [ML], 'Intel PT in guests: needs VMX_MISC_INTEL_PT, secondary PT_USE_GPA and entry LOAD_IA32_RTIT_CTL (exit CLEAR_RTIT_CTL no longer tested separately).', { source: 'kvm-nested-vmx.md §5.3', history: PAIR_HISTORY }),
  fn('cpu_has_sgx', VMX, [ML], 'Whether the host has SGX; setup_vmcs_config wants ENCLS exiting only then.', { source: 'kvm-nested-vmx.md §5.3' }),
  fn('evmcs_sanitize_exec_ctrls', 'arch/x86/kvm/vmx/vmx_onhyperv.c', [ML], 'When KVM itself runs on Hyper-V with eVMCS, drops controls the eVMCS cannot hold.', { source: 'kvm-nested-vmx.md §5.3' }),
  fn('vmx_set_constant_host_state', VMX, [], 'Writes host-state fields that never change; HOST_IA32_EFER only when cpu_has_load_ia32_efer().', { source: 'kvm-nested-vmx.md §5.3' }),
  fn('vmx_set_vmx_msr', NESTED, [], 'Userspace write of a nested VMX capability MSR (KVM_SET_MSRS): only before VMXON (-EBUSY), only restricting (ref §1.3).', { source: 'kvm-nested-vmx.md §1.3' }),
  fn('nested_vmx_cr_fixed1_bits_update', VMX, [], 'Recomputes nested CR4_FIXED1 from guest CPUID (PCE always; LAM_SUP iff CPUID.(7,1):EAX.LAM).', { source: 'kvm-nested-vmx.md §1.3, §4', related: ['X86_CR4_LAM_SUP', 'MSR_IA32_VMX_CR4_FIXED1'] }),
  fn('vmx_vcpu_after_set_cpuid', VMX, [], 'Refreshes VMX per-vCPU state after KVM_SET_CPUID2, including the LAM governed feature and nested fixed-1 bits.', { source: 'kvm-nested-vmx.md §4' }),
  fn('init_vmcs', VMX, [CR0W], 'Initialises vmcs01 at vCPU creation; sets cr0_guest_owned_bits = vmx_l1_guest_owned_cr0_bits() and CR0_GUEST_HOST_MASK from it.', { source: 'kvm-nested-vmx.md §6', history: WP_HISTORY, related: ['cr0_guest_owned_bits', 'CR0_GUEST_HOST_MASK'] }),
  fn('vm_entry_controls_set', VMX_H, [], 'Writes VM_ENTRY_CONTROLS through KVM\'s shadow cache of the control (generated by BUILD_CONTROLS_SHADOW).', { source: 'arch/x86/kvm/vmx/vmx.h' }),
  fn('vmx_vmentry_ctrl', VMX_H, [], 'The VM-entry controls KVM uses for L1 (vmcs_config entry controls minus the ones it toggles dynamically).', { source: 'arch/x86/kvm/vmx/vmx.c' }),
  fn('set_cr4_guest_host_mask', VMX, [], 'Computes cr4_guest_owned_bits and writes CR4_GUEST_HOST_MASK.', { source: 'kvm-nested-vmx.md §3.2' }),
  // ── CR0 (§6) ───────────────────────────────────────────────────────────────────────────────
  fn('handle_cr', VMX, [CR0W], 'Exit handler for CR accesses (exit reason 28); MOV to CR0 goes to handle_set_cr0, MOV to CR3 to kvm_set_cr3.', { source: 'kvm-nested-vmx.md §6', callees: ['handle_set_cr0', 'kvm_set_cr3'], related: ['EXIT_REASON_CR_ACCESS'] }),
  fn('handle_set_cr0', VMX, [CR0W], 'MOV to CR0: in guest mode merges L2-owned bits of the new value with L1-owned bits of vmcs12 guest_cr0, then kvm_set_cr0 and CR0_READ_SHADOW.', { source: 'kvm-nested-vmx.md §6', callers: ['handle_cr'], callees: ['kvm_set_cr0'] }),
  fn('kvm_set_cr0', X86, [CR0W], 'Architectural CR0 write: validity (kvm_is_valid_cr0), long-mode and PDPTR rules, then vmx_set_cr0 and kvm_post_set_cr0 (ref §6).', { source: 'kvm-nested-vmx.md §6', callers: ['handle_set_cr0'], callees: ['kvm_is_valid_cr0', 'vmx_set_cr0', 'kvm_post_set_cr0', 'load_pdptrs'],
    checks: [
      { id: 'W1', fails: 'bits 63:32 set, NW without CD, or PG without PE', result: '#GP' },
      { id: 'W2', fails: 'VMX: CR0 outside the nested fixed bits in VMX operation (vmx_is_valid_cr0)', result: '#GP' },
      { id: 'W3', fails: 'enabling paging with LME but without PAE or with CS.L; clearing PG in 64-bit mode or with PCIDE', result: '#GP' },
    ] }),
  fn('kvm_is_valid_cr0', X86, [CR0W], 'Architectural CR0 validity plus the vendor check (vmx_is_valid_cr0).', { source: 'kvm-nested-vmx.md §6', callees: ['vmx_is_valid_cr0'] }),
  fn('vmx_is_valid_cr0', VMX, [CR0W], 'In L2: nested_guest_cr0_valid; in VMX root: nested_host_cr0_valid.', { source: 'kvm-nested-vmx.md §6' }),
  fn('vmx_set_cr0', VMX, [CR0W, VE, VX], 'Loads CR0 into the VMCS: hardware CR0 drops NW|CD and forces NE (and PG|PE without unrestricted guest, WP without EPT); CR0_READ_SHADOW = value; long-mode enter/exit.', { source: 'kvm-nested-vmx.md §6' }),
  fn('vmx_set_cr4', VMX, [VE, VX], 'Loads CR4 into the VMCS and the vCPU (does not reset the MMU itself).', { source: 'kvm-nested-vmx.md §2.7, §8' }),
  fn('vmx_set_efer', VMX, [VE, VX], 'Loads EFER for the vCPU (does not reset the MMU itself).', { source: 'kvm-nested-vmx.md §2.7, §8' }),
  fn('kvm_post_set_cr0', X86, [CR0W], 'MMU side of a CR0 write: WP-only toggle with TDP → kvm_init_mmu only; PG or WP change otherwise → kvm_mmu_reset_context (ref §6).',
    { source: 'kvm-nested-vmx.md §6', callers: ['kvm_set_cr0'], callees: ['kvm_init_mmu', 'kvm_mmu_reset_context'], related: ['KVM_MMU_CR0_ROLE_BITS', 'X86_CR0_WP'],
      history: [{ era: 'v6.4 (CR0.WP series)', change: 'WP-only toggle with TDP no longer unloads MMU roots; only kvm_init_mmu.' }] }),
  fn('vmx_l1_guest_owned_cr0_bits', VMX_H, [CR0W, VX], 'CR0 bits L1 may change without a VM-exit: KVM_POSSIBLE_CR0_GUEST_BITS (TS|WP), minus WP when ept=0 (v6.4+).',
    { details: 'WP must be intercepted when KVM shadows the guest\'s page tables, so the optimisation is limited to EPT.', source: 'kvm-nested-vmx.md §6', history: WP_HISTORY, aliases: ['vmx_guest_owned_cr0_bits'],
      related: ['KVM_POSSIBLE_CR0_GUEST_BITS', 'cr0_guest_owned_bits', 'ept', 'load_vmcs12_host_state', 'init_vmcs'] }),
  fn('kvm_read_cr0_bits', 'arch/x86/kvm/kvm_cache_regs.h', [CR0W], 'Reads CR0 bits; VMREADs GUEST_CR0 only if the mask touches guest-owned bits not yet cached.', { source: 'kvm-nested-vmx.md §6' }),
  fn('vmx_cache_reg', VMX, [CR0W], 'Fills a register cache on demand (for CR0: merges GUEST_CR0 & owned bits into arch.cr0).', { source: 'kvm-nested-vmx.md §6' }),
  fn('permission_fault', 'arch/x86/kvm/mmu.h', [CR0W], 'Software permission check of a guest walk; with TDP it first refreshes CR0.WP in the MMU role (kvm_mmu_refresh_passthrough_bits).', { source: 'kvm-nested-vmx.md §6', callees: ['kvm_mmu_refresh_passthrough_bits'] }),
  fn('kvm_mmu_refresh_passthrough_bits', 'arch/x86/kvm/mmu.h', [CR0W], 'Re-reads guest-owned CR0.WP for non-nested MMUs and updates cpu_role.base.cr0_wp when stale.', { source: 'kvm-nested-vmx.md §6', callees: ['__kvm_mmu_refresh_passthrough_bits'] }),
  fn('__kvm_mmu_refresh_passthrough_bits', MMU, [CR0W], 'Updates cr0_wp in the MMU role and recomputes permission metadata (reset_guest_paging_metadata).', { source: 'kvm-nested-vmx.md §6', callees: ['reset_guest_paging_metadata'] }),
  fn('reset_guest_paging_metadata', MMU, [CR0W], 'Recomputes the MMU\'s permission and paging tables from its role.', { source: 'kvm-nested-vmx.md §6' }),
  // ── CR3 and LAM (§4) ───────────────────────────────────────────────────────────────────────
  fn('kvm_set_cr3', X86, [CR3W], 'Guest MOV to CR3: an illegal CR3 (kvm_vcpu_is_legal_cr3 false) → #GP; PDPTE reload in PAE mode; then the MMU loads the new PGD.', { source: 'kvm-nested-vmx.md §4', callers: ['handle_cr'], callees: ['kvm_vcpu_is_legal_cr3', 'load_pdptrs', 'kvm_mmu_new_pgd'], history: LAM_HISTORY,
    checks: [{ id: 'L1', fails: 'CR3 has a bit at or above MAXPHYADDR (LAM bits excepted when usable)', result: '#GP (kvm_set_cr3 returns 1)' }] }),
  fn('kvm_is_valid_sregs', X86, [CR3W], 'KVM_SET_SREGS validity; in long mode CR3 must pass kvm_vcpu_is_legal_cr3 (-EINVAL otherwise).', { source: 'kvm-nested-vmx.md §4', callees: ['kvm_vcpu_is_legal_cr3'], history: LAM_HISTORY }),
  fn('kvm_vcpu_is_legal_cr3', CPUID_H, [CR3W, VE, VX, SNS], 'Legal CR3: clears bits 61/62 (LAM_U57/LAM_U48) when the guest can use LAM, then requires a legal GPA (no bit ≥ guest MAXPHYADDR). Mode-agnostic (ref §1.2, §4).',
    { source: 'kvm-nested-vmx.md §1.2, §4', callers: ['kvm_set_cr3', 'kvm_is_valid_sregs', 'nested_vmx_check_host_state', 'nested_vmx_load_cr3'], callees: ['kvm_vcpu_is_legal_gpa'], history: LAM_HISTORY,
      related: ['X86_CR3_LAM_U48', 'X86_CR3_LAM_U57', 'kvm_vcpu_is_legal_gpa', 'cr3_ctrl_bits'] }),
  fn('kvm_vcpu_is_legal_gpa', CPUID_H, [CR3W], 'No bit set in vcpu->arch.reserved_gpa_bits (bits from guest MAXPHYADDR to 63) (ref §1.2).', { source: 'kvm-nested-vmx.md §1.2', related: ['kvm_vcpu_is_illegal_gpa', 'kvm_vcpu_is_legal_cr3'] }),
  fn('kvm_vcpu_is_illegal_gpa', CPUID_H, [CR3W], 'Negation of kvm_vcpu_is_legal_gpa; the CR3 test in ~v5.12–v6.7, replaced by !kvm_vcpu_is_legal_cr3 for LAM.', { source: 'kvm-nested-vmx.md §4', history: LAM_HISTORY }),
  fn('nested_cr3_valid', NESTED, [VE], 'Old (≤ ~v5.11) nested CR3 test: no bit at or above MAXPHYADDR.', { source: 'kvm-nested-vmx.md §4', inV612: false, history: LAM_HISTORY }),
  fn('kvm_vcpu_is_legal_aligned_gpa', CPUID_H, [], 'Aligned to the given size and a legal GPA (MSR-list addresses use 16).', { source: 'kvm-nested-vmx.md §1.2' }),
  fn('page_address_valid', NESTED, [VE], 'A legal GPA aligned to 4 KiB (bitmaps, APIC pages, VMXON/VMCS pointers).', { source: 'kvm-nested-vmx.md §1.2' }),
  fn('kvm_vcpu_reserved_gpa_bits_raw', CPUID_H, [], 'Bits from guest MAXPHYADDR (CPUID 0x80000008) to 63.', { source: 'kvm-nested-vmx.md §1.2' }),
  fn('kvm_get_active_cr3_lam_bits', 'arch/x86/kvm/mmu.h', [CR3W], 'The LAM bits of a CR3 that are active (only if the guest can use LAM); vmx_load_mmu_pgd re-adds them to the shadow CR3.', { source: 'kvm-nested-vmx.md §4', aliases: ['kvm_get_active_cr3_ctrl_bits'], history: [{ era: 'LAM v7 draft (seed 000)', change: 'named kvm_get_active_cr3_ctrl_bits, based on cr3_ctrl_bits' }, { era: 'v6.8+', change: 'kvm_get_active_cr3_lam_bits' }] }),
  fn('vmx_load_mmu_pgd', VMX, [CR3W], 'Writes the root to the VMCS: EPTP with EPT; without EPT, GUEST_CR3 = root | active PCID | active LAM bits.', { source: 'kvm-nested-vmx.md §4', related: ['kvm_get_active_cr3_lam_bits'] }),
  fn('vmx_get_untagged_addr', VMX, [], 'Strips LAM metadata from a linear address for VMX instruction operands (user: U57 → sign-extend bit 56, U48 → bit 47; supervisor only with CR4.LAM_SUP).', { source: 'kvm-nested-vmx.md §4' }),
  fn('get_vmx_mem_address', NESTED, [], 'Decodes the memory operand of a VMX instruction (untagged with LAM).', { source: 'kvm-nested-vmx.md §4' }),
  fn('mmu_alloc_shadow_roots', MMU, [CR3W], 'Shadow paging roots; the root GFN comes from the guest PGD masked with __PT_BASE_ADDR_MASK (bits 51:12), so LAM bits never reach it.', { source: 'kvm-nested-vmx.md §4', related: ['__PT_BASE_ADDR_MASK'], history: [{ era: 'LAM v7 (seed 000)', change: 'root_gfn computed as (root_pgd & __PT_BASE_ADDR_MASK) >> PAGE_SHIFT instead of masking cr3_ctrl_bits (the PGD may be an EPTP).' }] }),
  fn('mmu_check_root', MMU, [], 'Rejects a root GFN outside guest memory (then KVM requests a triple fault).', { source: 'arch/x86/kvm/mmu/mmu.c' }),
  fn('load_pdptrs', X86, [VE, VX, CR0W, CR3W], 'Reads the four PAE PDPTEs at CR3; fails if unreadable or a present entry has reserved bits.', { source: 'kvm-nested-vmx.md §2.6' }),
  fn('nested_svm_load_cr3', 'arch/x86/kvm/svm/nested.c', [], 'SVM counterpart of nested_vmx_load_cr3 (same legality test and unconditional kvm_init_mmu).', { source: 'kvm-nested-vmx.md §4, §8', history: MMU_HISTORY }),
  fn('__kvm_is_valid_cr4', X86, [], 'No CR4 bit in cr4_reserved_bits nor in the vCPU\'s cr4_guest_rsvd_bits (LAM_SUP reserved without guest LAM).', { source: 'kvm-nested-vmx.md §1.2' }),
  fn('guest_can_use', CPUID_H, [CR3W], 'KVM "governed feature" test (v6.8–6.13): guest CPUID has the feature and KVM supports it (used for LAM).', { source: 'kvm-nested-vmx.md §4', history: [{ era: '6.14-ish', change: 'renamed guest_cpu_cap_has' }] }),
  fn('guest_cpu_cap_has', CPUID_H, [], 'Later name of guest_can_use (not in v6.12).', { source: 'kvm-nested-vmx.md §4', inV612: false }),
  // ── Predicates (§1.2) ──────────────────────────────────────────────────────────────────────
  fn('fixed_bits_valid', 'arch/x86/kvm/vmx/nested.h', [VE], '((v & fixed1) | fixed0) == v: every fixed-0 (must-be-1) bit set, nothing outside fixed-1.', { source: 'kvm-nested-vmx.md §1.2' }),
  fn('vmx_control_verify', NESTED, [VE], 'Control value respects allowed-0 (low, must be 1) and allowed-1 (high, may be 1) settings.', { source: 'kvm-nested-vmx.md §1.2', sdm: 'SDM Vol. 3D Appendix A.3' }),
  fn('nested_host_cr0_valid', NESTED_H, [VE, CR0W], 'fixed_bits_valid(cr0, nested CR0_FIXED0, CR0_FIXED1).', { source: 'kvm-nested-vmx.md §1.2' }),
  fn('nested_guest_cr0_valid', NESTED_H, [VE, CR0W], 'As nested_host_cr0_valid, but PE and PG drop out of fixed-0 when L1 may use and enables unrestricted guest.', { source: 'kvm-nested-vmx.md §1.2' }),
  fn('nested_cr4_valid', NESTED_H, [VE], 'CR4 within the nested fixed bits and not reserved for the vCPU (__kvm_is_valid_cr4).', { source: 'kvm-nested-vmx.md §1.2' }),
  fn('kvm_valid_efer', X86, [VE], 'No reserved EFER bit; AUTOIBRS, FFXSR, SVME, LME/LMA, NX only with the matching guest CPUID.', { source: 'kvm-nested-vmx.md §1.2' }),
  fn('kvm_pat_valid', 'arch/x86/kvm/x86.h', [VE], 'Each PAT byte is a valid memory type (0, 1, 4, 5, 6 or 7).', { source: 'kvm-nested-vmx.md §1.2' }),
  fn('kvm_dr7_valid', 'arch/x86/kvm/x86.h', [VE], 'DR7 bits 63:32 clear.', { source: 'kvm-nested-vmx.md §1.2' }),
  fn('is_noncanonical_address', 'arch/x86/kvm/x86.h', [VE], 'Non-canonical for 57 bits if the vCPU has CR4.LA57, else 48 bits (v6.12; split in 6.13).', { source: 'kvm-nested-vmx.md §1.2, §9' }),
  fn('is_noncanonical_msr_address', 'arch/x86/kvm/x86.h', [], '6.13 series: canonical check of MSR-like values using the host-supported width.', { source: 'kvm-nested-vmx.md §9', inV612: false }),
  fn('is_noncanonical_base_address', 'arch/x86/kvm/x86.h', [], '6.13 series: canonical check of segment/descriptor-table bases using the host-supported width.', { source: 'kvm-nested-vmx.md §9', inV612: false }),
  // ── MMU (§8) ───────────────────────────────────────────────────────────────────────────────
  fn('kvm_init_mmu', MMU, [VE, VX, CR0W], 'Recomputes the MMU role and configures the nested, TDP or shadow MMU; returns early when the role is unchanged (ref §8).',
    { details: 'Called unconditionally from nested_vmx_load_cr3 so that CR0/CR4/EFER just loaded for L1/L2 (vmx_set_cr0/cr4/efer do not reset the MMU) are picked up, e.g. LA57, SMEP, PKE and guest_mode.',
      source: 'kvm-nested-vmx.md §8', callers: ['nested_vmx_load_cr3', 'kvm_post_set_cr0', 'kvm_mmu_reset_context'], callees: ['kvm_calc_cpu_role', 'init_kvm_nested_mmu', 'init_kvm_tdp_mmu', 'init_kvm_softmmu'], history: MMU_HISTORY,
      related: ['kvm_mmu_page_role', 'kvm_mmu_extended_role', 'kvm_mmu_reset_context'] }),
  fn('kvm_mmu_reset_context', MMU, [CR0W, VX], 'Unloads the MMU roots and calls kvm_init_mmu (heavier than kvm_init_mmu alone).', { source: 'kvm-nested-vmx.md §8', callees: ['kvm_mmu_unload', 'kvm_init_mmu'] }),
  fn('kvm_mmu_unload', MMU, [CR0W], 'Frees the current MMU roots.', { source: 'kvm-nested-vmx.md §6' }),
  fn('kvm_mmu_new_pgd', MMU, [VE, VX, CR3W], 'Switches to the root for a new guest PGD, reusing a cached root when possible.', { source: 'kvm-nested-vmx.md §2.6' }),
  fn('kvm_calc_cpu_role', MMU, [], 'Builds the full CPU role (base page role + extended role) from CR0, CR4, EFER, SMM and guest mode (ref §8).', { source: 'kvm-nested-vmx.md §8', related: ['kvm_mmu_page_role', 'kvm_mmu_extended_role', 'kvm_cpu_role'] }),
  fn('init_kvm_tdp_mmu', MMU, [], 'Configures the TDP (EPT) MMU; root role direct, cr0_wp=1, efer_nx=1.', { source: 'kvm-nested-vmx.md §8' }),
  fn('init_kvm_softmmu', MMU, [], 'Configures shadow paging; root role = CPU role with level ≥ 3 and efer_nx forced.', { source: 'kvm-nested-vmx.md §8' }),
  fn('init_kvm_nested_mmu', MMU, [], 'Configures the walker for L2 addresses when L2 runs on L1\'s EPT/NPT.', { source: 'kvm-nested-vmx.md §8' }),
  fn('kvm_init_shadow_ept_mmu', MMU, [VE], 'Shadow-EPT MMU for nested EPT: level from the EPTP, A/D from the EPTP, execonly from caps, guest_mode 1.', { source: 'kvm-nested-vmx.md §8' }),
  fn('mmu_is_nested', 'arch/x86/kvm/x86.h', [], 'True when walk_mmu is the nested MMU (L2 walked through L1\'s EPT/NPT).', { source: 'kvm-nested-vmx.md §8' }),
  fn('kvm_service_local_tlb_flush_requests', X86, [VE, VX], 'Performs pending local TLB flush requests before a nested transition.', { source: 'kvm-nested-vmx.md §2.1' }),
  fn('kvm_set_msr_with_filter', X86, [VE, VX], 'MSR write that honours userspace MSR filters (used for MSR-load lists).', { source: 'kvm-nested-vmx.md §3.4' }),
  fn('nested_cpu_has_shadow_vmcs', NESTED_H, [SNS], 'vmcs12 enables VMCS shadowing (secondary SHADOW_VMCS).', { source: 'arch/x86/kvm/vmx/nested.h' }),
  // ── more of nested.c (v6.12), one line each: VMX instruction handlers, control sub-checks, exit reflection, capability setup, eVMCS/shadow sync ──
  ...([
    ['handle_vmxon', [] as string[], 'Emulates VMXON: CR0/CR4 fixed bits and FEAT_CTL (#GP/#UD), VMXON pointer aligned, legal and with the right revision (VMfailInvalid), then enter_vmx_operation.'],
    ['handle_vmxoff', [], 'Emulates VMXOFF: leaves VMX operation and frees nested state (free_nested).'],
    ['handle_vmclear', [], 'Emulates VMCLEAR: pointer checks (errors 2/3), marks the VMCS clear and flushes the cached vmcs12 if it is current.'],
    ['handle_vmptrld', [], 'Emulates VMPTRLD: pointer checks (errors 9/10), revision check (error 11), makes the VMCS current (set_current_vmptr).'],
    ['handle_vmptrst', [], 'Emulates VMPTRST: stores the current VMCS pointer.'],
    ['handle_vmread', [], 'Emulates VMREAD of a vmcs12 field (error 12 for an unsupported field).'],
    ['handle_vmwrite', [], 'Emulates VMWRITE of a vmcs12 field (error 12 unsupported, 13 read-only unless MISC allows it).'],
    ['handle_invept', [], 'Emulates INVEPT for L1 (error 28 for an invalid operand).'],
    ['handle_invvpid', [], 'Emulates INVVPID for L1, always flushing the effective vpid02 (error 28 for an invalid operand).'],
    ['handle_vmfunc', [], 'Emulates VMFUNC from L2 (EPTP switching); an invalid use is reflected to L1 as a VM-exit.'],
    ['nested_vmx_check_io_bitmap_controls', [VE, SNS], 'E5: with USE_IO_BITMAPS, IO_BITMAP_A and _B must be page aligned and legal.'],
    ['nested_vmx_check_msr_bitmap_controls', [VE, SNS], 'E6: with USE_MSR_BITMAPS, MSR_BITMAP must be page aligned and legal.'],
    ['nested_vmx_check_tpr_shadow_controls', [VE, SNS], 'E7: with TPR_SHADOW, VIRTUAL_APIC_PAGE_ADDR must be page aligned and legal.'],
    ['nested_vmx_check_apic_access_controls', [VE, SNS], 'E8: with virtualize-APIC-accesses, APIC_ACCESS_ADDR must be page aligned and legal.'],
    ['nested_vmx_check_apicv_controls', [VE, SNS], 'E9: x2APIC virtualization, APIC-register virtualization, virtual-interrupt delivery and posted interrupts must be combined consistently (TPR shadow, external-interrupt exiting, ack-on-exit, descriptor alignment).'],
    ['nested_vmx_check_nmi_controls', [VE, SNS], 'E10: virtual NMIs need NMI exiting; NMI-window exiting needs virtual NMIs.'],
    ['nested_vmx_check_pml_controls', [VE, SNS], 'E11: PML needs EPT and a page-aligned legal PML_ADDRESS.'],
    ['nested_vmx_check_unrestricted_guest_controls', [VE, SNS], 'E12: unrestricted guest needs EPT.'],
    ['nested_vmx_check_mode_based_ept_exec_controls', [VE, SNS], 'E13: mode-based EPT execute control needs EPT.'],
    ['nested_vmx_check_shadow_vmcs_controls', [VE, SNS], 'E14: with VMCS shadowing, the VMREAD/VMWRITE bitmaps must be page aligned and legal.'],
    ['nested_vmx_check_eptp', [VE, SNS], 'E17: an EPTP is valid: memory type UC/WB as offered, walk length 4 or 5 as offered, no bits above MAXPHYADDR, bits 11:7 clear, A/D only if offered.'],
    ['nested_vmx_check_msr_switch', [VE, SNS], 'X2/N3: an MSR-load/store list with a non-zero count must be 16-byte aligned and lie within MAXPHYADDR.'],
    ['nested_vmx_check_exit_msr_switch_controls', [VE, SNS], 'X2: checks the VM-exit MSR-store and MSR-load lists (nested_vmx_check_msr_switch).'],
    ['nested_vmx_check_entry_msr_switch_controls', [VE, SNS], 'N3: checks the VM-entry MSR-load list (nested_vmx_check_msr_switch).'],
    ['nested_vmx_check_vmcs_link_ptr', [VE, SNS], 'G4: the VMCS link pointer is all ones, or a readable page whose revision is VMCS12_REVISION and whose shadow bit matches VMCS shadowing (exit qualification 4).'],
    ['nested_check_guest_non_reg_state', [VE, SNS], 'G10: guest activity state must be active, HLT or wait-for-SIPI.'],
    ['nested_vmx_l0_wants_exit', [VX], 'Whether L0 (KVM) must handle an exit from L2 itself (e.g. EPT violations with nested EPT off, external interrupts); such exits are not reflected.'],
    ['vmx_check_nested_events', [VX], 'Delivers pending events while L2 runs: INIT/SIPI, MTF, exceptions, preemption timer, NMIs and interrupts that L1 intercepts become emulated VM-exits.'],
    ['nested_vmx_triple_fault', [VX], 'A triple fault in L2 becomes a VM-exit to L1 with reason TRIPLE_FAULT.'],
    ['nested_vmx_inject_exception_vmexit', [VX], 'Turns an exception that L1 intercepts into an emulated VM-exit (reason 0 with interruption info).'],
    ['nested_vmx_preemption_timer_pending', [VX], 'Whether the emulated VMX-preemption timer of L2 has expired.'],
    ['vmx_start_preemption_timer', [VE], 'Arms the hrtimer that emulates L2\'s VMX-preemption timer.'],
    ['nested_get_vpid02', 'arch/x86/kvm/vmx/nested.h', 'The VPID KVM uses for L2: vpid02 when L1 enables VPID, else vmx->vpid.'],
    ['nested_cpu_has_vpid', 'arch/x86/kvm/vmx/nested.h', 'vmcs12 enables VPID (secondary ENABLE_VPID).'],
    ['nested_vmx_setup_basic', [ML], 'Nested VMX_BASIC: revision 0x11e57ed0, VMCS size 4096, WB memory type, TRUE_CTLS, INS/OUTS info if the host has it.'],
    ['nested_vmx_setup_pinbased_ctls', [ML], 'Nested pin-based controls offered to L1 (see each PIN_BASED_* bit).'],
    ['nested_vmx_setup_exit_ctls', [ML], 'Nested VM-exit controls offered to L1 (see each VM_EXIT_* bit).'],
    ['nested_vmx_setup_entry_ctls', [ML], 'Nested VM-entry controls offered to L1 (see each VM_ENTRY_* bit).'],
    ['nested_vmx_setup_cpubased_ctls', [ML], 'Nested primary processor-based controls offered to L1; CR3 load/store exiting may be cleared by L1.'],
    ['nested_vmx_setup_secondary_ctls', [ML], 'Nested secondary controls offered to L1, filtered by ept, vpid, unrestricted_guest, flexpriority, SGX; plus EPT/VPID capabilities.'],
    ['nested_vmx_setup_misc_data', [ML], 'Nested MISC: preemption-timer rate 5, HLT and wait-for-SIPI activity states, CR3-target count 0, MSR lists up to 512 entries.'],
    ['nested_vmx_setup_cr_fixed', [ML], 'Nested CR0_FIXED0 = PE|PG|NE and CR4_FIXED0 = VMXE; FIXED1 values from the host, refined per vCPU.'],
    ['vmx_get_vmx_msr', [], 'Reads a nested VMX capability MSR for KVM_GET_MSRS / L1 RDMSR.'],
    ['copy_vmcs12_to_shadow', [VE], 'Writes the cached vmcs12 into the hardware shadow VMCS so L1\'s VMREADs see it.'],
    ['copy_shadow_to_vmcs12', [VE], 'Reads L1\'s VMWRITEs back from the shadow VMCS into the cached vmcs12.'],
    ['copy_enlightened_to_vmcs12', [VE], 'Copies the fields of the enlightened VMCS that are not marked clean into vmcs12.'],
    ['copy_vmcs12_to_enlightened', [VX], 'Writes vmcs12 back into the enlightened VMCS.'],
    ['nested_release_evmcs', [SNS], 'Unmaps the enlightened VMCS and resets hv_evmcs_vmptr to EVMPTR_INVALID.'],
    ['free_nested', [SNS], 'Frees all nested state of a vCPU (VMXOFF, vmx_leave_nested, vCPU teardown).'],
    ['nested_vmx_hardware_unsetup', [ML], 'Frees the VMREAD/VMWRITE bitmaps at module unload.'],
    ['nested_vmx_get_vmptr', [], 'Reads the 64-bit VMCS/VMXON pointer operand of a VMX instruction from guest memory.'],
    ['nested_mark_vmcs12_pages_dirty', [VX], 'Marks the virtual-APIC page and posted-interrupt descriptor dirty for live migration.'],
    ['nested_vmx_exit_handled_msr', [VX], 'For RDMSR/WRMSR in L2: L1 gets the exit if its MSR bitmap (or lack of one) says so.'],
    ['nested_vmx_exit_handled_io', [VX], 'For I/O in L2: L1 gets the exit per unconditional I/O exiting or its I/O bitmaps.'],
    ['nested_ept_inject_page_fault', [VX], 'An EPT violation/misconfig found while walking L1\'s EPT for L2 becomes a VM-exit to L1.'],
    ['get_shadow_vmcs12', 'arch/x86/kvm/vmx/nested.h', 'The cached shadow vmcs12 (the VMCS L1 links with VMCS shadowing).'],
  ] as const).map(([name, pathsOrFile, summary]) => typeof pathsOrFile === 'string'
    ? fn(name, pathsOrFile, [], summary, { source: `${pathsOrFile} (v6.12)` })
    : fn(name, NESTED, [...pathsOrFile], summary, { source: 'arch/x86/kvm/vmx/nested.c (v6.12); kvm-nested-vmx.md §1.3, §2.2' })),
];
