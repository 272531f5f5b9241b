// patchTrees over small in-memory trees: one row per rule of git apply / GNU patch (exact, offset,
// fuzz, failed, already applied, new and deleted files, series order), then hostile sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patchTrees, overlay } from '../../../src/kernel/apply';
import type { PatchHunk, TreeReader } from '../../../src/kernel/types';

/** A Map-based TreeReader; stamps are a version counter per file. */
export function mapTree(files: Record<string, string>, root = '/mem'): TreeReader {
  const m = new Map(Object.entries(files));
  return {
    root,
    read: rel => m.get(rel),
    stamp: rel => (m.has(rel) ? `v1:${m.get(rel)!.length}` : undefined),
    isDir: rel => [...m.keys()].some(k => k.startsWith(rel + '/')),
  };
}

/** Lines "l1".."lN" joined as a file. */
const numbered = (n: number, f = (i: number) => `l${i}`) => Array.from({ length: n }, (_, i) => f(i + 1)).join('\n') + '\n';

/** A hunk from a compact body: each string starts with ' ', '-' or '+'. */
function hunk(file: string, oldStart: number, body: string[], extra: Partial<PatchHunk> = {}): PatchHunk {
  return { file, oldStart, lines: body.map(s => ({ kind: s[0] as ' ' | '-' | '+', text: s.slice(1) })), ...extra };
}

const F = 'a.c';
/** the standard hunk: replaces l10 by X, with 3 lines of context each side */
const replace10 = (oldStart: number, extra: Partial<PatchHunk> = {}) =>
  hunk(F, oldStart, [' l7', ' l8', ' l9', '-l10', '+X', ' l11', ' l12', ' l13'], { newStart: oldStart, ...extra });

type Row = [name: string, files: Record<string, string>, hunks: PatchHunk[], expect: {
  status: string[]; lines?: (number | null)[]; offsets?: (number | undefined)[];
  after?: Record<string, string | undefined>; before?: Record<string, string | undefined>;
  partial?: boolean; failed?: boolean; alreadyApplied?: boolean;
}];

const base = numbered(30);
const withX = base.replace('l10\n', 'X\n');

const ROWS: Row[] = [
  ['exact position', { [F]: base }, [replace10(7)], { status: ['applied'], lines: [7], after: { [F]: withX }, before: { [F]: base } }],
  ['offset: the tree has 4 more lines above', { [F]: 'a\nb\nc\nd\n' + base }, [replace10(7)],
    { status: ['offset'], lines: [11], offsets: [4], after: { [F]: 'a\nb\nc\nd\n' + withX } }],
  ['offset: the tree has 3 fewer lines above', { [F]: numbered(30).split('\n').slice(3).join('\n') }, [replace10(7)],
    { status: ['offset'], lines: [4], offsets: [-3] }],
  ['offset: nearest of two equal places wins', { [F]: base + numbered(30) }, [replace10(35)],
    { status: ['offset'], lines: [37], offsets: [2], after: { [F]: base + withX } }],
  ['fuzz 1: the first context line differs', { [F]: base.replace('l7\n', 'L7\n') }, [replace10(7)],
    { status: ['fuzz'], lines: [7], after: { [F]: withX.replace('l7\n', 'L7\n') } }],
  ['fuzz 2: both outer context lines at each end differ', { [F]: base.replace('l7\n', 'L7\n').replace('l8\n', 'L8\n').replace('l13\n', 'L13\n') }, [replace10(7)],
    { status: ['fuzz'], lines: [7] }],
  ['no fuzz 3: the context line next to the change differs', { [F]: base.replace('l9\n', 'L9\n').replace('l8\n', 'L8\n').replace('l7\n', 'L7\n') }, [replace10(7)],
    { status: ['failed'], lines: [null], failed: true, after: { [F]: base.replace('l9\n', 'L9\n').replace('l8\n', 'L8\n').replace('l7\n', 'L7\n') } }],
  ['failed: the removed line differs', { [F]: base.replace('l10\n', 'l10 changed\n') }, [replace10(7)], { status: ['failed'], failed: true }],
  ['failed: whitespace differs (no --ignore-whitespace)', { [F]: base.replace('l10\n', 'l10 \n') }, [replace10(7)], { status: ['failed'], failed: true }],
  ['failed: no such file', { [F]: base }, [replace10(7, { file: 'b.c' })], { status: ['failed'], failed: true }],
  ['already applied: post-image found, pre-image not', { [F]: withX }, [replace10(7)],
    { status: ['already-applied'], lines: [7], alreadyApplied: true, before: { [F]: base }, after: { [F]: withX } }],
  ['already applied with an offset', { [F]: 'a\nb\n' + withX }, [replace10(7)],
    { status: ['already-applied'], lines: [9], alreadyApplied: true, before: { [F]: 'a\nb\n' + base } }],
  ['two hunks, the second shifted by the first', { [F]: base },
    [hunk(F, 2, [' l2', ' l3', ' l4', '+new1', '+new2', ' l5', ' l6', ' l7']), hunk(F, 20, [' l20', ' l21', ' l22', '-l23', ' l24', ' l25', ' l26'])],
    { status: ['applied', 'applied'], lines: [2, 20], after: { [F]: base.replace('l4\n', 'l4\nnew1\nnew2\n').replace('l23\n', '') } }],
  ['partial: one hunk applies, one fails', { [F]: base },
    [replace10(7), hunk(F, 20, [' l20', ' l21', ' l22', '-nothere', ' l24', ' l25', ' l26'])],
    { status: ['applied', 'failed'], partial: true, after: { [F]: withX } }],
  ['series: the second patch\'s hunk applies on the first\'s result', { [F]: base },
    [replace10(7, { section: 0 }), hunk(F, 9, [' l9', '-X', '+Y', ' l11', ' l12'], { section: 1 })],
    { status: ['applied', 'applied'], after: { [F]: base.replace('l10\n', 'Y\n') } }],
  ['series, sections inferred from positions going back', { [F]: base },
    [replace10(7), hunk(F, 9, [' l9', '-X', '+Y', ' l11', ' l12'])],
    { status: ['applied', 'applied'], after: { [F]: base.replace('l10\n', 'Y\n') } }],
  ['new file', { [F]: base }, [hunk('n.c', 0, ['+int a;', '+int b;'], { fileStatus: 'added', newStart: 1 })],
    { status: ['applied'], lines: [1], after: { 'n.c': 'int a;\nint b;\n' }, before: { 'n.c': undefined } }],
  ['new file already there', { 'n.c': 'int a;\nint b;\n' }, [hunk('n.c', 0, ['+int a;', '+int b;'], { fileStatus: 'added' })],
    { status: ['already-applied'], alreadyApplied: true, before: { 'n.c': undefined }, after: { 'n.c': 'int a;\nint b;\n' } }],
  ['new file, but a different one exists', { 'n.c': 'other\n' }, [hunk('n.c', 0, ['+int a;'], { fileStatus: 'added' })], { status: ['failed'], failed: true }],
  ['deleted file', { 'd.c': 'x\ny\n', [F]: base }, [hunk('d.c', 1, ['-x', '-y'], { fileStatus: 'deleted' })],
    { status: ['applied'], after: { 'd.c': undefined, [F]: base }, before: { 'd.c': 'x\ny\n' } }],
  ['deleted file already gone', { [F]: base }, [hunk('d.c', 1, ['-x', '-y'], { fileStatus: 'deleted' })],
    { status: ['already-applied'], alreadyApplied: true, before: { 'd.c': 'x\ny\n' }, after: { 'd.c': undefined } }],
  ['deleted file whose text differs', { 'd.c': 'x\nz\n' }, [hunk('d.c', 1, ['-x', '-y'], { fileStatus: 'deleted' })], { status: ['failed'], failed: true }],
  ['renamed with a change', { 'old.c': base }, [replace10(7, { file: 'old.c', fileStatus: 'renamed', newFile: 'new.c' })],
    { status: ['applied'], after: { 'old.c': undefined, 'new.c': withX }, before: { 'old.c': base, 'new.c': undefined } }],
  ['a hunk at the start of the file must match there (git), else fuzz', { [F]: 'first\n' + base },
    [hunk(F, 1, [' l1', '-l2', '+two', ' l3', ' l4', ' l5'])], { status: ['fuzz'], lines: [2] }],
  ['a hunk without trailing context must match at the end', { [F]: base },
    [hunk(F, 28, [' l28', ' l29', ' l30', '+end'])], { status: ['applied'], after: { [F]: base + 'end\n' } }],
  ['a file without a final newline keeps it that way', { [F]: 'a\nb\nc' }, [hunk(F, 1, [' a', '-b', '+B', ' c'])],
    { status: ['applied'], after: { [F]: 'a\nB\nc' } }],
];

for (const [name, files, hunks, e] of ROWS) {
  void test(`patchTrees: ${name}`, () => {
    const tree = mapTree(files);
    const r = patchTrees(tree, hunks);
    assert.deepEqual(r.apply.map(a => a.status), e.status, JSON.stringify(r.apply));
    assert.deepEqual(r.apply.map(a => a.hunk), hunks.map((_, i) => i));
    if (e.lines) assert.deepEqual(r.apply.map(a => a.line), e.lines);
    if (e.offsets) assert.deepEqual(r.apply.map(a => a.offset), e.offsets);
    for (const [p, t] of Object.entries(e.after ?? {})) assert.equal(r.after.read(p), t, `after ${p}`);
    for (const [p, t] of Object.entries(e.before ?? {})) assert.equal(r.before.read(p), t, `before ${p}`);
    assert.equal(r.partial, e.partial ?? false, 'partial');
    assert.equal(r.failed, e.failed ?? false, 'failed');
    assert.equal(r.alreadyApplied, e.alreadyApplied ?? false, 'alreadyApplied');
    for (const a of r.apply) if (a.status === 'failed') assert.ok(a.reason && a.reason.length > 5, 'a failed hunk says why');
    // the tree itself is untouched
    for (const [p, t] of Object.entries(files)) assert.equal(tree.read(p), t);
  });
}

void test('patchTrees: a failed hunk names the line that differs', () => {
  const r = patchTrees(mapTree({ [F]: base.replace('l10\n', 'l10 changed\n') }), [replace10(7)]);
  assert.match(r.apply[0].reason!, /near line 10 its line 4 "l10" reads "l10 changed"/);
});

void test('patchTrees: stamps of changed files differ before/after, unchanged files read through', () => {
  const tree = mapTree({ [F]: base, 'b.c': 'b\n' });
  const r = patchTrees(tree, [replace10(7)]);
  assert.equal(r.before.stamp(F), tree.stamp(F));
  assert.notEqual(r.after.stamp(F), tree.stamp(F));
  assert.equal(r.after.stamp('b.c'), tree.stamp('b.c'));
  assert.equal(r.after.read('b.c'), 'b\n');
  assert.deepEqual(r.changed, [F]);
  // the same text gets the same stamp (caches reuse it)
  assert.equal(patchTrees(tree, [replace10(7)]).after.stamp(F), r.after.stamp(F));
  assert.equal(r.after.root, tree.root);
});

void test('overlay: new directories exist, deleted files do not', () => {
  const o = overlay(mapTree({ 'x/a.c': '1\n' }), new Map([['y/z/n.c', 'n\n'], ['x/a.c', null]]));
  assert.equal(o.read('x/a.c'), undefined);
  assert.equal(o.stamp('x/a.c'), undefined);
  assert.equal(o.isDir!('y/z'), true);
  assert.equal(o.isDir!('y'), true);
  assert.equal(o.isDir!('q'), false);
});

void test('patchTrees: nothing to apply is failed, not partial', () => {
  const r = patchTrees(mapTree({ [F]: base }), []);
  assert.equal(r.failed, true);
  assert.equal(r.partial, false);
});

void test('patchTrees: a hostile patch on a file of identical lines stays linear-ish', () => {
  // 20000 identical lines; 2000 hunks each looking for 50 of them and one line that is not there
  // (either way: its post-image is not there either)
  const text = 'same\n'.repeat(20000);
  const body = [...Array(50).fill(' same'), '-missing', '+absent', ...Array(3).fill(' same')];
  const hunks = Array.from({ length: 2000 }, (_, i) => hunk(F, 1 + i * 7, body));
  const t0 = performance.now();
  const r = patchTrees(mapTree({ [F]: text }), hunks);
  const ms = performance.now() - t0;
  assert.equal(r.failed, true);
  assert.ok(r.apply.every(a => a.status === 'failed'));
  assert.ok(r.apply.some(a => /budget/.test(a.reason ?? '')), 'the budget stops the search');
  assert.ok(ms < 5000, `took ${ms} ms`);
});

void test('patchTrees: many hunks that apply exactly cost their own length', () => {
  const n = 20000;
  const text = numbered(n);
  const hunks = Array.from({ length: 2000 }, (_, i) => {
    const s = 1 + i * 10;
    return hunk(F, s, [` l${s}`, ` l${s + 1}`, ` l${s + 2}`, `-l${s + 3}`, `+m${s + 3}`, ` l${s + 4}`, ` l${s + 5}`, ` l${s + 6}`]);
  });
  const t0 = performance.now();
  const r = patchTrees(mapTree({ [F]: text }), hunks);
  const ms = performance.now() - t0;
  assert.ok(r.apply.every(a => a.status === 'applied'), JSON.stringify(r.apply.find(a => a.status !== 'applied')));
  assert.equal(r.after.read(F)!.split('\n').filter(l => l.startsWith('m')).length, 2000);
  assert.ok(ms < 3000, `took ${ms} ms`);
});

void test('patchTrees: a hunk without ranges is looked for anywhere and claims no offset', () => {
  const r = patchTrees(mapTree({ [F]: base }), [replace10(1, { unanchored: true })]);
  assert.deepEqual(r.apply.map(a => [a.status, a.line]), [['applied', 7]]);
  assert.equal(r.after.read(F), withX);
});

void test('patchTrees: indentation lost in the mail fails (as git apply), and the reason says whitespace is all that differs', () => {
  const tree = mapTree({ [F]: numbered(30, i => `\tl${i}`) });
  const r = patchTrees(tree, [replace10(7)]);
  assert.deepEqual(r.apply.map(a => a.status), ['failed']);
  assert.match(r.apply[0].reason!, /it would apply at line 7 if whitespace were ignored/);
  const other = patchTrees(mapTree({ [F]: base.replace('l10\n', 'other\n') }), [replace10(7)]);
  assert.doesNotMatch(other.apply[0].reason!, /whitespace/);
});

void test('patchTrees: ranges give each hunk\'s changed lines in the before and after files', () => {
  const tree = mapTree({ [F]: base, 'n.c': 'x\n' });
  const r = patchTrees(tree, [
    hunk(F, 2, [' l2', ' l3', ' l4', '+new1', '+new2', ' l5', ' l6', ' l7']),
    hunk(F, 20, [' l20', ' l21', ' l22', '-l23', '-l24', '+L23', ' l25', ' l26', ' l27']),
    hunk(F, 28, [' l28', '-l29', ' l30']),
    hunk('m.c', 0, ['+a', '+b'], { fileStatus: 'added' }),
  ]);
  assert.deepEqual(r.apply.map(a => a.status), ['applied', 'applied', 'applied', 'applied']);
  assert.deepEqual(r.ranges, [
    { hunk: 0, file: F, before: { line: 5, count: 0 }, after: { line: 5, count: 2 } },
    { hunk: 1, file: F, before: { line: 23, count: 2 }, after: { line: 25, count: 1 } },
    { hunk: 2, file: F, before: { line: 29, count: 1 }, after: { line: 30, count: 0 } },
    { hunk: 3, file: 'm.c', before: null, after: { line: 1, count: 2 } },
  ]);
  const after = r.after.read(F)!.split('\n');
  assert.deepEqual([after[4], after[5], after[24], after[29]], ['new1', 'new2', 'L23', 'l30']);
  // already applied: the same ranges, the other way round
  const back = patchTrees(r.after, [
    hunk(F, 2, [' l2', ' l3', ' l4', '+new1', '+new2', ' l5', ' l6', ' l7'], { newStart: 2 }),
    hunk(F, 20, [' l20', ' l21', ' l22', '-l23', '-l24', '+L23', ' l25', ' l26', ' l27'], { newStart: 22 }),
  ]);
  assert.deepEqual(back.apply.map(a => [a.status, a.line]), [['already-applied', 2], ['already-applied', 22]]);
  assert.deepEqual(back.ranges!.map(x => [x.before, x.after]), [
    [{ line: 5, count: 0 }, { line: 5, count: 2 }],
    [{ line: 23, count: 2 }, { line: 25, count: 1 }],
  ]);
  assert.equal(back.before.read(F), base.replace('l29\n', ''));
});

void test('patchTrees: fuzz never adds lines a second time next to where they already are (whitespace aside)', () => {
  // the tree already has the function the hunk adds (indented); the mail lost the indentation and
  // its outer context differs, so only fuzz 2 would place it, right below the existing copy
  const tree = numbered(10) + 'int f(void)\n{\n\treturn 1;\n}\n\nstatic int g;\n' + numbered(5, i => `t${i}`);
  const h = hunk(F, 11, [' other1', ' other2', ' l10', '+int f(void)', '+{', '+return 1;', '+}', ' int f(void)', ' zz1', ' zz2']);
  const r = patchTrees(mapTree({ [F]: tree }), [h]);
  assert.deepEqual(r.apply.map(a => a.status), ['failed']);
  assert.match(r.apply[0].reason!, /the lines it adds are already there at line 11 \(whitespace aside\)/);
  assert.equal(r.after.read(F), tree);
});

void test('patchTrees: fuzz needs two meaningful lines left to anchor a hunk', () => {
  const tree = 'a\nb\nc\n\n}\nd\ne\nf\n';
  // context a b c | (blank) } | ... after dropping 2 at each end only "" and "}" would be left
  const r = patchTrees(mapTree({ [F]: tree }), [hunk(F, 1, [' X', ' Y', ' ', '+new', ' }', ' Z', ' W'])]);
  assert.deepEqual(r.apply.map(a => a.status), ['failed']);
});
