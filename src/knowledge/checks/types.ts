// Types of the check tables: every KVM consistency check the simulator runs, as data. Pure.
import type { Baseline } from '../data/kernelHistory';

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

/** A test that exercises a check: a kvm-unit-tests or KVM selftests function. */
export interface TestRef {
  suite: 'kvm-unit-tests' | 'selftests';
  /** kvm-unit-tests: relative to its root (x86/vmx_tests.c); selftests: relative to tools/testing/selftests/kvm. */
  file: string;
  /** The function of that file that exercises the check. */
  function: string;
}

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
  /** KVM's rule restated in words. */
  rule: string;
  /**
   * Kernel version in which the row, as stated, first appeared ("v6.13"); "v6.12" means present in
   * v6.12.0, the oldest release the model tracks (its earlier history is not recorded).
   */
  since?: string;
  /** Version in which the row changed or left KVM (absent: still current in kvm-x86). */
  until?: string;
  /**
   * Whether the 6.12.y baseline (6.12.118) has the row, where the versions alone do not say so
   * (a later change backported to 6.12.y, or one not backported).
   */
  in612y?: boolean;
  /** kvm-unit-tests functions / KVM selftests that exercise it (every name exists). */
  tests?: readonly TestRef[];
  /** Kernel source file (relative to the tree root). */
  source: string;
  /** True when KVM does not wrap the condition in CC() (no tracepoint). */
  noCC?: boolean;
}

/** Local variables a function computes before its checks: name → C expression. */
export type Locals = Record<string, string>;

/** Numeric form of a "vX.Y" version (X*1000+Y), or NaN. */
function versionNumber(v: string): number {
  const m = /^v?(\d+)\.(\d+)/.exec(v);
  return m ? Number(m[1]) * 1000 + Number(m[2]) : NaN;
}

/** Whether a check row belongs to a baseline. */
export function activeIn(c: Pick<CheckDef, 'since' | 'until' | 'in612y'>, baseline: Baseline): boolean {
  if (baseline === 'kvm-x86') return c.until === undefined;
  if (c.in612y !== undefined) return c.in612y;
  const since = c.since === undefined ? 0 : versionNumber(c.since), until = c.until === undefined ? Infinity : versionNumber(c.until);
  return since <= 6012 && until > 6012;
}
