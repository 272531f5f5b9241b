// Parsed patch documents, cached per document version so hover, lenses and outline parse once.
// The first parse uses the brace heuristic for function boundaries; tree-sitter's wasm is loaded in
// the background, and when it is ready the cache is dropped and `onDidChangeAnalysis` fires.
import * as vscode from 'vscode';
import { createCFunctionLocator, parsePatchDocument } from '../core';
import type { CFunctionLocator, PatchDocument } from '../diff';
import { settings, onDidChangeSettings } from './config';
import { log } from './log';

export const PATCH_LANGUAGE = 'kvm-patch';
export const PATCH_SELECTOR: vscode.DocumentSelector = [{ language: PATCH_LANGUAGE }];

let cache = new WeakMap<vscode.TextDocument, { version: number; parsed: PatchDocument }>();
let locator: CFunctionLocator | undefined;
let loading: Promise<void> | undefined;
let extensionRoot: vscode.Uri | undefined;

/** Where the wasm files are (tree-sitter itself loads with the first patch document parsed); a
 *  settings change (e.g. the size limit) drops the cached analyses. */
export function initDocuments(extensionUri: vscode.Uri): vscode.Disposable {
  extensionRoot = extensionUri;
  return onDidChangeSettings(() => { cache = new WeakMap(); analysisChanged.fire(); });
}
const analysisChanged = new vscode.EventEmitter<void>();
/** Fires when cached analyses were dropped because a better function locator became available. */
export const onDidChangeAnalysis = analysisChanged.event;

/** Loads tree-sitter (once, in the background) from the wasm files shipped in dist/. */
function loadFunctionLocator(extensionUri: vscode.Uri): Promise<void> {
  loading ??= (async () => {
    const t0 = Date.now();
    try {
      const read = (f: string) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', f));
      const [runtime, language] = await Promise.all([read('web-tree-sitter.wasm'), read('tree-sitter-c.wasm')]);
      locator = await createCFunctionLocator({ runtime, language });
      cache = new WeakMap();
      log().info(`tree-sitter C parser loaded in ${Date.now() - t0} ms`);
      analysisChanged.fire();
    } catch (e) {
      log().warn(`tree-sitter unavailable, using the brace heuristic for function boundaries: ${(e as Error).message}`);
    }
  })();
  return loading;
}

/** The parsed patch of a document (over the size limit: an empty one with a diagnostic). */
export function patchOf(document: vscode.TextDocument): PatchDocument | undefined {
  const hit = cache.get(document);
  if (hit && hit.version === document.version) return hit.parsed;
  if (!loading && extensionRoot) void loadFunctionLocator(extensionRoot);   // C files alone never need it
  const text = document.getText();
  const maxBytes = settings().maxFileSizeMB * 1024 * 1024;
  // over the limit the parser returns at once with a diagnostic saying so (shown in Problems)
  if (text.length > maxBytes) log().warn(`${document.uri.toString()}: ${(text.length / 1048576).toFixed(1)} MB is over kvmPatchReview.maxFileSizeMB; not analysed`);
  const t0 = Date.now();
  const parsed = parsePatchDocument(text, { locator, maxBytes });
  log().debug(`parsed ${document.uri.toString()} v${document.version}: ${parsed.hunks.length} hunks in ${Date.now() - t0} ms (${locator ? 'tree-sitter' : 'heuristic'})`);
  cache.set(document, { version: document.version, parsed });
  return parsed;
}
