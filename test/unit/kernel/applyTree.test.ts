// patchTrees on the default tree (Debian linux-source-6.12, read at test time; skipped when absent):
// hunks made by the test from nested.c's own lines, and the five seed mails as the parser reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { patchTrees } from '../../../src/kernel/apply';
import type { PatchHunk, TreeReader } from '../../../src/kernel/types';
import { parsePatchDocument } from '../../../src/diff';
import { fsTreeReader } from '../../../src/io/tree';
import { patchDocument } from '../../../src/review/kernelCompare';
import { seedText, SEED_IDS } from '../seeds';

const ROOT = path.resolve(__dirname, '../../../.cache/linux-source-6.12');
const NESTED = 'arch/x86/kvm/vmx/nested.c';


function treeOrSkip(t: { skip(m: string): void }): TreeReader | undefined {
  if (!fs.existsSync(path.join(ROOT, NESTED))) { t.skip(`default tree absent: ${ROOT} (npm run setup-tree)`); return undefined; }
  return fsTreeReader(ROOT);
}

/** The 1-based line of nested.c that holds `needle` (first occurrence). */
function lineOf(lines: string[], needle: string): number {
  const i = lines.findIndex(l => l.includes(needle));
  assert.ok(i >= 0, `nested.c has no line with ${needle}`);
  return i + 1;
}

/** A hunk made from the file's own lines: 3 context lines, line `at` replaced by `text`. */
function ownHunk(lines: string[], at: number, text: string, claimed = at): PatchHunk {
  const ctx = (a: number, b: number) => lines.slice(a - 1, b).map(t => ({ kind: ' ' as const, text: t }));
  return {
    file: NESTED, oldStart: claimed - 3, newStart: claimed - 3,
    lines: [...ctx(at - 3, at - 1), { kind: '-', text: lines[at - 1] }, { kind: '+', text }, ...ctx(at + 1, at + 3)],
  };
}

void test('default tree: hunks made from nested.c apply exactly, with an offset, reversed when already in', t => {
  const tree = treeOrSkip(t); if (!tree) return;
  const text = tree.read(NESTED)!;
  const lines = text.split('\n');
  const at = lineOf(lines, 'CC(!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3))');
  const changed = lines[at - 1].replace('host_cr3', 'host_cr3 | 1');
  // exact: where the header says
  const exact = patchTrees(tree, [ownHunk(lines, at, changed)]);
  assert.deepEqual(exact.apply.map(a => [a.status, a.line]), [['applied', at - 3]]);
  const after = exact.after.read(NESTED)!.split('\n');
  assert.equal(after[at - 1], changed);
  assert.equal(after.length, lines.length);
  assert.equal(exact.before.read(NESTED), text, 'before is the tree');
  assert.equal(tree.read(NESTED), text, 'the tree on disk is unchanged');
  // offset: the header claims 40 lines earlier
  const off = patchTrees(tree, [ownHunk(lines, at, changed, at - 40)]);
  assert.deepEqual(off.apply.map(a => [a.status, a.line, a.offset]), [['offset', at - 3, 40]]);
  assert.equal(off.after.read(NESTED), exact.after.read(NESTED));
  // already applied: the patch's post-image is the tree's line, its pre-image is not there
  const already = patchTrees(exact.after, [ownHunk(lines, at, changed)]);
  assert.equal(already.alreadyApplied, true);
  assert.deepEqual(already.apply.map(a => [a.status, a.line]), [['already-applied', at - 3]]);
  assert.equal(already.before.read(NESTED), text, 'before = the patch reversed');
  assert.equal(already.after.read(NESTED), exact.after.read(NESTED));
  // two hunks of one file diff: the second's position is shifted by the first's added line
  const at2 = lineOf(lines, 'CC(!nested_guest_cr4_valid(vcpu, vmcs12->guest_cr4))');
  assert.ok(at2 > at + 10);
  const first: PatchHunk = { ...ownHunk(lines, at, changed), section: 0 };
  first.lines.splice(4, 0, { kind: '+', text: '\t/* added */' });
  const second: PatchHunk = { ...ownHunk(lines, at2, lines[at2 - 1] + ' /* x */'), section: 0 };
  second.newStart = at2 - 3 + 2;
  const two = patchTrees(tree, [first, second]);
  assert.deepEqual(two.apply.map(a => [a.status, a.line]), [['applied', at - 3], ['applied', at2 - 3]]);
  assert.equal(two.after.read(NESTED)!.split('\n').length, lines.length + 1);
});

/**
 * The seeds against the default tree (6.12.118), per document hunk: mails from web archives lost
 * their indentation and were written against older kernels, so their hunks do not apply (as with git
 * apply); 004 (2021) is in 6.12 already, all but its first hunk, whose context 6.12 rewrote.
 */
const SEED_EXPECT: Record<string, { status: string[]; alreadyApplied: boolean; failed: boolean }> = {
  '000': { status: ['failed'], alreadyApplied: false, failed: true },
  '001': { status: ['failed', 'failed'], alreadyApplied: false, failed: true },
  // 002's last hunk (vmx.h) would land with fuzz 2 on a blank line and one declaration, below the
  // function it adds (6.12 has it): refused, as fuzz needs two meaningful anchor lines
  '002': { status: ['failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed'], alreadyApplied: false, failed: true },
  '003': { status: ['failed', 'failed', 'failed', 'failed'], alreadyApplied: false, failed: true },
  '004': { status: ['failed', 'already-applied', 'already-applied', 'already-applied'], alreadyApplied: true, failed: false },
};

for (const id of SEED_IDS) {
  void test(`default tree: seed ${id} applies as git apply would`, t => {
    const tree = treeOrSkip(t); if (!tree) return;
    const text = seedText(id, t); if (text === undefined) return;
    const doc = parsePatchDocument(text);
    const r = patchDocument(tree, doc);
    const e = SEED_EXPECT[id];
    assert.deepEqual(r.apply.map(a => a.status), e.status, JSON.stringify(r.apply));
    assert.deepEqual(r.apply.map(a => a.hunk), doc.hunks.map((_, i) => i), 'one row per document hunk');
    assert.equal(r.alreadyApplied, e.alreadyApplied);
    assert.equal(r.failed, e.failed);
    for (const a of r.apply) if (a.status === 'failed') assert.ok(a.reason, `hunk ${a.hunk} says why`);
    for (const p of r.changed ?? []) {
      assert.notEqual(r.before.read(p), r.after.read(p), `${p} differs before/after`);
      assert.ok(r.before.read(p) === tree.read(p) || r.after.read(p) === tree.read(p), `one side of ${p} is the tree`);
    }
  });
}
