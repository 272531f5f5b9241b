// Read-only git for the kernel engine: finds whether a tree is a git checkout and reads objects
// from it (`git rev-parse`, `git cat-file`), so that a patch can run on its own base. Every call
// is `git` with an argument array (never a shell), with inputs checked first; nothing here
// changes the user's work tree, index or refs (no command that refreshes the index is run, and
// optional locks are off).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { GitObjects } from '../kernel/base';

/** A git checkout whose top level is the tree's root. */
export interface GitCheckout extends GitObjects {
  /** the work tree's top level (real path) */
  top: string;
  /** the commit checked out (HEAD), or null on an unborn branch */
  head: string | null;
}

export interface GitOptions {
  /** the git program (default `git` on PATH) */
  git?: string;
  /** per command (default 10 s) */
  timeoutMs?: number;
}

const BLOB = /^[0-9a-f]{4,64}$/i;
const COMMIT = /^[0-9a-f]{4,64}$/i;

/** A path git may be asked about: relative, no `..`, no option look-alike, no control characters. */
function safePath(rel: string): boolean {
  if (!rel || rel.startsWith('/') || rel.startsWith('-') || rel.length > 4096) return false;
  for (let i = 0; i < rel.length; i++) if (rel.charCodeAt(i) < 32) return false;
  return rel.split('/').every(p => p !== '..' && p !== '');
}

/**
 * The git checkout at `root`, or undefined when `root` is not the top level of a git work tree
 * (a tree inside some other repository, such as the project's own ignored cache, is not one),
 * or git is missing.
 */
export function openGitCheckout(root: string, options: GitOptions = {}): GitCheckout | undefined {
  const program = options.git ?? 'git';
  const timeout = options.timeoutMs ?? 10_000;
  let real: string;
  try { real = fs.realpathSync(root); } catch { return undefined; }
  const run = (args: string[]): string | undefined => {
    try {
      return execFileSync(program, ['-C', real, '-c', 'core.fsmonitor=false', ...args], {
        encoding: 'utf8', timeout, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true,
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' },
      });
    } catch { return undefined; }
  };
  const top = run(['rev-parse', '--show-toplevel'])?.trim();
  if (!top) return undefined;
  let realTop: string;
  try { realTop = fs.realpathSync(top); } catch { return undefined; }
  if (path.resolve(realTop) !== path.resolve(real)) return undefined;
  const verify = (rev: string): string | undefined => {
    const out = run(['rev-parse', '--verify', '--quiet', rev])?.trim();
    return out && /^[0-9a-f]{40,64}$/.test(out) ? out : undefined;
  };
  const blob = (spec: string): string | undefined => run(['cat-file', 'blob', spec]);
  return {
    top: realTop,
    head: verify('HEAD^{commit}') ?? null,
    resolveBlob: abbrev => (BLOB.test(abbrev) ? verify(`${abbrev.toLowerCase()}^{blob}`) : undefined),
    readBlob: id => (/^[0-9a-f]{40,64}$/i.test(id) ? blob(id) : undefined),
    resolveCommit: rev => (COMMIT.test(rev) ? verify(`${rev.toLowerCase()}^{commit}`) : undefined),
    readAt: (commit, rel) => (/^[0-9a-f]{40,64}$/i.test(commit) && safePath(rel) ? blob(`${commit}:${rel}`) : undefined),
  };
}
