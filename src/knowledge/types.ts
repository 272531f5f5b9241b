// Shapes of the KVM nested-VMX model (pure). The facade (index.ts) re-exports them.
import type { ConstantKind } from './constants';

export type { ConstantKind };

/** Every kind of entity the model explains (cli-contract.md, `explain`). */
export type EntityKind = ConstantKind | 'function' | 'macro' | 'struct' | 'struct_field';

/** The kinds, in the order cli-contract.md lists them. */
export const ENTITY_KINDS: readonly EntityKind[] = [
  'function', 'macro', 'struct', 'struct_field', 'vmcs_field', 'msr', 'msr_bit', 'control_bit', 'cr_bit',
  'efer_bit', 'exit_reason', 'exit_qualification', 'vm_instruction_error', 'kvm_request', 'ioctl', 'state_flag', 'module_param',
];

/** One consistency check a function performs, restated (reference kvm-nested-vmx.md tables). */
export interface CheckFact {
  /** Short id as the reference numbers it (H3, G4, E17, ...). */
  id: string;
  /** The check restated: the condition that fails it (model tables) or the requirement (a simulator check's `rule`). */
  fails: string;
  /** What the failure produces (VMfailValid 8, VM-exit 33 qualification 4, -EINVAL, ...). */
  result: string;
  sdm?: string;
}

/** One before/after step in a function's or macro's history. */
export interface HistoryFact { era: string; change: string }

/**
 * The `kvm-review explain --json` shape (cli-contract.md). The first eight fields are the
 * contract; the rest are optional additions for the hover and the Explain view.
 */
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
  /** Where the model's facts about this entity come from (kernel file, SDM section, reference section). */
  source?: string;
  /** For a number: how it was read (e.g. "VMCS field encoding", "MSR index"). */
  reading?: string;
  /** For a number read as a VMCS encoding, an MSR, a mask ...: the decoded parts. */
  decoded?: Record<string, string>;
  /** For a function: the callers and callees that matter. */
  callers?: string[];
  callees?: string[];
  /** For a function: the checks it performs. */
  checks?: CheckFact[];
  /** What changed across kernel versions (the five seed patches and the reference's history tables). */
  history?: HistoryFact[];
  /** Other spellings that resolve to this entity. */
  aliases?: string[];
}
