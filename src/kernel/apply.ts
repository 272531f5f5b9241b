// A patch applied to a tree in memory, by the rules `git apply` and GNU patch follow: each hunk's
// pre-image (context and removed lines) is looked for where its header puts it (shifted by the
// hunks of the same file diff applied before it), then nearest first outward from there (offset),
// then with up to `maxFuzz` context lines left out at each end (fuzz, as GNU patch does by
// default and `git apply -C1` allows). No whitespace tolerance: `git apply` does not ignore
// whitespace unless told to, and neither do we.
//
// A hunk whose pre-image is nowhere but whose post-image is found is already in the tree: it is
// reversed into "before" and leaves "after" as the tree (status already-applied). A hunk found
// neither way is listed as failed and left out. Both images are overlays over the caller's
// TreeReader; nothing is written anywhere.
//
// Cost: a hunk that applies where its header says costs its own length. A hunk that has to be
// looked for costs one pass over the file (prefix hashes of the file's interned lines, compared
// per position in O(1), verified on a hit), and every patch shares a work budget: when a hostile
// patch exhausts it, the remaining searches fail with that reason instead of going quadratic.
import type { HunkApply, HunkRange, PatchHunk, PatchedTrees, TreeReader } from './types';

/** Options of `patchTrees`. */
export interface ApplyOptions {
  /** Context lines that may be left out at each end of a hunk (default 2, as GNU patch). */
  maxFuzz?: number;
  /** Work units (lines hashed, positions tried, lines compared) for the whole patch (default 1e7, ~0.2 s). */
  budget?: number;
}

const DEFAULT_BUDGET = 1e7;
// hashes mod a prime below 2^26: every product of two residues stays exact in a double
const P = 67108859;
const B = 65599;

const mulmod = (a: number, b: number): number => (a * b) % P;

/** A file's lines (interned to ids) as hunks change them, with what is needed to search it fast. */
interface Image {
  lines: string[];
  ids: number[];
  eofNewline: boolean;
  /** prefix[k] = hash of ids[0..k); valid for k <= valid */
  prefix: number[];
  valid: number;
  /** the splices made so far, to map positions back to the tree file's lines */
  splices: { at: number; removed: number; added: number }[];
}

interface Work { left: number; exhausted: boolean }

class Interner {
  private readonly map = new Map<string, number>();
  id(s: string): number {
    let v = this.map.get(s);
    if (v === undefined) { v = this.map.size + 1; this.map.set(s, v); }
    return v; // below P unless the patch and tree hold 67 million distinct lines
  }
}

function imageOf(text: string, ids: Interner): Image {
  const lines = text.split('\n');
  let eofNewline = false;
  if (lines.length && lines[lines.length - 1] === '') { lines.pop(); eofNewline = true; }
  return { lines, ids: lines.map(l => ids.id(l)), eofNewline, prefix: [0], valid: 0, splices: [] };
}

function textOf(img: Image): string {
  return img.lines.join('\n') + (img.eofNewline && img.lines.length ? '\n' : '');
}

function ensurePrefix(img: Image, work: Work): boolean {
  const n = img.ids.length;
  if (img.valid >= n) return true;
  if (work.left < n - img.valid) { work.exhausted = true; return false; }
  work.left -= n - img.valid;
  const pre = img.prefix;
  pre.length = n + 1;
  for (let k = img.valid; k < n; k++) pre[k + 1] = (mulmod(pre[k], B) + img.ids[k]) % P;
  img.valid = n;
  return true;
}

function hashOf(ids: number[]): number {
  let h = 0;
  for (const id of ids) h = (mulmod(h, B) + id) % P;
  return h;
}

function powB(m: number): number {
  let r = 1, b = B, e = m;
  while (e > 0) { if (e & 1) r = mulmod(r, b); b = mulmod(b, b); e = Math.floor(e / 2); }
  return r;
}

function equalAt(img: Image, p: number, pre: number[], work: Work): boolean {
  work.left -= pre.length;
  for (let k = 0; k < pre.length; k++) if (img.ids[p + k] !== pre[k]) return false;
  return true;
}

/**
 * Where `pre` stands in the image: at `center` first, then nearest first outward (forward before
 * backward at equal distance, as git does). -1 when nowhere (or the budget ran out).
 */
function findPos(img: Image, pre: number[], center: number, mustBegin: boolean, mustEnd: boolean, work: Work): number {
  const n = img.ids.length, m = pre.length;
  if (m > n) return -1;
  if (mustBegin) return (!mustEnd || m === n) && equalAt(img, 0, pre, work) ? 0 : -1;
  if (mustEnd) return equalAt(img, n - m, pre, work) ? n - m : -1;
  const last = n - m;
  const c = Math.max(0, Math.min(center, last));
  if (m === 0) return c;
  if (equalAt(img, c, pre, work)) return c;
  if (!ensurePrefix(img, work)) return -1;
  const h = hashOf(pre), pm = powB(m), pf = img.prefix, ids = img.ids, first = pre[0];
  const windowAt = (p: number) => (pf[p + m] - mulmod(pf[p], pm) + P) % P;
  const span = Math.max(c, last - c);
  if (work.left < 2 * span) { work.exhausted = true; return -1; }
  work.left -= 2 * span;
  for (let d = 1; d <= span; d++) {
    const f = c + d, b = c - d;
    if (f <= last && ids[f] === first && windowAt(f) === h && equalAt(img, f, pre, work)) return f;
    if (b >= 0 && ids[b] === first && windowAt(b) === h && equalAt(img, b, pre, work)) return b;
  }
  return -1;
}

function splice(img: Image, p: number, removed: number, lines: string[], ids: number[]): void {
  if (lines.length < 4096) {
    // in place: a memmove, no new arrays (many hunks on one big file stay cheap)
    img.lines.splice(p, removed, ...lines);
    img.ids.splice(p, removed, ...ids);
  } else {
    img.lines = img.lines.slice(0, p).concat(lines, img.lines.slice(p + removed));
    img.ids = img.ids.slice(0, p).concat(ids, img.ids.slice(p + removed));
  }
  img.valid = Math.min(img.valid, p);
  img.splices.push({ at: p, removed, added: lines.length });
}

/** The tree file's 0-based line for a position in the image (before the image's splices). */
function treeLine(img: Image, q: number, upTo = img.splices.length): number {
  if (upTo > 2000) return q; // a hostile patch: no exact mapping, no quadratic cost
  for (let k = upTo - 1; k >= 0; k--) {
    const s = img.splices[k];
    if (q >= s.at + s.added) q -= s.added - s.removed;
    else if (q > s.at) q = s.at;
  }
  return q;
}

/** Where `from` stands in the image when all whitespace differences are ignored (-1: nowhere). */
function whitespaceOnly(img: Image, from: string[], hint: number, work: Work): number {
  if (!from.length || work.left < 2 * img.lines.length) return -1;
  const norm = new Interner();
  const key = (l: string) => norm.id(l.replace(/\s+/g, ''));
  const ws: Image = { lines: img.lines, ids: img.lines.map(key), eofNewline: img.eofNewline, prefix: [0], valid: 0, splices: [] };
  work.left -= img.lines.length;
  return findPos(ws, from.map(key), hint, false, false, work);
}

/** One file's state: its "before" and "after" images (null = absent), loaded on first use. */
interface FileState {
  path: string;
  before: Image | null | undefined;
  after: Image | null | undefined;
  /** the text the tree holds (undefined = absent) */
  original: string | undefined;
}

interface Section { key: string; shiftAfter: number; shiftBefore: number; driftAfter: number; driftBefore: number }

/** A short, safe rendering of a line for a reason text. */
function show(s: string): string {
  let t = '';
  for (const ch of s.slice(0, 61)) { const c = ch.charCodeAt(0); t += ch === '\t' ? '\\t' : c < 32 || c === 127 ? '?' : ch; }
  return JSON.stringify(t.length > 60 ? t.slice(0, 57) + '...' : t);
}

/** Why the pre-image is not at `p`: its first line that differs there. */
function mismatch(img: Image, p: number, pre: string[], ids: number[], what: string): string {
  const n = img.ids.length;
  const at = Math.max(0, Math.min(p, Math.max(0, n - pre.length)));
  if (pre.length > n) return `${what}: the ${pre.length} lines of its pre-image are more than the file's ${n}`;
  for (let k = 0; k < pre.length; k++) {
    if (img.ids[at + k] !== ids[k]) {
      return `${what}: its pre-image is nowhere in the file; near line ${treeLine(img, at + k) + 1} its line ${k + 1} ${show(pre[k])} reads ${show(img.lines[at + k] ?? '')}`;
    }
  }
  return `${what}: its pre-image is nowhere in the file`;
}

/** The images of a hunk in one direction: lines it looks for and lines it puts in their place. */
function sides(h: PatchHunk, reverse: boolean) {
  const from: string[] = [], to: string[] = [];
  for (const l of h.lines) {
    if (l.kind === ' ') { from.push(l.text); to.push(l.text); }
    else if ((l.kind === '-') !== reverse) from.push(l.text);
    else to.push(l.text);
  }
  let leading = 0, trailing = 0;
  while (leading < h.lines.length && h.lines[leading].kind === ' ') leading++;
  while (trailing < h.lines.length - leading && h.lines[h.lines.length - 1 - trailing].kind === ' ') trailing++;
  return { from, to, leading, trailing };
}

interface Found {
  /** where the whole hunk starts in the image (fuzzed-away context included) */
  pos: number; fuzzLead: number; fuzzTrail: number;
  /** the splice made: its index in img.splices; the changed block within its `from` and `to` */
  splice: number; fromOff: number; fromLen: number; toOff: number; toLen: number;
}

/** Tries one hunk on one image in one direction at one fuzz level; applies it when found. */
/** Lines compared with all whitespace removed (the mail may have lost indentation). */
const squeeze = (l: string) => l.replace(/\s+/g, '');

/**
 * Whether the block `added` (two or more non-blank lines) is already in the image, whitespace
 * aside, within `span` lines of [from, to): a fuzzed match there would add it a second time.
 */
function alreadyNear(img: Image, added: string[], from: number, to: number, span: number, work: Work): number {
  const want = added.map(squeeze).filter(Boolean);
  if (want.length < 2) return -1;
  const lo = Math.max(0, from - span), hi = Math.min(img.lines.length, to + span);
  work.left -= (hi - lo) * 2;
  const got: { k: number; t: string }[] = [];
  for (let k = lo; k < hi; k++) { const t = squeeze(img.lines[k]); if (t) got.push({ k, t }); }
  for (let i = 0; i + want.length <= got.length; i++) {
    let j = 0;
    while (j < want.length && got[i + j].t === want[j]) j++;
    if (j === want.length) return got[i].k;
  }
  return -1;
}

function tryHunk(img: Image, h: PatchHunk, reverse: boolean, fuzz: number, hint: number, drift: number, ids: Interner, work: Work, notes: string[]): Found | null {
  const s = sides(h, reverse);
  const dl = Math.min(fuzz, s.leading), dt = Math.min(fuzz, s.trailing);
  if (fuzz > 0 && dl === 0 && dt === 0) return null; // nothing to leave out: same as fuzz 0
  const from = s.from.slice(dl, s.from.length - dt), to = s.to.slice(dl, s.to.length - dt);
  // fuzz must leave two lines that say something to anchor the hunk (a blank line and a brace do not)
  if (fuzz > 0 && from.filter(l => squeeze(l).length > 1).length < 2) return null;
  const fromIds = from.map(l => ids.id(l));
  const start = (reverse ? h.newStart ?? h.oldStart : h.oldStart);
  // git: a hunk at the file's start must match there, one without trailing context at the end
  const anchored = !h.unanchored;
  const mustBegin = anchored && fuzz === 0 && start <= 1 && s.from.length > 0;
  const mustEnd = anchored && fuzz === 0 && s.trailing === 0 && s.from.length > 0;
  const pos = anchored && s.from.length === 0 && start <= 1 ? 0 : findPos(img, fromIds, hint + drift + dl, mustBegin, mustEnd, work);
  if (pos < 0) return null;
  if (fuzz > 0) {
    const added = h.lines.filter(l => l.kind === (reverse ? '-' : '+')).map(l => l.text);
    const dup = alreadyNear(img, added, pos, pos + from.length, 50 + added.length, work);
    if (dup >= 0) {
      notes.push(`with fuzz ${fuzz} it would land at line ${treeLine(img, pos) + 1}, but the lines it ${reverse ? 'removes' : 'adds'} are already there at line ${treeLine(img, dup) + 1} (whitespace aside): applied already?`);
      return null;
    }
  }
  splice(img, pos, from.length, to, to.map(l => ids.id(l)));
  const lead = s.leading - dl, trail = s.trailing - dt;
  return {
    pos: Math.max(0, pos - dl), fuzzLead: dl, fuzzTrail: dt, splice: img.splices.length - 1,
    fromOff: lead, fromLen: Math.max(0, from.length - lead - trail), toOff: lead, toLen: Math.max(0, to.length - lead - trail),
  };
}

/**
 * The tree before and after the patch, in memory. `hunks` in patch order; `HunkApply.hunk` is the
 * index into it. Never throws on bad input; a hunk that cannot apply is listed as failed.
 */
export function patchTrees(tree: TreeReader, hunks: PatchHunk[], options: ApplyOptions = {}): PatchedTrees {
  const maxFuzz = Math.max(0, Math.min(3, options.maxFuzz ?? 2));
  const work: Work = { left: options.budget ?? DEFAULT_BUDGET, exhausted: false };
  const ids = new Interner();
  const files = new Map<string, FileState>();
  const apply: HunkApply[] = [];
  const renames: { from: string; to: string; copy: boolean }[] = [];

  const state = (path: string): FileState => {
    let f = files.get(path);
    if (!f) { f = { path, before: undefined, after: undefined, original: tree.read(path) }; files.set(path, f); }
    return f;
  };
  const img = (f: FileState, side: 'before' | 'after'): Image | null => {
    if (f[side] === undefined) f[side] = f.original === undefined ? null : imageOf(f.original, ids);
    return f[side]!;
  };

  /** per applied hunk: its changed block in the image it was spliced into and in the other side */
  const marks: { hunk: number; file: string; own: Image; other: Image | null; reverse: boolean; found: Found; treePos: number }[] = [];
  const fixed: HunkRange[] = [];

  let section: Section | null = null;
  let lastStart = -1, lastSection: number | undefined;
  hunks.forEach((h, index) => {
    const target = (h.fileStatus === 'renamed' || h.fileStatus === 'copied') && h.newFile ? h.newFile : h.file;
    const key = `${h.file}\u0000${target}`;
    const fresh = !section || section.key !== key || (h.section !== undefined ? h.section !== lastSection : h.oldStart < lastStart);
    if (fresh) section = { key, shiftAfter: 0, shiftBefore: 0, driftAfter: 0, driftBefore: 0 };
    const sec = section!;
    lastStart = h.oldStart; lastSection = h.section;
    const f = state(target);
    if (fresh && target !== h.file) {
      // a renamed or copied file starts as the old file's text where the tree lacks the new path
      const old = state(h.file);
      if (f.original === undefined && f.after === undefined) {
        const src = img(old, 'after');
        f.after = src ? imageOf(textOf(src), ids) : null;
        renames.push({ from: h.file, to: target, copy: h.fileStatus === 'copied' });
      }
    }
    const row = (status: HunkApply['status'], line: number | null, extra: Partial<HunkApply> = {}): void => {
      apply.push({ hunk: index, file: target, status, line, ...extra });
    };

    if (h.fileStatus === 'added' || h.fileStatus === 'deleted') {
      const creates = h.fileStatus === 'added';
      const body = h.lines.filter(l => l.kind !== (creates ? '-' : '+')).map(l => l.text);
      const text = body.length ? body.join('\n') + '\n' : '';
      const after = img(f, 'after');
      if (creates ? after === null : after !== null && textOf(after) === text) {
        f.after = creates ? imageOf(text, ids) : null;
        row('applied', 1);
        fixed.push({ hunk: index, file: target, before: creates ? null : { line: 1, count: body.length }, after: creates ? { line: 1, count: body.length } : null });
      } else if (creates ? after !== null && textOf(after) === text : after === null) {
        f.before = creates ? null : imageOf(text, ids);
        row('already-applied', 1);
        fixed.push({ hunk: index, file: target, before: creates ? null : { line: 1, count: body.length }, after: creates ? { line: 1, count: body.length } : null });
      } else {
        row('failed', null, { reason: creates ? 'the patch creates the file, but the tree already has a different one' : after === null ? 'the patch deletes the file, which the tree lacks' : 'the patch deletes the file, but its text differs from the tree\'s' });
      }
      return;
    }

    const after = img(f, 'after'), before = img(f, 'before');
    if (!after && !before) { row('failed', null, { reason: 'the tree has no such file' }); return; }
    const fwdFrom = sides(h, false).from.length;
    const notes: string[] = [];
    for (let fuzz = 0; fuzz <= maxFuzz; fuzz++) {
      if (after) {
        const hint = Math.max(0, h.oldStart - 1) + sec.shiftAfter;
        const r = tryHunk(after, h, false, fuzz, hint, sec.driftAfter, ids, work, notes);
        if (r) {
          const s = sides(h, false);
          sec.shiftAfter += s.to.length - s.from.length;
          sec.driftAfter = r.pos - hint;
          const line = treeLine(after, r.pos, r.splice) + 1;
          marks.push({ hunk: index, file: target, own: after, other: before, reverse: false, found: r, treePos: treeLine(after, after.splices[r.splice].at, r.splice) + r.fromOff });
          const offset = r.pos - hint;
          if (fuzz > 0) row('fuzz', line, { offset, fuzz: Math.max(r.fuzzLead, r.fuzzTrail) });
          else if (offset !== 0 && !h.unanchored) row('offset', line, { offset });
          else row('applied', line);
          return;
        }
      }
      if (before) {
        const hint = Math.max(0, (h.newStart ?? h.oldStart) - 1) + sec.shiftBefore;
        const r = tryHunk(before, h, true, fuzz, hint, sec.driftBefore, ids, work, notes);
        if (r) {
          const s = sides(h, true);
          sec.shiftBefore += s.to.length - s.from.length;
          sec.driftBefore = r.pos - hint;
          const extra: Partial<HunkApply> = {};
          if (r.pos !== hint) extra.offset = r.pos - hint;
          if (fuzz > 0) extra.fuzz = Math.max(r.fuzzLead, r.fuzzTrail);
          marks.push({ hunk: index, file: target, own: before, other: after, reverse: true, found: r, treePos: treeLine(before, before.splices[r.splice].at, r.splice) + r.fromOff });
          row('already-applied', treeLine(before, r.pos, r.splice) + 1, extra);
          return;
        }
      }
    }
    const hint = Math.max(0, h.oldStart - 1) + sec.shiftAfter;
    let reason = work.exhausted ? 'not looked for: the patch used up the search budget'
      : after ? mismatch(after, hint, sides(h, false).from, sides(h, false).from.map(l => ids.id(l)), `${fwdFrom} lines`)
        : 'the file is absent after the earlier hunks';
    if (after && !work.exhausted) {
      // not applied (git apply would not either), but say so when only whitespace stands in the way
      const at = whitespaceOnly(after, sides(h, false).from, hint, work);
      if (at >= 0) reason += `; it would apply at line ${treeLine(after, at) + 1} if whitespace were ignored (the mail's indentation differs from the tree's)`;
    }
    if (notes.length) reason += `; ${notes[0]}`;
    row('failed', null, { reason });
  });

  // renamed files leave their old path in "after" (copies keep it)
  for (const r of renames) if (!r.copy) { const old = state(r.from); if (old.after !== undefined || old.original !== undefined) old.after = null; }

  const beforeChanges = new Map<string, string | null>(), afterChanges = new Map<string, string | null>();
  for (const f of files.values()) {
    for (const side of ['before', 'after'] as const) {
      const im = f[side];
      if (im === undefined) continue;
      const text = im === null ? undefined : textOf(im);
      if (text !== f.original) (side === 'before' ? beforeChanges : afterChanges).set(f.path, text ?? null);
    }
  }
  const changed = [...files.values()].map(f => f.path).filter(p => {
    const b = beforeChanges.has(p) ? beforeChanges.get(p) : tree.read(p) ?? null;
    const a = afterChanges.has(p) ? afterChanges.get(p) : tree.read(p) ?? null;
    return a !== b;
  });
  const ranges = fixed.concat(marks.length > 2000 ? [] : marks.map(m => {
    const own = { line: forward(m.own, m.own.splices[m.found.splice].at + m.found.toOff, m.found.splice + 1) + 1, count: m.found.toLen };
    const other = m.other ? { line: forward(m.other, m.treePos, 0) + 1, count: m.found.fromLen } : null;
    return { hunk: m.hunk, file: m.file, before: m.reverse ? own : other, after: m.reverse ? other : own };
  })).sort((a, b) => a.hunk - b.hunk);
  const ok = apply.filter(a => a.status !== 'failed');
  return {
    before: overlay(tree, beforeChanges, 'before'),
    after: overlay(tree, afterChanges, 'after'),
    apply,
    partial: ok.length > 0 && ok.length < apply.length,
    alreadyApplied: ok.length > 0 && ok.every(a => a.status === 'already-applied'),
    failed: ok.length === 0,
    changed,
    ranges,
  };
}

/** A position in an image after its splices from index `from` on (inside a replaced block: its start). */
function forward(img: Image, q: number, from: number): number {
  for (let k = from; k < img.splices.length; k++) {
    const s = img.splices[k];
    if (q >= s.at + s.removed) q += s.added - s.removed;
    else if (q > s.at) q = s.at;
  }
  return q;
}

/** FNV-1a over UTF-16 code units, as a hex string: the stamp of an overlay file. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return (h >>> 0).toString(16);
}

/**
 * A TreeReader that reads `changes` (null = the file is absent) and everything else from `base`.
 * A changed file's stamp names its content, so caches keyed by stamp tell before from after and
 * reuse a prepared file when the same text comes again.
 */
export function overlay(base: TreeReader, changes: ReadonlyMap<string, string | null>, tag = 'overlay'): TreeReader {
  if (changes.size === 0) return base;
  const stamps = new Map<string, string | undefined>();
  const dirs = new Set<string>();
  for (const [p, t] of changes) {
    stamps.set(p, t === null ? undefined : `${tag}:${t.length}:${fnv(t)}`);
    if (t !== null) for (let k = p.lastIndexOf('/'); k > 0; k = p.lastIndexOf('/', k - 1)) dirs.add(p.slice(0, k));
  }
  const r: TreeReader = {
    root: base.root,
    read: rel => changes.has(rel) ? changes.get(rel) ?? undefined : base.read(rel),
    stamp: rel => stamps.has(rel) ? stamps.get(rel) : base.stamp(rel),
  };
  if (base.isDir || dirs.size) r.isDir = rel => dirs.has(rel) || (base.isDir?.(rel) ?? false);
  return r;
}
