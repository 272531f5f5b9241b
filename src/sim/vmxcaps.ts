// kvm_intel's view of the VMX capability MSRs (pure): setup_vmcs_config (module load) and the
// nested capability MSRs KVM offers L1 (nested_vmx_setup_ctls_msrs + per-vCPU CPUID updates).
// Source: Linux v6.12 arch/x86/kvm/vmx/vmx.c setup_vmcs_config, vmx_hardware_setup;
// arch/x86/kvm/vmx/vmx.h KVM_REQUIRED_/KVM_OPTIONAL_* control lists; arch/x86/kvm/vmx/nested.c
// nested_vmx_setup_*_ctls, nested_vmx_cr_fixed1_bits_update (reference kvm-nested-vmx.md §1.3, §5).
import { constantValue } from '../knowledge/names';

const c = (n: string): bigint => {
  const v = constantValue(n);
  if (v === undefined) throw new Error(`constant ${n} missing from the model`);
  return v;
};
const or = (...ns: string[]): bigint => ns.reduce((a, n) => a | c(n), 0n);

/** The control lists of arch/x86/kvm/vmx/vmx.h (v6.12, 64-bit build). */
export const KVM_CONTROL_LISTS: Record<string, bigint> = {
  KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL: or('CPU_BASED_HLT_EXITING', 'CPU_BASED_CR3_LOAD_EXITING', 'CPU_BASED_CR3_STORE_EXITING',
    'CPU_BASED_UNCOND_IO_EXITING', 'CPU_BASED_MOV_DR_EXITING', 'CPU_BASED_USE_TSC_OFFSETTING', 'CPU_BASED_MWAIT_EXITING',
    'CPU_BASED_MONITOR_EXITING', 'CPU_BASED_INVLPG_EXITING', 'CPU_BASED_RDPMC_EXITING', 'CPU_BASED_INTR_WINDOW_EXITING',
    'CPU_BASED_CR8_LOAD_EXITING', 'CPU_BASED_CR8_STORE_EXITING'),
  KVM_OPTIONAL_VMX_CPU_BASED_VM_EXEC_CONTROL: or('CPU_BASED_RDTSC_EXITING', 'CPU_BASED_TPR_SHADOW', 'CPU_BASED_USE_IO_BITMAPS',
    'CPU_BASED_MONITOR_TRAP_FLAG', 'CPU_BASED_USE_MSR_BITMAPS', 'CPU_BASED_NMI_WINDOW_EXITING', 'CPU_BASED_PAUSE_EXITING',
    'CPU_BASED_ACTIVATE_SECONDARY_CONTROLS', 'CPU_BASED_ACTIVATE_TERTIARY_CONTROLS'),
  KVM_REQUIRED_VMX_SECONDARY_VM_EXEC_CONTROL: 0n,
  KVM_OPTIONAL_VMX_SECONDARY_VM_EXEC_CONTROL: or('SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES', 'SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE',
    'SECONDARY_EXEC_WBINVD_EXITING', 'SECONDARY_EXEC_ENABLE_VPID', 'SECONDARY_EXEC_ENABLE_EPT', 'SECONDARY_EXEC_UNRESTRICTED_GUEST',
    'SECONDARY_EXEC_PAUSE_LOOP_EXITING', 'SECONDARY_EXEC_DESC', 'SECONDARY_EXEC_ENABLE_RDTSCP', 'SECONDARY_EXEC_ENABLE_INVPCID',
    'SECONDARY_EXEC_APIC_REGISTER_VIRT', 'SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY', 'SECONDARY_EXEC_SHADOW_VMCS', 'SECONDARY_EXEC_ENABLE_XSAVES',
    'SECONDARY_EXEC_RDSEED_EXITING', 'SECONDARY_EXEC_RDRAND_EXITING', 'SECONDARY_EXEC_ENABLE_PML', 'SECONDARY_EXEC_TSC_SCALING',
    'SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE', 'SECONDARY_EXEC_PT_USE_GPA', 'SECONDARY_EXEC_PT_CONCEAL_VMX', 'SECONDARY_EXEC_ENABLE_VMFUNC',
    'SECONDARY_EXEC_BUS_LOCK_DETECTION', 'SECONDARY_EXEC_NOTIFY_VM_EXITING', 'SECONDARY_EXEC_ENCLS_EXITING', 'SECONDARY_EXEC_EPT_VIOLATION_VE'),
  KVM_OPTIONAL_VMX_TERTIARY_VM_EXEC_CONTROL: or('TERTIARY_EXEC_IPI_VIRT'),
  KVM_REQUIRED_VMX_VM_EXIT_CONTROLS: or('VM_EXIT_SAVE_DEBUG_CONTROLS', 'VM_EXIT_ACK_INTR_ON_EXIT', 'VM_EXIT_HOST_ADDR_SPACE_SIZE'),
  KVM_OPTIONAL_VMX_VM_EXIT_CONTROLS: or('VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL', 'VM_EXIT_SAVE_IA32_PAT', 'VM_EXIT_LOAD_IA32_PAT',
    'VM_EXIT_SAVE_IA32_EFER', 'VM_EXIT_SAVE_VMX_PREEMPTION_TIMER', 'VM_EXIT_LOAD_IA32_EFER', 'VM_EXIT_CLEAR_BNDCFGS',
    'VM_EXIT_PT_CONCEAL_PIP', 'VM_EXIT_CLEAR_IA32_RTIT_CTL'),
  KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL: or('PIN_BASED_EXT_INTR_MASK', 'PIN_BASED_NMI_EXITING'),
  KVM_OPTIONAL_VMX_PIN_BASED_VM_EXEC_CONTROL: or('PIN_BASED_VIRTUAL_NMIS', 'PIN_BASED_POSTED_INTR', 'PIN_BASED_VMX_PREEMPTION_TIMER'),
  KVM_REQUIRED_VMX_VM_ENTRY_CONTROLS: or('VM_ENTRY_LOAD_DEBUG_CONTROLS', 'VM_ENTRY_IA32E_MODE'),
  KVM_OPTIONAL_VMX_VM_ENTRY_CONTROLS: or('VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL', 'VM_ENTRY_LOAD_IA32_PAT', 'VM_ENTRY_LOAD_IA32_EFER',
    'VM_ENTRY_LOAD_BNDCFGS', 'VM_ENTRY_PT_CONCEAL_PIP', 'VM_ENTRY_LOAD_IA32_RTIT_CTL'),
};

/** Controls an enlightened VMCS v1 can express (arch/x86/kvm/vmx/hyperv_evmcs.h, v6.12). */
export const EVMCS1_LISTS: Record<string, bigint> = {
  EVMCS1_SUPPORTED_PINCTRL: c('PIN_BASED_ALWAYSON_WITHOUT_TRUE_MSR') | or('PIN_BASED_EXT_INTR_MASK', 'PIN_BASED_NMI_EXITING', 'PIN_BASED_VIRTUAL_NMIS'),
  EVMCS1_SUPPORTED_EXEC_CTRL: c('CPU_BASED_ALWAYSON_WITHOUT_TRUE_MSR') | or('CPU_BASED_HLT_EXITING', 'CPU_BASED_CR3_LOAD_EXITING', 'CPU_BASED_CR3_STORE_EXITING',
    'CPU_BASED_UNCOND_IO_EXITING', 'CPU_BASED_MOV_DR_EXITING', 'CPU_BASED_USE_TSC_OFFSETTING', 'CPU_BASED_MWAIT_EXITING', 'CPU_BASED_MONITOR_EXITING',
    'CPU_BASED_INVLPG_EXITING', 'CPU_BASED_RDPMC_EXITING', 'CPU_BASED_INTR_WINDOW_EXITING', 'CPU_BASED_CR8_LOAD_EXITING', 'CPU_BASED_CR8_STORE_EXITING',
    'CPU_BASED_RDTSC_EXITING', 'CPU_BASED_TPR_SHADOW', 'CPU_BASED_USE_IO_BITMAPS', 'CPU_BASED_MONITOR_TRAP_FLAG', 'CPU_BASED_USE_MSR_BITMAPS',
    'CPU_BASED_NMI_WINDOW_EXITING', 'CPU_BASED_PAUSE_EXITING', 'CPU_BASED_ACTIVATE_SECONDARY_CONTROLS'),
  EVMCS1_SUPPORTED_2NDEXEC: or('SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE', 'SECONDARY_EXEC_WBINVD_EXITING', 'SECONDARY_EXEC_ENABLE_VPID', 'SECONDARY_EXEC_ENABLE_EPT',
    'SECONDARY_EXEC_UNRESTRICTED_GUEST', 'SECONDARY_EXEC_DESC', 'SECONDARY_EXEC_ENABLE_RDTSCP', 'SECONDARY_EXEC_ENABLE_INVPCID', 'SECONDARY_EXEC_ENABLE_XSAVES',
    'SECONDARY_EXEC_RDSEED_EXITING', 'SECONDARY_EXEC_RDRAND_EXITING', 'SECONDARY_EXEC_TSC_SCALING', 'SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE',
    'SECONDARY_EXEC_PT_USE_GPA', 'SECONDARY_EXEC_PT_CONCEAL_VMX', 'SECONDARY_EXEC_BUS_LOCK_DETECTION', 'SECONDARY_EXEC_NOTIFY_VM_EXITING',
    'SECONDARY_EXEC_ENCLS_EXITING'),
  EVMCS1_SUPPORTED_VMEXIT_CTRL: c('VM_EXIT_ALWAYSON_WITHOUT_TRUE_MSR') | or('VM_EXIT_SAVE_DEBUG_CONTROLS', 'VM_EXIT_ACK_INTR_ON_EXIT', 'VM_EXIT_HOST_ADDR_SPACE_SIZE',
    'VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL', 'VM_EXIT_SAVE_IA32_PAT', 'VM_EXIT_LOAD_IA32_PAT', 'VM_EXIT_SAVE_IA32_EFER', 'VM_EXIT_LOAD_IA32_EFER',
    'VM_EXIT_CLEAR_BNDCFGS', 'VM_EXIT_PT_CONCEAL_PIP', 'VM_EXIT_CLEAR_IA32_RTIT_CTL'),
  EVMCS1_SUPPORTED_VMENTRY_CTRL: c('VM_ENTRY_ALWAYSON_WITHOUT_TRUE_MSR') | or('VM_ENTRY_LOAD_DEBUG_CONTROLS', 'VM_ENTRY_IA32E_MODE', 'VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL',
    'VM_ENTRY_LOAD_IA32_PAT', 'VM_ENTRY_LOAD_IA32_EFER', 'VM_ENTRY_LOAD_BNDCFGS', 'VM_ENTRY_PT_CONCEAL_PIP', 'VM_ENTRY_LOAD_IA32_RTIT_CTL'),
  EVMCS1_SUPPORTED_VMFUNC: 0n,
};

/** vmcs_entry_exit_pairs of vmx.c (v6.12): [entry control, exit control]. */
export const ENTRY_EXIT_PAIRS: readonly (readonly [string, string])[] = [
  ['VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL', 'VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL'],
  ['VM_ENTRY_LOAD_IA32_PAT', 'VM_EXIT_LOAD_IA32_PAT'],
  ['VM_ENTRY_LOAD_IA32_EFER', 'VM_EXIT_LOAD_IA32_EFER'],
  ['VM_ENTRY_LOAD_BNDCFGS', 'VM_EXIT_CLEAR_BNDCFGS'],
  ['VM_ENTRY_LOAD_IA32_RTIT_CTL', 'VM_EXIT_CLEAR_IA32_RTIT_CTL'],
];

/** What setup_vmcs_config computes (vmcs_config + vmx_capability). */
export interface VmcsConfig {
  pin: bigint; cpu: bigint; cpu2: bigint; cpu3: bigint; exit: bigint; entry: bigint; misc: bigint; basic: bigint;
  eptCaps: bigint; vpidCaps: bigint;
  /** null when setup succeeded, else the errno name. */
  error: string | null;
  warnings: string[];
}

/** A check point inside setup_vmcs_config: decides (and may record) whether the step fails. */
export type Gate = (checkId: string, vars: Record<string, bigint>, natural: boolean) => boolean;

/** adjust_vmx_controls: ((min | opt) & allowed-1) | allowed-0. */
export function adjustVmxControls(min: bigint, opt: bigint, msr: bigint): bigint {
  const low = msr & 0xffffffffn, high = msr >> 32n;
  return ((min | opt) & high) | low;
}

/** setup_vmcs_config over the host's capability MSRs, in KVM's order; `gate` sees each check. */
export function setupVmcsConfig(host: Map<string, bigint>, params: Record<string, boolean>, hostFeatures: Set<string>, gate: Gate = (_i, _v, n) => n): VmcsConfig {
  const L = KVM_CONTROL_LISTS;
  const rd = (n: string): bigint => host.get(n) ?? 0n;
  const cfg: VmcsConfig = { pin: 0n, cpu: 0n, cpu2: 0n, cpu3: 0n, exit: 0n, entry: 0n, misc: 0n, basic: 0n, eptCaps: 0n, vpidCaps: 0n, error: null, warnings: [] };
  const failed = (e: string): VmcsConfig => ({ ...cfg, error: e });
  let warnedCaps = false;

  cfg.cpu = adjustVmxControls(L.KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL, L.KVM_OPTIONAL_VMX_CPU_BASED_VM_EXEC_CONTROL, rd('MSR_IA32_VMX_PROCBASED_CTLS'));
  if (gate('adjust-cpu-based', { _cpu_based_exec_control: cfg.cpu, MSR_IA32_VMX_PROCBASED_CTLS: rd('MSR_IA32_VMX_PROCBASED_CTLS') },
    (cfg.cpu & L.KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL) !== L.KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL)) return failed('EIO');
  if (cfg.cpu & c('CPU_BASED_ACTIVATE_SECONDARY_CONTROLS')) {
    cfg.cpu2 = adjustVmxControls(0n, L.KVM_OPTIONAL_VMX_SECONDARY_VM_EXEC_CONTROL, rd('MSR_IA32_VMX_PROCBASED_CTLS2'));
  }
  // CONFIG_KVM_INTEL_PROVE_VE is off in a default build.
  cfg.cpu2 &= ~c('SECONDARY_EXEC_EPT_VIOLATION_VE');
  if (!(cfg.cpu & c('CPU_BASED_TPR_SHADOW'))) cfg.cpu2 &= ~or('SECONDARY_EXEC_APIC_REGISTER_VIRT', 'SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE', 'SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY');
  const cap = rd('MSR_IA32_VMX_EPT_VPID_CAP');
  cfg.eptCaps = cap & 0xffffffffn;
  cfg.vpidCaps = cap >> 32n;
  const eoi = params.error_on_inconsistent_vmcs_config ? 1n : 0n;
  if (gate('ept-cap-without-ept', { _cpu_based_2nd_exec_control: cfg.cpu2, 'vmx_cap->ept': cfg.eptCaps, error_on_inconsistent_vmcs_config: eoi },
    !(cfg.cpu2 & c('SECONDARY_EXEC_ENABLE_EPT')) && cfg.eptCaps !== 0n)) {
    if (!warnedCaps) cfg.warnings.push('EPT CAP should not exist if not support 1-setting enable EPT VM-execution control');
    warnedCaps = true;
    if (params.error_on_inconsistent_vmcs_config) return failed('EIO');
    cfg.eptCaps = 0n;
    cfg.cpu2 &= ~c('SECONDARY_EXEC_EPT_VIOLATION_VE');
  }
  if (gate('vpid-cap-without-vpid', { _cpu_based_2nd_exec_control: cfg.cpu2, 'vmx_cap->vpid': cfg.vpidCaps, error_on_inconsistent_vmcs_config: eoi },
    !(cfg.cpu2 & c('SECONDARY_EXEC_ENABLE_VPID')) && cfg.vpidCaps !== 0n)) {
    cfg.warnings.push('VPID CAP should not exist if not support 1-setting enable VPID VM-execution control');
    if (params.error_on_inconsistent_vmcs_config) return failed('EIO');
    cfg.vpidCaps = 0n;
  }
  if (!hostFeatures.has('SGX')) cfg.cpu2 &= ~c('SECONDARY_EXEC_ENCLS_EXITING');
  if (cfg.cpu & c('CPU_BASED_ACTIVATE_TERTIARY_CONTROLS')) cfg.cpu3 = L.KVM_OPTIONAL_VMX_TERTIARY_VM_EXEC_CONTROL & rd('MSR_IA32_VMX_PROCBASED_CTLS3');

  cfg.exit = adjustVmxControls(L.KVM_REQUIRED_VMX_VM_EXIT_CONTROLS, L.KVM_OPTIONAL_VMX_VM_EXIT_CONTROLS, rd('MSR_IA32_VMX_EXIT_CTLS'));
  if (gate('adjust-vm-exit', { _vmexit_control: cfg.exit, MSR_IA32_VMX_EXIT_CTLS: rd('MSR_IA32_VMX_EXIT_CTLS') },
    (cfg.exit & L.KVM_REQUIRED_VMX_VM_EXIT_CONTROLS) !== L.KVM_REQUIRED_VMX_VM_EXIT_CONTROLS)) return failed('EIO');
  cfg.pin = adjustVmxControls(L.KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL, L.KVM_OPTIONAL_VMX_PIN_BASED_VM_EXEC_CONTROL, rd('MSR_IA32_VMX_PINBASED_CTLS'));
  if (gate('adjust-pin-based', { _pin_based_exec_control: cfg.pin, MSR_IA32_VMX_PINBASED_CTLS: rd('MSR_IA32_VMX_PINBASED_CTLS') },
    (cfg.pin & L.KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL) !== L.KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL)) return failed('EIO');
  if (!(cfg.cpu2 & c('SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY'))) cfg.pin &= ~c('PIN_BASED_POSTED_INTR');
  cfg.entry = adjustVmxControls(L.KVM_REQUIRED_VMX_VM_ENTRY_CONTROLS, L.KVM_OPTIONAL_VMX_VM_ENTRY_CONTROLS, rd('MSR_IA32_VMX_ENTRY_CTLS'));
  if (gate('adjust-vm-entry', { _vmentry_control: cfg.entry, MSR_IA32_VMX_ENTRY_CTLS: rd('MSR_IA32_VMX_ENTRY_CTLS') },
    (cfg.entry & L.KVM_REQUIRED_VMX_VM_ENTRY_CONTROLS) !== L.KVM_REQUIRED_VMX_VM_ENTRY_CONTROLS)) return failed('EIO');

  let warnedPair = false;
  for (const [n, x] of ENTRY_EXIT_PAIRS) {
    const nCtl = c(n), xCtl = c(x);
    const vars = { _vmentry_control: cfg.entry, _vmexit_control: cfg.exit, n_ctrl: nCtl, x_ctrl: xCtl, error_on_inconsistent_vmcs_config: eoi };
    if (!gate('entry-exit-pair', vars, !(cfg.entry & nCtl) !== !(cfg.exit & xCtl))) continue;
    // pr_warn_once: one call site, so only the first inconsistent pair is ever printed.
    if (!warnedPair) cfg.warnings.push(`Inconsistent VM-Entry/VM-Exit pair, entry = ${(cfg.entry & nCtl).toString(16)}, exit = ${(cfg.exit & xCtl).toString(16)}`);
    warnedPair = true;
    if (params.error_on_inconsistent_vmcs_config) return failed('EIO');
    cfg.entry &= ~nCtl;
    cfg.exit &= ~xCtl;
  }
  cfg.basic = rd('MSR_IA32_VMX_BASIC');
  const high = cfg.basic >> 32n;
  if (gate('basic-vmcs-size', { vmx_msr_high: high }, (high & 0x1fffn) > 0x1000n)) return failed('EIO');
  if (gate('basic-32bit-pa', { vmx_msr_high: high }, (high & (1n << 16n)) !== 0n)) return failed('EIO');
  if (gate('basic-memtype-wb', { vmx_msr_high: high }, ((high >> 18n) & 15n) !== 6n)) return failed('EIO');
  cfg.misc = rd('MSR_IA32_VMX_MISC');
  return cfg;
}

/** Module parameters after vmx_hardware_setup trims them to what the CPU supports. */
export function effectiveParams(cfg: VmcsConfig, params: Record<string, boolean>): Record<string, boolean> {
  const p = { ...params };
  const has2 = (n: string): boolean => (cfg.cpu & c('CPU_BASED_ACTIVATE_SECONDARY_CONTROLS')) !== 0n && (cfg.cpu2 & c(n)) !== 0n;
  const vpidOk = has2('SECONDARY_EXEC_ENABLE_VPID') && (cfg.vpidCaps & 1n) !== 0n && (cfg.vpidCaps & 0x600n) !== 0n;
  if (!vpidOk) p.vpid = false;
  const eptOk = has2('SECONDARY_EXEC_ENABLE_EPT') && (cfg.eptCaps & c('VMX_EPT_PAGE_WALK_4_BIT')) !== 0n && (cfg.eptCaps & c('VMX_EPTP_WB_BIT')) !== 0n
    && (cfg.eptCaps & c('VMX_EPT_INVEPT_BIT')) !== 0n && (cfg.eptCaps & c('VMX_EPT_EXTENT_GLOBAL_BIT')) !== 0n;
  if (!eptOk) p.ept = false;
  if (!(cfg.eptCaps & c('VMX_EPT_AD_BIT')) || !p.ept) p.eptad = false;
  if (!has2('SECONDARY_EXEC_UNRESTRICTED_GUEST') || !p.ept) p.unrestricted_guest = false;
  if (!has2('SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES')) p.flexpriority = false;
  if (!(cfg.pin & c('PIN_BASED_VIRTUAL_NMIS'))) p.vnmi = false;
  if (!has2('SECONDARY_EXEC_ENABLE_PML') || !p.ept) p.pml = false;
  if (!has2('SECONDARY_EXEC_APIC_REGISTER_VIRT') || !has2('SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY') || !(cfg.pin & c('PIN_BASED_POSTED_INTR'))) p.enable_apicv = false;
  if (!(cfg.pin & c('PIN_BASED_VMX_PREEMPTION_TIMER'))) p.preemption_timer = false;
  if (!has2('SECONDARY_EXEC_SHADOW_VMCS')) p.enable_shadow_vmcs = false;
  return p;
}

/** vmx->nested.msrs: the VMX capabilities KVM reports to L1. */
export interface NestedMsrs {
  basic: bigint; pinbased_ctls_low: bigint; pinbased_ctls_high: bigint; procbased_ctls_low: bigint; procbased_ctls_high: bigint;
  secondary_ctls_low: bigint; secondary_ctls_high: bigint; exit_ctls_low: bigint; exit_ctls_high: bigint; entry_ctls_low: bigint;
  entry_ctls_high: bigint; misc_low: bigint; misc_high: bigint; cr0_fixed0: bigint; cr0_fixed1: bigint; cr4_fixed0: bigint;
  cr4_fixed1: bigint; vmcs_enum: bigint; ept_caps: bigint; vpid_caps: bigint; vmfunc_controls: bigint;
}

/** CR4 bits each CPUID feature makes legal (nested_vmx_cr_fixed1_bits_update, __cr4_reserved_bits). */
export const CR4_FEATURE_BITS: readonly (readonly [string, string])[] = [
  ['X86_CR4_VME', 'VME'], ['X86_CR4_PVI', 'VME'], ['X86_CR4_TSD', 'TSC'], ['X86_CR4_DE', 'DE'], ['X86_CR4_PSE', 'PSE'],
  ['X86_CR4_PAE', 'PAE'], ['X86_CR4_MCE', 'MCE'], ['X86_CR4_PGE', 'PGE'], ['X86_CR4_OSFXSR', 'FXSR'], ['X86_CR4_OSXMMEXCPT', 'XMM'],
  ['X86_CR4_VMXE', 'VMX'], ['X86_CR4_SMXE', 'SMX'], ['X86_CR4_PCIDE', 'PCID'], ['X86_CR4_OSXSAVE', 'XSAVE'],
  ['X86_CR4_FSGSBASE', 'FSGSBASE'], ['X86_CR4_SMEP', 'SMEP'], ['X86_CR4_SMAP', 'SMAP'], ['X86_CR4_PKE', 'PKU'],
  ['X86_CR4_UMIP', 'UMIP'], ['X86_CR4_LA57', 'LA57'], ['X86_CR4_LAM_SUP', 'LAM'],
];

/** CR4 bits that are legal for a vCPU with these CPUID features (always PCE). */
export function cr4AllowedBits(features: Set<string>): bigint {
  let v = c('X86_CR4_PCE');
  for (const [bit, f] of CR4_FEATURE_BITS) if (features.has(f)) v |= c(bit);
  return v;
}

/** nested_vmx_setup_ctls_msrs over vmcs_config, then the per-vCPU CPUID-driven updates. */
export function deriveNestedMsrs(cfg: VmcsConfig, host: Map<string, bigint>, params: Record<string, boolean>, guest: Set<string>, vpmuGlobalCtrl: boolean): NestedMsrs {
  const p = effectiveParams(cfg, params);
  const n: NestedMsrs = {
    basic: 0n, pinbased_ctls_low: 0n, pinbased_ctls_high: 0n, procbased_ctls_low: 0n, procbased_ctls_high: 0n, secondary_ctls_low: 0n,
    secondary_ctls_high: 0n, exit_ctls_low: 0n, exit_ctls_high: 0n, entry_ctls_low: 0n, entry_ctls_high: 0n, misc_low: 0n, misc_high: 0n,
    cr0_fixed0: 0n, cr0_fixed1: 0n, cr4_fixed0: 0n, cr4_fixed1: 0n, vmcs_enum: 0n, ept_caps: 0n, vpid_caps: 0n, vmfunc_controls: 0n,
  };
  n.pinbased_ctls_low = c('PIN_BASED_ALWAYSON_WITHOUT_TRUE_MSR');
  n.pinbased_ctls_high = (cfg.pin & (or('PIN_BASED_EXT_INTR_MASK', 'PIN_BASED_NMI_EXITING', 'PIN_BASED_VIRTUAL_NMIS') | (p.enable_apicv ? c('PIN_BASED_POSTED_INTR') : 0n)))
    | c('PIN_BASED_ALWAYSON_WITHOUT_TRUE_MSR') | c('PIN_BASED_VMX_PREEMPTION_TIMER');

  n.exit_ctls_low = c('VM_EXIT_ALWAYSON_WITHOUT_TRUE_MSR') & ~c('VM_EXIT_SAVE_DEBUG_CONTROLS');
  n.exit_ctls_high = (cfg.exit & or('VM_EXIT_HOST_ADDR_SPACE_SIZE', 'VM_EXIT_LOAD_IA32_PAT', 'VM_EXIT_SAVE_IA32_PAT', 'VM_EXIT_CLEAR_BNDCFGS'))
    | c('VM_EXIT_ALWAYSON_WITHOUT_TRUE_MSR') | or('VM_EXIT_LOAD_IA32_EFER', 'VM_EXIT_SAVE_IA32_EFER', 'VM_EXIT_SAVE_VMX_PREEMPTION_TIMER', 'VM_EXIT_ACK_INTR_ON_EXIT', 'VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL');

  n.entry_ctls_low = c('VM_ENTRY_ALWAYSON_WITHOUT_TRUE_MSR') & ~c('VM_ENTRY_LOAD_DEBUG_CONTROLS');
  n.entry_ctls_high = (cfg.entry & or('VM_ENTRY_IA32E_MODE', 'VM_ENTRY_LOAD_IA32_PAT', 'VM_ENTRY_LOAD_BNDCFGS'))
    | c('VM_ENTRY_ALWAYSON_WITHOUT_TRUE_MSR') | or('VM_ENTRY_LOAD_IA32_EFER', 'VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL');

  n.procbased_ctls_low = c('CPU_BASED_ALWAYSON_WITHOUT_TRUE_MSR') & ~or('CPU_BASED_CR3_LOAD_EXITING', 'CPU_BASED_CR3_STORE_EXITING');
  n.procbased_ctls_high = (cfg.cpu & or('CPU_BASED_INTR_WINDOW_EXITING', 'CPU_BASED_NMI_WINDOW_EXITING', 'CPU_BASED_USE_TSC_OFFSETTING',
    'CPU_BASED_HLT_EXITING', 'CPU_BASED_INVLPG_EXITING', 'CPU_BASED_MWAIT_EXITING', 'CPU_BASED_CR3_LOAD_EXITING', 'CPU_BASED_CR3_STORE_EXITING',
    'CPU_BASED_CR8_LOAD_EXITING', 'CPU_BASED_CR8_STORE_EXITING', 'CPU_BASED_MOV_DR_EXITING', 'CPU_BASED_UNCOND_IO_EXITING',
    'CPU_BASED_USE_IO_BITMAPS', 'CPU_BASED_MONITOR_TRAP_FLAG', 'CPU_BASED_MONITOR_EXITING', 'CPU_BASED_RDPMC_EXITING',
    'CPU_BASED_RDTSC_EXITING', 'CPU_BASED_PAUSE_EXITING', 'CPU_BASED_TPR_SHADOW', 'CPU_BASED_ACTIVATE_SECONDARY_CONTROLS'))
    | c('CPU_BASED_ALWAYSON_WITHOUT_TRUE_MSR') | c('CPU_BASED_USE_MSR_BITMAPS');

  n.secondary_ctls_low = 0n;
  n.secondary_ctls_high = (cfg.cpu2 & or('SECONDARY_EXEC_DESC', 'SECONDARY_EXEC_ENABLE_RDTSCP', 'SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE',
    'SECONDARY_EXEC_WBINVD_EXITING', 'SECONDARY_EXEC_APIC_REGISTER_VIRT', 'SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY', 'SECONDARY_EXEC_RDRAND_EXITING',
    'SECONDARY_EXEC_ENABLE_INVPCID', 'SECONDARY_EXEC_ENABLE_VMFUNC', 'SECONDARY_EXEC_RDSEED_EXITING', 'SECONDARY_EXEC_ENABLE_XSAVES',
    'SECONDARY_EXEC_TSC_SCALING', 'SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE')) | c('SECONDARY_EXEC_SHADOW_VMCS');
  if (p.ept) {
    n.secondary_ctls_high |= c('SECONDARY_EXEC_ENABLE_EPT');
    n.ept_caps = (or('VMX_EPT_PAGE_WALK_4_BIT', 'VMX_EPT_PAGE_WALK_5_BIT', 'VMX_EPTP_WB_BIT', 'VMX_EPT_INVEPT_BIT', 'VMX_EPT_EXECUTE_ONLY_BIT') & cfg.eptCaps)
      | or('VMX_EPT_EXTENT_GLOBAL_BIT', 'VMX_EPT_EXTENT_CONTEXT_BIT', 'VMX_EPT_2MB_PAGE_BIT', 'VMX_EPT_1GB_PAGE_BIT');
    if (p.eptad) { n.secondary_ctls_high |= c('SECONDARY_EXEC_ENABLE_PML'); n.ept_caps |= c('VMX_EPT_AD_BIT'); }
    if (cfg.cpu2 & c('SECONDARY_EXEC_ENABLE_VMFUNC')) { n.secondary_ctls_high |= c('SECONDARY_EXEC_ENABLE_VMFUNC'); n.vmfunc_controls = c('VMX_VMFUNC_EPTP_SWITCHING'); }
  }
  if (p.vpid) { n.secondary_ctls_high |= c('SECONDARY_EXEC_ENABLE_VPID'); n.vpid_caps = c('VMX_VPID_INVVPID_BIT') | c('VMX_VPID_EXTENT_SUPPORTED_MASK'); }
  if (p.unrestricted_guest) n.secondary_ctls_high |= c('SECONDARY_EXEC_UNRESTRICTED_GUEST');
  if (p.flexpriority) n.secondary_ctls_high |= c('SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES');
  if (p.enable_sgx) n.secondary_ctls_high |= c('SECONDARY_EXEC_ENCLS_EXITING');

  n.misc_low = (cfg.misc & 0xffffffffn & c('VMX_MISC_SAVE_EFER_LMA')) | c('VMX_MISC_VMWRITE_SHADOW_RO_FIELDS') | 5n
    | c('VMX_MISC_ACTIVITY_HLT') | c('VMX_MISC_ACTIVITY_WAIT_SIPI');
  n.misc_high = 0n;
  n.basic = 0x11e57ed0n | c('VMX_BASIC_TRUE_CTLS') | (0x1000n << 32n) | (6n << 50n) | (cfg.basic & c('VMX_BASIC_INOUT'));
  n.cr0_fixed0 = c('VMXON_CR0_ALWAYSON');
  n.cr4_fixed0 = c('VMXON_CR4_ALWAYSON');
  n.vmcs_enum = 0x5en << 1n;

  // Per-vCPU updates on KVM_SET_CPUID (vmx_vcpu_after_set_cpuid).
  n.cr0_fixed1 = 0xffffffffn;
  n.cr4_fixed1 = cr4AllowedBits(guest);
  // vmx_adjust_secondary_exec_control: controls for features L1's CPUID lacks are not offered.
  const byCpuid: [string, boolean][] = [
    ['SECONDARY_EXEC_ENABLE_RDTSCP', guest.has('RDTSCP') || guest.has('RDPID')],
    ['SECONDARY_EXEC_ENABLE_INVPCID', guest.has('INVPCID') && guest.has('PCID')],
    ['SECONDARY_EXEC_ENABLE_XSAVES', guest.has('XSAVE') && guest.has('XSAVES')],
    ['SECONDARY_EXEC_RDRAND_EXITING', guest.has('RDRAND')],
    ['SECONDARY_EXEC_RDSEED_EXITING', guest.has('RDSEED')],
    ['SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE', guest.has('WAITPKG')],
  ];
  for (const [ctl, on] of byCpuid) {
    if (on && (cfg.cpu2 & c(ctl))) n.secondary_ctls_high |= c(ctl); else n.secondary_ctls_high &= ~c(ctl);
  }
  const mpx = guest.has('MPX') && (cfg.entry & c('VM_ENTRY_LOAD_BNDCFGS')) !== 0n && (cfg.exit & c('VM_EXIT_CLEAR_BNDCFGS')) !== 0n;
  if (mpx) { n.entry_ctls_high |= c('VM_ENTRY_LOAD_BNDCFGS'); n.exit_ctls_high |= c('VM_EXIT_CLEAR_BNDCFGS'); }
  else { n.entry_ctls_high &= ~c('VM_ENTRY_LOAD_BNDCFGS'); n.exit_ctls_high &= ~c('VM_EXIT_CLEAR_BNDCFGS'); }
  if (!vpmuGlobalCtrl) { n.entry_ctls_high &= ~c('VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL'); n.exit_ctls_high &= ~c('VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL'); }
  void host;
  return n;
}

/** The vmcs_config kvm_intel ends up with, ignoring a failed load (used to derive nested MSRs). */
export function computeVmcsConfig(host: Map<string, bigint>, params: Record<string, boolean>, hostFeatures: Set<string>): VmcsConfig {
  // Derive nested capabilities from the non-failing view: a host that would fail to load still
  // yields the controls it supports (the failing checks are reported by the module-load path).
  return setupVmcsConfig(host, { ...params, error_on_inconsistent_vmcs_config: false }, hostFeatures, (_i, _v, natural) => natural && !_i.startsWith('adjust') && !_i.startsWith('basic') ? true : false);
}
