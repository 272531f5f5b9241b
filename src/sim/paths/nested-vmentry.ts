// The nested-vmentry path (VMLAUNCH/VMRESUME from L1): its definition, the checks it can run in KVM's order, and
// KVM's control flow between them (Linux v6.12).
import { RUN_CHECKS, CONTROL_CHECKS, HOST_STATE_CHECKS, ENTER_CHECKS, GUEST_STATE_CHECKS, HARDWARE_CONTROL_CHECKS, HARDWARE_GUEST_CHECKS, VMEXIT_CHECKS, type CheckDef } from '../../knowledge/checks';
import { M64, k, EVMPTRLD, evmptrld, isPae, loadHostState, l1OwnedCr0, type CheckPath, type Runner, type RunResult, type Outcome } from '../run';

const HOST_LOAD = VMEXIT_CHECKS.filter(c => c.function !== 'nested_vmx_vmexit' && c.function !== 'nested_vmx_store_msr');

export const nestedVmentry: CheckPath = {
  id: 'nested-vmentry', title: 'VMLAUNCH/VMRESUME from L1', entry: 'handle_vmlaunch',
  steps: ['nested_vmx_run', 'nested_vmx_check_permission', 'nested_vmx_handle_enlightened_vmptrld', 'nested_vmx_check_controls',
      'nested_vmx_check_address_space_size', 'nested_vmx_check_host_state', 'nested_vmx_enter_non_root_mode', 'prepare_vmcs02_early',
      'nested_vmx_check_vmentry_hw', 'nested_vmx_check_guest_state', 'prepare_vmcs02', 'nested_vmx_load_cr3', 'nested_vmx_load_msr', 'vmx_vcpu_enter_exit'],
  checks: [...RUN_CHECKS, ...CONTROL_CHECKS, ...HOST_STATE_CHECKS, ...ENTER_CHECKS.slice(0, 2), ...GUEST_STATE_CHECKS, ...ENTER_CHECKS.slice(2),
    ...HARDWARE_CONTROL_CHECKS, ...HARDWARE_GUEST_CHECKS, ...HOST_LOAD],
  run,
};

function run(r: Runner): RunResult {
  const m = r.m;
  const byId = (id: string): CheckDef => RUN_CHECKS.find(c => c.id === id)!;
  if (r.check(byId('vmx-not-on')) || r.check(byId('cpl-nonzero'))) return r.result(r.failOutcome(r.failed!.check.result));
  Object.assign(r.vars, EVMPTRLD);
  r.vars.evmptrld_status = evmptrld(m);
  const evmcs = r.vars.evmptrld_status === EVMPTRLD.EVMPTRLD_SUCCEEDED;
  r.vars.evmcs_valid = evmcs ? 1n : 0n;
  if (evmcs) { r.vars.current_vmptr = M64; r.vars.launch_state = m.w.l1.launch ? 0n : 1n; }
  r.vars.launch = m.w.l1.launch ? 1n : 0n;
  for (const id of ['evmcs-map-error', 'evmcs-vmfail', 'no-current-vmcs', 'shadow-vmcs-launch', 'mov-ss-blocking', 'launch-state']) {
    if (r.check(byId(id))) {
      const res = r.failed!.check.result;
      if (id === 'launch-state') return r.result({ kind: 'vmfail-valid', vmInstructionError: m.w.l1.launch ? 4 : 5 });
      return r.result(r.failOutcome(res));
    }
  }
  if (r.group(CONTROL_CHECKS)) return r.result({ kind: 'vmfail-valid', vmInstructionError: 7 });
  if (r.check(byId('address-space-size'))) return r.result({ kind: 'vmfail-valid', vmInstructionError: 8 });
  if (r.group(HOST_STATE_CHECKS)) return r.result({ kind: 'vmfail-valid', vmInstructionError: 8 });
  r.vars.nested_run_pending = 1n;
  r.vars.from_vmentry = 1n;
  r.vars.early_hw_vmfail = 0n;
  const enter = (id: string): CheckDef => ENTER_CHECKS.find(c => c.id === id)!;
  // nested_get_vmcs12_pages runs before the guest-state checks (prepare_vmcs02_early done).
  if (r.check(enter('apic-access-page-unbacked'))) return r.result({ kind: 'error', errno: 'KVM_EXIT_INTERNAL_ERROR' });
  if (r.check(enter('vmentry-hw-early-check'))) return r.result({ kind: 'vmfail-valid', vmInstructionError: 7 });
  // With nested_early_check=1 the CPU's control checks run here, before KVM's guest-state checks.
  const early = m.params.nested_early_check;
  if (early && r.group(HARDWARE_CONTROL_CHECKS)) return r.result({ kind: 'vmfail-valid', vmInstructionError: 7 });
  let failure: Outcome | null = null;
  if (r.group(GUEST_STATE_CHECKS)) failure = r.failOutcome(r.failed!.check.result);
  if (!failure) {
    const v = m.vmcs12;
    const ia32e = ((v.get('vm_entry_controls') ?? 0n) & k('VM_ENTRY_IA32E_MODE')) !== 0n;
    r.vars.is_pae_paging_guest = isPae(v.get('guest_cr0') ?? 0n, v.get('guest_cr4') ?? 0n, ia32e) ? 1n : 0n;
    r.note('prepare_vmcs02', 'cr0-guest-owned-bits', { cr0_guest_owned_bits: l1OwnedCr0(m, r.vars) & ~(v.get('cr0_guest_host_mask') ?? 0n), CR0_GUEST_HOST_MASK: v.get('cr0_guest_host_mask') ?? 0n });
    for (const id of ['guest-state-emulation', 'guest-cr3-legal', 'guest-pdptes']) {
      if (r.check(enter(id))) { failure = r.failOutcome(r.failed!.check.result); break; }
    }
  }
  if (!failure) {
    const c = enter('entry-msr-load');
    // The helper leaves the 1-based index of the failing entry in vars.failed_index.
    if (r.check(c)) failure = r.failOutcome(c.result);
  }
  // vmcs02 is entered: the CPU checks controls KVM did not (late VM-Fail: VMfailValid 7, L1's
  // state restored from vmcs01, no host-state load), then guest state (reflected as reason 33).
  if (!failure && !early && r.group(HARDWARE_CONTROL_CHECKS)) return r.result({ kind: 'vmfail-valid', vmInstructionError: 7 });
  if (!failure && r.group(HARDWARE_GUEST_CHECKS)) failure = r.failOutcome(r.failed!.check.result);
  if (failure) {
    // Failed-entry "VM-exit": L1's host state is loaded from vmcs12, which may itself abort.
    const failedBefore = r.failed;
    if (loadHostState(r)) return r.result(r.failOutcome(r.failed!.check.result));
    r.failed = failedBefore;
    return r.result(failure);
  }
  return r.result({ kind: 'entered' });
}
