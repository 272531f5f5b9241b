// The kernel engine's interfaces with its callers. The kernel layer is pure: it reads a Linux tree
// only through the TreeReader the caller passes in (src/platform/ or src/cli.ts implement it over
// the file system, tests over a Map), and never writes anything.

/** The one small adapter through which the kernel layer reads a tree. */
export interface TreeReader {
  /** Where the tree is, for display ("/work/main/.cache/linux-source-6.12"). */
  readonly root: string;
  /** File text by path relative to the root ("arch/x86/kvm/vmx/nested.c"); undefined when absent. */
  read(rel: string): string | undefined;
  /** Changes whenever the file changes (e.g. `${mtimeMs}:${size}`), for caches; undefined when absent. */
  stamp(rel: string): string | undefined;
  /** Does this directory exist (relative to the root)? Used for include search. */
  isDir?(rel: string): boolean;
}

/** Which tree produced a result (contract v2 `tree`). */
export interface TreeInfo { path: string; version: string }

/** A place in the tree: path relative to the root and 1-based line ("arch/x86/kvm/vmx/nested.c:3054"). */
export type Location = string;

/** One hunk to apply to a tree file, independent of the diff layer's types. */
export interface PatchHunk {
  file: string;
  oldStart: number;
  /** the hunk body: ' ' context, '-' removed, '+' added */
  lines: { kind: ' ' | '-' | '+'; text: string }[];
  /** where the post-image starts (the header's `+c`): where an already-applied hunk is looked for */
  newStart?: number;
  /** what the file diff does (default 'modified'): 'added' from /dev/null, 'deleted' to /dev/null */
  fileStatus?: 'modified' | 'added' | 'deleted' | 'renamed' | 'copied';
  /** the new path of a renamed or copied file (`file` is the old one) */
  newFile?: string;
  /** no position known (a `@@` without ranges): looked for from the file's start, never held to its ends */
  unanchored?: boolean;
  /** which file diff of the patch the hunk belongs to: hunks of one file diff shift each other's
   *  positions (default: a new one whenever the file changes or the positions go back, as when a
   *  series' next patch touches the file again) */
  section?: number;
}

/** contract v2 `patch.apply[]` */
export interface HunkApply {
  hunk: number;
  file: string;
  status: 'applied' | 'offset' | 'fuzz' | 'already-applied' | 'failed';
  line: number | null;
  reason?: string;
  /** lines between where the header put the hunk and where it applied (offset and fuzz only) */
  offset?: number;
  /** context lines left out at each end to make it apply (fuzz only) */
  fuzz?: number;
}

/** The tree before and after a patch: overlays of changed files over the same reader. */
export interface PatchedTrees {
  before: TreeReader;
  after: TreeReader;
  apply: HunkApply[];
  /** some hunk failed (left out, listed in apply) */
  partial: boolean;
  /** the tree already holds the patch: before = reversed, after = the tree */
  alreadyApplied: boolean;
  /** nothing applied at all: the caller falls back to the model engine */
  failed: boolean;
  /** paths whose text differs between before and after (what the caller re-prepares) */
  changed?: string[];
  /** where each applied or already-applied hunk's changed lines are in the before and after files */
  ranges?: HunkRange[];
}

/** The changed lines of one hunk (first to last added/removed line), 1-based, in each side's file;
 *  count 0 is an insertion point (before `line`); null: the file is absent on that side. */
export interface HunkRange {
  hunk: number;
  file: string;
  before: { line: number; count: number } | null;
  after: { line: number; count: number } | null;
}
