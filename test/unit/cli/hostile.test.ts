// The CLI against hostile input (issue 10, items 7 and 9): control characters never reach the
// terminal raw, errors are one line that quotes no file content, unknown options and over-limit
// documents are exit 2, and a long dotted query is answered in linear time.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-review-hostile-'));

function kvmReview(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function file(name: string, text: string): string { const f = path.join(dir, name); fs.writeFileSync(f, text); return f; }
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

before(() => {
  if (!fs.existsSync(CLI)) spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
});

const ESCAPES = '\x1b]0;owned\x07\x1b[2J\x1b[1A\r\u202etxt.exe\u2066\x9b31m\x7f';
const HOSTILE_PATCH = [
  `From: =?UTF-8?q?Evil=1B]0;title=07?= <e@example.invalid>`,
  `Subject: [PATCH] =?UTF-8?q?KVM:_retitle=1B]0;owned=07_clear=1B[2J_forged=0Aline?=${ESCAPES}`,
  '', '---',
  `diff --git a/arch/x86/kvm/vmx/nested${ESCAPES}.c b/arch/x86/kvm/vmx/nested${ESCAPES}.c`,
  `--- a/arch/x86/kvm/vmx/nested${ESCAPES}.c`, `+++ b/arch/x86/kvm/vmx/nested${ESCAPES}.c`,
  '@@ -1095,3 +1095,3 @@ static int nested_vmx_load_cr3(struct kvm_vcpu *vcpu, unsigned long cr3,',
  ' {', `-\tif (CC(!kvm_vcpu_is_legal_cr3(vcpu, cr3))) { /* ${ESCAPES} */`, `+\tif (CC(!kvm_vcpu_is_legal_gpa(vcpu, cr3))) { /* ${ESCAPES} */`, ' \t\treturn -EINVAL;', '',
].join('\n');

void test('text output of parse, explain, paths, simulate and diverge carries no raw control character', () => {
  const patch = file('hostile.patch', HOSTILE_PATCH);
  const runs = [
    kvmReview('parse', patch), kvmReview('explain', `HOST_CR3${ESCAPES}`), kvmReview('explain', 'HOST_CR3'), kvmReview('paths'),
    kvmReview('simulate', '--path', 'nested-vmentry', '--patch', patch), kvmReview('diverge', '--path', 'nested-vmentry', '--patch', patch),
    kvmReview('parse', patch, '--json'),
  ];
  for (const r of runs) {
    assert.ok(r.code === 0 || r.code === 1 || r.code === 2, String(r.code));
    assert.doesNotMatch(r.stdout, RAW_CONTROL, r.stdout.slice(0, 300));
    assert.doesNotMatch(r.stderr, RAW_CONTROL, r.stderr.slice(0, 300));
  }
  const parsed = runs[0].stdout.split('\n');
  assert.match(parsed[0], /^message 0: .*\\x1b\]0;owned\\x07.*forged\\nline/);
  assert.ok(parsed.every(l => /^(message \d+|line \d+): /.test(l) || l === ''), parsed.join('\n'));
  assert.equal(JSON.parse(runs[6].stdout).messages[0].subject.includes('\x1b'), true, 'JSON keeps the value (escaped as JSON)');
});

void test('scenario errors are one line with control characters escaped, and never quote the file', () => {
  const secret = 'SECRET-CONTENT-1234';
  const bad = [file('broken.json', `{"base": "default", "note": "${secret}", oops`), file('fields.json', JSON.stringify({ base: 'default', vmcs12: { [`HOST_CR3\n${ESCAPES}`]: '0x1' } })),
    file('value.json', JSON.stringify({ base: 'default', vmcs12: { HOST_CR3: `0x1\n${ESCAPES}` } }))];
  for (const f of bad) {
    const r = kvmReview('simulate', '--path', 'nested-vmentry', '--scenario', f);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, RAW_CONTROL);
    assert.ok(!r.stderr.includes(secret), r.stderr);
  }
});

void test('unknown options are exit 2 naming the option, for every command', () => {
  for (const args of [['parse', 'x.patch', '--jsn'], ['paths', '--frob'], ['explain', 'HOST_CR3', '--verbose'], ['simulate', '--path', 'nested-vmentry', '--scenarios=x'], ['--colour']]) {
    const r = kvmReview(...args);
    assert.equal(r.code, 2, args.join(' '));
    const bad = args.find(a => a.startsWith('--') && !['--path'].includes(a))!.split('=')[0];
    assert.ok(r.stderr.includes(`unknown option ${bad}`), r.stderr);
  }
});

void test('a document over the size limit is exit 2 with a message (checked before it is read)', () => {
  const big = path.join(dir, 'big.mbox');
  fs.writeFileSync(big, 'From x\n');
  fs.truncateSync(big, 65 * 1024 * 1024);   // sparse: no 65 MB written
  const r = kvmReview('parse', big);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^kvm-review: patch file .*big\.mbox is 65\.0 MB, over the 64\.0 MB limit/);
});

void test('a long dotted explain query is answered in linear time', () => {
  const time = (parts: number): number => { const t0 = Date.now(); const r = kvmReview('explain', 'a.'.repeat(parts) + 'b'); assert.equal(r.code, 1); return Date.now() - t0; };
  time(1000);
  const [small, large] = [time(20_000), time(40_000)];
  assert.ok(large < 3000, `${large} ms for 40,000 parts`);
  assert.ok(large < small * 2.6 + 300, `20,000 parts ${small} ms, 40,000 parts ${large} ms`);
});
