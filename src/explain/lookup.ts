// Name and number lookup over the model (pure): exact names, aliases, struct members, numbers
// and number expressions read in context, close matches.
import * as sim from '../sim';
import { modelIndex } from './entities';
import { closest } from './fuzzy';
import { parseNumber } from './decode';
import { hintsOf, numberReadings } from './readings';
import type { CheckFact, Explanation } from '../knowledge/types';
import type { CheckDef, FailResult } from '../knowledge/checks';

/** Paths of a function: its own table entry plus whatever the simulator lists through it; its checks from the simulator's check tables. */
function withLivePaths(e: Explanation): Explanation {
  if (e.kind !== 'function') return e;
  let live: string[] = [];
  let checks = e.checks;
  try {
    live = sim.pathsThrough(e.name).map(p => p.id);
    const fromSim = sim.checksOf(e.name);
    if (fromSim.length) {
      // The function's own checks first, then those of the callees the simulator walks into.
      const own = fromSim.filter(c => c.function === e.name);
      checks = [...own, ...fromSim.filter(c => c.function !== e.name)].map(c => simCheck(c, e.name));
    }
  } catch { /* simulator unavailable: keep the table's paths and checks */ }
  const paths = [...new Set([...(e.paths ?? []), ...live])];
  return { ...e, paths, ...(checks ? { checks } : {}) };
}

/** A simulator check (src/knowledge/checks CheckDef) as the model shows it: KVM's check in words, its result. */
function simCheck(c: CheckDef, fnName: string): CheckFact {
  return { id: c.id, fails: c.function !== fnName ? `${c.rule} (in ${c.function})` : c.rule, result: resultText(c.result), ...(c.sdm ? { sdm: c.sdm } : {}) };
}

/** The simulator's failure result in words: "VMfailValid 8", "VM-exit 33|0x80000000, qualification 4", "-EINVAL", "VMX abort 4". */
function resultText(r: FailResult): string {
  switch (r.kind) {
    case 'vmfail-invalid': return 'VMfailInvalid';
    case 'vmfail-valid': return `VMfailValid ${r.vmInstructionError}`;
    case 'entry-failure-vmexit': {
      const reason = (r.exitReason | 0x80000000) >>> 0;
      return `VM-exit 0x${reason.toString(16)} (basic reason ${reason & 0xffff}, failed VM-entry), qualification ${r.exitQualification}`;
    }
    case 'abort': return `VMX abort ${r.abortIndicator}`;
    case 'load-failed': case 'error': return `-${r.errno}`;
    case 'fault': return `#${r.vector}`;
    case 'internal-error': return 'KVM_EXIT_INTERNAL_ERROR';
    case 'continue': return 'continues (adjusts state)';
  }
}

function byName(q: string): Explanation[] {
  const idx = modelIndex();
  const exact = idx.byName.get(q);
  if (exact) return exact;
  const upper = idx.byUpper.get(q.toUpperCase());
  if (upper) return upper;
  // `vmcs12->host_cr3`, `vmcs_config.vmentry_ctrl`, `vcpu->arch.cr0_guest_owned_bits`
  const member = /(?:->|\.)(\w+)$/.exec(q);
  if (member) {
    const base = /(\w+)(?:->|\.)\w+$/.exec(q)?.[1];
    return idx.byName.get(`${base}.${member[1]}`) ?? idx.byName.get(member[1]) ?? [];
  }
  return [];
}

/** Prefixes the kernel puts before names that the SDM, the reference and reviewers often leave out. */
const PREFIXES = ['VM_EXIT_', 'VM_ENTRY_', 'CPU_BASED_', 'SECONDARY_EXEC_', 'SECONDARY_EXEC_ENABLE_', 'PIN_BASED_', 'TERTIARY_EXEC_', 'MSR_IA32_VMX_', 'MSR_IA32_', 'MSR_',
  'X86_CR0_', 'X86_CR3_', 'X86_CR4_', 'EFER_', 'EXIT_REASON_', 'VMXERR_', 'ENTRY_FAIL_', 'VMX_ABORT_', 'KVM_STATE_NESTED_', 'KVM_STATE_', 'KVM_REQ_',
  'VMX_MISC_', 'VMX_BASIC_', 'VMX_EPT_', 'VMX_VPID_', 'EVMPTR_', 'GUEST_', 'HOST_', 'X86_FEATURE_'];

/** `LOAD_IA32_EFER` → VM_EXIT_LOAD_IA32_EFER and VM_ENTRY_LOAD_IA32_EFER: the name with a kernel prefix added. */
function byPrefix(q: string): Explanation[] {
  const idx = modelIndex();
  const out: Explanation[] = [];
  for (const p of PREFIXES) for (const e of idx.byName.get(p + q) ?? idx.byUpper.get((p + q).toUpperCase()) ?? []) if (!out.includes(e) && e.name === e.name.toUpperCase()) out.push(e);
  return out;
}

/** `LOAD_EFER` → the constants whose name holds LOAD … EFER in that order (at most six, shortest first). */
function byTokens(q: string): Explanation[] {
  const want = q.toUpperCase().split('_').filter(Boolean);
  if (want.length < 2) return [];
  const hits = modelIndex().entities.filter(e => {
    if (e.kind === 'function' || e.kind === 'struct' || e.kind === 'struct_field' || e.name.includes(' ')) return false;
    const have = e.name.split('_');
    let i = 0;
    for (const t of have) if (t === want[i]) i++;
    return i === want.length && !/_HIGH$/.test(e.name);
  });
  return hits.length <= 6 ? hits.sort((a, b) => a.name.length - b.name.length) : [];
}

/** Every reading of a name or number; empty when the model knows nothing of it. */
export function explain(query: string): Explanation[] {
  // written as C: `struct vmcs12`, `#define KVM_POSSIBLE_CR0_GUEST_BITS`, `vmx->nested.hv_evmcs_vmptr`, `f()`
  const q = query.trim().replace(/\(\)$/, '').replace(/^(?:struct|union|enum|#\s*define)\s+/, '').replace(/->/g, '.');
  if (!q) return [];
  const named = byName(q);
  if (named.length) return named.map(withLivePaths);
  if (/^[A-Za-z_][\w.]*\.[A-Za-z_]\w*$/.test(q)) {
    // a member path: the longest known tail (`kvm_vmx_nested_state_hdr.smm.flags` for `smm.flags`)
    const parts = q.split('.');
    for (let i = 0; i < parts.length; i++) {
      const tail = parts.slice(i).join('.');
      const members = [...modelIndex().byName.keys()].filter(k => k.endsWith(`.${tail}`));
      if (members.length) return members.flatMap(k => byName(k)).map(withLivePaths);
    }
  }
  if (/^[A-Za-z_]\w*$/.test(q) && q === q.toUpperCase() && q.length >= 3) {
    const expanded = byPrefix(q);
    if (expanded.length) return expanded.map(withLivePaths);
    const tokens = byTokens(q);
    if (tokens.length) return tokens.map(withLivePaths);
  }
  const whole = parseNumber(q);
  if (whole) return numberReadings(whole);
  // A number expression with context words: "CR3 BIT_ULL(62)", "bit 61 of CR3", "VMfailValid 8".
  const expr = /(BIT(?:_ULL)?\(\s*\d+\s*\)|GENMASK(?:_ULL)?\(\s*\d+\s*,\s*\d+\s*\)|\(?\s*1[uUlL]*\s*<<\s*\d+\s*\)?|0[xX][0-9a-fA-F]+[uUlL]*|\b\d+[uUlL]*\b)/.exec(q);
  if (expr) {
    let parsed = parseNumber(expr[1]);
    if (parsed && parsed.form === 'dec' && /\bbits?\s*$/i.test(q.slice(0, expr.index)) && parsed.value < 64n) parsed = { value: 1n << parsed.value, form: 'bit', bit: Number(parsed.value) };
    if (parsed) return numberReadings(parsed, hintsOf(q.slice(0, expr.index) + ' ' + q.slice(expr.index + expr[0].length)));
  }
  return [];
}

/** The word (identifier, number, or number expression) at `column` of `line` and its readings in that line's context. */
export function explainAt(line: string, column: number): { start: number; end: number; text: string; readings: Explanation[] } | undefined {
  const wordRe = /0[xX][0-9a-fA-F]+[uUlL]*|\d[0-9A-F]*H\b|\d+[uUlL]*|[A-Za-z_]\w*/g;
  let m: RegExpExecArray | null;
  let hit: RegExpExecArray | undefined;
  while ((m = wordRe.exec(line))) { if (m.index <= column && column < m.index + m[0].length) { hit = m; break; } if (m.index > column) break; }
  if (!hit) return undefined;
  let start = hit.index, end = start + hit[0].length, text = hit[0];
  // Widen to a number expression around the word: BIT_ULL(62), GENMASK(51, 12), 1ULL << 61.
  const exprRe = /BIT(?:_ULL)?\(\s*\d+\s*\)|GENMASK(?:_ULL)?\(\s*\d+\s*,\s*\d+\s*\)|\b1[uUlL]*\s*<<\s*\d+/g;
  while ((m = exprRe.exec(line))) {
    if (m.index <= start && end <= m.index + m[0].length) { start = m.index; end = m.index + m[0].length; text = m[0]; break; }
  }
  const context = line.slice(0, start) + ' ' + line.slice(end);
  const parsed = parseNumber(text);
  if (parsed) {
    let n = parsed;
    let strict = n.form === 'dec' && n.value < 64n;
    if (n.form === 'dec' && n.value < 64n && /\bbits?\s+$/i.test(line.slice(0, start))) { n = { value: 1n << n.value, form: 'bit', bit: Number(n.value) }; strict = true; }
    const readings = numberReadings(n, hintsOf(context), strict);
    return readings.length ? { start, end, text, readings } : undefined;
  }
  // Struct member written with its base: prefer `base.member` (vmcs_config.vmentry_ctrl).
  const base = /(\w+)\s*(?:->|\.)\s*$/.exec(line.slice(0, start))?.[1];
  if (base) {
    const member = modelIndex().byName.get(`${base}.${text}`);
    if (member) return { start, end, text, readings: member.map(withLivePaths) };
  }
  let named = modelIndex().byName.get(text) ?? (text.length > 3 && /[A-Z_]/.test(text) ? modelIndex().byUpper.get(text.toUpperCase()) : undefined);
  if (!named?.length && /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(text)) named = byPrefix(text);
  if (!named?.length) return undefined;
  return { start, end, text, readings: named.map(withLivePaths) };
}

/** Names close to `query`, best first, for "did you mean". */
export function suggest(query: string, max = 5): string[] {
  const q = query.trim();
  if (!q) return [];
  return closest(q, modelIndex().byName.keys(), max * 3)
    .map(n => modelIndex().byName.get(n)![0].name)
    .filter((n, i, all) => all.indexOf(n) === i)
    .slice(0, max);
}

/** Whether the model knows this function (drives code lenses). */
export function isModeledFunction(name: string): boolean {
  return modelIndex().byName.get(name)?.some(e => e.kind === 'function') ?? false;
}

/** All entity names, for the Explain quick pick. */
export function allNames(): string[] { return modelIndex().entities.map(e => e.name); }

/** One row per entity for the Explain quick pick: name, kind, value and one-line summary. */
export function modelEntries(): { name: string; kind: string; value?: string; summary: string }[] {
  return modelIndex().entities.map(e => ({ name: e.name, kind: e.kind, ...(e.value !== undefined ? { value: e.value } : {}), summary: e.summary }));
}

/**
 * The `kvm-review explain --json` value: the object for one reading, an array for several
 * (what the CLI prints today).
 */
export function toExplainJson(_query: string, readings: Explanation[]): Explanation | Explanation[] {
  return readings.length === 1 ? readings[0] : readings;
}
