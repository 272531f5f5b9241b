// Restricted Mode: settings that name a file or widen what is read are declared restricted in
// package.json and ignored in an untrusted workspace, with a one-line notice; a broken scenario
// file's error names the problem without quoting the file (issue 10, item 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { maxFileSizeSetting, namesFile, RESTRICTED_SETTINGS, scenarioSetting } from '../../../src/platform/trust';
import { jsonProblem } from '../../../src/mail/controls';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));

void test('package.json declares every file-naming or read-widening setting restricted', () => {
  const declared: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual([...declared].sort(), [...RESTRICTED_SETTINGS].sort());
  for (const s of declared) assert.ok(pkg.contributes.configuration.properties[s], `${s} is a contributed setting`);
});

void test('in Restricted Mode a scenario file is ignored for the default preset, with a one-line notice', () => {
  for (const hostile of ['/home/user/.ssh/id_rsa.json', '../../etc/passwd', '~/.aws/credentials', 'scenarios/x.json', 'C:\\secrets.json']) {
    assert.ok(namesFile(hostile), hostile);
    const r = scenarioSetting(hostile, false);
    assert.equal(r.scenario, 'default');
    assert.match(r.notice ?? '', /^Restricted Mode: .*not read/);
    assert.ok(!r.notice!.includes('\n') && !r.notice!.includes(hostile), 'one line, the value not repeated');
    assert.deepEqual(scenarioSetting(hostile, true), { scenario: hostile });
  }
  assert.deepEqual(scenarioSetting('no-lam', false), { scenario: 'no-lam' });
});

void test('in Restricted Mode the workspace cannot raise the size limit', () => {
  assert.equal(maxFileSizeSetting(100000, false).maxFileSizeMB, 64);
  assert.match(maxFileSizeSetting(100000, false).notice ?? '', /^Restricted Mode/);
  assert.deepEqual(maxFileSizeSetting(8, false), { maxFileSizeMB: 8 });
  assert.deepEqual(maxFileSizeSetting(100000, true), { maxFileSizeMB: 100000 });
});

void test('a scenario file that is not JSON: the problem is named, the content never quoted', () => {
  for (const text of ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA', '{"token": "s3cr3t-value", oops}', 'root:x:0:0:root:/root:/bin/bash', '']) {
    let problem = '';
    try { JSON.parse(text); } catch (e) { problem = jsonProblem(e); }
    assert.ok(problem, text);
    for (const piece of ['OPENSSH', 's3cr3t', 'root:x', 'b3Bl']) assert.ok(!problem.includes(piece), problem);
    assert.ok(!problem.includes('\n'));
  }
});
