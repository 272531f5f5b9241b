// The engine-agnostic interfaces of the divergence search (`kvm-review diverge`, the panel's
// "first witness"). An engine (the model's check tables, or the kernel engine interpreting the
// tree's C) plugs in with two things: a `PairFn` that runs one scenario before and after the patch,
// and an `InputProvider` that says which scenario inputs the changed code (and the conditions
// guarding it) reads, and which values are worth trying for each. Pure types, no logic.

/** A scenario as the CLI contract writes it (`{ base: "default", vmcs12: {...}, ... }`). */
export type ScenarioJson = Record<string, unknown>;

/** One step of a trace, as both engines give it. `location` ("arch/x86/kvm/vmx/nested.c:3054") when known. */
export interface SideTraceStep {
  function: string;
  check: string;
  result: 'pass' | 'fail' | 'skip';
  values?: Record<string, string>;
  location?: string;
}

/** One side (before or after) of a run. */
export interface SideRun {
  outcome: { kind: string; [field: string]: unknown };
  warnings: string[];
  failedCheck: { id: string; function: string; condition?: string; sdm?: string; location?: string } | null;
  /** Optional in searches (runs without a trace are faster); the panel asks for it. */
  trace?: SideTraceStep[];
  /** Ids of the change sites (`ChangeSite.id`) whose code this run executed. */
  reached?: string[];
  engine?: 'kernel' | 'model';
}

export interface SidePair { before: SideRun; after: SideRun }

/**
 * Runs one scenario before and after the patch. Throws for a scenario the engine refuses (an
 * inconsistent combination); the search counts it as searched and goes on.
 */
export type PairFn = (scenario: ScenarioJson) => SidePair;

/** One change to a scenario: the JSON value at `path` (e.g. ["vmcs12", "HOST_CR3"]) set to `value`. */
export interface Delta {
  path: string[];
  value: unknown;
  /** What a reviewer reads: "HOST_CR3 = 0x4000000000001000", "cpuid LAM off". */
  label: string;
}

/**
 * One scenario input and the values worth trying for it (boundaries of the constants the changed
 * code compares it with, bits of its masks, ...). Deltas of one axis exclude each other; two axes
 * must not write the same path.
 */
export interface InputAxis {
  /** Stable id, usually the path joined with '.' ("vmcs12.HOST_CR3"). */
  id: string;
  /** 'guard': read by a condition that decides whether the changed code runs at all;
   *  'condition': read by the changed condition itself. */
  role: 'guard' | 'condition';
  deltas: Delta[];
}

/** A place the patch changes, that the search must make the run reach (a new check, a changed condition). */
export interface ChangeSite {
  id: string;
  /** Where it stands: kernel location, or the hunk line in the mail. */
  location?: string;
  function?: string;
  description?: string;
}

/** What the changed code reads, as the engine sees it. */
export interface InputProvider {
  sites: ChangeSite[];
  axes: InputAxis[];
  /**
   * Optional proof: called after the search when it was not exhaustive. Returns true when no
   * scenario over these axes diverges beyond the ones found (e.g. a solver showed the before and
   * after conditions equal wherever they are reached), false/undefined when it cannot say.
   */
  prove?: (budgetMs: number) => Promise<boolean | undefined> | boolean | undefined;
}

/** One class of diverging scenarios (contract v2 `witnesses[]`). */
export interface Witness {
  scenario: ScenarioJson;
  /** The changes from the starting scenario, smallest first found. */
  changes: Delta[];
  before: SideRun;
  after: SideRun;
  /** The deciding location (kernel file:line), or `model:<check id>` on the model engine. */
  decidedAt: string;
  /** How many diverging scenarios the search found in this class. */
  count: number;
}

/** The result of a divergence search. */
export interface DivergeResult {
  /** Scenarios tried (each one run before and after). */
  searched: number;
  /** Every combination of the axes' values was tried, or a proof says nothing else diverges. */
  complete: boolean;
  /** How completeness was reached, when it was. */
  proof?: 'exhaustive' | 'solver';
  /** The search stopped at its budget. */
  truncated: boolean;
  witnesses: Witness[];
  /** The first diverging scenarios found (contract v1 `diverging`), at most a few dozen. */
  diverging: { scenario: ScenarioJson; before: SideRun; after: SideRun }[];
  /** Axes the search varied (for "what was searched"). */
  axes: { id: string; role: InputAxis['role']; values: number }[];
  /** Sites no tried scenario reached. */
  unreached: string[];
  elapsedMs: number;
}

export interface SearchBudget {
  /** At most this many scenarios (default 20000). */
  maxRuns?: number;
  /** At most this long (default 1500 ms). */
  maxMs?: number;
  /** Keep at most this many entries in `diverging` (default 50). */
  maxListed?: number;
  /** The clock (tests pass a fake one). */
  now?: () => number;
}
