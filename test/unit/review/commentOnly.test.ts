import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchDocument } from '../../../src/diff';
import { isCommentOnlyHunk } from '../../../src/review/commentOnly';

const hunk = (body: string) => parsePatchDocument(`--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,4 @@\n${body}`).hunks[0];

for (const [name, body, want] of [
  ['a one-line comment added', ' {\n+\t/* Re-initialize the MMU. */\n \tif (x)\n', true],
  ['a block comment rewritten across lines', ' /*\n- * old words\n+ * new words\n+ * more\n  */\n', true],
  ['a // comment and a blank line', ' a;\n+\t// note\n+\n b;\n', true],
  ['code after a comment', ' a;\n+\t/* x */ y = 1;\n b;\n', false],
  ['a changed condition', '-\tif (CC(a))\n+\tif (CC(b))\n', false],
  ['code after the comment closes', ' /* open\n+ still comment */ z = 2;\n', false],
] as const) {
  test(`comment-only hunk: ${name}`, () => assert.equal(isCommentOnlyHunk(hunk(body)), want));
}
