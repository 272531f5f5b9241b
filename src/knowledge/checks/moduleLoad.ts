// Checks of the kvm_intel module load: vmx_init → kvm_is_vmx_supported, vmx_hardware_setup →
// setup_vmcs_config / adjust_vmx_controls, vmx_check_processor_compat (arch/x86/kvm/vmx/vmx.c,
// 6.12.118 unless a row says otherwise). Variables named as in vmx.c. Reference kvm-nested-vmx.md §5.
import type { CheckDef } from './types';

const VMX = 'arch/x86/kvm/vmx/vmx.c';
const EIO = { kind: 'load-failed', errno: 'EIO' } as const;
const CONT = { kind: 'continue' } as const;
const CAPS = 'SDM Vol. 3D A.3 (VM-execution controls), A.4, A.5 (capability MSRs: allowed 0/1 settings)';
const V612 = { since: 'v6.12' } as const;

/** setup_vmcs_config (module load); variables named as in vmx.c. */
export const MODULE_LOAD_CHECKS: readonly CheckDef[] = [
  { id: 'vmx-supported', ...V612, function: 'kvm_is_vmx_supported', result: { kind: 'load-failed', errno: 'EOPNOTSUPP' }, source: VMX, noCC: true,
    condition: '!boot_cpu_has(X86_FEATURE_VMX)', sdm: 'SDM Vol. 3C 24.6 (discovering support for VMX)',
    rule: 'Without VMX in CPUID (or VMX not enabled in IA32_FEAT_CTL) vmx_init refuses to load: -EOPNOTSUPP.' },
  { id: 'adjust-cpu-based', noCC: true, ...V612, function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_cpu_based_exec_control & KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL) != KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL',
    rule: 'The CPU must allow every primary processor-based control KVM requires (HLT, CR3/CR8 load/store, MOV-DR, I/O, TSC offsetting, MWAIT/MONITOR, INVLPG, RDPMC, interrupt-window exiting).' },
  { id: 'ept-cap-without-ept', noCC: true, ...V612, function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.10 (VPID and EPT capabilities)',
    condition: '!(_cpu_based_2nd_exec_control & SECONDARY_EXEC_ENABLE_EPT) && vmx_cap->ept',
    rule: 'EPT capabilities reported without the 1-setting of "enable EPT": warning "EPT CAP should not exist if not support 1-setting enable EPT VM-execution control"; -EIO when error_on_inconsistent_vmcs_config (default), else the EPT caps are zeroed.' },
  { id: 'vpid-cap-without-vpid', noCC: true, ...V612, function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.10 (VPID and EPT capabilities)',
    condition: '!(_cpu_based_2nd_exec_control & SECONDARY_EXEC_ENABLE_VPID) && vmx_cap->vpid',
    rule: 'VPID capabilities reported without the 1-setting of "enable VPID": warning, -EIO by default, else the VPID caps are zeroed.' },
  { id: 'adjust-vm-exit', noCC: true, ...V612, function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_vmexit_control & KVM_REQUIRED_VMX_VM_EXIT_CONTROLS) != KVM_REQUIRED_VMX_VM_EXIT_CONTROLS',
    rule: 'The CPU must allow the VM-exit controls KVM requires (save debug controls, acknowledge interrupt on exit, host address-space size).' },
  { id: 'adjust-pin-based', noCC: true, ...V612, function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_pin_based_exec_control & KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL) != KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL',
    rule: 'The CPU must allow external-interrupt and NMI exiting.' },
  { id: 'broken-preemption-timer', ...V612, function: 'setup_vmcs_config', result: CONT, source: VMX, noCC: true,
    condition: 'cpu_has_broken_vmx_preemption_timer()', sdm: 'Intel specification updates (VMX-preemption timer errata; not an SDM rule)',
    rule: 'On CPUs whose CPUID.1:EAX signature is on KVM\'s erratum list (Xeon 7500/3400, Core i3/i5/i7 of the Nehalem/Westmere generations, some Ivy Bridge) the "activate VMX-preemption timer" pin control is dropped, so KVM emulates the timer with an hrtimer.' },
  { id: 'adjust-vm-entry', noCC: true, ...V612, function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_vmentry_control & KVM_REQUIRED_VMX_VM_ENTRY_CONTROLS) != KVM_REQUIRED_VMX_VM_ENTRY_CONTROLS',
    rule: 'The CPU must allow the VM-entry controls KVM requires (load debug controls, IA-32e mode guest).' },
  { id: 'entry-exit-pair', noCC: true, ...V612, function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3C 25.7/25.8 (VM-exit and VM-entry controls; paired load/clear controls)',
    condition: '!(_vmentry_control & n_ctrl) != !(_vmexit_control & x_ctrl)',
    rule: 'For each VM-entry/VM-exit control pair (PERF_GLOBAL_CTRL, PAT, EFER, BNDCFGS, RTIT_CTL) exactly one side supported: warning "Inconsistent VM-Entry/VM-Exit pair, entry = %x, exit = %x"; -EIO when error_on_inconsistent_vmcs_config (default), else both bits are cleared.' },
  { id: 'entry-exit-pair-cet', noCC: true, since: 'v6.18', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3C 25.7/25.8 (VM-exit and VM-entry controls; paired load/clear controls)',
    condition: '!(_vmentry_control & n_ctrl) != !(_vmexit_control & x_ctrl)',
    rule: 'Since v6.18 "load CET state" is a sixth VM-entry/VM-exit pair: exactly one side supported is the same warning and -EIO (or both bits cleared).' },
  { id: 'perf-global-ctrl-erratum', ...V612, function: 'setup_vmcs_config', result: CONT, source: VMX, noCC: true,
    condition: 'boot_cpu_data.x86_vfm == INTEL_NEHALEM_EP || boot_cpu_data.x86_vfm == INTEL_NEHALEM || boot_cpu_data.x86_vfm == INTEL_WESTMERE || boot_cpu_data.x86_vfm == INTEL_WESTMERE_EP || boot_cpu_data.x86_vfm == INTEL_NEHALEM_EX',
    sdm: 'Intel specification updates AAK155/AAP115/AAT100/BC86/BA97 (not an SDM rule)',
    rule: 'On Nehalem and Westmere (family 6 models 0x1a, 0x1e, 0x25, 0x2c, 0x2e) the load-IA32_PERF_GLOBAL_CTRL entry and exit controls are dropped (VM-exit may clear bits 34:32) with the warning "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL does not work properly. Using workaround".' },
  { id: 'basic-vmcs-size', noCC: true, ...V612, function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.1 (basic VMX information)',
    condition: '(vmx_msr_high & 0x1fff) > PAGE_SIZE', rule: 'The VMCS region size in IA32_VMX_BASIC may not exceed 4 KiB.' },
  { id: 'basic-32bit-pa', noCC: true, ...V612, function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.1 (basic VMX information)',
    condition: 'vmx_msr_high & (1u << 16)', rule: 'A 64-bit kernel refuses a CPU that limits VMX structures to 32-bit physical addresses (IA32_VMX_BASIC bit 48).' },
  { id: 'shadow-paging-needs-nx', ...V612, function: 'vmx_hardware_setup', result: { kind: 'load-failed', errno: 'EOPNOTSUPP' }, source: VMX, noCC: true,
    condition: '!enable_ept && !boot_cpu_has(X86_FEATURE_NX)', sdm: 'SDM Vol. 3A 4.6 (execute-disable; KVM requirement, not an SDM rule)',
    rule: 'Shadow paging (EPT off or unusable) needs NX on the host: "NX (Execute Disable) not supported", -EOPNOTSUPP.' },
  { id: 'basic-memtype-wb', noCC: true, ...V612, function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.1 (basic VMX information)',
    condition: '((vmx_msr_high >> 18) & 15) != 6', rule: 'The VMCS memory type in IA32_VMX_BASIC must be write-back (6).' },
  { id: 'evmcs-sanitize', ...V612, function: 'evmcs_sanitize_exec_ctrls', result: CONT, source: 'arch/x86/kvm/vmx/vmx_onhyperv.c', noCC: true,
    condition: 'enlightened_vmcs', sdm: 'Hyper-V TLFS enlightened VMCS (KVM running on Hyper-V; not an SDM rule)',
    rule: 'When kvm_intel itself runs on Hyper-V and uses the enlightened VMCS (enlightened_vmcs=1 and the hypervisor recommends it), every control an eVMCS v1 cannot express is dropped from the VMCS configuration, each with a warning.' },
  { id: 'pt-mode-invalid', ...V612, function: 'vmx_hardware_setup', result: { kind: 'load-failed', errno: 'EINVAL' }, source: VMX, noCC: true,
    condition: 'pt_mode != PT_MODE_SYSTEM && pt_mode != PT_MODE_HOST_GUEST', sdm: 'KVM module parameter (Intel PT virtualisation; not an SDM rule)',
    rule: 'The pt_mode parameter must be 0 (system) or 1 (host-guest): anything else fails the load with -EINVAL; host-guest mode falls back to system mode without EPT, a PMU or PT VMX support.' },
  { id: 'processor-compat', ...V612, function: 'vmx_check_processor_compat', result: EIO, source: VMX, noCC: true,
    condition: 'memcmp(&vmcs_config, &vmcs_conf, sizeof(struct vmcs_config))', sdm: 'KVM requirement (every CPU the same VMX configuration; not an SDM rule)',
    rule: 'Each online CPU must yield the same VMCS configuration as the boot CPU: a CPU whose VMX capability MSRs differ prints "Inconsistent VMCS config on CPU n" and the load fails with -EIO.' },
];
