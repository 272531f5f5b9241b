// The cr0-write path (Guest CR0 write and CR0 bit ownership): its definition, the checks it can run in KVM's order, and
// KVM's control flow between them (Linux v6.12).
import { CR0_CHECKS, CR3_CHECKS } from '../../knowledge/checks';
import { M64, k, l1OwnedCr0, type CheckPath, type Runner, type RunResult } from '../run';

export const cr0Write: CheckPath = {
  id: 'cr0-write', title: 'Guest CR0 write and CR0 bit ownership', entry: 'handle_cr',
  steps: ['handle_cr', 'handle_set_cr0', 'kvm_set_cr0', 'kvm_is_valid_cr0', 'vmx_is_valid_cr0', 'vmx_set_cr0', 'kvm_post_set_cr0'],
  checks: [...CR3_CHECKS.filter(c => c.function === 'kvm_is_valid_sregs'), ...CR0_CHECKS],
  run,
};

function run(r: Runner): RunResult {
  const m = r.m, w = m.w;
  const old = w.l1.cr0;
  const next = w.write.cr0 ?? old;
  const vars = { cr0: next, old_cr0: old, cs_l: w.l1.csL ? 1n : 0n };
  if (w.write.by === 'userspace') {
    if (r.group(CR3_CHECKS.filter(c => c.function === 'kvm_is_valid_sregs')) || r.group(CR0_CHECKS.filter(c => c.function === 'kvm_is_valid_cr0' || c.function === 'vmx_is_valid_cr0'), vars)) return r.result({ kind: 'error', errno: 'EINVAL' });
    const changed = next !== old || (w.write.cr3 !== undefined && w.write.cr3 !== w.l1.cr3);
    return r.result({ kind: 'ok', intercepted: false, mmu: changed ? 'kvm_mmu_reset_context' : 'none' });
  }
  let owned = l1OwnedCr0(m, r.vars);
  if (w.write.l2) {
    const mask12 = m.vmcs12.get('cr0_guest_host_mask') ?? 0n;
    owned &= ~mask12;
    const shadow = m.vmcs12.get('cr0_read_shadow') ?? 0n;
    if (mask12 & (next ^ shadow)) {
      r.note('nested_vmx_exit_handled_cr', 'cr0-write-reflected-to-l1', { CR0_GUEST_HOST_MASK: mask12, CR0_READ_SHADOW: shadow, cr0: next });
      return r.result({ kind: 'ok', intercepted: true, mmu: 'none' });
    }
  }
  const mask = ~owned & M64;
  const intercepted = ((next ^ old) & mask) !== 0n;
  r.note('handle_cr', 'cr0-write-intercepted', { CR0_GUEST_HOST_MASK: mask, cr0_guest_owned_bits: owned, old_cr0: old, cr0: next, intercepted: intercepted ? 1n : 0n });
  if (!intercepted && !w.write.emulated) return r.result({ kind: 'ok', intercepted: false, mmu: 'none' });
  if (r.group(CR0_CHECKS, vars)) return r.result({ kind: 'fault', vector: 'GP' });
  const cr0 = (next | k('X86_CR0_ET')) & ~k('CR0_RESERVED_BITS');
  const diff = cr0 ^ old;
  let mmu = 'none';
  if (diff === k('X86_CR0_WP') && !(cr0 & k('X86_CR0_PG'))) mmu = 'none';
  else if (diff === k('X86_CR0_WP') && m.params.ept) mmu = 'kvm_init_mmu';
  else if (diff & k('KVM_MMU_CR0_ROLE_BITS')) mmu = 'kvm_mmu_reset_context';
  r.note('kvm_post_set_cr0', 'mmu-update', { 'cr0 ^ old_cr0': diff, tdp_enabled: m.params.ept ? 1n : 0n });
  return r.result({ kind: 'ok', intercepted, mmu });
}
