// Scenario input: presets, relative forms, widths, and one-line ScenarioError messages that name
// the problem and the closest valid names (the CLI prints them and exits 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listPaths, presetNames, ScenarioError, simulate } from '../../../src/sim';
import { resolveScenario } from '../../../src/sim/scenario';

const err = (scenario: unknown, re: RegExp, path = 'nested-vmentry'): void => {
  assert.throws(() => simulate(path, scenario), (e: Error) => {
    assert.ok(e instanceof ScenarioError, `not a ScenarioError: ${e.message}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    assert.match(e.message, re);
    return true;
  });
};

void test('the six contract paths, in order, each with an entry and steps', () => {
  assert.deepEqual(listPaths().map(p => p.id), ['nested-vmentry', 'nested-vmexit', 'set-nested-state', 'module-load', 'cr0-write', 'cr3-write']);
  for (const p of listPaths()) assert.ok(p.title && p.entry && p.steps.length > 2, p.id);
});

void test('default base: entered, loaded, ok, and no failed check', () => {
  assert.equal(simulate('nested-vmentry', { base: 'default' }).outcome.kind, 'entered');
  assert.equal(simulate('module-load', { base: 'default' }).outcome.kind, 'loaded');
  assert.deepEqual(simulate('set-nested-state', { base: 'default' }).outcome, { kind: 'ok' });
  assert.equal(simulate('nested-vmentry').failedCheck, null);
});

void test('at least five presets; each is a valid scenario on every path', () => {
  assert.ok(presetNames().length >= 5);
  for (const base of presetNames()) for (const p of listPaths()) assert.doesNotThrow(() => simulate(p.id, { base }), `${base} on ${p.id}`);
});

void test('presets change what KVM offers: ept-off L1 may not enable EPT; no-lam rejects CR3 bit 61', () => {
  assert.deepEqual(simulate('nested-vmentry', { base: 'ept-off' }).outcome, { kind: 'entered' });
  const r = simulate('nested-vmentry', { base: 'ept-off', vmcs12: { SECONDARY_VM_EXEC_CONTROL: { set: ['SECONDARY_EXEC_ENABLE_EPT'] } } });
  assert.deepEqual(r.outcome, { kind: 'vmfail-valid', vmInstructionError: 7 });
  assert.equal(r.failedCheck?.id, 'secondary-ctls');
  assert.equal(simulate('nested-vmentry', { base: 'no-lam', vmcs12: { HOST_CR3: '0x2000000000001000' } }).failedCheck?.id, 'host-cr3');
  assert.equal(simulate('module-load', { base: 'old-cpu' }).outcome.kind, 'loaded');
});

void test('control fields take a value or {set, clear} relative to the base', () => {
  const base = resolveScenario({ base: 'default' }).vmcs12.get('vm_exit_controls')!;
  const w = resolveScenario({ vmcs12: { VM_EXIT_CONTROLS: { set: ['VM_EXIT_SAVE_IA32_EFER'], clear: ['VM_EXIT_LOAD_IA32_PAT'] } } });
  assert.equal(w.vmcs12.get('vm_exit_controls'), (base | 0x100000n) & ~0x80000n);
  assert.equal(resolveScenario({ vmcs12: { VM_EXIT_CONTROLS: '0x36dfb' } }).vmcs12.get('vm_exit_controls'), 0x36dfbn);
});

void test('capability MSRs take {allow, disallow, require}; other MSRs {set, clear}', () => {
  const w = resolveScenario({ l1Msrs: { MSR_IA32_VMX_TRUE_ENTRY_CTLS: { require: ['VM_ENTRY_LOAD_IA32_EFER'] } } });
  assert.ok(w.nested.entry_ctls_low & 0x8000n);
  const h = resolveScenario({ hostMsrs: { MSR_IA32_VMX_EPT_VPID_CAP: { clear: ['VMX_EPT_AD_BIT'] } } });
  assert.equal(h.hostMsrs.get('MSR_IA32_VMX_EPT_VPID_CAP')! & 0x200000n, 0n);
  const r = simulate('nested-vmentry', { l1Msrs: { MSR_IA32_VMX_TRUE_ENTRY_CTLS: { require: ['VM_ENTRY_LOAD_IA32_PAT'] } } });
  assert.equal(r.failedCheck?.id, 'vm-entry-ctls');
});

void test('unknown names get the closest valid names', () => {
  err({ base: 'defualt' }, /unknown base "defualt".*default/);
  err({ vmcs12: { HOST_CR33: '0x1' } }, /unknown VMCS field "HOST_CR33".*HOST_CR3/);
  err({ vmcs12: { VM_EXIT_CONTROLS: { set: ['VM_EXIT_LOAD_EFER'] } } }, /not a bit of VM_EXIT_CONTROLS.*VM_EXIT_LOAD_IA32_EFER/);
  err({ hostMsrs: { MSR_IA32_VMX_PROCBASED_CTL2: '0x0' } }, /unknown MSR "MSR_IA32_VMX_PROCBASED_CTL2".*MSR_IA32_VMX_PROCBASED_CTLS2/);
  err({ cpuid: { features: { LAMM: true } } }, /unknown CPUID feature "LAMM".*LAM/);
  err({ params: { epT: true } }, /unknown module parameter "epT".*ept/);
  err({ vmcs12s: {} }, /unknown key "vmcs12s" in scenario.*vmcs12/);
  err({ nestedState: { flags: ['KVM_STATE_NESTED_EVMC'] } }, /unknown flag "KVM_STATE_NESTED_EVMC".*KVM_STATE_NESTED_EVMCS/, 'set-nested-state');
});

void test('wrong widths and malformed values are refused', () => {
  err({ vmcs12: { HOST_CS_SELECTOR: '0x10000' } }, /HOST_CS_SELECTOR.*16 bits/);
  err({ vmcs12: { VM_ENTRY_CONTROLS: '0x100000000' } }, /VM_ENTRY_CONTROLS.*32 bits/);
  err({ vmcs12: { HOST_CR3: 'banana' } }, /HOST_CR3.*not a value/);
  err({ vmcs12: { HOST_CR3: 1.5 } }, /not a non-negative integer/);
  err({ vmcs12: { HOST_CR3_HIGH: '0x0' } }, /full 64-bit field HOST_CR3/);
  err('not an object', /JSON object/);
  err({ write: { by: 'kernel' } }, /write.by/, 'cr0-write');
  err({ cpuid: { maxphyaddr: 60 } }, /outside 32..52/);
});

void test('an unknown path is a ScenarioError naming the known ones', () => {
  assert.throws(() => simulate('nested-vmentyr', {}), /unknown path "nested-vmentyr".*nested-vmentry/);
});

void test('overrides replace a check condition (patch before/after) or remove it', () => {
  const s = { vmcs12: { HOST_CR3: '0x4000000000001000' }, cpuid: { features: { LAM: false } } };
  assert.equal(simulate('nested-vmentry', s).outcome.kind, 'vmfail-valid');
  // The pre-LAM condition (v6.7) also rejects it; removing the check lets the entry through.
  const old = simulate('nested-vmentry', s, { overrides: { 'host-cr3': 'kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->host_cr3)' } });
  assert.equal(old.failedCheck?.condition, 'kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->host_cr3)');
  assert.equal(simulate('nested-vmentry', s, { overrides: { 'host-cr3': null } }).outcome.kind, 'entered');
  // With LAM in CPUID the v6.12 condition accepts bit 62 and the old one does not.
  const lam = { vmcs12: { HOST_CR3: '0x4000000000001000' } };
  assert.equal(simulate('nested-vmentry', lam).outcome.kind, 'entered');
  assert.equal(simulate('nested-vmentry', lam, { overrides: { 'host-cr3': 'kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->host_cr3)' } }).outcome.kind, 'vmfail-valid');
  assert.throws(() => simulate('nested-vmentry', lam, { overrides: { 'host-cr3': 'frobnicate(vcpu)' } }), /check host-cr3: unknown function "frobnicate"/);
  assert.throws(() => simulate('nested-vmentry', lam, { overrides: { 'host-cr9': '1' } }), /unknown check "host-cr9".*host-cr/);
});

void test('the vPMU shape decides which PERF_GLOBAL_CTRL bits are valid (kvm-unit-tests valid_pgc)', () => {
  const s = (val: string, pmu?: Record<string, unknown>) => simulate('nested-vmentry', { pmu, vmcs12: { VM_EXIT_CONTROLS: { set: ['VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL'] }, HOST_IA32_PERF_GLOBAL_CTRL: val } }).outcome.kind;
  assert.equal(s('0x80'), 'entered');
  assert.equal(s('0x400000000'), 'entered');
  assert.equal(s('0x800000000'), 'vmfail-valid');
  assert.equal(s('0x80', { nr_gp_counters: 4 }), 'vmfail-valid');
  assert.equal(s('0x800000000', { nr_fixed_counters: 4 }), 'entered');
});

void test('L1 CPUID shapes the nested secondary controls (vmx_adjust_secondary_exec_control)', () => {
  const rdtscp = { vmcs12: { SECONDARY_VM_EXEC_CONTROL: { set: ['SECONDARY_EXEC_ENABLE_RDTSCP'] } } };
  assert.equal(simulate('nested-vmentry', rdtscp).outcome.kind, 'entered');
  assert.equal(simulate('nested-vmentry', { ...rdtscp, cpuid: { features: { RDTSCP: false, RDPID: false } } }).failedCheck?.id, 'secondary-ctls');
  assert.equal(simulate('nested-vmentry', { ...rdtscp, cpuid: { features: { RDTSCP: false } } }).outcome.kind, 'entered'); // RDPID alone keeps it
  assert.equal(simulate('nested-vmentry', { vmcs12: { SECONDARY_VM_EXEC_CONTROL: { set: ['SECONDARY_EXEC_ENABLE_INVPCID'] } }, cpuid: { features: { PCID: false } } }).failedCheck?.id, 'secondary-ctls');
});

void test('checksOf, checksOnPath and pathsThrough for hovers and code lenses', async () => {
  const { checksOf, checksOnPath, pathsThrough, allChecks } = await import('../../../src/sim');
  assert.ok(checksOf('nested_vmx_check_host_state').some(c => c.id === 'host-cr3'));
  assert.ok(checksOf('nested_vmx_check_controls').some(c => c.id === 'eptp-ad'), 'callees included');
  assert.deepEqual(checksOf('no_such_function'), []);
  assert.deepEqual(pathsThrough('nested_vmx_check_host_state').map(p => p.id), ['nested-vmentry', 'set-nested-state']);
  assert.ok(pathsThrough('kvm_vcpu_is_legal_cr3').some(p => p.id === 'cr3-write'));
  assert.deepEqual(pathsThrough('setup_vmcs_config').map(p => p.id), ['module-load']);
  const onPaths = new Set(['nested-vmentry', 'nested-vmexit', 'set-nested-state', 'module-load', 'cr0-write', 'cr3-write'].flatMap(p => checksOnPath(p).map(c => c.id)));
  assert.deepEqual(allChecks().map(c => c.id).filter(id => !onPaths.has(id)), []);
  // Every check a default run traces belongs to its path's list.
  for (const p of ['nested-vmentry', 'module-load', 'set-nested-state']) {
    const ids = new Set(checksOnPath(p).map(c => c.id));
    const known = new Set(allChecks().map(c => c.id));
    for (const t of simulate(p, {}).trace) if (known.has(t.check)) assert.ok(ids.has(t.check), `${p}: ${t.check}`);
  }
});
