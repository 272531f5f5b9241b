// The model engine's reading of a patch (used where the kernel engine cannot run it: no tree, or
// a patch that applies to no base the tree offers). On top of the check-condition mapping of
// checkChanges.ts, a condition the model has no check for is read in its place in the patch:
//   - what follows it gives the result: `return -EINVAL` / `goto fail` (the function's usual
//     failure), or — for `if (ok) continue;` followed by a warning — "warn and go on", the condition
//     read with its sense (the check fires when it is false);
//   - its guard is the `if (...)` that encloses it in the patch and what stands outside CC();
//   - locals the patch declares (`u64 gpa = kvm_state->hdr.vmx.evmcs_pa;`) are replaced by their value;
//   - it is matched again against the function's checks (a check the model already has, e.g. v6.12
//     contains the patch), else placed as a new check right after the modeled check of the same
//     function that the surrounding lines name (its condition contains one of theirs);
//   - a condition the patch removes that the model does not have is placed likewise on the before side.
// What cannot be placed is listed with the reason. Pure.
import { allChecks, checksOnPath, simulate, ScenarioError, type CheckDef, type FailResult, type SimulateOptions } from '../sim';
import { parseExpr, exprText, type Expr } from '../sim/expr';
import type { Hunk, PatchDocument } from '../diff/types';
import { checkChangesOf, findCheck, substitute, type CheckChange } from './checkChanges';
import { changeBlocks } from './changedLines';

/** One change of the patch as the model engine simulates it (or cannot). sourceLine is 1-based. */
export interface ModelChange {
  kind: 'changed' | 'added' | 'removed' | 'define' | 'unplaced';
  check: string | null;
  function: string | null;
  before: string | null;
  after: string | null;
  sourceLine: number;
  /** A new check's guard, its place (the check it runs after) and its result. */
  guard?: string;
  placedAfter?: string;
  result?: FailResult;
  define?: string;
  reason?: string;
}

export interface ModelPatch {
  before: SimulateOptions;
  after: SimulateOptions;
  changes: ModelChange[];
  /** Check ids at the places the patch changes (to watch whether a run reaches them). */
  sites: string[];
  /** Changes the model could not place ("3 changes could not be simulated"). */
  notSimulated: number;
}

const tryParse = (text: string): Expr | null => { try { return parseExpr(text); } catch { return null; } };
const squash = (s: string): string => s.replace(/\s+/g, '');

/** `!(a == b)` → `a != b` and the like, `!!x` → x where the result is a truth value; used to compare conditions. */
function normalize(e: Expr): Expr {
  const inv: Record<string, string> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };
  switch (e.kind) {
    case 'unary': {
      const inner = normalize(e.operand);
      if (e.op === '!' && inner.kind === 'bin' && inv[inner.op]) return { ...inner, op: inv[inner.op] };
      if (e.op === '!' && inner.kind === 'unary' && inner.op === '!' && (inner.operand.kind === 'bin' && (inv[inner.operand.op] || inner.operand.op === '&&' || inner.operand.op === '||'))) return inner.operand;
      if (e.op === '!' && inner.kind === 'bin' && (inner.op === '&&' || inner.op === '||')) {
        return { kind: 'bin', op: inner.op === '&&' ? '||' : '&&', left: normalize({ kind: 'unary', op: '!', operand: inner.left }), right: normalize({ kind: 'unary', op: '!', operand: inner.right }) };
      }
      return { ...e, operand: inner };
    }
    case 'bin': return { ...e, left: normalize(e.left), right: normalize(e.right) };
    case 'cond': return { ...e, test: normalize(e.test), then: normalize(e.then), otherwise: normalize(e.otherwise) };
    case 'cast': return { ...e, operand: normalize(e.operand) };
    case 'call': return { ...e, args: e.args.map(normalize) };
    default: return e;
  }
}
const normalText = (text: string): string => { const e = tryParse(text); return e ? exprText(normalize(e)) : text; };
const negate = (text: string): string => normalText(`!(${text})`);

/** The text inside balanced parentheses from `open` (index of '('), and the index after ')'. */
function balanced(text: string, open: number): { inner: string; end: number } | null {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return { inner: text.slice(open + 1, i), end: i + 1 };
  }
  return null;
}

/** One side of a hunk as code: context lines plus the side's changed lines, comments blanked; where the block starts. */
function sideCode(hunk: Hunk, side: 'add' | 'del', blockLine: number): { code: string; blockAt: number } {
  let code = '', blockAt = -1;
  for (const line of hunk.lines) {
    if (line.kind !== 'context' && line.kind !== side) continue;
    if (blockAt < 0 && line.kind === side && line.sourceLine >= blockLine) blockAt = code.length;
    code += line.text + '\n';
  }
  // comments become spaces of the same length, so offsets stay
  code = code.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, m => m.replace(/[^\n]/g, ' '));
  return { code, blockAt: Math.max(0, blockAt) };
}

/** The statement at `at` (after an if's condition): a braced block or up to ';'. */
function statementAt(code: string, at: number): { text: string; end: number } {
  let i = at;
  while (i < code.length && /\s/.test(code[i])) i++;
  if (code[i] === '{') {
    let depth = 0;
    for (let j = i; j < code.length; j++) {
      if (code[j] === '{') depth++;
      else if (code[j] === '}' && --depth === 0) return { text: code.slice(i + 1, j), end: j + 1 };
    }
    return { text: code.slice(i + 1), end: code.length };
  }
  const semi = code.indexOf(';', i);
  return { text: code.slice(i, semi < 0 ? code.length : semi + 1), end: semi < 0 ? code.length : semi + 1 };
}

/** Conditions of the `if`s that enclose position `at` (innermost first), within the hunk. */
function enclosingIfs(code: string, at: number): string[] {
  const out: string[] = [];
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const ch = code[i];
    if (ch === '}') depth++;
    else if (ch === '{') {
      if (depth > 0) { depth--; continue; }
      // an unmatched '{': the header before it
      const head = code.slice(Math.max(0, code.lastIndexOf('\n', Math.max(0, i - 1)) - 200), i);
      const m = /\bif\s*\(([\s\S]*)\)\s*$/.exec(head);
      if (m) {
        const open = head.lastIndexOf('if') + head.slice(head.lastIndexOf('if')).indexOf('(');
        const b = balanced(head, open);
        if (b) out.push(b.inner.trim());
      } else if (/\b(?:for|while|switch)\s*\([\s\S]*\)\s*$/.test(head) || /\)\s*$/.test(head)) {
        // a loop, a switch or the function body: not a guard; the function body ends the walk
        if (!/\b(?:for|while|switch)\b/.test(head)) break;
      }
    }
  }
  return out;
}

/** Locals a run of code declares with an initializer: `u64 gpa = expr;` → gpa → expr. */
function declaredLocals(code: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\b(?:const\s+)?(?:u8|u16|u32|u64|s32|s64|int|bool|unsigned\s+long|unsigned\s+int|unsigned|long|gpa_t|gva_t|hpa_t)\s+([a-z_]\w*)\s*=\s*([^;]+);/g;
  for (let m = re.exec(code); m; m = re.exec(code)) if (tryParse(m[2])) out.set(m[1], m[2].trim());
  return out;
}

/** What the statement after a condition makes of it. */
interface Reading { fires: string; result: 'fail' | 'warn-continue' | 'none'; errno?: string; warning?: string; why?: string }

function readAction(code: string, ifEnd: number, cond: string): Reading {
  const then = statementAt(code, ifEnd);
  const body = then.text.trim();
  const first = body.split(';')[0].trim();
  if (/^continue$/.test(first) || /^(?:return\s+(?:0|true)|break)$/.test(first)) {
    // the condition is the good case: what follows the if runs when it is false
    if (!/^continue$/.test(first)) return { fires: negate(cond), result: 'none', why: `an early ${first} (success) skips the rest when it holds; the model cannot place it` };
    const rest = code.slice(then.end, code.indexOf('}', then.end) < 0 ? code.length : code.indexOf('}', then.end));
    const warn = /\bpr_(?:warn|err|info)(?:_once|_ratelimited)?\s*\(\s*"((?:[^"\\]|\\.)*)"/.exec(rest);
    const ret = /\breturn\s+-(E[A-Z]+)\s*;/.exec(rest);
    if (ret) return { fires: negate(cond), result: 'fail', errno: ret[1] };
    return { fires: negate(cond), result: 'warn-continue', warning: warn ? warn[1].replace(/\\n$/, '') : undefined };
  }
  const ret = /\breturn\s+-(E[A-Z]+)\b/.exec(body);
  if (ret) return { fires: cond, result: 'fail', errno: ret[1] };
  if (/\bgoto\s+\w+/.test(body) || /\breturn\s+(?:false|-1|1)\b/.test(body) || /\bnested_vmx_fail\w*\s*\(/.test(body) || /\bkvm_inject_gp\s*\(/.test(body)) return { fires: cond, result: 'fail' };
  const call = /\b([a-z_]\w*)\s*\(/.exec(body)?.[1];
  return { fires: cond, result: 'none', why: call ? `its branch calls ${call}() and fails nothing; the model does not simulate that effect` : 'its branch changes state but fails nothing; the model does not simulate that effect' };
}

/** The `if (...)` in `code` after `from` whose condition holds `cond` (whole, or as a CC() argument). */
function findIf(code: string, from: number, cond: string): { inner: string; at: number; end: number } | null {
  const want = squash(cond);
  const re = /\b(?:if|while)\s*\(/g;
  re.lastIndex = from;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const b = balanced(code, m.index + m[0].length - 1);
    if (b && squash(b.inner).includes(want)) return { inner: b.inner.trim(), at: m.index, end: b.end };
  }
  return null;
}

/** The condition outside CC() in `if (A && CC(B))`: A; null when there is none. */
function outsideCC(ifInner: string, cond: string): string | null {
  const m = /\bCC\s*\(/.exec(ifInner);
  if (!m) return null;
  const b = balanced(ifInner, m.index + m[0].length - 1);
  if (!b || squash(b.inner) !== squash(cond)) return null;
  const left = ifInner.slice(0, m.index).replace(/&&\s*$/, '').trim();
  return left && tryParse(left) ? left : null;
}

/** A modeled check of `fn` whose condition (or guard) contains one of `texts`: the last such in KVM's order. */
function anchorFor(fn: string, texts: string[], order: readonly CheckDef[]): CheckDef | null {
  const wanted = texts.map(squash).filter(t => t.length > 3);
  let found: CheckDef | null = null;
  for (const c of order) {
    if (c.function !== fn) continue;
    const hay = squash(`${c.condition} ${c.guard ?? ''}`);
    if (wanted.some(t => hay.includes(t) || hay.includes(squash(negate(t))))) found = c;
  }
  return found;
}

/**
 * Reads a patch for the model engine on one path: before/after simulator options, what each
 * change became, and what could not be simulated.
 */
export function readModelPatch(pathId: string, doc: PatchDocument): ModelPatch {
  const checks = allChecks();
  const order = checksOnPath(pathId);
  const base = checkChangesOf(doc, checks);
  const before: SimulateOptions = { overrides: {}, defines: {}, added: [], results: {} };
  const after: SimulateOptions = { overrides: {}, defines: {}, added: [], results: {} };
  const out: ModelChange[] = [];
  const sites = new Set<string>();
  const usable = (opts: SimulateOptions): string | null => {
    try { simulate(pathId, { base: 'default' }, { ...opts, trace: false }); return null; }
    catch (e) { if (e instanceof ScenarioError) return e.message; throw e; }
  };

  // the blocks each unmapped change came from
  const blockOf = new Map<number, { hunk: Hunk; line: number }>();
  for (const hunk of doc.hunks) for (const b of changeBlocks(hunk.lines)) blockOf.set(b.line, { hunk, line: b.line });

  for (const c of base) {
    const line = c.sourceLine + 1;
    if (c.define) {
      if (c.before !== null) before.defines![c.define] = c.before;
      if (c.after !== null) after.defines![c.define] = c.after;
      out.push({ kind: 'define', check: null, define: c.define, function: c.function, before: c.before, after: c.after, sourceLine: line });
      continue;
    }
    if (c.check) {
      const err = usable({ overrides: { [c.check]: c.before } }) ?? usable({ overrides: { [c.check]: c.after } });
      if (err) { out.push({ kind: 'unplaced', check: null, function: c.function, before: c.before, after: c.after, sourceLine: line, reason: `maps to ${c.check}, but the simulator cannot evaluate it: ${err}` }); continue; }
      before.overrides![c.check] = c.before;
      after.overrides![c.check] = c.after;
      sites.add(c.check);
      out.push({ kind: c.before === null ? 'added' : c.after === null ? 'removed' : 'changed', check: c.check, function: c.function, before: c.before, after: c.after, sourceLine: line });
      continue;
    }
    const block = blockOf.get(c.sourceLine);
    const placed = block && c.function && (c.after !== null) !== (c.before !== null)
      ? place(pathId, block.hunk, block.line, c, c.after !== null ? 'add' : 'del', order, checks) : null;
    if (!placed || 'reason' in placed) {
      out.push({ kind: 'unplaced', check: null, function: c.function, before: c.before, after: c.after, sourceLine: line, reason: placed?.reason ?? c.reason ?? 'cannot be placed' });
      continue;
    }
    const sideOpts = c.after !== null ? after : before, other = c.after !== null ? before : after;
    if (placed.existing) {
      // the model already has this check (the model's kernel contains the change): the other side lacks it
      const id = placed.existing.id;
      const err = usable({ overrides: { [id]: placed.condition } });
      if (err) { out.push({ kind: 'unplaced', check: null, function: c.function, before: c.before, after: c.after, sourceLine: line, reason: `matches ${id}, but: ${err}` }); continue; }
      sideOpts.overrides![id] = placed.condition;
      other.overrides![id] = null;
      if (placed.result.kind === 'continue') sideOpts.results![id] = placed.result;
      sites.add(id);
      out.push({ kind: c.after !== null ? 'added' : 'removed', check: id, function: c.function, before: c.after !== null ? null : placed.condition, after: c.after !== null ? placed.condition : null, sourceLine: line, result: placed.result });
      continue;
    }
    const def: CheckDef = {
      id: `patch:${c.function}:${line}`, function: c.function!, condition: placed.condition, ...(placed.guard ? { guard: placed.guard } : {}),
      result: placed.result, sdm: '(added by the patch)', rule: `The patch's condition at mail line ${line}.`, source: block!.hunk.file ?? '',
    };
    const entry = { after: placed.anchor.id, check: def };
    const err = usable({ added: [entry] });
    if (err) { out.push({ kind: 'unplaced', check: null, function: c.function, before: c.before, after: c.after, sourceLine: line, reason: `a new condition the simulator cannot evaluate: ${err}` }); continue; }
    sideOpts.added!.push(entry);
    if (placed.result.kind === 'continue') sideOpts.results![def.id] = placed.result;
    sites.add(def.id);
    out.push({ kind: c.after !== null ? 'added' : 'removed', check: def.id, function: c.function, before: c.after !== null ? null : placed.condition, after: c.after !== null ? placed.condition : null,
      sourceLine: line, guard: placed.guard, placedAfter: placed.anchor.id, result: placed.result });
  }
  const watch = [...sites];
  return {
    before: { ...before, watch }, after: { ...after, watch }, changes: out, sites: watch,
    notSimulated: out.filter(c => c.kind === 'unplaced').length,
  };
}

type Placement =
  | { condition: string; guard?: string; result: FailResult & { warning?: string }; anchor: CheckDef; existing?: undefined }
  | { condition: string; result: FailResult & { warning?: string }; existing: CheckDef; anchor?: undefined; guard?: undefined }
  | { reason: string };

function place(pathId: string, hunk: Hunk, blockLine: number, c: CheckChange, side: 'add' | 'del', order: readonly CheckDef[], checks: readonly CheckDef[]): Placement {
  const fn = c.function!;
  const cond = (side === 'add' ? c.after : c.before)!;
  const { code, blockAt } = sideCode(hunk, side, blockLine);
  const hit = findIf(code, Math.max(0, code.lastIndexOf('\n', blockAt) ), cond) ?? findIf(code, 0, cond);
  if (!hit) return { reason: 'a condition outside an if the model cannot read' };
  const reading = readAction(code, hit.end, cond);
  if (reading.result === 'none') return { reason: reading.why! };
  const locals = declaredLocals(code.slice(0, hit.at));
  const outer = outsideCC(hit.inner, cond);
  const ifs = enclosingIfs(code, hit.at);
  const fnChecks = checks.filter(k => k.function === fn);
  const onPath = order.some(k => k.function === fn);
  const fnResult = (): FailResult => {
    const counts = new Map<string, { r: FailResult; n: number }>();
    for (const k of fnChecks) { const key = JSON.stringify(k.result); const e = counts.get(key) ?? { r: k.result, n: 0 }; e.n++; counts.set(key, e); }
    return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.r ?? { kind: 'error', errno: reading.errno ?? 'EINVAL' };
  };
  const result: FailResult & { warning?: string } = reading.result === 'warn-continue'
    ? { kind: 'continue', ...(reading.warning ? { warning: reading.warning } : {}) }
    : pathId === 'set-nested-state' && reading.errno ? { kind: 'error', errno: reading.errno }
    : pathId === 'module-load' && reading.errno ? { kind: 'load-failed', errno: reading.errno }
    : fnResult();
  // the model may already have it, as written or read with its sense
  for (const text of [reading.fires, normalText(reading.fires)]) {
    const m = findCheck(text, fnChecks);
    if (m) {
      const written = substitute(text, m.bind);
      // the model's own check prints its own warning (with the values): the patch's format text is not repeated
      if (tryParse(written)) return { condition: written, result: reading.result === 'warn-continue' ? { kind: 'continue' } : m.check.result, existing: m.check };
    }
  }
  if (!onPath) return { reason: `${fn} is not on the ${pathId} path's modeled checks` };
  const bind = new Map([...locals].map(([k, v]) => [k, v]));
  const condition = substitute(reading.fires, bind);
  const guards = [...(outer ? [outer] : []), ...ifs].map(g => substitute(g, bind));
  const anchor = anchorFor(fn, [...ifs, ...(outer ? [outer] : []), ...contextConditions(code.slice(0, hit.at))], order);
  if (!anchor) return { reason: `no modeled check of ${fn} stands next to it to place it after` };
  if (!tryParse(condition)) return { reason: `its condition cannot be read: ${condition}` };
  const guard = guards.length ? guards.map(g => `(${g})`).join(' && ') : undefined;
  return { condition, ...(guard ? { guard } : {}), result, anchor };
}

/** Conditions written in code before the new one (if/while/CC arguments), latest last. */
function contextConditions(code: string): string[] {
  const out: string[] = [];
  const re = /\b(?:if|while|CC)\s*\(/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const b = balanced(code, m.index + m[0].length - 1);
    if (b) out.push(b.inner.trim());
  }
  return out;
}
