// The flowed-space rule: a mail client that put one space more before every context line of a
// quoted (or space-stuffed) hunk must not hide the hunk's changed functions; hunks whose lines
// all start with a space for a reason (inside a block comment) are left as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchDocument } from '../../../src/diff';

const HUNK = [
  '@@ -1200,9 +1200,9 @@ static void nested_vmx_sync_pdptrs(struct kvm_vcpu *vcpu)',
  ' }',
  ' ',
  ' static int nested_vmx_check_guest_cr3(struct kvm_vcpu *vcpu,',
  ' \t\t\t\t\t struct vmcs12 *vmcs12)',
  ' {',
  '-\tif (CC(!kvm_vcpu_is_legal_gpa(vcpu, vmcs12->guest_cr3)))',
  '+\tif (CC(!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->guest_cr3)))',
  ' \t\treturn -EINVAL;',
  ' \treturn 0;',
  ' }',
];
const FILE = ['diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c', '--- a/arch/x86/kvm/vmx/nested.c', '+++ b/arch/x86/kvm/vmx/nested.c'];
const mail = (body: string[]) => ['From: R <r@example.org>', 'Subject: Re: [PATCH] KVM: nVMX: x', '', 'On Mon, 2024-05-06 at 10:00 +0200, A wrote:', ...body, '', 'Fine.', ''].join('\n');
/** One more space before each context line, as the client wrote it. */
const stuffed = (lines: string[]) => lines.map(l => (l.startsWith(' ') ? ' ' + l : l));
const quoted = (lines: string[]) => lines.map(l => `> ${l}`);

const CASES: [string, string, string[]][] = [
  ['plain quoted hunk', mail(quoted([...FILE, ...HUNK])), ['nested_vmx_check_guest_cr3']],
  ['quoted hunk, a space added to the context lines (Evolution)', mail(quoted([...FILE, ...stuffed(HUNK)])), ['nested_vmx_check_guest_cr3']],
  ['unquoted hunk, space-stuffed context lines (format=flowed)', mail([...FILE, ...stuffed(HUNK)]), ['nested_vmx_check_guest_cr3']],
];
for (const [what, text, functions] of CASES) {
  test(`flowed space: ${what}`, () => {
    const doc = parsePatchDocument(text);
    assert.equal(doc.hunks.length, 1);
    const h = doc.hunks[0];
    assert.deepEqual(h.changedFunctions, functions);
    assert.equal(h.lines.find(l => l.text.includes('static int'))?.text, 'static int nested_vmx_check_guest_cr3(struct kvm_vcpu *vcpu,');
    assert.equal(h.complete, true);
  });
}

test('flowed space: a hunk inside a block comment keeps its " *" lines', () => {
  const comment = ['@@ -10,4 +10,4 @@ struct kvm_mmu_page_role {', ' /*', '  * the role bits', '- * old words', '+ * new words', '  */'];
  const h = parsePatchDocument(mail(quoted([...FILE, ...comment]))).hunks[0];
  assert.deepEqual(h.lines.map(l => l.text), ['/*', ' * the role bits', ' * old words', ' * new words', ' */']);
});
