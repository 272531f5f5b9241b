// KVM quirks (KVM_CAP_DISABLE_QUIRKS2 bits, arch/x86/include/uapi/asm/kvm.h of 6.12.118) and the
// CPU errata setup_vmcs_config works around (arch/x86/kvm/vmx/vmx.c, 6.12.118). Names and values
// only; the behaviour they change is restated where the checks use them. Pure data.

/** KVM_X86_QUIRK_* name → bit. Every quirk is enabled unless userspace disables it. */
export const KVM_QUIRKS: Readonly<Record<string, bigint>> = {
  KVM_X86_QUIRK_LINT0_REENABLED: 1n << 0n,
  KVM_X86_QUIRK_CD_NW_CLEARED: 1n << 1n,
  KVM_X86_QUIRK_LAPIC_MMIO_HOLE: 1n << 2n,
  KVM_X86_QUIRK_OUT_7E_INC_RIP: 1n << 3n,
  KVM_X86_QUIRK_MISC_ENABLE_NO_MWAIT: 1n << 4n,
  KVM_X86_QUIRK_FIX_HYPERCALL_INSN: 1n << 5n,
  KVM_X86_QUIRK_MWAIT_NEVER_UD_FAULTS: 1n << 6n,
  KVM_X86_QUIRK_SLOT_ZAP_ALL: 1n << 7n,
  KVM_X86_QUIRK_STUFF_FEATURE_MSRS: 1n << 8n,
  KVM_X86_QUIRK_IGNORE_GUEST_PAT: 1n << 9n,
  /** The guest DEBUGCTL consistency check ignores FREEZE_IN_SMM (bit 14) while this is enabled. */
  KVM_X86_QUIRK_VMCS12_ALLOW_FREEZE_IN_SMM: 1n << 10n,
};
export const KVM_QUIRK_NAMES: readonly string[] = Object.keys(KVM_QUIRKS);

/**
 * CPUID.1:EAX signatures (reserved bits 15:14 and 31:28 cleared) of CPUs whose VMX-preemption
 * timer is broken: setup_vmcs_config drops the "activate VMX-preemption timer" pin control on them.
 */
export const BROKEN_PREEMPTION_TIMER_SIGNATURES: readonly bigint[] = [
  0x000206e6n, 0x00020652n, 0x00020655n, 0x000106e5n, 0x000106a0n, 0x000106a1n, 0x000106a4n, 0x000106a5n, 0x000306a8n,
];

/**
 * Family-6 models (Nehalem-EP/Nehalem/Westmere/Westmere-EP/Nehalem-EX) on which setup_vmcs_config
 * drops the load-IA32_PERF_GLOBAL_CTRL entry and exit controls (an erratum clears bits 34:32 on exit)
 * and warns once that it uses the MSR-load workaround.
 */
export const PERF_GLOBAL_CTRL_ERRATUM_MODELS: readonly number[] = [0x1a, 0x1e, 0x25, 0x2c, 0x2e];
export const PERF_GLOBAL_CTRL_ERRATUM_WARNING = 'VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL does not work properly. Using workaround';

/** Display family/model of a CPUID.1:EAX signature. */
export function cpuFamilyModel(signature: bigint): { family: number; model: number } {
  const base = Number((signature >> 8n) & 0xfn);
  const ext = Number((signature >> 20n) & 0xffn);
  const family = base === 0xf ? base + ext : base;
  const model = Number((signature >> 4n) & 0xfn) | ((base === 0x6 || base === 0xf) ? Number((signature >> 16n) & 0xfn) << 4 : 0);
  return { family, model };
}
