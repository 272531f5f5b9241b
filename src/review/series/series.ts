// b4's nouns over a mailbox (a public-inbox thread mbox, a b4 .mbx, a saved series): mailbox →
// series (its revisions, each with its expected count) → message → trailer. Orders a thread into
// revisions (cover letter 0/N, then 1/N..N/N), collects the trailers reviewers gave in follow-ups
// onto the patches they answer (a trailer given to the cover letter goes onto every patch, as
// `b4 am` does), writes the series back as an mbox, and tells newer revisions among search
// results by change-id or subject. Pure: the caller fetches the text.
import { splitLines, splitMessages, decodeBody, needsDecoding, headerValue, parsePatchPrefix, quotePrefix, type BodyLine, type PatchPrefix } from '../../mail';

/** One message of a mailbox. */
export interface SeriesMessage {
  /** Place in the mailbox (0-based, document order). */
  index: number;
  messageId: string;
  inReplyTo: string;
  references: string[];
  subject: string;
  from: string;
  date: string;
  /** The `[PATCH vN M/T]` prefix, null for a message without one. */
  patch: PatchPrefix | null;
  /** Whether the subject is a reply (`Re:`). */
  isReply: boolean;
  /** b4's change-id (`change-id:` line of the cover letter or an `X-Change-ID` header), or ''. */
  changeId: string;
  /** The message as written (headers and body, without the mbox separator line). */
  raw: string[];
  /** Decoded body lines. */
  body: string[];
  /** 1-based line of the mailbox where the message starts. */
  sourceLine: number;
}

/** A trailer a reviewer gave, and the message that gave it. */
export interface Trailer { name: string; value: string; fromMessage: string }

/** One revision of a series: vN with its cover, its patches by index, the replies to them. */
export interface Revision {
  version: number;
  /** Expected number of patches (the `/N` of the subjects). */
  total: number;
  rfc: boolean;
  subject: string;
  changeId: string;
  cover: SeriesMessage | null;
  /** patches[i] is patch i+1 of total, null when missing from the mailbox. */
  patches: (SeriesMessage | null)[];
  /** Replies within the thread of this revision. */
  followUps: SeriesMessage[];
  /** Trailers collected from the follow-ups, by Message-ID of the patch they apply to. */
  trailers: Map<string, Trailer[]>;
}

/** A mailbox read as a series. */
export interface Series { revisions: Revision[]; messages: SeriesMessage[]; other: SeriesMessage[] }

/** Trailers that carry a person's statement about a patch (what `b4 am` collects). */
const PERSON_TRAILER = /^(Reviewed-by|Acked-by|Tested-by|Reported-by|Suggested-by|Co-developed-by|Nacked-by|Reviewed-and-tested-by|Reported-and-tested-by):\s*(\S.*<[^<>\s]+@[^<>\s]+>)\s*$/i;
const CANONICAL = new Map(['Reviewed-by', 'Acked-by', 'Tested-by', 'Reported-by', 'Suggested-by', 'Co-developed-by', 'Nacked-by', 'Reviewed-and-tested-by', 'Reported-and-tested-by'].map(n => [n.toLowerCase(), n]));

const ids = (s: string) => s.match(/<[^<>\s]+>/g) ?? [];

/** Reads every message of a mailbox (mbox, mboxrd, one mail). */
export function readMailbox(text: string): SeriesMessage[] {
  const lines = splitLines(text);
  const mboxrd = lines.slice(0, 5000).some(l => /^From (?:mboxrd@z|git@z|patchwork) /.test(l));
  const out: SeriesMessage[] = [];
  for (const span of splitMessages(lines)) {
    if (!span.headers) continue;
    const end = Math.min(lines.length, span.endLine + 1);
    let body: string[];
    if (needsDecoding(span.headers)) {
      const decoded: BodyLine[] = [];
      decodeBody(lines, span.headers, span.bodyLine, end, decoded, []);
      body = decoded.map(b => b.text);
    } else body = lines.slice(span.bodyLine, end);
    const start = /^From \S/.test(lines[span.sourceLine]) && !lines[span.sourceLine].startsWith('From: ') ? span.sourceLine + 1 : span.sourceLine;
    let raw = lines.slice(start, end);
    if (mboxrd) { raw = raw.map(l => (/^>+From /.test(l) ? l.slice(1) : l)); body = body.map(l => (/^>+From /.test(l) ? l.slice(1) : l)); }
    while (raw.length && raw[raw.length - 1] === '') raw.pop();
    const subject = headerValue(span.headers, 'subject');
    const changeIdLine = body.map(l => /^change-id:\s*(\S+)\s*$/.exec(l)).find(Boolean);
    out.push({
      index: out.length, sourceLine: span.sourceLine + 1,
      messageId: ids(headerValue(span.headers, 'message-id'))[0] ?? '',
      inReplyTo: ids(headerValue(span.headers, 'in-reply-to'))[0] ?? '',
      references: ids(headerValue(span.headers, 'references')),
      subject, from: headerValue(span.headers, 'from'), date: headerValue(span.headers, 'date'),
      patch: parsePatchPrefix(subject), isReply: /^\s*(?:re|aw|sv)\s*:/i.test(subject),
      changeId: headerValue(span.headers, 'x-change-id').trim() || changeIdLine?.[1] || '',
      raw, body,
    });
  }
  return out;
}

/** The subject without reply and patch prefixes, lower-cased, spaces collapsed: what stays the
 *  same from one revision to the next. */
export function subjectStem(subject: string): string {
  return subject.replace(/^(?:\s*(?:re|aw|sv|fwd?)\s*:\s*)+/i, '').replace(/^\s*(?:\[[^\]]*\]\s*)+/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Person trailers in a reply's own text (quoted lines are someone else's). */
export function trailersIn(message: SeriesMessage): Trailer[] {
  const out: Trailer[] = [];
  for (const line of message.body) {
    if (quotePrefix(line).depth > 0) continue;
    if (/^-- ?$/.test(line)) break;                 // the signature
    const m = PERSON_TRAILER.exec(line.trim());
    if (m) out.push({ name: CANONICAL.get(m[1].toLowerCase()) ?? m[1], value: m[2].trim(), fromMessage: message.messageId });
  }
  return out;
}

/** Groups a mailbox into revisions (ascending version), collecting follow-up trailers. */
export function buildSeries(messages: SeriesMessage[]): Series {
  const byId = new Map(messages.filter(m => m.messageId).map(m => [m.messageId, m]));
  const revisions = new Map<string, Revision>();
  const revisionOf = new Map<SeriesMessage, Revision>();
  const other: SeriesMessage[] = [];
  for (const m of messages) {
    if (m.isReply || !m.patch) continue;
    const key = `${m.patch.rfc ? 'rfc' : ''}v${m.patch.version}/${m.patch.total}`;
    let r = revisions.get(key);
    if (!r) {
      r = { version: m.patch.version, total: m.patch.total, rfc: m.patch.rfc, subject: '', changeId: '', cover: null, patches: Array.from({ length: Math.min(m.patch.total, 999) }, () => null), followUps: [], trailers: new Map() };
      revisions.set(key, r);
    }
    if (m.patch.index === 0) { if (!r.cover) r.cover = m; }
    else if (m.patch.index <= r.patches.length && !r.patches[m.patch.index - 1]) r.patches[m.patch.index - 1] = m;
    else { other.push(m); continue; }
    if (!r.changeId && m.changeId) r.changeId = m.changeId;
    revisionOf.set(m, r);
  }
  for (const r of revisions.values()) r.subject = (r.cover ?? r.patches.find(Boolean))?.subject ?? '';
  // a reply belongs to the nearest series message up its In-Reply-To / References chain
  const answered = (m: SeriesMessage): SeriesMessage | undefined => {
    const chain = [m.inReplyTo, ...[...m.references].reverse()].filter(Boolean);
    for (let hops = 0, seen = new Set<string>(); chain.length && hops < 200; hops++) {
      const id = chain.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const parent = byId.get(id);
      if (!parent) continue;
      if (revisionOf.has(parent)) return parent;
      chain.unshift(...[parent.inReplyTo].filter(Boolean));
    }
    return undefined;
  };
  // follow-ups in the order they were sent, so the trailers' order does not depend on the mailbox's
  const when = (m: SeriesMessage) => { const t = Date.parse(m.date); return Number.isNaN(t) ? Infinity : t; };
  const byDate = [...messages].sort((a, b) => when(a) - when(b) || a.index - b.index);
  for (const m of byDate) {
    if (revisionOf.has(m)) continue;
    const target = answered(m);
    if (!target) { if (!other.includes(m)) other.push(m); continue; }
    const r = revisionOf.get(target)!;
    r.followUps.push(m);
    const found = trailersIn(m);
    if (!found.length) continue;
    // a trailer given to the cover letter applies to every patch of the revision
    const targets = target === r.cover ? r.patches.filter((p): p is SeriesMessage => !!p) : [target];
    for (const p of targets) {
      const list = r.trailers.get(p.messageId) ?? [];
      for (const t of found) if (!list.some(x => x.name === t.name && x.value === t.value) && !p.body.some(l => l.trim() === `${t.name}: ${t.value}`)) list.push(t);
      r.trailers.set(p.messageId, list);
    }
  }
  const sorted = [...revisions.values()].sort((a, b) => a.version - b.version || Number(a.rfc) - Number(b.rfc));
  return { revisions: sorted, messages, other };
}

/** The patch text with the collected trailers added after its own (before the `---` line). */
export function withTrailers(patch: SeriesMessage, trailers: Trailer[], link?: string): string[] {
  const lines = [...patch.raw];
  const add = trailers.map(t => `${t.name}: ${t.value}`);
  if (link && !lines.some(l => l.trim() === `Link: ${link}`)) add.push(`Link: ${link}`);
  if (!add.length) return lines;
  const bodyStart = lines.indexOf('') + 1;
  let cut = lines.findIndex((l, i) => i >= bodyStart && /^---\s*$/.test(l));
  if (cut < 0) cut = lines.findIndex((l, i) => i >= bodyStart && l.startsWith('diff --git '));
  if (cut < 0) cut = lines.length;
  let at = cut;
  while (at > bodyStart && lines[at - 1].trim() === '') at--;
  lines.splice(at, 0, ...add);
  return lines;
}

/** One revision as an mbox in series order (cover, 1/N..N/N) with the collected trailers, as
 *  `b4 am` writes it (`From git@z` separators, mboxrd escaping). `linkBase` + Message-ID (without
 *  brackets) gives each patch a `Link:` trailer when set. */
export function revisionMbox(r: Revision, linkBase?: string): string {
  const parts: string[][] = [];
  if (r.cover) parts.push(r.cover.raw);
  for (const p of r.patches) {
    if (!p) continue;
    const link = linkBase && p.messageId ? `${linkBase.replace(/\/+$/, '')}/${p.messageId.slice(1, -1)}` : undefined;
    parts.push(withTrailers(p, r.trailers.get(p.messageId) ?? [], link));
  }
  return parts.map(lines => ['From git@z Thu Jan  1 00:00:00 1970', ...lines.map(l => (/^>*From /.test(l) ? '>' + l : l))].join('\n') + '\n').join('\n');
}

/** A newer revision seen among search results. */
export interface NewerRevision { version: number; messageId: string; subject: string; via: 'change-id' | 'subject' }

/** Revisions newer than the newest of `series` among `candidates` (search results): same b4
 *  change-id, or same subject stem of the cover letter or of patch 1. */
export function newerRevisions(series: Series, candidates: SeriesMessage[]): NewerRevision[] {
  const newest = series.revisions[series.revisions.length - 1];
  if (!newest) return [];
  const stems = new Set([newest.cover, newest.patches[0]].filter((m): m is SeriesMessage => !!m).map(m => subjectStem(m.subject)));
  const out = new Map<number, NewerRevision>();
  for (const c of candidates) {
    if (c.isReply || !c.patch || c.patch.version <= newest.version || c.patch.index > 1) continue;
    const via = newest.changeId && c.changeId === newest.changeId ? 'change-id' : stems.has(subjectStem(c.subject)) ? 'subject' : null;
    if (!via) continue;
    const have = out.get(c.patch.version);
    // the cover letter stands for the revision when there is one
    if (!have || (c.patch.index === 0 && !/ 0+\//.test(` ${have.subject}`))) out.set(c.patch.version, { version: c.patch.version, messageId: c.messageId, subject: c.subject, via });
  }
  return [...out.values()].sort((a, b) => a.version - b.version);
}

/** A summary of one revision for the CLI's JSON and the editor's tree. */
export function revisionSummary(r: Revision) {
  return {
    version: r.version, total: r.total, rfc: r.rfc, subject: r.subject, changeId: r.changeId || null,
    cover: r.cover ? { messageId: r.cover.messageId, subject: r.cover.subject } : null,
    patches: r.patches.map((p, i) => (p ? { index: i + 1, messageId: p.messageId, subject: p.subject, from: p.from,
      trailers: (r.trailers.get(p.messageId) ?? []).map(t => ({ name: t.name, value: t.value })) } : { index: i + 1, missing: true })),
    followUps: r.followUps.length,
  };
}
