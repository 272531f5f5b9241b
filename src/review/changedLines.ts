// The one reader of changed C lines (pure), used by the hunk summary (hunkChange.ts) and the check
// changes (checkChanges.ts): a hunk's change blocks, the `#define`s and conditions they write, and
// their text without comments. A scanner that knows comments, string and character literals and
// parentheses reads a text in one pass and matches parentheses with a stack, so its work is linear
// in the text: an unclosed `/*` runs to the end of the text, an unclosed `(` encloses nothing, and
// neither makes the scan look again. Each scan reports the characters it visited (`steps`), which
// a regression test bounds.

/** The minimal shape of a diff line this needs (a src/diff DiffLine fits). */
export interface ChangedLine { kind: 'context' | 'add' | 'del'; text: string; sourceLine?: number }

/** A run of changed lines: removed lines and the added lines that follow them. */
export interface ChangeBlock { removed: string; added: string; /** 0-based document line of its first line. */ line: number }

/** Runs of changed lines in a hunk: a block of removed lines and the added lines that follow it. */
export function changeBlocks(lines: readonly ChangedLine[]): ChangeBlock[] {
  const blocks: ChangeBlock[] = [];
  let current: { removed: string[]; added: string[]; line: number } | null = null;
  const flush = () => { if (current) blocks.push({ removed: current.removed.join('\n'), added: current.added.join('\n'), line: current.line }); current = null; };
  for (const line of lines) {
    if (line.kind === 'context') { flush(); continue; }
    if (line.kind === 'del' && current && current.added.length) flush();
    current ??= { removed: [], added: [], line: line.sourceLine ?? 0 };
    (line.kind === 'del' ? current.removed : current.added).push(line.text);
  }
  flush();
  return blocks;
}

/** What one pass over a text found. */
export interface CScan {
  /** The text with every comment replaced by one space (a block comment's newlines kept). */
  code: string;
  /** Arguments of the `CC(...)` in `code` (outermost, in order), else of the `if (...)` / `while (...)`, trimmed. */
  conditions: string[];
  /** Characters visited: at most twice the text's length. */
  steps: number;
}

const isIdentChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
const isBlankChar = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;

/** `text` without comments: each comment becomes one space (plus the newlines a block comment spans). */
function withoutComments(text: string): { code: string; steps: number } {
  const parts: string[] = [];
  let steps = 0, from = 0, i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    steps++;
    if (c === 34 || c === 39) {            // a literal: to its closing quote or the end of the line
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        steps++;
        if (d === 92) { j += 2; continue; }
        j++;
        if (d === c || d === 10) break;
      }
      i = Math.min(j, n);
      continue;
    }
    if (c !== 47 || i + 1 >= n) { i++; continue; }
    const next = text.charCodeAt(i + 1);
    if (next !== 42 && next !== 47) { i++; continue; }
    parts.push(text.slice(from, i));
    let end: number;
    if (next === 42) {
      const close = text.indexOf('*/', i + 2);
      end = close < 0 ? n : close + 2;
      let newlines = '';
      for (let k = text.indexOf('\n', i); k >= 0 && k < end; k = text.indexOf('\n', k + 1)) newlines += '\n';
      parts.push(' ' + newlines);
    } else {
      const eol = text.indexOf('\n', i + 2);
      end = eol < 0 ? n : eol;
      parts.push(' ');
    }
    steps += end - i;
    i = from = end;
  }
  parts.push(text.slice(from));
  return { code: parts.join(''), steps };
}

/** Outermost of the closed intervals (sorted by start): those not inside an earlier one. */
function outermost(spans: [number, number][]): [number, number][] {
  spans.sort((a, b) => a[0] - b[0]);
  const kept: [number, number][] = [];
  let reach = -1;
  for (const s of spans) if (s[1] > reach) { kept.push(s); reach = s[1]; }
  return kept;
}

/** Reads `text` once: comments out, literals skipped, parentheses matched, conditions taken. */
export function scanC(text: string): CScan {
  const { code, steps: commentSteps } = withoutComments(text);
  let steps = commentSteps;
  const n = code.length;
  const stack: { at: number; kind: 0 | 1 | 2 }[] = [];   // kind: 0 plain, 1 CC(, 2 if/while (
  const cc: [number, number][] = [], stmt: [number, number][] = [];
  let word = '';
  for (let i = 0; i < n;) {
    const c = code.charCodeAt(i);
    steps++;
    if (isIdentChar(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(code.charCodeAt(j))) { j++; steps++; }
      word = code.slice(i, j);
      i = j;
      continue;
    }
    if (c === 34 || c === 39) {
      let j = i + 1;
      while (j < n) {
        const d = code.charCodeAt(j);
        steps++;
        if (d === 92) { j += 2; continue; }
        j++;
        if (d === c || d === 10) break;
      }
      i = Math.min(j, n);
      word = '';
      continue;
    }
    if (c === 40) stack.push({ at: i, kind: word === 'CC' ? 1 : word === 'if' || word === 'while' ? 2 : 0 });
    else if (c === 41) {
      const top = stack.pop();
      if (top?.kind === 1) cc.push([top.at, i]);
      else if (top?.kind === 2) stmt.push([top.at, i]);
    }
    if (!isBlankChar(c)) word = '';
    i++;
  }
  const spans = outermost(cc.length ? cc : stmt);
  return { code, conditions: spans.map(([a, b]) => code.slice(a + 1, b).trim()), steps };
}

/** The conditions a run of changed lines writes: each CC(...) argument, else each if/while (...). */
export function conditionsIn(source: string): string[] { return scanC(source).conditions; }

/** A line's code without comments, trimmed. */
export function codeOf(line: string): string { return withoutComments(line).code.trim(); }

/** A `#define` line: the macro's name and its value without comments (`continued`: ends in a
 *  backslash; `functionLike`: `NAME(` with the value starting at the parameter list). */
export interface Define { name: string; value: string; continued: boolean; functionLike: boolean }

/** The `#define` a line writes, if it is one. */
export function defineOf(line: string): Define | undefined {
  const code = codeOf(line);
  if (code.charCodeAt(0) !== 35) return undefined;   // '#'
  let i = 1;
  while (i < code.length && isBlankChar(code.charCodeAt(i))) i++;
  if (!code.startsWith('define', i)) return undefined;
  i += 6;
  const afterKeyword = i;
  while (i < code.length && isBlankChar(code.charCodeAt(i))) i++;
  if (i === afterKeyword) return undefined;
  const start = i;
  if (i >= code.length || !isIdentChar(code.charCodeAt(i)) || (code.charCodeAt(i) >= 48 && code.charCodeAt(i) <= 57)) return undefined;
  while (i < code.length && isIdentChar(code.charCodeAt(i))) i++;
  const name = code.slice(start, i);
  const functionLike = code[i] === '(';
  if (!functionLike && i < code.length && !isBlankChar(code.charCodeAt(i))) return undefined;
  const value = code.slice(i).trim();
  return { name, value, continued: value.endsWith('\\'), functionLike };
}

/** The object-like macros a run of lines defines on one line each, with a value: name → value. */
export function definesIn(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of source.split('\n')) {
    const d = defineOf(line);
    if (d && !d.functionLike && d.value !== '' && !d.continued) out.set(d.name, d.value);
  }
  return out;
}
