// Table-driven golden tests: each input under test/fixtures/parse with its expected JSON, plus the
// five real seeds (read from ../shared/seeds; their expected JSON holds no mail text).
// UPDATE_GOLDENS=1 rewrites the expected files from the current output (review the diff!).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parsePatchDocument } from '../../../src/diff';
import { seedText, SEED_IDS } from '../seeds';
import { goldenOf } from './golden';

const DIR = path.resolve(__dirname, '../../fixtures/parse');
const UPDATE = process.env.UPDATE_GOLDENS === '1';

/** One row per quirk: fixture name and what it exercises (patch-formats.md section). */
const FIXTURES: [string, string][] = [
  ['a01-format-patch', 'a: git format-patch with trailers and diffstat'],
  ['a02-folded-subject-rfc', 'a: subject folded onto a continuation line, [RFC PATCH v1 30/34]'],
  ['a03-prefix-numbered-3digits', 'a: [PATCH 033/104]'],
  ['a04-suse-no-from-line', 'a: SUSE-style headers, no From <sha> line, no prefix'],
  ['a05-notes-second-dashes', 'a: notes after a second ---, rename diffstat, create mode, base-commit'],
  ['a06-embedded-no-dashes', 'a: whole patch embedded in a body without --- or diffstat'],
  ['b01-b4-series', 'b: b4 .mbx series with cover letter'],
  ['b02-patchwork-mbox', 'b: patchwork mbox with X-Patchwork headers and [v2,1/2]'],
  ['b03-mboxrd-from-escape', 'b: lore mboxrd with >From escaping'],
  ['c01-lore-multipart-rfc2047', 'c: raw lore message, RFC 2047 names, multipart with text/x-diff'],
  ['c02-lore-thread-page', 'c: lore thread page saved as text'],
  ['c03-lore-page-long-headers', 'c: lore page with a long Cc list, [thread overview] and (raw) markers'],
  ['d01-patchwork-page-comments', 'd: patchwork page with a comment quoting the patch'],
  ['d02-patchwork-api-json', 'd: patchwork API JSON with the diff as an escaped string'],
  ['e01-web-lost-spaces-footer', 'e: web archive: context lost its leading space, tabs to spaces, footer'],
  ['e02-obfuscated-addresses', 'e: obfuscated addresses'],
  ['e03-collapsed-one-line', 'e: whole page on one line: unparsed region'],
  ['e04-gitweb-commitdiff', 'e: gitweb commitdiff with a bare path and index line'],
  ['e05-html-entities', 'e: HTML entities in a saved page'],
  ['e06-pipermail-page', 'e: pipermail page: "name at domain" sender, quoted patch, list footer'],
  ['f01-reply-comments-between-hunks', 'f: review reply with comments between hunks'],
  ['f02-mixed-quote-prefixes', 'f: > >, >> and > with no space in one mail'],
  ['f03-format-flowed', 'f: format=flowed quoting'],
  ['f04-cut-hunk', 'f: hunk cut short in a quote'],
  ['f05-outlook-original', 'f: Outlook -----Original Message----- block'],
  ['f06-wrapped-diff-git', 'f: wrapped diff --git line continued at a lower quote depth'],
  ['f07-inline-replacement-patch', 'f: quoted patch then an inline replacement with pseudo-headers'],
  ['f08-format-flowed-soft-breaks', 'f: format=flowed soft line breaks undone (wrapped @@ label, reply paragraph); diff lines left alone'],
  ['g01-only-hunk-headers', 'g: @@ hunk without file header'],
  ['g02-hunk-header-no-ranges', 'g: @@ without ranges'],
  ['g03-bare-lines-in-prose', 'g: bare -/+ lines in (non-English) prose, prose bullets left alone'],
  ['g04-squash-whitespace-damaged', 'g: whitespace-damaged squash snippet'],
  ['g05-space-at-at-no-ranges', 'g: " @@static int f(...)" pasted with a stray space and no ranges'],
  ['h01-quoted-printable', 'h: quoted-printable with soft breaks inside the hunk header and a + line'],
  ['h02-base64', 'h: base64 body'],
  ['h03-base64-crlf-footer', 'h: base64 to CRLF, tabs to spaces, list footer after the last hunk line'],
  ['h04-crlf', 'h: CRLF file'],
  ['h05-8bit-utf8', 'h: 8bit UTF-8'],
  ['i01-page-with-series', 'i: cover letter and patches in one web page'],
  ['j01-rename-similarity', 'j: rename with similarity index'],
  ['j02-copy', 'j: copy'],
  ['j03-binary', 'j: GIT binary patch literal'],
  ['j04-new-and-deleted-file', 'j: new and deleted files'],
  ['j05-no-newline-at-eof', 'j: \\ No newline at end of file'],
  ['j06-mode-change', 'j: mode change only'],
  ['j07-symlink-two-sections', 'j: two diff --git sections for one path (file to symlink)'],
  ['k01-context-is-previous-function', '@@ context names the function before the change'],
  ['m01-attachment-and-image', 'm: patch in a text/x-diff attachment (read, listed); an image attachment (listed, not read)'],
  ['m02-message-rfc822', 'm: patch inside an attached message/rfc822 (parsed as a nested message, not split off)'],
  ['m03-html-only', 'm: patch only in a text/html part (read after tag removal); an HTML part without a patch (listed)'],
  ['m04-markdown-and-mbox', 'm: text/markdown part read; application/mbox attachment read as part of the message'],
  ['m05-alternative-plain-html', 'm: multipart/alternative: text/plain read, the text/html alternative listed as not read'],
  ['m06-nesting-too-deep', 'm: a patch nested deeper than 8 MIME levels: listed, not read'],
  ['x01-empty', 'bad input: empty'],
  ['x02-binary-junk', 'bad input: binary junk'],
  ['x03-invalid-utf8', 'bad input: invalid UTF-8'],
  ['x04-unrecognised-hunk-header', 'bad input: @@ line that is no hunk header'],
];

function check(name: string, actual: unknown, expectedFile: string) {
  if (UPDATE) { fs.mkdirSync(path.dirname(expectedFile), { recursive: true }); fs.writeFileSync(expectedFile, JSON.stringify(actual, null, 1) + '\n'); return; }
  assert.ok(fs.existsSync(expectedFile), `${expectedFile} missing (run with UPDATE_GOLDENS=1 and review)`);
  assert.deepEqual(actual, JSON.parse(fs.readFileSync(expectedFile, 'utf8')), name);
}

for (const [name, what] of FIXTURES) {
  void test(`golden ${name}: ${what}`, () => {
    const text = fs.readFileSync(path.join(DIR, `${name}.txt`), 'utf8');
    check(name, goldenOf(parsePatchDocument(text)), path.join(DIR, `${name}.json`));
  });
}

void test('every fixture file has a row in the table', () => {
  const files = fs.readdirSync(DIR).filter(f => f.endsWith('.txt')).map(f => f.slice(0, -4)).sort();
  assert.deepEqual(files, FIXTURES.map(f => f[0]).sort());
});

for (const id of SEED_IDS) {
  void test(`golden seed ${id}`, t => {
    const text = seedText(id, t);
    if (text === undefined) return;
    check(`seed ${id}`, goldenOf(parsePatchDocument(text)), path.join(DIR, 'seeds', `${id}.json`));
  });
}

/** What each MIME fixture says about its parts (the diagnostics' text, which goldens leave out). */
const PART_NOTES: [string, RegExp[]][] = [
  ['m01-attachment-and-image', [/^attachment cr3\.diff \(text\/x-diff, \d+ B\) read$/, /^attachment screenshot\.png \(image\/png, \d+ B\) not read: not text$/]],
  ['m02-message-rfc822', [/^attached message "\[PATCH\] KVM: nVMX: forwarded" \(message\/rfc822, \d+ B\) read$/]],
  ['m03-html-only', [/^text\/html part \(\d+ B\) read as text \(tags removed\): it holds a patch$/, /^text\/html part \(\d+ B\) not read: no patch in it$/]],
  ['m04-markdown-and-mbox', [/^text\/markdown part \(\d+ B\) read$/, /^attachment series\.mbox \(application\/mbox, \d+ B\) read as an mbox$/]],
  ['m05-alternative-plain-html', [/^text\/html part \(\d+ B\) not read: an alternative of the text\/plain part$/]],
  ['m06-nesting-too-deep', [/^multipart\/mixed part \(\d+ B\) nested deeper than 8 MIME levels: not read$/]],
];
for (const [name, expected] of PART_NOTES) {
  void test(`MIME parts of ${name} are each accounted for`, () => {
    const doc = parsePatchDocument(fs.readFileSync(path.join(DIR, `${name}.txt`), 'utf8'));
    const notes = doc.diagnostics.filter(d => d.code === 'mime-part').map(d => d.message);
    assert.equal(notes.length, expected.length, notes.join(' | '));
    expected.forEach((re, i) => assert.match(notes[i], re));
  });
}
