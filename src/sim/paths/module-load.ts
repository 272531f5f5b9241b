// The module-load path (kvm_intel load: setup_vmcs_config): its definition, the checks it can run in KVM's order, and
// KVM's control flow between them (Linux v6.12).
import { MODULE_LOAD_CHECKS, type CheckDef } from '../../knowledge/checks';
import { type CheckPath, type Runner, type RunResult } from '../run';
import { hex } from '../../knowledge/names';
import { effectiveParams, setupVmcsConfig } from '../vmxcaps';

export const moduleLoad: CheckPath = {
  id: 'module-load', title: 'kvm_intel load: setup_vmcs_config', entry: 'vmx_init',
  steps: ['vmx_init', 'vmx_hardware_setup', 'setup_vmcs_config', 'adjust_vmx_controls', 'nested_vmx_setup_ctls_msrs'],
  checks: MODULE_LOAD_CHECKS,
  run,
};

function run(r: Runner): RunResult {
  const m = r.m;
  const byId = (id: string): CheckDef => MODULE_LOAD_CHECKS.find(c => c.id === id)!;
  if (r.check(byId('vmx-supported'))) return r.result({ kind: 'load-failed', errno: 'EOPNOTSUPP' });
  const cfg = setupVmcsConfig(m.w.hostMsrs, m.w.params, m.w.hostFeatures, (id, vars) => {
    const names: Record<string, bigint> = {};
    for (const [key, v] of Object.entries(vars)) names[key] = v;
    return r.check(byId(id), names);
  });
  r.warnings.push(...cfg.warnings);
  if (cfg.error) return r.result({ kind: 'load-failed', errno: cfg.error });
  r.failed = null;
  const p = effectiveParams(cfg, m.w.params);
  // vmx_hardware_setup, after trimming the module parameters to the CPU.
  if (r.check(byId('shadow-paging-needs-nx'), { enable_ept: p.ept ? 1n : 0n })) {
    r.warnings.push('NX (Execute Disable) not supported');
    return r.result({ kind: 'load-failed', errno: 'EOPNOTSUPP' });
  }
  return r.result({
    kind: 'loaded',
    vmcsConfig: {
      PIN_BASED_VM_EXEC_CONTROL: hex(cfg.pin), CPU_BASED_VM_EXEC_CONTROL: hex(cfg.cpu), SECONDARY_VM_EXEC_CONTROL: hex(cfg.cpu2),
      VM_ENTRY_CONTROLS: hex(cfg.entry), VM_EXIT_CONTROLS: hex(cfg.exit), ept: p.ept, vpid: p.vpid,
    },
  });
}
