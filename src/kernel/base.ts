// A patch's own base, as b4 finds it: in a git checkout, the text each changed file had when the
// patch was written comes from the blob ids on the patch's `index abc123..def456` lines, or else
// from its `base-commit:` trailer (`<commit>:<path>`). The result is an overlay TreeReader whose
// changed files are those base versions (everything else reads through to the tree), on which
// the patch then applies. Pure: git is reached through the GitObjects adapter (src/io/git.ts),
// which only reads objects; the user's work tree and index are never touched.
import { overlay } from './apply';
import type { TreeReader } from './types';

/** Read-only access to a repository's objects (src/io/git.ts implements it with `git cat-file`). */
export interface GitObjects {
  /** The full id of the blob an abbreviated id names; undefined when unknown or ambiguous. */
  resolveBlob(abbrev: string): string | undefined;
  /** A blob's text by full id. */
  readBlob(id: string): string | undefined;
  /** The full id of a commit; undefined when the repository lacks it. */
  resolveCommit(rev: string): string | undefined;
  /** A file's text at a commit (path relative to the tree root); undefined when absent. */
  readAt(commit: string, rel: string): string | undefined;
}

/** What the patch says about one file: its path before the patch and the index line's blob ids. */
export interface BaseFile {
  /** path before the patch (relative to the tree root) */
  path: string;
  oldBlob?: string;
  newBlob?: string;
  /** the patch creates the file (its base has none) */
  created?: boolean;
}

/** Where one file's base text came from. */
export interface BaseFileResult {
  path: string;
  /**
   * 'tree': the tree's own text is the base (it matches the patch's old blob, or holds the patch's
   * result already, or no base was found: then `reason` says why); 'index': the old blob of the
   * index line; 'base-commit': the file at the base-commit trailer's commit
   */
  from: 'tree' | 'index' | 'base-commit';
  /** the full blob id (from 'index') */
  blob?: string;
  reason?: string;
}

/** The tree as the patch's base, for the files the patch changes. */
export interface PatchBase {
  tree: TreeReader;
  files: BaseFileResult[];
  /** the base-commit trailer's commit, resolved (null when absent or unknown) */
  baseCommit: string | null;
  /** some file's base differs from the tree's text (the overlay is not the tree) */
  used: boolean;
}

const ZERO = /^0+$/;
const HEX = /^[0-9a-f]{4,64}$/i;

/**
 * The patch's base over `tree`: per file, the old blob named by its index line, else the file at
 * `baseCommit`, else the tree itself (with the reason). The first file diff of a path counts (in a
 * series, later patches start where earlier ones left the file).
 */
export function findBase(tree: TreeReader, files: BaseFile[], git: GitObjects, baseCommit?: string | null): PatchBase {
  const commit = baseCommit && /^[0-9a-f]{7,64}$/i.test(baseCommit) ? git.resolveCommit(baseCommit) ?? null : null;
  const changes = new Map<string, string | null>();
  const out: BaseFileResult[] = [];
  const seen = new Set<string>();
  const blobText = (abbrev: string | undefined): { id: string; text: string } | undefined => {
    if (!abbrev || !HEX.test(abbrev) || ZERO.test(abbrev)) return undefined;
    const id = git.resolveBlob(abbrev);
    const text = id ? git.readBlob(id) : undefined;
    return id && text !== undefined ? { id, text } : undefined;
  };
  for (const f of files) {
    if (seen.has(f.path)) continue;
    seen.add(f.path);
    const current = tree.read(f.path);
    if (f.created) { out.push({ path: f.path, from: 'tree', reason: 'the patch creates the file' }); continue; }
    const newer = blobText(f.newBlob);
    if (newer && newer.text === current) { out.push({ path: f.path, from: 'tree', reason: 'the tree holds the patch\'s result' }); continue; }
    const older = blobText(f.oldBlob);
    if (older) {
      if (older.text !== current) changes.set(f.path, older.text);
      out.push({ path: f.path, from: older.text === current ? 'tree' : 'index', blob: older.id });
      continue;
    }
    if (commit) {
      const text = git.readAt(commit, f.path);
      if (text !== undefined) {
        if (text !== current) changes.set(f.path, text);
        out.push({ path: f.path, from: text === current ? 'tree' : 'base-commit' });
        continue;
      }
    }
    const why = [
      f.oldBlob && !ZERO.test(f.oldBlob) ? `blob ${f.oldBlob} is not in the repository` : 'no index line',
      baseCommit ? (commit ? `${f.path} is not in ${baseCommit}` : `base-commit ${baseCommit} is not in the repository`) : 'no base-commit',
    ];
    out.push({ path: f.path, from: 'tree', reason: why.join('; ') });
  }
  return { tree: overlay(tree, changes, 'base'), files: out, baseCommit: commit, used: changes.size > 0 };
}
