// Checks of guest and userspace CR0/CR3 writes: arch/x86/kvm/regs.c (6.12.118; moved there from
// x86.c, also in 6.12.y) kvm_set_cr0, kvm_is_valid_cr0, kvm_set_cr3, kvm_is_valid_sregs;
// vmx.c vmx_is_valid_cr0 / vmx_is_valid_cr4. Reference kvm-nested-vmx.md §6.
import type { CheckDef, TestRef } from './types';

const VMX = 'arch/x86/kvm/vmx/vmx.c';
const REGS = 'arch/x86/kvm/regs.c';
const EINVAL = { kind: 'error', errno: 'EINVAL' } as const;
const GP = { kind: 'fault', vector: 'GP' } as const;
const V612 = { since: 'v6.12' } as const;
const kutFile = (file: string, ...fns: string[]): TestRef[] => fns.map(f => ({ suite: 'kvm-unit-tests', file, function: f }));

/** CR0 writes (kvm_set_cr0 / KVM_SET_SREGS). */
export const CR0_CHECKS: readonly CheckDef[] = [
  { id: 'cr0-high-bits', noCC: true, ...V612, function: 'kvm_is_valid_cr0', condition: 'cr0 & 0xffffffff00000000UL', result: GP, source: REGS,
    sdm: 'SDM Vol. 3A 2.5 (control registers: CR0 bits 63:32 reserved)', rule: 'CR0 bits 63:32 must be 0.' },
  { id: 'cr0-nw-without-cd', noCC: true, ...V612, function: 'kvm_is_valid_cr0', condition: '(cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD)', result: GP, source: REGS,
    sdm: 'SDM Vol. 3A 2.5 (CR0.NW=1 with CD=0 is invalid)', rule: 'CR0.NW requires CR0.CD.' },
  { id: 'cr0-pg-without-pe', noCC: true, ...V612, function: 'kvm_is_valid_cr0', condition: '(cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE)', result: GP, source: REGS,
    sdm: 'SDM Vol. 3A 2.5 (CR0.PG requires PE)', rule: 'CR0.PG requires CR0.PE.' },
  { id: 'cr0-vmx-fixed', noCC: true, ...V612, function: 'vmx_is_valid_cr0', condition: 'is_guest_mode(vcpu) ? !nested_guest_cr0_valid(vcpu, cr0) : (vmx->nested.vmxon && !nested_host_cr0_valid(vcpu, cr0))', result: GP, source: VMX,
    sdm: 'SDM Vol. 3D A.7 (VMX-fixed bits in CR0)', rule: 'In VMX operation CR0 must keep the VMX-fixed bits (PE, NE, PG; relaxed for an unrestricted L2).', tests: kutFile('x86/vmx.c', 'test_vmxon_bad_cr') },
  { id: 'cr0-long-mode-pae', noCC: true, ...V612, function: 'kvm_set_cr0', guard: '(vcpu->arch.efer & EFER_LME) && !is_paging(vcpu) && (cr0 & X86_CR0_PG)', condition: '!is_pae(vcpu)', result: GP, source: REGS,
    sdm: 'SDM Vol. 3A 9.8.5 (initializing IA-32e mode: PAE before PG)', rule: 'Enabling paging with EFER.LME needs CR4.PAE.' },
  { id: 'cr0-long-mode-cs-l', noCC: true, ...V612, function: 'kvm_set_cr0', guard: '(vcpu->arch.efer & EFER_LME) && !is_paging(vcpu) && (cr0 & X86_CR0_PG)', condition: 'cs_l', result: GP, source: REGS,
    sdm: 'SDM Vol. 3A 9.8.5 (initializing IA-32e mode)', rule: 'Enabling long mode with CS.L=1 is refused.' },
  { id: 'cr0-pae-pdptrs', noCC: true, ...V612, function: 'kvm_set_cr0', guard: '!(vcpu->arch.efer & EFER_LME) && (cr0 & X86_CR0_PG) && is_pae(vcpu) && ((cr0 ^ old_cr0) & X86_CR0_PDPTR_BITS)',
    condition: '!load_pdptrs(vcpu, kvm_read_cr3(vcpu))', result: GP, source: REGS, sdm: 'SDM Vol. 3A 4.4.1 (PDPTE registers)', rule: 'PAE paging: the PDPTEs must load when PG/CD/NW change.' },
  { id: 'cr0-pg-off-long-mode', noCC: true, ...V612, function: 'kvm_set_cr0', condition: '!(cr0 & X86_CR0_PG) && (is_64_bit_mode(vcpu) || kvm_is_cr4_bit_set(vcpu, X86_CR4_PCIDE))', result: GP, source: REGS,
    sdm: 'SDM Vol. 3A 4.10.1 (PCIDE requires paging) / 9.8.5.4', rule: 'Paging may not be turned off in 64-bit mode or with CR4.PCIDE.' },
];

const sregs = (id: string, condition: string, rule: string, extra: Partial<CheckDef> = {}): CheckDef => ({
  id, function: 'kvm_is_valid_sregs', condition, rule, result: EINVAL, source: REGS, since: 'v6.12', noCC: true, sdm: 'KVM API KVM_SET_SREGS (not an SDM rule)', ...extra });
const LONG = '(sregs->efer & EFER_LME) && (sregs->cr0 & X86_CR0_PG)';

/** CR3 writes (kvm_set_cr3) and the KVM_SET_SREGS validity checks (kvm_is_valid_sregs), in order. */
export const CR3_CHECKS: readonly CheckDef[] = [
  { id: 'cr3-legal', noCC: true, ...V612, function: 'kvm_set_cr3', condition: '!kvm_vcpu_is_legal_cr3(vcpu, cr3)', result: GP, source: REGS,
    sdm: 'SDM Vol. 3A 4.5 (CR3 reserved bits) and 4.4 LAM (CR3 bits 61/62)', rule: 'A CR3 with bits at or above the guest MAXPHYADDR is refused (#GP); LAM bits 61/62 are allowed when the guest can use LAM.',
    tests: kutFile('x86/lam.c', 'test_lam_user', 'test_lam_sup') },
  { id: 'cr3-pae-pdptrs', noCC: true, ...V612, function: 'kvm_set_cr3', guard: 'is_pae_paging(vcpu)', condition: '!load_pdptrs(vcpu, cr3)', result: GP, source: REGS,
    sdm: 'SDM Vol. 3A 4.4.1 (PDPTE registers)', rule: 'PAE paging: the new CR3 must point to loadable PDPTEs.' },
  sregs('sregs-long-mode-cr3', '!(sregs->cr4 & X86_CR4_PAE) || !(sregs->efer & EFER_LMA) || !kvm_vcpu_is_legal_cr3(vcpu, sregs->cr3)',
    'Userspace long-mode state (EFER.LME and CR0.PG) needs CR4.PAE, EFER.LMA and a legal CR3 (LAM bits allowed with LAM).', { guard: LONG }),
  sregs('sregs-lma-without-long-mode', 'sregs->efer & EFER_LMA || sregs->cs.l',
    'Outside long mode (EFER.LME and CR0.PG not both set) EFER.LMA must be 0 and CS may not be a 64-bit code segment (CS.L).', { guard: `!(${LONG})` }),
  sregs('sregs-cr4-valid', '!kvm_is_valid_cr4(vcpu, sregs->cr4)',
    'The CR4 KVM_SET_SREGS installs must pass kvm_is_valid_cr4: no bit the host or the guest CPUID lacks, no VMXE in SMM, and in VMX operation L1\'s VMX-fixed CR4 bits.'),
  sregs('sregs-cr0-valid', '!kvm_is_valid_cr0(vcpu, sregs->cr0)',
    'The CR0 KVM_SET_SREGS installs must pass kvm_is_valid_cr0: bits 63:32 clear, NW only with CD, PG only with PE, and in VMX operation the VMX-fixed bits.'),
  sregs('sregs-efer-valid', '!kvm_valid_efer(vcpu, sregs->efer)',
    'The EFER KVM_SET_SREGS installs must be one KVM and the guest CPUID allow (posted 2026-06 with Cc: stable; in 6.12.118 — its mainline release is not verified here).',
    { since: 'kvm-x86', in612y: true }),
];
