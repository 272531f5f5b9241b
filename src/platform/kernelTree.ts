// The kernel tree the editor's simulations run on, and the kernel engine opened on it: the setting
// kvmPatchReview.kernelTree (ignored in Restricted Mode, with a one-line notice), else a workspace
// folder that is a Linux tree, else KVM_REVIEW_TREE, else the default tree (the project's
// .cache/linux-source-6.12 beside the extension when it runs from a checkout). The choice is made
// again when the setting, the folders or the trust change; `onDidChangeKernelTree` fires then.
import * as vscode from 'vscode';
import path from 'node:path';
import { chooseEngine, openKernelEngine, type KernelEngine } from '../core';
import { SECTION } from './config';
import { log } from './log';

let extensionUri: vscode.Uri | undefined;
let engine: Promise<KernelEngine | null> | undefined;
let lastNotice = '';
const changed = new vscode.EventEmitter<void>();
/** Fires when the tree (or whether there is one) may have changed. */
export const onDidChangeKernelTree = changed.event;

function notice(text: string): void {
  if (text === lastNotice) return;
  lastNotice = text;
  log().info(text);
}

/** The setting's value, or undefined when it is unset or ignored (Restricted Mode). */
function settingTree(): string | undefined {
  const value = vscode.workspace.getConfiguration(SECTION).get<string>('kernelTree', '').trim();
  if (!value) return undefined;
  if (!vscode.workspace.isTrusted) {
    notice(`kvmPatchReview.kernelTree is ignored in Restricted Mode (it names a path); trust the workspace to use ${value}`);
    return undefined;
  }
  return value;
}

/** The kernel engine on the chosen tree, or null (then the model engine runs). Opened once per choice. */
export function kernelEngine(): Promise<KernelEngine | null> {
  engine ??= (async () => {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath);
    const setting = settingTree();
    const choice = chooseEngine(undefined, {
      ...(setting ? { setting } : {}),
      workspaceFolders: folders,
      env: process.env,
      ...(extensionUri?.scheme === 'file' ? { projectRoot: extensionUri.fsPath } : {}),
      cwd: folders[0] ?? process.cwd(),
    });
    for (const n of choice.notices) notice(n);
    if (!choice.found) { notice('no Linux tree found: simulations use the model engine'); return null; }
    try {
      const read = (f: string) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri!, 'dist', f));
      const [runtime, language] = await Promise.all([read('web-tree-sitter.wasm'), read('tree-sitter-c.wasm')]);
      const opened = await openKernelEngine(choice.found, { wasm: { runtime, language } });
      notice(`kernel engine: ${opened.tree.path} (${opened.tree.version}, ${choice.found.source === 'default' ? 'the default tree' : `from the ${choice.found.source}`})`);
      return opened;
    } catch (e) {
      notice(`kernel engine unavailable (${(e as Error).message}): simulations use the model engine`);
      return null;
    }
  })();
  return engine;
}

/** A short name of a tree for the status bar ("linux-source-6.12 6.12.118"). */
export function treeLabel(tree: { path: string; version: string }): string {
  return `${path.basename(tree.path)} ${tree.version}`;
}

function reset(): void { engine = undefined; changed.fire(); }

export function initKernelTree(uri: vscode.Uri): vscode.Disposable {
  extensionUri = uri;
  return vscode.Disposable.from(
    changed,
    vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration(`${SECTION}.kernelTree`)) reset(); }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => reset()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => reset()),
  );
}
