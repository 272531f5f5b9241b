// The C preprocessor of the kernel engine, over a TreeReader (pure: no I/O of its own).
//
// Macro expansion follows the standard's rescanning rules with hide sets (Prosser's algorithm, as
// in most small C compilers): a token produced by expanding macro M carries M in its hide set and is
// never expanded by M again; a function-like invocation's result carries the intersection of the
// hide sets of the macro name and the closing parenthesis, plus M. `#`, `##`, variadic macros
// (`__VA_ARGS__`, GNU `args...`, GNU `, ## __VA_ARGS__`, `__VA_OPT__`) are supported.
//
// Output keeps ONE line per input line: directives, skipped lines and continuation lines become
// empty lines; a macro invocation's expansion goes on the line where the invocation starts, so
// tree-sitter rows of the output are the original file's lines. A header included inside braces
// (an X-macro table: vmcs_shadow_fields.h) or one without an include guard is expanded onto the
// `#include` line; other headers are separate units (see Preprocessor.run).
//
// Speed: every #include is followed for its directives (macro definitions and conditionals), but
// only the files the caller asks for are tokenized and expanded; the rest are scanned line by line
// for `#` lines only. Files are split into logical lines once per Preprocessor and reused by every
// translation unit.
import type { TreeReader } from '../types';
import { configMacros, KERNEL_CONFIG, KEPT_MACROS, OVERRIDE_MACROS, PREDEFINED_MACROS, type ConfigRow } from './config';

// ------------------------------------------------------------------------------------------ tokens

export type TokKind = 'id' | 'num' | 'str' | 'chr' | 'punct' | 'other';
export interface Tok {
  t: string;
  k: TokKind;
  /** 1-based line in the file the token is emitted into */
  line: number;
  /** whitespace before the token (for # stringification) */
  sp: boolean;
  hs: HideSet | null;
}

const PUNCTS = ['%:%:', '...', '<<=', '>>=', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##', '<:', ':>', '<%', '%>', '%:'];
const PUNCT_BY_FIRST = new Map<string, string[]>();
for (const p of PUNCTS) { const l = PUNCT_BY_FIRST.get(p[0]!) ?? []; l.push(p); PUNCT_BY_FIRST.set(p[0]!, l); }

// character classes by char code: 1 identifier start, 2 digit, 4 identifier char
const CC = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_$]/.test(ch)) CC[c] = 1 | 4;
  else if (/[0-9]/.test(ch)) CC[c] = 2 | 4;
}
const isIdStart = (c: number): boolean => c < 128 ? (CC[c]! & 1) !== 0 : false;
const isIdChar = (c: number): boolean => c < 128 ? (CC[c]! & 4) !== 0 : false;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Splits one logical line (comments already removed) into preprocessing tokens. */
export function tokenize(text: string, line: number): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let sp = false;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 12 || c === 11 || c === 13 || c === 10) { sp = true; i++; continue; }
    const start = i;
    let k: TokKind;
    if (isIdStart(c)) {
      const c1 = text.charCodeAt(i + 1);
      // string/char literal prefixes L"", u"", U"", u8""
      if ((c === 76 || c === 117 || c === 85) && (c1 === 34 || c1 === 39)) { i++; k = lit(); }
      else if (c === 117 && c1 === 56 && (text.charCodeAt(i + 2) === 34 || text.charCodeAt(i + 2) === 39)) { i += 2; k = lit(); }
      else { i++; while (i < n && isIdChar(text.charCodeAt(i))) i++; k = 'id'; }
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d === 43 || d === 45) && /[eEpP]/.test(text[i - 1]!)) { i++; continue; }
        if (isIdChar(d) || d === 46 || d === 39) { i++; continue; }
        break;
      }
      k = 'num';
    } else if (c === 34 || c === 39) {
      k = lit();
    } else {
      const ch = text[i]!;
      const cands = PUNCT_BY_FIRST.get(ch);
      let m = ch;
      if (cands) for (const p of cands) if (p.length > m.length && text.startsWith(p, i)) m = p;
      i += m.length;
      k = c > 127 ? 'other' : 'punct';
    }
    out.push({ t: text.slice(start, i), k, line, sp, hs: null });
    sp = false;
  }
  return out;

  function lit(): TokKind {
    const q = text.charCodeAt(i);
    i++;
    while (i < n && text.charCodeAt(i) !== q) { if (text.charCodeAt(i) === 92) i++; i++; }
    i++;
    return q === 34 ? 'str' : 'chr';
  }
}

// ------------------------------------------------------------------------------------------ hide sets

/** An interned, immutable set of macro names. */
export class HideSet {
  private readonly plus = new Map<string, HideSet>();
  private constructor(readonly names: ReadonlySet<string>, readonly key: string) {}
  private static readonly interned = new Map<string, HideSet>();
  static of(names: Iterable<string>): HideSet | null {
    const sorted = [...new Set(names)].sort();
    if (sorted.length === 0) return null;
    const key = sorted.join(' ');
    let h = HideSet.interned.get(key);
    if (!h) { h = new HideSet(new Set(sorted), key); HideSet.interned.set(key, h); }
    return h;
  }
  static add(h: HideSet | null, name: string): HideSet {
    if (!h) return HideSet.of([name])!;
    if (h.names.has(name)) return h;
    let r = h.plus.get(name);
    if (!r) { r = HideSet.of([...h.names, name])!; h.plus.set(name, r); }
    return r;
  }
  static union(a: HideSet | null, b: HideSet | null): HideSet | null {
    if (!a || a === b) return b;
    if (!b) return a;
    let r: HideSet | null = a;
    for (const n of b.names) r = HideSet.add(r, n);
    return r;
  }
  static intersect(a: HideSet | null, b: HideSet | null): HideSet | null {
    if (!a || !b) return null;
    if (a === b) return a;
    return HideSet.of([...a.names].filter(n => b.names.has(n)));
  }
}

// ------------------------------------------------------------------------------------------ files

/** One logical line of a file: its first physical line and its text (comments removed, continuations joined). */
export interface LogicalLine {
  line: number; text: string; directive: boolean; toks?: Tok[];
  /** the directive's name ("define") */
  name?: string;
  /** a #define line's macro, parsed once */
  macro?: Macro | null;
}

export interface SplitFile {
  path: string;
  lines: LogicalLine[];
  /** the directive lines only */
  dirs: LogicalLine[];
  /** number of physical lines */
  lineCount: number;
  /** the whole-file include guard macro (`#ifndef X` … `#endif` around everything), if any */
  guard: string | null;
  pragmaOnce: boolean;
}

/** Removes comments (keeping newlines, so line numbers stay) and splits into logical lines. */
export function splitFile(path: string, text: string): SplitFile {
  // one pass: comments out (newlines kept), strings kept intact
  const parts: string[] = [];
  const n = text.length;
  const re = /\/\*|\/\/|"|'/g;
  let last = 0;
  for (;;) {
    re.lastIndex = last > re.lastIndex ? last : re.lastIndex;
    const m = re.exec(text);
    if (!m) break;
    const i = m.index;
    const tok = m[0];
    if (tok === '/*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      parts.push(text.slice(last, i), ' ');
      let nl = text.indexOf('\n', i);
      while (nl >= 0 && nl < stop) { parts.push('\n'); nl = text.indexOf('\n', nl + 1); }
      last = stop; re.lastIndex = stop;
    } else if (tok === '//') {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      parts.push(text.slice(last, i));
      // a // comment continues over a backslash-newline (the newlines stay)
      while (end > 0 && end < n && text[end - 1] === '\\') { parts.push('\n'); const e2 = text.indexOf('\n', end + 1); end = e2 < 0 ? n : e2; }
      last = end; re.lastIndex = end;
    } else {
      // skip a string or char literal (a lone quote ends at the line end)
      const q = tok.charCodeAt(0);
      let j = i + 1;
      while (j < n) {
        const e = text.charCodeAt(j);
        if (e === 92) { j += 2; continue; }
        if (e === q || e === 10) break;
        j++;
      }
      re.lastIndex = j + 1;
    }
  }
  parts.push(text.slice(last));
  const s = parts.join('');
  const phys = s.split('\n');
  const lines: LogicalLine[] = [];
  for (let k = 0; k < phys.length; k++) {
    let t = phys[k]!;
    const first = k;
    while (t.endsWith('\\') && k + 1 < phys.length) { t = t.slice(0, -1) + phys[++k]!; }
    if (t.endsWith('\r')) t = t.slice(0, -1);
    let p = 0;
    while (p < t.length && (t.charCodeAt(p) === 32 || t.charCodeAt(p) === 9)) p++;
    if (p >= t.length || t.trim() === '') continue;
    const directive = t.charCodeAt(p) === 35 || t.startsWith('%:', p);
    const l: LogicalLine = { line: first + 1, text: t, directive };
    if (directive) {
      const dm = /^\s*(?:#|%:)\s*(\w*)/.exec(t);
      l.name = dm ? dm[1]! : '';
    }
    lines.push(l);
  }
  return { path, lines, dirs: lines.filter(l => l.directive), lineCount: phys.length, guard: findGuard(lines), pragmaOnce: lines.some(l => l.directive && /^\s*#\s*pragma\s+once\b/.test(l.text)) };
}

function findGuard(lines: LogicalLine[]): string | null {
  if (lines.length < 3) return null;
  const first = lines[0]!, second = lines[1]!, last = lines[lines.length - 1]!;
  const m = /^\s*#\s*(?:ifndef\s+(\w+)|if\s+!\s*defined\s*\(?\s*(\w+)\s*\)?)\s*$/.exec(first.text);
  if (!m || !first.directive || !last.directive || !/^\s*#\s*endif\b/.test(last.text)) return null;
  const name = m[1] ?? m[2]!;
  if (!new RegExp(`^\\s*#\\s*define\\s+${name}\\b`).test(second.text)) return null;
  // the #ifndef must be closed by the last line, not earlier
  let depth = 0;
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!;
    if (!l.directive) continue;
    const d = /^\s*#\s*(\w+)/.exec(l.text)?.[1];
    if (d === 'if' || d === 'ifdef' || d === 'ifndef') depth++;
    else if (d === 'endif') { depth--; if (depth === 0 && k !== lines.length - 1) return null; }
  }
  return name;
}

// ------------------------------------------------------------------------------------------ macros

export interface Macro {
  name: string;
  fn: boolean;
  params: string[];
  /** the variadic parameter's name (`__VA_ARGS__` or GNU `args...`), or null */
  va: string | null;
  body: Tok[];
  /** where it was defined ("include/linux/bits.h:8"), or "<config>" / "<engine>" */
  where: string;
}

function parseDefine(toks: Tok[], where: string): Macro | null {
  // toks: after `define`
  const nameTok = toks[0];
  if (!nameTok || nameTok.k !== 'id') return null;
  const name = nameTok.t;
  const t1 = toks[1];
  if (t1 && t1.t === '(' && !t1.sp) {
    const params: string[] = [];
    let va: string | null = null;
    let i = 2;
    for (; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.t === ')') break;
      if (t.t === ',') continue;
      if (t.t === '...') { va = '__VA_ARGS__'; params.push(va); continue; }
      if (t.k === 'id') {
        if (toks[i + 1]?.t === '...') { va = t.t; params.push(t.t); i++; continue; }
        params.push(t.t);
        continue;
      }
      return null;
    }
    return { name, fn: true, params, va, body: toks.slice(i + 1).map((t, j) => (j === 0 ? { ...t, sp: false } : t)), where };
  }
  return { name, fn: false, params: [], va: null, body: toks.slice(1).map((t, j) => (j === 0 ? { ...t, sp: false } : t)), where };
}

/** Parses a `#define`-style text ("NAME(a, b) body") into a macro. */
export function macroFromText(text: string, where: string): Macro {
  const m = parseDefine(tokenize(text, 0), where);
  if (!m) throw new Error(`bad engine macro ${text}`);
  return m;
}

function bodyText(m: Macro): string {
  return m.body.map((t, i) => (i > 0 && t.sp ? ' ' : '') + t.t).join('');
}

// ------------------------------------------------------------------------------------------ output

/** A prepared (expanded) file: one output line per input line. */
export interface PreparedText {
  path: string;
  /** the expanded text, lineCount lines */
  text: string;
  lineCount: number;
  /** typeof(expression) operands, which the text names `__kvm_typeof_<i>` (tree-sitter-c parses typeof(type) only) */
  typeofs: string[];
}

/** The identifier standing for typeofs[i] in a PreparedText. */
export const TYPEOF_ID = /^__kvm_typeof_(\d+)$/;

interface Sink {
  toks: Tok[];
  /** an inline include: every token goes on this line */
  fixedLine: number | null;
  depth: number;
}

// ------------------------------------------------------------------------------------------ #if

interface IfVal { v: bigint; u: boolean }
const MASK64 = (1n << 64n) - 1n;
function norm(x: IfVal): IfVal {
  let v = x.v & MASK64;
  if (!x.u && v >= 1n << 63n) v -= 1n << 64n;
  return { v, u: x.u };
}

function parseNumberToken(t: string): IfVal | null {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(t.replace(/'/g, ''));
  if (!m) return null;
  const d = m[1]!;
  const v = /^0[bB]/.test(d) ? BigInt(d) : /^0[0-7]+$/.test(d) ? BigInt('0o' + d.slice(1)) : BigInt(d);
  return norm({ v, u: /u/i.test(m[2]!) || v >= 1n << 63n });
}

function charValue(t: string): bigint {
  const m = /'(\\?)(.*)'$/.exec(t);
  if (!m) return 0n;
  if (!m[1]) return BigInt(m[2]!.codePointAt(0) ?? 0);
  const e = m[2]!;
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
  if (e[0] === 'x') return BigInt(parseInt(e.slice(1), 16) || 0);
  if (/^[0-7]+$/.test(e)) return BigInt(parseInt(e, 8));
  return BigInt(simple[e] ?? e.charCodeAt(0));
}

/** Evaluates an already-expanded #if expression (identifiers are 0). Throws a message on junk. */
export function evalIf(toks: Tok[]): bigint {
  let i = 0;
  /** > 0 inside an operand that is not evaluated (`0 && x`, the untaken arm of ?:) */
  let skip = 0;
  const peek = (): string | undefined => toks[i]?.t;
  const primary = (): IfVal => {
    const t = toks[i++];
    if (!t) throw new Error('missing operand');
    if (t.t === '(') { const v = comma(); if (toks[i++]?.t !== ')') throw new Error('missing )'); return v; }
    if (t.t === '!') { const v = unary0(); return { v: v.v === 0n ? 1n : 0n, u: false }; }
    if (t.t === '~') { const v = unary0(); return norm({ v: ~v.v, u: v.u }); }
    if (t.t === '-') { const v = unary0(); return norm({ v: -v.v, u: v.u }); }
    if (t.t === '+') return unary0();
    if (t.k === 'num') { const v = parseNumberToken(t.t); if (!v) throw new Error(`bad number ${t.t}`); return v; }
    if (t.k === 'chr') return { v: charValue(t.t), u: false };
    if (t.k === 'id') return { v: t.t === 'true' ? 1n : 0n, u: false };
    throw new Error(`unexpected ${t.t}`);
  };
  function unary0(): IfVal { i--; const t = toks[i]!; i++; void t; return primary(); }
  const PREC: Record<string, number> = { '*': 10, '/': 10, '%': 10, '+': 9, '-': 9, '<<': 8, '>>': 8, '<': 7, '>': 7, '<=': 7, '>=': 7, '==': 6, '!=': 6, '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1 };
  const binary = (minPrec: number): IfVal => {
    let left = primary();
    for (;;) {
      const op = peek();
      const p = op !== undefined ? PREC[op] : undefined;
      if (p === undefined || p < minPrec) return left;
      i++;
      if (op === '&&' && left.v === 0n) { skip++; binary(p + 1); skip--; left = { v: 0n, u: false }; continue; }
      if (op === '||' && left.v !== 0n) { skip++; binary(p + 1); skip--; left = { v: 1n, u: false }; continue; }
      const right = binary(p + 1);
      left = apply(op!, left, right);
    }
  };
  const apply = (op: string, a: IfVal, b: IfVal): IfVal => {
    const u = a.u || b.u;
    const av = u ? a.v & MASK64 : a.v, bv = u ? b.v & MASK64 : b.v;
    const bool = (x: boolean): IfVal => ({ v: x ? 1n : 0n, u: false });
    switch (op) {
      case '*': return norm({ v: av * bv, u });
      case '/': if (bv === 0n) { if (skip) return { v: 0n, u }; throw new Error('division by zero'); } return norm({ v: av / bv, u });
      case '%': if (bv === 0n) { if (skip) return { v: 0n, u }; throw new Error('division by zero'); } return norm({ v: av % bv, u });
      case '+': return norm({ v: av + bv, u });
      case '-': return norm({ v: av - bv, u });
      case '<<': return norm({ v: av << (bv & 63n), u: a.u });
      case '>>': return norm({ v: (a.u ? a.v & MASK64 : a.v) >> (bv & 63n), u: a.u });
      case '<': return bool(av < bv); case '>': return bool(av > bv);
      case '<=': return bool(av <= bv); case '>=': return bool(av >= bv);
      case '==': return bool(av === bv); case '!=': return bool(av !== bv);
      case '&': return norm({ v: av & bv, u }); case '^': return norm({ v: av ^ bv, u }); case '|': return norm({ v: av | bv, u });
      case '&&': return bool(av !== 0n && bv !== 0n); case '||': return bool(av !== 0n || bv !== 0n);
    }
    throw new Error(`operator ${op}`);
  };
  const cond = (): IfVal => {
    const c = binary(1);
    if (peek() !== '?') return c;
    i++;
    if (c.v === 0n) skip++;
    const a = comma();
    if (c.v === 0n) skip--;
    if (toks[i++]?.t !== ':') throw new Error('missing :');
    if (c.v !== 0n) skip++;
    const b = cond();
    if (c.v !== 0n) skip--;
    return c.v !== 0n ? a : b;
  };
  const comma = (): IfVal => { let v = cond(); while (peek() === ',') { i++; v = cond(); } return v; };
  const v = comma();
  if (i < toks.length) throw new Error(`unexpected ${toks[i]!.t}`);
  return v.v;
}

// ------------------------------------------------------------------------------------------ the preprocessor

/** How a file is processed. */
type Mode = 'emit' | 'directives';

export interface PreprocessOptions {
  /** the build configuration (default: KERNEL_CONFIG) */
  config?: readonly ConfigRow[];
  /** extra predefined macros ("NAME(args) body" → replacement) */
  defines?: [string, string][];
  /** identifiers never expanded (default: KEPT_MACROS) */
  keep?: readonly string[];
  /** replacement definitions that win over the tree's (default: OVERRIDE_MACROS) */
  overrides?: readonly [string, string][];
  /** replay recorded header inclusions across units (default true; false for checking) */
  memoize?: boolean;
}

/** What a header or a .c file needs to know while being processed. */
export interface IncludeDecision {
  /** expand this file as its own unit (its text becomes a PreparedText) */
  emit: boolean;
}

export interface UnitResult {
  /** the files expanded in this unit, in the order they were finished (headers before the .c) */
  prepared: PreparedText[];
  /** every file read (path), for cache stamps */
  visited: string[];
  notes: string[];
  /** module parameters found: variable → parameter name */
  moduleParams: [string, string][];
  /** object-like macros at the end of the unit: name → replacement text */
  macros: Map<string, string>;
}

/** The include search path of an x86 kernel build (LINUXINCLUDE, plus KVM's own -I). */
export const INCLUDE_PATH: readonly { dir: string; why: string }[] = [
  { dir: 'arch/x86/include', why: 'LINUXINCLUDE: -I arch/x86/include' },
  { dir: 'arch/x86/include/generated', why: 'generated at build time; absent in a source tree — asm-generic wrappers and autoconf.h are synthesised instead' },
  { dir: 'include', why: 'LINUXINCLUDE: -I include' },
  { dir: 'arch/x86/include/uapi', why: 'LINUXINCLUDE: -I arch/x86/include/uapi' },
  { dir: 'arch/x86/include/generated/uapi', why: 'generated; absent (asm-generic uapi wrappers are synthesised)' },
  { dir: 'include/uapi', why: 'LINUXINCLUDE: -I include/uapi' },
  { dir: 'arch/x86/kvm', why: 'arch/x86/kvm/Makefile: ccflags-y += -I arch/x86/kvm' },
];

/** Headers the Kbuild command line force-includes into every C file (-include …). */
export const FORCED_INCLUDES: readonly string[] = ['include/linux/compiler-version.h', 'include/linux/kconfig.h', 'include/linux/compiler_types.h'];

/** Headers that would only add tracepoint or other machinery the engine has no use for. */
export const SKIPPED_INCLUDES: readonly [string, string][] = [
  ['include/trace/define_trace.h', 'tracepoint definitions (CREATE_TRACE_POINTS): no behaviour, very large expansions'],
  ['include/generated/compile.h', 'generated build metadata'],
];

export class Preprocessor {
  private readonly split = new Map<string, SplitFile | null>();
  private readonly base = new Map<string, Macro>();
  private readonly keep: Set<string>;
  private readonly overrides = new Map<string, Macro>();
  private readonly autoconf: string;
  /** files read through this preprocessor (for cache stamps) */
  readonly visited = new Set<string>();
  /** recorded header inclusions, shared by the units of this preprocessor */
  readonly memos = new Map<string, IncludeMemo[]>();

  readonly memoize: boolean;

  constructor(private readonly tree: TreeReader, opts: PreprocessOptions = {}) {
    this.memoize = opts.memoize ?? true;
    const conf = configMacros(opts.config ?? KERNEL_CONFIG);
    this.autoconf = conf.map(([n, v]) => `#define ${n} ${v}`).join('\n') + '\n';
    for (const [n, v] of PREDEFINED_MACROS) this.defineText(this.base, `${n} ${v}`, '<compiler>');
    for (const [n, v] of opts.defines ?? []) this.defineText(this.base, `${n} ${v}`, '<caller>');
    this.keep = new Set(opts.keep ?? KEPT_MACROS.map(k => k[0]));
    for (const [n, v] of opts.overrides ?? OVERRIDE_MACROS.map(o => [o[0], o[1]] as [string, string])) {
      const m = macroFromText(`${n} ${v}`, '<engine>');
      this.overrides.set(m.name, m);
    }
  }

  private defineText(into: Map<string, Macro>, text: string, where: string): void {
    const m = macroFromText(text, where);
    into.set(m.name, m);
  }

  /** The logical lines of a tree file (cached), or null when absent. */
  file(path: string): SplitFile | null {
    if (this.split.has(path)) return this.split.get(path)!;
    let text: string | undefined;
    if (path === 'include/generated/autoconf.h') text = this.autoconf;
    else { text = this.tree.read(path); if (text !== undefined) this.visited.add(path); }
    const sf = text === undefined ? null : splitFile(path, text);
    this.split.set(path, sf);
    return sf;
  }

  private exists(path: string): boolean {
    if (path === 'include/generated/autoconf.h') return true;
    return this.file(path) !== null;
  }

  /** Resolves an #include name to a tree path, or null. */
  resolve(name: string, angled: boolean, from: string): string | null {
    const norm = (p: string): string | null => {
      const parts: string[] = [];
      for (const seg of p.split('/')) {
        if (seg === '' || seg === '.') continue;
        if (seg === '..') { if (!parts.length) return null; parts.pop(); continue; }
        parts.push(seg);
      }
      return parts.join('/');
    };
    if (!angled) {
      const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
      const p = norm(dir ? `${dir}/${name}` : name);
      if (p && this.exists(p)) return p;
    }
    if (name === 'generated/autoconf.h') return 'include/generated/autoconf.h';
    for (const { dir } of INCLUDE_PATH) {
      if (dir.includes('/generated')) {
        // the generated wrappers: <asm/x.h> → asm-generic/x.h when the arch has no header of its own
        const m = /^asm\/(.+)$/.exec(name);
        if (!m) continue;
        if (dir === 'arch/x86/include/generated') {
          if (this.exists(`arch/x86/include/uapi/asm/${m[1]}`)) continue;
          const g = `include/asm-generic/${m[1]}`;
          if (this.exists(g)) return g;
        } else {
          const g = `include/uapi/asm-generic/${m[1]}`;
          if (this.exists(g)) return g;
        }
        continue;
      }
      const p = norm(`${dir}/${name}`);
      if (p && this.exists(p)) return p;
    }
    return null;
  }

  /**
   * Runs one translation unit (a .c file). `emit(path)` says which files to expand (the .c file
   * itself is expanded when emit says so too); `done` holds the files already expanded by an
   * earlier unit (processed for directives only now).
   */
  run(cFile: string, emit: (path: string) => boolean, done: ReadonlySet<string> = new Set(), extraDefines: [string, string][] = []): UnitResult {
    const unit = new Unit(this, cFile, emit, done, this.base, this.keep, this.overrides, extraDefines);
    return unit.run();
  }
}

interface Recorder {
  /** first reads: value seen, and the mutation-log index of the name's last change then (-1: none) */
  deps: Map<string, { v: Macro | undefined; seen: number }>;
  /** mutation-log and file-log positions at the start */
  start: number;
  fileStart: number;
  poisoned: boolean;
  notesFrom: number;
  onceFrom: Set<string>;
}

/** A recorded inclusion (see Unit.includeDirectives). */
export interface IncludeMemo { deps: Map<string, Macro | undefined>; muts: [string, Macro | null][]; once: string[]; notes: string[]; files: string[] }

interface Frame {
  file: SplitFile;
  mode: Mode;
  sink: Sink | null;
  idx: number;
  /** conditional stack: [active, anyTaken, seenElse] */
  conds: { active: boolean; taken: boolean; outerActive: boolean }[];
  /** tokens of the current text line not yet consumed */
  pending: Tok[];
  pendingPos: number;
}

class Unit {
  private readonly macros: Map<string, Macro>;
  private readonly notes: string[] = [];
  private readonly prepared: PreparedText[] = [];
  private readonly moduleParams: [string, string][] = [];
  private readonly onceSeen = new Set<string>();
  private readonly emittedHere = new Set<string>();
  private counter = 0;
  private depth = 0;
  private steps = 0;

  constructor(
    private readonly pp: Preprocessor,
    private readonly cFile: string,
    private readonly emitFn: (path: string) => boolean,
    private readonly done: ReadonlySet<string>,
    base: Map<string, Macro>,
    private readonly keep: Set<string>,
    private readonly overrides: Map<string, Macro>,
    extraDefines: [string, string][],
  ) {
    this.macros = new Map(base);
    for (const [n, v] of extraDefines) { const m = macroFromText(`${n} ${v}`, '<unit>'); this.macros.set(m.name, m); }
    for (const m of overrides.values()) this.macros.set(m.name, m);
  }

  run(): UnitResult {
    for (const f of FORCED_INCLUDES) {
      const sf = this.pp.file(f);
      if (sf) { this.touch(f); this.includeDirectives(sf); }
      else this.notes.push(`${this.cFile}: forced include ${f} not in the tree`);
    }
    const sf = this.pp.file(this.cFile);
    this.touch(this.cFile);
    if (!sf) {
      this.notes.push(`${this.cFile}: not in the tree`);
    } else {
      const emit = this.emitFn(this.cFile) && !this.done.has(this.cFile);
      const sink: Sink | null = emit ? { toks: [], fixedLine: null, depth: 0 } : null;
      this.processFile(sf, emit ? 'emit' : 'directives', sink);
      if (sink) this.finish(sf, sink);
    }
    const macros = new Map<string, string>();
    for (const m of this.macros.values()) if (!m.fn && m.where !== '<compiler>' && m.where !== '<config>') macros.set(m.name, bodyText(m));
    return { prepared: this.prepared, visited: [...this.visitedHere].filter(p => this.pp.file(p) !== null), notes: this.notes, moduleParams: this.moduleParams, macros };
  }

  // ---------------------------------------------------------------- files and directives

  private processFile(file: SplitFile, mode: Mode, sink: Sink | null): void {
    if (++this.depth > 64) { this.notes.push(`${file.path}: #include nesting too deep`); this.depth--; return; }
    const frame: Frame = { file, mode, sink, idx: 0, conds: [], pending: [], pendingPos: 0 };
    if (mode === 'emit' && sink) {
      const ex = Expander.frame(this, frame);
      for (;;) {
        const t = ex.nextExpanded();
        if (!t) break;
        this.emitTok(sink, t);
      }
    } else {
      // directives only
      const dirs = file.dirs;
      for (let k = 0; k < dirs.length; k++) this.directive(frame, dirs[k]!);
    }
    if (frame.conds.length) this.notes.push(`${file.path}: unterminated #if`);
    this.depth--;
  }

  /** Next raw token of the frame's active text lines (directives are handled on the way); null at EOF. */
  nextRaw(frame: Frame): Tok | null {
    for (;;) {
      if (frame.pendingPos < frame.pending.length) return frame.pending[frame.pendingPos++]!;
      if (frame.idx >= frame.file.lines.length) return null;
      const l = frame.file.lines[frame.idx++]!;
      if (l.directive) { this.directive(frame, l); continue; }
      if (!this.active(frame)) continue;
      l.toks ??= tokenize(l.text, l.line);
      frame.pending = frame.sink?.fixedLine != null ? l.toks.map(t => ({ ...t, line: frame.sink!.fixedLine! })) : l.toks;
      frame.pendingPos = 0;
    }
  }

  private active(frame: Frame): boolean {
    const c = frame.conds[frame.conds.length - 1];
    return !c || c.active;
  }

  private directive(frame: Frame, l: LogicalLine): void {
    const name = l.name ?? '';
    const active = this.active(frame);
    if (!active && name !== 'if' && name !== 'ifdef' && name !== 'ifndef' && name !== 'elif' && name !== 'else' && name !== 'endif' && name !== 'elifdef' && name !== 'elifndef') return;
    if (!active && (name === 'if' || name === 'ifdef' || name === 'ifndef')) { frame.conds.push({ active: false, taken: true, outerActive: false }); return; }
    if (name === 'else' || name === 'endif') { this.conditional(frame, l, name, []); return; }
    l.toks ??= tokenize(l.text, l.line);
    const toks = l.toks;
    // toks[0] is '#', toks[1] the name
    const rest = toks.length > 2 ? toks.slice(2) : [];
    if (!this.conditional(frame, l, name, rest)) this.other(frame, l, name, rest, toks);
  }

  /** #if family; false when `name` is not one of them. */
  private conditional(frame: Frame, l: LogicalLine, name: string, rest: Tok[]): boolean {
    const active = this.active(frame);
    switch (name) {
      case 'if': case 'ifdef': case 'ifndef': {
        if (!active) { frame.conds.push({ active: false, taken: true, outerActive: false }); return true; }
        let v: boolean;
        if (name === 'if') v = this.evalCondition(rest, frame.file.path, l.line);
        else {
          const id = rest[0]?.t ?? '';
          v = (this.lookup(id) !== undefined) === (name === 'ifdef');
        }
        frame.conds.push({ active: v, taken: v, outerActive: true });
        return true;
      }
      case 'elif': case 'elifdef': case 'elifndef': {
        const c = frame.conds[frame.conds.length - 1];
        if (!c) { this.notes.push(`${frame.file.path}:${l.line}: #${name} without #if`); return true; }
        if (!c.outerActive || c.taken) { c.active = false; return true; }
        const v = name === 'elif' ? this.evalCondition(rest, frame.file.path, l.line) : (this.lookup(rest[0]?.t ?? '') !== undefined) === (name === 'elifdef');
        c.active = v; c.taken = v;
        return true;
      }
      case 'else': {
        const c = frame.conds[frame.conds.length - 1];
        if (!c) { this.notes.push(`${frame.file.path}:${l.line}: #else without #if`); return true; }
        c.active = c.outerActive && !c.taken; c.taken = true;
        return true;
      }
      case 'endif': {
        if (!frame.conds.pop()) this.notes.push(`${frame.file.path}:${l.line}: #endif without #if`);
        return true;
      }
    }
    return false;
  }

  private other(frame: Frame, l: LogicalLine, name: string, rest: Tok[], toks: Tok[]): void {
    if (!this.active(frame)) return;
    switch (name) {
      case 'define': {
        if (l.macro === undefined) l.macro = parseDefine(rest, `${frame.file.path}:${l.line}`);
        const m = l.macro;
        if (!m) { this.notes.push(`${frame.file.path}:${l.line}: #define not understood`); return; }
        if (this.overrides.has(m.name)) return;
        this.setMacro(m.name, m);
        return;
      }
      case 'undef': {
        const id = rest[0]?.t;
        if (id && !this.overrides.has(id)) this.setMacro(id, null);
        return;
      }
      case 'include': case 'include_next': this.include(frame, rest, l, name === 'include_next'); return;
      case 'pragma': if (rest[0]?.t === 'once') this.onceSeen.add(frame.file.path); return;
      case 'error': case 'warning': case 'line': case '': case 'ident': case 'sccs': case 'assert': return;
      default:
        if (toks[1]?.k === 'num') return; // GNU line marker
        this.notes.push(`${frame.file.path}:${l.line}: unknown directive #${name}`);
    }
  }

  private evalCondition(rest: Tok[], path: string, line: number): boolean {
    try {
      const expanded = this.expandForIf(rest, path);
      return evalIf(expanded) !== 0n;
    } catch (e) {
      this.notes.push(`${path}:${line}: #if not evaluated (${(e as Error).message}); taken as false`);
      return false;
    }
  }

  /** Replaces defined X / __has_include(...) and expands macros in an #if line. */
  private expandForIf(rest: Tok[], path: string): Tok[] {
    const pre: Tok[] = [];
    for (let i = 0; i < rest.length; i++) {
      const t = rest[i]!;
      if (t.k === 'id' && t.t === 'defined') {
        let id: Tok | undefined;
        if (rest[i + 1]?.t === '(') { id = rest[i + 2]; i += 3; } else { id = rest[i + 1]; i += 1; }
        pre.push({ ...t, k: 'num', t: id && this.lookup(id.t) !== undefined ? '1' : '0' });
        continue;
      }
      if (t.k === 'id' && (t.t === '__has_include' || t.t === '__has_include_next')) {
        // __has_include(<a/b.h>) or ("x.h")
        let j = i + 1;
        if (rest[j]?.t === '(') j++;
        let name = '', angled = false;
        if (rest[j]?.k === 'str') { name = rest[j]!.t.slice(1, -1); j++; }
        else if (rest[j]?.t === '<') { angled = true; j++; while (j < rest.length && rest[j]!.t !== '>') name += rest[j++]!.t; j++; }
        if (rest[j]?.t === ')') j++;
        pre.push({ ...t, k: 'num', t: this.pp.resolve(name, angled, path) ? '1' : '0' });
        i = j - 1;
        continue;
      }
      pre.push(t);
    }
    const ex = Expander.over(this, pre, true);
    const out: Tok[] = [];
    for (let t = ex.nextExpanded(); t; t = ex.nextExpanded()) out.push(t);
    return out;
  }

  private include(frame: Frame, rest: Tok[], l: LogicalLine, next: boolean): void {
    let name = '', angled = false;
    let toks = rest;
    if (toks[0] && toks[0].k !== 'str' && toks[0].t !== '<') {
      const ex = Expander.over(this, toks, false);
      const out: Tok[] = [];
      for (let t = ex.nextExpanded(); t; t = ex.nextExpanded()) out.push(t);
      toks = out;
    }
    if (toks[0]?.k === 'str') name = toks[0].t.slice(1, -1);
    else if (toks[0]?.t === '<') { angled = true; for (let j = 1; j < toks.length && toks[j]!.t !== '>'; j++) name += toks[j]!.t; }
    else { this.notes.push(`${frame.file.path}:${l.line}: #include not understood`); return; }
    let path = this.pp.resolve(name, angled, frame.file.path);
    if (next && path === frame.file.path) path = this.pp.resolve(name, true, '');
    if (!path) { this.notes.push(`${frame.file.path}:${l.line}: #include ${angled ? `<${name}>` : `"${name}"`} not found in the tree (generated at build time?)`); return; }
    if (SKIPPED_INCLUDES.some(s => s[0] === path)) return;
    const sf = this.pp.file(path)!;
    this.touch(path);
    if (sf.guard && this.lookup(sf.guard) !== undefined) return;
    if (this.onceSeen.has(path)) return;
    if (sf.pragmaOnce) this.onceSeen.add(path);
    const emitting = frame.mode === 'emit' && frame.sink !== null;
    if (emitting && (frame.sink!.depth > 0 || (!sf.guard && !sf.pragmaOnce && this.emitFn(path)))) {
      // inside braces (an X-macro table) or a guard-less X-macro header: expand onto this line
      const fixed = frame.sink!.fixedLine ?? l.line;
      this.poison();
      this.processFile(sf, 'emit', { toks: frame.sink!.toks, fixedLine: fixed, depth: frame.sink!.depth });
      return;
    }
    if (this.emitFn(path) && !this.done.has(path) && !this.emittedHere.has(path)) {
      this.emittedHere.add(path);
      this.poison();
      const sink: Sink = { toks: [], fixedLine: null, depth: 0 };
      this.processFile(sf, 'emit', sink);
      this.finish(sf, sink);
      return;
    }
    this.includeDirectives(sf);
  }

  /** Turns a separate unit's tokens into its prepared text. */
  private finish(sf: SplitFile, sink: Sink): void {
    const typeofs: string[] = [];
    const toks = rewriteTypeof(postProcess(sink.toks, this, sf.path), typeofs);
    this.prepared.push({ path: sf.path, text: render(toks, sf.lineCount), lineCount: sf.lineCount, typeofs });
  }

  private emitTok(sink: Sink, t: Tok): void {
    if (t.t === '{') sink.depth++;
    else if (t.t === '}') sink.depth = Math.max(0, sink.depth - 1);
    sink.toks.push(sink.fixedLine != null ? { ...t, line: sink.fixedLine } : t);
  }

  // ---------------------------------------------------------------- used by the expander

  macro(name: string): Macro | undefined { return this.lookup(name); }

  // ---------------------------------------------------------------- include memoization
  // Including a header for its directives has an effect (macros defined/undefined, #pragma once
  // files, notes) that depends only on the macros the header's directives looked at. Each such
  // inclusion is recorded (what it read, what it changed); a later inclusion of the same header in
  // another unit whose reads give the same answers replays the changes instead of re-reading.

  private readonly recorders: Recorder[] = [];

  /** files this unit read (directly or through a replayed inclusion) */
  readonly visitedHere = new Set<string>();

  // Mutations and touched files go to unit-wide logs; a recorder remembers where the logs stood
  // when it started. A read is a dependency of the innermost recorder when the name has not been
  // changed since that recorder started; a finished recorder hands its dependencies to its parent
  // when they predate the parent too.
  private readonly mutLog: [string, Macro | null][] = [];
  private readonly lastMut = new Map<string, number>();
  private readonly fileLog: string[] = [];

  touch(path: string): void {
    if (!this.visitedHere.has(path)) this.visitedHere.add(path);
    if (this.recorders.length) this.fileLog.push(path);
  }

  private lookup(name: string): Macro | undefined {
    const v = this.macros.get(name);
    const r = this.recorders[this.recorders.length - 1];
    if (r && !r.deps.has(name)) {
      const lm = this.lastMut.get(name) ?? -1;
      if (lm < r.start) r.deps.set(name, { v, seen: lm });
    }
    return v;
  }

  private setMacro(name: string, m: Macro | null): void {
    if (m) this.macros.set(name, m); else this.macros.delete(name);
    this.lastMut.set(name, this.mutLog.length);
    this.mutLog.push([name, m]);
  }

  /** Something happened that a replay could not reproduce (a file expanded, __COUNTER__). */
  poison(): void { for (const r of this.recorders) r.poisoned = true; }

  private mergeIntoParent(child: Recorder): void {
    const parent = this.recorders[this.recorders.length - 1];
    if (!parent) return;
    for (const [name, d] of child.deps) if (d.seen < parent.start && !parent.deps.has(name)) parent.deps.set(name, d);
    if (child.poisoned) parent.poisoned = true;
  }

  private includeDirectives(sf: SplitFile): void {
    const memos = this.pp.memos.get(sf.path);
    if (memos && this.pp.memoize) {
      for (const m of memos) {
        let ok = true;
        for (const [name, v] of m.deps) if (this.lookup(name) !== v) { ok = false; break; }
        if (!ok) continue;
        for (const [name, v] of m.muts) this.setMacro(name, v);
        for (const o of m.once) this.onceSeen.add(o);
        this.notes.push(...m.notes);
        for (const f of m.files) this.touch(f);
        return;
      }
    }
    const r: Recorder = { deps: new Map(), start: this.mutLog.length, fileStart: this.fileLog.length, poisoned: false, notesFrom: this.notes.length, onceFrom: new Set(this.onceSeen) };
    this.recorders.push(r);
    try { this.processFile(sf, 'directives', null); } finally { this.recorders.pop(); this.mergeIntoParent(r); }
    if (r.poisoned) return;
    const list = memos ?? [];
    if (list.length < 8) {
      const deps = new Map<string, Macro | undefined>();
      for (const [name, d] of r.deps) deps.set(name, d.v);
      list.push({ deps, muts: this.mutLog.slice(r.start), once: [...this.onceSeen].filter(o => !r.onceFrom.has(o)), notes: this.notes.slice(r.notesFrom), files: [...new Set(this.fileLog.slice(r.fileStart))] });
      this.pp.memos.set(sf.path, list);
    }
  }
  isKept(name: string): boolean { return this.keep.has(name); }
  nextCounter(): number { this.poison(); return this.counter++; }
  step(): void { if (++this.steps > 50_000_000) throw new Error('macro expansion too long'); }
  note(s: string): void { this.notes.push(s); }
  recordModuleParam(variable: string, param: string): void { this.moduleParams.push([variable, param]); }
  currentFile(): string { return this.cFile; }
}

/** Expands macros over a frame's tokens or over a fixed token list. */
class Expander {
  /** pushed-back tokens (a stack: last is next) */
  private readonly back: Tok[] = [];
  private constructor(private readonly unit: Unit, private readonly frame: Frame | null, private readonly list: Tok[] | null, private readonly inIf: boolean) {}
  private listPos = 0;

  static over(unit: Unit, toks: Tok[], inIf: boolean): Expander { return new Expander(unit, null, toks, inIf); }
  static frame(unit: Unit, frame: Frame): Expander { return new Expander(unit, frame, null, false); }

  private raw(): Tok | null {
    if (this.back.length) return this.back.pop()!;
    if (this.list) return this.listPos < this.list.length ? this.list[this.listPos++]! : null;
    return this.unit.nextRaw(this.frame!);
  }

  private unget(t: Tok): void { this.back.push(t); }

  private pushAll(toks: Tok[]): void { for (let i = toks.length - 1; i >= 0; i--) this.back.push(toks[i]!); }

  nextExpanded(): Tok | null {
    for (;;) {
      const t = this.raw();
      if (!t) return null;
      this.unit.step();
      if (t.k !== 'id') return t;
      const name = t.t;
      if (t.hs?.names.has(name)) return t;
      if (this.inIf && name === 'defined') {
        // `defined` produced by a macro expansion inside #if
        let id = this.raw();
        let paren = false;
        if (id?.t === '(') { paren = true; id = this.raw(); }
        if (paren) { const c = this.raw(); if (c && c.t !== ')') this.unget(c); }
        return { ...t, k: 'num', t: id && this.unit.macro(id.t) ? '1' : '0' };
      }
      if (name === '__LINE__') return { ...t, k: 'num', t: String(t.line) };
      if (name === '__FILE__') return { ...t, k: 'str', t: JSON.stringify(this.frame?.file.path ?? this.unit.currentFile()) };
      if (name === '__COUNTER__') return { ...t, k: 'num', t: String(this.unit.nextCounter()) };
      if (this.unit.isKept(name)) return t;
      const m = this.unit.macro(name);
      if (!m) return t;
      if (!m.fn) {
        const body = substitute(this.unit, m, [], HideSet.add(t.hs, name), t);
        this.pushAll(body);
        continue;
      }
      // function-like: needs '(' next
      const p = this.raw();
      if (!p || p.t !== '(') { if (p) this.unget(p); return t; }
      const args = this.collectArgs(m, t);
      if (!args) return t;
      const hs = HideSet.add(HideSet.intersect(t.hs, args.rparen.hs), name);
      this.pushAll(substitute(this.unit, m, args.args, hs, t));
    }
  }

  private collectArgs(m: Macro, at: Tok): { args: Tok[][]; rparen: Tok } | null {
    const args: Tok[][] = [[]];
    let depth = 0;
    for (;;) {
      const t = this.raw();
      if (!t) { this.unit.note(`${at.line}: unterminated call of macro ${m.name}`); return null; }
      if (t.t === '(' || t.t === '[' || t.t === '{') { if (t.t === '(') depth++; }
      if (t.t === ')' ) {
        if (depth === 0) {
          // fill missing parameters with empty arguments
          const want = Math.max(m.params.length, 1);
          while (args.length < want) args.push([]);
          return { args, rparen: t };
        }
        depth--;
      }
      if (t.t === ',' && depth === 0 && !(m.va && args.length >= m.params.length)) { args.push([]); continue; }
      args[args.length - 1]!.push(t);
    }
  }
}

/** Fully expands a token list in isolation (macro arguments). */
function expandList(unit: Unit, toks: Tok[]): Tok[] {
  const ex = Expander.over(unit, toks, false);
  const out: Tok[] = [];
  for (let t = ex.nextExpanded(); t; t = ex.nextExpanded()) out.push(t);
  return out;
}

function stringify(toks: Tok[], at: Tok): Tok {
  let s = '';
  toks.forEach((t, i) => {
    if (i > 0 && t.sp) s += ' ';
    s += t.k === 'str' || t.k === 'chr' ? t.t.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : t.t;
  });
  return { t: `"${s}"`, k: 'str', line: at.line, sp: at.sp, hs: null };
}

function paste(a: Tok, b: Tok): Tok[] {
  const text = a.t + b.t;
  const toks = tokenize(text, a.line);
  if (toks.length === 1) return [{ ...toks[0]!, sp: a.sp, hs: a.hs }];
  return [a, b];
}

/** Substitutes arguments into a macro body (#, ##, __VA_OPT__, GNU comma) and marks the result. */
function substitute(unit: Unit, m: Macro, args: Tok[][], hs: HideSet | null, at: Tok): Tok[] {
  const body = m.body;
  const idx = (name: string): number => (m.fn ? m.params.indexOf(name) : -1);
  const expanded = new Map<number, Tok[]>();
  const argExp = (i: number): Tok[] => {
    let e = expanded.get(i);
    if (!e) { e = expandList(unit, args[i] ?? []); expanded.set(i, e); }
    return e;
  };
  const vaIndex = m.va ? idx(m.va) : -1;
  const vaEmpty = vaIndex >= 0 && (args[vaIndex]?.length ?? 0) === 0;
  // output with placemarkers (null) so that ## with an empty operand works
  const out: (Tok | null)[] = [];
  for (let i = 0; i < body.length; i++) {
    const t = body[i]!;
    // __VA_OPT__( ... )
    if (t.k === 'id' && t.t === '__VA_OPT__' && m.va) {
      let j = i + 1, depth = 0;
      const inner: Tok[] = [];
      if (body[j]?.t === '(') {
        j++;
        for (; j < body.length; j++) {
          const b = body[j]!;
          if (b.t === '(') depth++;
          if (b.t === ')') { if (depth === 0) break; depth--; }
          inner.push(b);
        }
      }
      if (!vaEmpty) out.push(...substitute(unit, { ...m, body: inner }, args, null, at));
      else out.push(null);
      i = j;
      continue;
    }
    if (m.fn && (t.t === '#' || t.t === '%:') && body[i + 1]?.k === 'id' && idx(body[i + 1]!.t) >= 0) {
      out.push(stringify(args[idx(body[i + 1]!.t)] ?? [], t));
      i++;
      continue;
    }
    if (t.t === '##' || t.t === '%:%:') {
      const next = body[i + 1];
      if (!next) continue;
      i++;
      let rhs: (Tok | null)[];
      const pi = next.k === 'id' ? idx(next.t) : -1;
      if (pi >= 0) {
        const a = args[pi] ?? [];
        // GNU: `, ## __VA_ARGS__` drops the comma when the variadic argument is empty
        if (pi === vaIndex && a.length === 0) {
          const prev = out[out.length - 1];
          if (prev && prev.t === ',') out.pop();
          out.push(null);
          continue;
        }
        rhs = a.length ? a.map(x => ({ ...x })) : [null];
      } else rhs = [{ ...next }];
      // paste the last output token with the first of rhs
      let lhs: Tok | null = null;
      while (out.length && out[out.length - 1] === null) { out.pop(); }
      if (out.length) lhs = out.pop()!;
      const first = rhs[0] ?? null;
      if (lhs && first) out.push(...paste(lhs, first));
      else if (lhs) out.push(lhs);
      else if (first) out.push(first);
      out.push(...rhs.slice(1));
      continue;
    }
    if (t.k === 'id') {
      const pi = idx(t.t);
      if (pi >= 0) {
        const nextIsPaste = body[i + 1]?.t === '##' || body[i + 1]?.t === '%:%:';
        const a = nextIsPaste ? (args[pi] ?? []) : argExp(pi);
        if (a.length === 0) out.push(null);
        else out.push(...a.map((x, k) => (k === 0 ? { ...x, sp: t.sp } : x)));
        continue;
      }
    }
    out.push(t);
  }
  const res: Tok[] = [];
  for (const t of out) {
    if (!t) continue;
    res.push({ t: t.t, k: t.k, line: at.line, sp: res.length === 0 ? at.sp : t.sp, hs: HideSet.union(t.hs, hs) });
  }
  return res;
}

// ------------------------------------------------------------------------------------------ emission

/**
 * Output clean-ups tree-sitter needs, on the expanded tokens of one file:
 * - `module_param*(…);` is recorded (Program.moduleParams) and dropped;
 * - `__attribute__((…))` right after a declarator name and before `;`, `=` or `,` is dropped
 *   (tree-sitter-c cannot parse it there); elsewhere it is kept (struct packing, function attributes);
 * - `_Pragma(…)` and `asm("label")` after a declarator are dropped.
 */
function postProcess(toks: Tok[], unit: Unit, path: string): Tok[] {
  const out: Tok[] = [];
  const braces: ('struct' | 'other')[] = [];
  const closeParen = (from: number): number => {
    // index of the ')' matching toks[from] === '('
    let depth = 0;
    for (let j = from; j < toks.length; j++) {
      if (toks[j]!.t === '(') depth++;
      else if (toks[j]!.t === ')') { depth--; if (depth === 0) return j; }
    }
    return toks.length - 1;
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.k === 'id' && (t.t === 'module_param' || t.t === 'module_param_named' || t.t === 'module_param_cb') && toks[i + 1]?.t === '(') {
      const end = closeParen(i + 1);
      const args: string[][] = [[]];
      let depth = 0;
      for (let j = i + 2; j < end; j++) {
        const a = toks[j]!;
        if (a.t === '(') depth++;
        if (a.t === ')') depth--;
        if (a.t === ',' && depth === 0) { args.push([]); continue; }
        args[args.length - 1]!.push(a.t);
      }
      const a0 = args[0]?.join('') ?? '', a1 = args[1]?.join('') ?? '', a2 = args[2]?.join('') ?? '';
      if (t.t === 'module_param') unit.recordModuleParam(a0, a0);
      else if (t.t === 'module_param_named') unit.recordModuleParam(a1, a0);
      else unit.recordModuleParam(a2.replace(/^&/, ''), a0);
      i = toks[end + 1]?.t === ';' ? end + 1 : end;
      continue;
    }
    if (t.k === 'id' && t.t === '_Pragma' && toks[i + 1]?.t === '(') { i = closeParen(i + 1); continue; }
    if (t.k === 'id' && (t.t === '__attribute__' || t.t === '__attribute') && toks[i + 1]?.t === '(') {
      // kept only where tree-sitter-c reads it and it matters: struct packing and member alignment
      const end = closeParen(i + 1);
      const prev = out[out.length - 1];
      const text = toks.slice(i, end + 1).map(x => x.t).join('');
      const structPos = prev && (prev.t === 'struct' || prev.t === 'union' || prev.t === '}');
      const member = braces[braces.length - 1] === 'struct' && /aligned|packed/.test(text);
      if (!structPos && !member) { i = end; continue; }
    }
    if (t.t === '{') {
      // a struct/union body? (`struct tag {`, `struct {`, `struct __attribute__((…)) tag {`)
      let j = out.length - 1;
      if (out[j]?.k === 'id' && out[j]!.t !== 'struct' && out[j]!.t !== 'union') j--;
      while (j >= 0 && out[j]!.t === ')') { let d = 0; for (; j >= 0; j--) { if (out[j]!.t === ')') d++; else if (out[j]!.t === '(') { d--; if (d === 0) { j--; break; } } } if (out[j]?.t === '__attribute__') j--; }
      braces.push(out[j]?.t === 'struct' || out[j]?.t === 'union' ? 'struct' : 'other');
    } else if (t.t === '}') braces.pop();
    if (t.k === 'id' && t.t === 'case') {
      // GNU `case a ... b:` → `case __kvm_case_range(a, b):` (tree-sitter-c has no case ranges)
      let depth = 0, dots = -1, colon = -1, q = 0;
      for (let j = i + 1; j < toks.length && j < i + 400; j++) {
        const x = toks[j]!.t;
        if (x === '(' || x === '[') depth++;
        else if (x === ')' || x === ']') depth--;
        else if (x === '?' && depth === 0) q++;
        else if (x === ':' && depth === 0) { if (q > 0) { q--; continue; } colon = j; break; }
        else if (x === '...' && depth === 0) dots = j;
        else if (x === ';' || x === '{' || x === '}') break;
      }
      if (dots > 0 && colon > dots) {
        const mk = (x: string, k: TokKind = 'punct'): Tok => ({ t: x, k, line: t.line, sp: true, hs: null });
        out.push(t, mk('__kvm_case_range', 'id'), mk('('), ...toks.slice(i + 1, dots), mk(','), ...toks.slice(dots + 1, colon), mk(')'), toks[colon]!);
        i = colon;
        continue;
      }
    }
    if (t.k === 'id' && (t.t === 'asm' || t.t === '__asm__' || t.t === '__asm') && toks[i + 1]?.t === '(' && out.length && (out[out.length - 1]!.k === 'id' || out[out.length - 1]!.t === ')')) {
      // `register long sp asm("rsp")` / `int f(void) asm("alias")`: an assembler name
      const end = closeParen(i + 1);
      const after = toks[end + 1]?.t;
      if (after === ';' || after === '=' || after === ',' || after === '__attribute__') { i = end; continue; }
    }
    out.push(t);
  }
  void path;
  return out;
}

const TYPE_WORDS = new Set(['struct', 'union', 'enum', 'const', 'volatile', 'unsigned', 'signed', 'int', 'char', 'long', 'short', 'void', '_Bool', 'bool', 'double', 'float', 'typeof', '__typeof__', '__typeof', '__int128', '__auto_type']);
const TYPEOF_WORDS = new Set(['typeof', '__typeof__', '__typeof', 'typeof_unqual', '__typeof_unqual__']);

/** Does this typeof operand read as an expression (not a type name)? */
function isExpressionOperand(toks: Tok[]): boolean {
  if (toks.length === 0) return false;
  const first = toks[0]!;
  if (first.k === 'id' && TYPE_WORDS.has(first.t)) return false;
  // `name`, `name *`, `name * const`: a typedef (or a variable, which the converter sorts out)
  if (first.k === 'id' && toks.slice(1).every(t => t.t === '*' || t.t === 'const' || t.t === 'volatile')) return false;
  return true;
}

/**
 * typeof(expression) → `__kvm_typeof_<i>` with the operand's text in `table` (inner ones first).
 * Also writes the type operands of __builtin_offsetof / __builtin_types_compatible_p as
 * `(T *) 0`, an expression tree-sitter can parse (the converter takes the type back out).
 */
function rewriteTypeof(toks: Tok[], table: string[]): Tok[] {
  const out: Tok[] = [];
  const closeParen = (from: number): number => {
    let depth = 0;
    for (let j = from; j < toks.length; j++) {
      if (toks[j]!.t === '(') depth++;
      else if (toks[j]!.t === ')') { depth--; if (depth === 0) return j; }
    }
    return -1;
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.k === 'id' && TYPEOF_WORDS.has(t.t) && toks[i + 1]?.t === '(') {
      const end = closeParen(i + 1);
      if (end > 0) {
        const inner = rewriteTypeof(toks.slice(i + 2, end), table);
        if (isExpressionOperand(inner)) {
          table.push(inner.map(x => x.t).join(' '));
          out.push({ ...t, t: `__kvm_typeof_${table.length - 1}` });
          i = end;
          continue;
        }
        out.push(t, toks[i + 1]!, ...inner, toks[end]!);
        i = end;
        continue;
      }
    }
    if (t.k === 'id' && (t.t === '__builtin_offsetof' || t.t === '__builtin_types_compatible_p') && toks[i + 1]?.t === '(') {
      const end = closeParen(i + 1);
      if (end > 0) {
        // split the arguments at top-level commas
        const args: Tok[][] = [[]];
        let depth = 0;
        for (let j = i + 2; j < end; j++) {
          const a = toks[j]!;
          if (a.t === '(' || a.t === '[' || a.t === '{') depth++;
          if (a.t === ')' || a.t === ']' || a.t === '}') depth--;
          if (a.t === ',' && depth === 0) { args.push([]); continue; }
          args[args.length - 1]!.push(a);
        }
        const typeArgs = t.t === '__builtin_offsetof' ? [0] : [0, 1];
        const mk = (x: string): Tok => ({ t: x, k: x === '0' ? 'num' : 'punct', line: t.line, sp: true, hs: null });
        out.push(t, toks[i + 1]!);
        args.forEach((a, k) => {
          if (k > 0) out.push(mk(','));
          const inner = rewriteTypeof(a, table);
          if (typeArgs.includes(k)) out.push(mk('('), mk('('), ...inner, mk('*'), mk(')'), mk('0'), mk(')'));
          else out.push(...inner);
        });
        out.push(toks[end]!);
        i = end;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

/** Renders tokens onto their lines (lineCount lines; tokens on the same line joined by spaces). */
function render(toks: Tok[], lineCount: number): string {
  const lines: string[][] = Array.from({ length: Math.max(lineCount, 1) }, () => []);
  let last = 0;
  for (const t of toks) {
    let l = t.line - 1;
    if (l < last) l = last;
    if (l >= lines.length) l = lines.length - 1;
    last = l;
    lines[l]!.push(t.t);
  }
  return lines.map(l => l.join(' ')).join('\n');
}

export { Unit as _Unit, Expander as _Expander, render as _render, postProcess as _postProcess };
