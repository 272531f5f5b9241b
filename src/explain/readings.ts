// Readings of a number (pure): every entity with that value, an exit reason with its flag bits,
// a VMCS field encoding decoded from its bits, a register or control value split into named bits.
// Context words around the number (CR3, "exit reason", VMfailValid, ...) narrow the readings.
import { modelIndex } from './entities';
import { bitsOf, decodeVmcsEncoding, describeEncoding, encodingParts, hex, singleBit, VMCS_ENCODING_SDM, type ParsedNumber } from './decode';
import type { EntityKind, Explanation } from '../knowledge/types';

/** What the text around a number says it is. */
export type Hint = 'CR0' | 'CR3' | 'CR4' | 'EFER' | 'exit_reason' | 'vm_instruction_error' | 'exit_qualification' | 'abort' | 'msr' | 'vmcs' | 'request' | `field:${string}`;

const HINT_RULES: [RegExp, Hint][] = [
  [/\bcr0\b|cr0_|_cr0\b|\bCR0\b|CR0_|_CR0\b/i, 'CR0'],
  [/\bcr3\b|cr3_|_cr3\b|CR3/i, 'CR3'],
  [/\bcr4\b|cr4_|_cr4\b|CR4/i, 'CR4'],
  [/\befer\b|efer_|_efer\b/i, 'EFER'],
  [/exit[ _]reason|EXIT_REASON|basic reason/i, 'exit_reason'],
  [/VMfailValid|instruction[ _]error|VMXERR|vm_instruction_error|nested_vmx_fail/i, 'vm_instruction_error'],
  [/qualification|\bqual\b|exit_qual|ENTRY_FAIL/i, 'exit_qualification'],
  [/\babort\b|nested_vmx_abort/i, 'abort'],
  [/\bMSR\b|\bmsr\b|rdmsr|wrmsr|MSR_/, 'msr'],
  [/\bVMCS\b|vmcs_read|vmcs_write|vmread|vmwrite|field encoding/i, 'vmcs'],
  [/KVM_ARCH_REQ|\brequest\b/i, 'request'],
  [/VM_EXIT_CONTROLS|vmexit_ctrl|exit_ctls|exit control/i, 'field:VM_EXIT_CONTROLS'],
  [/VM_ENTRY_CONTROLS|vmentry_ctrl|entry_ctls|entry control/i, 'field:VM_ENTRY_CONTROLS'],
  [/SECONDARY_VM_EXEC_CONTROL|2nd_exec|secondary_ctls|secondary (?:exec|proc|control)/i, 'field:SECONDARY_VM_EXEC_CONTROL'],
  [/CPU_BASED_VM_EXEC_CONTROL|cpu_based_exec|procbased_ctls\b|primary (?:exec|proc|control)/i, 'field:CPU_BASED_VM_EXEC_CONTROL'],
  [/PIN_BASED_VM_EXEC_CONTROL|pin_based|pinbased/i, 'field:PIN_BASED_VM_EXEC_CONTROL'],
];

/** Hints found in a piece of text (a line around a hovered number, or the words of a query). */
export function hintsOf(text: string): Set<Hint> {
  const out = new Set<Hint>();
  for (const [re, h] of HINT_RULES) if (re.test(text)) out.add(h);
  return out;
}

function matchesHint(e: Explanation, hints: Set<Hint>): boolean {
  const reg = e.decoded?.register;
  if (reg && hints.has(reg as Hint)) return true;
  if ((e.kind === 'cr_bit' || e.kind === 'efer_bit') && !reg) {
    for (const r of ['CR0', 'CR3', 'CR4', 'EFER'] as const) if (hints.has(r) && (e.name.includes(r) || e.summary.startsWith(r))) return true;
  }
  if (e.kind === 'control_bit' && e.decoded?.field && hints.has(`field:${e.decoded.field}`)) return true;
  const byKind: Partial<Record<EntityKind, Hint>> = { exit_reason: 'exit_reason', vm_instruction_error: 'vm_instruction_error', msr: 'msr', vmcs_field: 'vmcs', kvm_request: 'request' };
  const h = byKind[e.kind];
  if (h && hints.has(h)) return true;
  if (e.kind === 'exit_qualification') return hints.has(/abort/i.test(e.summary) ? 'abort' : 'exit_qualification');
  return false;
}

/** Small decimal numbers are enumerations (error numbers, exit reasons), not masks. */
const ENUM_KINDS = new Set<EntityKind>(['exit_reason', 'vm_instruction_error', 'exit_qualification']);

function exitReasonReading(v: bigint): Explanation | undefined {
  const flags = v & 0x88000000n;
  if (flags === 0n || (v & ~0x8800ffffn) !== 0n) return undefined;
  const basic = modelIndex().byValue.get(v & 0xffffn)?.find(e => e.kind === 'exit_reason' && /basic/i.test(e.summary));
  if (!basic) return undefined;
  const parts = [basic.name, ...(v & 0x80000000n ? ['VMX_EXIT_REASONS_FAILED_VMENTRY'] : []), ...(v & 0x08000000n ? ['VMX_EXIT_REASONS_SGX_ENCLAVE_MODE'] : [])];
  const failed = (v & 0x80000000n) !== 0n;
  return {
    name: parts.join(' | '), kind: 'exit_reason', value: hex(v), reading: 'VM-exit reason with flag bits',
    summary: `VM-exit reason ${Number(v & 0xffffn)} (${basic.name})${failed ? ' with bit 31 set: the VM-entry failed' : ''}${v & 0x08000000n ? ', exit from enclave mode' : ''}.`,
    details: failed ? 'KVM reports a failed nested VM-entry to L1 this way: reason 33 after guest-state or CR3 checks, 34 after an MSR-load failure (qualification = failing entry).' : '',
    sdm: 'SDM Vol. 3C 25.9.1 (basic VM-exit information) and Vol. 3D Appendix C', kernelFiles: ['arch/x86/include/uapi/asm/vmx.h'],
    related: parts, decoded: { basic: String(Number(v & 0xffffn)), failedVmEntry: String(failed) }, source: 'constants.tsv; arch/x86/include/uapi/asm/vmx.h',
  };
}

function unnamedEncodingReading(v: bigint): Explanation | undefined {
  const enc = decodeVmcsEncoding(v);
  if (!enc) return undefined;
  return {
    name: `VMCS encoding ${hex(v)}`, kind: 'vmcs_field', value: hex(v), reading: 'VMCS field encoding (no field of that encoding in the model)',
    summary: `Decodes as a VMCS field encoding: ${describeEncoding(enc)}; no known field has it.`, details: '', sdm: VMCS_ENCODING_SDM,
    kernelFiles: ['arch/x86/include/asm/vmx.h'], related: [], decoded: encodingParts(enc), source: VMCS_ENCODING_SDM,
  };
}

/** A KVM ioctl number (type byte 0xAE) decoded from the _IOC layout: dir<<30 | size<<16 | type<<8 | nr. */
function ioctlReading(v: bigint): Explanation | undefined {
  if (v > 0xffffffffn || ((v >> 8n) & 0xffn) !== 0xaen) return undefined;
  const dir = Number(v >> 30n), size = Number((v >> 16n) & 0x3fffn), nr = Number(v & 0xffn);
  const dirName = ['none (_IO)', 'write (_IOW)', 'read (_IOR)', 'read/write (_IOWR)'][dir];
  return {
    name: `KVM ioctl ${hex(v)}`, kind: 'ioctl', value: hex(v), reading: 'ioctl number (_IOC layout)',
    summary: `KVM ioctl number: type 0xAE (KVMIO), nr ${hex(BigInt(nr))}, direction ${dirName}, argument size ${size} bytes.`,
    details: '', sdm: '', kernelFiles: ['include/uapi/linux/kvm.h', 'include/uapi/asm-generic/ioctl.h'], related: ['KVMIO'],
    decoded: { type: '0xAE', nr: hex(BigInt(nr)), direction: dirName, size: String(size) }, source: 'include/uapi/asm-generic/ioctl.h (_IOC encoding)',
  };
}

/** An MSR index in the x2APIC range. */
function x2apicReading(v: bigint): Explanation {
  return {
    name: `x2APIC MSR ${hex(v)}`, kind: 'msr', value: hex(v), reading: 'MSR index (x2APIC range 0x800–0x8FF)',
    summary: `x2APIC register MSR ${hex(v)} (APIC register offset ${hex((v - 0x800n) << 4n)}); nested_vmx_load_msr/store_msr reject the whole range in VM-entry/exit MSR lists while x2APIC is enabled.`,
    details: '', sdm: 'SDM Vol. 3A 11.12 (x2APIC register address space)', kernelFiles: ['arch/x86/kvm/vmx/nested.c'], related: ['nested_vmx_load_msr', 'MSR_IA32_APICBASE'],
    decoded: { index: hex(v), apicOffset: hex((v - 0x800n) << 4n) }, source: 'kvm-nested-vmx.md §3.4',
  };
}

type Group = { label: string; kind: EntityKind; members: Explanation[] };
let groups: Group[] | undefined;

/** Registers and control fields whose single-bit constants can name a whole value. */
function bitGroups(): Group[] {
  if (groups) return groups;
  const byGroup = new Map<string, Group>();
  for (const e of modelIndex().entities) {
    if (e.value === undefined || singleBit(BigInt(e.value)) === undefined) continue;
    const label = (e.kind === 'cr_bit' || e.kind === 'efer_bit') ? e.decoded?.register : e.kind === 'control_bit' ? e.decoded?.field : undefined;
    if (!label || /^KVM_|^VMXON_|^__/.test(e.name)) continue;
    const g = byGroup.get(label) ?? { label, kind: e.kind, members: [] };
    if (!g.members.some(m => m.value === e.value)) g.members.push(e);
    byGroup.set(label, g);
  }
  groups = [...byGroup.values()];
  return groups;
}

function maskReadings(v: bigint): Explanation[] {
  const bits = bitsOf(v);
  if (bits.length < 2) return [];
  const out: Explanation[] = [];
  for (const g of bitGroups()) {
    const names = bits.map(b => g.members.find(m => BigInt(m.value!) === 1n << BigInt(b)));
    if (names.some(n => !n)) continue;
    const parts = (names as Explanation[]).slice().reverse();
    out.push({
      name: parts.map(p => p.name).join(' | '), kind: g.kind, value: hex(v), reading: `${g.label} value`,
      summary: `As a ${g.label} value: ${parts.map(p => p.name.replace(/^X86_CR\d_|^EFER_/, '')).join(' | ')}.`,
      details: parts.map(p => `bit ${singleBit(BigInt(p.value!))} ${p.name}`).join(', ') + '.', sdm: parts[0].sdm, kernelFiles: parts[0].kernelFiles,
      related: parts.map(p => p.name), decoded: { [g.label]: parts.map(p => p.name).join('|') }, source: parts[0].source,
    });
  }
  return out;
}

/** Every reading of a number; `hints` (from surrounding words) narrow them when one fits. `strict`: only readings the hints support (for numbers in prose). */
export function numberReadings(n: ParsedNumber, hints: Set<Hint> = new Set(), strict = false): Explanation[] {
  const v = n.value;
  let exact = (modelIndex().byValue.get(v) ?? []).filter(e => e.kind !== 'module_param');
  if (n.form === 'dec' && v < 64n) exact = exact.filter(e => ENUM_KINDS.has(e.kind) || (e.kind === 'kvm_request' && hints.has('request')));
  if (n.form === 'bit') exact = exact.filter(e => singleBit(BigInt(e.value!)) !== undefined && !ENUM_KINDS.has(e.kind) && e.kind !== 'kvm_request' && e.kind !== 'vmcs_field');
  const readings: Explanation[] = exact.map(e => ({ ...e, reading: readingLabel(e) }));
  const exit = exitReasonReading(v);
  if (exit) readings.push(exit);
  if (n.form === 'hex' && !readings.some(r => r.kind === 'ioctl')) {
    const io = ioctlReading(v);
    if (io) readings.push(io);
  }
  if (n.form === 'hex' && v >= 0x800n && v <= 0x8ffn && !readings.some(r => r.kind === 'msr')) readings.push(x2apicReading(v));
  if (n.form === 'hex' && !readings.some(r => r.kind === 'vmcs_field') && v >= 0x800n && (hints.has('vmcs') || readings.length === 0)) {
    const enc = unnamedEncodingReading(v);
    if (enc) readings.push(enc);
  }
  if (n.form !== 'dec') {
    // A value split into named bits: registers when nothing else names the value, control fields only when the context names the field.
    const masks = maskReadings(v).filter(m => {
      const label = m.reading!.replace(/ value$/, '');
      if (hints.has(label as Hint) || hints.has(`field:${label}`)) return true;
      return m.kind !== 'control_bit' && (exact.length === 0 || n.form === 'mask');
    });
    readings.push(...masks);
  }
  if (strict && !hints.size) return [];
  if (n.form === 'dec' && !hints.size) {
    // Decimal numbers in prose are counts, sizes and enumerations rather than masks.
    const nonMask = readings.filter(r => !['control_bit', 'cr_bit', 'efer_bit', 'msr_bit'].includes(r.kind));
    if (nonMask.length) return nonMask;
  }
  if (hints.size) {
    const preferred = readings.filter(r => matchesHint(r, hints) || (r.reading && [...hints].some(h => r.reading!.startsWith(h.replace(/^field:/, '')))));
    if (preferred.length) return preferred;
    if (strict) return [];
  }
  return readings;
}

function readingLabel(e: Explanation): string {
  switch (e.kind) {
    case 'vmcs_field': return 'VMCS field encoding';
    case 'msr': return 'MSR index';
    case 'exit_reason': return 'VM-exit reason';
    case 'vm_instruction_error': return 'VM-instruction error number';
    case 'exit_qualification': return /abort/i.test(e.summary) ? 'VMX-abort indicator' : 'exit qualification';
    case 'kvm_request': return 'KVM request index';
    case 'control_bit': return `${e.decoded?.field ?? 'control'} bit`;
    case 'cr_bit': case 'efer_bit': return `${e.decoded?.register ?? 'register'} bit or mask`;
    default: return `${e.kind.replace(/_/g, ' ')} value`;
  }
}
