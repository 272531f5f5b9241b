// Revisions compared (v1 → v2 of the fixture series): patch 2/2 unchanged, 1/2 changed with the
// change shown, hunk line numbers not counted; the patch key that carries review state across
// revisions stays the same exactly when the patch's diff does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildSeries, readMailbox } from '../../../src/review/series/series';
import { rangeDiff, rangeDiffText, lineDiff, comparableText, patchKey } from '../../../src/review/series/rangeDiff';
import { parsePatchDocument } from '../../../src/diff';

const DIR = path.resolve(__dirname, '../../fixtures/series');
const mbox = (names: string[]) => names.map(n => `From mboxrd@z Thu Jan  1 00:00:00 1970\n${fs.readFileSync(path.join(DIR, n), 'utf8')}`).join('\n');
const V1 = ['v1-0.eml', 'v1-1.eml', 'v1-2.eml'];
const V2 = ['v2-0.eml', 'v2-1.eml', 'v2-2.eml'];

test('range-diff v1 → v2: 1/2 changed (the guest_can_use check), 2/2 unchanged', () => {
  const [v1, v2] = buildSeries(readMailbox(mbox([...V1, ...V2]))).revisions;
  const pairs = rangeDiff(v1, v2);
  assert.deepEqual(pairs.map(p => [p.old, p.status, p.new]), [[1, '!', 1], [2, '=', 2]]);
  assert.ok(pairs[0].diff.includes('+ +\tif (guest_can_use(vcpu, X86_FEATURE_LAM))'), pairs[0].diff.join('\n'));
  assert.ok(pairs[0].diff.includes('- +\treturn kvm_vcpu_is_legal_gpa(vcpu, cr3 & ~(X86_CR3_LAM_U48 | X86_CR3_LAM_U57));'));
  const text = rangeDiffText(v1, v2, pairs);
  assert.match(text, /^v1 → v2: 1 unchanged, 1 changed, 0 new, 0 dropped\n/);
  assert.match(text, /\n1: {2}! 1: {2}\[PATCH v2 1\/2\] KVM: x86: Add a CR3 legality helper\n/);
  assert.match(text, /\n2: {2}= 2: {2}\[PATCH v2 2\/2\] KVM: nVMX: Use the CR3 legality helper on nested entry\n/);
});

test('moved hunks, index lines and trailers do not make a patch changed', () => {
  const a = ['Fix it.', '', 'Signed-off-by: A <a@x>', '---', ' f.c | 2 +-', 'diff --git a/f.c b/f.c', 'index 1111111..2222222 100644', '@@ -10,3 +10,3 @@ int f(void)', '-a;', '+b;'];
  const b = ['Fix it.', '', 'Signed-off-by: A <a@x>', 'Reviewed-by: R <r@x>', '---', ' f.c | 2 +-', 'diff --git a/f.c b/f.c', 'index 3333333..4444444 100644', '@@ -12,3 +12,3 @@ int f(void)', '-a;', '+b;'];
  assert.deepEqual(comparableText(a), comparableText(b));
});

test('lineDiff keeps three lines of context and marks gaps', () => {
  const a = Array.from({ length: 20 }, (_, i) => `l${i}`);
  const b = [...a]; b[2] = 'x2'; b[17] = 'x17';
  assert.deepEqual(lineDiff(a, b), ['  l0', '  l1', '- l2', '+ x2', '  l3', '  l4', '  l5', '@@', '  l14', '  l15', '  l16', '- l17', '+ x17', '  l18', '  l19']);
});

test('patch keys: same diff in v1 and v2 (2/2) → same key; changed diff (1/2) → another key', () => {
  const d1 = parsePatchDocument(mbox(V1)), d2 = parsePatchDocument(mbox(V2));
  const key = (d: typeof d1, index: number) => patchKey(d, d.messages.findIndex(m => m.patch?.index === index));
  assert.equal(key(d1, 2), key(d2, 2));
  assert.notEqual(key(d1, 1), key(d2, 1));
  assert.notEqual(key(d1, 1), key(d1, 2));
});
