// A fuzzer for the expression interpreter: random expressions (grammar-built, with hostile names,
// huge numbers and bit helpers) and random token soup, as conditions and as `#define` bodies,
// evaluated against the real simulator environment (and one in 20 as a #define in a whole
// simulation). The only exception allowed is ExprError (ScenarioError from a simulation).
import { evaluateText, ExprError } from '../../../src/sim/expr';
import { environment, machine, type EvalContext } from '../../../src/sim/env';
import { resolveScenario, ScenarioError } from '../../../src/sim/scenario';
import { simulate } from '../../../src/sim';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'vcpu', 'vmx', 'ia32e', 'X86_CR0_PG', 'EFER_LMA',
  'INVALID_GPA', 'X86_FEATURE_LAM', 'nested', 'ept', 'enable_ept', 'VM_ENTRY_IA32E_MODE', 'MACRO_A', 'MACRO_B', 'nosuch_name', 'u64', 'int'];
const MEMBERS = ['vmcs12->host_cr3', 'vmcs12->guest_cr0', 'vmcs12->constructor', 'vmcs12->__proto__', 'vcpu->arch.efer', 'vmx->nested.msrs.constructor',
  'vmx->nested.msrs.cr0_fixed0', 'vmx->nested.vmxon', 'vcpu->arch.__proto__', 'kvm_state->flags', 'a->b.c'];
const CALLS = ['BIT', 'BIT_ULL', 'GENMASK', 'GENMASK_ULL', 'IS_ALIGNED', 'PAGE_ALIGNED', 'CC', 'likely', 'sizeof', 'constructor', '__proto__', 'toString',
  'nested_cpu_has', 'nested_cpu_has2', 'kvm_vcpu_is_legal_gpa', 'kvm_vcpu_is_legal_cr3', 'guest_can_use', 'nested_vmx_load_msr', 'nested_vmx_store_msr',
  'x86_exception_has_error_code', 'is_noncanonical_address', 'vmcs_read32', 'nested_vmx_check_msr_switch', 'kvm_valid_efer', 'load_pdptrs', 'unknown_fn'];
const NUMBERS = ['0', '1', '63', '64', '65', '0xffffffffffffffff', '0x10000000000000000', '18446744073709551615', '1073741824', '0x3fffffff', '-1', '077', '0b101',
  "'a'", "'\\n'", '4096', '1ULL', '0x8000000000000000u', '9'.repeat(30)];
const BINARY = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '&&', '||', '==', '!=', '<', '<=', '>', '>='];
const UNARY = ['!', '~', '-', '+'];
const CASTS = ['(u64)', '(u32)', '(u8)', '(bool)', '(unsigned long)', '(constructor)', '(__proto__)', '(int)', '(s64)'];
const SOUP = ['(', ')', ',', '?', ':', '->', '.', '&', '*', 'sizeof', 'CC', '1', 'x', '<<=', '"', '#', '@', '/*', '*/', '//', '\\', '\n', ' '];

export interface ExprFuzzResult { cases: number; failures: string[]; slowestMs: number; slowestInput: string; exprErrors: number }

export function fuzzExpressions(count: number, seed = 1): ExprFuzzResult {
  let state = seed >>> 0 || 1;
  const rnd = (n: number): number => { state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0; return state % n; };
  const pick = <T,>(a: readonly T[]): T => a[rnd(a.length)];
  const gen = (depth: number): string => {
    if (depth <= 0 || rnd(10) < 3) {
      switch (rnd(4)) { case 0: return pick(NAMES); case 1: return pick(MEMBERS); default: return pick(NUMBERS); }
    }
    switch (rnd(7)) {
      case 0: return `${gen(depth - 1)} ${pick(BINARY)} ${gen(depth - 1)}`;
      case 1: return `${pick(UNARY)}${gen(depth - 1)}`;
      case 2: return `(${gen(depth - 1)})`;
      case 3: return `${pick(CASTS)}${gen(depth - 1)}`;
      case 4: return `${gen(depth - 1)} ? ${gen(depth - 1)} : ${gen(depth - 1)}`;
      case 5: { const fn = pick(CALLS); return fn === 'sizeof' ? `sizeof(${pick([...NAMES, 'struct vmcs12', '*vmcs12', 'u64'])})` : `${fn}(${Array.from({ length: rnd(4) }, () => gen(depth - 1)).join(', ')})`; }
      default: return `${pick(CALLS)}(${pick(['&vcpu', 'vcpu', '&vmx'])}, ${gen(depth - 1)})`;
    }
  };
  const soup = (): string => Array.from({ length: 1 + rnd(30) }, () => pick([...SOUP, ...NAMES, ...NUMBERS, ...BINARY, ...CALLS])).join(rnd(2) ? ' ' : '');

  const world = resolveScenario({ base: 'default' });
  const m = machine(world);
  simulate('cr0-write', { base: 'default' }, { trace: false });   // warm-up: tables loaded, conditions compiled
  const failures: string[] = [];
  let slowestMs = 0, slowestInput = '', exprErrors = 0;
  for (let i = 0; i < count; i++) {
    const text = rnd(5) === 0 ? soup() : gen(1 + rnd(6));
    // as a condition, and as the body of a macro the condition reads (a patch's #define)
    const macroBody = rnd(3) === 0 ? gen(1 + rnd(4)) : undefined;
    const ctx: EvalContext = { vars: {}, extra: {}, locals: macroBody ? { MACRO_A: null as never } : {}, localValues: new Map(), record: rnd(2) ? {} : null };
    const shared = environment();
    const outer = shared.enter(m, ctx);
    const env = shared.env;
    if (macroBody) {
      // a macro is read through a local of the check (the way a #define reaches a condition)
      try { ctx.locals = { MACRO_A: parseOrNull(macroBody) ?? parseOrNull('0')! }; } catch { ctx.locals = {}; }
    }
    const t0 = performance.now();
    try { evaluateText(text, env); }
    catch (e) {
      if (e instanceof ExprError) exprErrors++;
      else failures.push(`${(e as Error)?.constructor?.name}: ${(e as Error)?.message} for ${JSON.stringify(text)}${macroBody ? ` with MACRO_A = ${JSON.stringify(macroBody)}` : ''}`);
    }
    shared.leave(outer);
    // one case in 20 also goes through a whole simulation as a patch's #define the model reads
    if (i % 20 === 0) {
      try { simulate('cr0-write', { base: 'default' }, { trace: false, defines: { KVM_POSSIBLE_CR0_GUEST_BITS: text } }); }
      catch (e) { if (!(e instanceof ScenarioError)) failures.push(`${(e as Error)?.constructor?.name}: ${(e as Error)?.message} for #define KVM_POSSIBLE_CR0_GUEST_BITS ${JSON.stringify(text)}`); }
    }
    const ms = performance.now() - t0;
    if (ms > slowestMs) { slowestMs = ms; slowestInput = text; }
  }
  return { cases: count, failures, slowestMs, slowestInput, exprErrors };
}

import { parseExpr, type Expr } from '../../../src/sim/expr';
function parseOrNull(text: string): Expr | null { try { return parseExpr(text); } catch { return null; } }
