// Changed functions of a hunk, from its body: rebuild the old and new text the hunk shows, close
// what the hunk opens in the middle (a function or struct body that started above it, a comment
// it starts inside), find function boundaries with a locator, and name the functions whose
// definitions hold a removed (old text) or added (new text) line. The `@@` context names the
// function only when the text shows the hunk starts inside a body.
import { braceProfile, functionNameOf, isAggregateHeader, isFunctionHeader, scanFunctions, scanWithProfile, resumeWithProfile, scanAfterPrefix, lexPoint, type FunctionSpan, type LexPoint, type LexResult } from './cscan';

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

/** Whether `c` is a character of the regular expression class \s. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && (c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279));
}

/** `/\\\s*$/.test(t)`: a macro line continued with a backslash. */
function continued(t: string): boolean {
  let k = t.length - 1;
  while (k >= 0 && isSpace(t.charCodeAt(k))) k--;
  return k >= 0 && t.charCodeAt(k) === 92;
}

/** `/^\s*#/.test(t)`: a preprocessor line. */
function directive(t: string): boolean {
  let k = 0;
  while (k < t.length && isSpace(t.charCodeAt(k))) k++;
  return t.charCodeAt(k) === 35;
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

/** The cheap locator (brace structure), used until the tree-sitter one is loaded. */
export const heuristicLocator: CFunctionLocator = {
  engine: 'heuristic',
  functions(source: string): FunctionSpan[] { return scanFunctions(source); },
};

/** Line kinds as `changedFunctionsOfTexts` takes them. */
export const KIND_CONTEXT = 0, KIND_ADD = 1, KIND_DEL = 2;
const INDENTED = /^(?:\t| {2,})/;

/**
 * One side of a hunk (the old text with its removed lines, or the new text with its added ones):
 * macro bodies blanked, the function the hunk starts inside closed by a virtual prefix, functions
 * located, and the names of those holding a changed line added to `found`.
 */
const owned = new Map<string, string>();
/**
 * A name found in a joined hunk text, as a string of its own: a slice would keep the whole text
 * alive as long as the hunk keeps the name (interned: a series repeats its function names).
 */
function own(name: string): string {
  let s = owned.get(name);
  if (s === undefined) {
    if (owned.size > 20000) owned.clear();
    // concatenation then slice copies the characters into a new string (a plain slice would not)
    s = (' ' + name).slice(1);
    owned.set(s, s);
  }
  return s;
}

/** The hunk's `@@` label and the function it names, looked up on first need. */
interface Label { ctx: string | null; resolved: boolean; name: string | undefined }

function labelName(label: Label): string | undefined {
  if (!label.resolved) { label.resolved = true; label.name = label.ctx ? contextName(label.ctx) : undefined; }
  return label.name;
}

/**
 * The context lines before a hunk's first change begin both sides alike: the first side lexed
 * keeps the lexer state where they end (`point`), the second resumes there.
 */
interface Shared { lead: number; point: LexPoint | null }

function side(texts: readonly string[], kinds: ArrayLike<number>, keep: number, label: Label, locator: CFunctionLocator, found: string[], shared: Shared, owners: (string | null)[] | undefined): void {
  const ctx = label.ctx;
  const other = keep === KIND_ADD ? KIND_DEL : KIND_ADD;
  const cleaned: string[] = [];
  const changedRows: number[] = [];
  const changedLines: number[] = [];   // the line index in `texts` of each changed row
  let inMacro = false;
  for (let k = 0; k < texts.length; k++) {
    const kind = kinds[k];
    if (kind === other) continue;
    if (kind === keep) { changedRows.push(cleaned.length); changedLines.push(k); }
    // macro bodies (lines continued with a backslash and the line ending them) are blanked
    const t = texts[k];
    const cont = continued(t);
    if (cont || inMacro) cleaned.push(!cont && directive(t) ? t : '');
    else cleaned.push(t);
    inMacro = cont;
  }
  if (!changedRows.length) return;
  const joined = cleaned.join('\n');
  const braces = joined.indexOf('{') >= 0 || joined.indexOf('}') >= 0;
  const startsInComment = startsInsideComment(joined);
  const heuristic = locator === heuristicLocator;
  // one pass gives the brace profile and, for the heuristic locator, the functions of the text
  // as it is plus the points where a prefix of unmatched `{` would close
  let lexed: LexResult | null = null;
  const plainSpans: FunctionSpan[] = [];
  const reach: number[] = [];
  if (braces) {
    if (heuristic) {
      // where the shared leading context lines end in `joined`
      let at = 0;
      for (let k = 0; k < shared.lead; k++) at += cleaned[k].length + 1;
      const point = shared.point;
      if (point && point.taken && point.at === at && point.startsInComment === startsInComment) lexed = resumeWithProfile(joined, plainSpans, reach, point);
      else if (!point && keep === KIND_DEL && shared.lead > 0 && at < joined.length) { shared.point = lexPoint(at); lexed = scanWithProfile(joined, plainSpans, reach, shared.point); }
      else lexed = scanWithProfile(joined, plainSpans, reach);
    }
    else { const p = braceProfile(joined); lexed = { ...p, endRow: 0 }; }
  }
  const minDepth = lexed ? lexed.minDepth : 0;
  const first = firstCodeLine(cleaned, startsInComment);
  const opensInside = minDepth < 0 || (first !== undefined && (INDENTED.test(first) || STATEMENT.test(first)));
  let prefix = '', open = 0, name: string | null = null, header = false;
  if (first !== undefined && first.charCodeAt(0) === 123 /* { */ && labelName(label)) { prefix = `int ${SENTINEL}(void)`; name = SENTINEL; header = true; }
  else if (opensInside && labelName(label)) {
    // (without braces the hunk closes no block: it stays at depth 1)
    const depth = braces ? startDepth(cleaned, startsInComment) : 1;
    open = 1 + Math.max(0, depth - 1); name = SENTINEL;
    prefix = `int ${SENTINEL}(void) {` + ' {'.repeat(open - 1);
  } else if (ctx && minDepth < 0 && isAggregateHeader(ctx)) { open = -minDepth; prefix = `struct ${SENTINEL} {` + ' {'.repeat(open - 1); }
  else if (minDepth < 0) { open = -minDepth; prefix = '{'.repeat(open); }
  if (startsInComment) prefix += ' /*';
  if (!braces) {
    // no braces: the fragment defines no function, so every changed line is in the one it starts
    // inside (when the label names it) or in none
    const ctxName = open > 0 ? labelName(label) : undefined;
    if (ctxName && !found.includes(ctxName)) found.push(ctxName);
    if (ctxName && owners) for (const k of changedLines) owners[k] = ctxName;
    return;
  }
  const offset = prefix ? 1 : 0;
  let spans: FunctionSpan[];
  if (heuristic) spans = prefix ? scanAfterPrefix(joined, lexed!, reach, open, name, header) : plainSpans;
  else {
    const source = prefix ? prefix + '\n' + joined : joined;
    try { spans = locator.functions(source, changedRows.map(r => r + offset)); } catch { spans = []; }
  }
  for (let c = 0; c < changedRows.length; c++) {
    const row = changedRows[c] + offset;
    let best: FunctionSpan | undefined;
    for (const s of spans) {
      if (s.startRow <= row && row <= s.endRow && (!best || s.endRow - s.startRow < best.endRow - best.startRow)) best = s;
    }
    if (!best) continue;
    const fn = best.name === SENTINEL ? labelName(label) : best.name;
    if (!fn) continue;
    let name = found.find(f => f === fn);
    if (name === undefined) found.push(name = best.name === SENTINEL ? fn : own(fn));
    if (owners) owners[changedLines[c]] = name;
  }
}

/**
 * Names of the functions whose definitions hold an added or removed line, in order, for a hunk
 * given as line texts (without markers) and kinds (KIND_CONTEXT, KIND_ADD, KIND_DEL). With
 * `owners`, also which of them holds each changed line (owners[k] for texts[k]; context lines and
 * lines in no function are left as they are).
 */
export function changedFunctionsOfTexts(texts: readonly string[], kinds: ArrayLike<number>, contextFunction: string | null, locator: CFunctionLocator, owners?: (string | null)[]): string[] {
  const found: string[] = [];
  const label: Label = { ctx: contextFunction, resolved: false, name: undefined };
  let lead = 0;
  while (lead < texts.length && kinds[lead] === KIND_CONTEXT) lead++;
  const shared: Shared = { lead, point: null };
  side(texts, kinds, KIND_DEL, label, locator, found, shared, owners);
  side(texts, kinds, KIND_ADD, label, locator, found, shared, owners);
  return found;
}

/** Names of the functions whose definitions hold an added or removed line of the hunk, in order (`owners`: as for changedFunctionsOfTexts). */
export function changedFunctionsOf(body: HunkBody, locator: CFunctionLocator, owners?: (string | null)[]): string[] {
  const n = body.lines.length;
  const texts: string[] = new Array(n);
  const kinds = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const l = body.lines[k];
    texts[k] = l.text;
    kinds[k] = l.kind === 'add' ? KIND_ADD : l.kind === 'del' ? KIND_DEL : KIND_CONTEXT;
  }
  return changedFunctionsOfTexts(texts, kinds, body.contextFunction, locator, owners);
}
