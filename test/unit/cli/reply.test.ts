// `kvm-review reply` through the built bin: the golden reply on stdout (SOURCE_DATE_EPOCH fixes
// the Date header), repeated --trailer, and exit 2 with one line for every bad input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FIX = path.join(ROOT, 'test/fixtures/reply');
const EPOCH = String(Date.UTC(2026, 11, 3, 9, 0, 0) / 1000);

function kvmReview(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function tmp(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-reply-')), name);
  fs.writeFileSync(file, text);
  return file;
}

before(() => {
  if (!fs.existsSync(CLI)) spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
});

test('reply prints the golden reply of r01 and exits 0', () => {
  const c = JSON.parse(fs.readFileSync(path.join(FIX, 'r01-series-two-hunks.case.json'), 'utf8'));
  const comments = tmp('c.json', JSON.stringify(c.comments));
  const r = kvmReview('reply', path.join(FIX, c.mail), '--comments', comments, ...c.trailers.flatMap((t: string) => ['--trailer', t]), '--from', c.from);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, fs.readFileSync(path.join(FIX, 'r01-series-two-hunks.expected.eml'), 'utf8'));
});

test('reply takes --trailer more than once, in order', () => {
  const comments = tmp('c.json', '[]');
  const r = kvmReview('reply', path.join(FIX, 'r01-series.mbx'), '--comments', comments, '--trailer', 'Reviewed-by: A <a@example.com>', '--trailer', 'Tested-by: B <b@example.com>');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\nReviewed-by: A <a@example.com>\nTested-by: B <b@example.com>\n$/);
});

test('reply: bad input exits 2 with one line naming the problem', () => {
  const mail = path.join(FIX, 'r01-series.mbx');
  const lines = fs.readFileSync(mail, 'utf8').split('\n').length - 1;
  const cases: [string[], RegExp][] = [
    [['reply', mail, '--comments', tmp('c.json', `[{"sourceLine": ${lines + 1}, "text": "x"}]`)], /outside the mail/],
    [['reply', mail, '--comments', tmp('c.json', '[{"sourceLine": -3, "text": "x"}]')], /outside the mail/],
    [['reply', mail, '--comments', tmp('c.json', '{not json')], /not valid JSON/],
    [['reply', mail, '--comments', tmp('c.json', '[{"line": 3}]')], /sourceLine/],
    [['reply', mail], /needs --comments/],
    [['reply', '/nonexistent/mail.eml', '--comments', tmp('c.json', '[]')], /cannot read mail file/],
    [['reply', mail, '--comments', tmp('c.json', '[]'), '--trailer', 'Reviewed by someone'], /Name: value/],
    [['reply', mail, '--comments', tmp('c.json', '[]'), '--from', 'nobody'], /not an address/],
    [['reply', mail, '--comments'], /needs a value/],
  ];
  for (const [args, message] of cases) {
    const r = kvmReview(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});
