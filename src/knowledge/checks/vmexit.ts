// Checks of the emulated VM-exit from L2 to L1 (v6.12): arch/x86/kvm/vmx/nested.c
// nested_vmx_vmexit, prepare_vmcs12, load_vmcs12_host_state. Reference kvm-nested-vmx.md §7.
import type { CheckDef } from './types';

const NESTED = 'arch/x86/kvm/vmx/nested.c';

/** Emulated VM-exit from L2 to L1. */
export const VMEXIT_CHECKS: readonly CheckDef[] = [
  { id: 'late-vmfail', function: 'nested_vmx_vmexit', condition: 'vmx->fail', result: { kind: 'vmfail-valid', vmInstructionError: 7 }, source: NESTED,
    sdm: 'SDM Vol. 3C 27.2 (VM-entry failures detected by hardware)', rule: 'vmcs02 VM-entry failed in hardware after KVM\'s checks passed: L1 sees VMfailValid 7 and KVM unwinds L1 state from vmcs01.', noCC: true },
  { id: 'exit-msr-store', function: 'nested_vmx_store_msr', guard: '!(vm_exit_reason & VMX_EXIT_REASONS_FAILED_VMENTRY) && vmcs12->vm_exit_msr_store_count',
    condition: 'nested_vmx_store_msr(vcpu, vmcs12->vm_exit_msr_store_addr, vmcs12->vm_exit_msr_store_count)', result: { kind: 'abort', abortIndicator: 1 }, source: NESTED,
    sdm: 'SDM Vol. 3C 28.4 (saving MSRs) and 28.7 (VMX aborts)', rule: 'An entry of the VM-exit MSR-store list that cannot be stored (SMBASE, FS/GS base, x2APIC range, microcode MSRs, reserved bits) is a VMX abort with indicator 1.', noCC: true },
  { id: 'host-cr3-reload', function: 'nested_vmx_load_cr3', condition: '!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)',
    result: { kind: 'abort', abortIndicator: 2 }, source: NESTED, noCC: true,
    sdm: 'SDM Vol. 3C 28.5.1 (loading host control registers) and 28.7 (VMX aborts)',
    rule: 'Reloading HOST_CR3 on VM-exit goes through nested_vmx_load_cr3; an illegal HOST_CR3 (only possible if it changed after VM-entry validated it) makes that call fail, which KVM reports as VMX abort 2.' },
  { id: 'host-pdptes', function: 'nested_vmx_load_cr3', guard: 'is_pae_paging_host',
    condition: '!load_pdptrs(vcpu, vmcs12->host_cr3)', result: { kind: 'abort', abortIndicator: 2 }, source: NESTED,
    sdm: 'SDM Vol. 3C 28.5.4 (checking and loading host PDPTEs) and 28.7', rule: 'Host PAE paging: PDPTEs that cannot be loaded on VM-exit are a VMX abort with indicator 2.', noCC: true },
  { id: 'exit-msr-load', function: 'nested_vmx_load_msr', guard: 'vmcs12->vm_exit_msr_load_count',
    condition: 'nested_vmx_load_msr(vcpu, vmcs12->vm_exit_msr_load_addr, vmcs12->vm_exit_msr_load_count)', result: { kind: 'abort', abortIndicator: 4 }, source: NESTED,
    sdm: 'SDM Vol. 3C 28.6 (loading MSRs) and 28.7', rule: 'An entry of the VM-exit MSR-load list that cannot be loaded is a VMX abort with indicator 4.', noCC: true,
    test: 'kvm-unit-tests x86/vmx_tests.c vmx_exit_msr_load (abort)' },
];
