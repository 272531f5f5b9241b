// The TextMate grammar, tokenized with vscode-textmate + vscode-oniguruma as VS Code does.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as vsctm from 'vscode-textmate';
import { loadPatchGrammar } from './tmGrammar';

let grammar: vsctm.IGrammar;

void before(async () => { grammar = await loadPatchGrammar(); });

/** The scopes of the token covering `needle` in `line`. */
function scopesAt(line: string, needle: string): string[] {
  const r = grammar.tokenizeLine(line, vsctm.INITIAL);
  const at = line.indexOf(needle);
  const token = r.tokens.find(t => t.startIndex <= at && at < t.endIndex)!;
  return token.scopes;
}

const CASES: [string, string, string][] = [
  ['Subject: Re: [PATCH v2 1/2] KVM: x', '[PATCH', 'entity.name.tag.patch-prefix.kvm-patch'],
  ['Subject: Re: [PATCH v2 1/2] KVM: x', 'KVM', 'markup.heading.subject.kvm-patch'],
  ['From: A <a@example.org>', 'From', 'keyword.other.header.kvm-patch'],
  ['Signed-off-by: A <a@example.org>', 'Signed', 'keyword.other.trailer.kvm-patch'],
  [' arch/x86/kvm/vmx/nested.c | 4 ++--', '++', 'markup.inserted.diff'],
  [' arch/x86/kvm/vmx/nested.c | 4 ++--', 'arch', 'string.unquoted.path.kvm-patch'],
  ['@@ -1098,6 +1098,7 @@ static int nested_vmx_load_cr3(struct kvm_vcpu *vcpu,', 'nested_vmx_load_cr3', 'entity.name.function.hunk-context.kvm-patch'],
  ['@@ -1098,6 +1098,7 @@ static int f(void)', '-1098', 'meta.diff.range.unified.kvm-patch'],
  ['+\tkvm_init_mmu(vcpu);', 'kvm_init_mmu', 'source.c.diff-code.kvm-patch'],
  ['-\treturn 0;', 'return', 'markup.deleted.diff'],
  [' \treturn 0;', 'return', 'source.c.diff-code.kvm-patch'],
  ['> +\tx = 1;', 'x =', 'markup.quote.depth-1.kvm-patch'],
  ['> +\tx = 1;', 'x =', 'markup.inserted.diff'],
  ['>> +\tx = 1;', 'x =', 'markup.quote.depth-2.kvm-patch'],
  ['> > -\tx = 1;', 'x =', 'markup.deleted.diff'],
  ['> > -\tx = 1;', '>', 'punctuation.definition.quote.depth-2.kvm-patch'],
  ['>> > > +\tx = 1;', 'x =', 'markup.quote.depth-4.kvm-patch'],
  ['> > > text', 'text', 'markup.quote.depth-3.kvm-patch'],
  ['> @@ -4478,7 +4478,7 @@ static void load_vmcs12_host_state(struct kvm_vcpu *vcpu,', 'load_vmcs12', 'entity.name.function.hunk-context.kvm-patch'],
  ['> diff --git a/x.c b/x.c', 'diff', 'meta.diff.header.git.kvm-patch'],
  ['From git@z Thu Jan  1 00:00:00 1970', 'git@z', 'comment.line.separator.mbox.kvm-patch'],
];

for (const [line, needle, scope] of CASES) {
  void test(`grammar: "${needle}" in ${JSON.stringify(line.slice(0, 40))} is ${scope}`, () => {
    assert.ok(scopesAt(line, needle).includes(scope), scopesAt(line, needle).join(' '));
  });
}

void test('grammar: each quote depth gets its own scope', () => {
  const depths = ['> x', '>> x', '>>> x', '> > > > x', '>>>>> x', '>>>>>> x'].map(l => scopesAt(l, 'x').find(s => s.startsWith('markup.quote.depth-')));
  assert.deepEqual(depths, [1, 2, 3, 4, 5, 6].map(d => `markup.quote.depth-${d}.kvm-patch`));
});

void test('grammar: quote markers of each depth carry a differently coloured standard scope', () => {
  const families = ['> x', '>> x', '>>> x', '>>>> x', '>>>>> x', '>>>>>> x'].map(l => scopesAt(l, '>').at(-1)!.split('.')[0]);
  assert.equal(new Set(families).size, 6, families.join(' '));
});
