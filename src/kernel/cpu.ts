// The processor's side of a nested VM-entry: once KVM's code has prepared vmcs02, the CPU's
// VMLAUNCH/VMRESUME performs its own control and guest-state checks. The CPU is not in the Linux
// tree, so these are the model's hardware check tables (src/knowledge/checks/hardware.ts, the SDM's
// rules), evaluated over the scenario. What KVM then does with the CPU's verdict runs from the tree:
// a late VM-Fail (vmx->fail) or an invalid-guest-state exit is reflected to L1 by
// nested_vmx_reflect_vmexit → nested_vmx_vmexit, interpreted.
import { FUNCTION_LOCALS, HARDWARE_CONTROL_CHECKS, HARDWARE_GUEST_CHECKS, type CheckDef } from '../knowledge/checks';
import { environment, machine, type EvalContext } from '../sim/env';
import { evaluateText, parseExpr, type Expr } from '../sim/expr';
import { ULONG, UINT } from './interp/ctype';
import { InterpError } from './interp/errors';
import { macroNumber, member, type Outcome } from './boundary';
import type { Sim } from './paths';

const hex = (v: bigint): string => '0x' + v.toString(16);

/** Runs hardware checks in order; returns the first failing one (trace rows pushed). */
export function hardwareChecks(sim: Sim, checks: readonly CheckDef[]): CheckDef | null {
  const w = sim.world;
  const m = machine(w);
  const locals: Record<string, Expr> = {};
  for (const [name, text] of Object.entries(FUNCTION_LOCALS.vmx_vcpu_enter_exit ?? {})) locals[name] = parseExpr(text);
  for (const c of checks) {
    const record: Record<string, bigint> = {};
    const ctx: EvalContext = { vars: { from_vmentry: 1n, nested_run_pending: 1n }, extra: {}, locals, localValues: new Map(), record };
    const shared = environment();
    const prev = shared.enter(m, ctx);
    const env = shared.env;
    let bad: boolean;
    try {
      if (c.guard && evaluateText(c.guard, env) === 0n) { push(sim, c, 'skip', record); continue; }
      bad = evaluateText(c.condition, env) !== 0n;
    } catch (e) {
      throw new InterpError(`hardware check ${c.id}: ${e instanceof Error ? e.message : String(e)}`);
    } finally { shared.leave(prev); }
    push(sim, c, bad ? 'fail' : 'pass', record);
    if (bad) return c;
  }
  return null;
}

function push(sim: Sim, c: CheckDef, result: 'pass' | 'fail' | 'skip', values: Record<string, bigint>): void {
  if (!sim.tracing && result !== 'fail') return;
  const out: Record<string, string> = {};
  for (const k in values) out[k] = hex(values[k]);
  sim.s.trace.push({ function: c.function, check: c.id, result, values: sim.tracing ? out : {} });
}

/** The CPU enters vmcs02 after nested_vmx_run succeeded; a failure is reflected by the tree's code. */
export function hardwareEntry(sim: Sim): Outcome {
  const it = sim.it;
  let exitReason: bigint | null = null;
  // vmx_vcpu_run after the hardware VM-entry: the VMLAUNCH/VMRESUME is no longer pending
  sim.set(sim.vmx, 'nested.nested_run_pending', 0n);
  if (!sim.s.params.nested_early_check) {
    const c = hardwareChecks(sim, HARDWARE_CONTROL_CHECKS);
    if (c) { sim.hwFailed = c; sim.lateVmFail(); exitReason = 0xdeadn; }
  }
  if (exitReason === null) {
    const g = hardwareChecks(sim, HARDWARE_GUEST_CHECKS);
    if (g) { sim.hwFailed = g; exitReason = BigInt(g.result.kind === 'entry-failure-vmexit' ? g.result.exitReason : 0x80000021); }
  }
  if (exitReason === null) return { kind: 'entered' };
  // The VM-exit of vmcs02 as the CPU reports it; KVM's exit handler reflects it to L1.
  sim.set(sim.vmx, 'exit_reason.full', exitReason);
  sim.set(sim.vmx, 'vt.exit_reason.full', exitReason);
  const enc = (n: string): bigint | null => it.program.enumerators.get(n) ?? macroNumber(it, n);
  const v02 = sim.s.vmcs.get(sim.s.current);
  const q = enc('EXIT_QUALIFICATION'), ii = enc('VM_EXIT_INTR_INFO'), ir = enc('VM_EXIT_REASON');
  const qual = sim.hwFailed && sim.hwFailed.result.kind === 'entry-failure-vmexit' && typeof sim.hwFailed.result.exitQualification === 'number' ? BigInt(sim.hwFailed.result.exitQualification) : 0n;
  if (v02 && q !== null) v02.set(q, qual);
  sim.set(sim.vmx, 'exit_qualification', qual);
  if (v02 && ii !== null) v02.set(ii, 0n);
  if (v02 && ir !== null) v02.set(ir, exitReason);
  const vcpu = sim.ptr(sim.vcpu, 'kvm_vcpu');
  if (sim.program.functions.has('nested_vmx_reflect_vmexit')) {
    const avail = member(it, sim.vmx, 'vcpu.arch.regs_avail');
    void avail;
    it.run('nested_vmx_reflect_vmexit', [vcpu]);
  } else {
    it.run('nested_vmx_vmexit', [vcpu, it.int(exitReason, UINT), it.int(0, UINT), it.int(0, ULONG)]);
  }
  if (sim.s.recorded) return sim.s.recorded.outcome;
  const reason = sim.vmcs12Field('VM_EXIT_REASON');
  return { kind: 'entry-failure-vmexit', exitReason: hex(reason), exitQualification: hex(sim.vmcs12Field('EXIT_QUALIFICATION')) };
}

/**
 * A MOV to CR3 that does not exit (EPT): the CPU loads CR3 with its own checks — reserved bits above
 * bit 51 (bit 63 is the PCID no-flush hint), LAM bits legal when the host CPU has LAM (the model's
 * restatement of the processor: cr3-write in src/sim/run.ts).
 */
export function cr3Hardware(sim: Sim, cr3: bigint): Outcome {
  let v = cr3 & ~(1n << 63n);
  if (sim.world.hostFeatures.has('LAM')) v &= ~((1n << 61n) | (1n << 62n));
  if (v >> 52n) return { kind: 'fault', vector: 'GP' };
  return { kind: 'ok', intercepted: false, mmu: 'none' };
}
