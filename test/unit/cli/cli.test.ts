// The kvm-review command as other tools call it: the built bin (dist/cli.js), its exit codes,
// its one-line errors and the JSON shapes of cli-contract.md.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedPath } from '../seeds';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');

function kvmReview(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}
function scenarioFile(scenario: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-review-')), 'scenario.json');
  fs.writeFileSync(file, typeof scenario === 'string' ? scenario : JSON.stringify(scenario));
  return file;
}

before(() => {
  if (!fs.existsSync(CLI)) spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
});

test('--help lists every command and exits 0', () => {
  const r = kvmReview('--help');
  assert.equal(r.code, 0);
  for (const c of ['parse', 'explain', 'paths', 'simulate']) assert.match(r.stdout, new RegExp(`kvm-review ${c}`));
});

test('bad usage exits 2 with one line naming the problem', () => {
  for (const args of [['frobnicate'], ['simulate'], ['parse', '/nonexistent/x.patch'], ['simulate', '--path']]) {
    const r = kvmReview(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^kvm-review: /);
  }
});

test('explain knows a VMCS field by name (contract shape)', () => {
  const r = kvmReview('explain', 'VM_ENTRY_MSR_LOAD_COUNT', '--json');
  assert.equal(r.code, 0, r.stderr);
  const e = r.json();
  const one = Array.isArray(e) ? e[0] : e;
  assert.equal(one.name, 'VM_ENTRY_MSR_LOAD_COUNT');
  assert.equal(one.kind, 'vmcs_field');
  assert.equal(one.value, '0x4014');
  for (const k of ['summary', 'details', 'sdm', 'kernelFiles', 'related']) assert.ok(k in one, k);
});

test('explain of an unknown name exits 1 and suggests close names', () => {
  const r = kvmReview('explain', 'VM_ENTRY_MSR_LOAD_CNT');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /VM_ENTRY_MSR_LOAD_COUNT/);
});

test('paths lists the six required ids with steps', () => {
  const r = kvmReview('paths', '--json');
  assert.equal(r.code, 0);
  const ids = (r.json() as { id: string; steps: string[] }[]).map(p => p.id);
  for (const id of ['nested-vmentry', 'nested-vmexit', 'set-nested-state', 'module-load', 'cr0-write', 'cr3-write']) assert.ok(ids.includes(id), id);
});

test('simulate: the default scenario enters L2', () => {
  const r = kvmReview('simulate', '--path', 'nested-vmentry', '--json');
  assert.equal(r.code, 0, r.stderr);
  const s = r.json();
  assert.equal(s.path, 'nested-vmentry');
  assert.equal(s.outcome.kind, 'entered');
  assert.equal(s.failedCheck, null);
  assert.ok(s.trace.length > 3);
});

test('simulate: HOST_CR3 bit 62 without LAM in CPUID is VMfailValid 8 from nested_vmx_check_host_state', () => {
  const file = scenarioFile({ base: 'default', cpuid: { features: { LAM: false } }, vmcs12: { HOST_CR3: '0x4000000000001000' } });
  const s = kvmReview('simulate', '--path', 'nested-vmentry', '--scenario', file, '--json').json();
  assert.equal(s.outcome.kind, 'vmfail-valid');
  assert.equal(s.outcome.vmInstructionError, 8);
  assert.equal(s.failedCheck.function, 'nested_vmx_check_host_state');
});

test('simulate: the same HOST_CR3 with LAM enumerated enters L2', () => {
  const file = scenarioFile({ base: 'default', cpuid: { features: { LAM: true } }, vmcs12: { HOST_CR3: '0x4000000000001000' } });
  assert.equal(kvmReview('simulate', '--path', 'nested-vmentry', '--scenario', file, '--json').json().outcome.kind, 'entered');
});

test('simulate: malformed or unknown scenario input exits 2 with one line', () => {
  for (const scenario of ['{ not json', { base: 'no-such-preset' }]) {
    const r = kvmReview('simulate', '--path', 'nested-vmentry', '--scenario', scenarioFile(scenario), '--json');
    assert.equal(r.code, 2, r.stdout);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const unknownPath = kvmReview('simulate', '--path', 'nested-vmlaunch');
  assert.equal(unknownPath.code, 2);
  assert.match(unknownPath.stderr, /nested-vmentry/);
});

test('parse: a format-patch file gives messages, hunks with 1-based lines and changed functions', () => {
  const r = kvmReview('parse', path.join(ROOT, 'samples/lam-cr3.patch'), '--json');
  assert.equal(r.code, 0, r.stderr);
  const p = r.json();
  assert.deepEqual(p.messages[0].patch, { version: 8, index: 2, total: 6 });
  assert.equal(p.hunks.length, 2);
  assert.deepEqual(p.hunks.map((h: { sourceLine: number }) => h.sourceLine), [22, 32]);
  // the first hunk's @@ context names the function before the change; the change is in nested_vmx_load_cr3
  assert.deepEqual(p.hunks[0].changedFunctions, ['nested_vmx_load_cr3']);
  assert.deepEqual(p.hunks[1].changedFunctions, ['nested_vmx_check_host_state']);
  assert.equal(p.hunks[0].file, 'arch/x86/kvm/vmx/nested.c');
});

test('parse: the patchwork seed 004 ends in the nested_vmx_load_cr3 hunk (tree-sitter through the bin)', t => {
  const seed = seedPath('004');
  if (!seed) { t.skip('seeds absent'); return; }
  const hunks = kvmReview('parse', seed, '--json').json().hunks as { changedFunctions: string[]; file: string }[];
  assert.deepEqual(hunks.at(-1)!.changedFunctions, ['nested_vmx_load_cr3']);
  assert.equal(hunks.at(-1)!.file, 'arch/x86/kvm/vmx/nested.c');
});

test('simulate --patch: before and after the LAM patch, with the touched checks', () => {
  const file = scenarioFile({ base: 'default', vmcs12: { HOST_CR3: '0x4000000000001000' } });
  const s = kvmReview('simulate', '--path', 'nested-vmentry', '--scenario', file, '--patch', path.join(ROOT, 'samples/lam-cr3.patch'), '--json').json();
  assert.equal(s.outcome.kind, 'entered');   // the model is v6.12, where the patch is merged
  assert.equal(s.patch.before.outcome.kind, 'vmfail-valid');
  assert.equal(s.patch.before.outcome.vmInstructionError, 8);
  assert.equal(s.patch.after.outcome.kind, 'entered');
  assert.equal(s.patch.differs, true);
  assert.deepEqual(s.patch.changedChecks.map((c: { check: string }) => c.check), ['guest-cr3-legal', 'host-cr3']);
});

test('diverge: scenarios where the LAM patch changes the outcome', () => {
  // the model engine named: with the default tree installed the kernel engine would run (test/unit/cli/kernelDiverge.test.ts)
  const r = kvmReview('diverge', '--path', 'nested-vmentry', '--patch', path.join(ROOT, 'samples/lam-cr3.patch'), '--engine', 'model', '--json');
  assert.equal(r.code, 0, r.stderr);
  const d = r.json();
  assert.ok(d.searched > 0);
  assert.ok(d.diverging.length > 0);
  assert.equal(kvmReview('diverge', '--path', 'nested-vmentry').code, 2);
  // contract v2: engine, complete, one witness per class with the deciding place and the count
  assert.equal(d.engine, 'model');
  assert.equal(typeof d.complete, 'boolean');
  const host = d.witnesses.find((w: { decidedAt: string }) => w.decidedAt === 'model:host-cr3');
  assert.ok(host, JSON.stringify(d.witnesses.map((w: { decidedAt: string }) => w.decidedAt)));
  assert.deepEqual(Object.keys(host.scenario.vmcs12), ['HOST_CR3']);
  assert.deepEqual([host.before.outcome, host.after.outcome], [{ kind: 'vmfail-valid', vmInstructionError: 8 }, { kind: 'entered' }]);
  assert.ok(host.count >= 1);
  assert.equal(host.before.trace, undefined);   // traces stay out of the JSON
});

test('diverge --as-test writes the witnesses in the suite\'s style; bad suite, budget or engine is exit 2', () => {
  const patch = path.join(ROOT, 'samples/lam-cr3.patch');
  const kut = kvmReview('diverge', '--path', 'nested-vmentry', '--patch', patch, '--engine', 'model', '--as-test', 'kvm-unit-tests');
  assert.equal(kut.code, 0, kut.stderr);
  assert.match(kut.stdout, /report_prefix_pushf\("HOST_CR3 = 0x[24]000000000001000"\);\n\tvmcs_write\(HOST_CR3, 0x[24]000000000001000ull\);\n\ttest_vmx_vmlaunch\(0\);/);
  const st = kvmReview('diverge', '--path', 'nested-vmentry', '--patch', patch, '--engine', 'model', '--as-test=selftest');
  assert.match(st.stdout, /prepare_vmcs\(vmx_pages, /);
  for (const bad of [['--as-test', 'ltp'], ['--budget', '-3'], ['--engine', 'qemu']]) {
    const r = kvmReview('diverge', '--path', 'nested-vmentry', '--patch', patch, ...bad);
    assert.equal(r.code, 2, bad.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});
