// Hostile documents in the real extension host (issue 10): lens refreshes of a document with
// 20,000 hunks that each redefine a macro are cached per document version; hovers over patch
// text carry no theme icons, HTML or live links from it.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { activate, codeLenses, eventually, open, positionOf } from './util';

describe('hardening against hostile patch mails', function () {
  this.timeout(180000);
  before(activate);

  it('refreshes the lenses of 20,000 macro-redefining hunks quickly: computed once per version, at most 2,000 lenses', async () => {
    const hunk = (i: number) => [`@@ -${10 + i * 10},1 +${10 + i * 10},1 @@`, '-#define KVM_POSSIBLE_CR0_GUEST_BITS	(X86_CR0_TS | X86_CR0_WP)', '+#define KVM_POSSIBLE_CR0_GUEST_BITS	X86_CR0_TS'].join('\n');
    const text = ['From: a <a@example.invalid>', 'Subject: [PATCH] KVM: x86: 20,000 redefinitions', '', '---',
      'diff --git a/arch/x86/kvm/kvm_cache_regs.h b/arch/x86/kvm/kvm_cache_regs.h', '--- a/arch/x86/kvm/kvm_cache_regs.h', '+++ b/arch/x86/kvm/kvm_cache_regs.h',
      ...Array.from({ length: 20000 }, (_, i) => hunk(i)), ''].join('\n');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-lens-')), 'redefine.patch');
    fs.writeFileSync(file, text);
    const document = await open(file);
    let t0 = Date.now();
    const first = await eventually(async () => { const l = await codeLenses(document); return l.length ? l : undefined; }, 'lenses', 120000);
    assert.equal(first.length, 2000);
    const firstMs = Date.now() - t0;
    const times: number[] = [];
    for (let k = 0; k < 3; k++) { t0 = Date.now(); const again = await codeLenses(document); times.push(Date.now() - t0); assert.equal(again.length, first.length); }
    console.log(`      lenses: ${first.length}; first ${firstMs} ms, refreshes ${times.join(', ')} ms`);
    assert.ok(Math.max(...times) < 5000, `refreshes took ${times.join(', ')} ms`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('shows a hunk summary with links, icons and HTML from the patch as text', async () => {
    const text = ['From: a <a@example.invalid>', 'Subject: [PATCH] KVM: nVMX: hostile summary', '', '---',
      'diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c', '--- a/arch/x86/kvm/vmx/nested.c', '+++ b/arch/x86/kvm/vmx/nested.c',
      '@@ -1095,4 +1095,4 @@ static int nested_vmx_load_cr3(struct kvm_vcpu *vcpu, unsigned long cr3,',
      ' {', '-\tif (CC(!kvm_vcpu_is_legal_cr3(vcpu, cr3))) {', '+\tif (CC(!kvm_vcpu_is_legal_cr3(vcpu, cr3) || www.evil.example || $(zap) || <img src=x>)) {', ' \t\treturn -EINVAL;', ''].join('\n');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-hover-')), 'summary.patch');
    fs.writeFileSync(file, text);
    const document = await open(file);
    const hovers = await eventually(async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, 'nested_vmx_load_cr3(struct', 3));
      return h.length ? h : undefined;
    }, 'a hover');
    const md = hovers.flatMap(h => h.contents).filter((c): c is vscode.MarkdownString => typeof c !== 'string' && 'value' in c);
    assert.ok(md.length);
    for (const m of md) {
      assert.equal(m.supportThemeIcons ?? false, false);
      assert.equal(m.supportHtml ?? false, false);
      assert.doesNotMatch(m.value, /www\.evil|\$\(zap|<img/);
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
