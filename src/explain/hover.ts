// Hover content (pure): the word under the cursor, its readings in the context of the line, and —
// for a function hovered inside a hunk that changes it — what the hunk changes. The editor
// feature (src/features/hover.ts) only turns this into a vscode.Hover.
import type { Hunk } from '../diff';
import { explainAt } from './lookup';
import { summarizeChange } from '../review/hunkChange';
import { hoverMarkdown } from './markdown';
import type { Explanation } from '../knowledge/types';

export interface HoverContent {
  /** Columns of the hovered word or expression on its line. */
  start: number;
  end: number;
  text: string;
  readings: Explanation[];
  /** What the enclosing hunk changes in the hovered function, if any. */
  hunkChange?: string;
  markdown: string;
}

/** The hunk whose lines span `line` (hunks are in document order), or undefined. */
export function hunkAtLine(hunks: readonly Hunk[], line: number): Hunk | undefined {
  let lo = 0, hi = hunks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const h = hunks[mid];
    if (line < h.sourceLine) hi = mid - 1;
    else if (line > h.endLine) lo = mid + 1;
    else return h;
  }
  // Hunks may be out of order after recovery: fall back to a scan.
  return hunks.find(h => h.sourceLine <= line && line <= h.endLine);
}

/** Whether `hunk` changes function `name` (from its body, or its `@@` context as a hint). */
export function hunkChangesFunction(hunk: Hunk, name: string): boolean {
  if (hunk.changedFunctions.includes(name)) return true;
  return hunk.changedFunctions.length === 0 && !!hunk.contextFunction && /([A-Za-z_]\w*)\s*\(/.exec(hunk.contextFunction)?.[1] === name;
}

/** The lines of `hunk` that belong to function `name` (diff records the owner of each changed
 *  line when a hunk changes several functions; context lines do not describe a change). */
export function linesOfFunction(hunk: Hunk, name: string): Hunk['lines'] {
  const owners = hunk.lineFunctions;
  if (!owners || hunk.changedFunctions.length <= 1) return hunk.lines;
  return hunk.lines.filter((_, k) => owners[k] === name);
}

/** Everything the hover shows for position (line, column), given the line's text and the document's hunks. */
export function computeHover(lineText: string, line: number, column: number, hunks: readonly Hunk[] = []): HoverContent | undefined {
  const hit = explainAt(lineText, column);
  if (!hit) return undefined;
  let hunkChange: string | undefined;
  const fn = hit.readings.find(r => r.kind === 'function');
  if (fn && hunks.length) {
    const hunk = hunkAtLine(hunks, line);
    if (hunk && hunkChangesFunction(hunk, fn.name)) hunkChange = summarizeChange(linesOfFunction(hunk, fn.name)) || undefined;
  }
  return { ...hit, ...(hunkChange ? { hunkChange } : {}), markdown: hoverMarkdown(hit.readings, { hunkChange }) };
}
