// Ingestion in a real extension host: outline symbols, folding, diagnostics and comment markers.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { activate, open, seedFile, eventually } from './util';

const flatten = (symbols: vscode.DocumentSymbol[]): vscode.DocumentSymbol[] => symbols.flatMap(s => [s, ...flatten(s.children)]);

describe('Patch mail ingestion in a real extension host', () => {
  before(activate);

  it('outlines seed 004 as series -> message -> file -> hunk with changed function names', async function () {
    const file = seedFile('004');
    if (!file) { this.skip(); return; }
    const document = await open(file, 'kvm-patch');
    const symbols = await eventually(async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
      return s?.length ? s : undefined;
    }, 'document symbols');
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0].kind, vscode.SymbolKind.Namespace);
    const [message] = symbols[0].children;
    assert.equal(message.kind, vscode.SymbolKind.Module);
    assert.match(message.name, /^49\/54 /);
    assert.deepEqual(message.children.map(f => f.name), ['arch/x86/include/asm/kvm_host.h', 'arch/x86/kvm/svm/nested.c', 'arch/x86/kvm/vmx/nested.c']);
    const hunks = flatten(symbols).filter(s => s.kind === vscode.SymbolKind.Function);
    assert.equal(hunks.length, 4);
    const last = hunks[3];
    assert.match(last.name, /^@@ -1098,6 \+1098,7 @@ nested_vmx_load_cr3$/);
    assert.equal(document.lineAt(last.range.start.line).text.startsWith('@@ -1098,6 +1098,7 @@'), true);
  });

  it('folds messages, files and hunks, and lists a cut hunk as an information diagnostic', async function () {
    const file = seedFile('001');
    if (!file) { this.skip(); return; }
    const document = await open(file, 'kvm-patch');
    const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri);
    const hunkLine = document.getText().split('\n').findIndex(l => l.startsWith('@@ -2614,6 +2632,20 @@'));
    assert.ok(ranges.some(r => r.start === hunkLine && r.end > hunkLine), 'the hunk folds');
    const diagnostics = await eventually(() => {
      const d = vscode.languages.getDiagnostics(document.uri).filter(x => x.source === 'KVM Patch Review');
      return d.length ? d : undefined;
    }, 'diagnostics');
    const cut = diagnostics.find(d => d.code === 'cut-hunk');
    assert.ok(cut, diagnostics.map(d => d.message).join(' | '));
    assert.equal(cut.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(cut.range.start.line, hunkLine);
  });
});
