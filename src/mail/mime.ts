// MIME bodies with positions: multipart splitting, quoted-printable and base64 transfer decoding,
// charsets. Every decoded line keeps the document line (and column) it came from, which no MIME
// library offers: postal-mime decodes whole parts without a line map, so the line-mapped transfer
// decoding is done here and postal-mime serves the header words (see headers.ts).
import { readHeaderBlock, type HeaderBlock } from './headers';
import { looksLikeC } from './text';

/** One line of message body text as the diff recovery sees it. */
export interface BodyLine {
  /** Decoded text of the line (quote prefix still on). */
  text: string;
  /** 0-based document line the text came from (for base64: the encoded line holding its bytes). */
  sourceLine: number;
  /** Document column where `text` starts; -1 when the text is encoded in the document. */
  column: number;
}

/** A body region that could not be decoded. */
export interface UndecodedPart { startLine: number; endLine: number; reason: string }

/** Parameters of a Content-Type value (`flowed`: RFC 3676 format=flowed, with its DelSp). */
export function contentType(block: HeaderBlock | undefined): { type: string; boundary?: string; charset: string; flowed?: boolean; delSp?: boolean } {
  const f = block?.fields.find(x => x.name.toLowerCase() === 'content-type');
  if (!f) return { type: 'text/plain', charset: 'utf-8' };
  const type = f.value.split(';')[0].trim().toLowerCase();
  const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(f.value);
  const charset = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(f.value);
  const ct: ReturnType<typeof contentType> = { type, boundary: boundary ? (boundary[1] ?? boundary[2]) : undefined, charset: charset ? charset[1].toLowerCase() : 'utf-8' };
  if (type === 'text/plain' && /;\s*format\s*=\s*"?flowed"?/i.test(f.value)) { ct.flowed = true; ct.delSp = /;\s*delsp\s*=\s*"?yes"?/i.test(f.value); }
  return ct;
}

/**
 * Whether a flowed line ends in a soft break that may be undone: it ends in a space, is not the
 * signature separator, and (after its `>` quote marks) is neither blank nor a diff body line nor
 * code. Diff lines are left alone: a context line or code line may end in a real space, and
 * undoing a break there would merge two lines of the patch. A wrapped `@@` header is joined.
 */
function softBreak(text: string): boolean {
  if (text.charCodeAt(text.length - 1) !== 32) return false;
  const q = quoteMarks(text);
  const body = text.slice(q);
  if (body === '-- ' || !body.trim()) return false;
  if (body.startsWith('@@')) return true;
  const first = body.charCodeAt(0);
  // `+`, `-`, a space (context, or space-stuffing we cannot tell from it) and `\` start diff lines
  if (first === 43 || first === 45 || first === 32 || first === 92 || first === 9) return false;
  return !looksLikeC(body);
}

/** Quote depth of a flowed line: its leading `>` marks. */
function flowedDepth(text: string): number {
  let q = 0;
  while (text.charCodeAt(q) === 62) q++;
  return q;
}

/** Length of the quote marks of a line: its leading `>`s and, after them, one space. */
function quoteMarks(text: string): number {
  const q = flowedDepth(text);
  return q > 0 && text.charCodeAt(q) === 32 ? q + 1 : q;
}

/**
 * Undoes format=flowed soft line breaks in `out` from index `from`: a line ending in a soft break
 * is joined with the next line of the same quote depth (its quote marks dropped; with DelSp the
 * trailing space too). The joined line keeps the place of its first line.
 */
function unflow(out: BodyLine[], from: number, delSp: boolean): void {
  let w = from;
  for (let r = from; r < out.length; r++) {
    const line = out[r];
    let parts: string[] | null = null, size = line.text.length, last = line.text;
    // each line says for itself whether it ends in a soft break; pieces are joined once
    while (r + 1 < out.length && size < 20000 && softBreak(last)) {
      const next = out[r + 1].text;
      if (flowedDepth(next) !== flowedDepth(line.text) || !next.slice(quoteMarks(next)).trim()) break;
      parts ??= [line.text];
      if (delSp) parts[parts.length - 1] = parts[parts.length - 1].slice(0, -1);
      last = next;
      parts.push(next.slice(quoteMarks(next)));
      size += next.length;
      r++;
    }
    out[w++] = parts ? { text: parts.join(''), sourceLine: line.sourceLine, column: line.column } : line;
  }
  out.length = w;
}

function transferEncoding(block: HeaderBlock | undefined): string {
  return block?.fields.find(x => x.name.toLowerCase() === 'content-transfer-encoding')?.value.trim().toLowerCase() ?? '7bit';
}

function decoder(charset: string): { decode(bytes: Uint8Array): string } {
  try { return new TextDecoder(charset); } catch { return new TextDecoder('utf-8'); }
}

const utf8 = new TextEncoder();

/** Bytes of a document string that holds 8-bit text already decoded as UTF-8. */
function pushChars(out: number[], s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) out.push(c);
    else { const b = utf8.encode(s[i]); for (const x of b) out.push(x); }
  }
}

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Quoted-printable lines: soft line breaks joined (also inside hunk headers), `=XX` decoded. */
function decodeQuotedPrintable(lines: string[], start: number, end: number, charset: string, out: BodyLine[]): void {
  const dec = decoder(charset);
  let bytes: number[] = [];
  let first = -1;
  for (let i = start; i < end; i++) {
    const line = lines[i].replace(/[ \t]+$/, '');
    if (first < 0) first = i;
    let soft = false;
    for (let k = 0; k < line.length; k++) {
      const c = line.charCodeAt(k);
      if (c === 61 /* = */) {
        if (k === line.length - 1) { soft = true; break; }
        const h = hex(line.charCodeAt(k + 1)), l = hex(line.charCodeAt(k + 2));
        if (h >= 0 && l >= 0) { bytes.push(h * 16 + l); k += 2; continue; }
        bytes.push(c);
      } else if (c < 0x80) bytes.push(c);
      else pushChars(bytes, line[k]);
    }
    if (soft && i + 1 < end) continue;
    out.push({ text: dec.decode(new Uint8Array(bytes)), sourceLine: first, column: 0 });
    bytes = []; first = -1;
  }
}

const B64 = new Int16Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((ch, i) => { B64[ch.charCodeAt(0)] = i; });

/** Base64 lines; each decoded line is mapped back to the encoded line that holds its first byte. */
function decodeBase64(lines: string[], start: number, end: number, charset: string, out: BodyLine[], bad: UndecodedPart[]): void {
  const bytes: number[] = [];
  const lineOfByte: number[] = [];
  let acc = 0, bits = 0, invalid = 0;
  for (let i = start; i < end; i++) {
    const line = lines[i];
    for (let k = 0; k < line.length; k++) {
      const c = line.charCodeAt(k);
      const v = c < 128 ? B64[c] : -1;
      if (v < 0) { if (c !== 61 && c !== 32 && c !== 9) invalid++; continue; }
      acc = (acc << 6) | v; bits += 6;
      if (bits >= 8) { bits -= 8; bytes.push((acc >> bits) & 0xff); lineOfByte.push(i); }
    }
  }
  if (invalid > 0) bad.push({ startLine: start, endLine: Math.max(start, end - 1), reason: `base64 body holds ${invalid} characters outside the base64 alphabet; they were skipped` });
  const text = decoder(charset).decode(new Uint8Array(bytes));
  // Walk the decoded text and the byte stream together to map each line's first byte.
  let byte = 0, lineStartByte = 0, from = 0;
  for (let k = 0; k <= text.length; k++) {
    const c = k < text.length ? text.charCodeAt(k) : 10;
    if (c === 10 || k === text.length) {
      let s = text.slice(from, k);
      if (s.endsWith('\r')) s = s.slice(0, -1);
      if (k < text.length || s.length) out.push({ text: s, sourceLine: lineOfByte[Math.min(lineStartByte, lineOfByte.length - 1)] ?? start, column: -1 });
      byte += 1; from = k + 1; lineStartByte = byte;
      continue;
    }
    byte += c < 0x80 ? 1 : c < 0x800 ? 2 : (c >= 0xd800 && c <= 0xdbff) ? 2 : 3;
  }
}

function plain(lines: string[], start: number, end: number, out: BodyLine[]): void {
  for (let i = start; i < end; i++) out.push({ text: lines[i], sourceLine: i, column: 0 });
}

const TEXTUAL = /^text\/(?:plain|markdown|x-markdown|x-diff|x-patch|x-c|x-csrc|x-chdr|x-log)$|^application\/(?:x-patch|x-diff|octet-stream)$/;
const MBOX = /^application\/(?:mbox|x-mbox)$/;
const MESSAGE = /^message\/(?:rfc822|global)$/;

/** How deep multiparts and attached messages are walked; deeper parts are listed, not read. */
export const MAX_MIME_DEPTH = 8;

/** What happened to one MIME part that is not plain inline text: read (how) or not read (why). */
export interface PartNote { startLine: number; endLine: number; message: string }

function field(block: HeaderBlock | undefined, name: string): string | undefined {
  return block?.fields.find(x => x.name.toLowerCase() === name)?.value;
}
/** The part's file name (Content-Disposition filename= or Content-Type name=), if any. */
function fileName(block: HeaderBlock | undefined): string | undefined {
  const v = /(?:^|;)\s*filename\*?\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(field(block, 'content-disposition') ?? '')
    ?? /(?:^|;)\s*name\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(field(block, 'content-type') ?? '');
  const name = v ? (v[1] ?? v[2]).trim() : '';
  return name ? (name.length > 120 ? name.slice(0, 119) + '…' : name) : undefined;
}
const isAttachment = (block: HeaderBlock | undefined): boolean => /^\s*attachment/i.test(field(block, 'content-disposition') ?? '');
function sizeText(lines: string[], start: number, end: number): string {
  let n = 0;
  for (let i = start; i < end; i++) n += lines[i].length + 1;
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}
/** `attachment patch.diff (text/x-diff, 1.2 KB)` / `text/html part (3.4 KB)`. */
function partName(block: HeaderBlock | undefined, type: string, lines: string[], start: number, end: number): string {
  const name = fileName(block);
  const what = name ? `${isAttachment(block) ? 'attachment' : 'part'} ${name} (${type}, ${sizeText(lines, start, end)})` : `${type} part (${sizeText(lines, start, end)})`;
  return isAttachment(block) && !name ? `attachment ${what}` : what;
}

const PATCH_SIGN = /^(?:>[> ]*)?(?:diff --git |@@ -\d|--- a\/|\+\+\+ b\/|Index: )/m;
const BLOCK_END = /^<\/?(?:br|p|div|tr|li|pre|h[1-6]|table|blockquote|hr)\b/i;
const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * HTML as text lines: tags removed (a tag may span lines; `<br>`, `</p>`, `</div>` … break the
 * line), script and style content dropped, entities decoded. Each line keeps its source line.
 */
export function htmlToText(lines: BodyLine[]): BodyLine[] {
  const out: BodyLine[] = [];
  let inTag = false, tag = '', skip: string | null = null;
  for (const line of lines) {
    let text = '';
    const s = line.text;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (inTag) {
        if (c === '>') {
          inTag = false;
          const t = tag.toLowerCase();
          if (skip) { if (t === `/${skip}`) skip = null; }
          else if (t.startsWith('script') || t.startsWith('style')) skip = t.startsWith('script') ? 'script' : 'style';
          else if (BLOCK_END.test(`<${t}`)) { out.push({ text, sourceLine: line.sourceLine, column: -1 }); text = ''; }
          tag = '';
        } else if (tag.length < 64) tag += c;
        continue;
      }
      if (c === '<' && /[A-Za-z/!]/.test(s[i + 1] ?? '')) { inTag = true; continue; }
      if (!skip) text += c;
    }
    if (!skip && !inTag) out.push({ text, sourceLine: line.sourceLine, column: -1 });
    else if (!skip && text) out.push({ text, sourceLine: line.sourceLine, column: -1 });
  }
  for (const l of out) {
    l.text = l.text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6}|#39);/gi, (whole, e: string) => {
      if (e[0] === '#') { const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10); return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : whole; }
      return Object.hasOwn(ENTITY, e.toLowerCase()) ? ENTITY[e.toLowerCase()] : whole;
    });
  }
  return out;
}

/** Transfer-decodes one leaf entity into `out` (and undoes format=flowed). */
function decodeLeaf(lines: string[], block: HeaderBlock | undefined, start: number, end: number, out: BodyLine[], bad: UndecodedPart[]): void {
  const ct = contentType(block);
  const te = transferEncoding(block);
  const first = out.length;
  if (te === 'quoted-printable') decodeQuotedPrintable(lines, start, end, ct.charset, out);
  else if (te === 'base64') decodeBase64(lines, start, end, ct.charset, out, bad);
  else plain(lines, start, end, out);
  if (ct.flowed) unflow(out, first, ct.delSp === true);
}

/**
 * The body lines of one MIME entity (headers already read), multipart parts walked depth-first.
 * Every part is accounted for: read (text parts; attachments, attached messages, mboxes and HTML
 * holding a patch with a note saying so) or listed in `notes` with its type and size when it is
 * not read (images, HTML without a patch, an alternative already read as text/plain, parts nested
 * deeper than MAX_MIME_DEPTH). Undecodable ones are reported in `bad`.
 */
export function decodeBody(lines: string[], block: HeaderBlock | undefined, start: number, end: number, out: BodyLine[], bad: UndecodedPart[], level = 0, notes: PartNote[] = []): void {
  const ct = contentType(block);
  const note = (message: string, from = start, to = end): void => { notes.push({ startLine: from, endLine: Math.max(from, to - 1), message }); };
  if (level > MAX_MIME_DEPTH) { note(`${partName(block, ct.type, lines, start, end)} nested deeper than ${MAX_MIME_DEPTH} MIME levels: not read`); return; }
  if (ct.type.startsWith('multipart/') && ct.boundary) {
    const open = '--' + ct.boundary, close = open + '--';
    const marks: number[] = [];
    let closed = end;
    for (let i = start; i < end; i++) {
      const l = lines[i];
      if (l.startsWith(open)) {
        const t = l.trimEnd();
        if (t === close) { closed = i; break; }
        if (t === open) marks.push(i);
      }
    }
    if (!marks.length) { plain(lines, start, end, out); return; }
    const blankBetween = (a: number, b: number): boolean => { for (let i = a; i < b; i++) if (lines[i].trim() && !/^This is a multi-part message in MIME format\.?$/i.test(lines[i].trim())) return false; return true; };
    if (!blankBetween(start, marks[0])) note(`text before the first MIME part (${marks[0] - start} lines): not read`, start, marks[0]);
    if (closed < end && !blankBetween(closed + 1, end)) note(`text after the last MIME part (${end - closed - 1} lines): not read`, closed + 1, end);
    const parts = marks.map((m, p) => {
      const partEnd = p + 1 < marks.length ? marks[p + 1] : closed;
      const head = readHeaderBlock(lines, m + 1, partEnd);
      return { head, bodyStart: head ? head.bodyLine : m + 1, partEnd, type: contentType(head).type };
    });
    // multipart/alternative: one rendering is read — text/plain when there is one
    const alternative = ct.type === 'multipart/alternative';
    const plainAlt = alternative && parts.some(p => p.type === 'text/plain' || !p.head);
    for (const p of parts) {
      if (plainAlt && p.type !== 'text/plain' && p.head && !p.type.startsWith('multipart/')) {
        note(`${partName(p.head, p.type, lines, p.bodyStart, p.partEnd)} not read: an alternative of the text/plain part`, p.bodyStart, p.partEnd);
        continue;
      }
      decodeBody(lines, p.head, p.bodyStart, p.partEnd, out, bad, level + 1, notes);
    }
    return;
  }
  const named = block && (isAttachment(block) || fileName(block) !== undefined);
  if (ct.type.startsWith('multipart/')) { note(`${ct.type} part without a boundary read as text`); plain(lines, start, end, out); return; }
  if (MESSAGE.test(ct.type)) {
    // an attached (forwarded) message: its own headers and body, walked like the outer one
    const inner: BodyLine[] = [];
    decodeLeaf(lines, block, start, end, inner, bad);
    const innerLines = inner.map(l => l.text);
    const head = readHeaderBlock(innerLines, 0, innerLines.length);
    const subject = head?.fields.find(f => f.name.toLowerCase() === 'subject')?.value;
    note(`attached message${subject ? ` "${subject.length > 80 ? subject.slice(0, 79) + '…' : subject}"` : ''} (${ct.type}, ${sizeText(lines, start, end)}) read`);
    const body: BodyLine[] = [];
    decodeBody(innerLines, head, head ? head.bodyLine : 0, innerLines.length, body, [], level + 1, notes);
    // map the inner message's lines back to the document lines they came from
    for (const l of body) { const src = inner[Math.min(l.sourceLine, inner.length - 1)]; out.push({ text: l.text, sourceLine: src?.sourceLine ?? start, column: src && src.column >= 0 && l.column >= 0 ? src.column + l.column : -1 }); }
    return;
  }
  if (ct.type === 'text/html' || ct.type === 'application/xhtml+xml') {
    const raw: BodyLine[] = [];
    decodeLeaf(lines, block, start, end, raw, bad);
    const text = htmlToText(raw);
    if (PATCH_SIGN.test(text.map(l => l.text).join('\n'))) { note(`${partName(block, ct.type, lines, start, end)} read as text (tags removed): it holds a patch`); out.push(...text); }
    else note(`${partName(block, ct.type, lines, start, end)} not read: no patch in it`);
    return;
  }
  if (MBOX.test(ct.type)) { note(`${partName(block, ct.type, lines, start, end)} read as an mbox`); decodeLeaf(lines, block, start, end, out, bad); return; }
  if (TEXTUAL.test(ct.type) || !block) {
    if (named || (ct.type !== 'text/plain' && block)) note(`${partName(block, ct.type, lines, start, end)} read`);
    decodeLeaf(lines, block, start, end, out, bad);
    return;
  }
  if (ct.type.startsWith('text/')) { note(`${partName(block, ct.type, lines, start, end)} read as text`); decodeLeaf(lines, block, start, end, out, bad); return; }
  note(`${partName(block, ct.type, lines, start, end)} not read: not text`);
}

/** Whether the entity needs decoding (otherwise body lines are the document lines themselves). */
export function needsDecoding(block: HeaderBlock | undefined): boolean {
  if (!block) return false;
  const te = transferEncoding(block);
  const ct = contentType(block);
  return te === 'quoted-printable' || te === 'base64' || ct.type.startsWith('multipart/') || ct.flowed === true
    || (ct.type !== 'text/plain' && !TEXTUAL.test(ct.type)) || isAttachment(block);
}
