// Kernel names the simulator understands, indexed from the model's constants table
// (constants.ts, itself checked against the reference constants.tsv), plus the few kernel macros
// the check conditions use that the table does not list (macros.ts, source noted per row).
import { CONSTANT_ROWS } from './constants';
import { EXTRA_MACROS } from './macros';

export type Width = 16 | 32 | 64;
export interface ControlBit { name: string; value: bigint; field: string; msrs: bigint[] }

const constants = new Map<string, bigint>();
const vmcsWidths = new Map<string, Width>();
const controlBits = new Map<string, ControlBit>();
const msrIndex = new Map<string, bigint>();
const msrBits = new Map<string, { value: bigint; msr: string }>();
const stateFlags = new Map<string, { value: bigint; belongs: string }>();

for (const [name, kind, value, belongsTo, meaning] of CONSTANT_ROWS) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
  let v: bigint;
  try { v = BigInt(value); } catch { continue; }
  if (!constants.has(name)) constants.set(name, v);
  if (kind === 'vmcs_field' && !name.endsWith('_HIGH')) {
    const w = /^(16|32|64)-bit/.exec(meaning);
    vmcsWidths.set(name, w ? (Number(w[1]) as Width) : 64);
  } else if (kind === 'control_bit') {
    const m = /^([A-Z0-9_]+)(?:\s*\((0x[0-9A-Fa-f]+)\))?(?:\s*\/\s*MSR\s+([0-9A-Fa-fx,]+))?/.exec(belongsTo);
    if (m && !name.includes('ALWAYSON') && !name.startsWith('INTR_')) controlBits.set(name, { name, value: v, field: m[1], msrs: m[3] ? m[3].split(',').map(s => BigInt(s)) : [] });
  } else if (kind === 'msr') {
    msrIndex.set(name, v);
  } else if (kind === 'msr_bit') {
    const high = belongsTo.includes('high dword');
    msrBits.set(name, { value: high ? v << 32n : v, msr: belongsTo.split(' ')[0] });
  } else if (kind === 'state_flag') {
    stateFlags.set(name, { value: v, belongs: belongsTo });
  }
}
for (const [name, v] of EXTRA_MACROS) constants.set(name, v);

/** Value of a kernel constant (macro) by name. */
export function constantValue(name: string): bigint | undefined { return constants.get(name); } // Map: no prototype keys
/** Width of a VMCS field (16/32/64; natural width counts as 64). */
export function vmcsFieldWidth(name: string): Width | undefined { return vmcsWidths.get(name); }
/** All VMCS field names (no _HIGH halves). */
export function vmcsFieldNames(): string[] { return [...vmcsWidths.keys()]; }
/** A VMX control bit by name. */
export function controlBit(name: string): ControlBit | undefined { return controlBits.get(name); }
/** Control bits that belong to a VMCS control field. */
export function controlBitsOf(field: string): ControlBit[] { return [...controlBits.values()].filter(b => b.field === field); }
/** The control field a VMX capability MSR describes. */
export function controlFieldOfMsr(index: bigint): string | undefined {
  return [...controlBits.values()].find(b => b.msrs.includes(index))?.field;
}
export function msrIndexOf(name: string): bigint | undefined { return msrIndex.get(name); }
export function msrNames(): string[] { return [...msrIndex.keys()]; }
/** Named bits of an MSR (as 64-bit masks). */
export function msrBitsOf(msr: string): { name: string; value: bigint }[] {
  return [...msrBits.entries()].filter(([, b]) => b.msr === msr).map(([name, b]) => ({ name, value: b.value }));
}
export function stateFlag(name: string): { value: bigint; belongs: string } | undefined { return stateFlags.get(name); }
export function stateFlagsOf(belongs: string): string[] { return [...stateFlags.entries()].filter(([, f]) => f.belongs === belongs).map(([n]) => n); }

/** Edit distance, for "closest valid names". */
function distance(a: string, b: string): number {
  const m = a.length, n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[n];
}

/** The closest names to `wrong` among `valid`, best first. */
export function closest(wrong: string, valid: Iterable<string>, max = 3): string[] {
  const w = wrong.toUpperCase();
  const scored = [...valid].map(v => {
    const u = v.toUpperCase();
    let d = distance(w, u);
    if (u.includes(w) || w.includes(u)) d = Math.min(d, Math.abs(u.length - w.length) / 2);
    return { v, d };
  });
  scored.sort((a, b) => a.d - b.d || a.v.localeCompare(b.v));
  return scored.slice(0, max).map(s => s.v);
}

/** Hex text of a value, as the CLI contract prints registers/fields/MSRs. */
export function hex(v: bigint): string { return '0x' + v.toString(16); }
