// The series review in a real extension host, through commands: the Series tree, walking hunks
// and patches, the status bar text, draft comments and Draft Reply (the CLI's reply), read-only
// threads for replies already in the mail, per-patch state, the maintainer-rule diagnostics,
// Compare Revisions, the plain-text sniffing lens and the language defaults.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { activate, open, codeLenses, eventually, ROOT } from './util';

const FIX = path.join(ROOT, 'test/fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-host-series-'));
const mbox = (names: string[]) => names.map(n => `From mboxrd@z Thu Jan  1 00:00:00 1970\n${fs.readFileSync(path.join(FIX, 'series', n), 'utf8')}`).join('\n');
const write = (name: string, text: string) => { const f = path.join(tmp, name); fs.writeFileSync(f, text); return f; };

interface Tree { title: string; uri: string; revisions: { version: number; patches: { index: number; subject: string; key: string; state: string; files: { path: string; hunks: number }[] }[] }[] }

describe('series review', () => {
  before(activate);

  it('shows the series tree of an mbx: v1, cover + 2 patches, their files and hunks', async () => {
    const document = await open('test/fixtures/reply/r01-series.mbx');
    const [tree] = await eventually(async () => { const t = await vscode.commands.executeCommand<Tree[]>('kvmPatchReview.internal.seriesTree', document.uri.toString()); return t?.length ? t : undefined; }, 'series tree');
    assert.equal(tree.revisions.length, 1);
    assert.deepEqual(tree.revisions[0].patches.map(p => p.index), [0, 1, 2]);
    assert.deepEqual(tree.revisions[0].patches[2].files, [{ path: 'arch/x86/kvm/vmx/nested.c', hunks: 2 }]);
  });

  it('walks patches and hunks with next/previous and says "Patch N of M" in the status bar', async () => {
    const document = await open('test/fixtures/reply/r01-series.mbx');
    const editor = vscode.window.activeTextEditor!;
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const p1 = await vscode.commands.executeCommand<number>('kvmPatchReview.nextPatch');
    assert.ok(document.lineAt(p1 + 4).text.includes('[PATCH 1/2]'), `${p1}`);
    const h1 = await vscode.commands.executeCommand<number>('kvmPatchReview.nextHunk');
    assert.match(document.lineAt(h1).text, /^@@ -180,6/);
    const h2 = await vscode.commands.executeCommand<number>('kvmPatchReview.nextHunk');
    assert.match(document.lineAt(h2).text, /^@@ -1203,7/);
    assert.equal(await vscode.commands.executeCommand<number>('kvmPatchReview.previousHunk'), h1);
    assert.match(await vscode.commands.executeCommand<string>('kvmPatchReview.internal.statusText'), /Patch 1 of 2/);
  });

  it('two comments give the same reply as kvm-review reply', async () => {
    const document = await open('test/fixtures/reply/r01-series.mbx');
    await vscode.commands.executeCommand('kvmPatchReview.internal.addComment', document.uri.toString(), 89, 'Does the host-state check need the same?');
    const drafts = await vscode.commands.executeCommand<{ sourceLine: number }[]>('kvmPatchReview.internal.addComment', document.uri.toString(), 98, 'Good, this one was inverted before.');
    assert.deepEqual(drafts.map(d => d.sourceLine), [90, 99]);
    await vscode.workspace.getConfiguration('kvmPatchReview').update('reply.from', 'Rev Iewer <rev@example.com>', vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('kvmPatchReview').update('reply.trailers', ['Reviewed-by'], vscode.ConfigurationTarget.Global);
    const text = await vscode.commands.executeCommand<string>('kvmPatchReview.draftReply', document.uri);
    const golden = fs.readFileSync(path.join(FIX, 'reply/r01-series-two-hunks.expected.eml'), 'utf8');
    const body = (t: string) => t.slice(t.indexOf('\n\n'));
    assert.equal(body(text), body(golden));
    assert.equal(vscode.window.activeTextEditor?.document.getText(), text);
  });

  it('shows the replies already in a mail as read-only threads on the lines they answer', async () => {
    const document = await open('test/fixtures/reply/r03-quoted-reply.eml', 'kvm-patch');
    const threads = await eventually(async () => {
      const t = await vscode.commands.executeCommand<{ existing: { line: number; canReply: boolean }[] }>('kvmPatchReview.internal.commentThreads', document.uri.toString());
      return t.existing.length ? t : undefined;
    }, 'existing threads');
    assert.deepEqual(threads.existing.map(t => [t.line + 1, t.canReply]), [[14, false]]);
  });

  it('keeps a patch state, and carries it to a revision where the patch did not change', async () => {
    const v1 = await open(write('v1.mbx', mbox(['v1-0.eml', 'v1-1.eml', 'v1-2.eml'])));
    const editor = vscode.window.activeTextEditor!;
    const at = v1.getText().split('\n').findIndex(l => l.startsWith('Subject: [PATCH 2/2]'));
    editor.selection = new vscode.Selection(at, 0, at, 0);
    assert.equal(await vscode.commands.executeCommand('kvmPatchReview.markReviewed'), 'reviewed');
    const v2 = await open(write('v2.mbx', mbox(['v2-0.eml', 'v2-1.eml', 'v2-2.eml'])));
    const [tree] = await vscode.commands.executeCommand<Tree[]>('kvmPatchReview.internal.seriesTree', v2.uri.toString());
    assert.deepEqual(tree.revisions[0].patches.map(p => [p.index, p.state]), [[0, 'unreviewed'], [1, 'unreviewed'], [2, 'reviewed']]);
  });

  it('compares the two open revisions of the series', async () => {
    await open(path.join(tmp, 'v2.mbx'));
    const text = await vscode.commands.executeCommand<string>('kvmPatchReview.compareRevisions');
    assert.match(text, /^v1 → v2: 1 unchanged, 1 changed/);
    assert.match(text, /1: {2}! 1: {2}\[PATCH v2 1\/2\]/);
  });

  it('puts the maintainer rules in Problems', async () => {
    const file = write('bad.patch', fs.readFileSync(path.join(FIX, 'series/v1-2.eml'), 'utf8').replace('[PATCH 2/2] KVM: nVMX: Use', '[PATCH 2/2] kvm: vmx: use'));
    const document = await open(file);
    const diags = await eventually(() => { const d = vscode.languages.getDiagnostics(document.uri).filter(x => x.source === 'KVM x86 rules'); return d.length ? d : undefined; }, 'rule diagnostics');
    assert.ok(diags.some(d => d.code === 'shortlog-prefix' && d.range.start.line === 3), diags.map(d => `${d.range.start.line} ${String(d.code)}`).join(', '));
  });

  it('offers "Review This File as a Patch" on a saved page that reads as a patch', async () => {
    const file = write('saved-page.txt', fs.readFileSync(path.join(FIX, 'series/v1-1.eml'), 'utf8'));
    const document = await open(file);
    assert.equal(document.languageId, 'plaintext');
    const lenses = await eventually(async () => { const l = await codeLenses(document); return l.length ? l : undefined; }, 'sniff lens');
    assert.equal(lenses[0].command?.command, 'kvmPatchReview.reviewAsPatch');
    assert.match(lenses[0].command?.title ?? '', /Looks like a patch mail/);
  });

  it('sets the patch language defaults: no boxes on non-breaking spaces, no sticky scroll over the first lens', () => {
    const editor = vscode.workspace.getConfiguration('editor', { languageId: 'kvm-patch' });
    assert.equal(editor.get('stickyScroll.enabled'), false);
    assert.equal((editor.get<Record<string, boolean>>('unicodeHighlight.allowedCharacters') ?? {})['\u00a0'], true);
  });
});
