// Cross-check against parse-diff: on clean format-patch input the recovered hunks agree with the
// library's reading, line by line (counts, ranges, kinds and contents).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import parseDiff from 'parse-diff';
import { parsePatchDocument } from '../../../src/diff';

const DIR = path.resolve(__dirname, '../../fixtures/parse');
const CLEAN = ['a01-format-patch', 'a05-notes-second-dashes', 'b01-b4-series', 'h04-crlf', 'j01-rename-similarity', 'j04-new-and-deleted-file', 'j05-no-newline-at-eof', 'k01-context-is-previous-function'];

for (const name of CLEAN) {
  void test(`agrees with parse-diff on clean input: ${name}`, () => {
    const text = fs.readFileSync(path.join(DIR, `${name}.txt`), 'utf8');
    const ours = parsePatchDocument(text).hunks;
    const theirs = parseDiff(text.replace(/\r\n/g, '\n')).flatMap(f => f.chunks.map(c => ({ f, c })));
    assert.equal(ours.length, theirs.length);
    ours.forEach((h, i) => {
      const { f, c } = theirs[i];
      assert.deepEqual([h.oldStart, h.oldLines, h.newStart, h.newLines], [c.oldStart, c.oldLines, c.newStart, c.newLines]);
      assert.equal(h.file, f.to !== '/dev/null' ? f.to : f.from);
      const changes = c.changes.filter(x => !x.content.startsWith('\\'));
      assert.deepEqual(h.lines.map(l => [l.kind === 'context' ? 'normal' : l.kind, l.text]), changes.map(x => [x.type, x.content.slice(1)]));
    });
  });
}
