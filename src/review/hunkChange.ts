// One-line summary of what a hunk changes, computed only from its removed and added lines (pure).
// Pairs each removed line with the most similar added line, then names the change: a condition
// whose test changed, an assignment whose value changed, a return expression, added/removed calls,
// loops, checks or comments.

/** The minimal shape of a diff line this needs (a src/diff DiffLine fits). */
export interface ChangeLine { kind: 'context' | 'add' | 'del'; text: string }

const C_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'else', 'do', 'static', 'inline', 'const', 'struct', 'union', 'unsigned', 'int', 'long', 'u8', 'u16', 'u32', 'u64', 'bool', 'void', 'char', 'case', 'break', 'continue', 'goto', 'true', 'false', 'NULL', 'vcpu', 'vmx', 'i']);

const WORDS = /[A-Za-z_]\w*/g;

function idents(s: string): string[] { return s.match(WORDS) ?? []; }
function code(s: string): string { return s.replace(/\/\*.*?\*\/|\/\/.*$/g, '').trim(); }
function isComment(s: string): boolean { const t = s.trim(); return t !== '' && (/^(\/\*|\*|\/\/)/.test(t) || /\*\/$/.test(t) && !/[;{}]/.test(t)); }
function isBlank(s: string): boolean { return s.trim() === ''; }
/** Code without comments, braces at the ends and repeated spaces (for comparing two versions of a line). */
function norm(s: string): string { return code(s).replace(/^[{}\s]+|[{}\s]+$/g, '').replace(/\s+/g, ' '); }

/** Names of called functions in a line, with a leading `!` kept. */
function calls(s: string): string[] {
  const out: string[] = [];
  const re = /(!?)\s*([A-Za-z_]\w*)\s*\(/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) if (!C_KEYWORDS.has(m[2]) && m[2] !== 'CC') out.push(m[1] + m[2]);
  return out;
}

function similarity(a: string, b: string): number {
  const ta = new Set(idents(a)), tb = new Set(idents(b));
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

function lhs(s: string): string | undefined {
  const m = /^\s*([\w.>\-[\]]+?)\s*(?:[|&+-]?=)(?!=)\s*(.+?);?\s*$/.exec(code(s));
  return m ? m[1].replace(/^.*(?:->|\.)/, '') : undefined;
}
function rhs(s: string): string { return /(?:[|&+-]?=)(?!=)\s*(.+?);?\s*$/.exec(code(s))?.[1].trim() ?? code(s); }
function returned(s: string): string | undefined { return /^\s*return\b\s*(.*?);?\s*$/.exec(code(s))?.[1]; }

function describePair(del: string, add: string): string | undefined {
  const d = code(del), a = code(add);
  if (norm(d) === norm(a)) return undefined;
  const defD = /^#\s*define\s+(\w+)\s*(.*)$/.exec(d), defA = /^#\s*define\s+(\w+)\s*(.*)$/.exec(a);
  if (defD && defA && defD[1] === defA[1]) return `${defD[1]}: ${defD[2].trim() || '(empty)'} → ${defA[2].trim() || '(empty)'}`;
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
  const checks = codeLines.filter(l => /\bif\s*\(/.test(l)).map(l => (/\bif\s*\((.*)\)\s*\{?\s*$/.exec(code(l))?.[1] ?? '').trim()).filter(Boolean);
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
export function summarizeChange(lines: readonly ChangeLine[]): string {
  const dels = lines.filter(l => l.kind === 'del' && !isBlank(l.text)).map(l => l.text);
  const adds = lines.filter(l => l.kind === 'add' && !isBlank(l.text)).map(l => l.text);
  if (!dels.length && !adds.length) return '';
  const parts: string[] = [];
  const usedAdds = new Set<number>();
  const unpairedDels: string[] = [];
  for (const d of dels) {
    if (isComment(d)) { unpairedDels.push(d); continue; }
    let best = -1, bestScore = 0.34;
    adds.forEach((a, i) => { if (usedAdds.has(i) || isComment(a)) return; const s = similarity(d, a); if (s > bestScore) { best = i; bestScore = s; } });
    if (best < 0) { unpairedDels.push(d); continue; }
    usedAdds.add(best);
    const text = describePair(d, adds[best]);
    if (text && !parts.includes(text)) parts.push(text);
  }
  const rest = adds.filter((_, i) => !usedAdds.has(i));
  // A multi-line expression shrunk or grown: describe the removed remainder once.
  const delCode = unpairedDels.filter(l => !isComment(l));
  if (delCode.length && !rest.filter(l => !isComment(l)).length && parts.length) {
    const dropped = [...new Set(delCode.flatMap(idents).filter(t => !C_KEYWORDS.has(t) && /_/.test(t) && !adds.some(a => idents(a).includes(t))))];
    if (dropped.length && parts[parts.length - 1].startsWith('return value changed') && !parts[parts.length - 1].includes('drops')) {
      parts[parts.length - 1] = `return value changed: drops ${dropped.join(', ')}`;
    } else if (dropped.length) parts.push(`removes ${dropped.slice(0, 4).join(', ')}`);
  } else if (unpairedDels.length) parts.push(...describeAdded(unpairedDels, 'removes'));
  if (rest.length) parts.push(...describeAdded(rest, 'adds'));
  return [...new Set(parts)].slice(0, 3).join('; ');
}
