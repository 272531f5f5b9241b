// Splits a document into messages: mbox separators (format-patch, b4 `git@z`, lore `mboxrd@z`,
// patchwork), header blocks, saved web pages whose first line is the subject, patchwork pages,
// `[PATCH n/m]` sections of a page holding a whole series, Outlook "Original Message" blocks and
// inline replacement patches with their own From:/Subject: pseudo-headers.
import { readHeaderBlock, headerValue, decodeHeader, type HeaderBlock } from './headers';

/** How a message was recognised. */
export type MessageKind = 'mbox' | 'mail' | 'page' | 'patchwork' | 'section' | 'outlook' | 'inline' | 'page-comment' | 'text';

/** One message's place in the document. */
export interface MessageSpan {
  kind: MessageKind;
  /** First line of the message (separator, first header or subject line). */
  sourceLine: number;
  /** First body line. */
  bodyLine: number;
  /** Last line (inclusive). */
  endLine: number;
  headers?: HeaderBlock;
  subject: string;
  from: string;
  date: string;
  messageId: string;
  inReplyTo: string;
}

/** An mbox `From ` separator line (format-patch, b4 `git@z`, lore `mboxrd@z`, patchwork, plain mbox). */
export const MBOX_SEPARATOR = /^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) /;
const PAGE_SUBJECT = /^(?:(?:Re|RE|Fwd|AW|Aw):\s*)*\[(?:[^\]]*\bPATCH\b[^\]]*|(?:v\d+,)?\d+\/\d+)\]\s*\S/;
const SEPARATOR_LINE = /^(?:={6,}|-{6,}|\*{6,})\s*$/;

function span(kind: MessageKind, sourceLine: number, bodyLine: number, headers?: HeaderBlock): MessageSpan {
  return {
    kind, sourceLine, bodyLine, endLine: sourceLine, headers,
    subject: headerValue(headers, 'subject'), from: headerValue(headers, 'from'), date: headerValue(headers, 'date') || headerValue(headers, 'sent'),
    messageId: headerValue(headers, 'message-id'), inReplyTo: headerValue(headers, 'in-reply-to'),
  };
}

/** Whether line `i` of a page starts a new `[PATCH n/m]` section (blank or rule line above). */
function isSectionStart(lines: string[], i: number): boolean {
  if (!PAGE_SUBJECT.test(lines[i])) return false;
  for (let k = i - 1; k >= 0 && i - k < 4; k--) {
    if (lines[k].trim() === '') continue;
    return SEPARATOR_LINE.test(lines[k]);
  }
  return true;
}

function blank(s: string | undefined): boolean { return s === undefined || s.trim() === ''; }

/** Reads the subject/from/date a header-less page shows in its first lines. */
function pageMessage(lines: string[], start: number, end: number, kind: MessageKind): MessageSpan {
  let i = start;
  while (i < end && blank(lines[i])) i++;
  const m = span(kind, i, Math.min(i + 1, end));
  if (i >= end) return m;
  if (/^diff mbox( series)?\s*$/.test(lines[i].trim())) {
    m.kind = 'patchwork';
    let k = i + 1;
    while (k < end && blank(lines[k])) k++;
    if (k < end) { m.subject = lines[k].trim(); m.bodyLine = k + 1; }
    for (let j = k + 1; j < Math.min(end, k + 40); j++) {
      if (lines[j].trim() === 'Commit Message') {
        let a = j + 1;
        while (a < end && blank(lines[a])) a++;
        const who = /^(.+?)\s+((?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)\w*\.? \d{1,2}, \d{4}, .*UTC)\s*(?:\|.*)?$/.exec(lines[a] ?? '');
        if (who) { m.from = who[1]; m.date = who[2]; }
        break;
      }
      const id = /^Message ID\s+(\S+)/.exec(lines[j]);
      if (id) m.messageId = id[1];
    }
    return m;
  }
  if (/^(?:>|@@|diff |--- |\+\+\+ |index |[-+ ])/.test(lines[i])) { m.bodyLine = i; return m; }
  m.subject = decodeHeader(lines[i].trim()).slice(0, 1000);
  // a saved lore page: a banner line or two, then the mail's header block ("[thread overview]", "(raw)")
  for (let j = i + 1; j < Math.min(end, i + 4); j++) {
    if (!lines[j].startsWith('From: ')) continue;
    const block = readHeaderBlock(lines, j, end);
    if (!block || !block.fields.some(f => f.name.toLowerCase() === 'subject')) break;
    const get = (name: string) => headerValue(block, name).replace(/\s*\[thread overview\]\s*$/, '').replace(/\s*\(raw\)\s*$/, '');
    m.subject = get('subject') || m.subject;
    m.from = get('from'); m.date = get('date'); m.messageId = get('message-id'); m.inReplyTo = get('in-reply-to');
    m.headers = block; m.bodyLine = block.bodyLine;
    return m;
  }
  // pipermail / mail-archive pages: "Name user at example.org" then the date on the next line
  for (let j = i + 1; j < Math.min(end, i + 5); j++) {
    const who = /^(\S.*?\s\S+ at [\w-]+(?:\.[\w-]+)+)\s*$/.exec(lines[j]);
    if (who && /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w* /.test(lines[j + 1] ?? '')) { m.from = who[1]; m.date = lines[j + 1].trim(); break; }
  }
  for (let j = i + 1; j < Math.min(end, i + 12); j++) {
    const h = /^(From|Date|Subject|Message-I[dD]):\s*(.*)$/.exec(lines[j]);
    if (!h) continue;
    let v = decodeHeader(h[2].trim());
    const lore = h[1] === 'From' ? /^(.*?) @ (\d{4}-\d\d-\d\d\s+\d{1,2}:\d\d(?: UTC)?)/.exec(v) : null;
    if (lore) { v = lore[1]; if (!m.date) m.date = lore[2]; }
    if (h[1] === 'From' && !m.from) m.from = v;
    else if (h[1] === 'Date' && !m.date) m.date = v;
    else if (h[1].startsWith('Message')) m.messageId = v;
    else if (h[1] === 'Subject' && v) m.subject = v;
  }
  return m;
}

/** Lines that may close a MIME multipart (`--boundary--`), by their text: built once, so that
 *  finding a message's closing boundary costs a lookup, not a scan. */
function closingLines(lines: string[]): Map<string, number[]> {
  const at = new Map<string, number[]>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.charCodeAt(0) !== 45 || l.charCodeAt(1) !== 45 || l.length > 200) continue;
    const t = l.trimEnd();
    if (!t.endsWith('--') || t.length < 5) continue;
    const list = at.get(t) ?? [];
    list.push(i);
    at.set(t, list);
  }
  return at;
}

/** Message boundaries in document order; at least one message for any input. A multipart
 *  message's parts (an attached message, an mbox attachment) are inside it: no new message starts
 *  before its closing boundary. */
export function splitMessages(lines: string[]): MessageSpan[] {
  const n = lines.length;
  const out: MessageSpan[] = [];
  let closers: Map<string, number[]> | undefined;
  /** The closing boundary line of a multipart message whose body starts at `from`, or -1. */
  const multipartEnd = (h: HeaderBlock | undefined, from: number): number => {
    const ct = h?.fields.find(f => f.name.toLowerCase() === 'content-type')?.value;
    if (!ct || !/^\s*multipart\//i.test(ct)) return -1;
    const b = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(ct);
    if (!b) return -1;
    closers ??= closingLines(lines);
    const list = closers.get(`--${b[1] ?? b[2]}--`);
    if (!list) return -1;
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid] < from) lo = mid + 1; else hi = mid; }
    return lo < list.length ? list[lo] : -1;
  };
  let hasMbox = false;
  for (let i = 0; i < n && i < 4000 && !hasMbox; i++) hasMbox = MBOX_SEPARATOR.test(lines[i]);
  let i = 0;
  while (i < n && blank(lines[i])) i++;
  if (i < n) {
    if (MBOX_SEPARATOR.test(lines[i])) {
      // handled by the loop below
    } else {
      const h = readHeaderBlock(lines, i, n);
      if (h && h.fields.length >= 2) out.push(span('mail', i, h.bodyLine, h));
      else out.push(pageMessage(lines, i, n, 'page'));
    }
  }
  let first = out.length ? out[0].bodyLine : i;
  if (out.length) first = Math.max(first, multipartEnd(out[0].headers, first));
  for (let k = out.length ? first : i; k < n; k++) {
    const l = lines[k];
    if (l.length === 0 || l.length > 2000) continue;
    const c = l.charCodeAt(0);
    if (c === 70 /* F */ && MBOX_SEPARATOR.test(l)) {
      const h = readHeaderBlock(lines, k + 1, n);
      out.push(span(hasMbox ? 'mbox' : 'mail', k, h ? h.bodyLine : k + 1, h));
      if (h) k = Math.max(h.bodyLine - 1, multipartEnd(h, h.bodyLine));
      continue;
    }
    if (c === 45 /* - */ && /^-{3,}\s*Original Message\s*-{3,}\s*$/i.test(l)) {
      const h = readHeaderBlock(lines, k + 1, n);
      out.push(span('outlook', k, h ? h.bodyLine : k + 1, h));
      if (h) k = h.bodyLine - 1;
      continue;
    }
    if (c === 70 && l.startsWith('From: ') && blank(lines[k - 1]) && out.length) {
      // inline patch inside a reply: its own From:/Subject: (and often Date:) pseudo-headers
      const h = readHeaderBlock(lines, k, n);
      if (h && h.fields.some(f => f.name.toLowerCase() === 'subject') && h.fields.length <= 8) {
        out.push(span('inline', k, h.bodyLine, h));
        k = h.bodyLine - 1;
      }
      continue;
    }
    if ((c === 91 /* [ */ || c === 82 /* R */) && out.length && out[out.length - 1].kind !== 'mail' && out[out.length - 1].kind !== 'mbox' && isSectionStart(lines, k) && k > out[out.length - 1].sourceLine) {
      out.push({ ...pageMessage(lines, k, n, 'section'), kind: 'section' });
      continue;
    }
    const lastCode = l.charCodeAt(l.length - 1);
    if (lastCode >= 48 && lastCode <= 57 && / UTC \| #\d+\s*$/.test(l)) {
      const m = span('page-comment', k, k + 1);
      const who = /^(.+?)\s+(\w+\.? \d{1,2}, \d{4}, .*UTC)/.exec(l);
      if (who) { m.from = who[1]; m.date = who[2]; }
      out.push(m);
    }
  }
  if (!out.length) out.push(span('text', 0, 0));
  for (let m = 0; m < out.length; m++) out[m].endLine = Math.max(out[m].sourceLine, (m + 1 < out.length ? out[m + 1].sourceLine : n) - 1);
  return out;
}
