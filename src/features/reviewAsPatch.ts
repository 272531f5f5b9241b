// "Review This File as a Patch": switches any open document (a saved web page, a .txt mail) to
// the patch-mail language so every feature applies.
import * as vscode from 'vscode';
import { PATCH_LANGUAGE } from '../platform/documents';
import { log } from '../platform/log';
import { COMMANDS } from '../platform/commands';

/** Registers the command. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.reviewAsPatch, async (uri?: vscode.Uri) => {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document) { void vscode.window.showInformationMessage('KVM Patch Review: open a file first.'); return undefined; }
    const switched = await vscode.languages.setTextDocumentLanguage(document, PATCH_LANGUAGE);
    log().info(`reviewing ${document.uri.toString()} as a patch`);
    return switched.languageId;
  });
}
