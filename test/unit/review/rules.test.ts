// The KVM x86 maintainer rules (maintainer-kvm-x86.rst): one row per rule with a mail that breaks
// it (the finding's rule and line) and the same mail written as the document asks (no finding).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchDocument } from '../../../src/diff';
import { splitLines } from '../../../src/mail';
import { checkMaintainerRules, RULES, shortlogFindings, type RuleId } from '../../../src/review/series/rules';

/** A one-patch mail; `subject` without the [PATCH] tag, `log` the changelog, `body` the diff lines. */
function patch(subject: string, log: string[], diff: string[] = HUNK, trailers: string[] = ['Signed-off-by: Ada Example <ada@example.org>']): string {
  return ['From: Ada Example <ada@example.org>', `Subject: [PATCH] ${subject}`, 'Date: Mon, 6 May 2024 10:00:00 +0200', 'Message-ID: <r@example.org>', '',
    ...log, '', ...trailers, '---', ...diff, '-- ', '2.45.0', ''].join('\n');
}
const HUNK = ['diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c', '--- a/arch/x86/kvm/vmx/nested.c', '+++ b/arch/x86/kvm/vmx/nested.c',
  '@@ -3050,6 +3050,6 @@ static int nested_vmx_check_host_state(struct kvm_vcpu *vcpu,', ' \tif (CC(!nested_host_cr4_valid(vcpu, vmcs12->host_cr4)))', ' \t\treturn -EINVAL;', ' ',
  '-\tif (CC(kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->host_cr3)))', '+\tif (CC(!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)))', ' \t\treturn -EINVAL;', ' '];
const NEW_CHECK = [...HUNK.slice(0, 3), '@@ -3050,3 +3050,5 @@ static int nested_vmx_check_host_state(struct kvm_vcpu *vcpu,', ' \t\treturn -EINVAL;', ' ', '+\tif (CC(vmcs12->host_cr3 & BIT_ULL(63)))', '+\t\treturn -EINVAL;', ' \treturn 0;'];
const SELFTEST = ['diff --git a/tools/testing/selftests/kvm/x86_64/vmx_host_cr3_test.c b/tools/testing/selftests/kvm/x86_64/vmx_host_cr3_test.c', '--- a/tools/testing/selftests/kvm/x86_64/vmx_host_cr3_test.c', '+++ b/tools/testing/selftests/kvm/x86_64/vmx_host_cr3_test.c', '@@ -1,2 +1,3 @@', ' #include "vmx.h"', '+/* host CR3 bit 63 */', ' int x;'];
const LOG = ['Check HOST_CR3 with kvm_vcpu_is_legal_cr3() so that LAM bits are accepted.'];

const rulesOf = (text: string) => checkMaintainerRules(parsePatchDocument(text), splitLines(text));

/** [rule, what breaks it, the breaking mail, 1-based line of the finding, the mail written as asked] */
const ROWS: [RuleId, string, string, number, string][] = [
  ['shortlog-prefix', 'a file name as prefix', patch('nested.c: Check HOST_CR3 with the LAM helper', LOG), 2, patch('KVM: nVMX: Check HOST_CR3 with the LAM helper', LOG)],
  ['shortlog-prefix', 'case (kvm: vmx:)', patch('kvm: vmx: Check HOST_CR3 with the LAM helper', LOG), 2, patch('KVM: VMX: Check HOST_CR3 with the LAM helper', LOG)],
  ['shortlog-prefix', 'x86/kvm', patch('KVM: x86/kvm: Check HOST_CR3 with the LAM helper', LOG), 2, patch('KVM: x86: Check HOST_CR3 with the LAM helper', LOG)],
  ['shortlog-style', 'lower-case first word and a full stop', patch('KVM: nVMX: check HOST_CR3 with the LAM helper.', LOG), 2, patch('KVM: nVMX: Check HOST_CR3 with the LAM helper', LOG)],
  ['shortlog-length', 'over 80 characters', patch('KVM: nVMX: Check HOST_CR3 with the LAM helper so that L1 may set LAM bits in its host CR3 field', LOG), 2, patch('KVM: nVMX: Allow LAM bits in vmcs12 HOST_CR3', LOG)],
  ['function-notation', 'a changed function named without ()', patch('KVM: nVMX: Check HOST_CR3 with the LAM helper', ['Make nested_vmx_check_host_state accept LAM bits in HOST_CR3.']), 6,
    patch('KVM: nVMX: Check HOST_CR3 with the LAM helper', ['Make nested_vmx_check_host_state() accept LAM bits in HOST_CR3.'])],
  ['sdm-numbers', 'an SDM section number in the changelog', patch('KVM: nVMX: Check HOST_CR3 with the LAM helper', ['Per SDM Vol. 3C 27.2.2, HOST_CR3 may carry the LAM bits.']), 6,
    patch('KVM: nVMX: Check HOST_CR3 with the LAM helper', ['Per the SDM ("Checks on Host Control Registers"), HOST_CR3 may carry the LAM bits.'])],
  ['fixes-tag', 'a short commit id, no shortlog', patch('KVM: nVMX: Check HOST_CR3 with the LAM helper', LOG, HUNK, ['Fixes: 1234abc', 'Signed-off-by: Ada Example <ada@example.org>']), 8,
    patch('KVM: nVMX: Check HOST_CR3 with the LAM helper', LOG, HUNK, ['Fixes: 1234abcd5678 ("KVM: nVMX: Add the host-state checks")', 'Signed-off-by: Ada Example <ada@example.org>'])],
  ['new-check-without-test', 'an added CC() check and no test in the series', patch('KVM: nVMX: Reject HOST_CR3 with bit 63 set', LOG, NEW_CHECK), 16,
    patch('KVM: nVMX: Reject HOST_CR3 with bit 63 set', LOG, [...NEW_CHECK, ...SELFTEST])],
];

test('every rule has a row and an origin in maintainer-kvm-x86.rst', () => {
  assert.deepEqual([...new Set(ROWS.map(r => r[0]))].sort(), RULES.map(r => r.id).sort());
  for (const r of RULES) assert.match(r.origin, /^maintainer-kvm-x86\.rst, "/);
});

for (const [rule, what, bad, line, good] of ROWS) {
  test(`rule ${rule}: ${what}`, () => {
    const found = rulesOf(bad).filter(f => f.rule === rule);
    assert.ok(found.length >= 1, JSON.stringify(rulesOf(bad)));
    assert.equal(found[0].sourceLine + 1, line, found[0].message);
    assert.deepEqual(rulesOf(good), [], 'the mail written as asked has no finding');
  });
}

test('replies quoting a patch and non-KVM patches are not checked', () => {
  const reply = ['From: R <r@example.org>', 'Subject: Re: [PATCH] nested.c: fix', '', '> diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c', '> +\tif (CC(x))', ''].join('\n');
  assert.deepEqual(rulesOf(reply), []);
  const net = patch('net: fix a thing', LOG, ['diff --git a/net/core/dev.c b/net/core/dev.c', '--- a/net/core/dev.c', '+++ b/net/core/dev.c', '@@ -1,1 +1,1 @@', '-a;', '+b;']);
  assert.deepEqual(rulesOf(net), []);
});

test('shortlog topics are case-sensitive and hinted', () => {
  assert.match(shortlogFindings('KVM: nvmx: Fix x')[0].message, /"nVMX"/);
  assert.deepEqual(shortlogFindings('KVM: selftests: Add a LAM test'), []);
});
