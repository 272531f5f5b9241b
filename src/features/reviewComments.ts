// Reviewer comments shown against the quoted line they answer: a gutter-side marker after that
// line ("◂ 2 replies below") whose hover shows the discussion, so the review reads in place.
import * as vscode from 'vscode';
import type { PatchDocument, ReviewComment } from '../diff';
import { PATCH_LANGUAGE, patchOf, onDidChangeAnalysis } from '../platform/documents';
import { mdCodeBlock } from '../core';

/** Comments grouped by the line they answer, in document order. */
export function commentsByLine(patch: PatchDocument): Map<number, ReviewComment[]> {
  const by = new Map<number, ReviewComment[]>();
  for (const c of patch.comments) {
    const list = by.get(c.afterSourceLine) ?? [];
    list.push(c);
    by.set(c.afterSourceLine, list);
  }
  return by;
}

/** The decoration options for one editor's document. */
export function decorationsOf(document: vscode.TextDocument, patch: PatchDocument): vscode.DecorationOptions[] {
  const out: vscode.DecorationOptions[] = [];
  for (const [line, comments] of commentsByLine(patch)) {
    if (line >= document.lineCount) continue;
    // Reply text is untrusted: it goes through the one escaper as a code block no line can close
    // (no HTML, no theme icons, no command links: a plain, untrusted MarkdownString).
    const hover = new vscode.MarkdownString('', false);
    hover.isTrusted = false;
    hover.supportHtml = false;
    comments.forEach((c, i) => {
      if (i) hover.appendMarkdown('\n\n---\n\n');
      hover.appendMarkdown(`**Reply at quote depth ${c.quoteDepth}** (line ${c.startLine + 1})\n\n`);
      hover.appendMarkdown(mdCodeBlock(c.text.length > 4000 ? c.text.slice(0, 4000) + '\n…' : c.text));
    });
    const end = document.lineAt(line).range.end;
    out.push({
      range: new vscode.Range(end, end), hoverMessage: hover,
      renderOptions: { after: { contentText: `◂ ${comments.length} repl${comments.length === 1 ? 'y' : 'ies'} below` } },
    });
  }
  return out;
}

/** Registers the comment markers for visible patch editors. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  const marker = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.infoForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  const refresh = (editor: vscode.TextEditor | undefined) => {
    if (!editor) return;
    if (editor.document.languageId !== PATCH_LANGUAGE) { editor.setDecorations(marker, []); return; }
    const patch = patchOf(editor.document);
    editor.setDecorations(marker, patch ? decorationsOf(editor.document, patch) : []);
  };
  const refreshAll = () => vscode.window.visibleTextEditors.forEach(refresh);
  // editors already visible are decorated right after activation returns, not during it
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(refreshAll, 0);
  return vscode.Disposable.from(
    marker,
    vscode.window.onDidChangeVisibleTextEditors(refreshAll),
    vscode.workspace.onDidChangeTextDocument(e => {
      clearTimeout(timer);
      timer = setTimeout(() => vscode.window.visibleTextEditors.filter(x => x.document === e.document).forEach(refresh), 250);
    }),
    vscode.workspace.onDidOpenTextDocument(() => refreshAll()),
    onDidChangeAnalysis(refreshAll),
    { dispose: () => clearTimeout(timer) },
  );
}
