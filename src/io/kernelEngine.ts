// The kernel engine wired for a node process (the CLI and the editor): which engine runs (contract
// v2's choice), the tree found and opened, tree-sitter loaded from the wasm bytes the caller read,
// the persistent prepare cache, git for a patch's own base, and the fall-back to the model engine
// when the kernel engine cannot run a path. Node only; no vscode.
import { Parser, Language } from 'web-tree-sitter';
import type { PatchDocument } from '../diff';
import { prepareTree, prepareTreeAsync, type PrepareOptions, type PrepCache, type PrepareStats } from '../kernel/front';
import { kernelPaths, simulateKernel, type KernelResult } from '../kernel/engine';
import type { TreeInfo } from '../kernel/types';
import { compareKernelPatch, kernelCompareDeps, type KernelPatchComparison } from '../review/kernelCompare';
import { openGitCheckout } from './git';
import { findTree, fsPrepCache, type FindTreeInput, type FoundTree } from './tree';

export type EngineName = 'kernel' | 'model';

/** The wasm bytes of web-tree-sitter's runtime and of tree-sitter-c's grammar. */
export interface TreeSitterWasm { runtime: Uint8Array; language: Uint8Array }

let parserPromise: Promise<Parser> | null = null;
/** A tree-sitter parser for C (one per process). */
export function loadCParser(wasm: TreeSitterWasm): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init({ wasmBinary: wasm.runtime } as never);
    const parser = new Parser();
    parser.setLanguage(await Language.load(wasm.language));
    return parser;
  })();
  parserPromise.catch(() => { parserPromise = null; });
  return parserPromise;
}

export interface EngineChoice {
  engine: EngineName;
  /** the tree, when the kernel engine was chosen */
  found: FoundTree | null;
  /** one-line notices (a rejected tree that was not asked for explicitly, the reason for the model) */
  notices: string[];
  /** set when the request cannot be honoured (`--engine kernel` without a tree, a bad `--tree`): exit 2 */
  error?: string;
}

/**
 * Contract v2: `--engine` when given; else the kernel engine when a tree is found (`--tree`, the
 * setting, a workspace folder, KVM_REVIEW_TREE, the default tree); else the model. An explicitly
 * named tree (`--tree`) that is not usable is an error, not a silent fall-back.
 */
export function chooseEngine(requested: EngineName | undefined, input: FindTreeInput): EngineChoice {
  if (requested === 'model') return { engine: 'model', found: null, notices: [] };
  const found = findTree(input);
  const explicit = found.rejected.find(r => r.candidate.source === 'option');
  if (explicit) return { engine: 'model', found: null, notices: [], error: explicit.reason };
  const notices = found.rejected.map(r => `${r.reason}; ignored`);
  if (!found.reader) {
    if (requested === 'kernel') return { engine: 'model', found: null, notices, error: `no kernel tree found (--tree DIR, KVM_REVIEW_TREE, or the default tree: node scripts/setup-tree.mjs)` };
    return { engine: 'model', found: null, notices };
  }
  return { engine: 'kernel', found, notices };
}

export interface KernelEngine {
  tree: TreeInfo;
  found: FoundTree;
  prepare: PrepareOptions;
  /** does the kernel engine run this path? */
  canRun(pathId: string): boolean;
  /**
   * Prepares the tree without blocking the thread for long (between steps it waits for a
   * macrotask); later runs find it prepared. Resolves with how it was prepared.
   */
  ready(): Promise<PrepareStats>;
  /** runs a path on the tree (throws ScenarioError for a bad scenario or unknown path) */
  simulate(pathId: string, scenario: unknown): KernelResult;
  /** before/after of a patch on the tree (or its own base in a git checkout) */
  comparePatch(pathId: string, scenario: unknown, doc: PatchDocument): KernelPatchComparison;
}

export interface OpenOptions {
  wasm: TreeSitterWasm;
  /** a persistent cache (default: ~/.cache/kvm-review/kernel-prep); null for none */
  cache?: PrepCache | null;
  /** use git for a patch's own base when the tree is a checkout (default true) */
  git?: boolean;
}

/** Opens the kernel engine on a found tree. */
export async function openKernelEngine(found: FoundTree, opts: OpenOptions): Promise<KernelEngine> {
  if (!found.reader || !found.info) throw new Error('no tree');
  const reader = found.reader;
  const tree = found.info;
  const parser = await loadCParser(opts.wasm);
  const cache = opts.cache === null ? undefined : opts.cache ?? fsPrepCache();
  const prepare: PrepareOptions = { parser, ...(cache ? { cache } : {}) };
  const git = opts.git === false ? undefined : openGitCheckout(reader.root);
  const deps = kernelCompareDeps({ prepare, tree }, git);
  const paths = new Set(kernelPaths());
  return {
    tree, found, prepare,
    canRun: p => paths.has(p),
    async ready() {
      const pause = (): Promise<void> => new Promise(resolve => setTimeout(resolve, 0));
      return (await prepareTreeAsync(reader, { ...prepare, pause })).stats;
    },
    simulate(pathId, scenario) {
      const program = prepareTree(reader, prepare).program;
      return simulateKernel(program, tree, pathId, scenario, { reader });
    },
    comparePatch(pathId, scenario, doc) {
      return compareKernelPatch(reader, doc, pathId, scenario, deps);
    },
  };
}
