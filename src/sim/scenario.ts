// Scenario JSON (cli-contract.md "simulate") → a resolved World the checks read. Pure.
// Layers: built-in default → preset (`base`) → the user's keys. Every name is the kernel's own and
// is validated; a problem throws ScenarioError with one line naming it and the closest valid names.
import {
  closest, constantValue, controlBit, controlBitsOf, controlFieldOfMsr, msrBitsOf, msrIndexOf, msrNames,
  stateFlag, stateFlagsOf, vmcsFieldNames, vmcsFieldWidth,
} from '../knowledge/names';
import { computeVmcsConfig, deriveNestedMsrs, effectiveParams, type NestedMsrs } from './vmxcaps';
import { PRESETS, type ScenarioJson } from './presets';
import { keysOf, SECTIONS } from './scenarioSchema';
import { DEFAULT_VMCS12, HOST_MSR_DEFAULT, PARAM_ALIASES, PARAM_DEFAULTS } from '../knowledge/defaults';

/** A scenario that cannot be used: the CLI turns it into exit 2 with this one-line message. */
export class ScenarioError extends Error {}

/** CPUID feature names (X86_FEATURE_* without the prefix) the checks consult. */
export const FEATURES = [
  'VME', 'DE', 'PSE', 'TSC', 'PAE', 'MCE', 'PGE', 'FXSR', 'XMM', 'VMX', 'SMX', 'PCID', 'XSAVE', 'FSGSBASE', 'SMEP', 'SMAP',
  'PKU', 'UMIP', 'LA57', 'LAM', 'NX', 'LM', 'MPX', 'SVM', 'AUTOIBRS', 'FXSR_OPT', 'HYPERV', 'SGX', 'PDCM', 'ARCH_PERFMON',
  'SHSTK', 'IBT', 'FRED', 'RDTSCP', 'RDPID', 'INVPCID', 'XSAVES', 'RDRAND', 'RDSEED', 'WAITPKG',
] as const;
const DEFAULT_OFF = new Set(['SMX', 'SVM', 'AUTOIBRS', 'FXSR_OPT', 'HYPERV', 'SGX', 'SHSTK', 'IBT', 'FRED']);

export interface MsrEntry { index: bigint; reserved: bigint; value: bigint }

/** Everything a check may read, resolved. */
export interface World {
  params: Record<string, boolean>;
  guestFeatures: Set<string>;
  hostFeatures: Set<string>;
  maxphyaddr: number;
  hostMsrs: Map<string, bigint>;
  nested: NestedMsrs;
  l1: {
    cr0: bigint; cr3: bigint; cr4: bigint; efer: bigint; cpl: bigint; vmxon: boolean; smm: boolean; guestMode: boolean;
    vmptr: bigint; evmptr: bigint; launch: boolean; interruptibility: bigint; pdptrsValid: boolean; csL: boolean;
  };
  vmcs12: Map<string, bigint>;
  vmcs12Hdr: { revision_id: bigint; shadow_vmcs: bigint; launch_state: bigint };
  linkedVmcs: { revision_id: bigint; shadow_vmcs: bigint; mapped: boolean };
  nestedState: {
    flags: bigint; format: bigint; size: bigint; vmxon_pa: bigint; vmcs12_pa: bigint; evmcs_pa: bigint; smm_flags: bigint;
    vmx_flags: bigint; given: boolean;
  };
  write: { cr0?: bigint; cr3?: bigint; cr4?: bigint; efer?: bigint; by: 'guest' | 'userspace'; emulated: boolean; l2: boolean };
  msrLists: { entryLoad: MsrEntry[]; exitLoad: MsrEntry[]; exitStore: MsrEntry[] };
  pmu: { globalCtrlRsvd: bigint; hasGlobalCtrl: boolean };
  exit: { reason: bigint; qualification: bigint; lateFail: boolean };
  evmcs: { enabled: boolean; vpAssistEnabled: boolean; revision: bigint; mappable: boolean };
  /** Guest-physical memory backed by memslots: [0, size). */
  memory: { size: bigint };
  /** The preset the scenario starts from. */
  base: string;
  /** Module parameters after vmx_hardware_setup trimmed them to the host. */
  effective: Record<string, boolean>;
}


function fail(msg: string): never { throw new ScenarioError(msg); }
function suggest(wrong: string, valid: Iterable<string>): string {
  const c = closest(wrong, valid);
  return c.length ? `; closest valid names: ${c.join(', ')}` : '';
}
function isObject(v: unknown): v is Record<string, unknown> { return typeof v === 'object' && v !== null && !Array.isArray(v); }

/** Parses a numeric JSON value: hex/decimal string, a safe integer number, or a boolean. */
export function parseValue(v: unknown, where: string, bits = 64): bigint {
  let n: bigint;
  if (typeof v === 'boolean') n = v ? 1n : 0n;
  else if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) fail(`${where}: ${v} is not a non-negative integer; write 64-bit values as hex strings ("0x...")`);
    n = BigInt(v);
  } else if (typeof v === 'string' && /^\s*(0[xX][0-9a-fA-F_]+|[0-9]+)\s*$/.test(v)) n = BigInt(v.trim().replace(/_/g, ''));
  else if (typeof v === 'string' && /^\s*-1\s*$/.test(v)) n = (1n << BigInt(bits)) - 1n;
  else fail(`${where}: ${JSON.stringify(v)} is not a value; expected a hex string such as "0x1000"`);
  if (n >> BigInt(bits) !== 0n) fail(`${where}: 0x${n.toString(16)} does not fit in ${bits} bits`);
  return n;
}
function parseBool(v: unknown, where: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  if (v === '0' || v === '1' || v === 'true' || v === 'false' || v === 'Y' || v === 'N') return v === '1' || v === 'true' || v === 'Y';
  return fail(`${where}: ${JSON.stringify(v)} is not a boolean`);
}
function names(v: unknown, where: string): string[] {
  if (v === undefined) return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || v.some(x => typeof x !== 'string')) fail(`${where}: expected a list of names`);
  return v as string[];
}
function checkKeys(obj: Record<string, unknown>, allowed: string[], where: string): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(`unknown key "${k}" in ${where}${suggest(k, allowed)}`);
}

/** VMCS12 pseudo-fields that live in the vmcs12 header or KVM's software state, not the VMCS. */
const VMCS12_PSEUDO = ['launch_state', 'revision_id', 'shadow_vmcs'];

function resolveVmcsName(key: string): string {
  const up = key.toUpperCase();
  if (vmcsFieldWidth(up) !== undefined) return up;
  if (up.endsWith('_HIGH') && vmcsFieldWidth(up.slice(0, -5)) !== undefined) fail(`vmcs12 field ${key}: give the full 64-bit field ${up.slice(0, -5)} instead of its high half`);
  return fail(`unknown VMCS field "${key}" in vmcs12${suggest(up, [...vmcsFieldNames(), ...VMCS12_PSEUDO])}`);
}

/** Applies a control-field value or {set, clear} to `base`. */
function controlValue(field: string, v: unknown, base: bigint, where: string): bigint {
  if (!isObject(v)) return parseValue(v, where, 32);
  checkKeys(v, ['set', 'clear'], where);
  const bits = controlBitsOf(field);
  const bitNames = bits.map(b => b.name);
  let out = base;
  for (const [op, list] of [['set', v.set], ['clear', v.clear]] as const) {
    for (const n of names(list, `${where}.${op}`)) {
      const b = controlBit(n);
      if (!b || b.field !== field) fail(`${where}.${op}: "${n}" is not a bit of ${field}${suggest(n, bitNames)}`);
      out = op === 'set' ? out | b.value : out & ~b.value;
    }
  }
  return out;
}

const CONTROL_FIELDS = new Set(['PIN_BASED_VM_EXEC_CONTROL', 'CPU_BASED_VM_EXEC_CONTROL', 'SECONDARY_VM_EXEC_CONTROL', 'VM_EXIT_CONTROLS', 'VM_ENTRY_CONTROLS', 'TERTIARY_VM_EXEC_CONTROL', 'VM_FUNCTION_CONTROL']);

/** Capability-MSR value or {allow, disallow, require} (control MSRs) / {set, clear} (others). */
function msrValue(msr: string, v: unknown, base: bigint, where: string): bigint {
  if (!isObject(v)) return parseValue(v, where, 64);
  const index = msrIndexOf(msr)!;
  const field = controlFieldOfMsr(index);
  if (field && index !== 0x492n) {
    checkKeys(v, ['allow', 'disallow', 'require'], where);
    const bitNames = controlBitsOf(field).map(b => b.name);
    let low = base & 0xffffffffn, high = base >> 32n;
    for (const [op, list] of [['allow', v.allow], ['disallow', v.disallow], ['require', v.require]] as const) {
      for (const n of names(list, `${where}.${op}`)) {
        const b = controlBit(n);
        if (!b || b.field !== field) fail(`${where}.${op}: "${n}" is not a ${field} bit${suggest(n, bitNames)}`);
        if (op === 'allow') { high |= b.value; low &= ~b.value; }
        else if (op === 'disallow') { high &= ~b.value; low &= ~b.value; }
        else { high |= b.value; low |= b.value; }
      }
    }
    return (high << 32n) | low;
  }
  checkKeys(v, ['set', 'clear', 'allow', 'disallow'], where);
  const bits = field ? controlBitsOf(field).map(b => ({ name: b.name, value: b.value })) : msrBitsOf(msr);
  let out = base;
  for (const [op, list] of [['set', v.set ?? v.allow], ['clear', v.clear ?? v.disallow]] as const) {
    for (const n of names(list, `${where}.${op}`)) {
      const b = bits.find(x => x.name === n);
      if (!b) fail(`${where}.${op}: "${n}" is not a named bit of ${msr}${suggest(n, bits.map(x => x.name))}`);
      out = op === 'set' ? out | b.value : out & ~b.value;
    }
  }
  return out;
}

function resolveMsrName(key: string, where: string): string {
  if (msrIndexOf(key) !== undefined) return key;
  if (msrIndexOf('MSR_' + key) !== undefined) return 'MSR_' + key;
  if (/^0x[0-9a-f]+$/i.test(key)) {
    const n = msrNames().find(m => msrIndexOf(m) === BigInt(key));
    if (n) return n;
  }
  return fail(`unknown MSR "${key}" in ${where}${suggest(key, msrNames().filter(m => m.startsWith('MSR_IA32_VMX')))}`);
}

function flagValue(v: unknown, belongs: string, where: string): bigint {
  if (!Array.isArray(v)) return parseValue(v, where, 32);
  const valid = stateFlagsOf(belongs);
  let out = 0n;
  for (const n of names(v, where)) {
    const f = stateFlag(n);
    if (!f || f.belongs !== belongs) fail(`${where}: unknown flag "${n}"${suggest(n, valid)}`);
    out |= f.value;
  }
  return out;
}

function hostMsrDefaults(): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const [k, v] of Object.entries(HOST_MSR_DEFAULT)) m.set(k, v);
  return m;
}

const NESTED_MSR_FIELDS: Record<string, [keyof NestedMsrs, keyof NestedMsrs] | keyof NestedMsrs> = {
  MSR_IA32_VMX_BASIC: 'basic',
  MSR_IA32_VMX_PINBASED_CTLS: ['pinbased_ctls_low', 'pinbased_ctls_high'],
  MSR_IA32_VMX_TRUE_PINBASED_CTLS: ['pinbased_ctls_low', 'pinbased_ctls_high'],
  MSR_IA32_VMX_PROCBASED_CTLS: ['procbased_ctls_low', 'procbased_ctls_high'],
  MSR_IA32_VMX_TRUE_PROCBASED_CTLS: ['procbased_ctls_low', 'procbased_ctls_high'],
  MSR_IA32_VMX_EXIT_CTLS: ['exit_ctls_low', 'exit_ctls_high'],
  MSR_IA32_VMX_TRUE_EXIT_CTLS: ['exit_ctls_low', 'exit_ctls_high'],
  MSR_IA32_VMX_ENTRY_CTLS: ['entry_ctls_low', 'entry_ctls_high'],
  MSR_IA32_VMX_TRUE_ENTRY_CTLS: ['entry_ctls_low', 'entry_ctls_high'],
  MSR_IA32_VMX_PROCBASED_CTLS2: ['secondary_ctls_low', 'secondary_ctls_high'],
  MSR_IA32_VMX_MISC: ['misc_low', 'misc_high'],
  MSR_IA32_VMX_EPT_VPID_CAP: ['ept_caps', 'vpid_caps'],
  MSR_IA32_VMX_CR0_FIXED0: 'cr0_fixed0', MSR_IA32_VMX_CR0_FIXED1: 'cr0_fixed1',
  MSR_IA32_VMX_CR4_FIXED0: 'cr4_fixed0', MSR_IA32_VMX_CR4_FIXED1: 'cr4_fixed1',
  MSR_IA32_VMX_VMCS_ENUM: 'vmcs_enum', MSR_IA32_VMX_VMFUNC: 'vmfunc_controls',
};
/** Default-1 bits that the non-TRUE control MSRs report on top of the TRUE ones. */
const ALWAYSON: Record<string, string> = {
  MSR_IA32_VMX_PINBASED_CTLS: 'PIN_BASED_ALWAYSON_WITHOUT_TRUE_MSR', MSR_IA32_VMX_PROCBASED_CTLS: 'CPU_BASED_ALWAYSON_WITHOUT_TRUE_MSR',
  MSR_IA32_VMX_EXIT_CTLS: 'VM_EXIT_ALWAYSON_WITHOUT_TRUE_MSR', MSR_IA32_VMX_ENTRY_CTLS: 'VM_ENTRY_ALWAYSON_WITHOUT_TRUE_MSR',
};

/** Reads a nested capability MSR as vmx_get_vmx_msr reports it to L1. */
export function nestedMsrValue(n: NestedMsrs, msr: string): bigint {
  const f = NESTED_MSR_FIELDS[msr];
  if (!f) return 0n;
  if (typeof f === 'string') return n[f];
  const [lo, hi] = f;
  let low = n[lo];
  if (ALWAYSON[msr]) low |= constantValue(ALWAYSON[msr])!;
  return (n[hi] << 32n) | low;
}
function setNestedMsr(n: NestedMsrs, msr: string, v: bigint): void {
  const f = NESTED_MSR_FIELDS[msr];
  if (!f) fail(`l1Msrs: ${msr} is not a nested VMX capability MSR${suggest(msr, Object.keys(NESTED_MSR_FIELDS))}`);
  if (typeof f === 'string') { n[f] = v; return; }
  const [lo, hi] = f;
  let low = v & 0xffffffffn;
  if (ALWAYSON[msr]) {
    // The non-TRUE MSR shows the default-1 class as 1; keep the TRUE low value's view of those bits.
    const on = constantValue(ALWAYSON[msr])!;
    low = (low & ~on) | (n[lo] & on);
  }
  n[lo] = low;
  n[hi] = v >> 32n;
}

function featureSet(base: Set<string>, v: unknown, where: string): Set<string> {
  if (!isObject(v)) fail(`${where}: expected an object of feature names`);
  const out = new Set(base);
  for (const [k, on] of Object.entries(v)) {
    const name = k.replace(/^X86_FEATURE_/, '');
    if (!(FEATURES as readonly string[]).includes(name)) fail(`unknown CPUID feature "${k}" in ${where}${suggest(name, FEATURES)}`);
    if (parseBool(on, `${where}.${k}`)) out.add(name); else out.delete(name);
  }
  return out;
}

function msrList(v: unknown, where: string): MsrEntry[] {
  if (!Array.isArray(v)) fail(`${where}: expected a list of { index, value } entries`);
  return v.map((e, i) => {
    if (!isObject(e)) fail(`${where}[${i}]: expected { index, value }`);
    checkKeys(e, ['index', 'value', 'reserved'], `${where}[${i}]`);
    const idx = typeof e.index === 'string' && /^[A-Z]/.test(e.index) ? (msrIndexOf(e.index) ?? fail(`${where}[${i}].index: unknown MSR "${e.index}"${suggest(e.index, msrNames())}`)) : parseValue(e.index, `${where}[${i}].index`, 32);
    return { index: idx, value: parseValue(e.value ?? '0x0', `${where}[${i}].value`), reserved: parseValue(e.reserved ?? '0x0', `${where}[${i}].reserved`, 32) };
  });
}

/** Layers of a scenario, base first. */
function layers(json: unknown): { base: string; layers: ScenarioJson[] } {
  if (!isObject(json)) fail('scenario must be a JSON object such as { "base": "default" }');
  checkKeys(json, [...SECTIONS], 'scenario');
  const base = json.base === undefined ? 'default' : json.base;
  if (typeof base !== 'string') fail('scenario "base" must be a preset name');
  const preset = PRESETS.find(p => p.name === base);
  if (!preset) fail(`unknown base "${base}"${suggest(base, PRESETS.map(p => p.name))}`);
  return { base, layers: [preset.overlay, json as ScenarioJson] };
}

function capabilities(ls: ScenarioJson[]): Capabilities {
  const params = { ...PARAM_DEFAULTS };
  let guestFeatures = new Set<string>(FEATURES.filter(f => !DEFAULT_OFF.has(f)));
  let hostFeatures = new Set<string>(FEATURES.filter(f => !DEFAULT_OFF.has(f)));
  let maxphyaddr = 46;
  const hostMsrs = hostMsrDefaults();
  const pmu = { globalCtrlRsvd: ~(0xffn | (0x7n << 32n)) & ((1n << 64n) - 1n), hasGlobalCtrl: true };
  for (const l of ls) {
    if (l.params !== undefined) {
      if (!isObject(l.params)) fail('params: expected an object of module parameters');
      for (const [k, v] of Object.entries(l.params)) {
        const key = Object.hasOwn(PARAM_ALIASES, k) ? PARAM_ALIASES[k] : k;
        if (!Object.hasOwn(PARAM_DEFAULTS, key)) fail(`unknown module parameter "${k}" in params${suggest(k, Object.keys(PARAM_DEFAULTS))}`);
        params[key] = parseBool(v, `params.${k}`);
      }
    }
    if (l.cpuid !== undefined) {
      if (!isObject(l.cpuid)) fail('cpuid: expected { maxphyaddr, features }');
      checkKeys(l.cpuid, keysOf('cpuid'), 'cpuid');
      if (l.cpuid.maxphyaddr !== undefined) {
        const m = Number(parseValue(l.cpuid.maxphyaddr, 'cpuid.maxphyaddr', 8));
        if (m < 32 || m > 52) fail(`cpuid.maxphyaddr: ${m} is outside 32..52`);
        maxphyaddr = m;
      }
      if (l.cpuid.features !== undefined) guestFeatures = featureSet(guestFeatures, l.cpuid.features, 'cpuid.features');
    }
    if (l.host !== undefined) {
      if (!isObject(l.host)) fail('host: expected { features }');
      checkKeys(l.host, keysOf('host'), 'host');
      if (l.host.features !== undefined) hostFeatures = featureSet(hostFeatures, l.host.features, 'host.features');
    }
    if (l.hostMsrs !== undefined) {
      if (!isObject(l.hostMsrs)) fail('hostMsrs: expected an object of MSR names');
      for (const [k, v] of Object.entries(l.hostMsrs)) {
        const name = resolveMsrName(k, 'hostMsrs');
        hostMsrs.set(name, msrValue(name, v, hostMsrs.get(name) ?? 0n, `hostMsrs.${name}`));
      }
    }
    if (l.pmu !== undefined) {
      if (!isObject(l.pmu)) fail('pmu: expected { global_ctrl_rsvd }');
      checkKeys(l.pmu, keysOf('pmu'), 'pmu');
      if (l.pmu.nr_gp_counters !== undefined || l.pmu.nr_fixed_counters !== undefined) {
        // intel_pmu_refresh: global_ctrl_rsvd = ~(GP counter bits | fixed counter bits << 32).
        const gp = parseValue(l.pmu.nr_gp_counters ?? 8, 'pmu.nr_gp_counters', 8);
        const fixed = parseValue(l.pmu.nr_fixed_counters ?? 3, 'pmu.nr_fixed_counters', 8);
        pmu.globalCtrlRsvd = ~(((1n << gp) - 1n) | (((1n << fixed) - 1n) << 32n)) & ((1n << 64n) - 1n);
      }
      if (l.pmu.global_ctrl_rsvd !== undefined) pmu.globalCtrlRsvd = parseValue(l.pmu.global_ctrl_rsvd, 'pmu.global_ctrl_rsvd');
      if (l.pmu.has_global_ctrl !== undefined) pmu.hasGlobalCtrl = parseBool(l.pmu.has_global_ctrl, 'pmu.has_global_ctrl');
    }
  }
  // KVM can only offer LAM when the host has it (kvm_cpu_cap); userspace may still claim it in CPUID.
  const config = computeVmcsConfig(hostMsrs, params, hostFeatures);
  const nested = deriveNestedMsrs(config, hostMsrs, params, guestFeatures, pmu.hasGlobalCtrl);
  for (const l of ls) {
    if (l.l1Msrs === undefined) continue;
    if (!isObject(l.l1Msrs)) fail('l1Msrs: expected an object of MSR names');
    for (const [k, v] of Object.entries(l.l1Msrs)) {
      const name = resolveMsrName(k, 'l1Msrs');
      setNestedMsr(nested, name, msrValue(name, v, nestedMsrValue(nested, name), `l1Msrs.${name}`));
    }
  }
  return { params, guestFeatures, hostFeatures, maxphyaddr, hostMsrs, pmu, nested, effective: effectiveParams(config, params) };
}

/** The capability part of a World: what the host, KVM and L1's CPUID offer (cached per input). */
interface Capabilities {
  params: Record<string, boolean>; guestFeatures: Set<string>; hostFeatures: Set<string>; maxphyaddr: number;
  hostMsrs: Map<string, bigint>; pmu: World['pmu']; nested: NestedMsrs; effective: Record<string, boolean>;
}
const capabilityCache = new Map<string, Capabilities>();

function cachedCapabilities(ls: ScenarioJson[]): Capabilities {
  const key = JSON.stringify(ls.map(l => [l.params, l.cpuid, l.host, l.hostMsrs, l.pmu, l.l1Msrs]));
  let caps = capabilityCache.get(key);
  if (!caps) {
    caps = capabilities(ls);
    if (capabilityCache.size > 512) capabilityCache.clear();
    capabilityCache.set(key, caps);
  }
  return caps;
}

/** Resolves a scenario (parsed JSON) into the World the checks read; throws ScenarioError. */
export function resolveScenario(json: unknown): World {
  const { base, layers: ls } = layers(json);
  const { params, guestFeatures, hostFeatures, maxphyaddr, hostMsrs, pmu, nested, effective } = cachedCapabilities(ls);
  const l1 = {
    cr0: 0x80050033n, cr3: 0x1000n, cr4: 0x3726a0n, efer: 0xd01n, cpl: 0n, vmxon: true, smm: false, guestMode: false,
    vmptr: 0x11000n, evmptr: (1n << 64n) - 1n, launch: true, interruptibility: 0n, pdptrsValid: true, csL: true,
  };
  const vmcs12 = new Map(DEFAULT_VMCS12);
  const vmcs12Hdr = { revision_id: 0x11e57ed0n, shadow_vmcs: 0n, launch_state: 0n };
  const linkedVmcs = { revision_id: 0x11e57ed0n, shadow_vmcs: 0n, mapped: true };
  const nestedState = { flags: 0n, format: 0n, size: 0x1080n, vmxon_pa: 0x10000n, vmcs12_pa: 0x11000n, evmcs_pa: 0n, smm_flags: 0n, vmx_flags: 0n, given: false };
  const write: World['write'] = { by: 'guest', emulated: false, l2: false };
  const msrLists: World['msrLists'] = { entryLoad: [], exitLoad: [], exitStore: [] };
  const exit = { reason: 12n, qualification: 0n, lateFail: false };
  const memory = { size: 0x100000000n };
  const evmcs = { enabled: true, vpAssistEnabled: true, revision: 1n, mappable: true };
  let cr4Given = false;
  for (const l of ls) {
    if (l.l1 !== undefined) {
      if (!isObject(l.l1)) fail('l1: expected an object of registers');
      checkKeys(l.l1, keysOf('l1'), 'l1');
      const r = l.l1;
      if (r.cr0 !== undefined) l1.cr0 = parseValue(r.cr0, 'l1.cr0');
      if (r.cr3 !== undefined) l1.cr3 = parseValue(r.cr3, 'l1.cr3');
      if (r.cr4 !== undefined) { l1.cr4 = parseValue(r.cr4, 'l1.cr4'); cr4Given = true; }
      if (r.efer !== undefined) l1.efer = parseValue(r.efer, 'l1.efer');
      if (r.cpl !== undefined) l1.cpl = parseValue(r.cpl, 'l1.cpl', 2);
      if (r.vmxon !== undefined) l1.vmxon = parseBool(r.vmxon, 'l1.vmxon');
      if (r.smm !== undefined) l1.smm = parseBool(r.smm, 'l1.smm');
      if (r.guest_mode !== undefined) l1.guestMode = parseBool(r.guest_mode, 'l1.guest_mode');
      const vp = r.current_vmptr ?? r.vmptr;
      if (vp !== undefined) l1.vmptr = parseValue(vp, 'l1.current_vmptr');
      if (r.evmcs_vmptr !== undefined) l1.evmptr = parseValue(r.evmcs_vmptr, 'l1.evmcs_vmptr');
      if (r.instruction !== undefined) {
        const ins = String(r.instruction).toLowerCase();
        if (ins !== 'vmlaunch' && ins !== 'vmresume') fail(`l1.instruction: "${r.instruction}" is not VMLAUNCH or VMRESUME`);
        l1.launch = ins === 'vmlaunch';
      }
      if (r.launched !== undefined) vmcs12Hdr.launch_state = parseBool(r.launched, 'l1.launched') ? 1n : 0n;
      if (r.interruptibility !== undefined) l1.interruptibility = parseValue(r.interruptibility, 'l1.interruptibility', 32);
      if (r.mov_ss !== undefined) l1.interruptibility = parseBool(r.mov_ss, 'l1.mov_ss') ? l1.interruptibility | 2n : l1.interruptibility & ~2n;
      if (r.pdptrs_valid !== undefined) l1.pdptrsValid = parseBool(r.pdptrs_valid, 'l1.pdptrs_valid');
      if (r.cs_l !== undefined) l1.csL = parseBool(r.cs_l, 'l1.cs_l');
    }
    if (l.vmcs12 !== undefined) {
      if (!isObject(l.vmcs12)) fail('vmcs12: expected an object of VMCS field names');
      for (const [k, v] of Object.entries(l.vmcs12)) {
        const low = k.toLowerCase().replace(/^hdr\./, '');
        if (VMCS12_PSEUDO.includes(low)) { vmcs12Hdr[low as keyof typeof vmcs12Hdr] = parseValue(v, `vmcs12.${k}`, low === 'revision_id' ? 32 : 1); continue; }
        const field = resolveVmcsName(k);
        const width = vmcsFieldWidth(field)!;
        const cur = vmcs12.get(field.toLowerCase()) ?? 0n;
        const val = CONTROL_FIELDS.has(field) && isObject(v) ? controlValue(field, v, cur, `vmcs12.${field}`) : parseValue(v, `vmcs12.${field} (${width}-bit field)`, width);
        vmcs12.set(field.toLowerCase(), val);
      }
    }
    if (l.linkedVmcs !== undefined) {
      if (!isObject(l.linkedVmcs)) fail('linkedVmcs: expected { revision_id, shadow_vmcs, mapped }');
      checkKeys(l.linkedVmcs, keysOf('linkedVmcs'), 'linkedVmcs');
      if (l.linkedVmcs.revision_id !== undefined) linkedVmcs.revision_id = parseValue(l.linkedVmcs.revision_id, 'linkedVmcs.revision_id', 32);
      if (l.linkedVmcs.shadow_vmcs !== undefined) linkedVmcs.shadow_vmcs = parseBool(l.linkedVmcs.shadow_vmcs, 'linkedVmcs.shadow_vmcs') ? 1n : 0n;
      if (l.linkedVmcs.mapped !== undefined) linkedVmcs.mapped = parseBool(l.linkedVmcs.mapped, 'linkedVmcs.mapped');
    }
    if (l.nestedState !== undefined) {
      const s = l.nestedState;
      if (!isObject(s)) fail('nestedState: expected an object');
      checkKeys(s, keysOf('nestedState'), 'nestedState');
      nestedState.given = true;
      if (s.flags !== undefined) nestedState.flags = flagValue(s.flags, 'kvm_nested_state.flags', 'nestedState.flags');
      if (s.format !== undefined) nestedState.format = typeof s.format === 'string' && /^KVM_/.test(s.format) ? (stateFlag(s.format)?.value ?? fail(`nestedState.format: unknown "${s.format}"${suggest(s.format, stateFlagsOf('kvm_nested_state.format'))}`)) : parseValue(s.format, 'nestedState.format', 16);
      if (s.size !== undefined) nestedState.size = parseValue(s.size, 'nestedState.size', 32);
      if (s.vmxon_pa !== undefined) nestedState.vmxon_pa = parseValue(s.vmxon_pa, 'nestedState.vmxon_pa');
      if (s.vmcs12_pa !== undefined) nestedState.vmcs12_pa = parseValue(s.vmcs12_pa, 'nestedState.vmcs12_pa');
      if (s.evmcs_pa !== undefined) nestedState.evmcs_pa = parseValue(s.evmcs_pa, 'nestedState.evmcs_pa');
      const smm = s.smm_flags ?? s.smm;
      if (smm !== undefined) nestedState.smm_flags = flagValue(smm, 'kvm_vmx_nested_state_hdr.smm.flags', 'nestedState.smm_flags');
      const vf = s.vmx_flags ?? s.hdr_flags;
      if (vf !== undefined) nestedState.vmx_flags = flagValue(vf, 'kvm_vmx_nested_state_hdr.flags', 'nestedState.vmx_flags');
    }
    if (l.write !== undefined) {
      const w = l.write;
      if (!isObject(w)) fail('write: expected { cr0 | cr3, by }');
      checkKeys(w, keysOf('write'), 'write');
      if (w.cr0 !== undefined) write.cr0 = parseValue(w.cr0, 'write.cr0');
      if (w.cr3 !== undefined) write.cr3 = parseValue(w.cr3, 'write.cr3');
      if (w.cr4 !== undefined) write.cr4 = parseValue(w.cr4, 'write.cr4');
      if (w.efer !== undefined) write.efer = parseValue(w.efer, 'write.efer');
      if (w.by !== undefined) {
        if (w.by !== 'guest' && w.by !== 'userspace') fail(`write.by: "${String(w.by)}" is not "guest" or "userspace"`);
        write.by = w.by;
      }
      if (w.emulated !== undefined) write.emulated = parseBool(w.emulated, 'write.emulated');
      if (w.l2 !== undefined) write.l2 = parseBool(w.l2, 'write.l2');
    }
    if (l.msrLists !== undefined) {
      if (!isObject(l.msrLists)) fail('msrLists: expected { VM_ENTRY_MSR_LOAD, VM_EXIT_MSR_LOAD, VM_EXIT_MSR_STORE }');
      checkKeys(l.msrLists, keysOf('msrLists'), 'msrLists');
      if (l.msrLists.VM_ENTRY_MSR_LOAD !== undefined) msrLists.entryLoad = msrList(l.msrLists.VM_ENTRY_MSR_LOAD, 'msrLists.VM_ENTRY_MSR_LOAD');
      if (l.msrLists.VM_EXIT_MSR_LOAD !== undefined) msrLists.exitLoad = msrList(l.msrLists.VM_EXIT_MSR_LOAD, 'msrLists.VM_EXIT_MSR_LOAD');
      if (l.msrLists.VM_EXIT_MSR_STORE !== undefined) msrLists.exitStore = msrList(l.msrLists.VM_EXIT_MSR_STORE, 'msrLists.VM_EXIT_MSR_STORE');
    }
    if (l.exit !== undefined) {
      if (!isObject(l.exit)) fail('exit: expected { reason, qualification }');
      checkKeys(l.exit, keysOf('exit'), 'exit');
      if (l.exit.reason !== undefined) {
        const r = l.exit.reason;
        exit.reason = typeof r === 'string' && /^EXIT_REASON_/.test(r) ? (constantValue(r) ?? fail(`exit.reason: unknown "${r}"`)) : parseValue(r, 'exit.reason', 32);
      }
      if (l.exit.qualification !== undefined) exit.qualification = parseValue(l.exit.qualification, 'exit.qualification');
      if (l.exit.late_fail !== undefined) exit.lateFail = parseBool(l.exit.late_fail, 'exit.late_fail');
    }
    if (l.memory !== undefined) {
      if (!isObject(l.memory)) fail('memory: expected { size }');
      checkKeys(l.memory, keysOf('memory'), 'memory');
      if (l.memory.size !== undefined) memory.size = parseValue(l.memory.size, 'memory.size');
    }
    if (l.evmcs !== undefined) {
      if (!isObject(l.evmcs)) fail('evmcs: expected { enabled, vp_assist_enabled, revision_id, mappable }');
      checkKeys(l.evmcs, keysOf('evmcs'), 'evmcs');
      if (l.evmcs.enabled !== undefined) evmcs.enabled = parseBool(l.evmcs.enabled, 'evmcs.enabled');
      if (l.evmcs.vp_assist_enabled !== undefined) evmcs.vpAssistEnabled = parseBool(l.evmcs.vp_assist_enabled, 'evmcs.vp_assist_enabled');
      if (l.evmcs.revision_id !== undefined) evmcs.revision = parseValue(l.evmcs.revision_id, 'evmcs.revision_id', 32);
      if (l.evmcs.mappable !== undefined) evmcs.mappable = parseBool(l.evmcs.mappable, 'evmcs.mappable');
    }
  }
  // CR4.PCIDE can only be 1 in IA-32e mode: an L1 put outside long mode keeps the default CR4 minus PCIDE.
  if (!cr4Given && !(l1.efer & 0x400n)) l1.cr4 &= ~0x20000n;
  return {
    params, guestFeatures, hostFeatures, maxphyaddr, hostMsrs, nested, l1, vmcs12, vmcs12Hdr, linkedVmcs, nestedState, write,
    msrLists, pmu, exit, evmcs, base, effective, memory,
  };
}

