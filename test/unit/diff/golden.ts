// The golden projection of a parsed document: structure, positions (1-based lines) and changed
// functions; no mail prose (seed expectations must hold none), so subjects and comment texts are
// reduced to their presence and line ranges.
import type { PatchDocument } from '../../../src/diff';

export function goldenOf(doc: PatchDocument) {
  return {
    series: doc.series.map(s => ({ revision: s.revision, total: s.total, cover: s.cover, messages: s.messages })),
    messages: doc.messages.map(m => ({
      kind: m.kind, sourceLine: m.sourceLine + 1, endLine: m.endLine + 1, patch: m.patch, rfc: m.rfc,
      hasSubject: m.subject.length > 0, hasFrom: m.from.length > 0, hasDate: m.date.length > 0,
      trailers: m.trailers.map(t => t.name), diffstat: m.diffstat.map(d => d.path),
      commitMessage: m.commitMessage ? [m.commitMessage.startLine + 1, m.commitMessage.endLine + 1] : null,
      baseCommit: m.baseCommit !== null, files: m.files, hunks: m.hunks,
    })),
    files: doc.files.map(f => ({
      message: f.message, oldPath: f.oldPath, newPath: f.newPath, status: f.status, binary: f.binary,
      quoteDepth: f.quoteDepth, sourceLine: f.sourceLine + 1, hunks: f.hunks,
      ...(f.oldBlob !== undefined ? { blobs: `${f.oldBlob}..${f.newBlob}` } : {}),
    })),
    hunks: doc.hunks.map(h => ({
      message: h.message, file: h.file, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines,
      quoteDepth: h.quoteDepth, sourceLine: h.sourceLine + 1, endLine: h.endLine + 1, header: h.header,
      changedFunctions: h.changedFunctions, added: h.added, removed: h.removed, complete: h.complete, repaired: h.repaired,
      lines: h.lines.length,
    })),
    comments: doc.comments.map(c => ({ hunk: c.hunk, afterSourceLine: c.afterSourceLine + 1, startLine: c.startLine + 1, endLine: c.endLine + 1, quoteDepth: c.quoteDepth })),
    diagnostics: doc.diagnostics.map(d => ({ sourceLine: d.sourceLine + 1, code: d.code, severity: d.severity })),
  };
}
