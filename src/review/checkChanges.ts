// Which modeled KVM checks a patch changes, and into what: the conditions in a hunk's removed and
// added lines (the argument of CC(...), or of if (...) when there is no CC) are paired in order and
// matched against the model's checks of the changed function. Matching is structural: the patch
// writes a check in terms of the function's parameters (`cr3`), the model in terms of the scenario
// (`vmcs12->guest_cr3`), so a lower-case name in the patch may stand for any sub-expression, bound
// consistently. The result drives the before/after simulation. Pure. The changed lines are read
// (blocks, conditions, `#define`s) by changedLines.ts, as for the hunk summary.
import { parseExpr, exprText, type Expr } from '../sim/expr';
import type { CheckDef } from '../knowledge/checks/types';
import type { Hunk, PatchDocument } from '../diff/types';
import { changeBlocks, conditionsIn, definesIn } from './changedLines';

export { conditionsIn } from './changedLines';

/** One change to a modeled check, or a change the model could not place. */
export interface CheckChange {
  /** The check's id; null when the change could not be mapped. */
  check: string | null;
  /** The changed C function (from the hunk). */
  function: string | null;
  /** Condition before the patch (model terms); null when the patch adds the check. */
  before: string | null;
  /** Condition after the patch (model terms); null when the patch removes the check. */
  after: string | null;
  /** 0-based document line of the first changed line. */
  sourceLine: number;
  /** Why the change could not be mapped (only when `check` and `define` are null). */
  reason?: string;
  /** A redefined macro (`#define NAME value` changed): its name; before/after are its values. */
  define?: string;
}

/** The macros a hunk redefines, with their old and new values. */
export function redefinitionsOf(hunk: Hunk): { name: string; before: string | null; after: string | null; sourceLine: number }[] {
  const out: { name: string; before: string | null; after: string | null; sourceLine: number }[] = [];
  for (const block of changeBlocks(hunk.lines)) {
    const before = definesIn(block.removed), after = definesIn(block.added);
    for (const name of new Set([...before.keys(), ...after.keys()])) {
      const b = before.get(name) ?? null, a = after.get(name) ?? null;
      if (b !== a) out.push({ name, before: b, after: a, sourceLine: block.line });
    }
  }
  return out;
}

/** Names a patch may use that mean the same in the model (never bound as parameters). */
const FIXED_NAMES = new Set(['vcpu', 'vmx', 'vmcs12', 'kvm', 'true', 'false', 'NULL']);

function tryParse(text: string): Expr | null {
  try { return parseExpr(text); } catch { return null; }
}

/** Whether `pattern` (from the patch) matches `model`, extending `bind` (patch name → model text). */
function unify(pattern: Expr, model: Expr, bind: Map<string, string>): boolean {
  if (pattern.t === 'name' && !FIXED_NAMES.has(pattern.name) && /^[a-z_][a-z0-9_]*$/.test(pattern.name)) {
    const text = exprText(model);
    const prior = bind.get(pattern.name);
    if (prior !== undefined) return prior === text;
    if (model.t === 'name' && model.name === pattern.name) { bind.set(pattern.name, text); return true; }
    bind.set(pattern.name, text);
    return true;
  }
  if (pattern.t !== model.t) return false;
  switch (pattern.t) {
    case 'num': return pattern.v === (model as typeof pattern).v;
    case 'name': return pattern.name === (model as typeof pattern).name;
    case 'member': return pattern.path === (model as typeof pattern).path;
    case 'unary': { const m = model as typeof pattern; return pattern.op === m.op && unify(pattern.e, m.e, bind); }
    case 'cast': { const m = model as typeof pattern; return pattern.bits === m.bits && unify(pattern.e, m.e, bind); }
    case 'bin': { const m = model as typeof pattern; return pattern.op === m.op && unify(pattern.l, m.l, bind) && unify(pattern.r, m.r, bind); }
    case 'cond': { const m = model as typeof pattern; return unify(pattern.c, m.c, bind) && unify(pattern.a, m.a, bind) && unify(pattern.b, m.b, bind); }
    case 'call': {
      const m = model as typeof pattern;
      return pattern.fn === m.fn && pattern.args.length === m.args.length && pattern.args.every((a, i) => unify(a, m.args[i], bind));
    }
  }
}

/** Replaces bound parameter names in a patch condition by the model's sub-expressions. */
function substitute(text: string, bind: Map<string, string>): string {
  if (!bind.size) return text;
  return text.replace(/(->|\.)?\b([a-z_][a-z0-9_]*)\b/g, (whole, access: string | undefined, name: string) => {
    if (access) return whole;                       // a struct member, not a parameter
    const value = bind.get(name);
    if (value === undefined || value === name) return whole;
    return /^[\w>.-]+$/.test(value) && !/-(?!>)/.test(value) ? value : `(${value})`;   // a plain name or member needs no parentheses
  });
}

interface Candidate { check: CheckDef; bind: Map<string, string> }

/** The model check a patch condition stands for, with the parameter bindings that make it match. */
function findCheck(condition: string, checks: readonly CheckDef[]): Candidate | null {
  const pattern = tryParse(condition);
  if (!pattern) return null;
  for (const check of checks) {
    const model = tryParse(check.condition);
    const bind = new Map<string, string>();
    if (model && unify(pattern, model, bind)) return { check, bind };
  }
  return null;
}

/**
 * The check changes of a patch: for every hunk that changes a function with modeled checks, each
 * changed condition paired with its model check (or reported as unmapped, with the reason).
 */
export function checkChangesOf(doc: PatchDocument, allChecks: readonly CheckDef[]): CheckChange[] {
  const changes: CheckChange[] = [];
  for (const hunk of doc.hunks) {
    for (const d of redefinitionsOf(hunk)) {
      changes.push({ check: null, define: d.name, function: hunk.changedFunctions[0] ?? null, before: d.before, after: d.after, sourceLine: d.sourceLine });
    }
    const checks = allChecks.filter(c => hunk.changedFunctions.includes(c.function));
    for (const block of changeBlocks(hunk.lines)) {
      const before = conditionsIn(block.removed), after = conditionsIn(block.added);
      const fn = hunk.changedFunctions[0] ?? null;
      const n = Math.max(before.length, after.length);
      for (let i = 0; i < n; i++) {
        const b = before[i] ?? null, a = after[i] ?? null;
        if (b !== null && a !== null && b.replace(/\s+/g, '') === a.replace(/\s+/g, '')) continue;   // the line changed, not the condition
        if (!checks.length) {
          changes.push({ check: null, function: fn, before: b ?? null, after: a ?? null, sourceLine: block.line,
            reason: fn ? `${fn} has no modeled checks` : 'the hunk changes no known function' });
          continue;
        }
        // the added side usually matches a v6.12 check; else the removed side does
        const hit = (a && findCheck(a, checks)) || (b && findCheck(b, checks)) || null;
        if (!hit) {
          changes.push({ check: null, function: fn, before: b ?? null, after: a ?? null, sourceLine: block.line,
            reason: b && a ? 'neither condition matches a modeled check of this function' : a ? 'a new condition the model has no check for' : 'a removed condition the model has no check for' });
          continue;
        }
        const rewrite = (text: string | null | undefined) => {
          if (!text) return null;
          const out = substitute(text, hit.bind);
          return tryParse(out) ? out : null;
        };
        const [rb, ra] = [rewrite(b), rewrite(a)];
        if ((b && !rb) || (a && !ra)) {
          changes.push({ check: null, function: fn, before: b ?? null, after: a ?? null, sourceLine: block.line, reason: `matches ${hit.check.id} but cannot be written over the scenario` });
          continue;
        }
        changes.push({ check: hit.check.id, function: hit.check.function, before: rb, after: ra, sourceLine: block.line });
      }
    }
  }
  return changes;
}

/** What one side of a patch changes in the simulator: check conditions and macro values. */
export interface SideOverrides { overrides: Record<string, string | null>; defines: Record<string, string> }

/** Overrides for the simulator: before = removed conditions and old macro values, after = added ones
 *  (null removes a check; a macro the patch adds or removes keeps the model's value on that side). */
export function overridesOf(changes: readonly CheckChange[]): { before: SideOverrides; after: SideOverrides } {
  const before: SideOverrides = { overrides: {}, defines: {} }, after: SideOverrides = { overrides: {}, defines: {} };
  for (const c of changes) {
    if (c.define) {
      if (c.before !== null) before.defines[c.define] = c.before;
      if (c.after !== null) after.defines[c.define] = c.after;
    } else if (c.check) {
      before.overrides[c.check] = c.before;
      after.overrides[c.check] = c.after;
    }
  }
  return { before, after };
}
