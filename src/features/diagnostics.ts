// Problems-panel entries (information severity) for hunks cut short, header-less fragments and
// text that could not be parsed, kept up to date as patch documents open, change and close.
import * as vscode from 'vscode';
import type { PatchDocument } from '../diff';
import { PATCH_LANGUAGE, patchOf, onDidChangeAnalysis } from '../platform/documents';
import { settings } from '../platform/config';

const SOURCE = 'KVM Patch Review';

/** vscode diagnostics for a parsed patch. */
export function diagnosticsOf(document: vscode.TextDocument, patch: PatchDocument): vscode.Diagnostic[] {
  const last = Math.max(0, document.lineCount - 1);
  return patch.diagnostics.map(d => {
    // only the first line is marked: a squiggle over a whole quoted hunk and its replies hides them
    const start = Math.min(d.sourceLine, last);
    const range = new vscode.Range(start, 0, start, document.lineAt(start).text.length);
    const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
    const diagnostic = new vscode.Diagnostic(range, d.message, severity);
    diagnostic.source = SOURCE;
    diagnostic.code = d.code;
    return diagnostic;
  });
}

/** Registers the diagnostics collection and its update triggers. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('kvm-patch');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const update = (document: vscode.TextDocument) => {
    if (document.languageId !== PATCH_LANGUAGE) { collection.delete(document.uri); return; }
    const patch = patchOf(document);
    if (!patch) {
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `Not analysed: the document is over kvmPatchReview.maxFileSizeMB (${settings().maxFileSizeMB} MB).`, vscode.DiagnosticSeverity.Information);
      d.source = SOURCE; d.code = 'too-large';
      collection.set(document.uri, [d]);
      return;
    }
    collection.set(document.uri, diagnosticsOf(document, patch));
  };
  const later = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => { timers.delete(key); update(document); }, 250));
  };
  // documents already open are analysed right after activation returns, not during it
  const first = setTimeout(() => vscode.workspace.textDocuments.forEach(update), 0);
  return vscode.Disposable.from(
    { dispose: () => clearTimeout(first) },
    collection,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument(e => later(e.document)),
    vscode.workspace.onDidCloseTextDocument(d => { clearTimeout(timers.get(d.uri.toString())); collection.delete(d.uri); }),
    onDidChangeAnalysis(() => vscode.workspace.textDocuments.forEach(update)),
    { dispose: () => timers.forEach(t => clearTimeout(t)) },
  );
}
