// The seeds as a KVM reviewer checks them: `diverge` from the default scenario alone finds what
// each patch changes (seeds read from ../shared/seeds; skipped when absent).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parsePatchDocument } from '../../../src/diff';
import { createCFunctionLocator, type CFunctionLocator } from '../../../src/cfunctions';
import { divergeModel } from '../../../src/review/modelDiverge';
import { witnessesAsTests } from '../../../src/review/asTest';
import { seedText, type SeedId } from '../seeds';

const ROOT = path.resolve(__dirname, '../../..');
let locator: CFunctionLocator;
before(async () => {
  locator = await createCFunctionLocator({
    runtime: fs.readFileSync(path.join(ROOT, 'node_modules/web-tree-sitter/web-tree-sitter.wasm')),
    language: fs.readFileSync(path.join(ROOT, 'node_modules/tree-sitter-c/tree-sitter-c.wasm')),
  });
});

async function diverge(id: SeedId, pathId: string, t: { skip(m?: string): void }) {
  const text = seedText(id, t);
  if (text === undefined) return undefined;
  return divergeModel(pathId, { base: 'default' }, parsePatchDocument(text, { locator }), { maxMs: 20000 });
}
const cfg = (o: { [k: string]: unknown }) => o.vmcsConfig as Record<string, string>;

test('seed 001 on module-load: an inconsistent entry/exit pair loads with the lone bit before, both bits dropped with the warning after', async t => {
  const r = await diverge('001', 'module-load', t);
  if (!r) return;
  assert.equal(r.engine, 'model');
  assert.ok(r.witnesses.length >= 2, `${r.witnesses.length} witnesses`);
  assert.equal(r.complete, true);
  // the exit side lacks the bit: before, VM-entry keeps its lone "load" bit; after, it is cleared too
  const w = r.witnesses.find(x => x.changes.length === 1 && x.changes[0].path[1] === 'MSR_IA32_VMX_EXIT_CTLS')!;
  assert.ok(w, 'a witness with one exit-control capability bit missing');
  assert.equal(w.before.outcome.kind, 'loaded');
  assert.equal(w.after.outcome.kind, 'loaded');
  assert.deepEqual(w.before.warnings, []);
  assert.equal(w.after.warnings.length, 1);
  assert.match(w.after.warnings[0], /^Inconsistent VM-Entry\/VM-Exit pair, entry = [0-9a-f]+, exit = 0$/);
  const lone = BigInt(`0x${/entry = ([0-9a-f]+)/.exec(w.after.warnings[0])![1]}`);
  assert.notEqual(BigInt(cfg(w.before.outcome).VM_ENTRY_CONTROLS) & lone, 0n, 'before: the lone entry bit is kept');
  assert.equal(BigInt(cfg(w.after.outcome).VM_ENTRY_CONTROLS) & lone, 0n, 'after: it is dropped');
  assert.equal(w.decidedAt, 'model:entry-exit-pair');
  assert.equal(r.witnesses.reduce((n, x) => n + x.count, 0) >= 10, true);
});

test('seed 002 on cr0-write: the CR0.WP intercept disappears', async t => {
  const r = await diverge('002', 'cr0-write', t);
  if (!r) return;
  assert.equal(r.witnesses.length, 1);
  const w = r.witnesses[0];
  assert.deepEqual(w.changes.map(c => [c.path.join('.'), c.value]), [['write.cr0', '0x80040033']]);   // the default CR0 with WP cleared
  assert.deepEqual(w.before.outcome, { kind: 'ok', intercepted: true, mmu: 'kvm_init_mmu' });
  assert.deepEqual(w.after.outcome, { kind: 'ok', intercepted: false, mmu: 'none' });
  assert.equal(w.decidedAt, 'model:cr0-write-intercepted');
  assert.equal(r.complete, true);
  assert.equal(r.notSimulated, 2);   // the two `if (!enable_ept)` lines only clear a variable
});

test('seed 003 on set-nested-state: an eVMCS GPA that cannot be mapped is now -EINVAL', async t => {
  const r = await diverge('003', 'set-nested-state', t);
  if (!r) return;
  assert.ok(r.witnesses.length >= 1);
  const w = r.witnesses[0];
  const byPath = Object.fromEntries(w.changes.map(c => [c.path.join('.'), c.value]));
  assert.deepEqual(byPath['nestedState.flags'], ['KVM_STATE_NESTED_EVMCS']);
  assert.equal(byPath['nestedState.vmcs12_pa'], '0xffffffffffffffff');
  assert.ok(byPath['nestedState.evmcs_pa'], 'the eVMCS GPA is set');
  assert.deepEqual(w.before.outcome, { kind: 'ok' });
  assert.deepEqual(w.after.outcome, { kind: 'error', errno: 'EINVAL' });
  assert.equal(w.after.failedCheck?.function, 'vmx_set_nested_state');
  const added = r.changes.find(c => c.kind === 'added')!;
  assert.equal(added.placedAfter, 'state-no-vmcs12');
  assert.match(added.guard ?? '', /KVM_STATE_NESTED_EVMCS/);
  assert.match(added.after ?? '', /kvm_state->hdr\.vmx\.evmcs_pa != -1ull/);   // the local evmcs_gpa replaced by its value
  assert.equal(r.notSimulated, 1);   // the kvm_make_request branch
  const text = witnessesAsTests('selftest', 'set-nested-state', r.witnesses);
  assert.match(text, /test_nested_state_expect_einval\(vcpu, state\);/);
});

for (const [id, pathId] of [['000', 'nested-vmentry'], ['004', 'nested-vmentry'], ['004', 'cr3-write']] as const) {
  test(`seed ${id} on ${pathId}: touches nothing the path simulates (a discussion / comments only)`, async t => {
    const r = await diverge(id, pathId, t);
    if (!r) return;
    assert.equal(r.status, 'nothing-on-path');
    assert.equal(r.witnesses.length, 0);
    assert.equal(r.searched, 0);
  });
}
