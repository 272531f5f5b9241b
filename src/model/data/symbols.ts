// Macros, structs, struct fields and per-vCPU variables that reviewers meet in nested-VMX patches,
// restated in our own words. Sources are noted per entry (kernel v6.12 file or reference section;
// drafts that never merged say so). Values are given only where the kernel defines a number.
import type { EntityKind, HistoryFact } from '../types';

export interface SymbolFact {
  name: string;
  kind: Extract<EntityKind, 'macro' | 'struct' | 'struct_field' | 'module_param' | 'msr' | 'kvm_request' | 'ioctl'>;
  file: string;
  summary: string;
  details?: string;
  value?: string;
  /** For a struct field: the struct it belongs to. */
  parent?: string;
  related?: string[];
  paths?: string[];
  source: string;
  sdm?: string;
  history?: HistoryFact[];
  aliases?: string[];
  inV612?: boolean;
}

const VMX_H = 'arch/x86/kvm/vmx/vmx.h';
const VMX_C = 'arch/x86/kvm/vmx/vmx.c';
const NESTED_C = 'arch/x86/kvm/vmx/nested.c';
const NESTED_H = 'arch/x86/kvm/vmx/nested.h';
const KVM_HOST = 'arch/x86/include/asm/kvm_host.h';
const UAPI_KVM = 'arch/x86/include/uapi/asm/kvm.h';
const CAPS = 'arch/x86/kvm/vmx/capabilities.h';
const VMCS12_H = 'arch/x86/kvm/vmx/vmcs12.h';

function field(parent: string, name: string, file: string, summary: string, o: Partial<SymbolFact> = {}): SymbolFact {
  return { name, kind: 'struct_field', parent, file, summary: `${parent}.${name}: ${summary}`, source: o.source ?? file, ...o };
}

const PAGE_ROLE = 'kvm_mmu_page_role';
const EXT_ROLE = 'kvm_mmu_extended_role';
const HDR = 'kvm_vmx_nested_state_hdr';
const ARCH = 'kvm_vcpu_arch';
const NVMX = 'nested_vmx';
const NMSRS = 'nested_vmx_msrs';
const CFG = 'vmcs_config';

const ROLE_HISTORY: HistoryFact[] = [
  { era: 'Jun 2021 (seed 004)', change: 'comments expanded: the page role decides whether a shadow page can be reused and is kept small because gfn_track is a 16-bit counter; "18 bits" in the mask.' },
  { era: 'v6.12', change: 'passthrough bit added ("19 bits"); kvm_mmu_role renamed kvm_cpu_role, gfn_track renamed gfn_write_track.' },
];

export const SYMBOLS: readonly SymbolFact[] = [
  // ── macros ──────────────────────────────────────────────────────────────────────────────────
  { name: 'CC', kind: 'macro', file: NESTED_C, source: 'kvm-nested-vmx.md §1.1', summary: 'Wraps one nested consistency check: if the condition is true it fires tracepoint kvm_nested_vmenter_failed with the condition text and yields true (the check fails).',
    related: ['nested_vmx_check_host_state', 'nested_vmx_check_guest_state', 'nested_vmx_check_controls', 'kvm_nested_vmenter_failed'] },
  { name: 'kvm_nested_vmenter_failed', kind: 'macro', file: 'arch/x86/kvm/trace.h', source: 'kvm-nested-vmx.md §1.1', summary: 'Tracepoint emitted by CC() with the text of the failed nested VM-entry check.' },
  { name: 'KVM_ARCH_REQ', kind: 'macro', file: KVM_HOST, source: 'arch/x86/include/asm/kvm_host.h', summary: 'Defines an x86 vCPU request number n as KVM_REQUEST_ARCH_BASE (8) + n (plus flags with KVM_ARCH_REQ_FLAGS).', related: ['KVM_REQUEST_ARCH_BASE', 'KVM_REQ_GET_NESTED_STATE_PAGES'] },
  { name: 'KVM_ARCH_REQ_FLAGS', kind: 'macro', file: KVM_HOST, source: 'arch/x86/include/asm/kvm_host.h', summary: 'KVM_ARCH_REQ with request flags such as KVM_REQUEST_WAIT | KVM_REQUEST_NO_WAKEUP.' },
  { name: 'KVM_REQUEST_ARCH_BASE', kind: 'macro', value: '0x8', file: 'include/linux/kvm_host.h', source: 'include/linux/kvm_host.h', summary: 'First vcpu->requests bit available to architectures (8); bits 0–7 are generic requests.' },
  { name: 'BUILD_CONTROLS_SHADOW', kind: 'macro', file: VMX_H, source: 'arch/x86/kvm/vmx/vmx.h', summary: 'Generates the cached get/set/setbit/clearbit helpers for one VMCS control field (vm_entry_controls_set and friends), so KVM avoids redundant VMWRITEs.' },
  { name: 'KVM_MMU_ROLE_BITS', kind: 'macro', file: 'arch/x86/kvm/mmu.h', source: 'kvm-nested-vmx.md §6', summary: 'Umbrella name for KVM_MMU_CR0_ROLE_BITS / KVM_MMU_CR4_ROLE_BITS / EFER role bits: register bits whose change requires recomputing the MMU role.', related: ['KVM_MMU_CR0_ROLE_BITS', 'KVM_MMU_CR4_ROLE_BITS'] },
  { name: 'VMCS12_SIZE', kind: 'macro', value: '0x1000', file: VMCS12_H, source: 'kvm-nested-vmx.md §1.3', summary: 'Size of the vmcs12 region KVM reports in VMX_BASIC and migrates (4096 bytes).', related: ['KVM_STATE_NESTED_VMX_VMCS_SIZE', 'VMCS12_REVISION'] },
  { name: 'NVMX_VMENTRY_SUCCESS', kind: 'macro', value: '0x0', file: NESTED_H, source: 'kvm-nested-vmx.md §2.1, §7.3', summary: 'nested_vmx_enter_non_root_mode result: L2 entered.' },
  { name: 'NVMX_VMENTRY_VMFAIL', kind: 'macro', value: '0x1', file: NESTED_H, source: 'kvm-nested-vmx.md §2.1', summary: 'nested_vmx_enter_non_root_mode result: VMfail (the early hardware check failed); nested_vmx_run reports VMfailValid 7.' },
  { name: 'NVMX_VMENTRY_VMEXIT', kind: 'macro', value: '0x2', file: NESTED_H, source: 'kvm-nested-vmx.md §2.1, §7.3', summary: 'nested_vmx_enter_non_root_mode result: failed VM-entry reported to L1 as a VM-exit (reason bit 31 set). From KVM_SET_NESTED_STATE this positive value is returned as the ioctl result.' },
  { name: 'NVMX_VMENTRY_KVM_INTERNAL_ERROR', kind: 'macro', value: '0x3', file: NESTED_H, source: 'kvm-nested-vmx.md §2.1', summary: 'nested_vmx_enter_non_root_mode result: KVM could not map vmcs12 pages; exit to userspace with KVM_EXIT_INTERNAL_ERROR.' },
  { name: 'EVMPTRLD_DISABLED', kind: 'macro', value: '0x0', file: 'arch/x86/kvm/vmx/hyperv.h', source: 'kvm-nested-vmx.md §7.2', summary: 'nested_vmx_handle_enlightened_vmptrld result: no enlightened VMCS in use.' },
  { name: 'EVMPTRLD_SUCCEEDED', kind: 'macro', value: '0x1', file: 'arch/x86/kvm/vmx/hyperv.h', source: 'kvm-nested-vmx.md §7.2', summary: 'nested_vmx_handle_enlightened_vmptrld result: eVMCS mapped.' },
  { name: 'EVMPTRLD_VMFAIL', kind: 'macro', value: '0x2', file: 'arch/x86/kvm/vmx/hyperv.h', source: 'kvm-nested-vmx.md §7.2', summary: 'nested_vmx_handle_enlightened_vmptrld result: bad eVMCS revision; nested_vmx_run reports VMfailInvalid.' },
  { name: 'EVMPTRLD_ERROR', kind: 'macro', value: '0x3', file: 'arch/x86/kvm/vmx/hyperv.h', source: 'kvm-nested-vmx.md §7.2', summary: 'nested_vmx_handle_enlightened_vmptrld result: the eVMCS page could not be mapped; nested_vmx_run injects #UD.' },
  { name: 'X86_FEATURE_LAM', kind: 'macro', value: '0x19a', file: 'arch/x86/include/asm/cpufeatures.h', source: 'kvm-nested-vmx.md §4; cpufeatures.h word 12 bit 26', summary: 'CPUID.(EAX=7,ECX=1):EAX bit 26, Linear Address Masking. KVM lets the guest use CR3.LAM_U48/U57 and CR4.LAM_SUP only with it.',
    related: ['X86_CR3_LAM_U48', 'X86_CR3_LAM_U57', 'X86_CR4_LAM_SUP', 'guest_can_use'], aliases: ['LAM'] },
  { name: 'CR0_RESERVED_BITS', kind: 'macro', file: KVM_HOST, source: 'kvm-nested-vmx.md §6', summary: 'Every CR0 bit except PE, MP, EM, TS, ET, NE, WP, AM, NW, CD, PG; kvm_set_cr0 drops them.' },
  { name: 'HV_X64_MSR_VP_ASSIST_PAGE', kind: 'msr', value: '0x40000073', file: 'arch/x86/include/asm/hyperv-tlfs.h', source: 'kvm-nested-vmx.md §7.2; hyperv-tlfs.h',
    summary: 'Hyper-V VP-assist page MSR; the page holds current_nested_vmcs and enlighten_vmentry, which tell KVM which enlightened VMCS L1 uses. It may be restored after KVM_SET_NESTED_STATE, which is why eVMCS mapping is deferred.', related: ['nested_vmx_handle_enlightened_vmptrld', 'EVMPTR_MAP_PENDING'] },
  // ── structs ─────────────────────────────────────────────────────────────────────────────────
  { name: 'vmcs_config', kind: 'struct', file: CAPS, source: 'kvm-nested-vmx.md §5', summary: 'The VMCS controls kvm_intel settled on at load (setup_vmcs_config): pin, primary, secondary, tertiary, VM-exit and VM-entry controls, VMX_BASIC and MISC, and the nested capability MSRs.',
    details: 'Global vmcs_config is computed on the boot CPU; every other CPU must compute an identical one (vmx_check_processor_compat), else kvm_intel fails with -EIO.', related: ['setup_vmcs_config', 'vmx_capability', 'vmcs_entry_exit_pairs'], paths: ['module-load'] },
  field(CFG, 'vmentry_ctrl', CAPS, 'VM-entry controls KVM may use; cpu_has_load_ia32_efer() tests VM_ENTRY_LOAD_IA32_EFER here.', { source: 'kvm-nested-vmx.md §5.3', related: ['VM_ENTRY_CONTROLS'] }),
  field(CFG, 'vmexit_ctrl', CAPS, 'VM-exit controls KVM may use.', { source: 'kvm-nested-vmx.md §5.3', related: ['VM_EXIT_CONTROLS'] }),
  field(CFG, 'pin_based_exec_ctrl', CAPS, 'Pin-based controls KVM may use.', { source: 'kvm-nested-vmx.md §5.3' }),
  field(CFG, 'cpu_based_exec_ctrl', CAPS, 'Primary processor-based controls KVM may use.', { source: 'kvm-nested-vmx.md §5.3' }),
  field(CFG, 'cpu_based_2nd_exec_ctrl', CAPS, 'Secondary processor-based controls KVM may use (from MSR 0x48B).', { source: 'kvm-nested-vmx.md §5.3' }),
  field(CFG, 'cpu_based_3rd_exec_ctrl', CAPS, 'Tertiary controls (64-bit) KVM may use.', { source: 'kvm-nested-vmx.md §5.3' }),
  { name: 'vmx_capability', kind: 'struct', file: CAPS, source: 'kvm-nested-vmx.md §5.3', summary: 'EPT and VPID capability words read from MSR_IA32_VMX_EPT_VPID_CAP (0x48C) at load; zeroed (or load rejected) when the matching secondary control is missing.', related: ['MSR_IA32_VMX_EPT_VPID_CAP', 'setup_vmcs_config'] },
  field('vmx_capability', 'ept', CAPS, 'EPT capability bits (low dword of 0x48C).', { source: 'kvm-nested-vmx.md §5.3' }),
  field('vmx_capability', 'vpid', CAPS, 'VPID capability bits (high dword of 0x48C).', { source: 'kvm-nested-vmx.md §5.3' }),
  { name: 'vmcs_entry_exit_pairs', kind: 'struct', file: VMX_C, source: 'kvm-nested-vmx.md §5.3 step 11', paths: ['module-load'],
    summary: 'Table (static array in vmx.c) of VM-entry/VM-exit control pairs that must be supported together: LOAD_PERF_GLOBAL_CTRL, LOAD_PAT, LOAD_EFER, LOAD_BNDCFGS/CLEAR_BNDCFGS, LOAD_RTIT_CTL/CLEAR_RTIT_CTL.',
    details: 'setup_vmcs_config walks it; if exactly one side of a pair is supported it warns "Inconsistent VM-Entry/VM-Exit pair" and either fails the load (error_on_inconsistent_vmcs_config, default) or clears both bits.',
    related: ['setup_vmcs_config', 'error_on_inconsistent_vmcs_config', 'VM_ENTRY_LOAD_IA32_EFER', 'VM_EXIT_LOAD_IA32_EFER'],
    history: [{ era: 'v5.19/6.0 (seed 001)', change: 'introduced by "Sanitize VM-Entry/VM-Exit control pairs at kvm_intel load time"' }] },
  field('vmcs_entry_exit_pairs', 'entry_control', VMX_C, 'the VM-entry control bit of the pair.', { source: 'kvm-nested-vmx.md §5.3' }),
  field('vmcs_entry_exit_pairs', 'exit_control', VMX_C, 'the VM-exit control bit of the pair.', { source: 'kvm-nested-vmx.md §5.3' }),
  { name: HDR, kind: 'struct', file: UAPI_KVM, source: 'kvm-nested-vmx.md §7.1', paths: ['set-nested-state'],
    summary: 'VMX header of KVM_{GET,SET}_NESTED_STATE: vmxon_pa, vmcs12_pa, smm.flags, pad, flags, preemption_timer_deadline (header union padded to 120 bytes; kvm_nested_state is 128).',
    history: [{ era: 'May 2021 proposal (seed 003)', change: 'add __u64 evmcs_pa so SET could map the eVMCS directly; not merged (v6.12 uses EVMPTR_MAP_PENDING instead).' }],
    related: ['vmx_set_nested_state', 'vmx_get_nested_state', 'kvm_nested_state', 'KVM_SET_NESTED_STATE'] },
  field(HDR, 'vmxon_pa', UAPI_KVM, 'guest-physical VMXON region; -1 (INVALID_GPA) when L1 is not in VMX operation.', { source: 'kvm-nested-vmx.md §7.3' }),
  field(HDR, 'vmcs12_pa', UAPI_KVM, 'current VMCS pointer; -1 when none; must differ from vmxon_pa and be page aligned.', { source: 'kvm-nested-vmx.md §7.3' }),
  field(HDR, 'smm', UAPI_KVM, 'SMM state: flags KVM_STATE_NESTED_SMM_GUEST_MODE / _SMM_VMXON.', { source: 'kvm-nested-vmx.md §7.3' }),
  field(HDR, 'flags', UAPI_KVM, 'VMX header flags: only KVM_STATE_VMX_PREEMPTION_TIMER_DEADLINE is known.', { source: 'kvm-nested-vmx.md §7.3' }),
  field(HDR, 'pad', UAPI_KVM, '16-bit padding after smm.flags.', { source: 'kvm-nested-vmx.md §7.1' }),
  field(HDR, 'preemption_timer_deadline', UAPI_KVM, 'absolute deadline of the emulated VMX preemption timer, valid with KVM_STATE_VMX_PREEMPTION_TIMER_DEADLINE.', { source: 'kvm-nested-vmx.md §7.3' }),
  field(HDR, 'evmcs_pa', UAPI_KVM, 'proposed (May 2021, seed 003) GPA of the enlightened VMCS, 0 meaning "old userspace"; never merged.', { source: 'kvm-nested-vmx.md §7.6', inV612: false }),
  { name: 'kvm_nested_state', kind: 'struct', file: UAPI_KVM, source: 'kvm-nested-vmx.md §7.1', summary: 'Argument of KVM_{GET,SET}_NESTED_STATE: flags, format (0 VMX, 1 SVM), size, the header union (120 bytes) and the data (vmcs12[4096] then shadow vmcs12[4096] for VMX).', related: [HDR, 'KVM_GET_NESTED_STATE', 'KVM_SET_NESTED_STATE'] },
  field('kvm_nested_state', 'format', UAPI_KVM, 'KVM_STATE_NESTED_FORMAT_VMX (0) or _SVM (1).', { source: 'kvm-nested-vmx.md §7.3' }),
  field('kvm_nested_state', 'size', UAPI_KVM, 'total size; 128 header only, +4096 with a vmcs12, +4096 more with a shadow vmcs12.', { source: 'kvm-nested-vmx.md §7.5' }),
  { name: 'kvm_vmx_nested_state_data', kind: 'struct', file: UAPI_KVM, source: 'kvm-nested-vmx.md §7.1', summary: 'Data area of VMX nested state: vmcs12[4096] then shadow_vmcs12[4096].' },
  { name: 'kvm_svm_nested_state_data', kind: 'struct', file: UAPI_KVM, source: 'arch/x86/include/uapi/asm/kvm.h', summary: 'SVM counterpart of the nested-state data area (the saved vmcb12).' },
  { name: 'vmcs12', kind: 'struct', file: VMCS12_H, source: 'kvm-nested-vmx.md §2', summary: 'KVM\'s in-memory layout of the VMCS L1 builds for L2 (revision 0x11e57ed0); its lower-case members mirror the VMCS field names (host_cr3 = HOST_CR3).', related: ['VMCS12_REVISION', 'VMCS12_SIZE'] },
  field('vmcs12', 'launch_state', VMCS12_H, 'whether the VMCS was launched (VMLAUNCH needs clear, VMRESUME launched).', { source: 'kvm-nested-vmx.md §2.1' }),
  field('vmcs12', 'revision_id', VMCS12_H, 'hdr.revision_id; must be VMCS12_REVISION (0x11E57ED0).', { source: 'kvm-nested-vmx.md §7.3' }),
  field('vmcs12', 'shadow_vmcs', VMCS12_H, 'hdr.shadow_vmcs bit; VMLAUNCH on a shadow VMCS fails (VMfailInvalid).', { source: 'kvm-nested-vmx.md §2.1' }),
  { name: PAGE_ROLE, kind: 'struct', file: KVM_HOST, source: 'kvm-nested-vmx.md §8', sdm: '', history: ROLE_HISTORY,
    summary: 'u32 role of a shadow/TDP page: decides whether an existing shadow page can be reused for the current MMU context.',
    details: 'Bits: level:4, has_4_byte_gpte, quadrant:2, direct, access:3, invalid, efer_nx, cr0_wp, smep_andnot_wp, smap_andnot_wp, ad_disabled, guest_mode, passthrough, smm:8. Kept small because write-tracking of a gfn is a 16-bit counter.',
    related: [EXT_ROLE, 'kvm_cpu_role', 'kvm_init_mmu'] },
  field(PAGE_ROLE, 'level', KVM_HOST, 'paging level of the page (4 bits; 5/4 with long mode, 3 PAE, 2 legacy).', { source: 'kvm-nested-vmx.md §8' }),
  field(PAGE_ROLE, 'has_4_byte_gpte', KVM_HOST, 'guest PTEs are 4 bytes (non-PAE paging).', { source: 'kvm-nested-vmx.md §8', aliases: ['gpte_is_8_bytes'], history: [{ era: '≤ 2021', change: 'the inverse bit gpte_is_8_bytes' }] }),
  field(PAGE_ROLE, 'quadrant', KVM_HOST, 'which part of a 4-byte-PTE guest table a shadow page covers (2 bits).', { source: 'kvm-nested-vmx.md §8' }),
  field(PAGE_ROLE, 'direct', KVM_HOST, 'page maps a linear range directly (TDP or guest paging off), not shadowing a guest table.', { source: 'kvm-nested-vmx.md §8' }),
  field(PAGE_ROLE, 'access', KVM_HOST, 'accumulated access rights (3 bits).', { source: 'kvm-nested-vmx.md §8' }),
  field(PAGE_ROLE, 'invalid', KVM_HOST, 'page is obsolete and must not be reused.', { source: 'kvm-nested-vmx.md §8' }),
  field(PAGE_ROLE, 'efer_nx', KVM_HOST, 'EFER.NX of the context.', { source: 'kvm-nested-vmx.md §8' }),
  field(PAGE_ROLE, 'cr0_wp', KVM_HOST, 'CR0.WP of the context; with CR0.WP guest-owned (v6.4) it can go stale and is refreshed in permission_fault.', { source: 'kvm-nested-vmx.md §6, §8', related: ['kvm_mmu_refresh_passthrough_bits', 'X86_CR0_WP'] }),
  field(PAGE_ROLE, 'smep_andnot_wp', KVM_HOST, 'CR4.SMEP set and CR0.WP clear.', { source: 'kvm-nested-vmx.md §8' }),
  field(PAGE_ROLE, 'smap_andnot_wp', KVM_HOST, 'CR4.SMAP set and CR0.WP clear.', { source: 'kvm-nested-vmx.md §8' }),
  field(PAGE_ROLE, 'ad_disabled', KVM_HOST, 'accessed/dirty bits disabled (EPT without A/D).', { source: 'kvm-nested-vmx.md §8' }),
  field(PAGE_ROLE, 'guest_mode', KVM_HOST, 'page belongs to L2 (is_guest_mode), so L1 and L2 pages are never mixed.', { source: 'kvm-nested-vmx.md §8' }),
  field(PAGE_ROLE, 'passthrough', KVM_HOST, 'page passes through a guest level that KVM shadows with more levels (added after 2021).', { source: 'kvm-nested-vmx.md §8' }),
  field(PAGE_ROLE, 'smm', KVM_HOST, 'address space (SMM or not), 8 bits.', { source: 'kvm-nested-vmx.md §8' }),
  { name: EXT_ROLE, kind: 'struct', file: KVM_HOST, source: 'kvm-nested-vmx.md §8', history: ROLE_HISTORY,
    summary: 'u32 complement of the page role: MMU-configuration properties that do not decide shadow-page reuse (valid, execonly, cr4_pse, cr4_pke, cr4_smap, cr4_smep, cr4_la57, efer_lma).',
    details: 'If base and extended role (kvm_cpu_role) are unchanged when CR0/CR4/EFER are loaded — nested transitions included — MMU reconfiguration is skipped. `valid` marks a role that was computed at least once.', related: [PAGE_ROLE, 'kvm_cpu_role', 'kvm_init_mmu'] },
  field(EXT_ROLE, 'valid', KVM_HOST, 'set on first computation so an all-zero role is not taken as valid.', { source: 'kvm-nested-vmx.md §8' }),
  field(EXT_ROLE, 'execonly', KVM_HOST, 'nested EPT allows execute-only pages.', { source: 'kvm-nested-vmx.md §8' }),
  field(EXT_ROLE, 'cr4_pse', KVM_HOST, 'CR4.PSE.', { source: 'kvm-nested-vmx.md §8' }),
  field(EXT_ROLE, 'cr4_pke', KVM_HOST, 'CR4.PKE (only with long mode).', { source: 'kvm-nested-vmx.md §8' }),
  field(EXT_ROLE, 'cr4_smap', KVM_HOST, 'CR4.SMAP.', { source: 'kvm-nested-vmx.md §8' }),
  field(EXT_ROLE, 'cr4_smep', KVM_HOST, 'CR4.SMEP.', { source: 'kvm-nested-vmx.md §8' }),
  field(EXT_ROLE, 'cr4_la57', KVM_HOST, 'CR4.LA57 (only with long mode).', { source: 'kvm-nested-vmx.md §8' }),
  field(EXT_ROLE, 'efer_lma', KVM_HOST, 'EFER.LMA.', { source: 'kvm-nested-vmx.md §8' }),
  { name: 'kvm_cpu_role', kind: 'struct', file: KVM_HOST, source: 'kvm-nested-vmx.md §8', summary: 'u64 union of the base page role and the extended role: the full role of the guest\'s paging mode (was kvm_mmu_role).', aliases: ['kvm_mmu_role'], history: ROLE_HISTORY, related: [PAGE_ROLE, EXT_ROLE] },
  field('kvm_mmu', 'cpu_role', KVM_HOST, 'role computed from the guest CPU state (kvm_calc_cpu_role).', { source: 'kvm-nested-vmx.md §8' }),
  field('kvm_mmu', 'root_role', KVM_HOST, 'role of the root KVM builds (TDP or shadow).', { source: 'kvm-nested-vmx.md §8' }),
  field('kvm_mmu', 'get_guest_pgd', KVM_HOST, 'callback returning the guest PGD: CR3, or the EPTP for nested EPT (which is why LAM bits are not masked by name).', { source: 'kvm-nested-vmx.md §4' }),
  field('kvm_memory_slot', 'gfn_track', KVM_HOST, 'old name of the per-gfn 16-bit write-tracking counter (now gfn_write_track).', { source: 'kvm-nested-vmx.md §8', aliases: ['gfn_write_track'], history: ROLE_HISTORY }),
  // ── per-vCPU fields ────────────────────────────────────────────────────────────────────────
  field(ARCH, 'cr0_guest_owned_bits', KVM_HOST, 'CR0 bits the guest changes without a VM-exit; vmcs CR0_GUEST_HOST_MASK = ~cr0_guest_owned_bits.',
    { source: 'kvm-nested-vmx.md §6', paths: ['cr0-write', 'nested-vmentry', 'nested-vmexit'], related: ['vmx_l1_guest_owned_cr0_bits', 'KVM_POSSIBLE_CR0_GUEST_BITS', 'CR0_GUEST_HOST_MASK'],
      details: 'Set to vmx_l1_guest_owned_cr0_bits() at vCPU creation (init_vmcs) and on every return to L1 (load_vmcs12_host_state, nested_vmx_restore_host_state); ANDed with ~vmcs12 cr0_guest_host_mask on entry to L2 (prepare_vmcs02).',
      history: [{ era: '≤ v6.3', change: 'reset to KVM_POSSIBLE_CR0_GUEST_BITS (TS)' }, { era: 'v6.4+ (seed 002)', change: 'reset to vmx_l1_guest_owned_cr0_bits() (TS|WP with EPT)' }] }),
  field(ARCH, 'cr4_guest_owned_bits', KVM_HOST, 'CR4 bits the guest changes without a VM-exit.', { source: 'kvm-nested-vmx.md §3.2' }),
  field(ARCH, 'cr3_ctrl_bits', KVM_HOST, 'LAM v6–v8 draft (seed 000): per-vCPU mask of CR3 control bits (LAM_U48|LAM_U57 when the guest has LAM), cleared before the CR3 legality test. Not merged: v6.8+ tests guest_can_use(X86_FEATURE_LAM) instead.',
    { source: 'kvm-nested-vmx.md §4', inV612: false, related: ['kvm_vcpu_is_legal_cr3', 'X86_CR3_LAM_U48', 'X86_CR3_LAM_U57'],
      history: [{ era: 'LAM v6–v8 (2023)', change: 'introduced in drafts' }, { era: 'v6.8 merge', change: 'dropped; LAM governed feature used instead' }] }),
  field(ARCH, 'reserved_gpa_bits', KVM_HOST, 'GPA bits from guest MAXPHYADDR to 63; a legal GPA has none set.', { source: 'kvm-nested-vmx.md §1.2' }),
  field(ARCH, 'cr4_guest_rsvd_bits', KVM_HOST, 'CR4 bits reserved for this vCPU from its CPUID (LAM_SUP without LAM).', { source: 'kvm-nested-vmx.md §1.2' }),
  field(ARCH, 'walk_mmu', KVM_HOST, 'MMU used to walk guest page tables (nested_mmu while L2 runs on nested EPT).', { source: 'kvm-nested-vmx.md §8' }),
  field(ARCH, 'root_mmu', KVM_HOST, 'L1\'s MMU.', { source: 'kvm-nested-vmx.md §8' }),
  field(ARCH, 'guest_mmu', KVM_HOST, 'shadow-EPT MMU for L2 with nested EPT.', { source: 'kvm-nested-vmx.md §8' }),
  field(ARCH, 'nested_mmu', KVM_HOST, 'walker for L2 linear addresses through L1\'s EPT.', { source: 'kvm-nested-vmx.md §8' }),
  field(NVMX, 'current_vmptr', VMX_H, 'GPA of the current vmcs12 (INVALID_GPA when none).', { source: 'kvm-nested-vmx.md §1.1' }),
  field(NVMX, 'hv_evmcs_vmptr', VMX_H, 'GPA of the enlightened VMCS, or EVMPTR_INVALID / EVMPTR_MAP_PENDING.', { source: 'kvm-nested-vmx.md §7.1', related: ['EVMPTR_MAP_PENDING', 'EVMPTR_INVALID'] }),
  field(NVMX, 'hv_evmcs', VMX_H, 'mapped enlightened VMCS (NULL while mapping is pending).', { source: 'kvm-nested-vmx.md §7' }),
  field(NVMX, 'nested_run_pending', VMX_H, 'VMLAUNCH/VMRESUME emulated but L2 not yet run; migrated as KVM_STATE_NESTED_RUN_PENDING.', { source: 'kvm-nested-vmx.md §2.1, §7.3' }),
  field(NVMX, 'mtf_pending', VMX_H, 'monitor-trap-flag exit pending; migrated as KVM_STATE_NESTED_MTF_PENDING.', { source: 'kvm-nested-vmx.md §7.3' }),
  field(NVMX, 'need_vmcs12_to_shadow_sync', VMX_H, 'vmcs12 must be copied to the shadow VMCS / eVMCS before L1 runs.', { source: 'kvm-nested-vmx.md §2.1, §7.4' }),
  field(NVMX, 'dirty_vmcs12', VMX_H, 'vmcs12 changed; prepare_vmcs02 reloads the rarely written fields.', { source: 'kvm-nested-vmx.md §7.3' }),
  field(NVMX, 'enlightened_vmcs_enabled', VMX_H, 'eVMCS capability enabled for this vCPU (KVM_CAP_HYPERV_ENLIGHTENED_VMCS).', { source: 'kvm-nested-vmx.md §7' }),
  field(NVMX, 'vmxon', VMX_H, 'L1 is in VMX operation.', { source: 'kvm-nested-vmx.md §7.5' }),
  field(NVMX, 'vmxon_ptr', VMX_H, 'GPA of L1\'s VMXON region.', { source: 'kvm-nested-vmx.md §7.3' }),
  field(NVMX, 'msrs', VMX_H, 'the nested VMX capability MSR values L1 sees (struct nested_vmx_msrs).', { source: 'kvm-nested-vmx.md §1.3' }),
  field(NVMX, 'shadow_vmcs12_cache', VMX_H, 'gfn→hva cache used to read the VMCS link pointer target (v6.x).', { source: 'kvm-nested-vmx.md §9' }),
  ...(['pinbased_ctls', 'procbased_ctls', 'secondary_ctls', 'exit_ctls', 'entry_ctls', 'misc'] as const).flatMap(n => [
    field(NMSRS, `${n}_low`, VMX_H, `allowed-0 (must-be-1) half of the nested ${n.replace('_', ' ')} capability L1 sees.`, { source: 'kvm-nested-vmx.md §1.3, §2.2' }),
    field(NMSRS, `${n}_high`, VMX_H, `allowed-1 (may-be-1) half of the nested ${n.replace('_', ' ')} capability L1 sees.`, { source: 'kvm-nested-vmx.md §1.3, §2.2' }),
  ]),
  field(NMSRS, 'cr0_fixed0', VMX_H, 'CR0 bits L1 must keep set in VMX operation (PE|PG|NE).', { source: 'kvm-nested-vmx.md §1.3' }),
  field(NMSRS, 'cr0_fixed1', VMX_H, 'CR0 bits L1 may set (forced to all ones per vCPU).', { source: 'kvm-nested-vmx.md §1.3' }),
  field(NMSRS, 'cr4_fixed0', VMX_H, 'CR4 bits L1 must keep set (VMXE).', { source: 'kvm-nested-vmx.md §1.3' }),
  field(NMSRS, 'cr4_fixed1', VMX_H, 'CR4 bits L1 may set, from guest CPUID (LAM_SUP with LAM).', { source: 'kvm-nested-vmx.md §1.3' }),
  field(NMSRS, 'ept_caps', VMX_H, 'EPT capabilities offered to L1.', { source: 'kvm-nested-vmx.md §1.3' }),
  field(NMSRS, 'vpid_caps', VMX_H, 'VPID capabilities offered to L1.', { source: 'kvm-nested-vmx.md §1.3' }),
  field(NMSRS, 'basic', VMX_H, 'VMX_BASIC offered to L1 (revision 0x11e57ed0, size 4096, WB, TRUE_CTLS).', { source: 'kvm-nested-vmx.md §1.3' }),
  field('vcpu_vmx', 'fail', VMX_H, 'hardware VM-entry to vmcs02 failed ("late VM-Fail"); nested_vmx_vmexit turns it into VMfailValid 7.', { source: 'kvm-nested-vmx.md §2.5, §3.1' }),
  field('vcpu_vmx', 'emulation_required', VMX_H, 'guest state cannot run under VMX and must be emulated.', { source: 'kvm-nested-vmx.md §3.1' }),
  // ── globals and module-param variables ─────────────────────────────────────────────────────
  { name: 'kvm_vmx_exit_handlers', kind: 'struct', file: VMX_C, source: 'kvm-nested-vmx.md §2.1', summary: 'Array of VMX exit handlers indexed by basic exit reason; nested_vmx_hardware_setup installs handle_vmlaunch (20), handle_vmresume (24) and the other VMX-instruction handlers.' },
  { name: 'vt_init_ops', kind: 'struct', file: 'arch/x86/kvm/vmx/main.c', source: 'kvm-nested-vmx.md §5.1', summary: 'kvm_x86_init_ops of kvm_intel passed to kvm_x86_vendor_init (hardware_setup = vmx_hardware_setup).' },
  { name: 'kvm_x86_nested_ops', kind: 'struct', file: KVM_HOST, source: 'kvm-nested-vmx.md §7.4', summary: 'Vendor nested callbacks (get_nested_state_pages, set_state, get_state, ...); VMX fills it with vmx_* nested functions.', aliases: ['nested_ops'] },
  { name: 'tdp_enabled', kind: 'module_param', value: '0x0', file: 'arch/x86/kvm/mmu/mmu.c', source: 'kvm-nested-vmx.md §6; arch/x86/kvm/mmu/mmu.c', summary: 'KVM-wide flag (not a param itself, initially false): two-dimensional paging (EPT/NPT) in use, set at vendor load from kvm_intel ept.', related: ['ept'], aliases: ['TDP'] },
  { name: 'flush_on_reuse', kind: 'module_param', value: '0x0', file: 'arch/x86/kvm/mmu/mmu.c', source: 'arch/x86/kvm/mmu/mmu.c (v6.12)', aliases: ['force_flush_and_sync_on_reuse'],
    summary: 'kvm.ko param (variable force_flush_and_sync_on_reuse, default off, 0644): always flush and sync when a cached MMU root is reused; a debugging knob for TLB bugs, cited in the CR0.WP review as the exception to "no knobs for bug-free behaviour".' },
  { name: 'cr4_reserved_bits', kind: 'macro', file: 'arch/x86/kvm/x86.c', source: 'kvm-nested-vmx.md §1.2', summary: 'Global CR4 bits KVM never lets a guest set (from host capabilities; __cr4_reserved_bits computes them).', aliases: ['__cr4_reserved_bits'] },
  { name: 'efer_reserved_bits', kind: 'macro', file: 'arch/x86/kvm/x86.c', source: 'kvm-nested-vmx.md §1.2', summary: 'Global EFER bits KVM rejects in kvm_valid_efer.' },
  { name: 'lazycr0', kind: 'module_param', value: '0x1', file: VMX_C, source: 'kvm-nested-vmx.md §6; seed 002', inV612: false, aliases: ['enable_lazy_cr0'],
    summary: 'Draft kvm_intel param of the CR0.WP v3 patch (enable_lazy_cr0) to turn guest-owned CR0.WP off; dropped in review — v6.4+ makes WP guest-owned whenever ept=1.', related: ['vmx_l1_guest_owned_cr0_bits', 'ept'] },
  // ── kvm_intel params beyond the reference table (arch/x86/kvm/vmx/vmx.c v6.12, all 0444) ──
  { name: 'ple_gap', kind: 'module_param', value: '0x80', file: VMX_C, source: 'arch/x86/kvm/vmx/vmx.c (v6.12): KVM_DEFAULT_PLE_GAP', summary: 'kvm_intel param, default 128: pause-loop exiting gap (TSC cycles between two PAUSEs of one loop); 0 disables PLE.', related: ['PLE_GAP', 'SECONDARY_EXEC_PAUSE_LOOP_EXITING'] },
  { name: 'ple_window', kind: 'module_param', value: '0x1000', file: VMX_C, source: 'arch/x86/kvm/vmx/vmx.c (v6.12): KVM_VMX_DEFAULT_PLE_WINDOW', summary: 'kvm_intel param, default 4096: initial pause-loop window (cycles a guest may spin before a PAUSE exit).', related: ['PLE_WINDOW'] },
  { name: 'ple_window_grow', kind: 'module_param', value: '0x2', file: VMX_C, source: 'arch/x86/kvm/vmx/vmx.c (v6.12): KVM_DEFAULT_PLE_WINDOW_GROW', summary: 'kvm_intel param, default 2: factor by which a vCPU\'s PLE window grows on each PAUSE exit.' },
  { name: 'ple_window_shrink', kind: 'module_param', value: '0x0', file: VMX_C, source: 'arch/x86/kvm/vmx/vmx.c (v6.12): KVM_DEFAULT_PLE_WINDOW_SHRINK', summary: 'kvm_intel param, default 0: how the PLE window shrinks (0 = reset to ple_window).' },
  { name: 'ple_window_max', kind: 'module_param', value: '0xFFFFFFFF', file: VMX_C, source: 'arch/x86/kvm/vmx/vmx.c (v6.12): KVM_VMX_DEFAULT_PLE_WINDOW_MAX', summary: 'kvm_intel param, default UINT_MAX: upper bound of the per-vCPU PLE window.' },
  { name: 'pt_mode', kind: 'module_param', value: '0x0', file: VMX_C, source: 'arch/x86/kvm/vmx/vmx.c (v6.12)', summary: 'kvm_intel param, default 0 (PT_MODE_SYSTEM): Intel PT host-only; 1 (host-guest) exposes PT to guests; the param is only settable with CONFIG_BROKEN since late 2024.', related: ['cpu_has_vmx_intel_pt'] },
  { name: 'sgx', kind: 'module_param', value: '0x1', file: 'arch/x86/kvm/vmx/sgx.c', source: 'arch/x86/kvm/vmx/sgx.c (v6.12): enable_sgx', aliases: ['enable_sgx'], summary: 'kvm_intel param, default 1: let guests use SGX (needs host SGX); gates ENCLS exiting in the secondary controls offered to L1.', related: ['SECONDARY_EXEC_ENCLS_EXITING'] },
  { name: 'vmentry_l1d_flush', kind: 'module_param', file: VMX_C, source: 'arch/x86/kvm/vmx/vmx.c (v6.12)', summary: 'kvm_intel param (string, default "auto"): L1TF mitigation, flush L1D before VM-entry: auto, never, cond, always.' },
  // ── generic vCPU requests (include/linux/kvm_host.h v6.12; value = request bit) ─────────────
  { name: 'KVM_REQ_TLB_FLUSH', kind: 'kvm_request', value: '0x0', file: 'include/linux/kvm_host.h', source: 'include/linux/kvm_host.h (v6.12)', summary: 'Generic request bit 0 (with WAIT|NO_WAKEUP): flush all of the vCPU\'s TLB entries.', related: ['KVM_REQ_TLB_FLUSH_CURRENT', 'KVM_REQ_TLB_FLUSH_GUEST'] },
  { name: 'KVM_REQ_VM_DEAD', kind: 'kvm_request', value: '0x1', file: 'include/linux/kvm_host.h', source: 'include/linux/kvm_host.h (v6.12)', summary: 'Generic request bit 1 (with WAIT|NO_WAKEUP): the VM is dead; vCPUs exit with -EIO.' },
  { name: 'KVM_REQ_UNBLOCK', kind: 'kvm_request', value: '0x2', file: 'include/linux/kvm_host.h', source: 'include/linux/kvm_host.h (v6.12)', summary: 'Generic request bit 2: wake a blocked vCPU to re-evaluate.' },
  { name: 'KVM_REQ_DIRTY_RING_SOFT_FULL', kind: 'kvm_request', value: '0x3', file: 'include/linux/kvm_host.h', source: 'include/linux/kvm_host.h (v6.12)', summary: 'Generic request bit 3: the vCPU\'s dirty ring reached its soft limit; exit to userspace.' },
  { name: 'KVM_REQUEST_NO_WAKEUP', kind: 'macro', value: '0x100', file: 'include/linux/kvm_host.h', source: 'include/linux/kvm_host.h (v6.12): BIT(8)', summary: 'Request flag: do not wake a blocked vCPU for this request.' },
  { name: 'KVM_REQUEST_WAIT', kind: 'macro', value: '0x200', file: 'include/linux/kvm_host.h', source: 'include/linux/kvm_host.h (v6.12): BIT(9)', summary: 'Request flag: the requester waits until the vCPU acknowledged (left guest mode).' },
  // ── VM-entry/exit interruption information and guest state encodings (arch/x86/include/asm/vmx.h) ──
  ...([
    ['INTR_INFO_VECTOR_MASK', '0xFF', 'bits 7:0 of an interruption-information field: the vector'],
    ['INTR_INFO_INTR_TYPE_MASK', '0x700', 'bits 10:8: the event type (INTR_TYPE_*)'],
    ['INTR_INFO_DELIVER_CODE_MASK', '0x800', 'bit 11: deliver an error code'],
    ['INTR_INFO_UNBLOCK_NMI', '0x1000', 'bit 12: NMI unblocking due to IRET'],
    ['INTR_INFO_VALID_MASK', '0x80000000', 'bit 31: the interruption information is valid (VM_ENTRY_INTR_INFO_FIELD checks run only then)'],
    ['INTR_INFO_RESVD_BITS_MASK', '0x7FFFF000', 'reserved bits 30:12 of VM_ENTRY_INTR_INFO_FIELD (must be 0: check N2)'],
    ['INTR_TYPE_EXT_INTR', '0x0', 'event type 0: external interrupt'],
    ['INTR_TYPE_RESERVED', '0x100', 'event type 1: reserved (injection rejected)'],
    ['INTR_TYPE_NMI_INTR', '0x200', 'event type 2: NMI (vector must be 2)'],
    ['INTR_TYPE_HARD_EXCEPTION', '0x300', 'event type 3: hardware exception (vector ≤ 31)'],
    ['INTR_TYPE_SOFT_INTR', '0x400', 'event type 4: software interrupt (INT n)'],
    ['INTR_TYPE_PRIV_SW_EXCEPTION', '0x500', 'event type 5: privileged software exception (INT1)'],
    ['INTR_TYPE_SOFT_EXCEPTION', '0x600', 'event type 6: software exception (INT3, INTO)'],
    ['INTR_TYPE_OTHER_EVENT', '0x700', 'event type 7: other event (MTF; needs MTF support)'],
    ['GUEST_ACTIVITY_ACTIVE', '0x0', 'GUEST_ACTIVITY_STATE 0: active'],
    ['GUEST_ACTIVITY_HLT', '0x1', 'GUEST_ACTIVITY_STATE 1: HLT (nested_vmx_run halts L2 without a wake-up event)'],
    ['GUEST_ACTIVITY_SHUTDOWN', '0x2', 'GUEST_ACTIVITY_STATE 2: shutdown (not accepted by KVM for L2, check G10)'],
    ['GUEST_ACTIVITY_WAIT_SIPI', '0x3', 'GUEST_ACTIVITY_STATE 3: wait-for-SIPI (accepted since v5.x; mp_state INIT_RECEIVED)'],
    ['GUEST_INTR_STATE_STI', '0x1', 'GUEST_INTERRUPTIBILITY_INFO bit 0: blocking by STI'],
    ['GUEST_INTR_STATE_MOV_SS', '0x2', 'GUEST_INTERRUPTIBILITY_INFO bit 1: blocking by MOV SS (VMLAUNCH/VMRESUME then fail with error 26)'],
    ['GUEST_INTR_STATE_SMI', '0x4', 'GUEST_INTERRUPTIBILITY_INFO bit 2: blocking by SMI'],
    ['GUEST_INTR_STATE_NMI', '0x8', 'GUEST_INTERRUPTIBILITY_INFO bit 3: blocking by NMI'],
    ['GUEST_INTR_STATE_ENCLAVE_INTR', '0x10', 'GUEST_INTERRUPTIBILITY_INFO bit 4: interrupted inside an SGX enclave'],
  ] as const).map(([name, value, summary]): SymbolFact => ({ name, kind: 'macro', value, file: 'arch/x86/include/asm/vmx.h', source: 'arch/x86/include/asm/vmx.h (v6.12); SDM Vol. 3C 25.8.3, 25.4.2', summary: summary[0].toUpperCase() + summary.slice(1) + '.' })),
  { name: 'CONFIG_KVM_HYPERV', kind: 'macro', file: 'arch/x86/kvm/Kconfig', source: 'kvm-nested-vmx.md §7 (≈v6.8, unverified)', summary: 'Kconfig option for Hyper-V emulation in KVM; the enlightened-VMCS code (eVMCS mapping, EVMPTR_MAP_PENDING handling) is built only with it.', related: ['nested_get_evmcs_page'] },
  { name: 'CONFIG_KVM_INTEL_PROVE_VE', kind: 'macro', file: 'arch/x86/kvm/Kconfig', source: 'kvm-nested-vmx.md §5.3 step 3', summary: 'Debug Kconfig option: keep the EPT-violation #VE control (SECONDARY_EXEC_EPT_VIOLATION_VE) that setup_vmcs_config otherwise drops.', related: ['SECONDARY_EXEC_EPT_VIOLATION_VE'] },
  // ── ioctls beyond the reference table (include/uapi/linux/kvm.h; values from the _IO/_IOR/_IOW encoding: dir<<30 | size<<16 | 0xAE<<8 | nr) ──
  { name: 'KVM_RUN', kind: 'ioctl', value: '0xAE80', file: 'include/uapi/linux/kvm.h', source: 'include/uapi/linux/kvm.h: _IO(KVMIO, 0x80)', summary: 'vCPU ioctl: run the guest until an exit KVM cannot handle; the first run after KVM_SET_NESTED_STATE services KVM_REQ_GET_NESTED_STATE_PAGES.', related: ['KVM_REQ_GET_NESTED_STATE_PAGES', 'KVM_EXIT_INTERNAL_ERROR'] },
  { name: 'KVM_CHECK_EXTENSION', kind: 'ioctl', value: '0xAE03', file: 'include/uapi/linux/kvm.h', source: 'include/uapi/linux/kvm.h: _IO(KVMIO, 0x03)', summary: 'Queries a KVM_CAP_*; for KVM_CAP_NESTED_STATE it returns the maximum nested-state size.', related: ['KVM_CAP_NESTED_STATE'] },
  { name: 'KVM_GET_SREGS', kind: 'ioctl', value: '0x8138AE83', file: 'include/uapi/linux/kvm.h', source: 'include/uapi/linux/kvm.h: _IOR(KVMIO, 0x83, struct kvm_sregs)', summary: 'vCPU ioctl: read segment and control registers (CR0, CR3, CR4, EFER, ...).' },
  { name: 'KVM_SET_SREGS', kind: 'ioctl', value: '0x4138AE84', file: 'include/uapi/linux/kvm.h', source: 'include/uapi/linux/kvm.h: _IOW(KVMIO, 0x84, struct kvm_sregs)', summary: 'vCPU ioctl: write segment and control registers; kvm_is_valid_sregs rejects an illegal CR3 in long mode (-EINVAL).', related: ['kvm_is_valid_sregs', 'kvm_vcpu_is_legal_cr3'] },
  { name: 'KVM_GET_MSRS', kind: 'ioctl', value: '0xC008AE88', file: 'include/uapi/linux/kvm.h', source: 'include/uapi/linux/kvm.h: _IOWR(KVMIO, 0x88, struct kvm_msrs)', summary: 'vCPU ioctl: read MSRs, including the nested VMX capability MSRs L1 sees.' },
  { name: 'KVM_SET_MSRS', kind: 'ioctl', value: '0x4008AE89', file: 'include/uapi/linux/kvm.h', source: 'include/uapi/linux/kvm.h: _IOW(KVMIO, 0x89, struct kvm_msrs)', summary: 'vCPU ioctl: write MSRs; nested VMX capability MSRs may only be restricted, and only before VMXON (vmx_set_vmx_msr).', related: ['vmx_set_vmx_msr'] },
  { name: 'KVM_SET_CPUID2', kind: 'ioctl', value: '0x4008AE90', file: 'include/uapi/linux/kvm.h', source: 'include/uapi/linux/kvm.h: _IOW(KVMIO, 0x90, struct kvm_cpuid2)', summary: 'vCPU ioctl: set guest CPUID; decides LAM usability, MAXPHYADDR (reserved GPA bits) and nested CR4_FIXED1.', related: ['vmx_vcpu_after_set_cpuid', 'X86_FEATURE_LAM'] },
  { name: 'KVM_ENABLE_CAP', kind: 'ioctl', value: '0x4068AEA3', file: 'include/uapi/linux/kvm.h', source: 'include/uapi/linux/kvm.h: _IOW(KVMIO, 0xa3, struct kvm_enable_cap)', summary: 'Enables a capability, e.g. KVM_CAP_HYPERV_ENLIGHTENED_VMCS on a vCPU.', related: ['KVM_CAP_HYPERV_ENLIGHTENED_VMCS'] },
  // ── types and helpers met in the seed patches ──────────────────────────────────────────────
  { name: 'kvm_vcpu', kind: 'struct', file: 'include/linux/kvm_host.h', source: 'include/linux/kvm_host.h', summary: 'A virtual CPU; its x86 state is vcpu->arch (struct kvm_vcpu_arch).', related: [ARCH] },
  { name: ARCH, kind: 'struct', file: KVM_HOST, source: 'arch/x86/include/asm/kvm_host.h', summary: 'x86 per-vCPU state: control registers (cr0, cr3, cr4, efer), guest-owned CR bits, MMUs (root_mmu, guest_mmu, nested_mmu, walk_mmu), reserved GPA bits.', related: ['kvm_vcpu'] },
  field(ARCH, 'cr0', KVM_HOST, 'guest CR0 as KVM tracks it (guest-owned bits may be stale until read back from the VMCS).', { source: 'kvm-nested-vmx.md §6', aliases: ['CR0'], related: ['kvm_set_cr0', 'cr0_guest_owned_bits', 'GUEST_CR0'] }),
  field(ARCH, 'cr3', KVM_HOST, 'guest CR3 as KVM tracks it; legality is kvm_vcpu_is_legal_cr3 (LAM bits 61/62 allowed with LAM).', { source: 'kvm-nested-vmx.md §4', aliases: ['CR3'], related: ['kvm_set_cr3', 'kvm_vcpu_is_legal_cr3', 'GUEST_CR3', 'HOST_CR3'], paths: ['cr3-write'] }),
  field(ARCH, 'cr4', KVM_HOST, 'guest CR4 as KVM tracks it.', { source: 'kvm-nested-vmx.md §1.2', aliases: ['CR4'], related: ['GUEST_CR4', 'HOST_CR4', 'KVM_MMU_CR4_ROLE_BITS'] }),
  field(ARCH, 'efer', KVM_HOST, 'guest EFER (MSR 0xC0000080) as KVM tracks it.', { source: 'kvm-nested-vmx.md §1.2', related: ['MSR_EFER', 'kvm_valid_efer'] }),
  { name: 'kvm_vmx', kind: 'struct', file: VMX_H, source: 'arch/x86/kvm/vmx/vmx.h', summary: 'VMX per-VM state wrapping struct kvm (to_kvm_vmx converts).' },
  { name: 'vcpu_vmx', kind: 'struct', file: VMX_H, source: 'arch/x86/kvm/vmx/vmx.h', summary: 'VMX per-vCPU state wrapping struct kvm_vcpu: vmcs01, loaded VMCS, nested state (struct nested_vmx), fail, emulation_required.', related: ['nested_vmx'] },
  { name: NVMX, kind: 'struct', file: VMX_H, source: 'arch/x86/kvm/vmx/vmx.h', summary: 'Nested VMX state of a vCPU (vmx->nested): VMXON state, current_vmptr, cached vmcs12, vmcs02, eVMCS pointer, nested capability MSRs, run/MTF pending flags.' },
  field('vcpu_vmx', 'vmcs01', VMX_H, 'the VMCS KVM uses to run L1 (struct loaded_vmcs).', { source: 'kvm-nested-vmx.md §2.1', aliases: ['VMCS01'] }),
  field(NVMX, 'vmcs02', VMX_H, 'the VMCS KVM builds from vmcs12 to run L2 (struct loaded_vmcs).', { source: 'kvm-nested-vmx.md §2.1', aliases: ['VMCS02'], related: ['prepare_vmcs02', 'prepare_vmcs02_early'] }),
  { name: 'vmcs', kind: 'struct', file: 'arch/x86/kvm/vmx/vmcs.h', source: 'arch/x86/kvm/vmx/vmcs.h', summary: 'A hardware VMCS region (revision id, abort indicator, data); KVM uses vmcs01 for L1 and vmcs02 for L2, and emulates vmcs12 in memory for L1.', aliases: ['VMCS'], related: ['vmcs12', 'vcpu_vmx.vmcs01', 'nested_vmx.vmcs02'] },
  { name: 'hv_enlightened_vmcs', kind: 'struct', file: 'arch/x86/include/asm/hyperv-tlfs.h', source: 'kvm-nested-vmx.md §7', summary: 'Hyper-V enlightened VMCS (eVMCS): a VMCS L1 accesses as plain memory, with clean-field bits, instead of VMREAD/VMWRITE; KVM maps it through the VP-assist page.', aliases: ['EVMCS', 'eVMCS'], related: ['nested_vmx_handle_enlightened_vmptrld', 'EVMPTR_MAP_PENDING', 'KVM_STATE_NESTED_EVMCS'] },
  { name: 'kvm_memory_slot', kind: 'struct', file: 'include/linux/kvm_host.h', source: 'include/linux/kvm_host.h', summary: 'One guest memory slot; its arch part holds per-gfn write-tracking counters (gfn_write_track, formerly gfn_track).' },
  { name: 'VCPU_EXREG_PDPTR', kind: 'macro', file: 'arch/x86/include/asm/kvm_host.h', source: 'enum kvm_reg', summary: 'Cache slot of the PAE PDPTRs in KVM\'s lazily loaded register cache.' },
  { name: 'VCPU_EXREG_CR0', kind: 'macro', file: 'arch/x86/include/asm/kvm_host.h', source: 'enum kvm_reg', summary: 'Cache slot of CR0: with guest-owned bits, CR0 is read back from the VMCS only when this slot is not available.' },
  { name: 'VCPU_EXREG_CR3', kind: 'macro', file: 'arch/x86/include/asm/kvm_host.h', source: 'kvm-nested-vmx.md §2.6, §8', summary: 'Cache slot of CR3; nested_vmx_load_cr3 marks it dirty (v6.12) or available (2021) after setting vcpu->arch.cr3.' },
  { name: 'VCPU_EXREG_CR4', kind: 'macro', file: 'arch/x86/include/asm/kvm_host.h', source: 'enum kvm_reg', summary: 'Cache slot of CR4.' },
  { name: 'VCPU_EXREG_EXIT_INFO_1', kind: 'macro', file: 'arch/x86/include/asm/kvm_host.h', source: 'enum kvm_reg', summary: 'Cache slot of the first exit-information value (VMX: exit qualification).' },
  { name: 'VCPU_EXREG_EXIT_INFO_2', kind: 'macro', file: 'arch/x86/include/asm/kvm_host.h', source: 'enum kvm_reg', summary: 'Cache slot of the second exit-information value (VMX: exit interruption information).' },
];

/** Functions that are small KVM helpers rather than steps of a path (kept here with the symbols). */
export const HELPERS: readonly { name: string; file: string; summary: string }[] = [
  { name: 'kvm_make_request', file: 'include/linux/kvm_host.h', summary: 'Sets a KVM_REQ_* bit in vcpu->requests; the vCPU services it before its next guest entry.' },
  { name: 'kvm_register_mark_available', file: 'arch/x86/kvm/kvm_cache_regs.h', summary: 'Marks a cached register slot (VCPU_EXREG_*) as holding the current value.' },
  { name: 'kvm_register_mark_dirty', file: 'arch/x86/kvm/kvm_cache_regs.h', summary: 'Marks a cached register slot as changed, to be written back to the VMCS.' },
  { name: 'to_kvm_vmx', file: 'arch/x86/kvm/vmx/vmx.h', summary: 'struct kvm → its enclosing struct kvm_vmx.' },
  { name: 'to_vmx', file: 'arch/x86/kvm/vmx/vmx.h', summary: 'struct kvm_vcpu → its enclosing struct vcpu_vmx.' },
  { name: 'get_vmcs12', file: 'arch/x86/kvm/vmx/nested.h', summary: 'The cached vmcs12 of a vCPU.' },
  { name: 'vmcs_readl', file: 'arch/x86/kvm/vmx/vmx_ops.h', summary: 'VMREAD of a natural-width field of the current VMCS.' },
  { name: 'vmcs_writel', file: 'arch/x86/kvm/vmx/vmx_ops.h', summary: 'VMWRITE of a natural-width field of the current VMCS.' },
  { name: 'vmcs_read32', file: 'arch/x86/kvm/vmx/vmx_ops.h', summary: 'VMREAD of a 32-bit field of the current VMCS.' },
  { name: 'vmcs_write32', file: 'arch/x86/kvm/vmx/vmx_ops.h', summary: 'VMWRITE of a 32-bit field of the current VMCS.' },
  { name: 'vmcs_read64', file: 'arch/x86/kvm/vmx/vmx_ops.h', summary: 'VMREAD of a 64-bit field of the current VMCS.' },
  { name: 'vmcs_write64', file: 'arch/x86/kvm/vmx/vmx_ops.h', summary: 'VMWRITE of a 64-bit field of the current VMCS.' },
  { name: 'cpuid_maxphyaddr', file: 'arch/x86/kvm/cpuid.h', summary: 'Guest MAXPHYADDR from CPUID 0x80000008 (the width of a legal GPA; bits at or above it are reserved).' },
  { name: 'vcpu_to_role_regs', file: 'arch/x86/kvm/mmu/mmu.c', summary: 'Collects the CR0/CR4/EFER bits that feed the MMU role (reads CR0 role bits, which may VMREAD guest-owned WP).' },
  { name: 'nested_cpu_has', file: 'arch/x86/kvm/vmx/nested.h', summary: 'vmcs12 primary execution control test.' },
  { name: 'nested_cpu_has2', file: 'arch/x86/kvm/vmx/nested.h', summary: 'vmcs12 secondary execution control test (only when secondary controls are activated).' },
  { name: 'nested_cpu_has_ept', file: 'arch/x86/kvm/vmx/nested.h', summary: 'vmcs12 enables EPT (nested EPT).' },
];

/** Extra context for rows of the constants table (same name): history, related names, paths. */
export const CONSTANT_NOTES: Readonly<Record<string, { details?: string; related?: string[]; paths?: string[]; history?: HistoryFact[]; aliases?: string[] }>> = {
  KVM_POSSIBLE_CR0_GUEST_BITS: { related: ['vmx_l1_guest_owned_cr0_bits', 'cr0_guest_owned_bits', 'X86_CR0_TS', 'X86_CR0_WP'], paths: ['cr0-write', 'nested-vmexit'],
    history: [{ era: '≤ v6.3', change: 'X86_CR0_TS (0x8)' }, { era: 'v6.4+ (seed 002)', change: 'X86_CR0_TS | X86_CR0_WP (0x10008)' }] },
  X86_CR3_LAM_U48: { related: ['kvm_vcpu_is_legal_cr3', 'X86_CR3_LAM_U57', 'X86_FEATURE_LAM'], paths: ['cr3-write', 'nested-vmentry'], aliases: ['LAM_U48', 'U48'] },
  X86_CR3_LAM_U57: { related: ['kvm_vcpu_is_legal_cr3', 'X86_CR3_LAM_U48', 'X86_FEATURE_LAM'], paths: ['cr3-write', 'nested-vmentry'], aliases: ['LAM_U57', 'U57'] },
  CPU_BASED_INTR_WINDOW_EXITING: { aliases: ['CPU_BASED_VIRTUAL_INTR_PENDING'], history: [{ era: '≤ v5.5', change: 'named CPU_BASED_VIRTUAL_INTR_PENDING' }] },
  CPU_BASED_NMI_WINDOW_EXITING: { aliases: ['CPU_BASED_VIRTUAL_NMI_PENDING'], history: [{ era: '≤ v5.5', change: 'named CPU_BASED_VIRTUAL_NMI_PENDING' }] },
  CPU_BASED_USE_TSC_OFFSETTING: { aliases: ['CPU_BASED_USE_TSC_OFFSETING'], history: [{ era: '≤ v5.5', change: 'spelled CPU_BASED_USE_TSC_OFFSETING' }] },
  SECONDARY_EXEC_ENABLE_RDTSCP: { aliases: ['SECONDARY_EXEC_RDTSCP'], history: [{ era: 'older kernels', change: 'named SECONDARY_EXEC_RDTSCP' }] },
  EXIT_REASON_INTERRUPT_WINDOW: { aliases: ['EXIT_REASON_PENDING_INTERRUPT'], history: [{ era: '≤ v5.5', change: 'named EXIT_REASON_PENDING_INTERRUPT' }] },
  SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY: { aliases: ['VID'] },
  SECONDARY_EXEC_UNRESTRICTED_GUEST: { aliases: ['URG'], related: ['unrestricted_guest'] },
  SECONDARY_EXEC_APIC_REGISTER_VIRT: { aliases: ['APIC_REG_VIRT'] },
  SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE: { aliases: ['VIRT_X2APIC'] },
  SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES: { aliases: ['VIRT_APIC_ACCESSES'] },
  VM_ENTRY_IA32E_MODE: { aliases: ['IA32E_MODE_GUEST'] },
  PIN_BASED_EXT_INTR_MASK: { aliases: ['EXT_INTR'] },
  EPT_POINTER: { aliases: ['EPTP'], related: ['nested_check_vm_execution_controls'] },
  MSR_EFER: { aliases: ['EFER', 'IA32_EFER'], related: ['kvm_valid_efer', 'kvm_vcpu_arch.efer'] },
  SECONDARY_EXEC_ENABLE_XSAVES: { aliases: ['SECONDARY_EXEC_XSAVES'], history: [{ era: '≤ v5.x', change: 'named SECONDARY_EXEC_XSAVES (the name in seed 001)' }] },
  X86_CR4_LAM_SUP: { related: ['X86_FEATURE_LAM', 'nested_vmx_cr_fixed1_bits_update'], aliases: ['LAM_SUP'] },
  HOST_CR3: { related: ['nested_vmx_check_host_state', 'nested_vmx_load_cr3', 'kvm_vcpu_is_legal_cr3'], paths: ['nested-vmentry', 'nested-vmexit', 'set-nested-state'] },
  GUEST_CR3: { related: ['prepare_vmcs02', 'nested_vmx_load_cr3', 'kvm_vcpu_is_legal_cr3'], paths: ['nested-vmentry', 'set-nested-state'] },
  CR0_GUEST_HOST_MASK: { related: ['cr0_guest_owned_bits', 'vmx_l1_guest_owned_cr0_bits'], paths: ['cr0-write', 'nested-vmentry'] },
  MSR_IA32_VMX_PROCBASED_CTLS2: { related: ['setup_vmcs_config', 'adjust_vmx_controls', 'SECONDARY_VM_EXEC_CONTROL'], paths: ['module-load'] },
  MSR_IA32_VMX_EPT_VPID_CAP: { related: ['setup_vmcs_config', 'vmx_capability', 'error_on_inconsistent_vmcs_config'], paths: ['module-load'] },
  error_on_inconsistent_vmcs_config: { related: ['setup_vmcs_config', 'vmcs_entry_exit_pairs'], paths: ['module-load'], history: [{ era: 'v6.0 cycle (seed 001 2/2)', change: 'added, default 1: inconsistent config rejects the load' }] },
  KVM_REQ_GET_NESTED_STATE_PAGES: { related: ['vmx_get_nested_state_pages', 'vmx_set_nested_state', 'nested_get_evmcs_page'], paths: ['set-nested-state'], history: [{ era: '≤ v5.10', change: 'named KVM_REQ_GET_VMCS12_PAGES' }] },
  EVMPTR_MAP_PENDING: { related: ['vmx_set_nested_state', 'nested_get_evmcs_page', 'vmx_get_nested_state'], paths: ['set-nested-state'] },
  KVM_STATE_NESTED_EVMCS: { related: ['vmx_set_nested_state', 'vmx_get_nested_state', 'EVMPTR_MAP_PENDING'], paths: ['set-nested-state'] },
  VM_ENTRY_LOAD_IA32_EFER: { related: ['VM_EXIT_LOAD_IA32_EFER', 'vmcs_entry_exit_pairs', 'cpu_has_load_ia32_efer'] },
  VM_EXIT_LOAD_IA32_EFER: { related: ['VM_ENTRY_LOAD_IA32_EFER', 'vmcs_entry_exit_pairs', 'HOST_IA32_EFER'] },
  ept: { aliases: ['enable_ept'], related: ['vmx_l1_guest_owned_cr0_bits', 'tdp_enabled'] },
  unrestricted_guest: { aliases: ['enable_unrestricted_guest'] },
  eptad: { aliases: ['enable_ept_ad_bits'] },
  vpid: { aliases: ['enable_vpid'] },
  flexpriority: { aliases: ['flexpriority_enabled'] },
  pml: { aliases: ['enable_pml'] },
  preemption_timer: { aliases: ['enable_preemption_timer'] },
  enable_apicv: { aliases: [] },
  VMX_EXIT_REASONS_FAILED_VMENTRY: { related: ['EXIT_REASON_INVALID_STATE', 'EXIT_REASON_MSR_LOAD_FAIL', 'nested_vmx_enter_non_root_mode'] },
};
