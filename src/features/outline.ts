// Outline and breadcrumbs for patch mails: series -> message -> file -> hunk (with the functions
// each hunk changes). Positions come straight from the parsed document model.
import * as vscode from 'vscode';
import type { PatchDocument } from '../diff';
import { PATCH_SELECTOR, patchOf } from '../platform/documents';

function lines(document: vscode.TextDocument, start: number, end: number): vscode.Range {
  const last = document.lineCount - 1;
  const s = Math.max(0, Math.min(start, last)), e = Math.max(s, Math.min(end, last));
  return new vscode.Range(s, 0, e, document.lineAt(e).text.length);
}

function symbol(document: vscode.TextDocument, name: string, detail: string, kind: vscode.SymbolKind, start: number, end: number): vscode.DocumentSymbol {
  const range = lines(document, start, end);
  return new vscode.DocumentSymbol(name || '(untitled)', detail, kind, range, lines(document, start, start));
}

/** The symbol tree of a parsed patch document. */
export function symbolsOf(document: vscode.TextDocument, patch: PatchDocument): vscode.DocumentSymbol[] {
  const hunkSymbol = (index: number) => {
    const h = patch.hunks[index];
    const range = h.oldStart === null ? (h.header === 'none' ? 'fragment' : '@@') : `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;
    const name = h.changedFunctions.length ? `${range} ${h.changedFunctions.join(', ')}` : range;
    const detail = [`+${h.added} -${h.removed}`, h.complete ? '' : 'cut short', h.quoteDepth ? `quoted ×${h.quoteDepth}` : ''].filter(Boolean).join(', ');
    return symbol(document, name, detail, vscode.SymbolKind.Function, h.sourceLine, h.endLine);
  };
  return patch.series.map(series => {
    const label = series.total > 1 || series.messages.length > 1 ? `v${series.revision}, ${series.total} patch${series.total === 1 ? '' : 'es'}` : `v${series.revision}`;
    const s = symbol(document, label, series.subject, vscode.SymbolKind.Namespace, series.sourceLine, series.endLine);
    s.children = series.messages.map(mi => {
      const m = patch.messages[mi];
      const prefix = m.patch ? (m.patch.total > 1 || m.patch.index !== 1 ? `${m.patch.index}/${m.patch.total} ` : '') : '';
      const ms = symbol(document, `${prefix}${m.subject || m.kind}`, m.from, vscode.SymbolKind.Module, m.sourceLine, m.endLine);
      const inFile = new Set<number>();
      ms.children = m.files.map(fi => {
        const f = patch.files[fi];
        const path = f.newPath ?? f.oldPath ?? '(file)';
        const fs = symbol(document, path, f.status === 'modified' ? '' : f.status, vscode.SymbolKind.File, f.sourceLine, Math.max(f.endLine, ...f.hunks.map(h => patch.hunks[h].endLine)));
        fs.children = f.hunks.map(h => { inFile.add(h); return hunkSymbol(h); });
        return fs;
      });
      for (const h of m.hunks) if (!inFile.has(h)) ms.children.push(hunkSymbol(h));
      ms.children.sort((a, b) => a.range.start.line - b.range.start.line);
      return ms;
    });
    return s;
  });
}

class PatchSymbolProvider implements vscode.DocumentSymbolProvider {
  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const patch = patchOf(document);
    return patch ? symbolsOf(document, patch) : [];
  }
}

/** Registers the outline (document symbols) for patch documents. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  return vscode.languages.registerDocumentSymbolProvider(PATCH_SELECTOR, new PatchSymbolProvider(), { label: 'Patch' });
}
