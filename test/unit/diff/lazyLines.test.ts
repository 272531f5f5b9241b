// Hunk.lines is built on first read from a compact form (no object per diff line while parsing):
// it must read, write, copy and serialise like the plain array property it stands for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchDocument, type DiffLine } from '../../../src/diff';

/** A quoted hunk long enough to be deferred, a short one built at once, and a cut one. */
const TEXT = [
  'Subject: Re: [PATCH] x', '', 'On Mon, A wrote:',
  '> diff --git a/f.c b/f.c', '> --- a/f.c', '> +++ b/f.c',
  '> @@ -10,8 +10,8 @@ static int before(void)', '>  static int g(int x)', '>  {', '>  \tint a = 1;', '> -\ta += x;', '> +\ta -= x;',
  '>  \treturn a;', '>  }', '> \\ No newline at end of file', '>  ',
  'A comment.', '',
  '> @@ -40,2 +40,2 @@', '> -b = 1;', '> +b = 2;', '',
  '> @@ -60,9 +60,9 @@ static int h(void)', '>  \tx();', '> -\ty();', '> +\tz();', '',
].join('\n');

/** What the eager parser gave for each line, recomputed from the document text. */
function expected(lines: string[], l: DiffLine): string { return lines[l.sourceLine].slice(l.textColumn); }

void test('lines of every hunk read as a plain array with exact texts, columns and numbers', () => {
  const doc = parsePatchDocument(TEXT);
  const docLines = TEXT.split('\n');
  assert.equal(doc.hunks.length, 3);
  for (const h of doc.hunks) {
    assert.ok(Array.isArray(h.lines));
    assert.ok(Object.keys(h).includes('lines') && Object.keys(h).at(-1) === 'lines');
    for (const l of h.lines) assert.equal(l.text, expected(docLines, l));
    assert.deepEqual(Object.keys(h.lines[0]), ['kind', 'text', 'sourceLine', 'textColumn', 'oldLine', 'newLine', 'repaired']);
  }
  const [a, b, c] = doc.hunks;
  assert.deepEqual(a.lines.map(l => [l.kind, l.oldLine, l.newLine]), [
    ['context', 10, 10], ['context', 11, 11], ['context', 12, 12], ['del', 13, null], ['add', null, 13], ['context', 14, 14], ['context', 15, 15], ['context', 16, 16]]);
  assert.deepEqual(a.changedFunctions, ['g']);
  assert.deepEqual(b.lines.map(l => l.text), ['b = 1;', 'b = 2;']);
  assert.equal(c.complete, false);
  assert.equal(c.lines.length, 3);
  // the same array on every read
  assert.equal(a.lines, a.lines);
});

void test('lines can be replaced, mutated, copied and serialised', () => {
  const doc = parsePatchDocument(TEXT);
  const [a, b] = doc.hunks;
  const json = JSON.parse(JSON.stringify(doc.hunks[0])) as { lines: DiffLine[] };
  assert.equal(json.lines.length, 8);
  assert.deepEqual({ ...a }.lines, a.lines);
  assert.deepEqual(structuredClone(a).lines, a.lines);
  a.lines.push({ kind: 'add', text: 'extra', sourceLine: 20, textColumn: 0, oldLine: null, newLine: null });
  assert.equal(a.lines.length, 9);
  const fresh = parsePatchDocument(TEXT).hunks[0];
  fresh.lines = [];
  assert.deepEqual(fresh.lines, []);
  b.lines = b.lines.slice(1);
  assert.deepEqual(b.lines.map(l => l.kind), ['add']);
});

void test('a replaced hunk before its lines were read keeps the value assigned', () => {
  const h = parsePatchDocument(TEXT).hunks[0];
  const mine: DiffLine[] = [{ kind: 'context', text: 't', sourceLine: 7, textColumn: 2, oldLine: 10, newLine: 10 }];
  h.lines = mine;
  assert.equal(h.lines, mine);
});
