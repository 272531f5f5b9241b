// Revisions compared, as `git range-diff` shows them: the patches of vN-1 and vN paired (same
// shortlog first, then the same place in the series), each pair's patch text diffed (commit
// message and diff, hunk line numbers and index lines left out so that moved code does not count
// as changed). Pure. The behaviour difference between revisions (per path, the witnesses one
// revision has and the other lacks) is computed elsewhere and attached through
// `RangeDiffPair.behaviour` (see BehaviourDiff) — the hook is here, the computation is for later.
import type { PatchDocument } from '../../diff';
import type { Revision, SeriesMessage } from './series';
import { subjectStem } from './series';

/** A pair's status: `=` same text, `!` changed, `<` only in the old revision, `>` only in the new. */
export type PairStatus = '=' | '!' | '<' | '>';

/** The behaviour difference of a pair (for later: witnesses per path that one side has and the other lacks). */
export interface BehaviourDiff { path: string; onlyOld: unknown[]; onlyNew: unknown[] }

/** One line of the range-diff. */
export interface RangeDiffPair {
  old: number | null;
  new: number | null;
  status: PairStatus;
  subject: string;
  /** `-`/`+`/` ` lines of the patch text diff (changed pairs only; context kept to 3 lines). */
  diff: string[];
  behaviour?: BehaviourDiff[];
}

/** The patch text that counts for comparing: message body (without trailers) and the diff, without
 *  the `@@` line numbers, `index` lines and the diffstat. */
export function comparableText(body: readonly string[]): string[] {
  const out: string[] = [];
  let inDiff = false;
  for (const line of body) {
    if (line.startsWith('diff --git ')) inDiff = true;
    if (!inDiff) {
      if (/^(?:[A-Z][\w-]*-by|Link|Cc|Fixes|Closes|Message-I[dD]):\s/.test(line)) continue;     // trailers collected later differ
      if (/^ \S.*\|\s+\d+ [+-]*$|^ \d+ files? changed/.test(line)) continue;                       // diffstat
      if (/^---\s*$/.test(line)) continue;
      out.push(line);
      continue;
    }
    if (/^index [0-9a-f]+\.\.[0-9a-f]+/.test(line)) continue;
    if (line.startsWith('@@')) { out.push(line.replace(/^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/, '@@')); continue; }
    if (/^-- ?$/.test(line)) break;                                                                 // signature
    out.push(line);
  }
  while (out.length && !out[out.length - 1].trim()) out.pop();
  while (out.length && !out[0].trim()) out.shift();
  return out;
}

/** Line diff of a and b (LCS, bounded: beyond `limit` cells the middle is reported as replaced). */
export function lineDiff(a: readonly string[], b: readonly string[], context = 3, limit = 4_000_000): string[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length, endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const x = a.slice(start, endA), y = b.slice(start, endB);
  const ops: [string, string][] = [];
  if (x.length * y.length > limit) {
    for (const l of x) ops.push(['-', l]);
    for (const l of y) ops.push(['+', l]);
  } else {
    const n = x.length, m = y.length;
    const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = x[i] === y[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && x[i] === y[j]) { ops.push([' ', x[i]]); i++; j++; }
      else if (i < n && (j >= m || dp[i + 1][j] >= dp[i][j + 1])) { ops.push(['-', x[i]]); i++; }
      else { ops.push(['+', y[j]]); j++; }
    }
  }
  const all: [string, string][] = [...a.slice(Math.max(0, start - context), start).map(l => [' ', l] as [string, string]), ...ops, ...a.slice(endA, endA + context).map(l => [' ', l] as [string, string])];
  // keep `context` lines around changes, one `@@` line between distant changes
  const keep = all.map(() => false);
  all.forEach(([k], idx) => { if (k !== ' ') for (let d = -context; d <= context; d++) if (all[idx + d]) keep[idx + d] = true; });
  const out: string[] = [];
  let gap = false;
  all.forEach(([k, l], idx) => {
    if (!keep[idx]) { gap = true; return; }
    if (gap && out.length) out.push('@@');
    gap = false;
    out.push(`${k} ${l}`);
  });
  return out;
}

/** Pairs the patches of two revisions and diffs each pair (`git range-diff` in words). */
export function rangeDiff(older: Revision, newer: Revision): RangeDiffPair[] {
  const oldP = older.patches.map((p, i) => ({ p, i })).filter((x): x is { p: SeriesMessage; i: number } => !!x.p);
  const newP = newer.patches.map((p, i) => ({ p, i })).filter((x): x is { p: SeriesMessage; i: number } => !!x.p);
  const used = new Set<number>();
  const pairOf = new Map<number, number>();
  for (const n of newP) {
    const o = oldP.find(o => !used.has(o.i) && subjectStem(o.p.subject) === subjectStem(n.p.subject));
    if (o) { used.add(o.i); pairOf.set(n.i, o.i); }
  }
  for (const n of newP) {
    if (pairOf.has(n.i)) continue;
    const o = oldP.find(o => !used.has(o.i) && o.i === n.i);
    if (o) { used.add(o.i); pairOf.set(n.i, o.i); }
  }
  const out: RangeDiffPair[] = [];
  for (const n of newP) {
    const oi = pairOf.get(n.i);
    if (oi === undefined) { out.push({ old: null, new: n.i + 1, status: '>', subject: n.p.subject, diff: [] }); continue; }
    const a = comparableText(older.patches[oi]!.body), b = comparableText(n.p.body);
    const same = a.length === b.length && a.every((l, k) => l === b[k]);
    out.push({ old: oi + 1, new: n.i + 1, status: same ? '=' : '!', subject: n.p.subject, diff: same ? [] : lineDiff(a, b) });
  }
  for (const o of oldP) if (!used.has(o.i)) out.push({ old: o.i + 1, new: null, status: '<', subject: o.p.subject, diff: [] });
  return out.sort((x, y) => (x.new ?? Infinity) - (y.new ?? Infinity) || (x.old ?? 0) - (y.old ?? 0));
}

/** The range-diff as text (git's layout: `1:  = 1:  subject`, the diff of a changed pair indented). */
export function rangeDiffText(older: Revision, newer: Revision, pairs = rangeDiff(older, newer)): string {
  const w = String(Math.max(older.total, newer.total)).length;
  const num = (n: number | null) => (n === null ? '-'.padStart(w) : String(n).padStart(w));
  const lines = [`v${older.version} → v${newer.version}: ${pairs.filter(p => p.status === '=').length} unchanged, ${pairs.filter(p => p.status === '!').length} changed, ${pairs.filter(p => p.status === '>').length} new, ${pairs.filter(p => p.status === '<').length} dropped`, ''];
  for (const p of pairs) {
    lines.push(`${num(p.old)}:  ${p.status} ${num(p.new)}:  ${p.subject}`);
    for (const d of p.diff) lines.push(`    ${d}`);
    if (p.diff.length) lines.push('');
  }
  return lines.join('\n') + '\n';
}

/** A key for a patch that stays the same across revisions while its diff does not change (hunk line
 *  numbers, index lines and trailers do not count): FNV-1a over the diff's +/-/context lines. */
export function patchKey(doc: PatchDocument, message: number): string {
  let h = 0x811c9dc5;
  const mix = (s: string) => { for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; } h ^= 10; h = Math.imul(h, 0x01000193) >>> 0; };
  let lines = 0;
  for (const f of doc.files) if (f.message === message) mix(`F ${f.newPath ?? f.oldPath ?? ''}`);
  for (const hk of doc.hunks) {
    if (hk.message !== message) continue;
    for (const l of hk.lines) { mix(`${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${l.text}`); lines++; }
  }
  // a message without a diff (a cover letter) is keyed by its subject
  if (!lines) mix(`S ${subjectStem(doc.messages[message]?.subject ?? '')}`);
  return h.toString(16).padStart(8, '0');
}
