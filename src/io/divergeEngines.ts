// The diverge engines for a node process (the CLI and the editor): the kernel engine on the tree
// the engine choice found (its patch applied in memory; in a git checkout on the patch's own base),
// then the model engine, which `divergeWith` falls back to when the kernel engine cannot run the
// patch (and the answer names why). Built once per opened kernel engine. Node only; no vscode.
import type { DivergeEngine } from '../review/engine';
import { MODEL_ENGINE } from '../review/modelDiverge';
import { kernelDivergeEngine } from '../review/kernelDiverge';
import { kernelCompareDeps } from '../review/kernelCompare';
import { openGitCheckout } from './git';
import type { KernelEngine } from './kernelEngine';

const built = new WeakMap<KernelEngine, DivergeEngine[]>();

/** [kernel, model] when a kernel engine is open, else [model]. */
export function divergeEngines(kernel: KernelEngine | null | undefined): DivergeEngine[] {
  if (!kernel || !kernel.found.reader) return [MODEL_ENGINE];
  let engines = built.get(kernel);
  if (!engines) {
    const reader = kernel.found.reader;
    const deps = kernelCompareDeps({ prepare: kernel.prepare, tree: kernel.tree }, openGitCheckout(reader.root));
    engines = [kernelDivergeEngine({ tree: reader, info: kernel.tree, deps }), MODEL_ENGINE];
    built.set(kernel, engines);
  }
  return engines;
}
