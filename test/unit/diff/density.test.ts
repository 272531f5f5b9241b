// Memory stays bounded by the input (issue 10, item 8): a document packed with tiny hunks is
// refused before anything is built (one diagnostic saying why), a dense but plausible one is
// parsed; the CLI exits 2 with that line, and streams its JSON output.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hunkHeaderCount, HUNK_BYTES, parsePatchDocument, toParseJson } from '../../../src/diff';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
before(() => { if (!fs.existsSync(CLI)) spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' }); });

const HEAD = 'From: a <a@example.invalid>\nSubject: [PATCH] dense\n\n---\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n';
const TINY = '@@ -1 +1 @@\n-a\n+b\n';
const PLAUSIBLE = '@@ -1,6 +1,6 @@\n ctx line one long\n ctx line two long\n-a = 1;\n+a = 2;\n ctx line three long\n ctx line four\n';

void test('hunk headers are counted at line starts, after quote marks', () => {
  assert.equal(hunkHeaderCount('@@ a\n> @@ b\n>>  @@ c\nx @@ d\n\t@@ e'), 4);
});

void test('a document of tiny hunks is refused with one diagnostic, before anything is built', () => {
  const text = HEAD + TINY.repeat(60_000);
  const t0 = Date.now();
  const doc = parsePatchDocument(text);
  assert.ok(Date.now() - t0 < 500, `${Date.now() - t0} ms`);
  assert.equal(doc.hunks.length, 0);
  const d = doc.diagnostics.find(x => x.code === 'too-large');
  assert.match(d?.message ?? '', /^document has 60,000 hunk headers in .* too dense to analyse/);
  assert.ok(PLAUSIBLE.length > HUNK_BYTES);
  assert.equal(parsePatchDocument(HEAD + PLAUSIBLE.repeat(30_000)).hunks.length, 30_000);
});

void test('the CLI exits 2 on a too-dense document and streams JSON identical to JSON.stringify', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-dense-'));
  const dense = path.join(dir, 'dense.mbox');
  fs.writeFileSync(dense, HEAD + TINY.repeat(60_000));
  const r = spawnSync(process.execPath, [CLI, 'parse', dense, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  assert.match(r.stderr, /too dense to analyse/);
  const ok = path.join(dir, 'ok.mbox');
  const text = HEAD + PLAUSIBLE.repeat(3000);
  fs.writeFileSync(ok, text);
  const out = spawnSync(process.execPath, [CLI, 'parse', ok, '--json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout, JSON.stringify(toParseJson(parsePatchDocument(text)), null, 2) + '\n');
});
