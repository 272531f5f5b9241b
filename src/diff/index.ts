// Facade of the ingestion layer: patch mail text -> PatchDocument (pure, synchronous, linear).
// Messages come from src/mail (mbox/page/section splitting, MIME with line maps), hunks from the
// tolerant recovery in recover.ts, changed functions from src/cfunctions.
import { splitLines, splitMessages, decodeBody, needsDecoding, parsePatchPrefix, readPatchworkJson, type BodyLine } from '../mail';
import { changedFunctionsOf, changedFunctionsOfTexts, heuristicLocator, type CFunctionLocator } from '../cfunctions';
import { recoverMessage, hunkTexts, hunkHasBrace, finishLines, type OpenHunk } from './recover';
import type { MessageInfo, PatchDocument, SeriesInfo } from './types';

export type { LineKind, DiffLine, Hunk, MessageInfo, ReviewComment, Diagnostic, PatchDocument, FileDiff, SeriesInfo, UnparsedRegion, DiffstatEntry } from './types';
export { functionNameOf } from '../cfunctions';
export type { CFunctionLocator } from '../cfunctions';

/** Documents above this size are not analysed unless the caller raises the limit. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Options of `parsePatchDocument`. */
export interface ParseOptions {
  /** Finds C function boundaries (tree-sitter); the brace heuristic is used without one. */
  locator?: CFunctionLocator;
  /** Size limit in UTF-16 code units (about bytes for patch text); default 64 MiB. */
  maxBytes?: number;
  /** Whether to compute changed functions (default true); false gives structure only. */
  functions?: boolean;
}

const C_FILE = /\.(?:c|h|cc|cpp|cxx|hh|hpp|inc|inl)$/i;

function emptyDocument(lineCount: number): PatchDocument {
  return { series: [], messages: [], files: [], hunks: [], comments: [], unparsed: [], diagnostics: [], lineCount };
}

/** Groups messages into series by revision and count (`[PATCH v3 0/5]` .. `5/5`, follow-ups). */
function buildSeries(doc: PatchDocument): void {
  const byKey = new Map<string, number>();
  let last = -1;
  doc.messages.forEach((m, index) => {
    let s: number;
    if (m.patch) {
      const key = `${m.rfc ? 'rfc' : ''}v${m.patch.version}/${m.patch.total}`;
      s = byKey.get(key) ?? -1;
      if (s < 0) {
        doc.series.push({ revision: m.patch.version, total: m.patch.total, cover: null, subject: m.subject, messages: [], sourceLine: m.sourceLine, endLine: m.endLine });
        s = doc.series.length - 1;
        byKey.set(key, s);
      }
    } else if (last >= 0) s = last;
    else {
      doc.series.push({ revision: 1, total: 1, cover: null, subject: m.subject, messages: [], sourceLine: m.sourceLine, endLine: m.endLine });
      s = doc.series.length - 1;
    }
    const series: SeriesInfo = doc.series[s];
    series.messages.push(index);
    series.endLine = Math.max(series.endLine, m.endLine);
    if (m.patch?.index === 0) { series.cover = index; series.subject = m.subject; }
    m.series = s;
    last = s;
  });
}

/** Parses a patch mail, mbox, saved page or review reply. Synchronous; never throws on bad input. */
export function parsePatchDocument(text: string, options: ParseOptions = {}): PatchDocument {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof text !== 'string') text = '';
  if (text.length > maxBytes) {
    const doc = emptyDocument(0);
    const message = `document is ${(text.length / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(1)} MB limit: not analysed (raise kvmPatchReview.maxFileSizeMB to analyse it)`;
    doc.unparsed.push({ startLine: 0, endLine: 0, reason: message });
    doc.diagnostics.push({ sourceLine: 0, endLine: 0, severity: 'information', code: 'too-large', message });
    return doc;
  }
  const lines = splitLines(text);
  const doc = emptyDocument(lines.length);
  const hunkLines: OpenHunk[] = [];
  try {
    const json = readPatchworkJson(text);
    // eslint-disable-next-line no-control-regex
    const oddChars = /[\x00-\x08\x0e-\x1f\ufffd\u00a0]/.test(text);
    parseInto(doc, lines, hunkLines, options.functions === false ? null : options.locator ?? heuristicLocator, json, oddChars);
  } catch (e) {
    // hunks left open by the failure still get their lines
    for (const o of hunkLines) if (o && !o.done) finishLines(o, doc.hunks);
    // A recovery bug must not take the editor down: say so and keep what was recovered.
    doc.diagnostics.push({ sourceLine: 0, endLine: 0, severity: 'warning', code: 'unparsed', message: `internal parse error: ${(e as Error).message}` });
  }
  if (!text.trim()) { doc.messages = []; doc.series = []; }
  // Say so when nothing diff-like was found: the file is shown as it is, but nothing is analysed.
  if (!doc.hunks.length && !doc.files.length && !doc.diagnostics.length) {
    const message = !text.trim() ? 'empty document: no patch to analyse' : 'no diff found: no hunk header, file header or -/+ line run could be recovered';
    doc.diagnostics.push({ sourceLine: 0, endLine: Math.max(0, lines.length - 1), severity: 'information', code: 'no-diff', message });
  }
  return doc;
}

function parseInto(doc: PatchDocument, lines: string[], hunkLines: OpenHunk[], locator: CFunctionLocator | null, json?: ReturnType<typeof readPatchworkJson>, oddChars = true): void {
  let entities = false, mboxrd = false;
  for (let i = 0; i < lines.length && i < 5000; i++) {
    const l = lines[i];
    if (!entities && (l.startsWith('&gt;') || l.includes('-&gt;') || l.includes('&amp;&amp;'))) entities = true;
    if (!mboxrd && /^From (?:mboxrd@z|git@z|patchwork) /.test(l)) mboxrd = true;
  }
  for (const p of json ?? []) {
    const prefix = parsePatchPrefix(p.subject);
    doc.messages.push({
      subject: p.subject, from: p.from, date: p.date, messageId: p.messageId, inReplyTo: '',
      patch: prefix ? { version: prefix.version, index: prefix.index, total: prefix.total } : null, rfc: prefix?.rfc ?? false,
      trailers: [], kind: 'patchwork-json', sourceLine: p.sourceLine, endLine: p.endLine, bodyLine: p.sourceLine,
      commitMessage: null, diffstat: [], baseCommit: null, series: 0, files: [], hunks: [],
    });
    recoverMessage(doc, doc.messages.length - 1, p.body, { entities: false, mboxrd: false, hunkLines });
  }
  const spans = json ? [] : splitMessages(lines);
  for (const span of spans) {
    const prefix = parsePatchPrefix(span.subject);
    const msg: MessageInfo = {
      subject: span.subject, from: span.from, date: span.date, messageId: span.messageId, inReplyTo: span.inReplyTo,
      patch: prefix ? { version: prefix.version, index: prefix.index, total: prefix.total } : null, rfc: prefix?.rfc ?? false,
      trailers: [], kind: span.kind, sourceLine: span.sourceLine, endLine: span.endLine, bodyLine: span.bodyLine,
      commitMessage: null, diffstat: [], baseCommit: null, series: 0, files: [], hunks: [],
    };
    doc.messages.push(msg);
    const end = Math.min(lines.length, span.endLine + 1);
    if (needsDecoding(span.headers)) {
      const body: BodyLine[] = [];
      const bad: { startLine: number; endLine: number; reason: string }[] = [];
      decodeBody(lines, span.headers, span.bodyLine, end, body, bad);
      doc.unparsed.push(...bad);
      recoverMessage(doc, doc.messages.length - 1, body, { entities, mboxrd, hunkLines });
    } else {
      recoverMessage(doc, doc.messages.length - 1, { lines, start: span.bodyLine, end }, { entities, mboxrd, oddChars, hunkLines });
    }
  }
  buildSeries(doc);
  if (locator) {
    for (let k = 0; k < doc.hunks.length; k++) {
      const h = doc.hunks[k];
      if (h.file && !C_FILE.test(h.file)) continue;
      // without an added or removed line no function is changed (changedFunctions stays [])
      if (!h.added && !h.removed) continue;
      const o = hunkLines[k];
      if (o) {
        // nor without a label naming one and without a `{` opening one
        if (h.contextFunction === null && !hunkHasBrace(o)) continue;
        const { texts, kinds } = hunkTexts(o);
        const owners: (string | null)[] = new Array(texts.length).fill(null);
        h.changedFunctions = changedFunctionsOfTexts(texts, kinds, h.contextFunction, locator, owners);
        if (h.changedFunctions.length > 1) h.lineFunctions = owners;
      } else {
        // a short hunk already has its DiffLine objects
        if (h.contextFunction === null && !h.lines.some(l => l.text.includes('{'))) continue;
        const owners: (string | null)[] = new Array(h.lines.length).fill(null);
        h.changedFunctions = changedFunctionsOf(h, locator, owners);
        if (h.changedFunctions.length > 1) h.lineFunctions = owners;
      }
    }
  }
  doc.unparsed.forEach((u, k) => {
    if (k < 1000) doc.diagnostics.push({ sourceLine: u.startLine, endLine: u.endLine, severity: 'information', code: 'unparsed', message: `not parsed: ${u.reason}` });
    else if (k === 1000) doc.diagnostics.push({ sourceLine: 0, endLine: 0, severity: 'information', code: 'unparsed', message: `${doc.unparsed.length} unparsed regions; only the first 1000 are listed` });
  });
  doc.diagnostics.sort((a, b) => a.sourceLine - b.sourceLine);
}

/** The `kvm-review parse --json` shape (cli-contract.md); sourceLine there is 1-based. */
export function toParseJson(doc: PatchDocument) {
  return {
    messages: doc.messages.map(({ subject, from, date, patch, trailers }) => ({ subject, from, date, patch, trailers: trailers.map(({ name, value }) => ({ name, value })) })),
    hunks: doc.hunks.map(h => ({
      message: h.message, file: h.file, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines,
      quoteDepth: h.quoteDepth, sourceLine: h.sourceLine + 1, contextFunction: h.contextFunction,
      changedFunctions: h.changedFunctions, added: h.added, removed: h.removed, complete: h.complete,
    })),
    comments: doc.comments.map(c => ({ hunk: c.hunk, afterSourceLine: c.afterSourceLine + 1, text: c.text })),
    diagnostics: doc.diagnostics.map(d => ({ sourceLine: d.sourceLine + 1, severity: d.severity, message: d.message })),
  };
}
