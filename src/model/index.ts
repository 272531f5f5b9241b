// Facade of the KVM nested-VMX model (pure, data-driven). Thin first version: the constants table
// plus a dozen functions; the model issue deepens every part of it behind the same functions.
import { CONSTANT_ROWS, type ConstantKind } from './data/constants';
import { FUNCTIONS } from './data/functions';

export type EntityKind = ConstantKind | 'function' | 'macro' | 'struct' | 'struct_field';

/** The `kvm-review explain --json` shape (cli-contract.md). */
export interface Explanation {
  name: string;
  kind: EntityKind;
  value?: string;
  summary: string;
  details: string;
  sdm: string;
  kernelFiles: string[];
  related: string[];
  /** Modeled check paths this entity lies on (path ids). */
  paths?: string[];
}

const KERNEL_FILE: Partial<Record<ConstantKind, string>> = {
  vmcs_field: 'arch/x86/include/asm/vmx.h', control_bit: 'arch/x86/include/asm/vmx.h', msr: 'arch/x86/include/asm/msr-index.h',
  msr_bit: 'arch/x86/include/asm/msr-index.h', cr_bit: 'arch/x86/include/uapi/asm/processor-flags.h',
  efer_bit: 'arch/x86/include/asm/msr-index.h', exit_reason: 'arch/x86/include/uapi/asm/vmx.h',
  exit_qualification: 'arch/x86/include/asm/vmx.h', vm_instruction_error: 'arch/x86/include/asm/vmx.h',
  kvm_request: 'arch/x86/include/asm/kvm_host.h', ioctl: 'include/uapi/linux/kvm.h', state_flag: 'arch/x86/include/uapi/asm/kvm.h',
  module_param: 'arch/x86/kvm/vmx/vmx.c',
};

let byName: Map<string, Explanation> | undefined;
function index(): Map<string, Explanation> {
  if (byName) return byName;
  byName = new Map();
  for (const [name, kind, value, belongsTo, meaning] of CONSTANT_ROWS) {
    byName.set(name, {
      name, kind, value, summary: `${name} = ${value}: ${meaning || kind.replace(/_/g, ' ')}`,
      details: belongsTo ? `Belongs to ${belongsTo}.` : '', sdm: '', kernelFiles: KERNEL_FILE[kind] ? [KERNEL_FILE[kind]!] : [], related: [],
    });
  }
  for (const f of FUNCTIONS) {
    byName.set(f.name, { name: f.name, kind: 'function', summary: f.summary, details: f.details, sdm: f.sdm ?? '', kernelFiles: [f.file], related: f.related, paths: f.paths });
  }
  return byName;
}

/** Every reading of a name or number; empty when the model knows nothing of it. */
export function explain(query: string): Explanation[] {
  const q = query.trim();
  const named = index().get(q);
  if (named) return [named];
  if (/^(0x[0-9a-f]+|\d+)$/i.test(q)) {
    const v = BigInt(q);
    return [...index().values()].filter(e => e.value !== undefined && e.kind !== 'function' && BigInt(e.value) === v && v > 9n);
  }
  return [];
}

/** Names close to `query`, best first, for "did you mean". */
export function suggest(query: string, max = 5): string[] {
  const q = query.toUpperCase();
  return [...index().keys()].filter(n => n.toUpperCase().includes(q) || q.includes(n.toUpperCase())).slice(0, max);
}

/** Whether the model knows this function (drives code lenses). */
export function isModeledFunction(name: string): boolean {
  return index().get(name)?.kind === 'function';
}

/** All entity names, for the Explain quick pick. */
export function allNames(): string[] { return [...index().keys()]; }
