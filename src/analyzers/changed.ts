// Changed functions of a hunk, from its body: rebuild the old and new text the hunk shows, close
// what the hunk opens in the middle (a function or struct body that started above it, a comment
// it starts inside), find function boundaries with a locator, and name the functions whose
// definitions hold a removed (old text) or added (new text) line. The `@@` context names the
// function only when the text shows the hunk starts inside a body.
import { braceProfile, functionNameOf, isAggregateHeader, isFunctionHeader, type FunctionSpan } from './cscan';

/** Finds function definitions in C text; tree-sitter backed or heuristic. */
export interface CFunctionLocator {
  readonly engine: 'tree-sitter' | 'heuristic';
  /**
   * Function definitions in `source` (0-based rows). `rows` are the rows the caller asks about; a
   * locator may use them to skip work when a cheaper answer already covers them. Never throws.
   */
  functions(source: string, rows?: number[]): FunctionSpan[];
}

/** What the analysis needs of a hunk. */
export interface HunkBody {
  lines: { kind: 'context' | 'add' | 'del'; text: string }[];
  contextFunction: string | null;
}

const SENTINEL = '__kvm_review_context__';
const STATEMENT = /^\s*(?:(?:if|for|while|return|switch|do|else|goto|break|continue|case|default)\b|[A-Za-z_][\w.]*(?:->[\w.]+|\[[^\]]*\])*\s*(?:[-+*/|&^]?=(?!=)|\+\+|--|\())|^\s*[.}]/;

/** Blanks macro bodies (lines continued with a backslash and the line ending them). */
function blankMacroTails(texts: string[]): string[] {
  const out = texts.slice();
  let inMacro = false;
  for (let i = 0; i < out.length; i++) {
    const t = out[i];
    const continued = /\\\s*$/.test(t);
    if (continued || inMacro || /^\s*#/.test(t)) out[i] = /^\s*#/.test(t) && !continued ? t : '';
    inMacro = continued;
  }
  return out;
}

const TOP_LEVEL = /^(?:static|extern|inline|const|unsigned|signed|void|bool|char|short|int|long|u8|u16|u32|u64|s8|s16|s32|s64|size_t|struct|union|enum|typedef|#|EXPORT_SYMBOL|MODULE_|module_param|__init|__exit)\b|^[A-Za-z_][\w\s*]*\b[A-Za-z_]\w*\s*\([^;]*$/;

/**
 * Brace depth at the first line of a hunk that starts inside a function body: the function ends
 * at a `}` in column 0 (when the text kept its indentation) or at a `}` followed by a top-level
 * line; without such an end the hunk stays inside the function however many blocks it closes.
 */
function startDepth(texts: string[], startsInComment: boolean): number {
  const indented = texts.some(t => /^(?:\t| {2,})\S/.test(t));
  let running = 0, lowest = 0;
  for (let k = 0; k < texts.length; k++) {
    const t = texts[k];
    const before = running;
    if (t.indexOf('{') < 0 && t.indexOf('}') < 0) continue;
    const p = braceProfile(k === 0 && startsInComment ? t.replace(/^.*?\*\//, '') : t);
    running += p.endDepth;
    lowest = Math.min(lowest, before + p.minDepth);
    if (/^\}\s*;?\s*$/.test(t.trimEnd()) && (indented ? t[0] === '}' : TOP_LEVEL.test(firstCodeLine(texts, false, k + 1) ?? ''))) {
      return Math.max(1, 1 - before);
    }
    if (k > 2000) break;
  }
  return -lowest + 1;
}

function firstCodeLine(texts: string[], startsInComment: boolean, from = 0): string | undefined {
  let inComment = startsInComment;
  for (let k = from; k < texts.length; k++) {
    const t = texts[k];
    const s = t.trim();
    if (!s) continue;
    if (inComment) { if (s.includes('*/')) inComment = false; continue; }
    if (s.startsWith('/*')) { if (!s.includes('*/')) inComment = true; continue; }
    if (s.startsWith('//') || s.startsWith('#')) continue;
    return t;
  }
  return undefined;
}

const contextNames = new Map<string, string | undefined>();
/** The function an `@@` label names (cached: a series repeats its labels). */
function contextName(ctx: string): string | undefined {
  if (contextNames.has(ctx)) return contextNames.get(ctx);
  const name = isFunctionHeader(ctx) ? functionNameOf(ctx) : undefined;
  if (contextNames.size > 5000) contextNames.clear();
  contextNames.set(ctx, name);
  return name;
}

function startsInsideComment(text: string): boolean {
  const close = text.indexOf('*/'), open = text.indexOf('/*');
  return close >= 0 && (open < 0 || close < open);
}

function side(body: HunkBody, keep: 'add' | 'del', locator: CFunctionLocator, found: string[]): void {
  const texts: string[] = [];
  const changedRows: number[] = [];
  for (const l of body.lines) {
    if (l.kind === (keep === 'add' ? 'del' : 'add')) continue;
    if (l.kind === keep) changedRows.push(texts.length);
    texts.push(l.text);
  }
  if (!changedRows.length) return;
  const cleaned = blankMacroTails(texts);
  const joined = cleaned.join('\n');
  const braces = joined.indexOf('{') >= 0 || joined.indexOf('}') >= 0;
  const profile = braces ? braceProfile(joined) : { minDepth: 0, endDepth: 0, startsInComment: startsInsideComment(joined) };
  const ctx = body.contextFunction;
  const ctxName = ctx ? contextName(ctx) : undefined;
  const first = firstCodeLine(cleaned, profile.startsInComment);
  const opensInside = profile.minDepth < 0 || (first !== undefined && (/^(?:\t| {2,})/.test(first) || STATEMENT.test(first)));
  let prefix = '';
  if (ctxName && first !== undefined && /^\{/.test(first)) prefix = `int ${SENTINEL}(void)`;
  else if (ctxName && opensInside) {
    const depth = startDepth(cleaned, profile.startsInComment);
    prefix = `int ${SENTINEL}(void) {` + ' {'.repeat(Math.max(0, depth - 1));
  } else if (ctx && isAggregateHeader(ctx) && profile.minDepth < 0) prefix = `struct ${SENTINEL} {` + ' {'.repeat(-profile.minDepth - 1);
  else if (profile.minDepth < 0) prefix = '{'.repeat(-profile.minDepth);
  if (profile.startsInComment) prefix += ' /*';
  if (!braces) {
    // no braces: the fragment defines no function, so every changed line is in the one it starts
    // inside (when the label names it) or in none
    if (ctxName && prefix.startsWith(`int ${SENTINEL}(void) {`) && !found.includes(ctxName)) found.push(ctxName);
    return;
  }
  const source = prefix ? prefix + '\n' + joined : joined;
  const offset = prefix ? 1 : 0;
  let spans: FunctionSpan[];
  try { spans = locator.functions(source, changedRows.map(r => r + offset)); } catch { spans = []; }
  for (const r of changedRows) {
    const row = r + offset;
    let best: FunctionSpan | undefined;
    for (const s of spans) {
      if (s.startRow <= row && row <= s.endRow && (!best || s.endRow - s.startRow < best.endRow - best.startRow)) best = s;
    }
    if (!best) continue;
    const name = best.name === SENTINEL ? ctxName : best.name;
    if (name && !found.includes(name)) found.push(name);
  }
}

/** Names of the functions whose definitions hold an added or removed line of the hunk, in order. */
export function changedFunctionsOf(body: HunkBody, locator: CFunctionLocator): string[] {
  const found: string[] = [];
  side(body, 'del', locator, found);
  side(body, 'add', locator, found);
  return found;
}
