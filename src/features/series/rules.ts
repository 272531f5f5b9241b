// The KVM x86 maintainers' rules (maintainer-kvm-x86.rst) as diagnostics on patch mails, in their
// own collection so they read apart from the parser's findings (source "KVM x86 rules").
import * as vscode from 'vscode';
import { checkMaintainerRules } from '../../core';
import { PATCH_LANGUAGE, patchOf, onDidChangeAnalysis } from '../../platform/documents';

/** Registers the rule diagnostics for open patch documents. */
export function registerRules(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('kvm-patch-rules');
  const update = (document: vscode.TextDocument) => {
    if (document.languageId !== PATCH_LANGUAGE) { collection.delete(document.uri); return; }
    const patch = patchOf(document);
    if (!patch) return;
    const lines = document.getText().split(/\r\n|\r|\n/);
    collection.set(document.uri, checkMaintainerRules(patch, lines).map(f => {
      const line = Math.min(f.sourceLine, document.lineCount - 1);
      const d = new vscode.Diagnostic(document.lineAt(line).range, f.message, f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
      d.source = 'KVM x86 rules';
      d.code = f.rule;
      return d;
    }));
  };
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const later = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => update(document), 300));
  };
  const first = setTimeout(() => vscode.workspace.textDocuments.forEach(update), 0);
  return vscode.Disposable.from(
    collection,
    { dispose: () => { clearTimeout(first); for (const t of timers.values()) clearTimeout(t); } },
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument(e => later(e.document)),
    vscode.workspace.onDidCloseTextDocument(d => collection.delete(d.uri)),
    onDidChangeAnalysis(() => vscode.workspace.textDocuments.forEach(update)),
  );
}
