// Tolerant diff recovery over the body lines of one message: quote depths, file headers, hunks
// with `@@` counts used to resynchronise damaged bodies (lost leading spaces, cut quotes),
// header-less fragments, reviewer comments anchored after the quoted line they answer, diffstat,
// trailers and unparsed regions. One pass, no backtracking beyond a bounded look-ahead.
import { quotePrefix, looksLikeC, looksLikeProse, isSpace, decodeEntities, FOOTER, TRAILER, type BodyLine } from '../mail';
import type { DiffLine, FileDiff, Hunk, MessageInfo, PatchDocument, ReviewComment } from './types';

/** A body line with its quote prefix read off. */
interface QLine { text: string; depth: number; sourceLine: number; column: number }

/** Longest line the recovery looks into; longer ones become unparsed regions. */
export const MAX_LINE = 20000;
// Control characters are exactly what binary junk is made of.
// eslint-disable-next-line no-control-regex
const BAD_BYTES = /[\x00-\x08\x0e-\x1f\ufffd]/;
// eslint-disable-next-line no-control-regex
const BAD_BYTES_ALL = /[\x00-\x08\x0e-\x1f\ufffd]/g;
const HUNK_HEADER = /^@@ -(\d{1,9})(?:,(\d{1,9}))? \+(\d{1,9})(?:,(\d{1,9}))? @@(?:@)?(.*)$/;
const NO_RANGE_HEADER = /^@@(?:\s*@@)?\s*(\S.*)?$/;
const RULE = /^\s*(?:[=_~#*-]\s*){5,}$/;
const DIFFSTAT = /^\s*(\S.*?)\s+\|\s+(\d+ ?[+-]*|Bin(?:ary)?\b.*)\s*$/;
const INDEX_BLOBS = /^index ([0-9a-f]{4,64})\.\.([0-9a-f]{4,64})(?:\s|$)/;
const EXTENDED = /^(?:index [0-9a-f]+\.\.[0-9a-f]+|old mode |new mode |deleted file mode |new file mode |similarity index |dissimilarity index |rename from |rename to |copy from |copy to |Binary files |GIT binary patch)/;

/** Document-wide reading options. */
export interface RecoverOptions {
  entities: boolean; mboxrd: boolean;
  /** False when the whole document holds no control characters, U+FFFD or NBSP (skips per-line checks). */
  oddChars?: boolean;
  /** Receives, at each hunk's index in the document, the compact form of its lines. */
  hunkLines?: OpenHunk[];
}

/**
 * The body lines of a message's hunks, kept compact: for each hunk line the index of its body line
 * and its kind bits (no object per line; `Hunk.lines` is built from this on first use).
 */
interface LineStore {
  T: string[]; S: Int32Array; C: Int32Array;
  /** Body line index and kind bits of each hunk line, `n` of them (a body line is in one hunk at most). */
  idx: Int32Array; bits: Uint8Array; n: number;
}

const NO_INDEX = new Int32Array(0), NO_BITS = new Uint8Array(0);

const KIND_BITS = 3, MARKER_BIT = 4, REPAIRED_BIT = 8, STUFFED_BIT = 16;
const KINDS: readonly DiffLine['kind'][] = ['context', 'add', 'del'];

/** A hunk while it is read, and afterwards the compact form of its lines. */
export interface OpenHunk {
  index: number; hunk: Hunk; depth: number;
  oldRem: number; newRem: number; oldNo: number; newNo: number;
  store: LineStore; from: number; count: number; ranged: boolean; old0: number; new0: number;
  /** Whether the hunk got its `lines` (finishLines). */
  done: boolean;
}

/** The DiffLine objects of a hunk, built from its compact form. */
function materialize(o: OpenHunk): DiffLine[] {
  const { T, S, C, idx, bits } = o.store;
  const out: DiffLine[] = new Array(o.count);
  const ranged = o.ranged;
  let oldNo = o.old0, newNo = o.new0;
  for (let k = 0; k < o.count; k++) {
    const i = idx[o.from + k], b = bits[o.from + k];
    const kind = KINDS[b & KIND_BITS], marker = b & MARKER_BIT ? (b & STUFFED_BIT ? 2 : 1) : 0;
    const column = C[i];
    out[k] = {
      kind, text: marker ? T[i].slice(marker) : T[i], sourceLine: S[i], textColumn: column < 0 ? -1 : column + marker,
      oldLine: kind === 'add' || !ranged ? null : oldNo, newLine: kind === 'del' || !ranged ? null : newNo,
      repaired: (b & REPAIRED_BIT) !== 0,
    };
    if (kind !== 'add') oldNo++;
    if (kind !== 'del') newNo++;
  }
  return out;
}

/** Where a parsed hunk keeps the compact form of its lines until `lines` is first read. */
const COMPACT = Symbol('compact hunk lines');

// One shared accessor pair for every hunk, so hunks share their hidden class.
const LINES: PropertyDescriptor = {
  get(this: Hunk & { [COMPACT]?: OpenHunk }): DiffLine[] {
    const o = this[COMPACT];
    const value = o ? materialize(o) : [];
    LINES.set!.call(this, value);
    return value;
  },
  set(this: Hunk & { [COMPACT]?: OpenHunk }, value: DiffLine[]): void {
    Object.defineProperty(this, 'lines', { value, writable: true, enumerable: true, configurable: true });
    if (this[COMPACT]) this[COMPACT] = undefined;
  },
  enumerable: true, configurable: true,
};

/** Hunks of at most this many lines get their DiffLine objects at once (cheaper than deferring). */
const EAGER_LINES = 4;

/**
 * Gives a closed hunk its `lines`: the DiffLine array itself for a short hunk; otherwise the hunk
 * is replaced (in `hunks` and `o.hunk`) by a copy whose `lines` is an accessor that builds the
 * array on first read (and then stands as an ordinary array property). Returns whether the hunk
 * still needs its compact lines (`o`), i.e. whether it was deferred.
 */
export function finishLines(o: OpenHunk, hunks: Hunk[]): boolean {
  if (o.done) return o.count > EAGER_LINES;
  o.done = true;
  const h = o.hunk;
  if (o.count <= EAGER_LINES) { h.lines = materialize(o); return false; }
  // a copy without the `lines` data property: turning a data property into an accessor would
  // leave the object in slow (dictionary) mode
  const lazy = {
    message: h.message, file: h.file, fileIndex: h.fileIndex, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines,
    quoteDepth: h.quoteDepth, sourceLine: h.sourceLine, endLine: h.endLine, contextFunction: h.contextFunction, changedFunctions: h.changedFunctions,
    added: h.added, removed: h.removed, complete: h.complete, header: h.header, repaired: h.repaired,
  };
  Object.defineProperty(lazy, COMPACT, { value: o, writable: true, enumerable: false, configurable: true });
  Object.defineProperty(lazy, 'lines', LINES);
  o.hunk = lazy as Hunk;
  hunks[o.index] = o.hunk;
  return true;
}

/** Whether a line of the hunk holds a `{` (without one, and without an `@@` label, no function is found). */
export function hunkHasBrace(o: OpenHunk): boolean {
  const { T, idx } = o.store;
  for (let k = o.from, end = o.from + o.count; k < end; k++) if (T[idx[k]].indexOf('{') >= 0) return true;
  return false;
}

/** Marker-less texts and kinds (0 context, 1 add, 2 del) of a hunk's lines, for src/cfunctions. */
export function hunkTexts(o: OpenHunk): { texts: string[]; kinds: number[] } {
  const { T, idx, bits } = o.store;
  const texts: string[] = [], kinds: number[] = [];
  for (let k = o.from, end = o.from + o.count; k < end; k++) {
    const i = idx[k], b = bits[k];
    texts.push(b & MARKER_BIT ? T[i].slice(b & STUFFED_BIT ? 2 : 1) : T[i]);
    kinds.push(b & KIND_BITS);
  }
  return { texts, kinds };
}

interface PendingComment { depth: number; lines: QLine[] }

/** Body lines of a message with their quote prefixes read off, as parallel arrays (no object per line). */
export interface QuotedLines { texts: string[]; depth: Int32Array; source: Int32Array; column: Int32Array }

/** Where body lines come from: document lines [start, end) as they are, or decoded MIME lines. */
export type BodySource = { lines: string[]; start: number; end: number } | BodyLine[];

function toQLines(body: BodySource, opts: RecoverOptions, doc: PatchDocument): QuotedLines {
  const plain = !Array.isArray(body);
  const odd = opts.oddChars !== false;
  const count = plain ? Math.max(0, body.end - body.start) : body.length;
  // plain lines are taken as they are (the document's own array when the body is all of it) and
  // copied only when one of them has to change
  let texts: string[] = !plain ? new Array(count) : body.start === 0 && body.end === body.lines.length ? body.lines : body.lines.slice(body.start, body.start + count);
  let shared = plain && texts === body.lines;
  const put = (k: number, value: string) => {
    if (shared) { texts = texts.slice(); shared = false; }
    texts[k] = value;
  };
  const depth = new Int32Array(count), source = new Int32Array(count), column = new Int32Array(count);
  let badFrom = -1, badTo = -1;
  const flushBad = () => {
    if (badFrom >= 0) doc.unparsed.push({ startLine: badFrom, endLine: badTo, reason: 'binary or undecodable bytes' });
    badFrom = -1;
  };
  for (let k = 0; k < count; k++) {
    let raw: string, line: number, col: number;
    if (plain) { raw = texts[k]; line = body.start + k; col = 0; }
    else { const b = body[k]; raw = b.text; line = b.sourceLine; col = b.column; }
    source[k] = line;
    if (raw.length > MAX_LINE) {
      flushBad();
      const lost = raw.includes('diff --git') || raw.includes('@@ -');
      doc.unparsed.push({ startLine: line, endLine: line, reason: lost ? `diff text with its line breaks lost (one line of ${raw.length} characters)` : `line of ${raw.length} characters not analysed` });
      put(k, ''); column[k] = col;
      continue;
    }
    if (odd && BAD_BYTES.test(raw) && raw.replace(BAD_BYTES_ALL, '').length < raw.length * 0.9 + 1) {
      if (badFrom < 0) badFrom = line;
      badTo = line;
      put(k, ''); column[k] = col;
      continue;
    }
    flushBad();
    let shift = 0;
    if (opts.entities && raw.includes('&')) {
      const decoded = decodeEntities(raw);
      const rawPrefix = /^(?:&gt;|>)(?: ?(?:&gt;|>))* ?/.exec(raw)?.[0].length ?? 0;
      shift = rawPrefix - quotePrefix(decoded).length;
      raw = decoded;
    }
    const first = raw.charCodeAt(0);
    if (first === 62 && opts.mboxrd && /^>+From /.test(raw)) { raw = raw.slice(1); shift++; }
    if (odd && raw.includes('\u00a0')) raw = raw.replace(/\u00a0/g, ' ');
    if (raw.charCodeAt(0) === 62) {
      // quotePrefix(raw), without an object per line
      let q = 0, d = 0;
      while (q < raw.length) {
        const c = raw.charCodeAt(q);
        if (c === 62) { d++; q++; continue; }
        if (c === 32 && raw.charCodeAt(q + 1) === 62) { q++; continue; }
        break;
      }
      if (raw.charCodeAt(q) === 32) q++;
      put(k, raw.slice(q)); depth[k] = d;
      column[k] = col < 0 ? -1 : col + q + shift;
    } else {
      if (!plain || raw !== texts[k]) put(k, raw);
      column[k] = col < 0 ? -1 : col + shift;
    }
  }
  flushBad();
  return { texts, depth, source, column };
}

/** Whether `t` from `from` on is empty or white space only (`!t.slice(from).trim()`). */
function blank(t: string, from = 0): boolean {
  for (let k = from; k < t.length; k++) if (!isSpace(t.charCodeAt(k))) return false;
  return true;
}

/**
 * False when `looksLikeProse(t.slice(1))` is false for sure: its trimmed text is empty, starts
 * with `*`, `#`, `{`, `}`, `/*` or `//`, or ends with `;`, `{` or `}` (read without slicing).
 */
function mayBeProse(t: string): boolean {
  let a = 1, b = t.length - 1;
  while (a <= b && isSpace(t.charCodeAt(a))) a++;
  while (b >= a && isSpace(t.charCodeAt(b))) b--;
  if (a > b) return false;
  const first = t.charCodeAt(a), last = t.charCodeAt(b);
  if (first === 42 || first === 35 || first === 123 || first === 125) return false;
  if (first === 47 && a < b && (t.charCodeAt(a + 1) === 42 || t.charCodeAt(a + 1) === 47)) return false;
  return !(last === 59 || last === 123 || last === 125);
}

function num(s: string | undefined, dflt: number): number { return s === undefined ? dflt : Number(s); }

function stripPath(p: string): string | null {
  const t = p.trim().replace(/^"|"$/g, '').replace(/\t.*$/, '');
  if (t === '/dev/null') return null;
  return t.replace(/^[ab]\//, '');
}

/** Most diagnostics of one kind a document gets; past it one summary stands for the rest. */
export const MAX_DIAGNOSTICS_PER_KIND = 1000;
/** Diagnostics of each kind a document got so far. */
interface Budget { 'cut-hunk': number; fragment: number }
const counts = new WeakMap<PatchDocument, Budget>();

function budgetOf(doc: PatchDocument): Budget {
  let b = counts.get(doc);
  if (!b) { b = { 'cut-hunk': 0, fragment: 0 }; counts.set(doc, b); }
  return b;
}

function diagnosticBudget(doc: PatchDocument, budget: Budget, code: 'cut-hunk' | 'fragment'): boolean {
  const k = ++budget[code];
  if (k === MAX_DIAGNOSTICS_PER_KIND + 1) {
    doc.diagnostics.push({ sourceLine: 0, endLine: 0, severity: 'information', code, message: `more than ${MAX_DIAGNOSTICS_PER_KIND} ${code === 'cut-hunk' ? 'cut hunks' : 'header-less fragments'}; only the first ${MAX_DIAGNOSTICS_PER_KIND} are listed` });
  }
  return k <= MAX_DIAGNOSTICS_PER_KIND;
}

/** Recovers files, hunks, comments, diffstat and trailers of message `m` into `doc`. */
export function recoverMessage(doc: PatchDocument, m: number, body: BodySource, opts: RecoverOptions): void {
  const msg: MessageInfo = doc.messages[m];
  const Q = toQLines(body, opts, doc);
  const T = Q.texts, D = Q.depth, S = Q.source;
  const n = T.length;
  const store: LineStore = { T, S, C: Q.column, idx: NO_INDEX, bits: NO_BITS, n: 0 };
  const sink = opts.hunkLines;
  const budget = budgetOf(doc);
  const at = (i: number): QLine => ({ text: T[i], depth: D[i], sourceLine: S[i], column: Q.column[i] });
  const fileAt = new Map<number, number>();
  let open: OpenHunk | null = null;
  let anchor: { hunk: number; line: number; depth: number } | null = null;
  let pending: PendingComment | null = null;
  let seenDiff = false;
  let commitEnd = -1;

  const flushComment = () => {
    if (!pending || !anchor) { pending = null; return; }
    const lines = pending.lines;
    while (lines.length && !lines[lines.length - 1].text.trim()) lines.pop();
    while (lines.length && !lines[0].text.trim()) lines.shift();
    if (lines.length && lines.some(l => /[A-Za-z0-9\u00C0-\uFFFF]/.test(l.text))) {
      const c: ReviewComment = {
        hunk: anchor.hunk, afterSourceLine: anchor.line, text: lines.map(l => l.text).join('\n'),
        startLine: lines[0].sourceLine, endLine: lines[lines.length - 1].sourceLine, quoteDepth: pending.depth,
      };
      doc.comments.push(c);
    }
    pending = null;
  };
  const addComment = (l: QLine) => {
    if (FOOTER.test(l.text)) { flushComment(); anchor = null; return; }
    if (pending && pending.depth !== l.depth && l.text.trim()) flushComment();
    if (!pending) { if (!l.text.trim()) return; pending = { depth: l.depth, lines: [] }; }
    pending.lines.push(l);
  };

  /** A file starting at body line `i`. */
  /** The blob ids of an `index abc123..def456 [mode]` line. */
  const setBlobs = (f: FileDiff, t: string): void => {
    const b = INDEX_BLOBS.exec(t);
    if (b) { f.oldBlob = b[1]; f.newBlob = b[2]; }
  };

  const newFile = (i: number, oldPath: string | null, newPath: string | null): number => {
    const f: FileDiff = {
      message: m, oldPath, newPath, status: 'modified', binary: false, quoteDepth: D[i],
      sourceLine: S[i], endLine: S[i], hunks: [],
    };
    doc.files.push(f);
    msg.files.push(doc.files.length - 1);
    fileAt.set(D[i], doc.files.length - 1);
    return doc.files.length - 1;
  };

  /** A hunk whose header (or first line) is body line `i`. */
  const startHunk = (i: number, header: Hunk['header'], ranges: RegExpExecArray | null, context: string | null): OpenHunk => {
    const depth = D[i], sourceLine = S[i];
    const fileIndex = fileAt.get(depth) ?? null;
    const file = fileIndex === null ? null : doc.files[fileIndex];
    const ctx = context ? context.trim() : '';
    const shell: Hunk = {
      message: m, file: file ? (file.newPath ?? file.oldPath) : null, fileIndex,
      oldStart: ranges ? num(ranges[1], 0) : null, oldLines: ranges ? num(ranges[2], 1) : null,
      newStart: ranges ? num(ranges[3], 0) : null, newLines: ranges ? num(ranges[4], 1) : null,
      quoteDepth: depth, sourceLine, endLine: sourceLine,
      contextFunction: ctx ? ctx : null, changedFunctions: [],
      added: 0, removed: 0, complete: true, header, repaired: false,
      // set when the hunk is closed (finishLines)
      lines: null as unknown as DiffLine[],
    };
    const index = doc.hunks.length;
    const o: OpenHunk = {
      index, hunk: shell, depth, oldRem: shell.oldLines ?? 0, newRem: shell.newLines ?? 0, oldNo: shell.oldStart ?? 0, newNo: shell.newStart ?? 0,
      store, from: store.n, count: 0, ranged: header === 'ranges', old0: shell.oldStart ?? 0, new0: shell.newStart ?? 0, done: false,
    };
    doc.hunks.push(shell);
    if (sink) sink[index] = o;
    msg.hunks.push(index);
    if (file) { file.hunks.push(index); file.endLine = sourceLine; }
    seenDiff = true;
    return o;
  };

  /** Closes the hunk's lines; a short hunk's compact form is not kept. */
  const finish = (o: OpenHunk) => {
    if (!finishLines(o, doc.hunks) && sink) sink[o.index] = undefined as unknown as OpenHunk;
  };

  const pushLine = (o: OpenHunk, i: number, kind: 0 | 1 | 2, marker: boolean, repaired = false) => {
    const h = o.hunk;
    const sourceLine = S[i];
    if (store.n === store.idx.length) {
      // room for every body line at once: each is in one hunk at most
      const idx = new Int32Array(Math.max(n, store.n + 1)), bits = new Uint8Array(idx.length);
      idx.set(store.idx); bits.set(store.bits);
      store.idx = idx; store.bits = bits;
    }
    store.idx[store.n] = i;
    store.bits[store.n++] = kind | (marker ? MARKER_BIT : 0) | (repaired ? REPAIRED_BIT : 0);
    o.count++;
    if (repaired) h.repaired = true;
    if (kind !== 1) { o.oldNo++; o.oldRem--; }
    if (kind !== 2) { o.newNo++; o.newRem--; }
    if (kind === 1) h.added++; else if (kind === 2) h.removed++;
    h.endLine = sourceLine;
    if (h.fileIndex !== null) doc.files[h.fileIndex].endLine = sourceLine;
  };

  const structural = (t: string) => t.startsWith('@@') || t.startsWith('diff --git ') || t.startsWith('index ') && /^index [0-9a-f]+\.\.[0-9a-f]+/.test(t);

  /** Tries to take `l` into the open hunk; false ends the hunk. */
  const consume = (o: OpenHunk, i: number): boolean => {
    const t = T[i], h = o.hunk;
    if (t.startsWith('@@') || t.startsWith('diff --git ')) return false;
    const c = t.charCodeAt(0);
    if (c === 92 /* \ */ && /^\\ No newline/i.test(t)) { h.endLine = S[i]; return true; }
    if (h.header !== 'ranges') {
      if (c === 43) { if (t.startsWith('+++ ')) return false; pushLine(o, i, 1, true); return true; }
      if (c === 45) { if (t.startsWith('--- ') || t === '--' || t === '-- ') return false; pushLine(o, i, 2, true); return true; }
      if (c === 32) { pushLine(o, i, 0, true); return true; }
      return false;
    }
    if (o.oldRem <= 0 && o.newRem <= 0) return false;
    if (c === 43 /* + */) { if (o.newRem <= 0) return false; pushLine(o, i, 1, true); return true; }
    if (c === 45 /* - */) {
      if (o.oldRem <= 0) return false;
      if (t.startsWith('--- ') && (T[i + 1] ?? '').startsWith('+++ ')) return false;
      if ((t === '-- ' || t === '--') && /^\d+\.\d+/.test(T[i + 1] ?? '')) return false;
      pushLine(o, i, 2, true); return true;
    }
    if (o.oldRem <= 0 || o.newRem <= 0) return false;
    if (c === 32) { pushLine(o, i, 0, true); return true; }
    if (t === '' || !t.trim()) { pushLine(o, i, 0, false, true); return true; }
    if (looksLikeProse(t) || FOOTER.test(t) || RULE.test(t) || structural(t) || /^(?:From |Subject: |base-commit: |Signed-off-by: )/.test(t)) return false;
    pushLine(o, i, 0, false, true);
    return true;
  };

  /**
   * The flowed-space rule: a mail client (format=flowed space-stuffing, Evolution's quoting) put one
   * space more before every context line, so " static int f(" reads "  static int f(" and no
   * function starts in the hunk. Taken when every non-blank context line starts with that extra
   * space, some of them with code after it (not a comment's " *"), while the changed lines do not
   * all start with a space (a hunk inside a block comment has " *" on every line, changed or not).
   */
  const unstuffContext = (o: OpenHunk) => {
    let code = 0, changed = 0, changedSpaced = 0;
    for (let k = o.from, end = o.from + o.count; k < end; k++) {
      const b = store.bits[k];
      if (!(b & MARKER_BIT)) { if (T[store.idx[k]].trim()) return; continue; }
      const text = T[store.idx[k]];
      if ((b & KIND_BITS) !== 0) { changed++; if (text.charCodeAt(1) === 32) changedSpaced++; continue; }
      if (!text.slice(1).trim()) continue;
      if (text.charCodeAt(1) !== 32) return;
      const next = text.charCodeAt(2);
      if (next !== 32 && next !== 42 /* * */) code++;
    }
    if (!code || !changed || changedSpaced === changed) return;
    for (let k = o.from, end = o.from + o.count; k < end; k++) {
      const b = store.bits[k];
      if ((b & MARKER_BIT) && (b & KIND_BITS) === 0 && T[store.idx[k]].charCodeAt(1) === 32) store.bits[k] = b | STUFFED_BIT;
    }
  };

  const closeHunk = (o: OpenHunk) => {
    unstuffContext(o);
    const h = o.hunk;
    if (h.header === 'ranges') {
      if (o.oldRem > 0 || o.newRem > 0) {
        // a cut hunk: blank lines we took as context at its end were more likely quote spacing
        // (repaired lines are context lines without marker: their text is the whole body line)
        while (o.count && store.bits[o.from + o.count - 1] & REPAIRED_BIT && !T[store.idx[o.from + o.count - 1]].trim()) {
          store.n--; o.count--; o.oldRem++; o.newRem++;
        }
        h.endLine = o.count ? S[store.idx[o.from + o.count - 1]] : h.sourceLine;
        let repaired = false;
        for (let k = 0; k < o.count && !repaired; k++) repaired = (store.bits[o.from + k] & REPAIRED_BIT) !== 0;
        h.repaired = repaired;
      }
      h.complete = o.oldRem === 0 && o.newRem === 0;
      if (!h.complete && diagnosticBudget(doc, budget, 'cut-hunk')) {
        doc.diagnostics.push({
          sourceLine: h.sourceLine, endLine: h.endLine, severity: 'information', code: 'cut-hunk',
          message: `hunk cut short: ${(h.oldLines ?? 0) - o.oldRem} of ${h.oldLines} old and ${(h.newLines ?? 0) - o.newRem} of ${h.newLines} new lines present`,
        });
      }
    }
    finish(o);
    open = null;
  };

  /** A run of bare -/+ (and context) lines in prose: accepted when it reads as C. */
  const bareRun = (i: number): number => {
    const run = probeBareRun(i);
    if (!run) return i;
    const [a, b] = run;
    const d = D[i];
    flushComment(); anchor = null;
    const o = startHunk(a, 'none', null, null);
    for (let k = a; k < b; k++) {
      const c = T[k].charCodeAt(0);
      pushLine(o, k, c === 43 ? 1 : c === 45 ? 2 : 0, true);
    }
    if (diagnosticBudget(doc, budget, 'fragment')) doc.diagnostics.push({ sourceLine: o.hunk.sourceLine, endLine: o.hunk.endLine, severity: 'information', code: 'fragment', message: 'diff fragment without a hunk header: line numbers unknown' });
    anchor = { hunk: o.index, line: o.hunk.endLine, depth: d };
    finish(o);
    open = null;
    return b;
  };

  /** The [start, end) of an acceptable bare run at `i`, or null. */
  let noRunBefore = -1;
  const probeBareRun = (i: number): [number, number] | null => {
    const c0 = T[i].charCodeAt(0);
    if (!(c0 === 43 || c0 === 45 || c0 === 32) || T[i].length < 2 || i < noRunBefore) return null;
    const found = scanBareRun(i);
    if (!found) noRunBefore = runEnd;
    return found;
  };
  let runEnd = 0;
  const scanBareRun = (i: number): [number, number] | null => {
    const d = D[i];
    let j = i;
    while (j < n && D[j] === d && j - i < 5000) {
      const t = T[j], c = t.charCodeAt(0);
      if (!(c === 43 || c === 45 || c === 32) || t.startsWith('+++ ') || t.startsWith('--- ') || blank(t)) break;
      j++;
    }
    runEnd = j;
    const a = i;
    let b = j;
    // a run must start with a changed line or a context line reading as C
    if (a < b && T[a].charCodeAt(0) === 32 && !looksLikeC(T[a].slice(1))) return null;
    while (b > a && T[b - 1].charCodeAt(0) === 32 && !looksLikeC(T[b - 1].slice(1))) b--;
    let changed = 0, code = 0;
    for (let k = a; k < b; k++) {
      const t = T[k];
      if (t.charCodeAt(0) === 32) continue;
      changed++;
      const c1 = t.charCodeAt(1);
      if (c1 === 43 || c1 === 45 /* /^[-+]{2}/ */) return null;
      if (/^[-+]\s*\d*\s*$/.test(t) && !blank(t, 1)) return null;
      if (mayBeProse(t) && looksLikeProse(t.slice(1))) return null;
      // one line reading as C is enough
      if (!code && (c1 === 9 || looksLikeC(t.slice(1)))) code++;
    }
    if (!changed || !code) return null;
    return [a, b];
  };

  /** Whether a line below the anchored depth is diff material rather than a comment. */
  const diffish = (i: number): boolean => {
    const t = T[i];
    return structural(t) || /^---\s*$/.test(t) || (t.includes('|') && DIFFSTAT.test(t)) || probeBareRun(i) !== null;
  };

  /** Reads `diff --git` and its extended header lines; returns the next line to look at. */
  const fileHeader = (i: number): number => {
    const i0 = i, l = at(i);
    let text = l.text;
    if (!/ b\//.test(text) && T[i + 1] !== undefined && /^b\//.test(T[i + 1])) { text += ' ' + T[i + 1]; i++; }
    const paths = /^diff --git (?:"?a\/)?(.+?)"? (?:"?b\/)(.+?)"?\s*$/.exec(text);
    const fi = newFile(i0, paths ? paths[1] : null, paths ? paths[2] : null);
    const f = doc.files[fi];
    let k = i + 1;
    for (; k < n && D[k] === l.depth && k - i < 2000; k++) {
      const t = T[k];
      if (EXTENDED.test(t)) {
        if (t.startsWith('new file mode ')) { f.status = 'added'; f.newMode = t.slice(14).trim(); f.oldPath = null; }
        else if (t.startsWith('deleted file mode ')) { f.status = 'deleted'; f.oldMode = t.slice(18).trim(); f.newPath = null; }
        else if (t.startsWith('old mode ')) { f.oldMode = t.slice(9).trim(); if (f.status === 'modified') f.status = 'mode-change'; }
        else if (t.startsWith('new mode ')) f.newMode = t.slice(9).trim();
        else if (t.startsWith('index ')) setBlobs(f, t);
        else if (t.startsWith('similarity index ')) f.similarity = Number.parseInt(t.slice(17), 10);
        else if (t.startsWith('rename from ')) { f.status = 'renamed'; f.oldPath = t.slice(12).trim(); }
        else if (t.startsWith('rename to ')) { f.status = 'renamed'; f.newPath = t.slice(10).trim(); }
        else if (t.startsWith('copy from ')) { f.status = 'copied'; f.oldPath = t.slice(10).trim(); }
        else if (t.startsWith('copy to ')) { f.status = 'copied'; f.newPath = t.slice(8).trim(); }
        else if (t.startsWith('Binary files ')) { f.binary = true; if (f.status === 'modified') f.status = 'binary'; }
        else if (t.startsWith('GIT binary patch')) {
          f.binary = true; if (f.status === 'modified') f.status = 'binary';
          k++;
          while (k < n && D[k] === l.depth && (/^(?:literal|delta) \d+$/.test(T[k]) || /^[A-Za-z][0-9A-Za-z!#$%&()*+;<=>?@^_`{|}~-]{5,}$/.test(T[k]) || (!T[k].trim() && /^(?:literal|delta) \d+$/.test(T[k + 1] ?? '')))) k++;
          k--;
        }
        f.endLine = S[k];
        continue;
      }
      if (t.startsWith('--- ')) { if (f.status !== 'added') f.oldPath = stripPath(t.slice(4)) ?? f.oldPath; f.endLine = S[k]; continue; }
      if (t.startsWith('+++ ')) { if (f.status !== 'deleted') f.newPath = stripPath(t.slice(4)) ?? f.newPath; f.endLine = S[k]; continue; }
      break;
    }
    seenDiff = true;
    return k;
  };

  for (let i = 0; i < n; i++) {
    const depth = D[i], src = S[i];
    const t = T[i];
    if (depth === 0 && (anchor || open) && (!open || open.depth > 0) && t.charCodeAt(0) >= 65 && t.charCodeAt(0) <= 90 && TRAILER.test(t)) {
      // a reviewer's own trailer (Reviewed-by:) after the quoted patch belongs to the reply
      const tr = TRAILER.exec(t)!;
      flushComment();
      msg.trailers.push({ name: tr[1], value: tr[2].trim(), sourceLine: src });
      continue;
    }
    if (open) {
      const o: OpenHunk = open;
      if (depth === o.depth) {
        if (consume(o, i)) {
          if (pending) flushComment();
          if (anchor && anchor.hunk === o.index) anchor.line = src; else anchor = { hunk: o.index, line: src, depth: o.depth };
          continue;
        }
        closeHunk(o);
      } else if (depth < o.depth && !diffish(i)) { addComment(at(i)); continue; }
      else closeHunk(o);
    }
    if (anchor && depth < anchor.depth && !diffish(i)) { addComment(at(i)); continue; }
    if (anchor && t.trim() && depth >= anchor.depth) { flushComment(); anchor = null; }
    if (!t) continue;
    const c = t.charCodeAt(0);
    if (c === 64 /* @ */ && t.startsWith('@@')) {
      flushComment(); anchor = null;
      const r = HUNK_HEADER.exec(t);
      if (r) { open = startHunk(i, 'ranges', r, r[5] ?? null); anchor = { hunk: open.index, line: src, depth: depth }; continue; }
      const nr = t.length < 500 ? NO_RANGE_HEADER.exec(t) : null;
      if (nr && i + 1 < n && D[i + 1] === depth && /^[-+ ]/.test(T[i + 1])) {
        open = startHunk(i, 'no-ranges', null, nr[1] ?? null);
        anchor = { hunk: open.index, line: src, depth: depth };
        continue;
      }
      doc.unparsed.push({ startLine: src, endLine: src, reason: 'unrecognised hunk header' });
      continue;
    }
    if (c === 100 /* d */ && t.startsWith('diff --git ')) { flushComment(); anchor = null; i = fileHeader(i) - 1; continue; }
    if (c === 45 /* - */) {
      if (t.startsWith('--- ') && (T[i + 1] ?? '').startsWith('+++ ') && D[i + 1] === depth) {
        const fi = newFile(i, stripPath(t.slice(4)), stripPath(T[i + 1].slice(4)));
        doc.files[fi].endLine = S[i + 1];
        const f = doc.files[fi];
        if (!f.oldPath && f.newPath) f.status = 'added'; else if (f.oldPath && !f.newPath) f.status = 'deleted';
        seenDiff = true;
        i++;
        continue;
      }
      if (depth === 0 && commitEnd < 0 && !seenDiff && /^---\s*$/.test(t)) { commitEnd = src; continue; }
    }
    if ((T[i + 1] ?? '').startsWith('index ') && /^[\w.+-]+(?:\/[\w.+-]+)+$/.test(t) && /^index [0-9a-f]+\.\.[0-9a-f]+/.test(T[i + 1])) {
      // gitweb commitdiff: a bare path and an index line stand for the file header
      flushComment(); anchor = null;
      setBlobs(doc.files[newFile(i, t, t)], T[i + 1]);
      seenDiff = true;
      i++;
      continue;
    }
    if (c === 98 /* b */ && t.startsWith('base-commit: ')) { msg.baseCommit = t.slice(13).trim(); continue; }
    if (c === 32 && t.startsWith(' @@') && t.length < 500 && D[i + 1] === depth && /^[-+ ]/.test(T[i + 1] ?? '') && !HUNK_HEADER.test(t.slice(1))) {
      // ` @@static int f(...)`: a pasted `@@` line with no ranges behind a stray space
      flushComment(); anchor = null;
      open = startHunk(i, 'no-ranges', null, NO_RANGE_HEADER.exec(t.slice(1))?.[1] ?? null);
      anchor = { hunk: open.index, line: src, depth };
      continue;
    }
    if (c === 43 || c === 45 || c === 32) {
      const end = bareRun(i);
      if (end > i) { i = end - 1; continue; }
    }
    if (depth === 0 && c >= 65 && c <= 90) {
      const tr = TRAILER.exec(t);
      if (tr) { msg.trailers.push({ name: tr[1], value: tr[2].trim(), sourceLine: src }); continue; }
    }
    if (t.includes('|')) {
      const ds = DIFFSTAT.exec(t);
      if (ds && !ds[1].includes(' ') || ds && /[/{}]/.test(ds[1])) { msg.diffstat.push({ path: ds![1], changes: ds![2].trim(), sourceLine: src }); continue; }
    }
  }
  if (open) closeHunk(open);
  flushComment();
  if (commitEnd > msg.bodyLine) msg.commitMessage = { startLine: msg.bodyLine, endLine: commitEnd - 1 };
  for (const fi of msg.files) {
    const f = doc.files[fi];
    if (!f.hunks.length && f.status === 'modified' && !f.binary) {
      doc.unparsed.push({ startLine: f.sourceLine, endLine: f.endLine, reason: `file header for ${f.newPath ?? f.oldPath ?? '?'} without hunks` });
    }
  }
}
