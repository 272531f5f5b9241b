// How KVM treats a guest (not host-initiated) access to an MSR from a VM-entry/VM-exit MSR list:
// nested_vmx_load_msr writes each entry with kvm_set_msr_with_filter, nested_vmx_store_msr reads
// with kvm_get_msr_with_filter. Restated per MSR from __kvm_set_msr, vmx_set_msr/vmx_get_msr and
// kvm_set_msr_common/kvm_get_msr_common (arch/x86/kvm/x86.c, vmx/vmx.c, 6.12.118), in our words.
// An MSR KVM does not handle at all fails both ways (ignore_msrs=0, the default). Pure data.

/** What a guest write needs to succeed. */
export type MsrWriteRule =
  /** Accepted (value not checked, or checked in ways the model does not track). */
  | 'ok'
  /** Only userspace (host-initiated) may write it: a guest write fails. */
  | 'host-only'
  /** The value must be canonical for the host's linear-address width (is_noncanonical_msr_address). */
  | 'canonical'
  /** Accepted; KVM makes the value canonical itself (SYSENTER_ESP/EIP). */
  | 'canonicalized'
  /** A value check the environment implements by name. */
  | 'efer' | 'pat' | 'debugctl' | 'bndcfgs' | 'tsc-aux' | 'apic-base' | 'x2apic' | 'feat-ctl' | 'umwait' | 'spec-ctrl' | 'xss' | 'cet';

export interface MsrAccess {
  lo: number;
  hi: number;
  name: string;
  write: MsrWriteRule;
  /** False when a guest read fails (write-only command MSRs). */
  read?: boolean;
  /** Guest CPUID features one of which the access needs (else it fails both ways). */
  needs?: readonly string[];
}

/** MSRs KVM emulates for a VMX guest, with the rule its write follows. Ranges are inclusive. */
export const MSR_ACCESS: readonly MsrAccess[] = [
  { lo: 0x0, hi: 0x1, name: 'MSR_IA32_P5_MC_ADDR/TYPE', write: 'ok' },
  { lo: 0x10, hi: 0x10, name: 'MSR_IA32_TSC', write: 'ok' },
  { lo: 0x1b, hi: 0x1b, name: 'MSR_IA32_APICBASE', write: 'apic-base' },
  { lo: 0x34, hi: 0x34, name: 'MSR_SMI_COUNT', write: 'host-only' },
  { lo: 0x3a, hi: 0x3a, name: 'MSR_IA32_FEAT_CTL', write: 'feat-ctl' },
  { lo: 0x3b, hi: 0x3b, name: 'MSR_IA32_TSC_ADJUST', write: 'ok' },
  { lo: 0x48, hi: 0x48, name: 'MSR_IA32_SPEC_CTRL', write: 'spec-ctrl' },
  { lo: 0x49, hi: 0x49, name: 'MSR_IA32_PRED_CMD', write: 'ok', read: false },
  { lo: 0x79, hi: 0x79, name: 'MSR_IA32_UCODE_WRITE', write: 'ok', read: false },
  { lo: 0x8b, hi: 0x8b, name: 'MSR_IA32_UCODE_REV', write: 'host-only' },
  { lo: 0x9b, hi: 0x9b, name: 'MSR_IA32_SMM_MONITOR_CTL', write: 'ok' },
  { lo: 0x9e, hi: 0x9e, name: 'MSR_IA32_SMBASE', write: 'host-only' },
  { lo: 0xc1, hi: 0xc8, name: 'MSR_IA32_PERFCTR0..7', write: 'ok' },
  { lo: 0xce, hi: 0xce, name: 'MSR_PLATFORM_INFO', write: 'host-only' },
  { lo: 0xe1, hi: 0xe1, name: 'MSR_IA32_UMWAIT_CONTROL', write: 'umwait', needs: ['WAITPKG'] },
  { lo: 0xe7, hi: 0xe8, name: 'MSR_IA32_MPERF/APERF', write: 'ok' },
  { lo: 0xfe, hi: 0xfe, name: 'MSR_MTRRcap', write: 'host-only' },
  { lo: 0x10a, hi: 0x10a, name: 'MSR_IA32_ARCH_CAPABILITIES', write: 'host-only' },
  { lo: 0x10b, hi: 0x10b, name: 'MSR_IA32_FLUSH_CMD', write: 'ok', read: false },
  { lo: 0x11e, hi: 0x11e, name: 'MSR_IA32_BBL_CR_CTL3', write: 'ok' },
  { lo: 0x122, hi: 0x122, name: 'MSR_IA32_TSX_CTRL', write: 'ok' },
  { lo: 0x140, hi: 0x140, name: 'MSR_MISC_FEATURES_ENABLES', write: 'ok' },
  { lo: 0x174, hi: 0x174, name: 'MSR_IA32_SYSENTER_CS', write: 'ok' },
  { lo: 0x175, hi: 0x176, name: 'MSR_IA32_SYSENTER_ESP/EIP', write: 'canonicalized' },
  { lo: 0x179, hi: 0x17b, name: 'MSR_IA32_MCG_CAP/STATUS/CTL', write: 'ok' },
  { lo: 0x186, hi: 0x18d, name: 'MSR_P6_EVNTSEL0..7', write: 'ok' },
  { lo: 0x1a0, hi: 0x1a0, name: 'MSR_IA32_MISC_ENABLE', write: 'ok' },
  { lo: 0x1c4, hi: 0x1c5, name: 'MSR_IA32_XFD/XFD_ERR', write: 'ok', needs: ['XFD'] },
  { lo: 0x1d9, hi: 0x1d9, name: 'MSR_IA32_DEBUGCTLMSR', write: 'debugctl' },
  { lo: 0x1db, hi: 0x1de, name: 'MSR_LBR_* (last branch/exception from/to)', write: 'ok' },
  { lo: 0x200, hi: 0x20f, name: 'MTRR physBase/physMask', write: 'ok' },
  { lo: 0x250, hi: 0x250, name: 'MSR_MTRRfix64K_00000', write: 'ok' },
  { lo: 0x258, hi: 0x259, name: 'MSR_MTRRfix16K_*', write: 'ok' },
  { lo: 0x268, hi: 0x26f, name: 'MSR_MTRRfix4K_*', write: 'ok' },
  { lo: 0x277, hi: 0x277, name: 'MSR_IA32_CR_PAT', write: 'pat' },
  { lo: 0x280, hi: 0x29f, name: 'MSR_IA32_MC0_CTL2..', write: 'ok' },
  { lo: 0x2ff, hi: 0x2ff, name: 'MSR_MTRRdefType', write: 'ok' },
  { lo: 0x309, hi: 0x30c, name: 'MSR_CORE_PERF_FIXED_CTR0..3', write: 'ok' },
  { lo: 0x345, hi: 0x345, name: 'MSR_IA32_PERF_CAPABILITIES', write: 'host-only' },
  { lo: 0x38d, hi: 0x391, name: 'MSR_CORE_PERF_FIXED_CTR_CTRL/GLOBAL_STATUS/CTRL/OVF_CTRL', write: 'ok' },
  { lo: 0x3f1, hi: 0x3f1, name: 'MSR_IA32_PEBS_ENABLE', write: 'ok' },
  { lo: 0x400, hi: 0x47f, name: 'MSR_IA32_MCx_CTL/STATUS/ADDR/MISC', write: 'ok' },
  { lo: 0x480, hi: 0x493, name: 'MSR_IA32_VMX_* (capability MSRs)', write: 'host-only' },
  { lo: 0x4c1, hi: 0x4c8, name: 'MSR_IA32_PMC0..7', write: 'ok' },
  { lo: 0x4d0, hi: 0x4d0, name: 'MSR_IA32_MCG_EXT_CTL', write: 'ok' },
  { lo: 0x560, hi: 0x561, name: 'MSR_IA32_RTIT_OUTPUT_BASE/MASK', write: 'ok' },
  { lo: 0x570, hi: 0x572, name: 'MSR_IA32_RTIT_CTL/STATUS/ADDR', write: 'ok' },
  { lo: 0x580, hi: 0x587, name: 'MSR_IA32_RTIT_ADDR0_A..3_B', write: 'ok' },
  { lo: 0x6a0, hi: 0x6a8, name: 'MSR_IA32_U_CET..INT_SSP_TAB', write: 'cet', needs: ['SHSTK', 'IBT'] },
  { lo: 0x6e0, hi: 0x6e0, name: 'MSR_IA32_TSC_DEADLINE', write: 'ok' },
  { lo: 0x800, hi: 0x8ff, name: 'x2APIC registers', write: 'x2apic' },
  { lo: 0xd90, hi: 0xd90, name: 'MSR_IA32_BNDCFGS', write: 'bndcfgs', needs: ['MPX'] },
  { lo: 0xda0, hi: 0xda0, name: 'MSR_IA32_XSS', write: 'xss', needs: ['XSAVES'] },
  { lo: 0x1500, hi: 0x1600, name: 'MSR_ARCH_LBR_*', write: 'ok' },
  { lo: 0x40000000, hi: 0x400000ff, name: 'Hyper-V synthetic MSRs', write: 'ok', needs: ['HYPERV'] },
  { lo: 0x4b564d00, hi: 0x4b564d08, name: 'MSR_KVM_* (paravirtual)', write: 'ok' },
  { lo: 0xc0000080, hi: 0xc0000080, name: 'MSR_EFER', write: 'efer' },
  { lo: 0xc0000081, hi: 0xc0000081, name: 'MSR_STAR', write: 'ok' },
  { lo: 0xc0000082, hi: 0xc0000083, name: 'MSR_LSTAR/CSTAR', write: 'canonical' },
  { lo: 0xc0000084, hi: 0xc0000084, name: 'MSR_SYSCALL_MASK', write: 'ok' },
  { lo: 0xc0000100, hi: 0xc0000102, name: 'MSR_FS_BASE/GS_BASE/KERNEL_GS_BASE', write: 'canonical' },
  { lo: 0xc0000103, hi: 0xc0000103, name: 'MSR_TSC_AUX', write: 'tsc-aux', needs: ['RDTSCP', 'RDPID'] },
];

/** The access entry of an MSR index, or undefined when KVM does not emulate it. */
export function msrAccess(index: bigint): MsrAccess | undefined {
  const i = Number(index);
  return MSR_ACCESS.find(m => i >= m.lo && i <= m.hi);
}
