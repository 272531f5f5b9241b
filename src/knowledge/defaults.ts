// The simulator's defaults as tables: the module parameters of KVM v6.12, the VMX capability MSRs
// of a recent host, the default vmcs12 (a valid 64-bit L2 with EPT) and the MSR indices KVM
// emulates for a VMX guest. Scenarios start from these (sim/scenario.ts) and presets change them.
import { constantValue } from './names';

/** kvm_intel / kvm module parameters the simulator models (defaults as in v6.12). */
export const PARAM_DEFAULTS: Record<string, boolean> = {
  nested: true, ept: true, vpid: true, unrestricted_guest: true, eptad: true, flexpriority: true, vnmi: true,
  enable_apicv: true, enable_ipiv: true, pml: true, preemption_timer: true, emulate_invalid_guest_state: true,
  fasteoi: true, error_on_inconsistent_vmcs_config: true, dump_invalid_vmcs: false, allow_smaller_maxphyaddr: false,
  enlightened_vmcs: true, enable_shadow_vmcs: true, nested_early_check: false, enable_sgx: false,
};

/** Kernel variable names of the module parameters (and the kvm-wide name of ept) → the parameter. */
export const PARAM_ALIASES: Readonly<Record<string, string>> = {
  enable_ept: 'ept', enable_vpid: 'vpid', enable_unrestricted_guest: 'unrestricted_guest', enable_ept_ad_bits: 'eptad',
  flexpriority_enabled: 'flexpriority', tdp_enabled: 'ept', enable_pml: 'pml',
};

/** Physical VMX capability MSRs of a recent host (everything KVM v6.12 can use or nest). */
export const HOST_MSR_DEFAULT: Record<string, bigint> = {
  MSR_IA32_VMX_BASIC: 0x00d8100000000004n | (1n << 54n),
  MSR_IA32_VMX_PINBASED_CTLS: 0x000000ff00000016n,
  MSR_IA32_VMX_PROCBASED_CTLS: 0xfffbfffe0401e172n,
  MSR_IA32_VMX_EXIT_CTLS: 0x03ffffff00036dffn,
  MSR_IA32_VMX_ENTRY_CTLS: 0x0007ffff000011ffn,
  MSR_IA32_VMX_MISC: 0x00000000600401e5n,
  MSR_IA32_VMX_CR0_FIXED0: 0x80000021n,
  MSR_IA32_VMX_CR0_FIXED1: 0xffffffffn,
  MSR_IA32_VMX_CR4_FIXED0: 0x2000n,
  MSR_IA32_VMX_CR4_FIXED1: 0x1ff7fffn | 0x10000000n,
  MSR_IA32_VMX_VMCS_ENUM: 0x5en,
  MSR_IA32_VMX_PROCBASED_CTLS2: 0xd75fffff00000000n,
  MSR_IA32_VMX_EPT_VPID_CAP: 0x00000f0106734141n,
  MSR_IA32_VMX_TRUE_PINBASED_CTLS: 0x000000ff00000016n,
  MSR_IA32_VMX_TRUE_PROCBASED_CTLS: 0xfffbfffe04006172n,
  MSR_IA32_VMX_TRUE_EXIT_CTLS: 0x03ffffff00036dfbn,
  MSR_IA32_VMX_TRUE_ENTRY_CTLS: 0x0007ffff000011fbn,
  MSR_IA32_VMX_VMFUNC: 0x1n,
  MSR_IA32_VMX_PROCBASED_CTLS3: 0x10n,
};

/** The default vmcs12: a valid 64-bit L2 with EPT (nested VMX capability defaults of KVM v6.12). */
export const DEFAULT_VMCS12: ReadonlyMap<string, bigint> = defaultVmcs12();
function defaultVmcs12(): Map<string, bigint> {
  const c = (n: string): bigint => constantValue(n)!;
  const or = (...ns: string[]): bigint => ns.reduce((a, n) => a | c(n), 0n);
  const pin = c('PIN_BASED_ALWAYSON_WITHOUT_TRUE_MSR') | or('PIN_BASED_EXT_INTR_MASK', 'PIN_BASED_NMI_EXITING');
  const proc = (c('CPU_BASED_ALWAYSON_WITHOUT_TRUE_MSR') & ~or('CPU_BASED_CR3_LOAD_EXITING', 'CPU_BASED_CR3_STORE_EXITING')) | or('CPU_BASED_ACTIVATE_SECONDARY_CONTROLS');
  const exitCtl = (c('VM_EXIT_ALWAYSON_WITHOUT_TRUE_MSR') & ~c('VM_EXIT_SAVE_DEBUG_CONTROLS')) | or('VM_EXIT_HOST_ADDR_SPACE_SIZE', 'VM_EXIT_LOAD_IA32_EFER', 'VM_EXIT_LOAD_IA32_PAT', 'VM_EXIT_ACK_INTR_ON_EXIT');
  const entry = (c('VM_ENTRY_ALWAYSON_WITHOUT_TRUE_MSR') & ~c('VM_ENTRY_LOAD_DEBUG_CONTROLS')) | or('VM_ENTRY_IA32E_MODE', 'VM_ENTRY_LOAD_IA32_EFER');
  const pat = 0x0007040600070406n;
  const v: Record<string, bigint> = {
    PIN_BASED_VM_EXEC_CONTROL: pin, CPU_BASED_VM_EXEC_CONTROL: proc, SECONDARY_VM_EXEC_CONTROL: c('SECONDARY_EXEC_ENABLE_EPT'),
    VM_EXIT_CONTROLS: exitCtl, VM_ENTRY_CONTROLS: entry, EPT_POINTER: 0x201en, VMCS_LINK_POINTER: (1n << 64n) - 1n,
    HOST_CR0: 0x80050033n, HOST_CR3: 0x1000n, HOST_CR4: 0x3726a0n, HOST_IA32_EFER: 0xd01n, HOST_IA32_PAT: pat,
    HOST_CS_SELECTOR: 0x8n, HOST_SS_SELECTOR: 0x10n, HOST_DS_SELECTOR: 0x10n, HOST_ES_SELECTOR: 0x10n, HOST_FS_SELECTOR: 0x10n,
    HOST_GS_SELECTOR: 0x10n, HOST_TR_SELECTOR: 0x18n, HOST_RIP: 0x401000n, HOST_RSP: 0x7000n, HOST_GDTR_BASE: 0x8000n, HOST_IDTR_BASE: 0x9000n,
    HOST_TR_BASE: 0xa000n,
    GUEST_CR0: 0x80050033n, GUEST_CR3: 0x1000n, GUEST_CR4: 0x3726a0n, GUEST_IA32_EFER: 0xd01n, GUEST_IA32_PAT: pat, GUEST_DR7: 0x400n,
    GUEST_RFLAGS: 0x2n, GUEST_RIP: 0x402000n, GUEST_RSP: 0x6000n, GUEST_CS_SELECTOR: 0x8n, GUEST_SS_SELECTOR: 0x10n, GUEST_DS_SELECTOR: 0x10n,
    GUEST_ES_SELECTOR: 0x10n, GUEST_FS_SELECTOR: 0x10n, GUEST_GS_SELECTOR: 0x10n, GUEST_TR_SELECTOR: 0x18n,
    GUEST_CS_AR_BYTES: 0xa09bn, GUEST_SS_AR_BYTES: 0xc093n, GUEST_DS_AR_BYTES: 0xc093n, GUEST_ES_AR_BYTES: 0xc093n, GUEST_FS_AR_BYTES: 0xc093n,
    GUEST_GS_AR_BYTES: 0xc093n, GUEST_TR_AR_BYTES: 0x8bn, GUEST_LDTR_AR_BYTES: 0x10000n, GUEST_CS_LIMIT: 0xffffffffn, GUEST_SS_LIMIT: 0xffffffffn,
    GUEST_DS_LIMIT: 0xffffffffn, GUEST_ES_LIMIT: 0xffffffffn, GUEST_FS_LIMIT: 0xffffffffn, GUEST_GS_LIMIT: 0xffffffffn, GUEST_TR_LIMIT: 0x67n,
    GUEST_GDTR_LIMIT: 0xffffn, GUEST_IDTR_LIMIT: 0xffffn, GUEST_GDTR_BASE: 0x8000n, GUEST_IDTR_BASE: 0x9000n, GUEST_TR_BASE: 0xa000n,
    GUEST_ACTIVITY_STATE: 0n, CR0_READ_SHADOW: 0x80050033n, CR4_READ_SHADOW: 0x3726a0n,
  };
  return new Map(Object.entries(v).map(([k, x]) => [k.toLowerCase(), x]));
}

/**
 * MSR indices KVM x86 emulates for a VMX guest (a coarse restatement of arch/x86/kvm/x86.c
 * msrs_to_save/emulated_msrs, vmx.c vmx_set_msr and the PMU/MTRR/MCE/x2APIC/Hyper-V/KVM PV ranges).
 */
export const KNOWN_MSR_RANGES: readonly (readonly [number, number])[] = [
  [0x0, 0x1], [0x10, 0x10], [0x1b, 0x1b], [0x3a, 0x3b], [0x48, 0x49], [0x79, 0x79], [0x8b, 0x8b], [0x9b, 0x9b], [0x9e, 0x9e],
  [0xc1, 0xc8], [0xce, 0xce], [0xe7, 0xe8], [0xfe, 0xfe], [0x10a, 0x10b], [0x122, 0x122], [0x140, 0x140], [0x174, 0x176],
  [0x179, 0x17b], [0x186, 0x18d], [0x1a0, 0x1a0], [0x1c4, 0x1c5], [0x1d9, 0x1d9], [0x1db, 0x1de], [0x200, 0x20f],
  [0x250, 0x250], [0x258, 0x259], [0x268, 0x26f], [0x277, 0x277], [0x2ff, 0x2ff], [0x309, 0x30c], [0x345, 0x345],
  [0x38d, 0x391], [0x3f1, 0x3f1], [0x400, 0x47f], [0x480, 0x493], [0x4c1, 0x4c8], [0x560, 0x561], [0x570, 0x572],
  [0x580, 0x587], [0x6e0, 0x6e0], [0x800, 0x8ff], [0xd90, 0xd90], [0xda0, 0xda0], [0x1500, 0x1600],
  [0x40000000, 0x400000ff], [0x4b564d00, 0x4b564d08], [0xc0000080, 0xc0000084], [0xc0000100, 0xc0000104],
];
/** Whether KVM emulates the MSR `index` for a VMX guest. */
export function kvmKnowsMsr(index: bigint): boolean {
  const i = Number(index);
  return KNOWN_MSR_RANGES.some(([lo, hi]) => i >= lo && i <= hi);
}
