// A small C lexer that finds function definitions by brace structure: the cheap locator used
// before (or instead of) tree-sitter. It skips comments, strings, character literals and
// preprocessor lines, and takes as a function every top-level `{` whose declaration part names an
// identifier followed by a parameter list. Linear in the text.

/** A function definition's name and its 0-based first (declarator) and last rows. */
export interface FunctionSpan { name: string; startRow: number; endRow: number }

const NOT_FUNCTIONS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'do', 'else', 'case', 'typeof', '__typeof__', 'defined', 'alignof', '_Alignof', 'offsetof', 'asm', '__asm__', '__asm', 'volatile', '__volatile__']);
/** Annotations that look like calls in a declaration but are not the declared name. */
const ATTRIBUTES = /^(?:__attribute__|__attribute|__acquires|__releases|__must_hold|__printf|__scanf|__cond_lock|__section|__aligned|__alloc_size|__malloc|__diagnose_as|__no_sanitize\w*|__nocfi|__weak|__noreturn|__cold|__hot|__used|__maybe_unused|__must_check|__always_unused|__deprecated|__packed|__ref|__visible|__alias|__naked|__noinline|__always_inline|__init|__exit|__initdata|__read_mostly|__ro_after_init|asmlinkage|notrace|noinstr|__noclone|__flatten|__counted_by|__guarded_by|__pt_guarded_by|__user|__iomem|__rcu|__percpu|__force|__bitwise|__must_be_array|__free|__cleanup|EXPORT_SYMBOL\w*|__ATTR\w*|ALIGN\w*)$/;

// The declaration tokens the lexer keeps at depth 0 (at most MAX_TOKENS between two `{`, `}` or
// `;`), in buffers shared by every pass (the lexer is not re-entrant): where each starts and ends
// in the text, its row, and its kind (IDENT_TOKEN for an identifier, else the character code of
// `(`, `)`, `=`, `,` or `*`).
const MAX_TOKENS = 400, IDENT_TOKEN = 0;
const tokStart = new Int32Array(MAX_TOKENS), tokEnd = new Int32Array(MAX_TOKENS), tokRow = new Int32Array(MAX_TOKENS), tokKind = new Int32Array(MAX_TOKENS);

function tokenIs(src: string, k: number, word: string): boolean {
  return tokKind[k] === IDENT_TOKEN && tokEnd[k] - tokStart[k] === word.length && src.startsWith(word, tokStart[k]);
}

/**
 * The token (index) naming the function a top-level `{` opens, from the `count` tokens before it,
 * or -1: the last identifier before a `(` at parenthesis depth 0 that is neither a keyword nor an
 * annotation, in a declaration holding no initializer (`=`) or typedef at that depth.
 */
function declaredName(src: string, count: number): number {
  let paren = 0, candidate = -1;
  for (let k = 0; k < count; k++) {
    const kind = tokKind[k];
    if (kind === 40 /* ( */) {
      if (paren === 0 && k > 0 && tokKind[k - 1] === IDENT_TOKEN) {
        const name = src.slice(tokStart[k - 1], tokEnd[k - 1]);
        if (!NOT_FUNCTIONS.has(name) && !ATTRIBUTES.test(name)) candidate = k - 1;
      }
      paren++;
    } else if (kind === 41 /* ) */) paren = Math.max(0, paren - 1);
    else if (paren === 0 && (kind === 61 /* = */ || tokenIs(src, k, 'typedef'))) return -1;
  }
  // (a candidate implies a `(`, so `struct x {` without one never gets here)
  if (candidate < 0 || tokKind[count - 1] === 61) return -1;
  return candidate;
}

/** Brace/comment profile of a text: lowest brace depth reached and whether it starts inside a comment. */
export interface BraceProfile { minDepth: number; endDepth: number; startsInComment: boolean }

// Character classes of the lexer (ASCII; everything else is OTHER).
const OTHER = 0, NEWLINE = 1, SPACE = 2, HASH = 3, SLASH = 4, QUOTE = 5, OPEN = 6, CLOSE = 7, SEMI = 8, IDENT = 9, PUNCT = 10;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  CLASS[c] = c === 10 ? NEWLINE : c === 32 || c === 9 || c === 13 || c === 12 || c === 11 ? SPACE : ch === '#' ? HASH : ch === '/' ? SLASH
    : ch === '"' || ch === "'" ? QUOTE : ch === '{' ? OPEN : ch === '}' ? CLOSE : ch === ';' ? SEMI : /[A-Za-z_]/.test(ch) ? IDENT : '()=,*'.includes(ch) ? PUNCT : OTHER;
}

/** What one lexer pass saw: the brace profile and the row count at the end. */
export interface LexResult extends BraceProfile { endRow: number }

/**
 * Lexes C text from `from` (a position just after a `}` when not 0). With `out` it collects the
 * functions a scan of the text finds (depth reset at unmatched `}` as a top-level scanner does);
 * the profile (lowest and final depth) is always that of the text as it is, without reset. With
 * `reach` it records, for k = 1, 2 ..., the position after and the row of the `}` that first takes
 * the depth to -k (pairs pushed in order), so a caller can resume a scan where a virtual prefix
 * of k `{` would be closed.
 */
function lex(src: string, out: FunctionSpan[] | null, reach: number[] | null = null, from = 0, row0 = 0, point: LexPoint | null = null, resume = false): LexResult {
  const n = src.length;
  let i = from, row = row0, depth = 0, pdepth = 0, minDepth = 0, lineStart = from === 0;
  let tokens = 0;
  let current: string | null = null, currentRow = 0;
  let startsInComment = false;
  // the line start where the state is kept for a text with the same beginning (see LexPoint)
  const mark = point && !resume ? point.at : -1;
  if (point && resume) {
    i = point.at; row = point.row; depth = point.depth; pdepth = point.pdepth; minDepth = point.minDepth; lineStart = true;
    tokens = point.tokens;
    for (let k = 0; k < tokens; k++) { tokStart[k] = pointStart[k]; tokEnd[k] = pointEnd[k]; tokRow[k] = pointRow[k]; tokKind[k] = pointKind[k]; }
    current = point.current; currentRow = point.currentRow; startsInComment = point.startsInComment;
    for (const x of point.spans) out!.push(x);
    for (const x of point.reach) reach!.push(x);
  } else if (from === 0) {
    const firstClose = src.indexOf('*/'), firstOpen = src.indexOf('/*');
    startsInComment = firstClose >= 0 && (firstOpen < 0 || firstClose < firstOpen);
    if (startsInComment) {
      for (; i < firstClose; i++) if (src.charCodeAt(i) === 10) row++;
      i = firstClose + 2;
      lineStart = false;
    }
  }
  while (i < n) {
    const c = src.charCodeAt(i);
    switch (c < 128 ? CLASS[c] : OTHER) {
      case NEWLINE:
        row++; lineStart = true; i++;
        if (i === mark) {
          const p = point!;
          p.taken = true; p.row = row; p.depth = depth; p.pdepth = pdepth; p.minDepth = minDepth; p.tokens = tokens;
          for (let k = 0; k < tokens; k++) { pointStart[k] = tokStart[k]; pointEnd[k] = tokEnd[k]; pointRow[k] = tokRow[k]; pointKind[k] = tokKind[k]; }
          p.current = current; p.currentRow = currentRow; p.startsInComment = startsInComment;
          p.spans = out && out.length ? out.slice() : NONE; p.reach = reach && reach.length ? reach.slice() : NO_REACH;
        }
        continue;
      case SPACE: i++; continue;
      case HASH:
        if (lineStart) {
          while (i < n) {
            const d = src.charCodeAt(i);
            if (d === 10) { if (src.charCodeAt(i - 1) === 92 || (src.charCodeAt(i - 1) === 13 && src.charCodeAt(i - 2) === 92)) { row++; i++; continue; } break; }
            i++;
          }
          continue;
        }
        i++; continue;
      case SLASH: {
        lineStart = false;
        const c1 = src.charCodeAt(i + 1);
        if (c1 === 42) {
          const end = src.indexOf('*/', i + 2);
          const stop = end < 0 ? n : end + 2;
          for (; i < stop; i++) if (src.charCodeAt(i) === 10) row++;
          continue;
        }
        if (c1 === 47) { while (i < n && src.charCodeAt(i) !== 10) i++; continue; }
        i++; continue;
      }
      case QUOTE:
        lineStart = false;
        i++;
        while (i < n) {
          const d = src.charCodeAt(i);
          if (d === 92) { i += 2; continue; }
          if (d === c || d === 10) break;
          i++;
        }
        i++;
        continue;
      case OPEN:
        lineStart = false;
        if (depth === 0 && out) {
          const k = declaredName(src, tokens);
          current = k >= 0 ? src.slice(tokStart[k], tokEnd[k]) : null;
          currentRow = k >= 0 ? tokRow[k] : 0;
        }
        depth++; pdepth++; tokens = 0; i++; continue;
      case CLOSE:
        lineStart = false;
        depth--; pdepth--;
        if (pdepth < minDepth) { minDepth = pdepth; if (reach) reach.push(i + 1, row); }
        if (depth <= 0) {
          if (current !== null) out!.push({ name: current, startRow: currentRow, endRow: row });
          current = null;
          if (depth < 0 && out) depth = 0;
        }
        tokens = 0; i++; continue;
      case SEMI:
        lineStart = false;
        if (depth === 0) tokens = 0;
        i++; continue;
      case IDENT: {
        lineStart = false;
        let j = i + 1;
        while (j < n) {
          const d = src.charCodeAt(j);
          if (d < 128 && CLASS[d] === IDENT || (d >= 48 && d <= 57)) j++; else break;
        }
        if (depth === 0 && out && tokens < MAX_TOKENS) { tokStart[tokens] = i; tokEnd[tokens] = j; tokRow[tokens] = row; tokKind[tokens] = IDENT_TOKEN; tokens++; }
        i = j; continue;
      }
      case PUNCT:
        lineStart = false;
        if (depth === 0 && out && tokens < MAX_TOKENS) {
          // `==` is not an initializer
          if (c === 61 && src.charCodeAt(i + 1) === 61) { i += 2; continue; }
          tokStart[tokens] = i; tokEnd[tokens] = i + 1; tokRow[tokens] = row; tokKind[tokens] = c; tokens++;
        }
        i++; continue;
      default:
        lineStart = false;
        i++;
    }
  }
  if (current !== null) out!.push({ name: current, startRow: currentRow, endRow: row });
  return { minDepth, endDepth: pdepth, startsInComment, endRow: row };
}

/** Function definitions in C text (possibly a fragment), by brace structure. */
export function scanFunctions(src: string): FunctionSpan[] {
  const out: FunctionSpan[] = [];
  lex(src, out);
  return out;
}

/** Lowest brace depth (negative when the text closes blocks it did not open). */
export function braceProfile(src: string): BraceProfile {
  const p = lex(src, null);
  return { minDepth: p.minDepth, endDepth: p.endDepth, startsInComment: p.startsInComment };
}

/**
 * One pass for both questions: the brace profile of `src` (with the `reach` points, see `lex`) and
 * the functions `scanFunctions(src)` finds, pushed to `out`.
 */
export function scanWithProfile(src: string, out: FunctionSpan[], reach: number[], point: LexPoint | null = null): LexResult {
  return lex(src, out, reach, 0, 0, point);
}

/**
 * The lexer state at the start of line `at` of a text, kept by `scanWithProfile` (when the lexer
 * reaches that position as a line start, `taken`) so that `resumeWithProfile` can scan a second
 * text with the same characters before `at` from there: the two sides of a hunk share the
 * context lines before its first change. The token buffers are kept in one shared copy, so only
 * one point is live at a time.
 */
export interface LexPoint {
  at: number; taken: boolean;
  row: number; depth: number; pdepth: number; minDepth: number; tokens: number;
  current: string | null; currentRow: number; startsInComment: boolean;
  spans: FunctionSpan[]; reach: number[];
}

const NONE: FunctionSpan[] = [], NO_REACH: number[] = [];
const pointStart = new Int32Array(MAX_TOKENS), pointEnd = new Int32Array(MAX_TOKENS), pointRow = new Int32Array(MAX_TOKENS), pointKind = new Int32Array(MAX_TOKENS);

/** A point to be taken at position `at` (a line start). */
export function lexPoint(at: number): LexPoint {
  return { at, taken: false, row: 0, depth: 0, pdepth: 0, minDepth: 0, tokens: 0, current: null, currentRow: 0, startsInComment: false, spans: NONE, reach: NO_REACH };
}

/**
 * `scanWithProfile(src, out, reach)` for a text whose characters before `point.at` are those of
 * the text the point was taken in, and which starts inside a comment exactly when that one did.
 */
export function resumeWithProfile(src: string, out: FunctionSpan[], reach: number[], point: LexPoint): LexResult {
  return lex(src, out, reach, 0, 0, point, true);
}

/**
 * The functions `scanFunctions(prefix + '\n' + src)` finds for a prefix of `open` unmatched `{`
 * (the first of them opening function `name` when given) or, with `open` 0, of the tokens of
 * `header` (`int name(void)`), optionally followed by an opening comment; `lexed` and `reach` come
 * from `scanWithProfile(src)`. Only the text after the point where the prefix closes is lexed again.
 */
export function scanAfterPrefix(src: string, lexed: LexResult, reach: readonly number[], open: number, name: string | null, header: boolean): FunctionSpan[] {
  const out: FunctionSpan[] = [];
  if (open === 0) {
    if (header && name) lex(`int ${name}(void)${lexed.startsInComment ? ' /*' : ''}\n${src}`, out);
    else lex(src, out, null, 0, 1);
    return out;
  }
  const k = 2 * (open - 1);
  if (k >= reach.length) {
    if (name) out.push({ name, startRow: 0, endRow: lexed.endRow + 1 });
    return out;
  }
  if (name) out.push({ name, startRow: 0, endRow: reach[k + 1] + 1 });
  lex(src, out, null, reach[k], reach[k + 1] + 1);
  return out;
}

/** The function name in a C declarator such as `static int nested_vmx_load_cr3(struct kvm_vcpu *vcpu,`. */
export function functionNameOf(declaration: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < declaration.length && i < 2000; i++) {
    const ch = declaration[i];
    if (ch === ')') { depth = Math.max(0, depth - 1); continue; }
    if (ch !== '(') continue;
    if (depth === 0) {
      const m = /([A-Za-z_]\w*)\s*$/.exec(declaration.slice(Math.max(0, i - 200), i));
      if (m && !NOT_FUNCTIONS.has(m[1]) && !ATTRIBUTES.test(m[1])) return m[1];
    }
    depth++;
  }
  return undefined;
}

/** Whether an `@@` context reads as a function header (not a struct, macro or statement). */
export function isFunctionHeader(context: string): boolean {
  const t = context.trim();
  if (!t || /;\s*$/.test(t) || /^#/.test(t)) return false;
  if (/^(?:typedef\s+)?(?:struct|union|enum)\s+\w+\s*\{?\s*$/.test(t)) return false;
  const name = functionNameOf(t);
  // ALL_CAPS(...) is a macro invocation (BUILD_CONTROLS_SHADOW(...)), not a function header
  if (!name || /^[A-Z][A-Z0-9_]*$/.test(name)) return false;
  const eq = t.indexOf('=');
  return eq < 0 || eq > t.indexOf(name + '(') && eq > t.indexOf(name + ' (');
}

/** Whether an `@@` context opens a struct/union/enum body. */
export function isAggregateHeader(context: string): boolean {
  return /^(?:typedef\s+)?(?:static\s+)?(?:const\s+)?(?:struct|union|enum)\b[^;()]*\{?\s*$/.test(context.trim());
}
