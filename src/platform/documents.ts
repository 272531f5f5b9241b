// Parsed patch documents, cached per document version so hover, lenses and outline parse once.
import * as vscode from 'vscode';
import { parsePatchDocument, type PatchDocument } from '../diff';
import { settings } from './config';
import { log } from './log';

export const PATCH_LANGUAGE = 'kvm-patch';
export const PATCH_SELECTOR: vscode.DocumentSelector = [{ language: PATCH_LANGUAGE }];

const cache = new WeakMap<vscode.TextDocument, { version: number; parsed: PatchDocument }>();

/** The parsed patch of a document, or undefined when it is over the size limit. */
export function patchOf(document: vscode.TextDocument): PatchDocument | undefined {
  const hit = cache.get(document);
  if (hit && hit.version === document.version) return hit.parsed;
  const text = document.getText();
  if (text.length > settings().maxFileSizeMB * 1024 * 1024) {
    log().warn(`${document.uri.toString()}: ${(text.length / 1048576).toFixed(1)} MB is over kvmPatchReview.maxFileSizeMB; not analysed`);
    return undefined;
  }
  const t0 = Date.now();
  const parsed = parsePatchDocument(text);
  log().debug(`parsed ${document.uri.toString()} v${document.version}: ${parsed.hunks.length} hunks in ${Date.now() - t0} ms`);
  cache.set(document, { version: document.version, parsed });
  return parsed;
}
