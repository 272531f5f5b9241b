// Checks of guest and userspace CR0/CR3 writes (v6.12): arch/x86/kvm/x86.c kvm_set_cr0,
// kvm_is_valid_cr0, kvm_set_cr3, kvm_is_valid_sregs; vmx.c vmx_is_valid_cr0. Reference kvm-nested-vmx.md §6.
import type { CheckDef } from './types';

const VMX = 'arch/x86/kvm/vmx/vmx.c';
const X86 = 'arch/x86/kvm/x86.c';
const EINVAL = { kind: 'error', errno: 'EINVAL' } as const;
const GP = { kind: 'fault', vector: 'GP' } as const;

/** CR0 writes (kvm_set_cr0 / KVM_SET_SREGS). */
export const CR0_CHECKS: readonly CheckDef[] = [
  { id: 'cr0-high-bits', function: 'kvm_is_valid_cr0', condition: 'cr0 & 0xffffffff00000000UL', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 2.5 (control registers: CR0 bits 63:32 reserved)', rule: 'CR0 bits 63:32 must be 0.' },
  { id: 'cr0-nw-without-cd', function: 'kvm_is_valid_cr0', condition: '(cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD)', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 2.5 (CR0.NW=1 with CD=0 is invalid)', rule: 'CR0.NW requires CR0.CD.' },
  { id: 'cr0-pg-without-pe', function: 'kvm_is_valid_cr0', condition: '(cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE)', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 2.5 (CR0.PG requires PE)', rule: 'CR0.PG requires CR0.PE.' },
  { id: 'cr0-vmx-fixed', function: 'vmx_is_valid_cr0', condition: 'is_guest_mode(vcpu) ? !nested_guest_cr0_valid(vcpu, cr0) : (vmx->nested.vmxon && !nested_host_cr0_valid(vcpu, cr0))', result: GP, source: VMX,
    sdm: 'SDM Vol. 3D A.7 (VMX-fixed bits in CR0)', rule: 'In VMX operation CR0 must keep the VMX-fixed bits (PE, NE, PG; relaxed for an unrestricted L2).' },
  { id: 'cr0-long-mode-pae', function: 'kvm_set_cr0', guard: '(vcpu->arch.efer & EFER_LME) && !is_paging(vcpu) && (cr0 & X86_CR0_PG)', condition: '!is_pae(vcpu)', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 9.8.5 (initializing IA-32e mode: PAE before PG)', rule: 'Enabling paging with EFER.LME needs CR4.PAE.' },
  { id: 'cr0-long-mode-cs-l', function: 'kvm_set_cr0', guard: '(vcpu->arch.efer & EFER_LME) && !is_paging(vcpu) && (cr0 & X86_CR0_PG)', condition: 'cs_l', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 9.8.5 (initializing IA-32e mode)', rule: 'Enabling long mode with CS.L=1 is refused.' },
  { id: 'cr0-pae-pdptrs', function: 'kvm_set_cr0', guard: '!(vcpu->arch.efer & EFER_LME) && (cr0 & X86_CR0_PG) && is_pae(vcpu) && ((cr0 ^ old_cr0) & X86_CR0_PDPTR_BITS)',
    condition: '!load_pdptrs(vcpu, kvm_read_cr3(vcpu))', result: GP, source: X86, sdm: 'SDM Vol. 3A 4.4.1 (PDPTE registers)', rule: 'PAE paging: the PDPTEs must load when PG/CD/NW change.' },
  { id: 'cr0-pg-off-long-mode', function: 'kvm_set_cr0', condition: '!(cr0 & X86_CR0_PG) && (is_64_bit_mode(vcpu) || kvm_is_cr4_bit_set(vcpu, X86_CR4_PCIDE))', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 4.10.1 (PCIDE requires paging) / 9.8.5.4', rule: 'Paging may not be turned off in 64-bit mode or with CR4.PCIDE.' },
];

/** CR3 writes (kvm_set_cr3, kvm_is_valid_sregs). */
export const CR3_CHECKS: readonly CheckDef[] = [
  { id: 'cr3-legal', function: 'kvm_set_cr3', condition: '!kvm_vcpu_is_legal_cr3(vcpu, cr3)', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 4.5 (CR3 reserved bits) and 4.4 LAM (CR3 bits 61/62)', rule: 'A CR3 with bits at or above the guest MAXPHYADDR is refused (#GP); LAM bits 61/62 are allowed when the guest can use LAM.',
    test: 'kvm-unit-tests x86/lam.c (test_lam_user / CR3 LAM bits)' },
  { id: 'cr3-pae-pdptrs', function: 'kvm_set_cr3', guard: 'is_pae_paging(vcpu)', condition: '!load_pdptrs(vcpu, cr3)', result: GP, source: X86,
    sdm: 'SDM Vol. 3A 4.4.1 (PDPTE registers)', rule: 'PAE paging: the new CR3 must point to loadable PDPTEs.' },
  { id: 'sregs-long-mode-cr3', function: 'kvm_is_valid_sregs', guard: '(sregs->efer & EFER_LME) && (sregs->cr0 & X86_CR0_PG)',
    condition: '!(sregs->cr4 & X86_CR4_PAE) || !(sregs->efer & EFER_LMA) || !kvm_vcpu_is_legal_cr3(vcpu, sregs->cr3)', result: EINVAL, source: X86,
    sdm: 'KVM API KVM_SET_SREGS (not an SDM rule)', rule: 'Userspace long-mode state needs CR4.PAE, EFER.LMA and a legal CR3 (LAM bits allowed with LAM).' },
  { id: 'sregs-lma-without-long-mode', function: 'kvm_is_valid_sregs', guard: '!((sregs->efer & EFER_LME) && (sregs->cr0 & X86_CR0_PG))',
    condition: 'sregs->efer & EFER_LMA', result: EINVAL, source: X86, sdm: 'KVM API KVM_SET_SREGS', rule: 'EFER.LMA without LME and PG is refused.' },
];
