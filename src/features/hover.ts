// Hover explanations of KVM names and numbers, in patch mails (any quote depth) and in C files.
import * as vscode from 'vscode';
import { explain, type Explanation } from '../model';
import { settings } from '../platform/config';
import { PATCH_SELECTOR } from '../platform/documents';

/** A C identifier or a number with optional C suffix. */
export const WORD = /0x[0-9a-fA-F]+(?:[uU]?[lL]{0,2})|\d+|[A-Za-z_][A-Za-z0-9_]*/;

/** Markdown for the readings of one word: the first lines say what it is. */
export function hoverMarkdown(readings: Explanation[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: ['kvmPatchReview.simulatePath', 'kvmPatchReview.explain'] };
  readings.forEach((r, i) => {
    if (i) md.appendMarkdown('\n\n---\n\n');
    md.appendMarkdown(`**${r.name}** — *${r.kind.replace(/_/g, ' ')}*${r.value ? ` \`${r.value}\`` : ''}\n\n`);
    md.appendText(r.summary);
    if (r.details) { md.appendMarkdown('\n\n'); md.appendText(r.details); }
    if (r.sdm) md.appendMarkdown(`\n\n*${r.sdm}*`);
    if (r.kernelFiles.length) md.appendMarkdown(`\n\n${r.kernelFiles.map(f => `\`${f}\``).join(', ')}`);
    for (const p of r.paths ?? []) {
      const args = encodeURIComponent(JSON.stringify([{ pathId: p, function: r.name }]));
      md.appendMarkdown(`\n\n[Simulate ${p}](command:kvmPatchReview.simulatePath?${args})`);
    }
  });
  return md;
}

class KvmHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (document.languageId === 'c' && !settings().hoverInCFiles) return undefined;
    const range = document.getWordRangeAtPosition(position, WORD);
    if (!range) return undefined;
    const readings = explain(document.getText(range));
    return readings.length ? new vscode.Hover(hoverMarkdown(readings), range) : undefined;
  }
}

/** Registers the hover for patch documents and C files. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  return vscode.languages.registerHoverProvider([...(PATCH_SELECTOR as vscode.DocumentFilter[]), { language: 'c' }], new KvmHoverProvider());
}
