// The `kvm-review parse --json` contract and the behaviour the editor features rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchDocument, toParseJson } from '../../../src/diff';

const PATCH = [
  'From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001',
  'From: A <a@example.org>', 'Date: Mon, 6 May 2024 10:00:00 +0200', 'Subject: [PATCH v7 2/5] x: y', '',
  'Body.', '', 'Signed-off-by: A <a@example.org>', '---',
  'diff --git a/f.c b/f.c', '--- a/f.c', '+++ b/f.c',
  '@@ -10,4 +10,4 @@ static int before(void)', ' }', ' ', ' static int g(int x)', '-{ return x; }', '+{ return x + 1; }', '',
].join('\n');

void test('toParseJson has exactly the contract fields with 1-based lines', () => {
  const json = toParseJson(parsePatchDocument(PATCH));
  assert.deepEqual(Object.keys(json), ['messages', 'hunks', 'comments', 'diagnostics']);
  assert.deepEqual(Object.keys(json.messages[0]), ['subject', 'from', 'date', 'patch', 'trailers']);
  assert.deepEqual(json.messages[0].patch, { version: 7, index: 2, total: 5 });
  assert.deepEqual(json.messages[0].trailers, [{ name: 'Signed-off-by', value: 'A <a@example.org>' }]);
  assert.deepEqual(Object.keys(json.hunks[0]), ['message', 'file', 'oldStart', 'oldLines', 'newStart', 'newLines', 'quoteDepth', 'sourceLine', 'contextFunction', 'changedFunctions', 'added', 'removed', 'complete']);
  assert.equal(json.hunks[0].sourceLine, 13);
  assert.equal(json.hunks[0].contextFunction, 'static int before(void)');
  assert.deepEqual(json.hunks[0].changedFunctions, ['g']);
});

void test('diff lines carry exact columns and old/new numbers', () => {
  const doc = parsePatchDocument('> > @@ -5,2 +5,2 @@\n> > -a = 1;\n> > +a = 2;\n> >  b();\n');
  const h = doc.hunks[0];
  assert.equal(h.quoteDepth, 2);
  assert.deepEqual(h.lines.map(l => [l.kind, l.text, l.sourceLine, l.textColumn, l.oldLine, l.newLine]), [
    ['del', 'a = 1;', 1, 5, 5, null], ['add', 'a = 2;', 2, 5, null, 5], ['context', 'b();', 3, 5, 6, 6]]);
  assert.equal(h.complete, true);
});

void test('never throws, and says when a document is over the size limit', () => {
  const doc = parsePatchDocument('x'.repeat(2000), { maxBytes: 1000 });
  assert.equal(doc.hunks.length, 0);
  assert.equal(doc.diagnostics[0].code, 'too-large');
  assert.match(doc.diagnostics[0].message, /over the .* limit/);
  for (const bad of ['', '\u0000\u0001', '@@', '>'.repeat(100000), '@@'.repeat(50000), '\ud800', undefined as unknown as string]) {
    assert.doesNotThrow(() => parsePatchDocument(bad));
  }
});

void test('a cut quoted hunk is incomplete with an information diagnostic; the comment anchors after its last line', () => {
  const doc = parsePatchDocument(['> @@ -1,5 +1,5 @@ int f(void)', '>  \ta();', '> -\tb();', '> +\tc();', '', 'Why c?', ''].join('\n'));
  assert.equal(doc.hunks[0].complete, false);
  assert.equal(doc.diagnostics.find(d => d.code === 'cut-hunk')?.severity, 'information');
  assert.deepEqual(doc.comments.map(c => [c.hunk, c.afterSourceLine, c.text]), [[0, 3, 'Why c?']]);
});

void test('prose bullets are not diff lines', () => {
  const doc = parsePatchDocument('Notes:\n- When EPT is on, CR3 belongs to the guest.\n- The other case is handled later.\n');
  assert.equal(doc.hunks.length, 0);
});
