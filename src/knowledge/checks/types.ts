// Types of the check tables: every KVM consistency check the simulator runs, as data. Pure.

/** What KVM reports when a check fails, on the check's home path. */
export type FailResult =
  | { kind: 'vmfail-invalid' }
  | { kind: 'vmfail-valid'; vmInstructionError: number }
  | { kind: 'entry-failure-vmexit'; exitReason: number; exitQualification: number | 'index' }
  | { kind: 'abort'; abortIndicator: number }
  | { kind: 'load-failed'; errno: string }
  | { kind: 'error'; errno: string }
  | { kind: 'fault'; vector: string }
  | { kind: 'internal-error'; detail: string }
  /** Not a failure of the path: the check only changes what KVM does next (e.g. clears bits). */
  | { kind: 'continue' };

/** One consistency check. `condition` is KVM's C expression that is TRUE when the check fails. */
export interface CheckDef {
  /** Stable id, unique across all tables. */
  id: string;
  /** The kernel function whose body holds the check. */
  function: string;
  /** The failing condition as a C expression over the scenario (what KVM wraps in CC()). */
  condition: string;
  /** Condition outside CC() under which the check runs at all (false → trace "skip"). */
  guard?: string;
  /** Result on the check's home path (set-nested-state maps VM-entry results to -EINVAL). */
  result: FailResult;
  /** SDM section of the architectural rule (Vol. 3C numbering of the 2024/2025 editions). */
  sdm: string;
  /** The rule the check enforces, in words (`condition` is the C expression that breaks it). */
  rule: string;
  /** kvm-unit-tests (x86/vmx_tests.c) or KVM selftest that exercises it, when known. */
  test?: string;
  /** Kernel source file (v6.12). */
  source: string;
  /** True when KVM does not wrap the condition in CC() (no tracepoint). */
  noCC?: boolean;
}

/** Local variables a function computes before its checks: name → C expression. */
export type Locals = Record<string, string>;
