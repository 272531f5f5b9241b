// Hover and "KVM: Explain…" through the real VS Code API: seed positions (a quoted diff line, an
// unquoted diff line inside the hunk that changes the hovered function, prose) and a C file.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import path from 'node:path';
import { activate, open, positionOf, hoverText, seedFile, ROOT, eventually } from './util';

const FIXTURES = process.env.KVM_REVIEW_FIXTURES ?? path.join(ROOT, 'test/fixtures');

describe('KVM model hovers and Explain in a real extension host', () => {
  before(activate);

  it('explains a macro on a quoted diff line of a review reply (seed 002)', async function () {
    const file = seedFile('002');
    if (!file) return this.skip();
    const document = await open(file, 'kvm-patch');
    const text = await hoverText(document, positionOf(document, '-#define KVM_POSSIBLE_CR0_GUEST_BITS', 12));
    assert.match(text, /KVM_POSSIBLE_CR0_GUEST_BITS/);
    assert.match(text, /0x10008/);
    assert.match(text, /TS\|WP/);
  });

  it('summarises what the hunk changes when hovering the function it changes (seed 001)', async function () {
    const file = seedFile('001');
    if (!file) return this.skip();
    const document = await open(file, 'kvm-patch');
    const text = await hoverText(document, positionOf(document, 'static inline bool cpu_has_load_ia32_efer', 22));
    assert.match(text, /cpu_has_load_ia32_efer/);
    assert.match(text, /This hunk:.*VM_EXIT_LOAD_IA32_EFER/);
  });

  it('decodes a VMCS field encoding written in prose (seed 001)', async function () {
    const file = seedFile('001');
    if (!file) return this.skip();
    const document = await open(file, 'kvm-patch');
    const text = await hoverText(document, positionOf(document, '0x0000200a', 4));
    assert.match(text, /VM_ENTRY_MSR_LOAD_ADDR/);
    assert.match(text, /64-bit/);
    assert.match(text, /index `5`/);
  });

  it('reads "bit 62" next to CR3 in prose as LAM_U48 (seed 000)', async function () {
    const file = seedFile('000');
    if (!file) return this.skip();
    const document = await open(file, 'kvm-patch');
    const text = await hoverText(document, positionOf(document, '(bit 62)', 5));
    assert.match(text, /X86_CR3_LAM_U48/);
  });

  it('explains names and masks in a C file', async () => {
    const document = await open(path.join(FIXTURES, 'explain/hover-sample.c'));
    assert.match(await hoverText(document, positionOf(document, 'BIT_ULL(62)', 9)), /X86_CR3_LAM_U48/);
    assert.match(await hoverText(document, positionOf(document, 'BIT_ULL(61)', 2)), /X86_CR3_LAM_U57/);
    const fn = await hoverText(document, positionOf(document, 'nested_vmx_load_cr3', 5));
    assert.match(fn, /Loads a CR3 from vmcs12/);
    assert.match(fn, /Show in model/);
  });

  it('"KVM: Explain…" with a name opens the explanation beside the editor', async () => {
    const markdown = await vscode.commands.executeCommand<string>('kvmPatchReview.explain', 'HOST_CR3');
    assert.match(markdown, /HOST\\?_CR3/);
    assert.match(markdown, /0x6C02/);
    assert.ok(vscode.workspace.textDocuments.some(d => d.uri.scheme === 'kvm-model'), 'a kvm-model document is open');
    // the Markdown preview opens its tab a moment after the command returns
    await eventually(() => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => /HOST_CR3/.test(t.label)), 'the explanation tab');
  });
});
