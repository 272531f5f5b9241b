// Whether KVM v6.12 offers each VMX control bit to L1 (the nested capability MSRs built by
// nested_vmx_setup_ctls_msrs in arch/x86/kvm/vmx/nested.c), restated from reference
// kvm-nested-vmx.md §1.3. "host" = offered when the host CPU has it; "emulated" = offered even
// without hardware support; a condition names the module param or feature it depends on.
export type Exposure = { offered: 'yes' | 'no' | 'conditional'; note: string };

const host: Exposure = { offered: 'yes', note: 'offered to L1 when the host CPU supports it' };
const emulated: Exposure = { offered: 'yes', note: 'offered to L1 even without hardware support (KVM emulates it)' };
const always: Exposure = { offered: 'yes', note: 'default-1 class bit: L1 must keep it set unless the TRUE capability MSR allows 0' };
const when = (note: string): Exposure => ({ offered: 'conditional', note: `offered to L1 only ${note}` });
const never = (note = 'never offered to L1 by KVM v6.12'): Exposure => ({ offered: 'no', note });

export const NESTED_EXPOSURE: Readonly<Record<string, Exposure>> = {
  PIN_BASED_EXT_INTR_MASK: host, PIN_BASED_NMI_EXITING: host, PIN_BASED_VIRTUAL_NMIS: host,
  PIN_BASED_POSTED_INTR: when('with enable_apicv and host support'), PIN_BASED_VMX_PREEMPTION_TIMER: emulated,
  VM_EXIT_HOST_ADDR_SPACE_SIZE: host, VM_EXIT_LOAD_IA32_PAT: host, VM_EXIT_SAVE_IA32_PAT: host, VM_EXIT_CLEAR_BNDCFGS: host,
  VM_EXIT_LOAD_IA32_EFER: emulated, VM_EXIT_SAVE_IA32_EFER: emulated, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER: emulated,
  VM_EXIT_ACK_INTR_ON_EXIT: emulated, VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL: emulated,
  VM_EXIT_SAVE_DEBUG_CONTROLS: { offered: 'yes', note: 'default-1 bit, but KVM lets L1 clear it (dropped from the allowed-0 settings)' },
  VM_EXIT_PT_CONCEAL_PIP: never(), VM_EXIT_CLEAR_IA32_RTIT_CTL: never(), VM_EXIT_LOAD_CET_STATE: never('not in v6.12 (CET series)'),
  VM_EXIT_ACTIVATE_SECONDARY_CONTROLS: never('not in v6.12 (FRED series, 2025)'),
  VM_ENTRY_IA32E_MODE: host, VM_ENTRY_LOAD_IA32_PAT: host, VM_ENTRY_LOAD_BNDCFGS: host,
  VM_ENTRY_LOAD_IA32_EFER: emulated, VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL: emulated,
  VM_ENTRY_LOAD_DEBUG_CONTROLS: { offered: 'yes', note: 'default-1 bit, but KVM lets L1 clear it' },
  VM_ENTRY_SMM: never(), VM_ENTRY_DEACT_DUAL_MONITOR: never(), VM_ENTRY_PT_CONCEAL_PIP: never(), VM_ENTRY_LOAD_IA32_RTIT_CTL: never(),
  VM_ENTRY_LOAD_CET_STATE: never('not in v6.12 (CET series)'),
  CPU_BASED_INTR_WINDOW_EXITING: host, CPU_BASED_NMI_WINDOW_EXITING: host, CPU_BASED_USE_TSC_OFFSETTING: host, CPU_BASED_HLT_EXITING: host,
  CPU_BASED_INVLPG_EXITING: host, CPU_BASED_MWAIT_EXITING: host, CPU_BASED_RDPMC_EXITING: host, CPU_BASED_RDTSC_EXITING: host,
  CPU_BASED_CR3_LOAD_EXITING: { offered: 'yes', note: 'offered, and L1 may clear it (dropped from the allowed-0 settings)' },
  CPU_BASED_CR3_STORE_EXITING: { offered: 'yes', note: 'offered, and L1 may clear it (dropped from the allowed-0 settings)' },
  CPU_BASED_CR8_LOAD_EXITING: host, CPU_BASED_CR8_STORE_EXITING: host, CPU_BASED_TPR_SHADOW: host, CPU_BASED_MOV_DR_EXITING: host,
  CPU_BASED_UNCOND_IO_EXITING: host, CPU_BASED_USE_IO_BITMAPS: host, CPU_BASED_MONITOR_TRAP_FLAG: host, CPU_BASED_MONITOR_EXITING: host,
  CPU_BASED_PAUSE_EXITING: host, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS: host, CPU_BASED_USE_MSR_BITMAPS: emulated,
  CPU_BASED_ACTIVATE_TERTIARY_CONTROLS: never(),
  SECONDARY_EXEC_DESC: host, SECONDARY_EXEC_ENABLE_RDTSCP: host, SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE: host, SECONDARY_EXEC_WBINVD_EXITING: host,
  SECONDARY_EXEC_APIC_REGISTER_VIRT: host, SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY: host, SECONDARY_EXEC_RDRAND_EXITING: host,
  SECONDARY_EXEC_ENABLE_INVPCID: host, SECONDARY_EXEC_ENABLE_VMFUNC: host, SECONDARY_EXEC_RDSEED_EXITING: host, SECONDARY_EXEC_ENABLE_XSAVES: host,
  SECONDARY_EXEC_TSC_SCALING: host, SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE: host, SECONDARY_EXEC_SHADOW_VMCS: emulated,
  SECONDARY_EXEC_ENABLE_EPT: when('with module param ept=1'), SECONDARY_EXEC_ENABLE_PML: when('with ept=1 and eptad=1'),
  SECONDARY_EXEC_ENABLE_VPID: when('with module param vpid=1'), SECONDARY_EXEC_UNRESTRICTED_GUEST: when('with module param unrestricted_guest=1'),
  SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES: when('with flexpriority'), SECONDARY_EXEC_ENCLS_EXITING: when('when the host has SGX and sgx is enabled'),
  SECONDARY_EXEC_MODE_BASED_EPT_EXEC: never(), SECONDARY_EXEC_PAUSE_LOOP_EXITING: never(), SECONDARY_EXEC_PT_USE_GPA: never(),
  SECONDARY_EXEC_PT_CONCEAL_VMX: never(), SECONDARY_EXEC_BUS_LOCK_DETECTION: never(), SECONDARY_EXEC_NOTIFY_VM_EXITING: never(),
  SECONDARY_EXEC_EPT_VIOLATION_VE: never(), TERTIARY_EXEC_IPI_VIRT: never(),
  VMX_VMFUNC_EPTP_SWITCHING: when('with nested EPT'),
  VM_EXIT_ALWAYSON_WITHOUT_TRUE_MSR: always, VM_ENTRY_ALWAYSON_WITHOUT_TRUE_MSR: always, CPU_BASED_ALWAYSON_WITHOUT_TRUE_MSR: always, PIN_BASED_ALWAYSON_WITHOUT_TRUE_MSR: always,
};

/** What the VM-exit / VM-entry control bits do (the reference table gives only their numbers). Restated from SDM Vol. 3C 25.7.1 / 25.8.1. */
export const CONTROL_MEANING: Readonly<Record<string, string>> = {
  VM_EXIT_SAVE_DEBUG_CONTROLS: 'save DR7 and IA32_DEBUGCTL into the guest-state area on VM-exit',
  VM_EXIT_HOST_ADDR_SPACE_SIZE: 'host runs in 64-bit mode after VM-exit (EFER.LMA/LME and CS.L set); KVM takes it as the host "ia32e" in the host-state checks',
  VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL: 'load IA32_PERF_GLOBAL_CTRL from HOST_IA32_PERF_GLOBAL_CTRL on VM-exit',
  VM_EXIT_ACK_INTR_ON_EXIT: 'acknowledge the interrupt controller on an external-interrupt exit and store the vector',
  VM_EXIT_SAVE_IA32_PAT: 'save IA32_PAT into GUEST_IA32_PAT on VM-exit',
  VM_EXIT_LOAD_IA32_PAT: 'load IA32_PAT from HOST_IA32_PAT on VM-exit (value checked by kvm_pat_valid)',
  VM_EXIT_SAVE_IA32_EFER: 'save IA32_EFER into GUEST_IA32_EFER on VM-exit',
  VM_EXIT_LOAD_IA32_EFER: 'load IA32_EFER from HOST_IA32_EFER on VM-exit; paired with VM_ENTRY_LOAD_IA32_EFER in vmcs_entry_exit_pairs',
  VM_EXIT_SAVE_VMX_PREEMPTION_TIMER: 'save the remaining VMX-preemption timer value on VM-exit (needs the pin-based preemption timer)',
  VM_EXIT_CLEAR_BNDCFGS: 'clear IA32_BNDCFGS on VM-exit; pairs with VM_ENTRY_LOAD_BNDCFGS',
  VM_EXIT_PT_CONCEAL_PIP: 'conceal VM-exits from Intel Processor Trace',
  VM_EXIT_CLEAR_IA32_RTIT_CTL: 'clear IA32_RTIT_CTL on VM-exit; pairs with VM_ENTRY_LOAD_IA32_RTIT_CTL',
  VM_EXIT_LOAD_CET_STATE: 'load host CET state on VM-exit',
  VM_EXIT_ACTIVATE_SECONDARY_CONTROLS: 'use the secondary VM-exit controls (field 0x2044)',
  VM_ENTRY_LOAD_DEBUG_CONTROLS: 'load DR7 and IA32_DEBUGCTL from the guest-state area on VM-entry',
  VM_ENTRY_IA32E_MODE: 'guest enters in IA-32e (64-bit capable) mode; KVM calls it IA32E_MODE_GUEST and checks CR0.PG/CR4.PAE/EFER against it',
  VM_ENTRY_SMM: 'VM-entry to system-management mode (dual-monitor treatment only)',
  VM_ENTRY_DEACT_DUAL_MONITOR: 'deactivate dual-monitor treatment of SMIs',
  VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL: 'load IA32_PERF_GLOBAL_CTRL from the guest-state area on VM-entry',
  VM_ENTRY_LOAD_IA32_PAT: 'load IA32_PAT from GUEST_IA32_PAT on VM-entry',
  VM_ENTRY_LOAD_IA32_EFER: 'load IA32_EFER from GUEST_IA32_EFER on VM-entry; cpu_has_load_ia32_efer() tests it',
  VM_ENTRY_LOAD_BNDCFGS: 'load IA32_BNDCFGS from GUEST_BNDCFGS on VM-entry (MPX)',
  VM_ENTRY_PT_CONCEAL_PIP: 'conceal VM-entries from Intel Processor Trace',
  VM_ENTRY_LOAD_IA32_RTIT_CTL: 'load IA32_RTIT_CTL on VM-entry (Intel PT in guests)',
  VM_ENTRY_LOAD_CET_STATE: 'load guest CET state on VM-entry',
  MSR_IA32_SYSENTER_CS: 'SYSENTER target code segment; vmcs12 HOST_IA32_SYSENTER_CS is loaded on VM-exit',
  MSR_IA32_SYSENTER_ESP: 'SYSENTER stack pointer; HOST_IA32_SYSENTER_ESP must be canonical (host-state check H4)',
  MSR_IA32_SYSENTER_EIP: 'SYSENTER entry point; HOST_IA32_SYSENTER_EIP must be canonical (host-state check H4)',
};
