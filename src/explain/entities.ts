// The model's entity table, built once on first use from the typed data tables (constants,
// functions, symbols): every Explanation plus the name, alias and value indexes.
import { CONSTANT_ROWS, type ConstantKind, type ConstantRow } from '../knowledge/constants';
import { FUNCTIONS } from '../knowledge/functions';
import { SYMBOLS, CONSTANT_NOTES, HELPERS } from '../knowledge/symbols';
import { NESTED_EXPOSURE, CONTROL_MEANING } from '../knowledge/controls';
import { decodeVmcsEncoding, describeEncoding, encodingParts, hex, singleBit, VMCS_ENCODING_SDM } from './decode';
import type { Explanation } from '../knowledge/types';

const KERNEL_FILE: Record<ConstantKind, string> = {
  vmcs_field: 'arch/x86/include/asm/vmx.h', control_bit: 'arch/x86/include/asm/vmx.h', msr: 'arch/x86/include/asm/msr-index.h',
  msr_bit: 'arch/x86/include/asm/vmx.h', cr_bit: 'arch/x86/include/uapi/asm/processor-flags.h',
  efer_bit: 'arch/x86/include/asm/msr-index.h', exit_reason: 'arch/x86/include/uapi/asm/vmx.h',
  exit_qualification: 'arch/x86/include/asm/vmx.h', vm_instruction_error: 'arch/x86/include/asm/vmx.h',
  kvm_request: 'arch/x86/include/asm/kvm_host.h', ioctl: 'include/uapi/linux/kvm.h', state_flag: 'arch/x86/include/uapi/asm/kvm.h',
  module_param: 'arch/x86/kvm/vmx/vmx.c',
};

/** SDM sections by control field (Vol. 3C chapter 25 numbering of the 2023+ SDM). */
const CONTROL_SDM: Record<string, string> = {
  PIN_BASED_VM_EXEC_CONTROL: 'SDM Vol. 3C 25.6.1 (pin-based VM-execution controls)',
  CPU_BASED_VM_EXEC_CONTROL: 'SDM Vol. 3C 25.6.2 (processor-based VM-execution controls, primary)',
  SECONDARY_VM_EXEC_CONTROL: 'SDM Vol. 3C 25.6.2 (processor-based VM-execution controls, secondary)',
  TERTIARY_VM_EXEC_CONTROL: 'SDM Vol. 3C 25.6.2 (processor-based VM-execution controls, tertiary)',
  VM_EXIT_CONTROLS: 'SDM Vol. 3C 25.7.1 (VM-exit controls)',
  VM_ENTRY_CONTROLS: 'SDM Vol. 3C 25.8.1 (VM-entry controls)',
  VM_FUNCTION_CONTROL: 'SDM Vol. 3C 25.6.14 (VM-function controls)',
};

const MSR_SDM: Record<string, string> = {
  MSR_IA32_VMX_BASIC: 'SDM Vol. 3D A.1 (basic VMX information)', MSR_IA32_VMX_PINBASED_CTLS: 'SDM Vol. 3D A.3.1', MSR_IA32_VMX_TRUE_PINBASED_CTLS: 'SDM Vol. 3D A.3.1',
  MSR_IA32_VMX_PROCBASED_CTLS: 'SDM Vol. 3D A.3.2', MSR_IA32_VMX_TRUE_PROCBASED_CTLS: 'SDM Vol. 3D A.3.2', MSR_IA32_VMX_PROCBASED_CTLS2: 'SDM Vol. 3D A.3.3 (secondary processor-based controls)',
  MSR_IA32_VMX_PROCBASED_CTLS3: 'SDM Vol. 3D A.3.4', MSR_IA32_VMX_EXIT_CTLS: 'SDM Vol. 3D A.4', MSR_IA32_VMX_TRUE_EXIT_CTLS: 'SDM Vol. 3D A.4',
  MSR_IA32_VMX_ENTRY_CTLS: 'SDM Vol. 3D A.5', MSR_IA32_VMX_TRUE_ENTRY_CTLS: 'SDM Vol. 3D A.5', MSR_IA32_VMX_MISC: 'SDM Vol. 3D A.6',
  MSR_IA32_VMX_CR0_FIXED0: 'SDM Vol. 3D A.7', MSR_IA32_VMX_CR0_FIXED1: 'SDM Vol. 3D A.7', MSR_IA32_VMX_CR4_FIXED0: 'SDM Vol. 3D A.8', MSR_IA32_VMX_CR4_FIXED1: 'SDM Vol. 3D A.8',
  MSR_IA32_VMX_VMCS_ENUM: 'SDM Vol. 3D A.9', MSR_IA32_VMX_EPT_VPID_CAP: 'SDM Vol. 3D A.10', MSR_IA32_VMX_VMFUNC: 'SDM Vol. 3D A.11',
};

const KIND_SDM: Partial<Record<ConstantKind, string>> = {
  exit_reason: 'SDM Vol. 3D Appendix C (VMX basic exit reasons)',
  vm_instruction_error: 'SDM Vol. 3C 31.4 (VM instruction error numbers)',
  cr_bit: 'SDM Vol. 3A 2.5 (control registers)',
  efer_bit: 'SDM Vol. 3A 2.2.1 (extended feature enable register)',
  msr: 'SDM Vol. 4 (model-specific registers)',
};

/** Names in the table such as `EXIT_REASON_SMI_IO (kut VMX_SMI_IO)`: the kernel-style name and aliases. */
export function splitTableName(raw: string): { name: string; aliases: string[] } {
  const m = /^(\S+)\s+\((.*)\)$/.exec(raw);
  if (!m) return { name: raw, aliases: [] };
  const alias = /^kut\s+(\w+)$/.exec(m[2]);
  return { name: m[1], aliases: alias ? [alias[1]] : [] };
}

/** `VM_EXIT_CONTROLS (0x400C) / MSR 0x483,0x48F` → the control field name and the capability MSRs. */
function controlOwner(belongsTo: string): { field: string; msrs: string } {
  const m = /^(\w+)(?:\s*\((0x[0-9A-Fa-f]+)\))?(?:\s*\/\s*MSR\s*([0-9xA-Fa-f, ]+))?/.exec(belongsTo);
  return { field: m?.[1] ?? belongsTo, msrs: m?.[3]?.trim() ?? '' };
}

/** `ENTRY_INVALID_HOST_STATE_FIELD` → `entry invalid host state field`. */
function human(s: string): string { return s.toLowerCase().replace(/_/g, ' '); }

/** The vmcs12 member name of a VMCS field (lower case), e.g. HOST_CR3 → host_cr3. */
export function vmcs12Member(field: string): string { return field.toLowerCase(); }

function constantExplanation(row: ConstantRow): Explanation {
  const [raw, kind, value, belongsTo, meaning] = row;
  const { name, aliases } = splitTableName(raw);
  const v = BigInt(value);
  const bit = singleBit(v);
  const note = CONSTANT_NOTES[name] ?? {};
  const source = `constants.tsv; ${KERNEL_FILE[kind]} (v6.12)`;
  const e: Explanation = { name, kind, value, summary: '', details: '', sdm: KIND_SDM[kind] ?? '', kernelFiles: [KERNEL_FILE[kind]], related: [...(note.related ?? [])], source };
  const extra = (s: string) => (s ? `; ${s}` : '');
  const tNote = (s: string) => s.split(/;\s*/).filter(p => /^T\d:/.test(p)).map(p => p.replace(/^T\d:\s*/, '')).join('; ');
  switch (kind) {
    case 'vmcs_field': {
      const enc = decodeVmcsEncoding(v);
      const plain = meaning.split(';')[0].trim();
      e.summary = `VMCS field ${value}: ${plain}${extra(meaning.split(';').slice(1).map(s => s.trim().replace(/^T\d:\s*/, '')).join('; '))}.`;
      if (enc) { e.decoded = encodingParts(enc); e.details = `Encoding ${value} = ${describeEncoding(enc)}.`; }
      if (!/_HIGH$/.test(name)) e.details += ` vmcs12 member: ${vmcs12Member(name)}.`;
      else e.related.push(name.replace(/_HIGH$/, ''));
      e.sdm = VMCS_ENCODING_SDM;
      if (/^(GUEST|HOST)_/.test(name)) e.related.push(/^HOST_/.test(name) ? 'nested_vmx_check_host_state' : 'nested_vmx_check_guest_state');
      if (/kvm-unit-tests|secondary source|not in 6\.12|FRED|TDX/.test(meaning)) e.details += ' Not defined by the v6.12 kernel headers.';
      break;
    }
    case 'control_bit': {
      const { field, msrs } = controlOwner(belongsTo);
      const bitText = /^bit \d+/.exec(meaning)?.[0] ?? (bit !== undefined ? `bit ${bit}` : 'mask');
      const what = [meaning.replace(/^bit \d+[:;]?\s*/, ''), CONTROL_MEANING[name] ?? ''].filter(Boolean).join('; ');
      e.summary = `${bitText === 'mask' ? 'Mask' : bitText[0].toUpperCase() + bitText.slice(1)} of ${field}${what ? `: ${what}` : ''}.`;
      const exposure = NESTED_EXPOSURE[name];
      e.details = [msrs ? `Allowed settings reported by capability MSR ${msrs}.` : '', exposure ? `Nested: ${exposure.note}.` : ''].filter(Boolean).join(' ');
      e.decoded = { field, ...(bit !== undefined ? { bit: String(bit) } : {}), ...(exposure ? { exposedToL1: exposure.offered } : {}) };
      e.sdm = CONTROL_SDM[field] ?? '';
      e.related.push(field);
      break;
    }
    case 'msr': {
      const said = [meaning.replace(/\(T\d: ([^)]*)\)/, '($1)'), CONTROL_MEANING[name] ?? ''].filter(Boolean).join('; ');
      e.summary = `MSR ${value} (${name.replace(/^MSR_/, '')})${said ? `: ${said}` : ''}.`;
      e.sdm = MSR_SDM[name] ?? KIND_SDM.msr!;
      e.decoded = { index: value };
      break;
    }
    case 'msr_bit': {
      const said = meaning && !/^bit \d+$/.test(meaning) ? meaning : human(name.replace(/^VMX_(MISC|BASIC|EPTP?|VPID)_/, '').replace(/_BIT$/, ''));
      e.summary = `${bit !== undefined ? `Bit ${bit}` : 'Field'} of ${belongsTo}: ${said}.`;
      e.sdm = MSR_SDM[belongsTo.split(' ')[0]] ?? '';
      e.related.push(belongsTo.split(' ')[0]);
      break;
    }
    case 'cr_bit': case 'efer_bit': {
      const reg = belongsTo.split(' ')[0];
      const m = /^bit (\d+):\s*([^;]*)(?:;\s*(.*))?$/.exec(meaning);
      if (m) {
        const extraNote = (m[3] ?? '').replace(/T\d:\s*/g, '');
        e.summary = `${reg} bit ${m[1]}: ${m[2].trim()}${extra(extraNote)}.`;
      } else e.summary = `${reg} mask ${value}: ${meaning.replace(/T\d:\s*/g, '')}.`;
      e.decoded = { register: reg, ...(bit !== undefined ? { bit: String(bit) } : {}) };
      break;
    }
    case 'exit_reason': {
      const basic = /basic exit reason (\d+)/.exec(meaning)?.[1];
      e.summary = basic ? `VM-exit basic reason ${basic} (${value}): ${human(name.replace(/^EXIT_REASON_/, ''))}.` : `${meaning}.`;
      if (aliases.length) e.details = `Name from kvm-unit-tests (${aliases.join(', ')}); the kernel uapi header does not define it.`;
      e.related.push('VM_EXIT_REASON');
      break;
    }
    case 'vm_instruction_error': {
      e.summary = `VM-instruction error ${Number(v)} (${human(name.replace(/^VMXERR_/, ''))}): written to VM_INSTRUCTION_ERROR (0x4400) by VMfailValid.`;
      if (v === 7n) e.details = 'KVM: any nested_vmx_check_controls failure, a failed early hardware check, or a late VM-Fail.';
      if (v === 8n) e.details = 'KVM: nested_vmx_check_address_space_size or nested_vmx_check_host_state failed.';
      e.related.push('VM_INSTRUCTION_ERROR', 'nested_vmx_failValid');
      break;
    }
    case 'exit_qualification': {
      e.summary = /abort/i.test(belongsTo) ? `VMX-abort indicator ${Number(v)}: ${meaning.replace(/^VMX abort indicator:\s*/, '').replace(/^abort:\s*/, '')}.` : `Exit qualification ${Number(v)} of a failed VM-entry (reason 33/34 with bit 31): ${meaning}.`;
      e.sdm = /abort/i.test(belongsTo) ? 'SDM Vol. 3C 28.7 (VMX aborts)' : 'SDM Vol. 3C 27.8 (VM-entry failures during or after loading guest state)';
      e.related.push(/abort/i.test(belongsTo) ? 'nested_vmx_abort' : 'EXIT_QUALIFICATION');
      break;
    }
    case 'kvm_request': {
      const idx = /KVM_ARCH_REQ\((\d+)\)/.exec(meaning)?.[1];
      e.summary = idx ? `x86 vCPU request KVM_ARCH_REQ(${idx}): vcpu->requests bit ${8 + Number(idx)}${extra(tNote(meaning))}.` : `vCPU request${meaning ? `: ${meaning}` : ''}.`;
      e.related.push('KVM_ARCH_REQ');
      if (aliases.length === 0 && /old name/.test(raw)) e.details = 'Old name of KVM_REQ_GET_NESTED_STATE_PAGES (≤ v5.10).';
      break;
    }
    case 'ioctl': e.summary = `${belongsTo ? `${belongsTo}: ` : ''}${meaning || 'KVM ioctl value'} (${value}).`; break;
    case 'state_flag': e.summary = `${belongsTo} value ${value}: ${meaning ? meaning.replace(/T\d:\s*/g, '') : human(name.replace(/^KVM_STATE_(NESTED_)?/, ''))}.`; break;
    case 'module_param': {
      const rest = meaning.replace(/^default;\s*/, '').replace(/T\d:\s*/g, '');
      e.summary = `kvm_intel module parameter, default ${Number(v)}${rest ? `: ${rest}` : ''}.`;
      e.kernelFiles = [/nested\.c/.test(meaning) ? 'arch/x86/kvm/vmx/nested.c' : 'arch/x86/kvm/vmx/vmx.c'];
      break;
    }
  }
  if (/\(old name\)/.test(raw)) e.details = (e.details + ' Old name, not in v6.12.').trim();
  if (note.details) e.details = (e.details + ' ' + note.details).trim();
  if (note.paths) e.paths = note.paths;
  if (note.history) e.history = note.history;
  const allAliases = [...aliases, ...(note.aliases ?? [])];
  if (allAliases.length) e.aliases = allAliases;
  e.related = [...new Set(e.related.filter(r => r !== name))];
  return e;
}

/** Register bits whose bare name is distinctive enough to explain on its own (not TS, ET, AM, NE, MP, ...). */
const BARE_BITS = new Set(['PG', 'WP', 'PE', 'CD', 'NW', 'PAE', 'PSE', 'PGE', 'PKE', 'SMAP', 'SMEP', 'LA57', 'PCIDE', 'VMXE', 'SMXE', 'OSXSAVE', 'FSGSBASE', 'UMIP', 'OSFXSR', 'OSXMMEXCPT', 'LMA', 'LME', 'NX', 'SVME', 'FFXSR', 'AUTOIBRS', 'LAM_SUP', 'FRED', 'CET', 'PCID_NOFLUSH']);

export interface ModelIndex {
  /** Every entity, primary names first in table order. */
  entities: Explanation[];
  /** Exact name or alias → entities. */
  byName: Map<string, Explanation[]>;
  /** Upper-cased name or alias → entities (case-insensitive fallback). */
  byUpper: Map<string, Explanation[]>;
  /** Value → constant-like entities with that value. */
  byValue: Map<bigint, Explanation[]>;
}

let built: ModelIndex | undefined;
let buildMs = 0;

function add<K>(map: Map<K, Explanation[]>, key: K, e: Explanation): void {
  const list = map.get(key);
  if (!list) map.set(key, [e]); else if (!list.includes(e)) list.push(e);
}

/** The model, built on first use. */
export function modelIndex(): ModelIndex {
  if (built) return built;
  const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const entities: Explanation[] = [];
  const seen = new Map<string, Explanation>();
  for (const row of CONSTANT_ROWS) {
    const e = constantExplanation(row);
    const prior = seen.get(e.name);
    if (prior && prior.kind === e.kind && prior.value === e.value) continue;
    seen.set(e.name, e);
    entities.push(e);
  }
  for (const f of FUNCTIONS) {
    entities.push({
      name: f.name, kind: 'function', summary: f.summary, details: [f.details, f.inV612 === false ? 'Not in v6.12.' : ''].filter(Boolean).join(' '),
      sdm: f.sdm ?? '', kernelFiles: [f.file], related: f.related, paths: f.paths, source: f.source,
      ...(f.callers ? { callers: f.callers } : {}), ...(f.callees ? { callees: f.callees } : {}), ...(f.checks ? { checks: f.checks } : {}),
      ...(f.history ? { history: f.history } : {}), ...(f.aliases ? { aliases: f.aliases } : {}),
    });
  }
  for (const s of SYMBOLS) {
    const display = s.parent ? `${s.parent}.${s.name}` : s.name;
    const constant = seen.get(display);
    if (constant) {
      // Already a row of the constants table: keep the row, add what the symbol table knows besides.
      if (constant.summary.length < 60 && !constant.details.includes(s.summary)) constant.details = [constant.details, s.summary].filter(Boolean).join(' ');
      if (s.aliases) constant.aliases = [...new Set([...(constant.aliases ?? []), ...s.aliases])];
      if (s.related) constant.related = [...new Set([...constant.related, ...s.related])];
      continue;
    }
    entities.push({
      name: display, kind: s.kind, ...(s.value ? { value: hex(BigInt(s.value)) } : {}), summary: s.summary,
      details: [s.details ?? '', s.inV612 === false ? 'Not in v6.12.' : ''].filter(Boolean).join(' '), sdm: s.sdm ?? '', kernelFiles: [s.file],
      related: s.related ?? (s.parent ? [s.parent] : []), source: s.source, ...(s.paths ? { paths: s.paths } : {}), ...(s.history ? { history: s.history } : {}),
      aliases: [...(s.parent ? [...(s.name.includes('_') ? [s.name] : []), `${s.parent}->${s.name}`] : []), ...(s.aliases ?? [])],
    });
  }
  for (const h of HELPERS) {
    entities.push({ name: h.name, kind: 'function', summary: h.summary, details: '', sdm: '', kernelFiles: [h.file], related: [], paths: [], source: `${h.file} (v6.12)`, ...(h.name === 'cpuid_maxphyaddr' ? { aliases: ['MAXPHYADDR'] } : {}) });
  }
  // Register-style spellings: CR0.WP, EFER.LMA, IA32_VMX_BASIC (SDM name of MSR_IA32_VMX_BASIC), and short names that are not English words.
  for (const e of entities) {
    const extra: string[] = [];
    const cr = /^X86_(CR[034])_(\w+)$/.exec(e.name);
    if (cr && (e.kind === 'cr_bit')) { extra.push(`${cr[1]}.${cr[2]}`); if (BARE_BITS.has(cr[2])) extra.push(cr[2]); }
    const efer = /^EFER_(\w+)$/.exec(e.name);
    if (efer && e.kind === 'efer_bit') { extra.push(`EFER.${efer[1]}`); if (BARE_BITS.has(efer[1])) extra.push(efer[1]); }
    if (e.kind === 'msr' && e.name.startsWith('MSR_IA32_')) extra.push(e.name.slice(4));
    if (extra.length) e.aliases = [...new Set([...(e.aliases ?? []), ...extra])];
  }
  const byName = new Map<string, Explanation[]>();
  const byUpper = new Map<string, Explanation[]>();
  const byValue = new Map<bigint, Explanation[]>();
  for (const e of entities) {
    add(byName, e.name, e);
    add(byUpper, e.name.toUpperCase(), e);
    if (e.value !== undefined && e.kind !== 'function' && e.kind !== 'struct_field') add(byValue, BigInt(e.value), e);
  }
  // Aliases come second so that a primary name always wins over another entity's alias.
  for (const e of entities) {
    for (const a of e.aliases ?? []) {
      if (byName.has(a) && byName.get(a)!.some(x => x.name === a)) continue;
      add(byName, a, e);
      add(byUpper, a.toUpperCase(), e);
    }
  }
  // Sibling VMCS fields: an MSR-list address and its count, a 64-bit field and its _HIGH half.
  for (const e of entities) {
    if (e.kind !== 'vmcs_field') continue;
    const sib = [e.name.replace(/_ADDR$/, '_COUNT'), e.name.replace(/_COUNT$/, '_ADDR'), `${e.name}_HIGH`].filter(n => n !== e.name && byName.get(n)?.some(x => x.kind === 'vmcs_field'));
    if (sib.length) e.related = [...new Set([...sib, ...e.related])];
  }
  // vmcs12 members: lower-case VMCS field names (host_cr3 → HOST_CR3).
  for (const e of entities) {
    if (e.kind !== 'vmcs_field' || /_HIGH$/.test(e.name)) continue;
    const member = vmcs12Member(e.name);
    if (byName.has(member)) continue;
    const m: Explanation = {
      name: `vmcs12.${member}`, kind: 'struct_field', value: e.value, summary: `vmcs12 member holding L1's value of VMCS field ${e.name} (${e.value}).`,
      details: e.summary, sdm: e.sdm, kernelFiles: ['arch/x86/kvm/vmx/vmcs12.h'], related: [e.name, ...e.related], source: 'arch/x86/kvm/vmx/vmcs12.h (v6.12)',
      ...(e.paths ? { paths: e.paths } : {}), aliases: [member, `vmcs12->${member}`],
    };
    entities.push(m);
    add(byName, m.name, m); add(byName, member, m); add(byName, `vmcs12->${member}`, m);
  }
  built = { entities, byName, byUpper, byValue };
  buildMs = (typeof performance !== 'undefined' ? performance.now() : Date.now()) - t0;
  return built;
}

/** How long the first build took (ms), for the bench. */
export function modelBuildMs(): number { return buildMs; }

/** Drops the built model (bench only: measures a cold build). */
export function resetModelForBench(): void { built = undefined; }
