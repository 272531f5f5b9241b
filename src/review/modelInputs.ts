// The model engine's input discovery for the divergence search: which scenario inputs the changed
// checks read (their conditions, their guards, and the modeled check a new one is placed after),
// and which values are worth trying — the constants the conditions compare with (both sides of each
// boundary), the bits of the masks they test, then every single bit of a register-like input.
// Inputs are found in the condition text (members, helpers, names) and in what a traced run of the
// starting scenario recorded. Pure.
import { allChecks, resolveWorld, simulate, type CheckDef, type SimulationResult } from '../sim';
import { parseExpr, type Expr } from '../sim/expr';
import { constantValue, controlBitsOf, stateFlagsOf, stateFlag, vmcsFieldNames } from '../knowledge/names';
import type { Delta, InputAxis, InputProvider, ScenarioJson } from './divergeTypes';
import type { ModelPatch } from './modelPatch';

const M64 = (1n << 64n) - 1n;
const hex = (v: bigint): string => `0x${(v & M64).toString(16)}`;
const VMCS_FIELDS = new Set(vmcsFieldNames());
const CONTROL_FIELDS = new Set(['PIN_BASED_VM_EXEC_CONTROL', 'CPU_BASED_VM_EXEC_CONTROL', 'SECONDARY_VM_EXEC_CONTROL', 'TERTIARY_VM_EXEC_CONTROL', 'VM_ENTRY_CONTROLS', 'VM_EXIT_CONTROLS']);
/** kvm_intel's names for module parameters (enable_ept → ept). */
const PARAM_ALIAS: Record<string, string> = { enable_ept: 'ept', enable_vpid: 'vpid', enable_unrestricted_guest: 'unrestricted_guest', enable_ept_ad_bits: 'eptad',
  flexpriority_enabled: 'flexpriority', tdp_enabled: 'ept', enable_pml: 'pml', nested: 'nested', error_on_inconsistent_vmcs_config: 'error_on_inconsistent_vmcs_config',
  enable_shadow_vmcs: 'enable_shadow_vmcs', nested_early_check: 'nested_early_check', enlightened_vmcs: 'enlightened_vmcs', allow_smaller_maxphyaddr: 'allow_smaller_maxphyaddr' };
/** setup_vmcs_config's intermediate controls → the capability MSR whose allowed-1 bits decide them. */
const CAP_OF: Record<string, { msr: string; field: string }> = {
  _vmentry_control: { msr: 'MSR_IA32_VMX_ENTRY_CTLS', field: 'VM_ENTRY_CONTROLS' }, _vmexit_control: { msr: 'MSR_IA32_VMX_EXIT_CTLS', field: 'VM_EXIT_CONTROLS' },
  _cpu_based_2nd_exec_control: { msr: 'MSR_IA32_VMX_PROCBASED_CTLS2', field: 'SECONDARY_VM_EXEC_CONTROL' },
  _cpu_based_exec_control: { msr: 'MSR_IA32_VMX_PROCBASED_CTLS', field: 'CPU_BASED_VM_EXEC_CONTROL' },
  _pin_based_exec_control: { msr: 'MSR_IA32_VMX_PINBASED_CTLS', field: 'PIN_BASED_VM_EXEC_CONTROL' },
};
/** The paired variables of the entry/exit loop: their values are bits of these controls. */
const PAIR_VARS: Record<string, string> = { n_ctrl: '_vmentry_control', x_ctrl: '_vmexit_control' };
/** Macros the model reads outside check conditions, and the inputs their value meets. */
const DEFINE_INPUTS: Record<string, { path: string; register: 'write.cr0' | 'write.cr3'; alsoParams: string[] }[]> = {
  KVM_POSSIBLE_CR0_GUEST_BITS: [{ path: 'cr0-write', register: 'write.cr0', alsoParams: ['ept'] }],
};
const NESTED_STATE: Record<string, string> = {
  'kvm_state->flags': 'flags', 'kvm_state->format': 'format', 'kvm_state->size': 'size', 'kvm_state->hdr.vmx.vmxon_pa': 'vmxon_pa',
  'kvm_state->hdr.vmx.vmcs12_pa': 'vmcs12_pa', 'kvm_state->hdr.vmx.evmcs_pa': 'evmcs_pa', 'kvm_state->hdr.vmx.smm.flags': 'smm_flags', 'kvm_state->hdr.vmx.flags': 'vmx_flags',
};
const L1_REGS: Record<string, string> = { 'vcpu->arch.cr0': 'cr0', 'vcpu->arch.cr3': 'cr3', 'vcpu->arch.cr4': 'cr4', 'vcpu->arch.efer': 'efer', old_cr0: 'cr0' };

/** An input the changed code reads, with the constants it is compared with or masked by. */
interface Input { key: string; kind: 'vmcs12' | 'feature' | 'hostFeature' | 'param' | 'nested' | 'cap' | 'write' | 'l1' | 'maxphyaddr' | 'evmcs'; name: string; consts: Set<bigint>; role: InputAxis['role'] }

const tryParse = (t: string): Expr | null => { try { return parseExpr(t); } catch { return null; } };

/** Numbers and named constants in an expression (what it compares or masks with). */
function constantsIn(e: Expr, out: Set<bigint>): void {
  const walk = (x: Expr): void => {
    switch (x.kind) {
      case 'num': out.add(x.value); return;
      case 'name': { const v = constantValue(x.name); if (v !== undefined && !/^X86_FEATURE_/.test(x.name)) out.add(v); return; }
      case 'unary': walk(x.operand); return;
      case 'cast': walk(x.operand); return;
      case 'bin': walk(x.left); walk(x.right); return;
      case 'cond': walk(x.test); walk(x.then); walk(x.otherwise); return;
      case 'call': x.args.forEach(walk); return;
      default: return;
    }
  };
  walk(e);
}

/** The inputs an expression names: members, helper calls, module parameters and loop variables. */
function inputsIn(e: Expr, role: InputAxis['role'], add: (i: Omit<Input, 'consts'>, consts?: bigint[]) => void): void {
  const walk = (x: Expr): void => {
    switch (x.kind) {
      case 'member': {
        const p = x.path.replace(/^to_vmx\(vcpu\)->/, 'vmx->');
        if (p.startsWith('vmcs12->') && !p.includes('.')) {
          const f = p.slice(8).toUpperCase();
          if (VMCS_FIELDS.has(f)) add({ key: `vmcs12.${f}`, kind: 'vmcs12', name: f, role });
        } else if (NESTED_STATE[p]) add({ key: `nestedState.${NESTED_STATE[p]}`, kind: 'nested', name: NESTED_STATE[p], role });
        else if (L1_REGS[p]) add({ key: `l1.${L1_REGS[p]}`, kind: 'l1', name: L1_REGS[p], role });
        return;
      }
      case 'name': {
        const param = PARAM_ALIAS[x.name];
        if (param) add({ key: `params.${param}`, kind: 'param', name: param, role });
        else if (CAP_OF[x.name]) add({ key: `cap.${x.name}`, kind: 'cap', name: x.name, role });
        else if (L1_REGS[x.name]) add({ key: `l1.${L1_REGS[x.name]}`, kind: 'l1', name: L1_REGS[x.name], role });
        return;
      }
      case 'call': {
        const feat = x.args.map(a => (a.kind === 'name' && /^X86_FEATURE_(\w+)$/.exec(a.name)?.[1]) || null).find(Boolean);
        if (feat && /^(?:guest_can_use|guest_cpuid_has|guest_cpu_cap_has)$/.test(x.fn)) add({ key: `cpuid.features.${feat}`, kind: 'feature', name: feat, role });
        else if (feat && /^(?:boot_cpu_has|kvm_cpu_cap_has|cpu_has)$/.test(x.fn)) add({ key: `host.features.${feat}`, kind: 'hostFeature', name: feat, role });
        if (/legal_(?:gpa|cr3)|is_illegal_gpa|page_address_valid|kvm_vcpu_is_legal/.test(x.fn)) add({ key: 'cpuid.maxphyaddr', kind: 'maxphyaddr', name: 'maxphyaddr', role });
        if (/legal_cr3/.test(x.fn)) add({ key: 'cpuid.features.LAM', kind: 'feature', name: 'LAM', role });
        if (/enlightened_vmptrld|evmcs/.test(x.fn)) {
          add({ key: 'evmcs.enabled', kind: 'evmcs', name: 'enabled', role });
          add({ key: 'evmcs.revision_id', kind: 'evmcs', name: 'revision_id', role });
          add({ key: 'evmcs.mappable', kind: 'evmcs', name: 'mappable', role });
        }
        // nested_cpu_has(vmcs12, BIT) / nested_cpu_has2(vmcs12, BIT): the control fields with those bits
        if (x.fn === 'nested_cpu_has' || x.fn === 'nested_cpu_has2') {
          const bits = new Set<bigint>();
          if (x.args[1]) constantsIn(x.args[1], bits);
          add({ key: 'vmcs12.CPU_BASED_VM_EXEC_CONTROL', kind: 'vmcs12', name: 'CPU_BASED_VM_EXEC_CONTROL', role }, x.fn === 'nested_cpu_has' ? [...bits] : [constantValue('CPU_BASED_ACTIVATE_SECONDARY_CONTROLS') ?? 0n]);
          if (x.fn === 'nested_cpu_has2') add({ key: 'vmcs12.SECONDARY_VM_EXEC_CONTROL', kind: 'vmcs12', name: 'SECONDARY_VM_EXEC_CONTROL', role }, [...bits]);
        }
        x.args.forEach(walk);
        return;
      }
      case 'unary': walk(x.operand); return;
      case 'cast': walk(x.operand); return;
      case 'bin': walk(x.left); walk(x.right); return;
      case 'cond': walk(x.test); walk(x.then); walk(x.otherwise); return;
      default: return;
    }
  };
  walk(e);
}

/** Inputs named by the values a traced run recorded for a check (keys as the environment writes them). */
function inputsOfTrace(values: Record<string, string>, role: InputAxis['role'], add: (i: Omit<Input, 'consts'>, consts?: bigint[]) => void): void {
  for (const [key, value] of Object.entries(values)) {
    if (VMCS_FIELDS.has(key)) add({ key: `vmcs12.${key}`, kind: 'vmcs12', name: key, role });
    else if (/^kvm_state\./.test(key)) { const m = NESTED_STATE[key.replace(/^kvm_state\./, 'kvm_state->')]; if (m) add({ key: `nestedState.${m}`, kind: 'nested', name: m, role }); }
    else if (PAIR_VARS[key]) add({ key: `cap.${PAIR_VARS[key]}`, kind: 'cap', name: PAIR_VARS[key], role }, [BigInt(value)]);
    else if (CAP_OF[key]) add({ key: `cap.${key}`, kind: 'cap', name: key, role });
    else if (key === 'cpuid.maxphyaddr') add({ key, kind: 'maxphyaddr', name: 'maxphyaddr', role });
    else if (key === 'cr0' || key === 'cr3') add({ key: `write.${key}`, kind: 'write', name: key, role });
    else {
      const f = /^(?:guest_can_use|guest_cpuid_has)\(X86_FEATURE_(\w+)\)$/.exec(key)?.[1];
      if (f) add({ key: `cpuid.features.${f}`, kind: 'feature', name: f, role });
      const h = /^(?:boot_cpu_has|kvm_cpu_cap_has)\(X86_FEATURE_(\w+)\)$/.exec(key)?.[1];
      if (h) add({ key: `host.features.${h}`, kind: 'hostFeature', name: h, role });
      if (PARAM_ALIAS[key]) add({ key: `params.${PARAM_ALIAS[key]}`, kind: 'param', name: PARAM_ALIAS[key], role });
    }
  }
}

const popcount = (v: bigint): number => { let n = 0; for (let x = v; x; x &= x - 1n) n++; return n; };
const bitsOf = (v: bigint): bigint[] => { const out: bigint[] = []; for (let i = 0n; i < 64n; i++) if (v & (1n << i)) out.push(1n << i); return out; };

/** The values to try for a numeric input: constant boundaries and mask bits first, then single bits. */
function numericValues(v0: bigint, consts: Set<bigint>, width = 64): bigint[] {
  const out: bigint[] = [];
  const add = (v: bigint) => { v &= width === 64 ? M64 : (1n << BigInt(width)) - 1n; if (v !== v0 && !out.includes(v)) out.push(v); };
  // both sides of each boundary the code compares with, then the bits of each mask it tests
  for (const c of consts) { add(c); if (c > 0n) add(c - 1n); add(c + 1n); }
  for (const c of consts) {
    if (c === 0n) continue;
    if (popcount(c) <= 8) for (const b of bitsOf(c)) { add(v0 | b); add(v0 & ~b); }
    else { add(v0 | c); add(v0 & ~c); }
  }
  add(0n); add(M64);
  for (let i = 0n; i < BigInt(width); i++) add(v0 ^ (1n << i));
  return out;
}

/** The scenario axes of one input, given the resolved starting world. */
function axisOf(input: Input, world: ReturnType<typeof resolveWorld>, defineBits: bigint): InputAxis | null {
  const d = (path: string[], value: unknown, label: string): Delta => ({ path, value, label });
  const role = input.role;
  switch (input.kind) {
    case 'vmcs12': {
      const f = input.name, v0 = world.vmcs12.get(f.toLowerCase()) ?? 0n;
      const deltas: Delta[] = [];
      if (CONTROL_FIELDS.has(f)) {
        const named = controlBitsOf(f);
        for (const c of input.consts) for (const b of bitsOf(c)) {
          const bit = named.find(x => x.value === b);
          if (!bit) continue;
          deltas.push(v0 & b ? d(['vmcs12', f], { clear: [bit.name] }, `${f} without ${bit.name}`) : d(['vmcs12', f], { set: [bit.name] }, `${f} with ${bit.name}`));
        }
        for (let i = 0n; i < 32n; i++) {
          const b = 1n << i;
          const bit = named.find(x => x.value === b);
          if (bit) deltas.push(v0 & b ? d(['vmcs12', f], { clear: [bit.name] }, `${f} without ${bit.name}`) : d(['vmcs12', f], { set: [bit.name] }, `${f} with ${bit.name}`));
          else deltas.push(d(['vmcs12', f], hex(v0 ^ b), `${f} = ${hex(v0 ^ b)} (bit ${i} ${v0 & b ? 'clear' : 'set'})`));
        }
      } else for (const v of numericValues(v0, input.consts)) deltas.push(d(['vmcs12', f], hex(v), `${f} = ${hex(v)}`));
      return { id: input.key, role, deltas };
    }
    case 'feature': {
      const on = world.guestFeatures.has(input.name);
      return { id: input.key, role, deltas: [d(['cpuid', 'features', input.name], !on, `L1 CPUID ${on ? 'without' : 'with'} ${input.name}`)] };
    }
    case 'hostFeature': {
      const on = world.hostFeatures.has(input.name);
      return { id: input.key, role, deltas: [d(['host', 'features', input.name], !on, `host CPU ${on ? 'without' : 'with'} ${input.name}`)] };
    }
    case 'param': {
      const on = world.params[input.name] === true;
      return { id: input.key, role, deltas: [d(['params', input.name], !on, `kvm_intel ${input.name}=${on ? 'N' : 'Y'}`)] };
    }
    case 'evmcs': {
      const e = world.evmcs;
      if (input.name === 'revision_id') return { id: input.key, role, deltas: [0n, 1n, 0x11e57ed0n].filter(v => v !== e.revision).map(v => d(['evmcs', 'revision_id'], hex(v), `eVMCS revision ${hex(v)}`)) };
      const on = input.name === 'enabled' ? e.enabled : e.mappable;
      return { id: input.key, role, deltas: [d(['evmcs', input.name], !on, `eVMCS ${input.name === 'enabled' ? 'capability' : 'page mappable'} ${on ? 'off' : 'on'}`)] };
    }
    case 'maxphyaddr':
      return { id: input.key, role, deltas: [36, 39, 48, 52].filter(n => n !== world.maxphyaddr).map(n => d(['cpuid', 'maxphyaddr'], n, `L1 MAXPHYADDR ${n}`)) };
    case 'nested': {
      const st = world.nestedState as unknown as Record<string, bigint>;
      const v0 = st[input.name] ?? 0n;
      if (input.name === 'flags' || input.name === 'smm_flags' || input.name === 'vmx_flags') {
        const belongs = input.name === 'flags' ? 'kvm_nested_state.flags' : input.name === 'smm_flags' ? 'kvm_vmx_nested_state_hdr.smm.flags' : 'kvm_vmx_nested_state_hdr.flags';
        const names = stateFlagsOf(belongs);
        const set = (v: bigint) => names.filter(n => (stateFlag(n)!.value & v) !== 0n);
        const deltas: Delta[] = [];
        const order = [...names].sort((a, b) => Number([...input.consts].some(c => (c & stateFlag(b)!.value) !== 0n)) - Number([...input.consts].some(c => (c & stateFlag(a)!.value) !== 0n)));
        for (const n of order) {
          const v = v0 ^ stateFlag(n)!.value;
          deltas.push(d(['nestedState', input.name], set(v), `nested state ${input.name} ${v & stateFlag(n)!.value ? 'with' : 'without'} ${n}`));
        }
        return { id: input.key, role, deltas };
      }
      const values: bigint[] = [];
      const add = (v: bigint) => { v &= M64; if (v !== v0 && !values.includes(v)) values.push(v); };
      if (/_pa$/.test(input.name)) {
        add(M64); add(0n); for (const c of input.consts) add(c);
        add(world.memory.size); add(v0 | 0x800n); add(1n << 52n); add(world.nestedState.vmxon_pa); add(v0 + 0x1000n);
      } else for (const v of numericValues(v0, input.consts, 32)) add(v);
      if (input.name === 'size') for (const v of [128n, 128n + 4096n - 1n, 128n + 4096n, 128n + 2n * 4096n]) add(v);
      return { id: input.key, role, deltas: values.map(v => d(['nestedState', input.name], hex(v), `nested state ${input.name} = ${v === M64 ? '-1' : hex(v)}`)) };
    }
    case 'cap': {
      const cap = CAP_OF[input.name];
      const named = controlBitsOf(cap.field);
      const deltas: Delta[] = [];
      const pool = [...input.consts].flatMap(bitsOf);
      for (const b of pool) {
        const bit = named.find(x => x.value === b);
        if (bit && !deltas.some(x => x.label.endsWith(bit.name))) deltas.push(d(['hostMsrs', cap.msr], { disallow: [bit.name] }, `${cap.msr} without ${bit.name}`));
      }
      return deltas.length ? { id: `hostMsrs.${cap.msr}`, role, deltas } : null;
    }
    case 'write': {
      const reg = input.name as 'cr0' | 'cr3';
      const v0 = world.write[reg] ?? world.l1[reg];
      const values: bigint[] = [];
      const add = (v: bigint) => { v &= M64; if (v !== v0 && !values.includes(v)) values.push(v); };
      for (const b of bitsOf(defineBits)) add(v0 ^ b);
      for (const c of input.consts) for (const b of bitsOf(c)) add(v0 ^ b);
      for (let i = 0n; i < (reg === 'cr0' ? 32n : 64n); i++) add(v0 ^ (1n << i));
      return { id: input.key, role, deltas: values.map(v => d(['write', reg], hex(v), `${reg.toUpperCase()} write ${hex(v)}`)) };
    }
    case 'l1': {
      const reg = input.name as 'cr0' | 'cr3' | 'cr4' | 'efer';
      const v0 = world.l1[reg];
      return { id: input.key, role, deltas: numericValues(v0, input.consts, reg === 'cr0' ? 32 : 64).map(v => d(['l1', reg], hex(v), `L1 ${reg.toUpperCase()} ${hex(v)}`)) };
    }
  }
}

/** What the kernel engine adds to the model's input discovery. */
export interface ModelInputsExtra {
  /** the values its run of the start recorded inside the patch's changed lines (keyed as trace values) */
  read?: readonly Record<string, string>[];
  /** condition texts of the patch's lines: of the changed lines ('condition'), of the context around them ('guard') */
  conditions?: readonly { text: string; role: InputAxis['role'] }[];
}

/**
 * What the changed checks read, for the model engine (and the kernel engine, which adds what
 * `extra` says).
 */
export function modelInputs(pathId: string, start: ScenarioJson, mp: ModelPatch, extra: ModelInputsExtra = {}): InputProvider {
  const read = extra.read ?? [];
  const inputs = new Map<string, Input>();
  const add = (i: Omit<Input, 'consts'>, consts: bigint[] = []): void => {
    let prior = inputs.get(i.key);
    if (!prior) inputs.set(i.key, prior = { ...i, consts: new Set() });
    if (i.role === 'guard') prior.role = 'guard';
    for (const c of consts) prior.consts.add(c);
  };
  const exprs: { text: string; role: InputAxis['role'] }[] = [];
  const byId = new Map<string, CheckDef>(allChecks().map(c => [c.id, c]));
  for (const side of [mp.before, mp.after]) for (const a of side.added ?? []) byId.set(a.check.id, a.check);
  for (const c of mp.changes) {
    if (!c.check) continue;
    const def = byId.get(c.check);
    for (const t of [c.before, c.after, def?.condition]) if (t) exprs.push({ text: t, role: 'condition' });
    if (def?.guard) exprs.push({ text: def.guard, role: 'guard' });
    if (c.guard) exprs.push({ text: c.guard, role: 'guard' });
    const anchor = c.placedAfter ? byId.get(c.placedAfter) : undefined;
    if (anchor) { exprs.push({ text: anchor.condition, role: 'guard' }); if (anchor.guard) exprs.push({ text: anchor.guard, role: 'guard' }); }
  }
  for (const c of extra.conditions ?? []) exprs.push({ text: c.text.replace(/\bCC\s*\(/g, '('), role: c.role });
  for (const { text, role } of exprs) {
    const e = tryParse(text);
    if (!e) continue;
    const consts = new Set<bigint>();
    constantsIn(e, consts);
    inputsIn(e, role, (i, own) => add(i, [...(own ?? []), ...consts]));
  }
  // what a traced run of the start recorded for the touched checks (inputs behind helpers)
  const sites = new Set(mp.sites);
  const traced: SimulationResult[] = [];
  for (const side of [mp.before, mp.after]) { try { traced.push(simulate(pathId, start, side)); } catch { /* the start itself is refused: no trace */ } }
  for (const r of traced) for (const step of r.trace) if (sites.has(step.check)) inputsOfTrace(step.values, 'condition', add);
  for (const values of read) inputsOfTrace(values, 'condition', add);
  // macros the patch redefines: the inputs their value meets on this path
  let defineBits = 0n;
  for (const c of mp.changes) {
    if (c.kind !== 'define' || !c.define) continue;
    for (const use of DEFINE_INPUTS[c.define] ?? []) {
      if (use.path !== pathId) continue;
      const vb = [c.before, c.after].map(t => { try { return t ? simulateConst(t) : 0n; } catch { return 0n; } });
      defineBits |= vb[0] ^ vb[1];
      const [section, name] = use.register.split('.');
      add({ key: use.register, kind: 'write', name, role: 'condition' }, bitsOf(vb[0] ^ vb[1]));
      void section;
      for (const p of use.alsoParams) add({ key: `params.${p}`, kind: 'param', name: p, role: 'guard' });
    }
  }
  const world = resolveWorld(start);
  const axes: InputAxis[] = [];
  for (const input of inputs.values()) {
    const axis = axisOf(input, world, defineBits);
    if (axis && axis.deltas.length) axes.push(axis);
  }
  // condition inputs first, the guard ones after: singles are tried in this order
  axes.sort((a, b) => Number(a.role === 'guard') - Number(b.role === 'guard'));
  return { sites: mp.sites.map(id => ({ id, function: byId.get(id)?.function })), axes };
}

/** The value of a constant expression over named constants (a macro's text). */
function simulateConst(text: string): bigint {
  const e = parseExpr(text);
  const ev = (x: Expr): bigint => {
    switch (x.kind) {
      case 'num': return x.value;
      case 'name': { const v = constantValue(x.name); if (v === undefined) throw new Error(x.name); return v; }
      case 'bin': {
        const l = ev(x.left), r = ev(x.right);
        switch (x.op) { case '|': return l | r; case '&': return l & r; case '^': return l ^ r; case '<<': return l << r; case '>>': return l >> r; case '+': return l + r; case '-': return l - r; default: throw new Error(x.op); }
      }
      case 'unary': { const v = ev(x.operand); if (x.op === '~') return ~v & M64; if (x.op === '-') return -v & M64; throw new Error(x.op); }
      case 'cast': return ev(x.operand);
      default: throw new Error(x.kind);
    }
  };
  return ev(e);
}
