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

const TEXTUAL = /^text\/(?:plain|x-diff|x-patch|x-c|x-csrc|x-chdr)|^application\/(?:x-patch|x-diff|octet-stream)$/;

/**
 * The body lines of one MIME entity (headers already read), multipart parts walked depth-first.
 * Non-text parts are left out; undecodable ones are reported in `bad`.
 */
export function decodeBody(lines: string[], block: HeaderBlock | undefined, start: number, end: number, out: BodyLine[], bad: UndecodedPart[], level = 0): void {
  const ct = contentType(block);
  if (ct.type.startsWith('multipart/') && ct.boundary && level < 8) {
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
    for (let p = 0; p < marks.length; p++) {
      const partEnd = p + 1 < marks.length ? marks[p + 1] : closed;
      const head = readHeaderBlock(lines, marks[p] + 1, partEnd);
      const bodyStart = head ? head.bodyLine : marks[p] + 1;
      const pt = contentType(head);
      if (pt.type.startsWith('multipart/') || TEXTUAL.test(pt.type) || !head) decodeBody(lines, head, bodyStart, partEnd, out, bad, level + 1);
    }
    return;
  }
  const te = transferEncoding(block);
  const first = out.length;
  if (te === 'quoted-printable') decodeQuotedPrintable(lines, start, end, ct.charset, out);
  else if (te === 'base64') decodeBase64(lines, start, end, ct.charset, out, bad);
  else plain(lines, start, end, out);
  if (ct.flowed) unflow(out, first, ct.delSp === true);
}

/** Whether the entity needs decoding (otherwise body lines are the document lines themselves). */
export function needsDecoding(block: HeaderBlock | undefined): boolean {
  if (!block) return false;
  const te = transferEncoding(block);
  const ct = contentType(block);
  return te === 'quoted-printable' || te === 'base64' || ct.type.startsWith('multipart/') || ct.flowed === true;
}
