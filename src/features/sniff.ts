// Saved pages (.txt) open as Plain Text: when the text reads as a patch mail (a diff header, hunk
// headers, a [PATCH] subject, trailers), a lens on the first line offers the one-click switch to
// the patch-mail language ("Review This File as a Patch", also in the editor title and context menus).
import * as vscode from 'vscode';
import { looksLikePatchMail } from '../core';
import { COMMANDS } from '../platform/commands';

const PLAIN = 'plaintext';

/** Registers the lens for plain-text documents. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(document) {
      if (document.languageId !== PLAIN || document.lineCount < 3 || document.getText().length > 64 * 1024 * 1024) return [];
      const sniff = looksLikePatchMail(document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 400), 0)));
      if (!sniff.patch) return [];
      return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: `$(diff) Looks like a patch mail (${sniff.reason}): Review This File as a Patch`, command: COMMANDS.reviewAsPatch, arguments: [document.uri] })];
    },
  };
  return vscode.Disposable.from(changed, vscode.languages.registerCodeLensProvider({ language: PLAIN }, provider));
}
