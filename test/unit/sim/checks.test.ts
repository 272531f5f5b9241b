// One row per modeled check: a scenario (relative to a preset) that makes exactly that check fail,
// the result KVM v6.12 reports, and the kvm-unit-tests / selftest expectation it restates. The
// default of the same path passes (or skips) the check, so every row shows a passing and a failing value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allChecks, simulate } from '../../../src/sim';

type Row = [checkId: string, path: string, scenario: Record<string, unknown>, outcome: Record<string, unknown>, subtest: string];
const INVALID = '0xffffffffffffffff';
const NC = '0xaaaaaaaaaaaaaaaa';
const v7 = { kind: 'vmfail-valid', vmInstructionError: 7 };
const v8 = { kind: 'vmfail-valid', vmInstructionError: 8 };
const x33 = (q: string) => ({ kind: 'entry-failure-vmexit', exitReason: '0x80000021', exitQualification: q });
const EIO = { kind: 'load-failed', errno: 'EIO' };
const EINVAL = { kind: 'error', errno: 'EINVAL' };
const GP = { kind: 'fault', vector: 'GP' };
const sec = (set: string[], clear: string[] = []) => ({ SECONDARY_VM_EXEC_CONTROL: { set, clear } });
const proc = (set: string[], clear: string[] = []) => ({ CPU_BASED_VM_EXEC_CONTROL: { set, clear } });
const host32 = { VM_EXIT_CONTROLS: { clear: ['VM_EXIT_HOST_ADDR_SPACE_SIZE'] }, VM_ENTRY_CONTROLS: { clear: ['VM_ENTRY_IA32E_MODE'] }, HOST_IA32_EFER: '0x800', GUEST_IA32_EFER: '0x800' };
const l1_32 = { efer: '0x801' };
const apicv = { PIN_BASED_VM_EXEC_CONTROL: { set: ['PIN_BASED_POSTED_INTR'] }, ...proc(['CPU_BASED_TPR_SHADOW']) };

const ROWS: Row[] = [
  ['vmx-not-on', 'nested-vmentry', { l1: { vmxon: false } }, { kind: 'fault', vector: 'UD' }, 'SDM VMLAUNCH #UD outside VMX operation'],
  ['cpl-nonzero', 'nested-vmentry', { l1: { cpl: 3 } }, GP, 'SDM VMLAUNCH #GP(0) at CPL 3'],
  ['evmcs-map-error', 'nested-vmentry', { base: 'hyperv-evmcs', evmcs: { mappable: false } }, { kind: 'fault', vector: 'UD' }, 'evmcs_test: unmappable eVMCS'],
  ['evmcs-vmfail', 'nested-vmentry', { base: 'hyperv-evmcs', evmcs: { revision_id: '0x5' } }, { kind: 'vmfail-invalid' }, 'evmcs_test: bad eVMCS revision'],
  ['no-current-vmcs', 'nested-vmentry', { l1: { current_vmptr: INVALID } }, { kind: 'vmfail-invalid' }, 'vmx_tests.c VMLAUNCH without VMPTRLD'],
  ['shadow-vmcs-launch', 'nested-vmentry', { vmcs12: { shadow_vmcs: 1 } }, { kind: 'vmfail-invalid' }, 'vmx_tests.c launching a shadow VMCS'],
  ['mov-ss-blocking', 'nested-vmentry', { l1: { mov_ss: true } }, { kind: 'vmfail-valid', vmInstructionError: 26 }, 'vmx_tests.c vmentry_movss_shadow_test'],
  ['launch-state', 'nested-vmentry', { l1: { launched: true } }, { kind: 'vmfail-valid', vmInstructionError: 4 }, 'vmx_tests.c VMLAUNCH on a launched VMCS'],
  ['launch-state', 'nested-vmentry', { l1: { instruction: 'VMRESUME' } }, { kind: 'vmfail-valid', vmInstructionError: 5 }, 'vmx_tests.c VMRESUME on a clear VMCS'],
  ['address-space-size', 'nested-vmentry', { l1: { efer: '0x901' } }, v8, 'vmx_tests.c test_host_addr_size'],

  ['pin-based-ctls', 'nested-vmentry', { vmcs12: { PIN_BASED_VM_EXEC_CONTROL: '0x9' } }, v7, 'test_pin_based_ctls: default1 bit cleared'],
  ['cpu-based-ctls', 'nested-vmentry', { vmcs12: { CPU_BASED_VM_EXEC_CONTROL: '0x80000000' } }, v7, 'test_primary_processor_based_ctls'],
  ['secondary-ctls', 'nested-vmentry', { vmcs12: sec(['SECONDARY_EXEC_MODE_BASED_EPT_EXEC']) }, v7, 'test_secondary_processor_based_ctls: MBEC never offered'],
  ['cr3-target-count', 'nested-vmentry', { vmcs12: { CR3_TARGET_COUNT: 1 } }, v7, 'test_cr3_targets: KVM offers 0'],
  ['io-bitmap-a', 'nested-vmentry', { vmcs12: { ...proc(['CPU_BASED_USE_IO_BITMAPS']), IO_BITMAP_A: '0x1001', IO_BITMAP_B: '0x3000' } }, v7, 'test_io_bitmaps: unaligned A'],
  ['io-bitmap-b', 'nested-vmentry', { vmcs12: { ...proc(['CPU_BASED_USE_IO_BITMAPS']), IO_BITMAP_A: '0x2000', IO_BITMAP_B: '0x400000000000' } }, v7, 'test_io_bitmaps: B beyond MAXPHYADDR'],
  ['msr-bitmap', 'nested-vmentry', { vmcs12: { ...proc(['CPU_BASED_USE_MSR_BITMAPS']), MSR_BITMAP: '0x4001' } }, v7, 'test_msr_bitmap'],
  ['virtual-apic-page', 'nested-vmentry', { vmcs12: { ...proc(['CPU_BASED_TPR_SHADOW']), VIRTUAL_APIC_PAGE_ADDR: '0x800' } }, v7, 'test_apic_virt_addr'],
  ['apic-access-page', 'nested-vmentry', { vmcs12: { ...sec(['SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES']), APIC_ACCESS_ADDR: '0x4000000000000' } }, v7, 'test_apic_access_addr'],
  ['x2apic-with-apic-access', 'nested-vmentry', { vmcs12: { ...proc(['CPU_BASED_TPR_SHADOW']), ...sec(['SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE', 'SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES']) } }, v7, 'test_apic_virtual_ctls'],
  ['vid-without-ext-intr', 'nested-vmentry', { vmcs12: { PIN_BASED_VM_EXEC_CONTROL: '0x1e', ...proc(['CPU_BASED_TPR_SHADOW']), ...sec(['SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY']) } }, v7, 'test_virtual_intr_ctls'],
  ['posted-intr-without-vid', 'nested-vmentry', { vmcs12: { ...apicv } }, v7, 'test_posted_intr'],
  ['posted-intr-without-ack', 'nested-vmentry', { vmcs12: { ...apicv, ...sec(['SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY']), VM_EXIT_CONTROLS: { clear: ['VM_EXIT_ACK_INTR_ON_EXIT'] } } }, v7, 'test_posted_intr'],
  ['posted-intr-nv', 'nested-vmentry', { vmcs12: { ...apicv, ...sec(['SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY']), POSTED_INTR_NV: '0x100' } }, v7, 'test_posted_intr: vector bits 15:8'],
  ['posted-intr-desc', 'nested-vmentry', { vmcs12: { ...apicv, ...sec(['SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY']), POSTED_INTR_DESC_ADDR: '0x1010' } }, v7, 'test_posted_intr: descriptor alignment'],
  ['apicv-without-tpr-shadow', 'nested-vmentry', { vmcs12: sec(['SECONDARY_EXEC_APIC_REGISTER_VIRT']) }, v7, 'test_apic_virtual_ctls'],
  ['vnmi-without-nmi-exiting', 'nested-vmentry', { vmcs12: { PIN_BASED_VM_EXEC_CONTROL: '0x37' } }, v7, 'test_nmi_ctrls'],
  ['nmi-window-without-vnmi', 'nested-vmentry', { vmcs12: proc(['CPU_BASED_NMI_WINDOW_EXITING']) }, v7, 'test_nmi_ctrls'],
  ['pml-without-ept', 'nested-vmentry', { vmcs12: sec(['SECONDARY_EXEC_ENABLE_PML'], ['SECONDARY_EXEC_ENABLE_EPT']) }, v7, 'test_pml'],
  ['pml-address', 'nested-vmentry', { vmcs12: { ...sec(['SECONDARY_EXEC_ENABLE_PML']), PML_ADDRESS: '0x123' } }, v7, 'test_pml'],
  ['unrestricted-guest-without-ept', 'nested-vmentry', { vmcs12: sec(['SECONDARY_EXEC_UNRESTRICTED_GUEST'], ['SECONDARY_EXEC_ENABLE_EPT']) }, v7, 'test_unrestricted_guest'],
  ['mode-based-ept-exec-without-ept', 'nested-vmentry', { l1Msrs: { MSR_IA32_VMX_PROCBASED_CTLS2: { allow: ['SECONDARY_EXEC_MODE_BASED_EPT_EXEC'] } }, vmcs12: sec(['SECONDARY_EXEC_MODE_BASED_EPT_EXEC'], ['SECONDARY_EXEC_ENABLE_EPT']) }, v7, 'SDM rule, L1 MSRs widened'],
  ['vmread-bitmap', 'nested-vmentry', { vmcs12: { ...sec(['SECONDARY_EXEC_SHADOW_VMCS']), VMREAD_BITMAP: '0x1' } }, v7, 'test_vmcs_shadow'],
  ['vmwrite-bitmap', 'nested-vmentry', { vmcs12: { ...sec(['SECONDARY_EXEC_SHADOW_VMCS']), VMWRITE_BITMAP: '0x1' } }, v7, 'test_vmcs_shadow'],
  ['vpid-zero', 'nested-vmentry', { vmcs12: { ...sec(['SECONDARY_EXEC_ENABLE_VPID']), VIRTUAL_PROCESSOR_ID: 0 } }, v7, 'test_vpid'],
  ['save-preemption-timer-without-timer', 'nested-vmentry', { vmcs12: { VM_EXIT_CONTROLS: { set: ['VM_EXIT_SAVE_VMX_PREEMPTION_TIMER'] } } }, v7, 'test_vmx_preemption_timer'],
  ['eptp-memtype', 'nested-vmentry', { vmcs12: { EPT_POINTER: '0x2018' } }, v7, 'test_ept_eptp: UC not offered'],
  ['eptp-page-walk', 'nested-vmentry', { vmcs12: { EPT_POINTER: '0x200e' } }, v7, 'test_ept_eptp: walk length 2'],
  ['eptp-reserved', 'nested-vmentry', { vmcs12: { EPT_POINTER: '0x209e' } }, v7, 'test_ept_eptp: bit 7'],
  ['eptp-ad', 'nested-vmentry', { params: { eptad: false }, vmcs12: { EPT_POINTER: '0x205e' } }, v7, 'test_ept_eptp: A/D without eptad'],
  ['vmfunc-controls', 'nested-vmentry', { vmcs12: { ...sec(['SECONDARY_EXEC_ENABLE_VMFUNC']), VM_FUNCTION_CONTROL: '0x2' } }, v7, 'test_vmfunc'],
  ['eptp-switching-without-ept', 'nested-vmentry', { vmcs12: { ...sec(['SECONDARY_EXEC_ENABLE_VMFUNC'], ['SECONDARY_EXEC_ENABLE_EPT']), VM_FUNCTION_CONTROL: '0x1' } }, v7, 'test_vmfunc'],
  ['eptp-list-address', 'nested-vmentry', { vmcs12: { ...sec(['SECONDARY_EXEC_ENABLE_VMFUNC']), VM_FUNCTION_CONTROL: '0x1', EPTP_LIST_ADDRESS: '0x10' } }, v7, 'test_vmfunc'],
  ['vm-exit-ctls', 'nested-vmentry', { vmcs12: { VM_EXIT_CONTROLS: '0x0' } }, v7, 'test_vm_exit_ctls'],
  ['exit-msr-load-list', 'nested-vmentry', { vmcs12: { VM_EXIT_MSR_LOAD_COUNT: 1, VM_EXIT_MSR_LOAD_ADDR: '0x1008' } }, v7, 'test_exit_msr_load'],
  ['exit-msr-store-list', 'nested-vmentry', { vmcs12: { VM_EXIT_MSR_STORE_COUNT: 2, VM_EXIT_MSR_STORE_ADDR: '0x3ffffffffff0' } }, v7, 'test_exit_msr_store: end beyond MAXPHYADDR'],
  ['vm-entry-ctls', 'nested-vmentry', { vmcs12: { VM_ENTRY_CONTROLS: '0x0' } }, v7, 'test_vm_entry_ctls'],
  ['intr-type-reserved', 'nested-vmentry', { vmcs12: { VM_ENTRY_INTR_INFO_FIELD: '0x80000100' } }, v7, 'test_invalid_event_injection: type 1'],
  ['intr-type-other-event', 'nested-vmentry', { l1Msrs: { MSR_IA32_VMX_TRUE_PROCBASED_CTLS: { disallow: ['CPU_BASED_MONITOR_TRAP_FLAG'] } }, vmcs12: { VM_ENTRY_INTR_INFO_FIELD: '0x80000700' } }, v7, 'test_invalid_event_injection: type 7 without MTF'],
  ['intr-nmi-vector', 'nested-vmentry', { vmcs12: { VM_ENTRY_INTR_INFO_FIELD: '0x80000203' } }, v7, 'test_invalid_event_injection: NMI vector 3'],
  ['intr-hw-exception-vector', 'nested-vmentry', { vmcs12: { VM_ENTRY_INTR_INFO_FIELD: '0x80000320' } }, v7, 'test_invalid_event_injection: vector 32'],
  ['intr-other-event-vector', 'nested-vmentry', { vmcs12: { VM_ENTRY_INTR_INFO_FIELD: '0x80000701' } }, v7, 'test_invalid_event_injection: type 7 vector 1'],
  ['intr-deliver-error-code', 'nested-vmentry', { vmcs12: { VM_ENTRY_INTR_INFO_FIELD: '0x8000030d' } }, v7, 'test_invalid_event_injection: #GP without error code'],
  ['intr-error-code-bits', 'nested-vmentry', { vmcs12: { VM_ENTRY_INTR_INFO_FIELD: '0x80000b0d', VM_ENTRY_EXCEPTION_ERROR_CODE: '0x10000' } }, v7, 'test_invalid_event_injection: error code bit 16'],
  ['intr-reserved-bits', 'nested-vmentry', { vmcs12: { VM_ENTRY_INTR_INFO_FIELD: '0x80001020' } }, v7, 'test_invalid_event_injection: bit 12'],
  ['intr-instruction-len-max', 'nested-vmentry', { vmcs12: { VM_ENTRY_INTR_INFO_FIELD: '0x80000403', VM_ENTRY_INSTRUCTION_LEN: 16 } }, v7, 'test_invalid_event_injection: length 16'],
  ['intr-instruction-len-zero', 'nested-vmentry', { vmcs12: { VM_ENTRY_INTR_INFO_FIELD: '0x80000403', VM_ENTRY_INSTRUCTION_LEN: 0 } }, v7, 'test_invalid_event_injection: length 0'],
  ['entry-msr-load-list', 'nested-vmentry', { vmcs12: { VM_ENTRY_MSR_LOAD_COUNT: 1, VM_ENTRY_MSR_LOAD_ADDR: '0x1001' } }, v7, 'test_entry_msr_load'],
  ['evmcs-pin-controls', 'nested-vmentry', { base: 'hyperv-evmcs', vmcs12: { PIN_BASED_VM_EXEC_CONTROL: { set: ['PIN_BASED_VMX_PREEMPTION_TIMER'] } } }, v7, 'evmcs_test: preemption timer with eVMCS'],
  ['evmcs-exec-controls', 'nested-vmentry', { base: 'hyperv-evmcs', vmcs12: proc(['CPU_BASED_ACTIVATE_TERTIARY_CONTROLS']), l1Msrs: { MSR_IA32_VMX_TRUE_PROCBASED_CTLS: { allow: ['CPU_BASED_ACTIVATE_TERTIARY_CONTROLS'] } } }, v7, 'eVMCS: tertiary controls'],
  ['evmcs-secondary-controls', 'nested-vmentry', { base: 'hyperv-evmcs', vmcs12: { ...sec(['SECONDARY_EXEC_SHADOW_VMCS']) } }, v7, 'eVMCS: VMCS shadowing'],
  ['evmcs-exit-controls', 'nested-vmentry', { base: 'hyperv-evmcs', l1Msrs: { MSR_IA32_VMX_TRUE_EXIT_CTLS: { allow: ['VM_EXIT_LOAD_CET_STATE'] } }, vmcs12: { VM_EXIT_CONTROLS: { set: ['VM_EXIT_LOAD_CET_STATE'] } } }, v7, 'eVMCS: exit control outside eVMCS v1'],
  ['evmcs-entry-controls', 'nested-vmentry', { base: 'hyperv-evmcs', vmcs12: { VM_ENTRY_CONTROLS: { set: ['VM_ENTRY_SMM'] } }, l1Msrs: { MSR_IA32_VMX_TRUE_ENTRY_CTLS: { allow: ['VM_ENTRY_SMM'] } } }, v7, 'eVMCS: entry to SMM'],
  ['evmcs-vmfunc-controls', 'nested-vmentry', { base: 'hyperv-evmcs', vmcs12: { VM_FUNCTION_CONTROL: '0x1' } }, v7, 'eVMCS: VM-function field checked even without enable-VMFUNC'],

  ['host-cr0', 'nested-vmentry', { vmcs12: { HOST_CR0: '0x80050032' } }, v8, 'test_host_ctl_regs: CR0.PE clear'],
  ['host-cr4', 'nested-vmentry', { vmcs12: { HOST_CR4: '0x3706a0' } }, v8, 'test_host_ctl_regs: CR4.VMXE clear'],
  ['host-cr3', 'nested-vmentry', { cpuid: { features: { LAM: false } }, vmcs12: { HOST_CR3: '0x4000000000001000' } }, v8, 'test_host_ctl_regs / LAM: bit 62 without LAM'],
  ['host-sysenter-esp', 'nested-vmentry', { vmcs12: { HOST_IA32_SYSENTER_ESP: '0x8000000000000000' } }, v8, 'test_sysenter_field'],
  ['host-sysenter-eip', 'nested-vmentry', { vmcs12: { HOST_IA32_SYSENTER_EIP: '0x0000800000000000' } }, v8, 'test_sysenter_field'],
  ['host-pat', 'nested-vmentry', { vmcs12: { HOST_IA32_PAT: '0x2' } }, v8, 'test_load_host_pat: type 2'],
  ['host-perf-global-ctrl', 'nested-vmentry', { vmcs12: { VM_EXIT_CONTROLS: { set: ['VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL'] }, HOST_IA32_PERF_GLOBAL_CTRL: '0x100' } }, v8, 'test_load_host_perf_global_ctrl'],
  ['host-cr4-pae', 'nested-vmentry', { vmcs12: { HOST_CR4: '0x372680' } }, v8, 'test_host_addr_size: PAE clear'],
  ['host-ia32e-guest', 'nested-vmentry', { l1: l1_32, vmcs12: { VM_EXIT_CONTROLS: { clear: ['VM_EXIT_HOST_ADDR_SPACE_SIZE'] } } }, v8, 'test_host_addr_size: 32-bit host, 64-bit guest'],
  ['host-cr4-pcide', 'nested-vmentry', { l1: l1_32, vmcs12: { ...host32 } }, v8, 'test_host_addr_size: PCIDE'],
  ['host-rip-high', 'nested-vmentry', { l1: l1_32, vmcs12: { ...host32, HOST_CR4: '0x3526a0', HOST_RIP: '0x100000000' } }, v8, 'test_host_addr_size: RIP bit 32'],
  ...(['CS', 'SS', 'DS', 'ES', 'FS', 'GS', 'TR'] as const).map((s): Row => [`host-${s.toLowerCase()}-selector-rpl-ti`, 'nested-vmentry', { vmcs12: { [`HOST_${s}_SELECTOR`]: s === 'CS' ? '0xb' : '0x14' } }, v8, 'test_host_segment_regs: RPL/TI']),
  ['host-cs-selector-null', 'nested-vmentry', { vmcs12: { HOST_CS_SELECTOR: 0 } }, v8, 'test_host_segment_regs: null CS'],
  ['host-tr-selector-null', 'nested-vmentry', { vmcs12: { HOST_TR_SELECTOR: 0 } }, v8, 'test_host_segment_regs: null TR'],
  ['host-ss-selector-null', 'nested-vmentry', { l1: l1_32, vmcs12: { ...host32, HOST_CR4: '0x3526a0', HOST_SS_SELECTOR: 0 } }, v8, 'test_host_segment_regs: null SS, 32-bit host'],
  ...(['FS_BASE', 'GS_BASE', 'GDTR_BASE', 'IDTR_BASE', 'TR_BASE', 'RIP'] as const).map((f): Row => [`host-${f.toLowerCase().replace('_', '-')}-canonical`, 'nested-vmentry', { vmcs12: { [`HOST_${f}`]: '0x0000800000000000' } }, v8, 'test_host_desc_tables / test_host_segment_regs: non-canonical base']),
  ['host-efer-valid', 'nested-vmentry', { vmcs12: { HOST_IA32_EFER: '0xd05' } }, v8, 'test_host_efer: reserved bit'],
  ['host-efer-lma', 'nested-vmentry', { vmcs12: { HOST_IA32_EFER: '0x901' } }, v8, 'test_host_efer: LMA != host size'],
  ['host-efer-lme', 'nested-vmentry', { vmcs12: { HOST_IA32_EFER: '0xc01' } }, v8, 'test_host_efer: LME != host size'],

  ['guest-cr0', 'nested-vmentry', { vmcs12: { GUEST_CR0: '0x80050013' } }, x33('0x0'), 'vmx_guest_state: CR0.NE clear'],
  ['guest-cr4', 'nested-vmentry', { vmcs12: { GUEST_CR4: '0x3706a0' } }, x33('0x0'), 'vmx_guest_state: CR4.VMXE clear'],
  ['guest-dr7', 'nested-vmentry', { vmcs12: { VM_ENTRY_CONTROLS: { set: ['VM_ENTRY_LOAD_DEBUG_CONTROLS'] }, GUEST_DR7: '0x100000400' } }, x33('0x0'), 'test_guest_dr7'],
  ['guest-pat', 'nested-vmentry', { vmcs12: { VM_ENTRY_CONTROLS: { set: ['VM_ENTRY_LOAD_IA32_PAT'] }, GUEST_IA32_PAT: '0x3' } }, x33('0x0'), 'test_load_guest_pat'],
  ['vmcs-link-ptr-address', 'nested-vmentry', { vmcs12: { VMCS_LINK_POINTER: '0x5001' } }, x33('0x4'), 'test_vmcs_link_ptr: unaligned'],
  ['vmcs-link-ptr-map', 'nested-vmentry', { vmcs12: { VMCS_LINK_POINTER: '0x5000' }, linkedVmcs: { mapped: false } }, x33('0x4'), 'test_vmcs_link_ptr: unbacked'],
  ['vmcs-link-ptr-revision', 'nested-vmentry', { vmcs12: { VMCS_LINK_POINTER: '0x5000' }, linkedVmcs: { revision_id: '0x1' } }, x33('0x4'), 'test_vmcs_link_ptr: revision'],
  ['vmcs-link-ptr-shadow', 'nested-vmentry', { vmcs12: { VMCS_LINK_POINTER: '0x5000' }, linkedVmcs: { shadow_vmcs: true } }, x33('0x4'), 'test_vmcs_link_ptr: shadow bit'],
  ['guest-perf-global-ctrl', 'nested-vmentry', { vmcs12: { VM_ENTRY_CONTROLS: { set: ['VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL'] }, GUEST_IA32_PERF_GLOBAL_CTRL: '0x100' } }, x33('0x0'), 'test_load_guest_perf_global_ctrl'],
  ['guest-cr0-pg-without-pe', 'nested-vmentry', { vmcs12: { ...sec(['SECONDARY_EXEC_UNRESTRICTED_GUEST']), GUEST_CR0: '0x80050032' } }, x33('0x0'), 'vmx_guest_state: PG without PE'],
  ['guest-ia32e-pae', 'nested-vmentry', { vmcs12: { GUEST_CR4: '0x372680' } }, x33('0x0'), 'vmx_guest_state: IA-32e without PAE'],
  ['guest-ia32e-pg', 'nested-vmentry', { vmcs12: { ...sec(['SECONDARY_EXEC_UNRESTRICTED_GUEST']), GUEST_CR0: '0x50033' } }, x33('0x0'), 'vmx_guest_state: IA-32e without PG'],
  ['guest-efer-valid', 'nested-vmentry', { vmcs12: { GUEST_IA32_EFER: '0xd05' } }, x33('0x0'), 'test_guest_efer: reserved bit'],
  ['guest-efer-lma', 'nested-vmentry', { vmcs12: { GUEST_IA32_EFER: '0x901' } }, x33('0x0'), 'test_guest_efer: LMA'],
  ['guest-efer-lme', 'nested-vmentry', { vmcs12: { GUEST_IA32_EFER: '0xc01' } }, x33('0x0'), 'test_guest_efer: LME with PG'],
  ['guest-bndcfgs-canonical', 'nested-vmentry', { vmcs12: { VM_ENTRY_CONTROLS: { set: ['VM_ENTRY_LOAD_BNDCFGS'] }, GUEST_BNDCFGS: '0x800000000000' } }, x33('0x0'), 'test_guest_bndcfgs'],
  ['guest-bndcfgs-reserved', 'nested-vmentry', { vmcs12: { VM_ENTRY_CONTROLS: { set: ['VM_ENTRY_LOAD_BNDCFGS'] }, GUEST_BNDCFGS: '0x4' } }, x33('0x0'), 'test_guest_bndcfgs'],
  ['guest-activity-state', 'nested-vmentry', { vmcs12: { GUEST_ACTIVITY_STATE: 2 } }, x33('0x0'), 'test_guest_activity_state: shutdown'],
  ['guest-state-emulation', 'nested-vmentry', { params: { unrestricted_guest: false }, l1Msrs: { MSR_IA32_VMX_PROCBASED_CTLS2: { allow: ['SECONDARY_EXEC_UNRESTRICTED_GUEST'] } },
    vmcs12: { ...sec(['SECONDARY_EXEC_UNRESTRICTED_GUEST']), VM_ENTRY_CONTROLS: { clear: ['VM_ENTRY_IA32E_MODE'] }, GUEST_IA32_EFER: '0x0', GUEST_CR0: '0x30' } }, x33('0x0'), 'prepare_vmcs02 P1'],
  ['guest-cr3-legal', 'nested-vmentry', { vmcs12: { GUEST_CR3: '0x400000000000' } }, x33('0x0'), 'GUEST_CR3 beyond MAXPHYADDR'],
  ['guest-pdptes', 'nested-vmentry', { l1: { pdptrs_valid: false }, vmcs12: { ...sec([], ['SECONDARY_EXEC_ENABLE_EPT']), VM_ENTRY_CONTROLS: { clear: ['VM_ENTRY_IA32E_MODE'] }, GUEST_IA32_EFER: '0x0' } }, x33('0x2'), 'test_guest_pdptes'],
  ['entry-msr-load', 'nested-vmentry', { vmcs12: { VM_ENTRY_MSR_LOAD_COUNT: 2, VM_ENTRY_MSR_LOAD_ADDR: '0x6000' }, msrLists: { VM_ENTRY_MSR_LOAD: [{ index: 'MSR_EFER', value: '0xd01' }, { index: 'MSR_FS_BASE', value: '0x0' }] } },
    { kind: 'entry-failure-vmexit', exitReason: '0x80000022', exitQualification: '0x2' }, 'test_entry_msr_load: FS_BASE at index 2'],

  ...([
    ['hw-guest-sysenter-esp', { GUEST_SYSENTER_ESP: NC }], ['hw-guest-sysenter-eip', { GUEST_SYSENTER_EIP: NC }],
    ['hw-guest-tr-ti', { GUEST_TR_SELECTOR: '0x1c' }], ['hw-guest-ldtr-ti', { GUEST_LDTR_AR_BYTES: '0x82', GUEST_LDTR_SELECTOR: '0x24' }],
    ['hw-guest-ss-rpl', { GUEST_SS_SELECTOR: '0x13' }], ['hw-guest-fs-base', { GUEST_FS_BASE: NC }], ['hw-guest-gs-base', { GUEST_GS_BASE: NC }],
    ['hw-guest-tr-base', { GUEST_TR_BASE: NC }], ['hw-guest-ldtr-base', { GUEST_LDTR_AR_BYTES: '0x82', GUEST_LDTR_BASE: NC }],
    ['hw-guest-cs-base-high', { GUEST_CS_BASE: '0x100000000' }], ['hw-guest-ss-base-high', { GUEST_SS_BASE: '0x100000000' }],
    ['hw-guest-ds-base-high', { GUEST_DS_BASE: '0x100000000' }], ['hw-guest-es-base-high', { GUEST_ES_BASE: '0x100000000' }],
    ['hw-guest-tr-type', { GUEST_TR_AR_BYTES: '0x83' }], ['hw-guest-tr-s', { GUEST_TR_AR_BYTES: '0x9b' }], ['hw-guest-tr-present', { GUEST_TR_AR_BYTES: '0x0b' }],
    ['hw-guest-tr-unusable', { GUEST_TR_AR_BYTES: '0x1008b' }], ['hw-guest-ar-reserved', { GUEST_CS_AR_BYTES: '0xa19b' }], ['hw-guest-cs-l-db', { GUEST_CS_AR_BYTES: '0xe09b' }],
    ['hw-guest-gdtr-base', { GUEST_GDTR_BASE: NC }], ['hw-guest-idtr-base', { GUEST_IDTR_BASE: NC }],
    ['hw-guest-gdtr-limit', { GUEST_GDTR_LIMIT: '0x10000' }], ['hw-guest-idtr-limit', { GUEST_IDTR_LIMIT: '0x10000' }],
    ['hw-guest-rip', { GUEST_RIP: NC }], ['hw-guest-rflags-reserved', { GUEST_RFLAGS: '0x0' }], ['hw-guest-rflags-vm', { GUEST_RFLAGS: '0x20002' }],
    ['hw-guest-rflags-if', { VM_ENTRY_INTR_INFO_FIELD: '0x80000020' }], ['hw-guest-interruptibility-reserved', { GUEST_INTERRUPTIBILITY_INFO: '0x20' }],
    ['hw-guest-interruptibility-sti-movss', { GUEST_INTERRUPTIBILITY_INFO: '0x3', GUEST_RFLAGS: '0x202' }], ['hw-guest-interruptibility-sti-if', { GUEST_INTERRUPTIBILITY_INFO: '0x1' }],
    ['hw-guest-cr4-pcide-not-ia32e', { VM_ENTRY_CONTROLS: { clear: ['VM_ENTRY_IA32E_MODE'] }, GUEST_IA32_EFER: '0x0', GUEST_CS_AR_BYTES: '0xc09b', GUEST_PDPTR0: '0x1', GUEST_PDPTR1: '0x1', GUEST_PDPTR2: '0x1', GUEST_PDPTR3: '0x1' }],
    ['hw-guest-debugctl-reserved', { VM_ENTRY_CONTROLS: { set: ['VM_ENTRY_LOAD_DEBUG_CONTROLS'] }, GUEST_IA32_DEBUGCTL: '0x8000000000000000' }],
    ['hw-guest-pending-dbg-reserved', { GUEST_PENDING_DBG_EXCEPTIONS: '0x10' }], ['hw-guest-hlt-ss-dpl', { GUEST_ACTIVITY_STATE: 1, GUEST_SS_AR_BYTES: '0xc0f3', GUEST_SS_SELECTOR: '0x10' }],
  ] as const).map(([id, vmcs12]): Row => [id, 'nested-vmentry', { vmcs12 }, x33('0x0'), 'hardware guest-state check reflected by KVM (vmx_guest_state_area_test)']),

  ['apic-access-page-unbacked', 'nested-vmentry', { vmcs12: { ...sec(['SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES']), APIC_ACCESS_ADDR: '0x200000000' } }, { kind: 'error', errno: 'KVM_EXIT_INTERNAL_ERROR' }, 'test_apic_access_addr beyond RAM (kut skips it)'],
  ['hw-virtual-apic-page-unbacked', 'nested-vmentry', { vmcs12: { ...proc(['CPU_BASED_TPR_SHADOW']), VIRTUAL_APIC_PAGE_ADDR: '0x200000000' } }, v7, 'test_apic_virt_addr beyond RAM (kut skips it)'],
  ['hw-guest-pdptes', 'nested-vmentry', { vmcs12: { VM_ENTRY_CONTROLS: { clear: ['VM_ENTRY_IA32E_MODE'] }, GUEST_IA32_EFER: '0x0', GUEST_CR4: '0x3526a0', GUEST_CS_AR_BYTES: '0xc09b',
    GUEST_PDPTR0: '0x10000000000001', GUEST_PDPTR1: '0x1', GUEST_PDPTR2: '0x1', GUEST_PDPTR3: '0x1' } }, x33('0x2'), 'vmx_pae_test: PDPTE reserved bit with EPT'],
  ['hw-tpr-threshold-reserved', 'nested-vmentry', { vmcs12: { ...proc(['CPU_BASED_TPR_SHADOW']), TPR_THRESHOLD: '0x10' } }, v7, 'test_tpr_threshold: bits 31:4 without VID'],
  ['vmx-supported', 'module-load', { host: { features: { VMX: false } } }, { kind: 'load-failed', errno: 'EOPNOTSUPP' }, 'kvm_is_vmx_supported'],
  ['shadow-paging-needs-nx', 'module-load', { params: { ept: false }, host: { features: { NX: false } } }, { kind: 'load-failed', errno: 'EOPNOTSUPP' }, 'vmx_hardware_setup: NX needed for shadow paging'],
  ['adjust-cpu-based', 'module-load', { hostMsrs: { MSR_IA32_VMX_PROCBASED_CTLS: { disallow: ['CPU_BASED_HLT_EXITING'] } } }, EIO, 'setup_vmcs_config: required primary control'],
  ['ept-cap-without-ept', 'module-load', { base: 'ept-cap-without-ept' }, EIO, 'seed: EPT cap without enable-EPT'],
  ['vpid-cap-without-vpid', 'module-load', { hostMsrs: { MSR_IA32_VMX_PROCBASED_CTLS2: { disallow: ['SECONDARY_EXEC_ENABLE_VPID'] } } }, EIO, 'VPID cap without enable-VPID'],
  ['adjust-vm-exit', 'module-load', { hostMsrs: { MSR_IA32_VMX_EXIT_CTLS: { disallow: ['VM_EXIT_ACK_INTR_ON_EXIT'] } } }, EIO, 'required exit control'],
  ['adjust-pin-based', 'module-load', { hostMsrs: { MSR_IA32_VMX_PINBASED_CTLS: { disallow: ['PIN_BASED_NMI_EXITING'] } } }, EIO, 'required pin control'],
  ['adjust-vm-entry', 'module-load', { hostMsrs: { MSR_IA32_VMX_ENTRY_CTLS: { disallow: ['VM_ENTRY_IA32E_MODE'] } } }, EIO, 'required entry control'],
  ['entry-exit-pair', 'module-load', { base: 'inconsistent-entry-exit' }, EIO, 'seed: inconsistent VM-entry/VM-exit pair'],
  ['basic-vmcs-size', 'module-load', { hostMsrs: { MSR_IA32_VMX_BASIC: '0x00d8180000000004' } }, EIO, 'VMCS size > 4 KiB'],
  ['basic-32bit-pa', 'module-load', { hostMsrs: { MSR_IA32_VMX_BASIC: '0x00d9100000000004' } }, EIO, '32-bit physical addresses only'],
  ['basic-memtype-wb', 'module-load', { hostMsrs: { MSR_IA32_VMX_BASIC: '0x00c0100000000004' } }, EIO, 'VMCS memory type UC'],

  ['state-size-header', 'set-nested-state', { nestedState: { size: '0x7f' } }, EINVAL, 'vmx_set_nested_state_test: size < header'],
  ['state-flags-unknown', 'set-nested-state', { nestedState: { flags: '0x10' } }, EINVAL, 'vmx_set_nested_state_test: unknown flag'],
  ['state-run-pending-without-guest-mode', 'set-nested-state', { nestedState: { flags: ['KVM_STATE_NESTED_RUN_PENDING'] } }, EINVAL, 'vmx_set_nested_state_test: run pending without guest mode'],
  ['state-format', 'set-nested-state', { nestedState: { format: 'KVM_STATE_NESTED_FORMAT_SVM' } }, EINVAL, 'vmx_set_nested_state_test: SVM format'],
  ['state-no-vmxon-smm', 'set-nested-state', { nestedState: { vmxon_pa: INVALID, vmcs12_pa: INVALID, smm_flags: ['KVM_STATE_NESTED_SMM_VMXON'] } }, EINVAL, 'vmx_set_nested_state_test: SMM flags without VMXON'],
  ['state-no-vmxon-vmcs12', 'set-nested-state', { nestedState: { vmxon_pa: INVALID } }, EINVAL, 'vmx_set_nested_state_test: vmcs12 without VMXON'],
  ['state-no-vmxon-flags', 'set-nested-state', { nestedState: { vmxon_pa: INVALID, vmcs12_pa: INVALID, flags: ['KVM_STATE_NESTED_GUEST_MODE'] } }, EINVAL, 'vmx_set_nested_state_test: guest mode without VMXON'],
  ['state-vmx-cpuid', 'set-nested-state', { cpuid: { features: { VMX: false } } }, EINVAL, 'vmx_set_nested_state_test: VMX cleared in CPUID'],
  ['state-vmxon-address', 'set-nested-state', { nestedState: { vmxon_pa: '0x10001' } }, EINVAL, 'vmx_set_nested_state_test: unaligned vmxon'],
  ['state-smm-guest-mode', 'set-nested-state', { nestedState: { smm_flags: ['KVM_STATE_NESTED_SMM_GUEST_MODE'], flags: ['KVM_STATE_NESTED_GUEST_MODE'] } }, EINVAL, 'vmx_set_nested_state_test: SMM guest mode + guest mode'],
  ['state-smm-flags-unknown', 'set-nested-state', { nestedState: { smm_flags: '0x4' } }, EINVAL, 'vmx_set_nested_state_test: unknown SMM flag'],
  ['state-vmx-flags-unknown', 'set-nested-state', { nestedState: { vmx_flags: '0x2' } }, EINVAL, 'vmx_set_nested_state_test: unknown header flag'],
  ['state-smm-consistency', 'set-nested-state', { nestedState: { smm_flags: ['KVM_STATE_NESTED_SMM_VMXON'] } }, EINVAL, 'vmx_set_nested_state_test: SMM flags outside SMM'],
  ['state-smm-guest-without-vmxon', 'set-nested-state', { l1: { smm: true }, nestedState: { smm_flags: ['KVM_STATE_NESTED_SMM_GUEST_MODE'] } }, EINVAL, 'SMM guest mode without SMM VMXON'],
  ['state-evmcs-not-enabled', 'set-nested-state', { evmcs: { enabled: false }, nestedState: { flags: ['KVM_STATE_NESTED_EVMCS'] } }, EINVAL, 'vmx_set_nested_state_test: EVMCS flag without the capability'],
  ['state-size-vmcs12', 'set-nested-state', { nestedState: { size: '0x80' } }, EINVAL, 'vmx_set_nested_state_test: vmcs12_pa with header-only size'],
  ['state-vmcs12-address', 'set-nested-state', { nestedState: { vmcs12_pa: '0x10000' } }, EINVAL, 'vmx_set_nested_state_test: vmcs12 == vmxon'],
  ['state-no-vmcs12', 'set-nested-state', { nestedState: { vmcs12_pa: INVALID } }, EINVAL, 'vmx_set_nested_state_test: no vmcs12 and no eVMCS'],
  ['state-vmcs12-revision', 'set-nested-state', { vmcs12: { revision_id: '0x1' } }, EINVAL, 'vmx_set_nested_state_test: bad revision'],
  ['state-shadow-size', 'set-nested-state', { nestedState: { flags: ['KVM_STATE_NESTED_GUEST_MODE'] }, vmcs12: { ...sec(['SECONDARY_EXEC_SHADOW_VMCS']), VMCS_LINK_POINTER: '0x5000' } }, EINVAL, 'vmx_set_nested_state_test: shadow vmcs12 missing'],
  ['state-shadow-revision', 'set-nested-state', { nestedState: { flags: ['KVM_STATE_NESTED_GUEST_MODE'], size: '0x2080' }, vmcs12: { ...sec(['SECONDARY_EXEC_SHADOW_VMCS']), VMCS_LINK_POINTER: '0x5000' }, linkedVmcs: { revision_id: '0x1' } }, EINVAL, 'shadow vmcs12 revision'],

  ['cr0-high-bits', 'cr0-write', { write: { cr0: '0x180050033' } }, GP, 'kvm_set_cr0: bits 63:32'],
  ['cr0-nw-without-cd', 'cr0-write', { write: { cr0: '0xa0050033' } }, GP, 'kvm_set_cr0: NW without CD'],
  ['cr0-pg-without-pe', 'cr0-write', { write: { cr0: '0x80050032' } }, GP, 'kvm_set_cr0: PG without PE'],
  ['cr0-vmx-fixed', 'cr0-write', { write: { cr0: '0x80050013' } }, GP, 'vmx_is_valid_cr0: NE in VMX operation'],
  ['cr0-long-mode-pae', 'cr0-write', { l1: { vmxon: false, cr0: '0x50033', cr4: '0x0', efer: '0x500' }, write: { cr0: '0x80050033' } }, GP, 'long mode without PAE'],
  ['cr0-long-mode-cs-l', 'cr0-write', { l1: { vmxon: false, cr0: '0x50033', cr4: '0x20', efer: '0x500', cs_l: true }, write: { cr0: '0x80050033' } }, GP, 'long mode with CS.L'],
  ['cr0-pae-pdptrs', 'cr0-write', { l1: { vmxon: false, cr0: '0x80000033', cr4: '0x20', efer: '0x0', pdptrs_valid: false }, write: { cr0: '0xc0000033' } }, GP, 'PAE PDPTE reload'],
  ['cr0-pg-off-long-mode', 'cr0-write', { l1: { vmxon: false }, write: { cr0: '0x50033' } }, GP, 'PG off in 64-bit mode'],

  ['cr3-legal', 'cr3-write', { base: 'ept-off', cpuid: { features: { LAM: false } }, write: { cr3: '0x4000000000002000' } }, GP, 'seed LAM: CR3 bit 62 without LAM, shadow paging'],
  ['cr3-pae-pdptrs', 'cr3-write', { base: 'ept-off', l1: { vmxon: false, cr0: '0x80000033', cr4: '0x20', efer: '0x0', pdptrs_valid: false }, write: { cr3: '0x3000' } }, GP, 'PAE CR3 with bad PDPTEs'],
  ['sregs-long-mode-cr3', 'cr3-write', { cpuid: { features: { LAM: false } }, write: { cr3: '0x4000000000002000', by: 'userspace' } }, EINVAL, 'KVM_SET_SREGS: LAM bit without LAM'],
  ['sregs-lma-without-long-mode', 'cr3-write', { write: { efer: '0x400', by: 'userspace' } }, EINVAL, 'KVM_SET_SREGS: LMA without LME'],

  ['late-vmfail', 'nested-vmexit', { exit: { late_fail: true } }, v7, 'late VM-Fail'],
  ['exit-msr-store', 'nested-vmexit', { vmcs12: { VM_EXIT_MSR_STORE_COUNT: 1, VM_EXIT_MSR_STORE_ADDR: '0x7000' }, msrLists: { VM_EXIT_MSR_STORE: [{ index: 'MSR_IA32_SMBASE' }] } }, { kind: 'abort', abortIndicator: 1 }, 'MSR-store list: SMBASE'],
  ['host-cr3-reload', 'nested-vmexit', { cpuid: { features: { LAM: false } }, vmcs12: { HOST_CR3: '0x4000000000001000' } }, { kind: 'abort', abortIndicator: 2 }, 'HOST_CR3 made illegal after entry'],
  ['host-pdptes', 'nested-vmexit', { l1: { pdptrs_valid: false }, vmcs12: { VM_EXIT_CONTROLS: { clear: ['VM_EXIT_HOST_ADDR_SPACE_SIZE'] } } }, { kind: 'abort', abortIndicator: 2 }, 'host PAE PDPTEs'],
  ['exit-msr-load', 'nested-vmexit', { vmcs12: { VM_EXIT_MSR_LOAD_COUNT: 1, VM_EXIT_MSR_LOAD_ADDR: '0x7000' }, msrLists: { VM_EXIT_MSR_LOAD: [{ index: 'MSR_FS_BASE', value: '0x0' }] } }, { kind: 'abort', abortIndicator: 4 }, 'vmx_exit_msr_load: FS_BASE'],
];

for (const [id, path, scenario, outcome, subtest] of ROWS) {
  void test(`${id} (${path}): ${subtest}`, () => {
    const base = simulate(path, { base: 'default' });
    const before = base.trace.filter(t => t.check === id);
    assert.ok(before.every(t => t.result !== 'fail'), `${id} fails already in the base: ${JSON.stringify(before)}`);
    const r = simulate(path, { base: 'default', ...scenario });
    assert.deepEqual(r.outcome, outcome);
    if (id !== 'vmentry-hw-early-check') {
      assert.equal(r.failedCheck?.id, id, `failed check ${r.failedCheck?.id}, trace tail ${JSON.stringify(r.trace.slice(-2))}`);
      const step = r.trace.find(t => t.check === id && t.result === 'fail');
      assert.ok(step && Object.keys(step.values).length > 0, `${id}: no values recorded`);
    }
  });
}

void test('vmentry-hw-early-check: only with nested_early_check=1; a hardware VM-fail (override) is VMfailValid 7', () => {
  const off = simulate('nested-vmentry', { base: 'default' });
  assert.equal(off.trace.find(t => t.check === 'vmentry-hw-early-check')?.result, 'skip');
  const on = simulate('nested-vmentry', { base: 'default', params: { nested_early_check: true } });
  assert.equal(on.trace.find(t => t.check === 'vmentry-hw-early-check')?.result, 'pass');
  const fails = simulate('nested-vmentry', { base: 'default', params: { nested_early_check: true } }, { overrides: { 'vmentry-hw-early-check': '1' } });
  assert.deepEqual(fails.outcome, v7);
});

void test('every modeled check has a failing row above', () => {
  const covered = new Set([...ROWS.map(r => r[0]), 'vmentry-hw-early-check']);
  const missing = allChecks().map(c => c.id).filter(id => !covered.has(id));
  assert.deepEqual(missing, []);
});

void test('check ids are unique and every check names a source, an SDM section and its rule', () => {
  const ids = allChecks().map(c => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const c of allChecks()) assert.ok(c.source && c.sdm && c.rule && c.condition, c.id);
});
