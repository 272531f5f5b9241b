// The file-system side of kernel trees: a read-only TreeReader over a directory, finding the tree
// to use (src/kernel/tree.ts decides), and a persistent cache for prepared programs. Node only; no
// vscode. Nothing here ever writes into a tree.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { TreeInfo, TreeReader } from '../kernel/types';
import { chooseTree, DEFAULT_TREE, treeVersion, type TreeCandidate, type TreeChoice, type TreeSource } from '../kernel/tree';
import type { PrepCache } from '../kernel/front';

/**
 * A TreeReader over `root`. Paths are relative to the root; a path that leaves the root (`..`,
 * absolute, or through a symlink pointing outside the tree) reads as absent. Read-only.
 */
export function fsTreeReader(root: string): TreeReader & { realRoot: string } {
  const abs = path.resolve(root);
  let realRoot = abs;
  try { realRoot = fs.realpathSync(abs); } catch { /* a missing root reads as empty */ }
  const inside = (rel: string): string | null => {
    if (typeof rel !== 'string' || rel.includes('\0') || path.isAbsolute(rel)) return null;
    const full = path.resolve(abs, rel);
    if (full !== abs && !full.startsWith(abs + path.sep)) return null;
    let real: string;
    try { real = fs.realpathSync(full); } catch { return null; }
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
    return real;
  };
  return {
    root: abs,
    realRoot,
    read(rel: string): string | undefined {
      const p = inside(rel);
      if (!p) return undefined;
      try {
        const st = fs.statSync(p);
        if (!st.isFile()) return undefined;
        return fs.readFileSync(p, 'utf8');
      } catch { return undefined; }
    },
    stamp(rel: string): string | undefined {
      const p = inside(rel);
      if (!p) return undefined;
      try {
        const st = fs.statSync(p);
        return st.isFile() ? `${st.mtimeMs}:${st.size}` : undefined;
      } catch { return undefined; }
    },
    isDir(rel: string): boolean {
      const p = inside(rel);
      if (!p) return false;
      try { return fs.statSync(p).isDirectory(); } catch { return false; }
    },
  };
}

/** The project's default tree directory (`<projectRoot>/.cache/linux-source-6.12`). */
export function defaultTreeDir(projectRoot: string): string {
  return path.join(projectRoot, DEFAULT_TREE.cacheDir);
}

export interface FindTreeInput {
  /** `--tree DIR` */
  option?: string;
  /** the setting kvmPatchReview.kernelTree (already ignored by the caller in Restricted Mode) */
  setting?: string;
  workspaceFolders?: readonly string[];
  /** process.env (KVM_REVIEW_TREE) */
  env?: Record<string, string | undefined>;
  /** where the project is installed (for the default tree); omit to skip it */
  projectRoot?: string;
  /** relative paths are taken from here (default process.cwd()) */
  cwd?: string;
}

export interface FoundTree extends TreeChoice {
  reader: (TreeReader & { realRoot: string }) | null;
  info: TreeInfo | null;
  source: TreeSource | null;
}

/** Finds the tree to use (see chooseTree for the order) and opens it. */
export function findTree(input: FindTreeInput): FoundTree {
  const cwd = input.cwd ?? process.cwd();
  const abs = (d: string): string => path.resolve(cwd, d.replace(/^~(?=$|\/)/, os.homedir()));
  const candidates: TreeCandidate[] = [];
  if (input.option !== undefined) candidates.push({ dir: input.option && abs(input.option), source: 'option' });
  if (input.setting) candidates.push({ dir: abs(input.setting), source: 'setting' });
  for (const w of input.workspaceFolders ?? []) {
    // only folders that look like a tree are candidates (a random workspace is not an error)
    if (fs.existsSync(path.join(w, 'arch/x86/kvm/vmx/nested.c'))) candidates.push({ dir: w, source: 'workspace' });
  }
  const env = input.env?.KVM_REVIEW_TREE;
  if (env) candidates.push({ dir: abs(env), source: 'env' });
  if (input.projectRoot) candidates.push({ dir: defaultTreeDir(input.projectRoot), source: 'default' });
  const choice = chooseTree(candidates, (dir, rel) => {
    try { const st = fs.statSync(path.join(dir, rel)); return rel === '' ? st.isDirectory() : st.isFile(); } catch { return false; }
  });
  if (!choice.chosen) return { ...choice, reader: null, info: null, source: null };
  const reader = fsTreeReader(choice.chosen.dir);
  const version = treeVersion(reader.read('Makefile') ?? '') ?? 'unknown';
  return { ...choice, reader, info: { path: reader.root, version }, source: choice.chosen.source };
}

/**
 * A persistent cache of prepared programs: gzip files under `dir` (default
 * ~/.cache/kvm-review/kernel-prep, or $XDG_CACHE_HOME/kvm-review/kernel-prep). Writes are atomic;
 * a cache that cannot be written is silently no cache.
 */
export function fsPrepCache(dir = defaultPrepCacheDir()): PrepCache & { dir: string } {
  const file = (key: string): string => path.join(dir, `${key.replace(/[^A-Za-z0-9._-]/g, '_')}.json.gz`);
  return {
    dir,
    get(key: string): string | undefined {
      try { return zlib.gunzipSync(fs.readFileSync(file(key))).toString('utf8'); } catch { return undefined; }
    },
    put(key: string, value: string): void {
      try {
        fs.mkdirSync(dir, { recursive: true });
        const tmp = `${file(key)}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, zlib.gzipSync(Buffer.from(value, 'utf8'), { level: 1 }));
        fs.renameSync(tmp, file(key));
      } catch { /* no cache */ }
    },
  };
}

export function defaultPrepCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'kvm-review', 'kernel-prep');
}
