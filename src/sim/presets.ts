// Scenario presets selectable as `base` (cli-contract.md "simulate"). Each is an overlay in the
// scenario JSON format itself on top of the built-in default, so a preset is exactly what a
// reviewer could have written by hand. Sources for the capability values: SDM Vol. 3D App. A
// (capability MSR layout) and the feature generations noted per preset.

/** The scenario JSON shape (every key optional; see cli-contract.md). */
export interface ScenarioJson {
  base?: string;
  params?: Record<string, unknown>;
  cpuid?: { maxphyaddr?: unknown; features?: Record<string, unknown> };
  host?: { features?: Record<string, unknown> };
  hostMsrs?: Record<string, unknown>;
  l1Msrs?: Record<string, unknown>;
  l1?: Record<string, unknown>;
  vmcs12?: Record<string, unknown>;
  nestedState?: Record<string, unknown>;
  write?: Record<string, unknown>;
  msrLists?: Record<string, unknown>;
  pmu?: Record<string, unknown>;
  exit?: Record<string, unknown>;
  evmcs?: Record<string, unknown>;
  linkedVmcs?: Record<string, unknown>;
  memory?: Record<string, unknown>;
  [other: string]: unknown;
}

export interface Preset { name: string; summary: string; overlay: ScenarioJson }

export const PRESETS: readonly Preset[] = [
  { name: 'default', overlay: {},
    summary: 'Valid 64-bit L1 launching a valid 64-bit L2 with EPT; host and KVM offer everything KVM v6.12 can nest (LAM included, eVMCS capability enabled); kvm_intel defaults; guest MAXPHYADDR 46; L1 CR0 0x80050033.' },
  { name: 'no-lam', overlay: { host: { features: { LAM: false } }, cpuid: { features: { LAM: false } } },
    summary: 'A host CPU without LAM (pre-Sierra Forest/Arrow Lake): KVM cannot offer LAM, L1 CPUID has no LAM; CR3 bits 61/62 and CR4.LAM_SUP are reserved.' },
  { name: 'ept-off', overlay: { params: { ept: false }, vmcs12: { SECONDARY_VM_EXEC_CONTROL: { clear: ['SECONDARY_EXEC_ENABLE_EPT'] } } },
    summary: 'kvm_intel loaded with ept=0 (shadow paging): no nested EPT or unrestricted guest for L1, CR0.WP stays intercepted; the default L2 runs without EPT.' },
  { name: 'old-cpu', overlay: {
    host: { features: { LAM: false, LA57: false, MPX: false, PKU: false, UMIP: false } },
    cpuid: { features: { LAM: false, LA57: false, MPX: false, PKU: false, UMIP: false } },
    hostMsrs: {
      MSR_IA32_VMX_PROCBASED_CTLS: '0xfff9fffe0401e172', MSR_IA32_VMX_TRUE_PROCBASED_CTLS: '0xfff9fffe04006172',
      MSR_IA32_VMX_PROCBASED_CTLS2: '0x00007fff00000000', MSR_IA32_VMX_EPT_VPID_CAP: '0x00000f0106334141',
      MSR_IA32_VMX_EXIT_CTLS: '0x007fffff00036dff', MSR_IA32_VMX_TRUE_EXIT_CTLS: '0x007fffff00036dfb',
      MSR_IA32_VMX_ENTRY_CTLS: '0x0000ffff000011ff', MSR_IA32_VMX_TRUE_ENTRY_CTLS: '0x0000ffff000011fb', MSR_IA32_VMX_PROCBASED_CTLS3: '0x0',
    } },
    summary: 'Capability MSRs of a Haswell-generation host: no PML, XSAVES, TSC scaling, RDSEED exiting, 5-level EPT, MPX, PT or tertiary controls; no LAM/LA57.' },
  { name: 'inconsistent-entry-exit', overlay: { hostMsrs: { MSR_IA32_VMX_EXIT_CTLS: { disallow: ['VM_EXIT_LOAD_IA32_EFER'] } } },
    summary: 'kvm_intel running as an L1 hypervisor whose (buggy) L0 reports VM-entry "load IA32_EFER" without the matching VM-exit control: module load fails with -EIO by default, or warns and clears both with error_on_inconsistent_vmcs_config=0.' },
  { name: 'ept-cap-without-ept', overlay: { hostMsrs: { MSR_IA32_VMX_PROCBASED_CTLS2: { disallow: ['SECONDARY_EXEC_ENABLE_EPT'] } } },
    summary: 'An L1 hypervisor whose L0 reports EPT capabilities in MSR_IA32_VMX_EPT_VPID_CAP but no 1-setting for "enable EPT": -EIO by default, EPT caps zeroed with error_on_inconsistent_vmcs_config=0.' },
  { name: 'guest-toggles-wp', overlay: { write: { cr0: '0x80040033', by: 'guest' } },
    summary: 'The default L1 clears CR0.WP (0x80050033 → 0x80040033) with a MOV to CR0, as grsecurity-style W^X kernels do: is it intercepted, and what MMU work follows (seed topic: CR0.WP as a guest-owned bit)?' },
  { name: 'hyperv-evmcs', overlay: { cpuid: { features: { HYPERV: true } }, l1: { evmcs_vmptr: '0x20000' } },
    summary: 'L1 is a Hyper-V-style hypervisor using the enlightened VMCS (Hyper-V CPUID on, eVMCS capability enabled, VP assist page points to an eVMCS at 0x20000).' },
];
