// Hover explanations of KVM names and numbers, in patch mails (any quote depth, prose and diff
// lines) and in C files. The content is computed by the pure model (computeHover); this module
// only adapts it to vscode: the word range, a trusted MarkdownString limited to our two commands.
import * as vscode from 'vscode';
import { computeHover } from '../core';

import { settings } from '../platform/config';
import { PATCH_LANGUAGE, PATCH_SELECTOR, patchOf } from '../platform/documents';
import { span } from '../platform/ranges';
import { LINK_COMMANDS } from '../platform/commands';

/** Lines longer than this are not explained (minified or collapsed web-archive pages). */
const MAX_LINE = 20_000;

/** A hover markdown string whose command links may run only "Simulate" and "Explain". */
export function trustedMarkdown(markdown: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(markdown, true);
  md.isTrusted = { enabledCommands: [...LINK_COMMANDS] };
  return md;
}

class KvmHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const isPatch = document.languageId === PATCH_LANGUAGE;
    if (!isPatch && !settings().hoverInCFiles) return undefined;
    const line = document.lineAt(position.line).text;
    if (line.length > MAX_LINE) return undefined;
    const hunks = isPatch ? patchOf(document)?.hunks ?? [] : [];
    const content = computeHover(line, position.line, position.character, hunks);
    if (!content) return undefined;
    return new vscode.Hover(trustedMarkdown(content.markdown), span(position.line, content.start, content.end));
  }
}

/** Registers the hover for patch documents and C files. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  return vscode.languages.registerHoverProvider([...(PATCH_SELECTOR as vscode.DocumentFilter[]), { language: 'c' }], new KvmHoverProvider());
}
