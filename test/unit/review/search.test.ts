// The engine-agnostic divergence search and witness grouping, over fake engines whose answers are
// known: a guard that must hold before the changed condition is reached, a bound compared with a
// constant, and an exhaustive small space.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchDivergence, searchDivergenceSync } from '../../../src/review/search';
import { alignTraces, applyDeltas, decidedAt, groupWitnesses } from '../../../src/review/witnesses';
import type { Delta, InputProvider, PairFn, ScenarioJson, SideRun } from '../../../src/review/divergeTypes';

const ok = (extra: Partial<SideRun> = {}): SideRun => ({ outcome: { kind: 'entered' }, warnings: [], failedCheck: null, ...extra });
const fail = (id: string, location?: string): SideRun => ({ outcome: { kind: 'vmfail-valid', vmInstructionError: 7 }, warnings: [], failedCheck: { id, function: 'f', location } });
const get = (s: ScenarioJson, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], s);
const d = (path: string[], value: unknown): Delta => ({ path, value, label: `${path.join('.')}=${String(value)}` });

// after the patch: a new check "count > 512 fails", only when controls bit 4 is set (the guard)
const guarded: PairFn = s => {
  const ctl = Number(get(s, 'vmcs12', 'CTL') ?? 0), count = Number(get(s, 'vmcs12', 'COUNT') ?? 0);
  const reached = (ctl & 16) ? ['new-count-check'] : [];
  const before = ok({ reached });
  const after = (ctl & 16) && count > 512 ? fail('new-count-check', 'nested.c:100') : ok({ reached });
  return { before, after };
};
const guardedProvider: InputProvider = {
  sites: [{ id: 'new-count-check' }],
  axes: [
    { id: 'vmcs12.CTL', role: 'guard', deltas: [16, 1, 2, 4, 8, 32].map(v => d(['vmcs12', 'CTL'], v)) },
    { id: 'vmcs12.COUNT', role: 'condition', deltas: [511, 512, 513, 0].map(v => d(['vmcs12', 'COUNT'], v)) },
    ...Array.from({ length: 40 }, (_, i) => ({ id: `other${i}`, role: 'condition' as const, deltas: [d(['vmcs12', `F${i}`], 1), d(['vmcs12', `F${i}`], 2)] })),
  ],
};

test('search: a new check behind a guard is found by setting the guard and crossing the constant', () => {
  const r = searchDivergenceSync({ base: 'default' }, guarded, guardedProvider, { maxRuns: 5000, maxMs: 10000 });
  assert.equal(r.witnesses.length, 1);
  const w = r.witnesses[0];
  assert.deepEqual(w.changes.map(c => c.label), ['vmcs12.CTL=16', 'vmcs12.COUNT=513']);
  assert.deepEqual(w.scenario, { base: 'default', vmcs12: { CTL: 16, COUNT: 513 } });
  assert.equal(w.decidedAt, 'nested.c:100');
  assert.equal(w.after.failedCheck?.id, 'new-count-check');
  assert.equal(r.complete, false);
  assert.deepEqual(r.unreached, []);
  assert.ok(r.searched > 1 && r.searched <= 5000);
});

test('search: stops at its run budget and says so', () => {
  const r = searchDivergenceSync({}, () => ({ before: ok(), after: ok() }), guardedProvider, { maxRuns: 30 });
  assert.equal(r.searched, 30);
  assert.equal(r.truncated, true);
  assert.equal(r.complete, false);
  assert.deepEqual(r.unreached, ['new-count-check']);
});

test('search: stops at its time budget (fake clock)', () => {
  let t = 0;
  const r = searchDivergenceSync({}, () => { t += 10; return { before: ok(), after: ok() }; }, guardedProvider, { maxMs: 200, now: () => t });
  assert.equal(r.truncated, true);
  assert.ok(r.searched <= 40, `searched ${r.searched}`);
});

test('search: a small space is enumerated and the answer is complete, diverging or not', () => {
  const provider: InputProvider = { sites: [], axes: [
    { id: 'a', role: 'condition', deltas: [d(['cpuid', 'features', 'LAM'], false)] },
    { id: 'b', role: 'condition', deltas: [d(['cpuid', 'maxphyaddr'], 36), d(['cpuid', 'maxphyaddr'], 52)] },
  ] };
  const same = searchDivergenceSync({ base: 'default' }, () => ({ before: ok(), after: ok() }), provider);
  assert.deepEqual([same.searched, same.complete, same.proof, same.witnesses.length], [6, true, 'exhaustive', 0]);
  // diverges only when LAM is off and MAXPHYADDR 52: needs the pair
  const both: PairFn = s => ({ before: ok(), after: get(s, 'cpuid', 'features', 'LAM') === false && get(s, 'cpuid', 'maxphyaddr') === 52 ? fail('x') : ok() });
  const r = searchDivergenceSync({ base: 'default' }, both, provider);
  assert.equal(r.complete, true);
  assert.equal(r.witnesses.length, 1);
  assert.equal(r.witnesses[0].count, 1);
  assert.equal(r.witnesses[0].decidedAt, 'model:x');
});

test('search: a refused scenario is counted and skipped', () => {
  const provider: InputProvider = { sites: [], axes: [{ id: 'a', role: 'condition', deltas: [d(['x'], 1), d(['x'], 2)] }] };
  const r = searchDivergenceSync({}, s => { if (s.x === 1) throw new Error('bad'); return { before: ok(), after: s.x === 2 ? fail('c') : ok() }; }, provider);
  assert.equal(r.searched, 3);
  assert.equal(r.witnesses.length, 1);
});

test('search: a proof makes a non-exhaustive answer complete', async () => {
  const r = await searchDivergence({}, () => ({ before: ok(), after: ok() }), { ...guardedProvider, prove: () => true }, { maxRuns: 50 });
  assert.equal(r.complete, true);
  assert.equal(r.proof, 'solver');
  const n = await searchDivergence({}, () => ({ before: ok(), after: ok() }), { ...guardedProvider, prove: () => undefined }, { maxRuns: 50 });
  assert.equal(n.complete, false);
});

test('witnesses: one class per (before, after, deciding place), the smallest scenario, the count', () => {
  const p1 = { before: ok(), after: fail('host-cr3') };
  const p2 = { before: ok(), after: fail('host-cr4') };
  const ws = groupWitnesses([
    { scenario: { v: 3 }, changes: [d(['a'], 1), d(['b'], 1)], pair: p1 },
    { scenario: { v: 1 }, changes: [d(['a'], 2)], pair: p1 },
    { scenario: { v: 2 }, changes: [d(['a'], 3)], pair: p1 },
    { scenario: { v: 4 }, changes: [d(['c'], 1), d(['d'], 1)], pair: p2 },
  ]);
  assert.deepEqual(ws.map(w => [w.decidedAt, w.count, w.scenario.v]), [['model:host-cr3', 3, 1], ['model:host-cr4', 1, 4]]);
});

test('decidedAt: the first row whose result differs in the aligned traces', () => {
  const step = (check: string, result: 'pass' | 'fail' | 'skip', location?: string) => ({ function: 'f', check, result, location });
  const before = ok({ trace: [step('a', 'pass'), step('b', 'pass'), step('c', 'pass')] });
  const after = { ...fail('n', 'x.c:9'), trace: [step('a', 'pass'), step('n', 'fail', 'x.c:9')] };
  assert.equal(decidedAt({ before, after }), 'x.c:9');
  const rows = alignTraces(before.trace!, after.trace!);
  assert.deepEqual(rows.map(r => [r.before?.check ?? null, r.after?.check ?? null, r.differs]),
    [['a', 'a', false], [null, 'n', true], ['b', null, true], ['c', null, true]]);
  // no trace: the side whose failure is new
  assert.equal(decidedAt({ before: ok(), after: fail('k') }), 'model:k');
  assert.equal(decidedAt({ before: fail('k'), after: ok() }), 'model:k');
});

test('applyDeltas: deep paths, the start is not changed', () => {
  const start = { base: 'default', vmcs12: { A: 1 } };
  const s = applyDeltas(start, [d(['vmcs12', 'B'], 2), d(['cpuid', 'features', 'LAM'], false)]);
  assert.deepEqual(s, { base: 'default', vmcs12: { A: 1, B: 2 }, cpuid: { features: { LAM: false } } });
  assert.deepEqual(start, { base: 'default', vmcs12: { A: 1 } });
});
