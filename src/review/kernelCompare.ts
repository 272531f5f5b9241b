// Before/after for the kernel engine: a parsed patch document -> the hunks to apply -> the tree
// before and after (in memory; on the patch's own base in a git checkout) -> both simulated ->
// the contract v2 `patch` block. Pure: the tree and git come in as adapters.
import type { PatchDocument } from '../diff';
import { patchTrees, type ApplyOptions } from '../kernel/apply';
import type { HunkApply, PatchHunk, PatchedTrees, TreeReader } from '../kernel/types';

/** The document's hunks as the kernel layer takes them, and which document hunk each one is. */
export interface DocumentHunks {
  hunks: PatchHunk[];
  /** docHunk[i] = index into doc.hunks of hunks[i] */
  docHunk: number[];
  /** hunks that cannot be applied at all (no file, binary, cut short), as failed rows */
  skipped: HunkApply[];
}

/** A path as the tree names it: no `a/`/`b/` prefix, no leading `./` or `/`. */
function treePath(p: string | null): string | null {
  if (!p || p === '/dev/null') return null;
  let s = p.trim();
  if (/^[ab]\//.test(s)) s = s.slice(2);
  s = s.replace(/^(?:\.\/)+/, '').replace(/^\/+/, '');
  if (!s || s.split('/').some(part => part === '..')) return null;
  return s;
}

/**
 * The hunks of a parsed patch document in document order (a series' patches one after another),
 * each with its file diff as section, so that hunks of one file diff shift each other.
 */
export function documentHunks(doc: PatchDocument): DocumentHunks {
  const hunks: PatchHunk[] = [], docHunk: number[] = [], skipped: HunkApply[] = [];
  doc.hunks.forEach((h, index) => {
    const f = h.fileIndex !== null ? doc.files[h.fileIndex] : undefined;
    const oldPath = f ? treePath(f.oldPath) : null, newPath = f ? treePath(f.newPath) : treePath(h.file);
    const file = oldPath ?? newPath ?? treePath(h.file);
    const fail = (reason: string) => skipped.push({ hunk: index, file: file ?? h.file ?? '', status: 'failed', line: null, reason });
    if (!file) { fail('the hunk names no file'); return; }
    if (f?.binary) { fail('a binary file'); return; }
    if (!h.complete) { fail('the hunk is cut short in the mail'); return; }
    const status = f?.status === 'added' || f?.status === 'deleted' || f?.status === 'renamed' || f?.status === 'copied' ? f.status : 'modified';
    const ph: PatchHunk = {
      file: status === 'added' ? (newPath ?? file) : file,
      oldStart: h.oldStart ?? 1,
      lines: h.lines.map(l => ({ kind: l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' ', text: l.text })),
    };
    if (h.newStart !== null) ph.newStart = h.newStart;
    if (h.oldStart === null) ph.unanchored = true;
    if (status !== 'modified') ph.fileStatus = status;
    if ((status === 'renamed' || status === 'copied') && newPath && newPath !== file) ph.newFile = newPath;
    if (h.fileIndex !== null) ph.section = h.fileIndex;
    hunks.push(ph);
    docHunk.push(index);
  });
  return { hunks, docHunk, skipped };
}

/** patchTrees over a document: `apply[].hunk` is the document's hunk index; skipped hunks are failed rows. */
export function patchDocument(tree: TreeReader, doc: PatchDocument, options?: ApplyOptions): PatchedTrees {
  const dh = documentHunks(doc);
  const r = patchTrees(tree, dh.hunks, options);
  const apply = r.apply.map(a => ({ ...a, hunk: dh.docHunk[a.hunk] })).concat(dh.skipped).sort((a, b) => a.hunk - b.hunk);
  const ok = apply.filter(a => a.status !== 'failed').length;
  return { ...r, apply, partial: ok > 0 && ok < apply.length, failed: ok === 0 };
}
