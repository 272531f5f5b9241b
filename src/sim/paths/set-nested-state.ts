// The set-nested-state path (KVM_SET_NESTED_STATE): its definition, the checks it can run in KVM's order, and
// KVM's control flow between them (Linux v6.12).
import { CONTROL_CHECKS, HOST_STATE_CHECKS, ENTER_CHECKS, GUEST_STATE_CHECKS, NESTED_STATE_CHECKS, type CheckDef } from '../../knowledge/checks';
import { M64, k, EVMPTR_MAP_PENDING, type CheckPath, type Runner, type RunResult, type Outcome } from '../run';

export const setNestedState: CheckPath = {
  id: 'set-nested-state', title: 'KVM_SET_NESTED_STATE', entry: 'kvm_arch_vcpu_ioctl',
  steps: ['kvm_arch_vcpu_ioctl', 'vmx_set_nested_state', 'vmx_leave_nested', 'enter_vmx_operation', 'nested_vmx_check_controls',
      'nested_vmx_check_host_state', 'nested_vmx_check_guest_state', 'nested_vmx_enter_non_root_mode', 'prepare_vmcs02', 'nested_vmx_load_cr3'],
  checks: [...NESTED_STATE_CHECKS, ...CONTROL_CHECKS, ...HOST_STATE_CHECKS, ...GUEST_STATE_CHECKS, ...ENTER_CHECKS.filter(c => c.id === 'guest-cr3-legal' || c.id === 'guest-perf-global-ctrl-write')],
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
  if (r.check(byId('state-vmxon-enomem'))) return r.result({ kind: 'error', errno: 'ENOMEM' });
  if (r.check(byId('state-size-vmcs12'))) return r.result(EINVAL);
  if (st.size < 128n + 4096n) return r.result({ kind: 'ok' });
  if (r.check(byId('state-vmcs12-address'))) return r.result(EINVAL);
  if (st.vmcs12_pa === M64) {
    if (r.check(byId('state-no-vmcs12'))) return r.result(EINVAL);
    r.note('vmx_set_nested_state', 'evmcs-map-pending', { 'vmx->nested.hv_evmcs_vmptr': EVMPTR_MAP_PENDING, request: 'KVM_REQ_GET_NESTED_STATE_PAGES' });
    r.vars.hv_evmcs_vmptr = EVMPTR_MAP_PENDING;
  }
  // With SMM_VMXON the vCPU is restored inside SMM with VMX operation suspended: vmx->nested.vmxon
  // stays false until RSM sets it again (and re-enters L2 when SMM_GUEST_MODE is set too).
  const smmVmxon = (st.smm_flags & k('KVM_STATE_NESTED_SMM_VMXON')) !== 0n;
  const smmGuest = smmVmxon && (st.smm_flags & k('KVM_STATE_NESTED_SMM_GUEST_MODE')) !== 0n;
  if (smmVmxon) r.note('vmx_set_nested_state', 'smm-vmxon', { 'vmx->nested.smm.vmxon': 1n, 'vmx->nested.vmxon': 0n, 'vmx->nested.smm.guest_mode': smmGuest ? 1n : 0n });
  const ok = (): Outcome => (smmVmxon ? { kind: 'ok', vmxon: false, smm: { vmxon: true, guestMode: smmGuest } } : { kind: 'ok' });
  if (r.check(byId('state-vmcs12-efault'))) return r.result({ kind: 'error', errno: 'EFAULT' });
  if (r.check(byId('state-vmcs12-revision'))) return r.result(EINVAL);
  if (!(st.flags & k('KVM_STATE_NESTED_GUEST_MODE'))) return r.result(ok());
  r.vars.nested_run_pending = st.flags & k('KVM_STATE_NESTED_RUN_PENDING') ? 1n : 0n;
  r.vars.from_vmentry = 0n;
  if (r.check(byId('state-shadow-size'))) return r.result(EINVAL);
  if (r.check(byId('state-shadow-efault'))) return r.result({ kind: 'error', errno: 'EFAULT' });
  // 6.12.y checks the shadow header here; since v7.0 it is the first step of nested_vmx_check_restored_vmcs12.
  if (r.check(byId('state-shadow-revision')) || r.check(byId('restored-shadow-revision'))) return r.result(EINVAL);
  if (r.group(CONTROL_CHECKS) || r.group(HOST_STATE_CHECKS) || r.group(GUEST_STATE_CHECKS)) return r.result(EINVAL);
  const enter = (id: string): CheckDef => ENTER_CHECKS.find(c => c.id === id)!;
  if (r.check(enter('guest-cr3-legal')) || r.check(enter('guest-perf-global-ctrl-write'))) return r.result({ kind: 'error', errno: 'NVMX_VMENTRY_VMEXIT' });
  r.note('nested_vmx_enter_non_root_mode', 'request', { request: 'KVM_REQ_GET_NESTED_STATE_PAGES' });
  return r.result({ kind: 'ok' });
}
