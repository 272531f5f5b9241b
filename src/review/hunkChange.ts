// One-line summary of what a hunk changes, computed only from its removed and added lines (pure).
// Pairs each removed line with the most similar added line, then names the change: a condition
// whose test changed, an assignment whose value changed, a return expression, added/removed calls,
// loops, checks or comments. Lines are read by changedLines.ts (comments, `#define`s, conditions);
// the work is linear in the hunk: a removed line is compared with at most PAIR_WINDOW added lines
// around its position once the hunk is larger than PAIR_ALL pairs.
import { codeOf, defineOf, type ChangedLine } from './changedLines';

/** The minimal shape of a diff line this needs (a src/diff DiffLine fits). */
export type ChangeLine = ChangedLine;

/** Up to this many removed × added pairs every pair is compared. */
const PAIR_ALL = 4096;
/** Beyond that, a removed line is compared with the added lines this far from its position. */
const PAIR_WINDOW = 32;
/** Text of a line beyond this length is not described (the summary shows 60 characters). */
const MAX_LINE = 2000;

const C_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'else', 'do', 'static', 'inline', 'const', 'struct', 'union', 'unsigned', 'int', 'long', 'u8', 'u16', 'u32', 'u64', 'bool', 'void', 'char', 'case', 'break', 'continue', 'goto', 'true', 'false', 'NULL', 'vcpu', 'vmx', 'i']);

const WORDS = /[A-Za-z_]\w*/g;

function idents(s: string): string[] { return s.match(WORDS) ?? []; }
const code = codeOf;
function isComment(s: string): boolean { const t = s.trim(); return t !== '' && (/^(\/\*|\*|\/\/)/.test(t) || /\*\/$/.test(t) && !/[;{}]/.test(t)); }
function isBlankLine(s: string): boolean { return s.trim() === ''; }
const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
const isBlank = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
/** Code without comments, braces at the ends and repeated spaces (for comparing two versions of a line). */
function norm(s: string): string {
  const t = code(s).replace(/\s+/g, ' ');
  let a = 0, b = t.length;
  while (a < b && (t[a] === '{' || t[a] === '}' || t[a] === ' ')) a++;
  while (b > a && (t[b - 1] === '{' || t[b - 1] === '}' || t[b - 1] === ' ')) b--;
  return t.slice(a, b);
}

/** Names of called functions in a line, with a leading `!` kept (each `(` looks back once: linear). */
function calls(s: string): string[] {
  const out: string[] = [];
  for (let p = s.indexOf('('); p >= 0; p = s.indexOf('(', p + 1)) {
    let e = p;
    while (e > 0 && isBlank(s.charCodeAt(e - 1))) e--;
    let b = e;
    while (b > 0 && isWordChar(s.charCodeAt(b - 1))) b--;
    while (b < e && s.charCodeAt(b) >= 48 && s.charCodeAt(b) <= 57) b++;   // a name starts with a letter or _
    if (b === e) continue;
    const name = s.slice(b, e);
    if (C_KEYWORDS.has(name) || name === 'CC') continue;
    let q = b;
    while (q > 0 && isBlank(s.charCodeAt(q - 1))) q--;
    out.push((q > 0 && s[q - 1] === '!' ? '!' : '') + name);
  }
  return out;
}

function overlap(ta: ReadonlySet<string>, tb: ReadonlySet<string>): number {
  if (!ta.size || !tb.size) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / Math.max(ta.size, tb.size);
}

/** The KVM-looking subject a condition is about: an upper-case name, or a vmcs12 member shown as its field name. */
function subjectOf(a: string, b: string): string | undefined {
  const shared = idents(a).filter(t => idents(b).includes(t));
  const member = /vmcs12->(\w+)/.exec(a)?.[1];
  if (member && b.includes(`vmcs12->${member}`)) return member.toUpperCase();
  return shared.find(t => /^[A-Z][A-Z0-9_]{3,}$/.test(t) && t !== 'CC') ?? shared.find(t => t.includes('_') && !C_KEYWORDS.has(t));
}

// (on trimmed code, `;?$` ends a match where `;?\s*$` did, without rescanning inner blanks)
function lhs(s: string): string | undefined {
  const m = /^([\w.>\-[\]]+?)\s*(?:[|&+-]?=)(?!=)\s*(.+?);?$/.exec(code(s));
  return m ? m[1].replace(/^.*(?:->|\.)/, '') : undefined;
}
function rhs(s: string): string { return /(?:[|&+-]?=)(?!=)\s*(.+?);?$/.exec(code(s))?.[1].trim() ?? code(s); }
function returned(s: string): string | undefined { return /^return\b\s*(.*?);?$/.exec(code(s))?.[1]; }
/** The condition of a line that is an `if (...)` alone (optionally opening a block): from its `(` to the line's last `)`. */
function ifCondition(s: string): string | undefined {
  const c = code(s);
  const m = /\bif\s*\(/.exec(c);
  if (!m) return undefined;
  const open = m.index + m[0].length, close = c.lastIndexOf(')');
  if (close < open) return undefined;
  const rest = c.slice(close + 1).trim();
  return rest === '' || rest === '{' ? c.slice(open, close).trim() : undefined;
}

function describePair(del: string, add: string): string | undefined {
  const d = code(del), a = code(add);
  if (norm(d) === norm(a)) return undefined;
  const defD = defineOf(d), defA = defineOf(a);
  if (defD && defA && defD.name === defA.name) return `${defD.name}: ${defD.value || '(empty)'} → ${defA.value || '(empty)'}`;
  if (/\bif\s*\(|\bCC\(|while\s*\(/.test(d) && /\bif\s*\(|\bCC\(|while\s*\(/.test(a)) {
    const cd = calls(d), ca = calls(a);
    const gone = cd.filter(c => !ca.includes(c)), came = ca.filter(c => !cd.includes(c));
    const subject = subjectOf(d, a);
    const on = subject ? ` on ${subject}` : '';
    if (gone.length || came.length) return `condition${on} changed: ${gone.join(', ') || '(none)'} → ${came.join(', ') || '(none)'}`;
    return `condition${on} changed`;
  }
  const rd = returned(d), ra = returned(a);
  if (rd !== undefined && ra !== undefined) {
    const gone = idents(rd).filter(t => !idents(ra).includes(t) && !C_KEYWORDS.has(t));
    const came = idents(ra).filter(t => !idents(rd).includes(t) && !C_KEYWORDS.has(t));
    return `return value changed${gone.length ? `: drops ${[...new Set(gone)].join(', ')}` : ''}${came.length ? `${gone.length ? ';' : ':'} adds ${[...new Set(came)].join(', ')}` : ''}`;
  }
  const ld = lhs(d), la = lhs(a);
  if (ld && ld === la) return `${ld}: ${rhs(d)} → ${rhs(a)}`;
  const cd = calls(d), ca = calls(a);
  const gone = cd.filter(c => !ca.includes(c)), came = ca.filter(c => !cd.includes(c));
  if (gone.length && came.length) return `call ${gone.join(', ')} → ${came.join(', ')}`;
  const short = (x: string) => (x.length > 60 ? x.slice(0, 57) + '…' : x);
  return `changes ${short(norm(d))} → ${short(norm(a))}`;
}

function describeAdded(lines: string[], verb: 'adds' | 'removes'): string[] {
  const out: string[] = [];
  const codeLines = lines.filter(l => !isComment(l));
  const comments = lines.length - codeLines.length;
  const loop = codeLines.map(l => /\bfor\s*\((.*)$/.exec(l)).find(Boolean);
  if (loop) {
    const over = /ARRAY_SIZE\((\w+)\)/.exec(loop[1])?.[1] ?? idents(loop[1]).find(t => t.includes('_'));
    out.push(`${verb} a loop${over ? ` over ${over}` : ''}`);
  }
  const checks = codeLines.filter(l => /\bif\s*\(/.test(l)).map(l => ifCondition(l) ?? '').filter(Boolean);
  if (checks.length && !loop) out.push(`${verb} check${checks.length > 1 ? 's' : ''}: ${checks.slice(0, 2).join('; ')}`);
  const assigned = [...new Set(codeLines.map(lhs).filter((x): x is string => !!x && !/^(u|int|bool)\d*\s/.test(x)))];
  const called = [...new Set(codeLines.flatMap(calls).map(c => c.replace(/^!/, '')))].filter(c => !/^(ARRAY_SIZE|sizeof)$/.test(c));
  if (called.length) out.push(`${verb} call${called.length > 1 ? 's' : ''} to ${called.slice(0, 4).join(', ')}`);
  else if (assigned.length) out.push(`${verb} assignment${assigned.length > 1 ? 's' : ''} to ${assigned.slice(0, 3).join(', ')}`);
  const fields = codeLines.map(l => /^\s*(?:__u\d+|u\d+|bool|int|unsigned \w+)\s+(\w+);/.exec(l)?.[1]).filter(Boolean);
  if (fields.length) out.push(`${verb} member${fields.length > 1 ? 's' : ''} ${fields.join(', ')}`);
  const ret = codeLines.map(returned).find(r => r !== undefined);
  if (ret !== undefined && !out.length) out.push(`${verb} return ${ret}`);
  if (comments && !codeLines.length) out.push(`${verb} a comment (${comments} line${comments > 1 ? 's' : ''})`);
  else if (comments >= 3 && out.length < 3) out.push(`${verb} comment lines (${comments})`);
  if (!out.length && codeLines.length) out.push(`${verb} ${codeLines.length} line${codeLines.length > 1 ? 's' : ''}`);
  return out;
}

/** What a hunk changes, in one line (empty string when it has no removed or added lines). */
export function summarizeChange(lines: readonly ChangeLine[]): string { return summarizeChangeCounted(lines).summary; }

/** summarizeChange, with the number of line pairs it compared (its work, for the regression test). */
export function summarizeChangeCounted(lines: readonly ChangeLine[]): { summary: string; comparisons: number } {
  const clip = (t: string) => (t.length > MAX_LINE ? t.slice(0, MAX_LINE) : t);
  const dels = lines.filter(l => l.kind === 'del' && !isBlankLine(l.text)).map(l => clip(l.text));
  const adds = lines.filter(l => l.kind === 'add' && !isBlankLine(l.text)).map(l => clip(l.text));
  if (!dels.length && !adds.length) return { summary: '', comparisons: 0 };
  const parts: string[] = [];
  const described = new Set<string>();
  const usedAdds = new Set<number>();
  const unpairedDels: string[] = [];
  const addWords = adds.map(a => (isComment(a) ? null : new Set(idents(a))));
  const all = dels.length * adds.length <= PAIR_ALL;
  let comparisons = 0;
  dels.forEach((d, di) => {
    if (isComment(d)) { unpairedDels.push(d); return; }
    let best = -1, bestScore = 0.34;
    const words = new Set(idents(d));
    const at = Math.round(di * adds.length / dels.length);
    const from = all ? 0 : Math.max(0, at - PAIR_WINDOW), to = all ? adds.length : Math.min(adds.length, at + PAIR_WINDOW + 1);
    for (let i = from; i < to; i++) {
      const aw = addWords[i];
      if (usedAdds.has(i) || !aw) continue;
      comparisons++;
      const s = overlap(words, aw);
      if (s > bestScore) { best = i; bestScore = s; }
    }
    if (best < 0) { unpairedDels.push(d); return; }
    usedAdds.add(best);
    const text = describePair(d, adds[best]);
    if (text && !described.has(text)) { described.add(text); parts.push(text); }
  });
  const rest = adds.filter((_, i) => !usedAdds.has(i));
  // A multi-line expression shrunk or grown: describe the removed remainder once.
  const delCode = unpairedDels.filter(l => !isComment(l));
  if (delCode.length && !rest.filter(l => !isComment(l)).length && parts.length) {
    const added = new Set(adds.flatMap(idents));
    const dropped = [...new Set(delCode.flatMap(idents).filter(t => !C_KEYWORDS.has(t) && /_/.test(t) && !added.has(t)))];
    if (dropped.length && parts[parts.length - 1].startsWith('return value changed') && !parts[parts.length - 1].includes('drops')) {
      parts[parts.length - 1] = `return value changed: drops ${dropped.join(', ')}`;
    } else if (dropped.length) parts.push(`removes ${dropped.slice(0, 4).join(', ')}`);
  } else if (unpairedDels.length) parts.push(...describeAdded(unpairedDels, 'removes'));
  if (rest.length) parts.push(...describeAdded(rest, 'adds'));
  return { summary: [...new Set(parts)].slice(0, 3).join('; '), comparisons };
}
