// The kernel engine on the default tree (Debian linux-source-6.12, 6.12.118): contract v2 fields,
// locations that point at the real lines, the 6.12.118 behaviour the v6.12.0 model lacks coming out
// of the tree's code, budgets, and golden traces (test/fixtures/kernel/, UPDATE_GOLDEN=1 rewrites).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { simulate, ScenarioError } from '../../../src/sim/index';
import { simulateKernel, kernelPaths, type KernelResult } from '../../../src/kernel/engine';
import { HAVE_TREE, defaultProgram, reader, treeInfo } from './engineTree';

const skip = !HAVE_TREE && 'default tree not installed';

async function run(pathId: string, scenario: unknown, opts: Parameters<typeof simulateKernel>[4] = {}): Promise<KernelResult> {
  return simulateKernel(await defaultProgram(), treeInfo(), pathId, scenario, { reader, ...opts });
}

/** The text of a tree line named by "file:line". */
function lineAt(location: string): string {
  const [file, line] = [location.replace(/:\d+$/, ''), Number(location.split(':').pop())];
  return (reader.read(file) ?? '').split('\n')[line - 1]?.trim() ?? '';
}

test('engine: the six contract paths', () => {
  assert.deepEqual([...kernelPaths()].sort(), ['cr0-write', 'cr3-write', 'module-load', 'nested-vmentry', 'nested-vmexit', 'set-nested-state']);
});

test('engine: the default scenario enters L2 through nested_vmx_run, with engine, tree and located CC() rows', { skip }, async () => {
  const r = await run('nested-vmentry', { base: 'default' });
  assert.equal(r.incomplete, undefined);
  assert.deepEqual(r.outcome, { kind: 'entered' });
  assert.equal(r.engine, 'kernel');
  assert.equal(r.tree.version, '6.12.118');
  assert.equal(r.failedCheck, null);
  const cc = r.trace.filter(x => x.location);
  assert.ok(cc.length > 40, `CC rows: ${cc.length}`);
  for (const row of cc) {
    assert.match(row.location!, /^arch\/x86\/kvm\/vmx\/nested\.c:\d+$/);
    assert.equal(row.source, lineAt(row.location!));
    assert.equal(row.result, 'pass');
  }
  // rows the model knows carry its id; the launch-state row reads the vmcs12 member it tests
  const launch = cc.find(x => x.id === 'launch-state');
  assert.ok(launch && /launch_state/.test(launch.source ?? ''));
  assert.deepEqual(Object.keys(launch.values), ['LAUNCH_STATE']);
});

test('engine: a failing host check is located at its CC() line and carries the model\'s annotations', { skip }, async () => {
  const r = await run('nested-vmentry', { base: 'default', vmcs12: { HOST_CR3: '0x0000800000001000' } });
  assert.deepEqual(r.outcome, { kind: 'vmfail-valid', vmInstructionError: 8 });
  const f = r.failedCheck!;
  assert.equal(f.id, 'host-cr3');
  assert.equal(f.function, 'nested_vmx_check_host_state');
  assert.equal(f.known, true);
  assert.match(f.sdm, /SDM/);
  assert.match(f.source, /host_cr3/);
  assert.equal(f.source, lineAt(f.location));
  const m = simulate('nested-vmentry', { base: 'default', vmcs12: { HOST_CR3: '0x0000800000001000' } });
  assert.deepEqual(r.outcome, m.outcome);
  assert.equal(m.failedCheck?.id, f.id);
});

test('engine: 6.12.118 checks guest IA32_DEBUGCTL in KVM (vmx_is_valid_debugctl), as the 6.12.y model does (v6.12.0 did not)', { skip }, async () => {
  const scenario = { base: 'default', vmcs12: { VM_ENTRY_CONTROLS: { set: ['VM_ENTRY_LOAD_DEBUG_CONTROLS'] }, GUEST_IA32_DEBUGCTL: '0x40' } };
  const r = await run('nested-vmentry', scenario);
  assert.deepEqual(r.outcome, { kind: 'entry-failure-vmexit', exitReason: '0x80000021', exitQualification: '0x0' });
  const f = r.failedCheck!;
  assert.equal(f.function, 'nested_vmx_check_guest_state');
  assert.match(f.condition, /vmx_is_valid_debugctl/);
  assert.match(lineAt(f.location), /vmx_is_valid_debugctl/);
  // the 6.12.y model knows the check: same id, same outcome
  assert.equal(f.known, true);
  const m = simulate('nested-vmentry', scenario);
  assert.deepEqual(m.outcome, r.outcome);
  assert.equal(m.failedCheck?.id, f.id);
  // without "load debug controls" the field is not checked
  const off = await run('nested-vmentry', { base: 'default', vmcs12: { GUEST_IA32_DEBUGCTL: '0x40' } });
  assert.equal(off.outcome.kind, 'entered');
});

test('engine: 6.12.118 checks canonical host bases against the host\'s address width', { skip }, async () => {
  const base = '0x0000800000000000'; // canonical with 57 bits, not with 48
  const la57host = await run('nested-vmentry', { base: 'default', vmcs12: { HOST_FS_BASE: base } });
  assert.equal(la57host.outcome.kind, 'entered');
  const noLa57 = await run('nested-vmentry', { base: 'default', host: { features: { LA57: false } }, vmcs12: { HOST_FS_BASE: base } });
  assert.deepEqual(noLa57.outcome, { kind: 'vmfail-valid', vmInstructionError: 8 });
  // the tree's condition (is_noncanonical_base_address, new in 6.12.118) is the 6.12.y model's check
  assert.equal(noLa57.failedCheck?.function, 'nested_vmx_check_host_state');
  assert.match(noLa57.failedCheck?.condition ?? '', /^is_noncanonical_base_address\(vmcs12->host_fs_base, vcpu\)$/);
  const model = simulate('nested-vmentry', { base: 'default', host: { features: { LA57: false } }, vmcs12: { HOST_FS_BASE: base } });
  assert.equal(noLa57.failedCheck?.id, model.failedCheck?.id);
  // and the 6.12.y model, like the tree, reads the host's width (v6.12.0 used L1's CR4.LA57)
  assert.equal(simulate('nested-vmentry', { base: 'default', vmcs12: { HOST_FS_BASE: base } }).outcome.kind, 'entered');
});

test('engine: the other paths from their entry points', { skip }, async () => {
  const load = await run('module-load', { base: 'default' });
  assert.equal(load.outcome.kind, 'loaded');
  assert.deepEqual(load.outcome, simulate('module-load', { base: 'default' }).outcome);
  assert.deepEqual((await run('set-nested-state', { base: 'default' })).outcome, { kind: 'ok' });
  assert.deepEqual((await run('nested-vmexit', { base: 'default' })).outcome, { kind: 'ok' });
  assert.deepEqual((await run('cr0-write', { base: 'default', write: { cr0: '0x80050013' } })).outcome, { kind: 'fault', vector: 'GP' });
  assert.deepEqual((await run('cr3-write', { base: 'ept-off', write: { cr3: '0x4000000002000' } })).outcome, { kind: 'fault', vector: 'GP' });
});

test('engine: bad input is a ScenarioError as in the model engine', { skip }, async () => {
  await assert.rejects(run('nested-vmentryy', { base: 'default' }), (e: unknown) => e instanceof ScenarioError && /closest: nested-vmentry/.test(e.message));
  await assert.rejects(run('nested-vmentry', { base: 'nope' }), ScenarioError);
});

test('engine: an exhausted budget is an incomplete result with a one-line reason, never a silent pass', { skip }, async () => {
  const r = await run('nested-vmentry', { base: 'default' }, { budget: { steps: 2000 } });
  assert.match(r.incomplete ?? '', /step budget exhausted/);
  assert.equal(r.outcome.kind, 'unknown');
  assert.ok(r.warnings.some(w => /^cannot run nested-vmentry: step budget exhausted/.test(w)));
});

// ---- golden traces ----
const GOLDEN_DIR = path.resolve(__dirname, '../../fixtures/kernel');
const GOLDEN: [string, string, unknown][] = [
  ['vmentry-default', 'nested-vmentry', { base: 'default' }],
  ['vmentry-host-cr3', 'nested-vmentry', { base: 'default', vmcs12: { HOST_CR3: '0x0000800000001000' } }],
  ['vmentry-guest-debugctl', 'nested-vmentry', { base: 'default', vmcs12: { VM_ENTRY_CONTROLS: { set: ['VM_ENTRY_LOAD_DEBUG_CONTROLS'] }, GUEST_IA32_DEBUGCTL: '0x40' } }],
  ['set-nested-state-default', 'set-nested-state', { base: 'default' }],
];

for (const [name, pathId, scenario] of GOLDEN) {
  test(`engine golden trace: ${name}`, { skip }, async () => {
    const r = await run(pathId, scenario);
    // `source` (the tree's line text) is left out of the fixtures: kernel text is read from the tree, never
    // stored in the repository; the tests above check that it equals the tree's line
    const strip = <T extends { source?: string }>(x: T): Omit<T, 'source'> => { const { source: _s, ...rest } = x; return rest; };
    const got = { path: pathId, scenario, outcome: r.outcome, warnings: r.warnings, failedCheck: r.failedCheck && strip(r.failedCheck), trace: r.trace.map(strip) };
    const file = path.join(GOLDEN_DIR, `${name}.json`);
    if (process.env.UPDATE_GOLDEN) { fs.mkdirSync(GOLDEN_DIR, { recursive: true }); fs.writeFileSync(file, JSON.stringify(got, null, 1) + '\n'); }
    assert.deepEqual(got, JSON.parse(fs.readFileSync(file, 'utf8')));
  });
}
