// The document model (b4's nouns): series -> message -> file diff -> hunk, with review comments,
// unparsed regions and diagnostics. Every element keeps its 0-based place in the original document.

/** Kind of one diff line. */
export type LineKind = 'context' | 'add' | 'del';

/** One line of a hunk body with its place in the document (0-based line). */
export interface DiffLine {
  kind: LineKind;
  /** Line content without quote prefix and without the +/-/space marker. */
  text: string;
  sourceLine: number;
  /** Column in the document where `text` starts (-1 when the line is encoded, e.g. base64). */
  textColumn: number;
  oldLine: number | null;
  newLine: number | null;
  /** True when the context marker was missing (a web archive or mailer ate the leading space). */
  repaired?: boolean;
}

/** One hunk and where it stands in the document. */
export interface Hunk {
  message: number;
  file: string | null;
  /** Index into PatchDocument.files, or null for a fragment without file header. */
  fileIndex: number | null;
  oldStart: number | null; oldLines: number | null;
  newStart: number | null; newLines: number | null;
  quoteDepth: number;
  /** 0-based document line of the `@@` header (or of the first diff line when there is none). */
  sourceLine: number;
  /** 0-based document line of the last body line. */
  endLine: number;
  /** Text after the second `@@` (where git thinks the hunk starts), or null. */
  contextFunction: string | null;
  /** Functions whose bodies hold an added or removed line (from the hunk body). */
  changedFunctions: string[];
  /** When the hunk changes more than one function: which one holds each line (by index in
   *  `lines`; null for context lines and changed lines outside a function). */
  lineFunctions?: (string | null)[];
  added: number; removed: number;
  /** False when the body has fewer lines than the header's counts (cut short). */
  complete: boolean;
  /** How the hunk was found: a full `@@ -a,b +c,d @@` header, a `@@` without ranges, or bare -/+ lines. */
  header: 'ranges' | 'no-ranges' | 'none';
  /** Whether body lines were recovered from damage (lost leading spaces). */
  repaired: boolean;
  lines: DiffLine[];
}

/** A `path | N +-` diffstat row. */
export interface DiffstatEntry { path: string; changes: string; sourceLine: number }

/** One file of a patch: paths, mode, rename/copy/new/deleted/binary, and its hunks. */
export interface FileDiff {
  message: number;
  oldPath: string | null;
  newPath: string | null;
  status: 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'mode-change' | 'binary';
  oldMode?: string; newMode?: string; similarity?: number;
  /** Abbreviated blob ids of the file before and after, from the `index abc123..def456` line (how b4 finds a base). */
  oldBlob?: string; newBlob?: string;
  binary: boolean;
  quoteDepth: number;
  sourceLine: number;
  endLine: number;
  hunks: number[];
}

/** One message (mail, web page, page section) and what its header and body say. */
export interface MessageInfo {
  subject: string; from: string; date: string;
  messageId: string; inReplyTo: string;
  patch: { version: number; index: number; total: number } | null;
  rfc: boolean;
  trailers: { name: string; value: string; sourceLine: number }[];
  /** How the message was recognised (mbox, mail, page, patchwork, section, outlook, inline...). */
  kind: string;
  sourceLine: number;
  endLine: number;
  /** First body line. */
  bodyLine: number;
  /** Range of the commit message (body up to the `---` line), when there is one. */
  commitMessage: { startLine: number; endLine: number } | null;
  diffstat: DiffstatEntry[];
  baseCommit: string | null;
  /** Index into PatchDocument.series. */
  series: number;
  files: number[];
  hunks: number[];
}

/** Messages of one revision of a series: `[PATCH vN 0/M]` cover plus patches 1..M. */
export interface SeriesInfo {
  revision: number;
  total: number;
  cover: number | null;
  subject: string;
  messages: number[];
  sourceLine: number;
  endLine: number;
}

/** Reviewer text that answers the quoted hunk line just above it. */
export interface ReviewComment {
  hunk: number;
  /** 0-based line of the hunk line the comment answers. */
  afterSourceLine: number;
  text: string;
  /** 0-based first and last line of the comment text. */
  startLine: number;
  endLine: number;
  quoteDepth: number;
}

/** A finding for the Problems panel (cut hunk, unparsed region, fragment, size limit, a MIME part read or not). */
export interface Diagnostic {
  sourceLine: number;
  endLine: number;
  severity: 'error' | 'warning' | 'information';
  code: 'cut-hunk' | 'unparsed' | 'too-large' | 'fragment' | 'undecodable' | 'no-diff' | 'mime-part';
  message: string;
}

/** Text that looked like part of a patch but could not be recovered. */
export interface UnparsedRegion { startLine: number; endLine: number; reason: string }

/** Everything recovered from one patch document. */
export interface PatchDocument {
  series: SeriesInfo[];
  messages: MessageInfo[];
  files: FileDiff[];
  hunks: Hunk[];
  comments: ReviewComment[];
  unparsed: UnparsedRegion[];
  diagnostics: Diagnostic[];
  lineCount: number;
}
