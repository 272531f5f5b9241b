// The status bar says which engine simulations of the active patch document run with, and on which
// tree ("KVM: kernel 6.12.118" / "KVM: model"). Shown only while a patch document is active, so
// that nothing is loaded for other files; the tree is (re)chosen by platform/kernelTree.ts.
import * as vscode from 'vscode';
import { PATCH_LANGUAGE } from '../platform/documents';
import { initKernelTree, kernelEngine, onDidChangeKernelTree, treeLabel } from '../platform/kernelTree';

export function register(ctx: vscode.ExtensionContext): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('kvmPatchReview.engine', vscode.StatusBarAlignment.Right, 100);
  item.name = 'KVM Patch Review engine';
  let generation = 0;
  const update = async (): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId !== PATCH_LANGUAGE) { item.hide(); return; }
    const mine = ++generation;
    const engine = await kernelEngine();
    if (mine !== generation) return;
    if (engine) {
      item.text = `$(server-process) KVM: kernel ${engine.tree.version}`;
      item.tooltip = `Simulations run the kernel's own code from ${engine.tree.path} (${treeLabel(engine.tree)})`;
    } else {
      item.text = '$(book) KVM: model';
      item.tooltip = 'No Linux tree found (setting kvmPatchReview.kernelTree, a workspace folder, KVM_REVIEW_TREE, or the default tree): simulations use the model\'s check tables';
    }
    item.show();
  };
  void update();
  return vscode.Disposable.from(
    item,
    initKernelTree(ctx.extensionUri),
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    onDidChangeKernelTree(() => void update()),
  );
}
