// Test helper: the default tree (Debian linux-source-6.12, .cache/linux-source-6.12) as a
// TreeReader and its prepared Program (parsed once per test process; a persistent cache in the
// OS temp directory keyed by the files' stamps keeps later processes at ~1 s). Tests that need the
// tree skip when it is absent.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cParser } from './cparse';
import { prepareTree } from '../../../src/kernel/front/index';
import type { Program } from '../../../src/kernel/ast';
import type { TreeInfo, TreeReader } from '../../../src/kernel/types';

export const TREE_ROOT = path.resolve(__dirname, '../../../.cache/linux-source-6.12');
export const HAVE_TREE = fs.existsSync(path.join(TREE_ROOT, 'arch/x86/kvm/vmx/nested.c'));

export function fsReader(root: string): TreeReader {
  return {
    root,
    read(rel) { try { return fs.readFileSync(path.join(root, rel), 'utf8'); } catch { return undefined; } },
    stamp(rel) { try { const s = fs.statSync(path.join(root, rel)); return `${s.mtimeMs}:${s.size}`; } catch { return undefined; } },
    isDir(rel) { try { return fs.statSync(path.join(root, rel)).isDirectory(); } catch { return false; } },
  };
}

export const reader = fsReader(TREE_ROOT);

export function treeInfo(): TreeInfo {
  const mk = reader.read('Makefile') ?? '';
  const g = (k: string): string => new RegExp(`^${k}\\s*=\\s*(\\S*)`, 'm').exec(mk)?.[1] ?? '';
  return { path: TREE_ROOT, version: [g('VERSION'), g('PATCHLEVEL'), g('SUBLEVEL')].filter(Boolean).join('.') };
}

const CACHE_DIR = path.join(os.tmpdir(), 'kvm-review-kernel-test-cache');
let programPromise: Promise<Program> | null = null;

/** The default tree's Program (prepared once per process). */
export function defaultProgram(): Promise<Program> {
  programPromise ??= (async () => {
    const parser = await cParser();
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const file = (k: string): string => path.join(CACHE_DIR, k.replace(/[^A-Za-z0-9]/g, '_').slice(0, 120));
    const cache = {
      get: (k: string): string | undefined => { try { return fs.readFileSync(file(k), 'utf8'); } catch { return undefined; } },
      put: (k: string, v: string): void => { fs.writeFileSync(file(k), v); },
    };
    return prepareTree(reader, { parser, cache }).program;
  })();
  return programPromise;
}
