// Folding ranges for patch mails: each message, each file diff and each hunk folds.
import * as vscode from 'vscode';
import type { PatchDocument } from '../diff';
import { PATCH_SELECTOR, patchOf } from '../platform/documents';

/** Folding ranges of a parsed patch (0-based lines, end > start). */
export function foldingRangesOf(patch: PatchDocument, lineCount: number): vscode.FoldingRange[] {
  const out: vscode.FoldingRange[] = [];
  const seen = new Set<string>();
  const add = (start: number, end: number, kind?: vscode.FoldingRangeKind) => {
    const e = Math.min(end, lineCount - 1);
    if (e <= start || seen.has(`${start}:${e}`)) return;
    seen.add(`${start}:${e}`);
    out.push(new vscode.FoldingRange(start, e, kind));
  };
  for (const m of patch.messages) {
    add(m.sourceLine, m.endLine);
    if (m.commitMessage) add(m.commitMessage.startLine, m.commitMessage.endLine, vscode.FoldingRangeKind.Comment);
  }
  for (const f of patch.files) add(f.sourceLine, Math.max(f.endLine, ...f.hunks.map(h => patch.hunks[h].endLine)));
  for (const h of patch.hunks) add(h.sourceLine, h.endLine);
  for (const c of patch.comments) add(c.startLine, c.endLine, vscode.FoldingRangeKind.Comment);
  return out;
}

class PatchFoldingProvider implements vscode.FoldingRangeProvider {
  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    const patch = patchOf(document);
    return patch ? foldingRangesOf(patch, document.lineCount) : [];
  }
}

/** Registers folding for patch documents. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  return vscode.languages.registerFoldingRangeProvider(PATCH_SELECTOR, new PatchFoldingProvider());
}
