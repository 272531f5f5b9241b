// The set-nested-state path (KVM_SET_NESTED_STATE): its definition, the checks it can run in KVM's order, and
// KVM's control flow between them (Linux v6.12).
import { CONTROL_CHECKS, HOST_STATE_CHECKS, ENTER_CHECKS, GUEST_STATE_CHECKS, NESTED_STATE_CHECKS, type CheckDef } from '../../knowledge/checks';
import { M64, k, EVMPTR_MAP_PENDING, type CheckPath, type Runner, type RunResult, type Outcome } from '../run';

export const setNestedState: CheckPath = {
  id: 'set-nested-state', title: 'KVM_SET_NESTED_STATE', entry: 'kvm_arch_vcpu_ioctl',
  steps: ['kvm_arch_vcpu_ioctl', 'vmx_set_nested_state', 'vmx_leave_nested', 'enter_vmx_operation', 'nested_vmx_check_controls',
      'nested_vmx_check_host_state', 'nested_vmx_check_guest_state', 'nested_vmx_enter_non_root_mode', 'prepare_vmcs02', 'nested_vmx_load_cr3'],
  checks: [...NESTED_STATE_CHECKS, ...CONTROL_CHECKS, ...HOST_STATE_CHECKS, ...GUEST_STATE_CHECKS, ...ENTER_CHECKS.filter(c => c.id === 'guest-cr3-legal')],
  run,
};

function run(r: Runner): RunResult {
  const m = r.m;
  const st = m.w.nestedState;
  const byId = (id: string): CheckDef => NESTED_STATE_CHECKS.find(c => c.id === id)!;
  const EINVAL: Outcome = { kind: 'error', errno: 'EINVAL' };
  const ids = ['state-size-header', 'state-flags-unknown', 'state-run-pending-without-guest-mode', 'state-format', 'state-no-vmxon-smm', 'state-no-vmxon-vmcs12',
    'state-no-vmxon-flags', 'state-vmx-cpuid', 'state-vmxon-address', 'state-smm-guest-mode', 'state-smm-flags-unknown', 'state-vmx-flags-unknown',
    'state-smm-consistency', 'state-smm-guest-without-vmxon', 'state-evmcs-not-enabled'];
  for (const id of ids) if (r.check(byId(id))) return r.result(EINVAL);
  r.note('vmx_set_nested_state', 'vmx_leave_nested', {});
  if (st.vmxon_pa === M64) return r.result({ kind: 'ok' });
  if (r.check(byId('state-size-vmcs12'))) return r.result(EINVAL);
  if (st.size < 128n + 4096n) return r.result({ kind: 'ok' });
  if (r.check(byId('state-vmcs12-address'))) return r.result(EINVAL);
  if (st.vmcs12_pa === M64) {
    if (r.check(byId('state-no-vmcs12'))) return r.result(EINVAL);
    r.note('vmx_set_nested_state', 'evmcs-map-pending', { 'vmx->nested.hv_evmcs_vmptr': EVMPTR_MAP_PENDING, request: 'KVM_REQ_GET_NESTED_STATE_PAGES' });
    r.vars.hv_evmcs_vmptr = EVMPTR_MAP_PENDING;
  }
  if (r.check(byId('state-vmcs12-revision'))) return r.result(EINVAL);
  if (!(st.flags & k('KVM_STATE_NESTED_GUEST_MODE'))) return r.result({ kind: 'ok' });
  r.vars.nested_run_pending = st.flags & k('KVM_STATE_NESTED_RUN_PENDING') ? 1n : 0n;
  r.vars.from_vmentry = 0n;
  if (r.check(byId('state-shadow-size')) || r.check(byId('state-shadow-revision'))) return r.result(EINVAL);
  if (r.group(CONTROL_CHECKS) || r.group(HOST_STATE_CHECKS) || r.group(GUEST_STATE_CHECKS)) return r.result(EINVAL);
  if (r.check(ENTER_CHECKS.find(c => c.id === 'guest-cr3-legal')!)) return r.result({ kind: 'error', errno: 'NVMX_VMENTRY_VMEXIT' });
  r.note('nested_vmx_enter_non_root_mode', 'request', { request: 'KVM_REQ_GET_NESTED_STATE_PAGES' });
  return r.result({ kind: 'ok' });
}
