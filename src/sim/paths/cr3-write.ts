// The cr3-write path (Guest or userspace CR3 load): its definition, the checks it can run in KVM's order, and
// KVM's control flow between them (Linux v6.12).
import { CR3_CHECKS } from '../../knowledge/checks';
import { k, isPae, type CheckPath, type Runner, type RunResult } from '../run';

export const cr3Write: CheckPath = {
  id: 'cr3-write', title: 'Guest or userspace CR3 load', entry: 'kvm_set_cr3',
  steps: ['handle_cr', 'kvm_set_cr3', 'kvm_is_valid_sregs', 'kvm_vcpu_is_legal_cr3'],
  checks: CR3_CHECKS,
  run,
};

function run(r: Runner): RunResult {
  const m = r.m, w = m.w;
  const old = w.l1.cr3;
  let cr3 = w.write.cr3 ?? old;
  if (w.write.by === 'userspace') {
    if (r.group(CR3_CHECKS.filter(c => c.function === 'kvm_is_valid_sregs'))) return r.result({ kind: 'error', errno: 'EINVAL' });
    return r.result({ kind: 'ok', intercepted: false, mmu: cr3 !== old ? 'kvm_mmu_reset_context' : 'none' });
  }
  const paging = (w.l1.cr0 & k('X86_CR0_PG')) !== 0n;
  // CR3-load exiting is on without EPT, and with EPT but no unrestricted guest while paging is off.
  const intercepted = !m.params.ept || (!m.params.unrestricted_guest && !paging);
  r.note('handle_cr', 'cr3-write-intercepted', { CPU_BASED_CR3_LOAD_EXITING: intercepted ? 1n : 0n, enable_ept: m.params.ept ? 1n : 0n, cr3 });
  if (!intercepted && !w.write.emulated) {
    // With EPT the CPU checks CR3 against the host's own rules (LAM bits legal when the host has
    // LAM even if the guest CPUID lacks it: the accepted "virtualization hole").
    const hostLam = w.hostFeatures.has('LAM');
    let v = cr3 & ~(1n << 63n);
    if (hostLam) v &= ~(k('X86_CR3_LAM_U48') | k('X86_CR3_LAM_U57'));
    if (v >> 52n) return r.result({ kind: 'fault', vector: 'GP' });
    return r.result({ kind: 'ok', intercepted: false, mmu: 'none' });
  }
  if (w.l1.cr4 & k('X86_CR4_PCIDE')) cr3 &= ~k('X86_CR3_PCID_NOFLUSH');
  const pae = isPae(w.l1.cr0, w.l1.cr4, (w.l1.efer & k('EFER_LMA')) !== 0n);
  if (cr3 === old && !pae) return r.result({ kind: 'ok', intercepted, mmu: 'none' });
  if (r.group(CR3_CHECKS.filter(c => c.function === 'kvm_set_cr3'), { cr3 })) return r.result({ kind: 'fault', vector: 'GP' });
  // kvm_set_cr3 only switches roots (kvm_mmu_new_pgd); it neither re-inits nor resets the MMU
  // context, which the contract's mmu field reports as "none". The trace shows the root switch.
  r.note('kvm_set_cr3', 'mmu-root-switch', { kvm_mmu_new_pgd: cr3 !== old ? 1n : 0n, cr3 });
  return r.result({ kind: 'ok', intercepted, mmu: 'none' });
}
