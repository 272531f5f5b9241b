// Which Linux tree the kernel engine reads, and what version it is. Pure: the caller says what
// exists (through `probe`) and passes the Makefile's text.

/** The file whose presence makes a directory a usable tree (the nested VMX code the paths run). */
export const TREE_MARKER = 'arch/x86/kvm/vmx/nested.c';

/** The project's default tree: Debian's linux-source-6.12, extracted into the ignored cache. */
export const DEFAULT_TREE = { package: 'linux-source-6.12', cacheDir: '.cache/linux-source-6.12' } as const;

/** Where a candidate tree came from, in the order they are tried. */
export type TreeSource = 'option' | 'setting' | 'workspace' | 'env' | 'default';

const RANK: Record<TreeSource, number> = { option: 0, setting: 0, workspace: 1, env: 2, default: 3 };

const LABEL: Record<TreeSource, string> = {
  option: '--tree',
  setting: 'setting kvmPatchReview.kernelTree',
  workspace: 'workspace folder',
  env: 'KVM_REVIEW_TREE',
  default: 'default tree',
};

export interface TreeCandidate { dir: string; source: TreeSource }

export interface TreeChoice {
  chosen: TreeCandidate | null;
  /** one line per candidate that was tried and rejected, in order */
  rejected: { candidate: TreeCandidate; reason: string }[];
}

/**
 * Picks the tree: `--tree` / the setting first, then a workspace folder, then KVM_REVIEW_TREE,
 * then the default tree. A candidate without arch/x86/kvm/vmx/nested.c is rejected with a reason
 * (the caller decides whether a rejected explicit choice is an error). Candidates are tried in that
 * order whatever order they are passed in; equal ranks keep their order.
 */
export function chooseTree(candidates: readonly TreeCandidate[], probe: (dir: string, rel: string) => boolean): TreeChoice {
  const ordered = candidates.map((c, i) => ({ c, i })).sort((a, b) => RANK[a.c.source] - RANK[b.c.source] || a.i - b.i).map(x => x.c);
  const rejected: TreeChoice['rejected'] = [];
  for (const c of ordered) {
    if (!c.dir.trim()) { rejected.push({ candidate: c, reason: `${LABEL[c.source]}: empty path` }); continue; }
    if (!probe(c.dir, '')) { rejected.push({ candidate: c, reason: `${LABEL[c.source]} ${c.dir}: no such directory` }); continue; }
    if (!probe(c.dir, TREE_MARKER)) { rejected.push({ candidate: c, reason: `${LABEL[c.source]} ${c.dir}: no ${TREE_MARKER} (not a Linux tree with KVM's VMX code)` }); continue; }
    return { chosen: c, rejected };
  }
  return { chosen: null, rejected };
}

/** A label for messages ("--tree", "workspace folder", …). */
export function treeSourceLabel(s: TreeSource): string { return LABEL[s]; }

/**
 * The kernel version a top-level Makefile states: VERSION.PATCHLEVEL.SUBLEVEL plus EXTRAVERSION,
 * as the kernel's own `make kernelversion` prints it ("6.12.118", "6.13.0-rc3"). Null when the text
 * has no VERSION line.
 */
export function treeVersion(makefile: string): string | null {
  const get = (name: string): string | null => {
    const m = new RegExp(`^${name}\\s*[:?]?=[ \\t]*(.*?)[ \\t]*$`, 'm').exec(makefile);
    return m ? m[1]! : null;
  };
  const version = get('VERSION');
  if (!version || !/^\d+$/.test(version)) return null;
  const patch = get('PATCHLEVEL') ?? '';
  const sub = get('SUBLEVEL') ?? '';
  const extra = get('EXTRAVERSION') ?? '';
  let v = version;
  if (patch) { v += `.${patch}`; if (sub) v += `.${sub}`; }
  return v + extra;
}
