// compareKernelPatch, the before/after glue of the kernel engine, with a stand-in engine: a tiny
// "kernel" file of `CHECK name x < N` lines that the fake engine runs in order over the scenario's
// x (trace rows with their real lines; the first failing check fails the entry). The real engine
// is wired through the same KernelCompareDeps (see compareEngine.test.ts when it runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchDocument } from '../../../src/diff';
import { compareKernelPatch, prepareKernelPatch, patchDocument, LineMap, type KernelCompareDeps, type KernelCheckChange, type SideRun } from '../../../src/review/kernelCompare';
import type { GitObjects } from '../../../src/kernel/base';
import type { TreeReader } from '../../../src/kernel/types';

const FILE = 'arch/x86/kvm/vmx/fake.c';

function mapTree(files: Record<string, string>): TreeReader {
  const m = new Map(Object.entries(files));
  return { root: '/mem', read: r => m.get(r), stamp: r => (m.has(r) ? `s${m.get(r)!.length}` : undefined) };
}

/** The stand-in engine: runs every `CHECK name x < N` line of FILE; records what it was given. */
function fakeEngine(calls: { changed: string[] }[] = []): KernelCompareDeps['simulate'] {
  return (tree, _path, scenario, changes) => {
    calls.push({ changed: changes.changed });
    const x = (scenario as { x: number }).x;
    const lines = (tree.read(FILE) ?? '').split('\n');
    const trace: NonNullable<SideRun['trace']> = [];
    let failedCheck: SideRun['failedCheck'] = null;
    lines.forEach((l, i) => {
      const m = /^\s*CHECK (\w+) x < (\d+)/.exec(l);
      if (!m || failedCheck) return;
      const ok = x < Number(m[2]);
      const location = `${FILE}:${i + 1}`;
      trace.push({ function: 'nested_fake', check: `x < ${m[2]}`, result: ok ? 'pass' : 'fail', location, source: l.trim() });
      if (!ok) failedCheck = { id: `kernel:nested_fake:${i + 1}`, function: 'nested_fake', location, source: l.trim() };
    });
    return { outcome: failedCheck ? { kind: 'vmfail-valid', vmInstructionError: 7 } : { kind: 'entered' }, warnings: [], failedCheck, trace };
  };
}

const TREE_TEXT = ['int nested_fake(void)', '{', '\tCHECK a x < 100', '\tCHECK b x < 50', '\tCHECK c x < 30', '\tCHECK d x < 20', '\treturn 0;', '}', ''].join('\n');

/** A git-style patch of FILE: `edits` replace whole lines (1-based) of `text`, `inserts` add lines after a line. */
function patchOf(text: string, edits: Record<number, string>, inserts: Record<number, string[]> = {}, index = 'index 1111111..2222222 100644'): string {
  const lines = text.split('\n').slice(0, -1);
  const body: string[] = [];
  lines.forEach((l, i) => {
    const n = i + 1;
    if (edits[n] !== undefined) body.push(`-${l}`, `+${edits[n]}`); else body.push(` ${l}`);
    for (const ins of inserts[n] ?? []) body.push(`+${ins}`);
  });
  const added = body.filter(b => b[0] === '+').length, removed = body.filter(b => b[0] === '-').length;
  return [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001', 'From: T <t@example.invalid>', 'Subject: [PATCH] test', '', 'test', '---',
    `diff --git a/${FILE} b/${FILE}`, index, `--- a/${FILE}`, `+++ b/${FILE}`,
    `@@ -1,${lines.length} +1,${lines.length - removed + added} @@`, ...body, '-- ', '2.0', '',
  ].join('\n');
}

void test('compareKernelPatch: a patch that loosens the failing check: before fails there, after enters', () => {
  const calls: { changed: string[] }[] = [];
  const tree = mapTree({ [FILE]: TREE_TEXT });
  const doc = parsePatchDocument(patchOf(TREE_TEXT, { 4: '\tCHECK b x < 70' }));
  const r = compareKernelPatch(tree, doc, 'nested-vmentry', { x: 60 }, { simulate: fakeEngine(calls) });
  assert.deepEqual(r.engine, { before: 'kernel', after: 'kernel' });
  assert.deepEqual(r.apply.map(a => [a.status, a.file, a.line]), [['applied', FILE, 1]]);
  assert.equal(r.partial, false);
  assert.deepEqual(r.before.outcome, { kind: 'vmfail-valid', vmInstructionError: 7 });
  assert.equal(r.before.failedCheck?.location, `${FILE}:4`);
  assert.deepEqual(r.after.outcome, { kind: 'vmfail-valid', vmInstructionError: 7 }, 'c (x < 30) fails after');
  assert.equal(r.after.failedCheck?.location, `${FILE}:5`);
  assert.equal(r.differs, true, 'a different check fails');
  const changes = r.changedChecks as KernelCheckChange[];
  assert.deepEqual(changes.map(c => [c.check, c.before, c.after, c.location.before, c.location.after]),
    [['kernel:nested_fake:4', 'x < 50', 'x < 70', `${FILE}:4`, `${FILE}:4`]]);
  assert.equal(changes[0].sourceLine, doc.hunks[0].lines.find(l => l.kind !== 'context')!.sourceLine + 1);
  assert.deepEqual(calls.map(c => c.changed), [[], [FILE]], 'before is the tree; after re-prepares only the changed file');
  const entered = compareKernelPatch(tree, doc, 'nested-vmentry', { x: 25 }, { simulate: fakeEngine() });
  assert.equal(entered.differs, false, 'x = 25 passes either way');
});

void test('compareKernelPatch: lines added above the failing check move it; the same check failing is no difference', () => {
  const tree = mapTree({ [FILE]: TREE_TEXT });
  const doc = parsePatchDocument(patchOf(TREE_TEXT, {}, { 2: ['\t/* a comment */', '\t/* two */'] }));
  const r = compareKernelPatch(tree, doc, 'nested-vmentry', { x: 60 }, { simulate: fakeEngine() });
  assert.equal(r.before.failedCheck?.location, `${FILE}:4`);
  assert.equal(r.after.failedCheck?.location, `${FILE}:6`);
  assert.equal(r.differs, false);
  const changes = r.changedChecks as KernelCheckChange[];
  assert.equal(changes.length, 1);
  assert.equal(changes[0].check, null);
  assert.match(changes[0].reason!, /no check of this path ran in the changed lines/);
});

void test('compareKernelPatch: a patch already in the tree runs with before = reversed', () => {
  const after = TREE_TEXT.replace('CHECK b x < 50', 'CHECK b x < 70');
  const doc = parsePatchDocument(patchOf(TREE_TEXT, { 4: '\tCHECK b x < 70' }));
  const r = compareKernelPatch(mapTree({ [FILE]: after }), doc, 'nested-vmentry', { x: 60 }, { simulate: fakeEngine() });
  assert.equal(r.alreadyApplied, true);
  assert.deepEqual(r.apply.map(a => a.status), ['already-applied']);
  assert.equal(r.before.failedCheck?.source, 'CHECK b x < 50');
  assert.equal(r.after.failedCheck?.source, 'CHECK c x < 30');
  assert.equal(r.differs, true);
});

void test('compareKernelPatch: nothing applies: the model engine runs both sides, saying why', () => {
  const other = TREE_TEXT.replace(/CHECK/g, 'TEST');
  const doc = parsePatchDocument(patchOf(TREE_TEXT, { 4: '\tCHECK b x < 70' }));
  let modelRan = 0;
  const model: KernelCompareDeps['model'] = () => {
    modelRan++;
    return { before: { outcome: { kind: 'entered' }, warnings: [], failedCheck: null }, after: { outcome: { kind: 'entered' }, warnings: [], failedCheck: null }, differs: false, changedChecks: [] };
  };
  const r = compareKernelPatch(mapTree({ [FILE]: other }), doc, 'nested-vmentry', { x: 60 }, { simulate: fakeEngine(), model });
  assert.deepEqual(r.engine, { before: 'model', after: 'model' });
  assert.equal(modelRan, 1);
  assert.match(r.fallback!, /no hunk of the patch applies/);
  assert.deepEqual(r.apply.map(a => a.status), ['failed']);
});

void test('compareKernelPatch: an engine that cannot run falls back; a bad scenario is the caller\'s error', () => {
  const tree = mapTree({ [FILE]: TREE_TEXT });
  const doc = parsePatchDocument(patchOf(TREE_TEXT, { 4: '\tCHECK b x < 70' }));
  const broken: KernelCompareDeps['simulate'] = () => { throw new Error('cannot run vmx_foo: inline assembly'); };
  const r = compareKernelPatch(tree, doc, 'nested-vmentry', { x: 60 }, { simulate: broken });
  assert.deepEqual(r.engine, { before: 'model', after: 'model' });
  assert.match(r.fallback!, /could not run: cannot run vmx_foo/);
  class ScenarioError extends Error { override name = 'ScenarioError'; }
  assert.throws(() => compareKernelPatch(tree, doc, 'nested-vmentry', { x: 60 }, { simulate: () => { throw new ScenarioError('bad field'); } }), /bad field/);
});

void test('compareKernelPatch: in a git checkout the patch runs on its own base (the index line\'s old blob)', () => {
  // the work tree moved on: check b was rewritten (the patch's context is gone), a check was added on top
  const work = TREE_TEXT.replace('\tCHECK b x < 50', '\tCHECK b x < 45').replace('\tCHECK a x < 100', '\tCHECK a0 x < 200\n\tCHECK a x < 100');
  const tree = mapTree({ [FILE]: work });
  const doc = parsePatchDocument(patchOf(TREE_TEXT, { 4: '\tCHECK b x < 70' }, {}, 'index 1234567..89abcde 100644'));
  const git: GitObjects = {
    resolveBlob: a => (a === '1234567' ? '1234567'.padEnd(40, '0') : undefined),
    readBlob: id => (id.startsWith('1234567') ? TREE_TEXT : undefined),
    resolveCommit: () => undefined, readAt: () => undefined,
  };
  const calls: { changed: string[] }[] = [];
  const plain = compareKernelPatch(tree, doc, 'nested-vmentry', { x: 60 }, { simulate: fakeEngine() }, { base: 'tree' });
  assert.deepEqual(plain.engine.after, 'model', 'on the work tree alone nothing applies');
  const r = compareKernelPatch(tree, doc, 'nested-vmentry', { x: 60 }, { simulate: fakeEngine(calls), git });
  assert.deepEqual(r.engine, { before: 'kernel', after: 'kernel' });
  assert.deepEqual(r.base?.files.map(f => [f.path, f.from]), [[FILE, 'index']]);
  assert.deepEqual(r.apply.map(a => a.status), ['applied']);
  assert.equal(r.before.failedCheck?.source, 'CHECK b x < 50');
  assert.equal(r.after.failedCheck?.source, 'CHECK c x < 30');
  assert.deepEqual(calls.map(c => c.changed), [[FILE], [FILE]], 'both sides differ from the work tree in the patched file');
});

void test('LineMap: places outside the changed lines move by the blocks above them', () => {
  const m = new LineMap([
    { hunk: 0, file: 'f.c', before: { line: 10, count: 1 }, after: { line: 10, count: 3 } },
    { hunk: 1, file: 'f.c', before: { line: 50, count: 2 }, after: { line: 52, count: 0 } },
  ]);
  assert.equal(m.toAfter('f.c:5'), 'f.c:5');
  assert.equal(m.toAfter('f.c:10'), 'hunk 0');
  assert.equal(m.toAfter('f.c:20'), 'f.c:22');
  assert.equal(m.toAfter('f.c:51'), 'hunk 1');
  assert.equal(m.toAfter('f.c:60'), 'f.c:60');
  assert.equal(m.toAfter('g.c:60'), 'g.c:60');
  assert.equal(m.hunkAt('f.c:52', 'after'), -1, 'where lines were only removed, no line of that side is changed');
  assert.equal(m.hunkAt('f.c:12', 'after'), 0);
});

void test('patchDocument: a hunk quoted again in a reply is applied once and listed like the first', () => {
  const patch = patchOf(TREE_TEXT, { 4: '\tCHECK b x < 70' });
  const reply = patch + '\nOn Mon, T wrote:\n' + patch.split('\n').filter(l => /^(diff|index|---|\+\+\+|@@|[-+ \t])/.test(l) && !/^-- $/.test(l)).map(l => `> ${l}`).join('\n') + '\n\nLooks good.\n';
  const doc = parsePatchDocument(reply);
  assert.equal(doc.hunks.length, 2);
  const r = patchDocument(mapTree({ [FILE]: TREE_TEXT }), doc);
  assert.deepEqual(r.apply.map(a => [a.hunk, a.status]), [[0, 'applied'], [1, 'applied']]);
  assert.match(r.apply[1].reason!, /the same hunk as hunk 0/);
  assert.equal(r.partial, false);
  assert.equal(r.after.read(FILE), TREE_TEXT.replace('x < 50', 'x < 70'));
});

void test('prepareKernelPatch: applied once, compared for many scenarios (git asked once)', () => {
  const tree = mapTree({ [FILE]: TREE_TEXT });
  const doc = parsePatchDocument(patchOf(TREE_TEXT, { 4: '\tCHECK b x < 70' }));
  let gitCalls = 0;
  const git: GitObjects = { resolveBlob: () => { gitCalls++; return undefined; }, readBlob: () => undefined, resolveCommit: () => undefined, readAt: () => undefined };
  const p = prepareKernelPatch(tree, doc, { simulate: fakeEngine(), git });
  assert.deepEqual(p.changed, { before: [], after: [FILE] });
  const differing = [0, 20, 40, 55, 65, 80].filter(x => p.compare('nested-vmentry', { x }).differs);
  assert.deepEqual(differing, [55, 65], 'only where b (x < 50 → x < 70) decides');
  assert.equal(gitCalls, 2, 'the two blob ids were looked up once');
});
