// Helpers for the in-host tests: activate the extension, open documents, read hovers and lenses.
import * as vscode from 'vscode';
import path from 'node:path';
import fs from 'node:fs';

export const EXTENSION_ID = 'kvm-patch-review.kvm-patch-review';
/** Repo root (the extension under development). */
export const ROOT = process.env.KVM_REVIEW_ROOT ?? path.resolve(__dirname, '../../..');
/** The seeds folder beside the repo, when present. */
export const SEEDS = path.resolve(ROOT, '../shared/seeds');

/** Activates the extension under test and returns its exports. */
export async function activate(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  await ext.activate();
}

/** Opens a file of the repo (path relative to the root) or an absolute path in an editor. */
export async function open(file: string, language?: string): Promise<vscode.TextDocument> {
  let document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.isAbsolute(file) ? file : path.join(ROOT, file)));
  if (language && document.languageId !== language) document = await vscode.languages.setTextDocumentLanguage(document, language);
  await vscode.window.showTextDocument(document);
  return document;
}

/** The seed file whose name starts with `id`, or undefined when the seeds are absent. */
export function seedFile(id: string): string | undefined {
  if (!fs.existsSync(SEEDS)) return undefined;
  const name = fs.readdirSync(SEEDS).find(f => f.startsWith(`${id}_`));
  return name && path.join(SEEDS, name);
}

/** Position of the `nth` occurrence of `needle` in the document (plus `offset` characters). */
export function positionOf(document: vscode.TextDocument, needle: string, offset = 1, nth = 0): vscode.Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) { at = document.getText().indexOf(needle, at + 1); if (at < 0) throw new Error(`"${needle}" not in ${document.uri.fsPath}`); }
  return document.positionAt(at + offset);
}

/** The text of all hovers at a position. */
export async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  const markdown = hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
  // read it as a person would: markdown escapes and non-breaking spaces undone
  return markdown.replace(/&nbsp;/g, ' ').replace(/\u200b/g, '').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Code lenses of a document, resolved. */
export async function codeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
}

/** Polls `probe` until it returns a truthy value (events arrive late after activation). */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try { const v = await probe(); if (v) return v; } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise(r => setTimeout(r, 100));
  }
}
