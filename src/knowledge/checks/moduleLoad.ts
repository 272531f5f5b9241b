// Checks of the module-load path (v6.12): arch/x86/kvm/vmx/vmx.c setup_vmcs_config and
// vmx_hardware_setup. Reference kvm-nested-vmx.md §3.
import type { CheckDef } from './types';

const VMX = 'arch/x86/kvm/vmx/vmx.c';
const EIO = { kind: 'load-failed', errno: 'EIO' } as const;
const CAPS = 'SDM Vol. 3D A.3 (VM-execution controls), A.4, A.5 (capability MSRs: allowed 0/1 settings)';

/** setup_vmcs_config (module load); variables named as in vmx.c. */
export const MODULE_LOAD_CHECKS: readonly CheckDef[] = [
  { id: 'vmx-supported', function: 'kvm_is_vmx_supported', result: { kind: 'load-failed', errno: 'EOPNOTSUPP' }, source: VMX, noCC: true,
    condition: '!boot_cpu_has(X86_FEATURE_VMX)', sdm: 'SDM Vol. 3C 24.6 (discovering support for VMX)',
    rule: 'Without VMX in CPUID (or VMX not enabled in IA32_FEAT_CTL) vmx_init refuses to load: -EOPNOTSUPP.' },
  { id: 'adjust-cpu-based', function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_cpu_based_exec_control & KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL) != KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL',
    rule: 'The CPU must allow every primary processor-based control KVM requires (HLT, CR3/CR8 load/store, MOV-DR, I/O, TSC offsetting, MWAIT/MONITOR, INVLPG, RDPMC, interrupt-window exiting).' },
  { id: 'ept-cap-without-ept', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.10 (VPID and EPT capabilities)',
    condition: '!(_cpu_based_2nd_exec_control & SECONDARY_EXEC_ENABLE_EPT) && vmx_cap->ept',
    rule: 'EPT capabilities reported without the 1-setting of "enable EPT": warning "EPT CAP should not exist if not support 1-setting enable EPT VM-execution control"; -EIO when error_on_inconsistent_vmcs_config (default), else the EPT caps are zeroed.' },
  { id: 'vpid-cap-without-vpid', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.10 (VPID and EPT capabilities)',
    condition: '!(_cpu_based_2nd_exec_control & SECONDARY_EXEC_ENABLE_VPID) && vmx_cap->vpid',
    rule: 'VPID capabilities reported without the 1-setting of "enable VPID": warning, -EIO by default, else the VPID caps are zeroed.' },
  { id: 'adjust-vm-exit', function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_vmexit_control & KVM_REQUIRED_VMX_VM_EXIT_CONTROLS) != KVM_REQUIRED_VMX_VM_EXIT_CONTROLS',
    rule: 'The CPU must allow the VM-exit controls KVM requires (save debug controls, acknowledge interrupt on exit, host address-space size).' },
  { id: 'adjust-pin-based', function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_pin_based_exec_control & KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL) != KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL',
    rule: 'The CPU must allow external-interrupt and NMI exiting.' },
  { id: 'adjust-vm-entry', function: 'adjust_vmx_controls', result: EIO, source: VMX, sdm: CAPS,
    condition: '(_vmentry_control & KVM_REQUIRED_VMX_VM_ENTRY_CONTROLS) != KVM_REQUIRED_VMX_VM_ENTRY_CONTROLS',
    rule: 'The CPU must allow the VM-entry controls KVM requires (load debug controls, IA-32e mode guest).' },
  { id: 'entry-exit-pair', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3C 25.7/25.8 (VM-exit and VM-entry controls; paired load/clear controls)',
    condition: '!(_vmentry_control & n_ctrl) != !(_vmexit_control & x_ctrl)',
    rule: 'For each VM-entry/VM-exit control pair (PERF_GLOBAL_CTRL, PAT, EFER, BNDCFGS, RTIT_CTL) exactly one side supported: warning "Inconsistent VM-Entry/VM-Exit pair, entry = %x, exit = %x"; -EIO when error_on_inconsistent_vmcs_config (default), else both bits are cleared.' },
  { id: 'basic-vmcs-size', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.1 (basic VMX information)',
    condition: '(vmx_msr_high & 0x1fff) > PAGE_SIZE', rule: 'The VMCS region size in IA32_VMX_BASIC may not exceed 4 KiB.' },
  { id: 'basic-32bit-pa', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.1 (basic VMX information)',
    condition: 'vmx_msr_high & (1u << 16)', rule: 'A 64-bit kernel refuses a CPU that limits VMX structures to 32-bit physical addresses (IA32_VMX_BASIC bit 48).' },
  { id: 'shadow-paging-needs-nx', function: 'vmx_hardware_setup', result: { kind: 'load-failed', errno: 'EOPNOTSUPP' }, source: VMX, noCC: true,
    condition: '!enable_ept && !boot_cpu_has(X86_FEATURE_NX)', sdm: 'SDM Vol. 3A 4.6 (execute-disable; KVM requirement, not an SDM rule)',
    rule: 'Shadow paging (EPT off or unusable) needs NX on the host: "NX (Execute Disable) not supported", -EOPNOTSUPP.' },
  { id: 'basic-memtype-wb', function: 'setup_vmcs_config', result: EIO, source: VMX, sdm: 'SDM Vol. 3D A.1 (basic VMX information)',
    condition: '((vmx_msr_high >> 18) & 15) != 6', rule: 'The VMCS memory type in IA32_VMX_BASIC must be write-back (6).' },
];
