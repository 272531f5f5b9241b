// The nested-vmexit path (Emulated VM-exit from L2 to L1): its definition, the checks it can run in KVM's order, and
// KVM's control flow between them (Linux v6.12).
import { VMEXIT_CHECKS } from '../../knowledge/checks';
import { loadHostState, type CheckPath, type Runner, type RunResult } from '../run';

export const nestedVmexit: CheckPath = {
  id: 'nested-vmexit', title: 'Emulated VM-exit from L2 to L1', entry: 'nested_vmx_vmexit',
  steps: ['nested_vmx_vmexit', 'nested_get_evmcs_page', 'prepare_vmcs12', 'nested_vmx_store_msr', 'load_vmcs12_host_state', 'nested_vmx_load_cr3', 'nested_vmx_load_msr'],
  checks: VMEXIT_CHECKS,
  run,
};

function run(r: Runner): RunResult {
  const m = r.m;
  r.vars.vm_exit_reason = m.w.exit.reason;
  if (r.check(VMEXIT_CHECKS.find(c => c.id === 'late-vmfail')!)) return r.result({ kind: 'vmfail-valid', vmInstructionError: 7 });
  r.note('prepare_vmcs12', 'exit-reason', { VM_EXIT_REASON: m.w.exit.reason, EXIT_QUALIFICATION: m.w.exit.qualification });
  if (r.check(VMEXIT_CHECKS.find(c => c.id === 'exit-msr-store')!)) return r.result({ kind: 'abort', abortIndicator: 1 });
  if (loadHostState(r)) return r.result(r.failOutcome(r.failed!.check.result));
  return r.result({ kind: 'ok' });
}
