// Node-only I/O with a public-inbox server (lore.kernel.org or a local public-inbox-httpd): a
// thread's mbox (`/<list>/<msgid>/t.mbox.gz`, falling back to the message's `/raw`) and search
// results as an mbox (`POST /<list>/?q=...&x=m`). No vscode; the series logic is pure
// (src/review/series/series.ts) and gets the text from here.
import { gunzipSync } from 'node:zlib';

/** The default server, as b4's `midmask` default. */
export const DEFAULT_SERVER = 'https://lore.kernel.org';

/** A failure to fetch: `notFound` when the server answered that the message does not exist. */
export class FetchError extends Error {
  constructor(message: string, readonly notFound = false) { super(message); }
}

/** Where a message is: server, list (`all` when not named) and Message-ID (without brackets). */
export interface MessageLocation { server: string; list: string; messageId: string }

/**
 * Reads `<id@host>`, `id@host`, `https://lore.kernel.org/kvm/id@host/` (any suffix: `T/`, `raw`,
 * `t.mbox.gz`, `#r`) and `https://lore.kernel.org/r/id@host`. A URL names its own server.
 */
export function parseMessageLocation(input: string, server = DEFAULT_SERVER, list = 'all'): MessageLocation {
  const s = input.trim();
  const url = /^(https?:\/\/[^/\s]+(?:\/[^\s]*?)?)\/([^/\s]+)\/([^/\s]+@[^/\s]+?)(?:\/[^\s]*)?$/.exec(s);
  if (url) {
    const messageId = decodeURIComponent(url[3]).replace(/^<|>$/g, '');
    const l = url[2] === 'r' ? list : url[2];
    return { server: url[1], list: l, messageId };
  }
  const id = s.replace(/^<|>$/g, '').replace(/^mid:|^id:/, '');
  if (!/^[^\s<>/]+@[^\s<>/]+$/.test(id)) throw new FetchError(`"${input}" is neither a Message-ID (id@host) nor a public-inbox message URL`);
  return { server: server.replace(/\/+$/, ''), list, messageId: id };
}

/** The URL of a message on its server (`<server>/<list>/<msgid>/`), msgid escaped as public-inbox does. */
export function messageUrl(loc: MessageLocation, suffix = ''): string {
  const mid = encodeURIComponent(loc.messageId).replace(/%40/g, '@');
  return `${loc.server.replace(/\/+$/, '')}/${loc.list}/${mid}/${suffix}`;
}

async function get(url: string, init: RequestInit = {}, timeoutMs = 30000): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs), headers: { 'User-Agent': 'kvm-review', ...(init.headers ?? {}) } });
  } catch (e) {
    const c = (e as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
    const cause = c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (e as Error).message;
    throw new FetchError(`cannot reach ${new URL(url).origin}: ${cause}`);
  }
}

function gunzipText(bytes: Buffer): string {
  // a gzip stream starts with 1f 8b; some proxies already decoded it
  const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes, { maxOutputLength: 256 * 1024 * 1024 }) : bytes;
  return text.toString('utf8');
}

/** The thread of a message as an mbox (mboxrd): `t.mbox.gz`, else the message alone (`raw`). */
export async function fetchThread(loc: MessageLocation): Promise<{ mbox: string; url: string; whole: boolean }> {
  const threadUrl = messageUrl(loc, 't.mbox.gz');
  const r = await get(threadUrl);
  if (r.ok) return { mbox: gunzipText(Buffer.from(await r.arrayBuffer())), url: threadUrl, whole: true };
  const rawUrl = messageUrl(loc, 'raw');
  const raw = await get(rawUrl);
  if (raw.ok) return { mbox: await raw.text(), url: rawUrl, whole: false };
  if (raw.status === 404 || r.status === 404) throw new FetchError(`message <${loc.messageId}> not found on ${loc.server}/${loc.list}/`, true);
  throw new FetchError(`${rawUrl}: HTTP ${raw.status}`);
}

/** Search results as an mbox (public-inbox's `x=m`); '' when the server has no search. */
export async function searchMbox(server: string, list: string, query: string): Promise<string> {
  const url = `${server.replace(/\/+$/, '')}/${list}/?q=${encodeURIComponent(query)}&x=m`;
  const r = await get(url, { method: 'POST', body: 'z=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  if (!r.ok) return '';
  const bytes = Buffer.from(await r.arrayBuffer());
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipText(bytes) : '';
}

/** The search query for later revisions: the subject stem's words as `s:` terms (all must match).
 *  Words, not a phrase: a public-inbox indexed at level "medium" has no positions for phrase
 *  search; the caller keeps only candidates with the same stem or b4 change-id. */
export function revisionQuery(stem: string): string {
  const words = stem.toLowerCase().split(/[^a-z0-9_]+/).filter(w => w.length >= 2).slice(0, 12);
  return words.map(w => `s:${w}`).join(' ');
}
