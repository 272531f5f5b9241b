// Untrusted input never crashes the simulator: random scenarios and patch conditions either
// simulate or fail with a one-line ScenarioError (the CLI's exit 2), never an internal error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allChecks, listPaths, ScenarioError, simulate } from '../../../src/sim';

void test('random scenarios and override conditions: a result or a ScenarioError, nothing else', () => {
  let seed = 4242;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const values: unknown[] = ['0x0', '0x1', '0xffffffffffffffff', '-1', 1, 0, true, 'x', null, {}, [], { set: ['X'] }, { clear: [] }, '0x80000000', 1.5, -3, '0x1ffffffffffffffff'];
  const fields = ['HOST_CR3', 'GUEST_CR0', 'VM_EXIT_CONTROLS', 'PIN_BASED_VM_EXEC_CONTROL', 'EPT_POINTER', 'HOST_CS_SELECTOR', 'launch_state', 'VM_ENTRY_MSR_LOAD_COUNT', 'nosuch'];
  const conditions = ['1', '(', 'a +', 'vmcs12->host_cr3 >> 64', '~0 / 0', 'BIT(200)', 'GENMASK(70, 0)', 'x ? y', "'a'", '0x', 'sizeof(int)', '1 << -1',
    'nested_cpu_has(vmcs12)', 'kvm_vcpu_is_legal_cr3()', 'CC(', 'vmcs12->', '((((1))))', 'constructor', 'vcpu->arch.efer & EFER_LMA'];
  const paths = listPaths().map(p => p.id);
  const checks = allChecks().map(c => c.id);
  const internal: string[] = [];
  for (let i = 0; i < 1500; i++) {
    const scenario: Record<string, unknown> = { base: pick(['default', 'no-lam', 'ept-off', 'old-cpu', 'hyperv-evmcs']), vmcs12: { [pick(fields)]: pick(values) } };
    if (rnd() < 0.3) scenario.l1 = { [pick(['cr0', 'cr4', 'efer', 'cpl', 'instruction', 'launched'])]: pick(values) };
    if (rnd() < 0.2) scenario.nestedState = { [pick(['flags', 'size', 'vmxon_pa', 'format'])]: pick(values) };
    if (rnd() < 0.2) scenario.hostMsrs = { [pick(['MSR_IA32_VMX_BASIC', 'MSR_IA32_VMX_EXIT_CTLS'])]: pick(values) };
    if (rnd() < 0.1) scenario.msrLists = { VM_ENTRY_MSR_LOAD: pick([[], [{ index: pick(values), value: pick(values) }], 'x']) };
    const options = rnd() < 0.3 ? { overrides: { [pick(checks)]: pick(conditions) } } : {};
    try { simulate(pick(paths), scenario, options); }
    catch (e) {
      if (!(e instanceof ScenarioError)) internal.push(`${(e as Error).message} ${JSON.stringify(scenario)} ${JSON.stringify(options)}`);
      else assert.ok(!e.message.includes('\n'));
    }
  }
  assert.deepEqual(internal.slice(0, 3), []);
});
