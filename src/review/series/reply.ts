// The b4-style review reply (cli-contract.md v2 `reply`): threading headers, an attribution line,
// the original quoted with `> ` and trimmed to what the comments answer, each comment right after
// the line it answers, then the trailers. Pure: the caller passes the mail text and the date.
//
// Trimming keeps, per message: the commit message's first paragraph (at most FIRST_LINES lines);
// per comment on a diff line its file's diff header, its hunk header and at most CONTEXT_LINES
// lines before the anchor; per comment on prose the anchor and at most CONTEXT_LINES lines of its
// paragraph before it. Every other run of lines becomes one `> [...]` line (a run of blank lines
// between kept lines stays a bare `>`). Comments in several messages of a series give one reply
// per message (what `b4 review` sends: each patch is answered in its own thread position).
import { splitLines, splitMessages, decodeBody, needsDecoding, headerValue, quotePrefix, FOOTER, type BodyLine, type MessageSpan } from '../../mail';
import { parsePatchDocument, type PatchDocument, type Hunk } from '../../diff';
import { splitAddressList, bareAddress, displayName, isAddress } from './addresses';

/** One reviewer comment: the 1-based line of the mail it answers and its text. */
export interface ReplyComment { sourceLine: number; text: string }

/** What `buildReplies` needs besides the mail. */
export interface ReplyOptions {
  comments: ReplyComment[];
  /** `Name: value` lines put after the quote; a bare `Name` takes `from` as its value. */
  trailers?: string[];
  /** The replier, `Name <addr>`: the From header. */
  from?: string;
  /** The reply's Date header; omitted when absent. */
  date?: Date;
}

/** One reply mail. */
export interface Reply {
  /** Index of the answered message in the mail (0-based, document order). */
  message: number;
  /** Header fields in order, values unfolded. */
  headers: { name: string; value: string }[];
  /** The body: attribution, trimmed quote, comments, trailers (LF line ends, final newline). */
  body: string;
  /** Headers (folded) + blank line + body: the RFC 5322 message. */
  text: string;
  /** Things the reply could not do (no Message-ID: not threaded; no address to reply to). */
  warnings: string[];
}

/** Bad input (a line outside the mail, a malformed trailer or address): the CLI's exit 2. */
export class ReplyError extends Error {}

/** Lines of the commit message quoted at the top of the reply. */
export const FIRST_LINES = 5;
/** Lines kept before each comment's anchor (the contract's "at most 5"). */
export const CONTEXT_LINES = 5;

const TRAILER_ARG = /^([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?::[ \t]*(\S.*)?)?$/;
const FILE_HEADER_LINE = /^(?:diff --git |index [0-9a-f]|--- |\+\+\+ |similarity index|dissimilarity index|rename (?:from|to) |copy (?:from|to) |new file mode|deleted file mode|old mode|new mode)/;
const PSEUDO_HEADER = /^(?:From|Date|Subject):\s/;
const REPLY_PREFIX = /^(?:\s*(?:re|aw|sv|antw|odp|vs)\s*(?:\[\d+\])?\s*:\s*)+/i;

/** One quotable line of a message body: its text and the document line (0-based) it came from. */
interface Unit { text: string; sourceLine: number }

/** Checks the trailer arguments and gives the `Name: value` lines. */
export function trailerLines(trailers: string[], from?: string): string[] {
  return trailers.map(t => {
    const s = t.trim();
    const m = TRAILER_ARG.exec(s);
    if (!m) throw new ReplyError(`trailer "${t}" is not of the form "Name: value" (e.g. "Reviewed-by: Name <addr>")`);
    if (m[2]) return `${m[1]}: ${m[2].trim()}`;
    if (!from) throw new ReplyError(`trailer "${t}" has no value and there is no --from to take it from`);
    return `${m[1]}: ${from}`;
  });
}

/** Checks the comments file's content: an array of { sourceLine, text } with lines in 1..lineCount. */
export function validateComments(value: unknown, lineCount: number): ReplyComment[] {
  if (!Array.isArray(value)) throw new ReplyError('comments must be a JSON array of { "sourceLine": N, "text": "..." }');
  return value.map((c: unknown, i) => {
    const o = c as { sourceLine?: unknown; text?: unknown } | null;
    if (!o || typeof o !== 'object') throw new ReplyError(`comment ${i + 1} is not an object with sourceLine and text`);
    if (typeof o.sourceLine !== 'number' || !Number.isInteger(o.sourceLine)) throw new ReplyError(`comment ${i + 1}: sourceLine must be an integer (1-based line of the mail)`);
    if (typeof o.text !== 'string' || !o.text.trim()) throw new ReplyError(`comment ${i + 1}: text must be a non-empty string`);
    if (o.sourceLine < 1 || o.sourceLine > lineCount) throw new ReplyError(`comment ${i + 1}: sourceLine ${o.sourceLine} is outside the mail (lines 1..${lineCount})`);
    return { sourceLine: o.sourceLine, text: o.text };
  });
}

/** `<id>` for a Message-ID written with or without its angle brackets; '' for none. */
export function normalizeMessageId(id: string): string {
  const t = id.trim();
  if (!t) return '';
  const m = /<[^<>\s]+>/.exec(t);
  if (m) return m[0];
  return /^\S+@\S+$/.test(t) ? `<${t}>` : '';
}

/** `Re: ` + the subject without its own reply prefixes. */
export function replySubject(subject: string): string {
  return `Re: ${subject.replace(REPLY_PREFIX, '').trim()}`;
}

/** RFC 5322 date-time in UTC (`Thu, 03 Dec 2026 08:26:17 +0000`). */
export function rfc5322Date(d: Date): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${day}, ${p(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Folds a header at the separators of its items so no line passes 78 characters when avoidable. */
function foldHeader(name: string, items: string[], separator: string): string {
  let out = `${name}: `, width = out.length;
  items.forEach((item, i) => {
    const piece = item + (i < items.length - 1 ? separator : '');
    if (i > 0 && width + piece.length > 78) { out = out.trimEnd() + '\n ' ; width = 1; }
    out += piece; width += piece.length;
  });
  return out.trimEnd();
}

/** The body lines of one message as quotable units (MIME-decoded when the message is encoded). */
function unitsOf(lines: string[], span: MessageSpan, mboxrd: boolean): Unit[] {
  const end = Math.min(lines.length, span.endLine + 1);
  let units: Unit[];
  if (needsDecoding(span.headers)) {
    const body: BodyLine[] = [];
    decodeBody(lines, span.headers, span.bodyLine, end, body, []);
    units = body.map(b => ({ text: b.text, sourceLine: b.sourceLine }));
  } else {
    units = [];
    for (let i = span.bodyLine; i < end; i++) units.push({ text: lines[i], sourceLine: i });
  }
  // mboxrd escapes body lines starting with (>*)From: undo one level
  if (mboxrd) for (const u of units) if (/^>+From /.test(u.text)) u.text = u.text.slice(1);
  return units;
}

/** Index of the unit a document line belongs to (the last unit starting at or before it). */
function unitAt(units: Unit[], line: number): number {
  let lo = 0, hi = units.length - 1, best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (units[mid].sourceLine <= line) { best = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return best;
}

const isBlank = (s: string) => s.trim() === '' || s.slice(quotePrefix(s).length).trim() === '';

/** Page and archive chrome before a message's text: saved-page banners, patchwork's
 *  "Message ID / State / Headers show / Series / Commit Message" block, its author-and-date line. */
const CHROME = /^(?:\[Date Prev\]|\[thread overview\]|diff mbox(?: series)?\s*$|Message ID\s|State\s+\S|Headers show\s*$|Series\s.*\|\s*expand\s*$|Commit Message\s*$|.+\s(?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)\w*\.? \d{1,2}, \d{4}, .*UTC(?:\s*\|.*)?$)/;

/** Where the message's own text starts (after blank lines, page chrome and in-body pseudo-headers)
 *  and the units of its first paragraph (at most FIRST_LINES). */
function firstLines(units: Unit[], doc: PatchDocument, messageIndex: number, inDiff: Set<number>): { start: number; lines: number[] } {
  const msg = doc.messages[messageIndex];
  let i = msg.commitMessage ? Math.max(0, unitAt(units, msg.commitMessage.startLine)) : 0;
  // `From: Author` / `Date:` / `Subject:` lines git puts first when the sender is not the author,
  // and the chrome of saved pages
  while (i < units.length && !inDiff.has(i) && (isBlank(units[i].text) || PSEUDO_HEADER.test(units[i].text) || CHROME.test(units[i].text.trim()) || FOOTER.test(units[i].text))) i++;
  const start = i;
  const lines: number[] = [];
  for (; i < units.length && lines.length < FIRST_LINES; i++) {
    const t = units[i].text;
    if (isBlank(t) || inDiff.has(i) || /^---\s*$/.test(t)) break;
    lines.push(i);
  }
  return { start, lines };
}

/** Builds the reply (or one per answered message) to `mailText`. Throws ReplyError on bad input. */
export function buildReplies(mailText: string, options: ReplyOptions): Reply[] {
  const lines = splitLines(mailText);
  // a final newline does not make a line the user can name
  const lineCount = lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  const comments = validateComments(options.comments, lineCount);
  const trailers = trailerLines(options.trailers ?? [], options.from);
  if (options.from !== undefined && !isAddress(options.from)) throw new ReplyError(`--from "${options.from}" is not an address of the form "Name <addr>"`);
  const doc = parsePatchDocument(mailText, { functions: false });
  const spans = splitMessages(lines);
  const mboxrd = lines.slice(0, 5000).some(l => /^From (?:mboxrd@z|git@z|patchwork) /.test(l));

  // which message each comment answers: the span holding its line
  const spanOf = (line0: number) => {
    let s = 0;
    for (let k = 0; k < spans.length; k++) if (spans[k].sourceLine <= line0) s = k;
    return s;
  };
  const byMessage = new Map<number, ReplyComment[]>();
  for (const c of comments) {
    const s = spanOf(c.sourceLine - 1);
    byMessage.set(s, [...(byMessage.get(s) ?? []), c]);
  }
  if (!byMessage.size) {
    // trailers only: answer the cover letter of a series (its trailers apply to every patch), else the first message
    const cover = doc.series[0]?.cover;
    byMessage.set(cover !== null && cover !== undefined && cover < spans.length ? cover : 0, []);
  }
  return [...byMessage.keys()].sort((a, b) => a - b).map(s => replyTo(lines, doc, spans, s, byMessage.get(s)!, trailers, options, mboxrd));
}

/** The message of `doc` that corresponds to span `s` (same first line). */
function messageOfSpan(doc: PatchDocument, spans: MessageSpan[], s: number): number {
  const k = doc.messages.findIndex(m => m.sourceLine === spans[s].sourceLine);
  return k >= 0 ? k : Math.min(s, doc.messages.length - 1);
}

function replyTo(lines: string[], doc: PatchDocument, spans: MessageSpan[], s: number, comments: ReplyComment[], trailers: string[], options: ReplyOptions, mboxrd: boolean): Reply {
  const span = spans[s];
  const m = messageOfSpan(doc, spans, s);
  const msg = doc.messages[m];
  const warnings: string[] = [];
  const units = unitsOf(lines, span, mboxrd);

  // units inside a hunk or a file header of this message, so prose trimming stays out of them
  const hunkOfUnit = new Map<number, Hunk>();
  const inDiff = new Set<number>();
  for (const h of doc.hunks) {
    if (h.message !== m) continue;
    for (let u = Math.max(0, unitAt(units, h.sourceLine)); u < units.length && units[u].sourceLine <= h.endLine; u++) { hunkOfUnit.set(u, h); inDiff.add(u); }
  }
  for (const f of doc.files) {
    if (f.message !== m) continue;
    for (let u = Math.max(0, unitAt(units, f.sourceLine)); u < units.length && units[u].sourceLine <= f.endLine && !hunkOfUnit.has(u); u++) if (FILE_HEADER_LINE.test(units[u].text.slice(quotePrefix(units[u].text).length))) inDiff.add(u);
  }

  const first = firstLines(units, doc, m, inDiff);
  const keep = new Set<number>(first.lines);
  const after = new Map<number, string[]>();
  for (const c of comments) {
    const line0 = c.sourceLine - 1;
    // a comment on a header line (the subject, say) answers the top of the message
    let a = line0 < span.bodyLine ? -1 : unitAt(units, line0);
    if (a < 0) a = keep.size ? Math.max(...keep) : 0;
    if (!units.length) { after.set(-1, [...(after.get(-1) ?? []), c.text]); continue; }
    keep.add(a);
    const h = hunkOfUnit.get(a);
    if (h) {
      const fileHeader = h.fileIndex !== null ? doc.files[h.fileIndex] : undefined;
      if (fileHeader) {
        const first = Math.max(0, unitAt(units, fileHeader.sourceLine));
        for (let u = first; u < units.length && u < a && units[u].sourceLine < h.sourceLine && u - first < 12; u++) {
          if (FILE_HEADER_LINE.test(units[u].text.slice(quotePrefix(units[u].text).length))) keep.add(u);
        }
      }
      const headerUnit = Math.max(0, unitAt(units, h.sourceLine));
      if (h.header !== 'none') keep.add(headerUnit);
      const from = h.header !== 'none' ? headerUnit + 1 : headerUnit;
      for (let u = Math.max(from, a - CONTEXT_LINES); u < a; u++) keep.add(u);
    } else if (inDiff.has(a)) {
      // a file header line: the file header from its start up to the anchor
      for (let u = a - 1; u >= 0 && a - u <= CONTEXT_LINES && inDiff.has(u) && !hunkOfUnit.has(u); u--) keep.add(u);
    } else {
      // prose: the anchor's paragraph, at most CONTEXT_LINES lines of it
      for (let u = a - 1; u >= 0 && a - u <= CONTEXT_LINES && !isBlank(units[u].text) && !inDiff.has(u); u--) keep.add(u);
    }
    after.set(a, [...(after.get(a) ?? []), c.text]);
  }

  // the body
  const body: string[] = [];
  const quote = (t: string) => (t === '' ? '>' : `> ${t}`);
  const attribution = attributionLine(msg.date || span.date, msg.from || span.from);
  body.push(attribution);
  let lastWasComment = false;
  const pushComment = (texts: string[]) => {
    for (const text of texts) {
      const tl = splitLines(text).map(l => l.trimEnd());
      while (tl.length && !tl[0]) tl.shift();
      while (tl.length && !tl[tl.length - 1]) tl.pop();
      if (!lastWasComment) body.push('');
      body.push(...tl, '');
      lastWasComment = true;
    }
  };
  const firstKept = keep.size ? Math.min(...keep) : units.length;
  const lastKept = keep.size ? Math.max(...keep) : -1;
  // what stands before the message's own text (blank lines, page chrome) is left out, not elided
  let u = Math.min(first.start, firstKept);
  while (u < units.length) {
    if (keep.has(u)) {
      body.push(quote(units[u].text)); lastWasComment = false;
      const texts = after.get(u);
      if (texts) pushComment(texts);
      u++;
      continue;
    }
    let e = u;
    let allBlank = true;
    while (e < units.length && !keep.has(e)) { if (!isBlank(units[e].text)) allBlank = false; e++; }
    const leading = u < firstKept, trailing = e > lastKept;
    if (!allBlank) body.push('> [...]');
    else if (!leading && !trailing && !lastWasComment) body.push('>');
    if (!allBlank) lastWasComment = false;
    u = e;
  }
  if (after.has(-1)) pushComment(after.get(-1)!);
  if (trailers.length) {
    if (!lastWasComment) body.push('');
    body.push(...trailers);
  }
  while (body.length && body[body.length - 1] === '') body.pop();

  // the headers
  const field = (name: string) => span.headers?.fields.find(f => f.name.toLowerCase() === name)?.value.trim() ?? '';
  const originalFrom = field('from') || msg.from || span.from;
  const headers: { name: string; value: string }[] = [];
  if (options.from) headers.push({ name: 'From', value: options.from.trim() });
  if (originalFrom && originalFrom.includes('@')) headers.push({ name: 'To', value: originalFrom });
  else warnings.push(`the message shows no sender address${originalFrom ? ` (only "${originalFrom}")` : ''}: no To header`);
  const seen = new Set<string>();
  const cc: string[] = [];
  for (const entry of [...splitAddressList(field('to')), ...splitAddressList(field('cc'))]) {
    const key = bareAddress(entry);
    if (!key || seen.has(key)) continue;
    seen.add(key); cc.push(entry);
  }
  if (cc.length) headers.push({ name: 'Cc', value: cc.join(', ') });
  // the subject decoded (so a `Re:` inside an encoded word is seen), encoded again when not ASCII
  const subject = msg.subject || headerValueOf(field('subject')) || span.subject;
  headers.push({ name: 'Subject', value: encodeHeaderText(replySubject(subject)) });
  if (options.date) headers.push({ name: 'Date', value: rfc5322Date(options.date) });
  const messageId = normalizeMessageId(field('message-id') || msg.messageId || span.messageId);
  if (messageId) {
    const refs: string[] = [...(field('references').match(/<[^<>\s]+>/g) ?? [])];
    if (!refs.length) refs.push(...(field('in-reply-to').match(/<[^<>\s]+>/g) ?? []).slice(0, 1));
    const ids = [...new Set([...refs, messageId])];
    headers.push({ name: 'In-Reply-To', value: messageId });
    headers.push({ name: 'References', value: ids.join(' ') });
  } else warnings.push('the message has no Message-ID: the reply has no In-Reply-To/References and will not be threaded');
  headers.push({ name: 'MIME-Version', value: '1.0' }, { name: 'Content-Type', value: 'text/plain; charset=utf-8' }, { name: 'Content-Transfer-Encoding', value: '8bit' });

  const headerText = headers.map(h => {
    if (h.name === 'References') return foldHeader(h.name, h.value.split(' '), ' ');
    if (h.name === 'Cc') return foldHeader(h.name, cc, ', ');
    return `${h.name}: ${h.value}`;
  }).join('\n');
  const bodyText = body.join('\n') + '\n';
  return { message: m, headers, body: bodyText, text: `${headerText}\n\n${bodyText}`, warnings };
}

/** `On <date>, <name> wrote:` (decoded name; the parts the message lacks are left out). */
export function attributionLine(date: string, from: string): string {
  const name = from ? displayName(headerValueOf(from)) : '';
  const d = date.trim();
  if (d && name) return `On ${d}, ${name} wrote:`;
  if (name) return `${name} wrote:`;
  return d ? `On ${d}, the author wrote:` : 'The author wrote:';
}

/** Header text as is when printable ASCII, else as RFC 2047 UTF-8 Q encoded words (each at most
 *  75 characters, characters never split across words). */
export function encodeHeaderText(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const words: string[] = [];
  let word = '';
  for (const ch of text) {
    let enc = '';
    if (/^[A-Za-z0-9!*+/-]$/.test(ch)) enc = ch;
    else if (ch === ' ') enc = '_';
    else for (const b of new TextEncoder().encode(ch)) enc += '=' + b.toString(16).toUpperCase().padStart(2, '0');
    if (word.length + enc.length > 75 - 12) { words.push(word); word = ''; }
    word += enc;
  }
  if (word) words.push(word);
  return words.map(w => `=?UTF-8?Q?${w}?=`).join(' ');
}

/** RFC 2047-decodes a raw header value. */
function headerValueOf(raw: string): string {
  return headerValue({ fields: [{ name: 'x', value: raw, sourceLine: 0 }], bodyLine: 0 }, 'x');
}

/** Several replies as one mbox (b4's `From git@z` separators, mboxrd escaping); one reply as is. */
export function repliesText(replies: Reply[]): string {
  if (replies.length === 1) return replies[0].text;
  return replies.map(r => `From git@z Thu Jan  1 00:00:00 1970\n${r.text.replace(/^(>*From )/gm, '>$1')}`).join('\n');
}

