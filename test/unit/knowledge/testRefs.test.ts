// The tests the check rows cite exist: kvm-unit-tests names against the list kept in the repo
// (knowledge/data/kvmUnitTests.ts, names read at KUT_COMMIT; verified against a kvm-unit-tests
// checkout when KVM_UNIT_TESTS_DIR names one), selftests against the default tree's
// tools/testing/selftests/kvm (skipped when the tree is absent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ALL_CHECKS } from '../../../src/knowledge/checks';
import { KUT_COMMIT, KUT_FUNCTIONS, isKnownKutFunction } from '../../../src/knowledge/data/kvmUnitTests';

const TREE = path.resolve(__dirname, '../../../.cache/linux-source-6.12');
const SELFTESTS = path.join(TREE, 'tools/testing/selftests/kvm');
const citations = ALL_CHECKS.flatMap(c => (c.tests ?? []).map(t => ({ check: c.id, ...t })));

/** Whether C source `text` defines a function `fn` (a line starting with its return type and name). */
function defines(text: string, fn: string): boolean {
  return new RegExp(`^[A-Za-z_][\\w \\t*]*[ \\t*]${fn}\\s*\\(`, 'm').test(text);
}

test('the checks cite at least 60 tests, each with a suite, a file and a function', () => {
  assert.ok(citations.length >= 60, `only ${citations.length} citations`);
  for (const c of citations) {
    assert.ok(c.suite === 'kvm-unit-tests' || c.suite === 'selftests', `${c.check}: suite ${c.suite}`);
    assert.ok(c.file && c.function, `${c.check}: ${JSON.stringify(c)}`);
  }
});

test('every cited kvm-unit-tests function is in the verified list', () => {
  const unknown = citations.filter(c => c.suite === 'kvm-unit-tests' && !isKnownKutFunction(c.file, c.function));
  assert.deepEqual(unknown, []);
});

test('the verified list names only functions of its kvm-unit-tests commit (when a checkout is at hand)', t => {
  const dir = process.env.KVM_UNIT_TESTS_DIR;
  if (!dir || !fs.existsSync(dir)) { t.skip('KVM_UNIT_TESTS_DIR not set'); return; }
  for (const [file, fns] of Object.entries(KUT_FUNCTIONS)) {
    let text: string;
    try { text = execFileSync('git', ['-C', dir, 'show', `${KUT_COMMIT}:${file}`], { encoding: 'utf8', maxBuffer: 64 << 20 }); }
    catch { text = fs.readFileSync(path.join(dir, file), 'utf8'); }
    for (const fn of fns) assert.ok(defines(text, fn), `${file}: ${fn} not defined`);
  }
});

test('every cited selftest function exists in the default tree', t => {
  if (!fs.existsSync(SELFTESTS)) { t.skip(`${SELFTESTS} absent`); return; }
  for (const c of citations.filter(x => x.suite === 'selftests')) {
    const file = path.join(SELFTESTS, c.file);
    assert.ok(fs.existsSync(file), `${c.check}: ${c.file} is not in ${SELFTESTS}`);
    assert.ok(defines(fs.readFileSync(file, 'utf8'), c.function), `${c.check}: ${c.file} defines no ${c.function}`);
  }
});

test('a name that does not exist is caught', () => {
  assert.equal(isKnownKutFunction('x86/vmx_tests.c', 'test_guest_cr0'), false);
  assert.equal(isKnownKutFunction('x86/vmx_tests.c', 'test_vmcs_link_ptr'), false);
  assert.equal(isKnownKutFunction('x86/vmx_tests.c', 'test_guest_debugctl'), false);
  assert.equal(isKnownKutFunction('x86/vmx_tests.c', 'test_host_ctl_regs'), true);
});
