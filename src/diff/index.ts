// Facade of the ingestion layer: patch mail text -> PatchDocument (pure, synchronous).
// Thin first version: clean `git format-patch` text through parse-diff. The ingestion issue
// replaces the inside with tolerant recovery; the shapes below are what the editor and CLI use.
import parseDiff from 'parse-diff';

/** Kind of one diff line. */
export type LineKind = 'context' | 'add' | 'del';

/** One line of a hunk body with its place in the document (0-based line). */
export interface DiffLine {
  kind: LineKind;
  /** Line content without quote prefix and without the +/-/space marker. */
  text: string;
  sourceLine: number;
  /** Column in the document where `text` starts. */
  textColumn: number;
  oldLine: number | null;
  newLine: number | null;
}

/** One hunk and where it stands in the document. */
export interface Hunk {
  message: number;
  file: string | null;
  oldStart: number | null; oldLines: number | null;
  newStart: number | null; newLines: number | null;
  quoteDepth: number;
  /** 0-based document line of the `@@` header (or of the first diff line when there is none). */
  sourceLine: number;
  /** 0-based document line of the last body line. */
  endLine: number;
  contextFunction: string | null;
  changedFunctions: string[];
  added: number; removed: number;
  complete: boolean;
  lines: DiffLine[];
}

export interface MessageInfo {
  subject: string; from: string; date: string;
  patch: { version: number; index: number; total: number } | null;
  trailers: { name: string; value: string }[];
  sourceLine: number;
}
export interface ReviewComment { hunk: number; afterSourceLine: number; text: string }
export interface Diagnostic { sourceLine: number; severity: 'error' | 'warning' | 'information'; message: string }

/** Everything recovered from one patch document. */
export interface PatchDocument {
  messages: MessageInfo[];
  hunks: Hunk[];
  comments: ReviewComment[];
  diagnostics: Diagnostic[];
}

const SUBJECT_PREFIX = /\[(?:RFC\s+)?PATCH(?:\s+v(\d+))?(?:\s+(\d+)\/(\d+))?[^\]]*\]/i;

/** Parses a patch mail; never throws on bad input. */
export function parsePatchDocument(text: string): PatchDocument {
  const lines = text.split(/\r?\n/);
  const doc: PatchDocument = { messages: [], hunks: [], comments: [], diagnostics: [] };
  const header = (name: string) => lines.find(l => l.toLowerCase().startsWith(name.toLowerCase() + ':'))?.slice(name.length + 1).trim() ?? '';
  const subject = header('Subject') || lines.find(l => l.trim())?.trim() || '';
  const m = SUBJECT_PREFIX.exec(subject);
  doc.messages.push({
    subject, from: header('From'), date: header('Date'),
    patch: m ? { version: Number(m[1] ?? 1), index: Number(m[2] ?? 1), total: Number(m[3] ?? 1) } : null,
    trailers: lines.map(l => /^([A-Z][A-Za-z-]*-by|Fixes|Link|Cc):\s*(.+)$/.exec(l)).filter((x): x is RegExpExecArray => !!x)
      .map(x => ({ name: x[1], value: x[2] })),
    sourceLine: 0,
  });
  let cursor = 0;
  for (const file of parseDiff(text)) {
    const name = file.to && file.to !== '/dev/null' ? file.to : file.from ?? null;
    for (const chunk of file.chunks) {
      const at = lines.findIndex((l, i) => i >= cursor && l.startsWith('@@') && l.startsWith(chunk.content.trim().slice(0, 20)));
      if (at < 0) continue;
      const ctx = /^@@[^@]*@@\s?(.*)$/.exec(lines[at])?.[1]?.trim() || null;
      const hunk: Hunk = {
        message: 0, file: name, oldStart: chunk.oldStart, oldLines: chunk.oldLines, newStart: chunk.newStart, newLines: chunk.newLines,
        quoteDepth: 0, sourceLine: at, endLine: at, contextFunction: ctx, changedFunctions: [], added: 0, removed: 0, complete: true, lines: [],
      };
      let row = at + 1;
      for (const change of chunk.changes) {
        const kind: LineKind = change.type === 'add' ? 'add' : change.type === 'del' ? 'del' : 'context';
        if (change.content.startsWith('\\')) { row++; continue; }
        hunk.lines.push({
          kind, text: change.content.slice(1), sourceLine: row, textColumn: 1,
          oldLine: change.type === 'add' ? null : change.type === 'del' ? change.ln : change.ln1,
          newLine: change.type === 'del' ? null : change.type === 'add' ? change.ln : change.ln2,
        });
        if (kind === 'add') hunk.added++; else if (kind === 'del') hunk.removed++;
        row++;
      }
      hunk.endLine = row - 1;
      hunk.changedFunctions = ctx ? [functionNameOf(ctx)].filter((n): n is string => !!n) : [];
      doc.hunks.push(hunk);
      cursor = row;
    }
  }
  return doc;
}

/** The function name in a C declarator such as `static int nested_vmx_load_cr3(struct kvm_vcpu *vcpu,`. */
export function functionNameOf(declaration: string): string | undefined {
  return /([A-Za-z_]\w*)\s*\(/.exec(declaration)?.[1];
}

/** The `kvm-review parse --json` shape (cli-contract.md); sourceLine there is 1-based. */
export function toParseJson(doc: PatchDocument) {
  return {
    messages: doc.messages.map(({ subject, from, date, patch, trailers }) => ({ subject, from, date, patch, trailers })),
    hunks: doc.hunks.map(h => ({
      message: h.message, file: h.file, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines,
      quoteDepth: h.quoteDepth, sourceLine: h.sourceLine + 1, contextFunction: h.contextFunction,
      changedFunctions: h.changedFunctions, added: h.added, removed: h.removed, complete: h.complete,
    })),
    comments: doc.comments.map(c => ({ ...c, afterSourceLine: c.afterSourceLine + 1 })),
    diagnostics: doc.diagnostics.map(d => ({ ...d, sourceLine: d.sourceLine + 1 })),
  };
}
