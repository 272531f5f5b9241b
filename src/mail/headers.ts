// RFC 5322 header blocks, the `[PATCH vN M/N]` subject prefix and commit trailers.
// RFC 2047 encoded words go through postal-mime's decoder (charsets, Q and B encodings).
import { decodeWords } from 'postal-mime';

/** One header field with the document line where it starts. */
export interface HeaderField { name: string; value: string; sourceLine: number }

/** A parsed header block: fields in order, and the line after the block (its blank line skipped). */
export interface HeaderBlock { fields: HeaderField[]; bodyLine: number }

// RFC 5322 §2.2: `name:value`, the space after the colon is customary, not required (relays write
// `ARC-Seal:i=1; a=rsa-sha256; ...`); a name is printable ASCII without colon (letters, digits, -, _ here)
const FIELD = /^([A-Za-z][A-Za-z0-9_-]{0,75}):[ \t]*/;
const KNOWN = new Set(['from', 'subject', 'date', 'message-id', 'to', 'cc', 'in-reply-to', 'references', 'content-type', 'mime-version', 'received', 'return-path', 'delivered-to', 'git-commit', 'patch-mainline', 'x-patchwork-id', 'sent']);

/**
 * Reads a header block starting at `start`. Returns undefined unless the block names at least one
 * field a mail or patch carries (From/Subject/Date...), so prose lines with a colon are not taken.
 */
export function readHeaderBlock(lines: string[], start: number, end: number): HeaderBlock | undefined {
  const fields: HeaderField[] = [];
  let i = start, known = 0;
  for (; i < end && i - start < 2000; i++) {
    const line = lines[i];
    if (line === '' || line.trim() === '') { i++; break; }
    if ((line[0] === ' ' || line[0] === '\t') && fields.length) {
      const last = fields[fields.length - 1];
      if (last.value.length < 20000) last.value += ' ' + line.trim();
      continue;
    }
    const m = FIELD.exec(line);
    if (!m) break;
    fields.push({ name: m[1], value: line.slice(m[0].length).trim(), sourceLine: i });
    if (KNOWN.has(m[1].toLowerCase())) known++;
  }
  if (!known) return undefined;
  return { fields, bodyLine: i };
}

/** The first value of header `name` (case-insensitive), RFC 2047 decoded. */
export function headerValue(block: HeaderBlock | undefined, name: string): string {
  const f = block?.fields.find(x => x.name.toLowerCase() === name);
  return f ? decodeHeader(f.value) : '';
}

/** Decodes RFC 2047 encoded words; falls back to the raw text when the decoder rejects it. */
export function decodeHeader(value: string): string {
  if (!value.includes('=?')) return value;
  try { return decodeWords(value); } catch { return value; }
}

/** The `[PATCH ...]` prefix of a subject: revision, index, total, RFC flag and the raw tag. */
export interface PatchPrefix { version: number; index: number; total: number; rfc: boolean; tag: string }

const PREFIX = /\[([^\]]{0,120})\]/g;

/**
 * Reads `[PATCH v2 1/2]`, `[RFC PATCH v1 30/34]`, `[PATCH 033/104]`, `[PATCH net-next]`,
 * patchwork's `[v2,3/5]` and `[49/54]`. Returns null for subjects without a patch tag.
 */
export function parsePatchPrefix(subject: string): PatchPrefix | null {
  PREFIX.lastIndex = 0;
  for (let m = PREFIX.exec(subject); m; m = PREFIX.exec(subject)) {
    const tag = m[1];
    const isPatch = /\bPATCH\b/i.test(tag);
    const numbered = /(?:^|[\s,])0*(\d{1,4})\/0*(\d{1,4})(?:$|[\s,\]])/.exec(tag);
    if (!isPatch && !numbered) continue;
    if (!isPatch && !/^(?:RFC[\s,]+)?(?:v\d+[\s,]+)?\d+\/\d+$/i.test(tag.trim())) continue;
    const version = /(?:^|[\s,])v(\d{1,3})(?:$|[\s,])/i.exec(tag);
    return {
      version: version ? Number(version[1]) : 1,
      index: numbered ? Number(numbered[1]) : 1,
      total: numbered ? Number(numbered[2]) : 1,
      rfc: /\bRFC\b/i.test(tag),
      tag,
    };
  }
  return null;
}

/** A commit trailer line (`Signed-off-by:`, `Fixes:`, `Link:` ...). */
export const TRAILER = /^([A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*-by|Fixes|Link|Closes|Cc|Reported-and-tested-by|Message-Id|Message-ID|Bug|Buglink|Co-developed-by):\s*(\S.*)$/;
