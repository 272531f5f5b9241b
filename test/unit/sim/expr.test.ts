// The C-expression interpreter: kernel condition syntax, 64-bit semantics, bounded, no eval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, ExprError, parseExpr, type EvalEnv } from '../../../src/sim/expr';

const env = (names: Record<string, bigint> = {}, members: Record<string, bigint> = {}): EvalEnv => ({
  name: n => names[n],
  member: p => members[p],
  call: (fn, args, ev) => {
    if (fn === 'BIT_ULL' || fn === 'BIT') return 1n << ev(args[0]);
    if (fn === 'GENMASK_ULL' || fn === 'GENMASK') { const h = ev(args[0]), l = ev(args[1]); return ((1n << (h + 1n)) - 1n) & ~((1n << l) - 1n); }
    if (fn === 'twice') return ev(args[0]) * 2n;
    return undefined;
  },
});
const ev = (src: string, names?: Record<string, bigint>, members?: Record<string, bigint>): bigint => evaluate(parseExpr(src), env(names, members));

void test('literals with suffixes, hex, octal, binary and character literals', () => {
  assert.equal(ev('0x10ULL + 1u + 010 + 0b11 + 2L'), 16n + 1n + 8n + 3n + 2n);
  assert.equal(ev("'A'"), 65n);
});

void test('C precedence: shifts below additive, bitwise below comparison, && below |', () => {
  assert.equal(ev('1 << 2 + 1'), 8n);
  assert.equal(ev('6 & 3 == 3'), 0n); // == binds tighter than &
  assert.equal(ev('1 | 2 && 0'), 0n);
  assert.equal(ev('2 + 3 * 4'), 14n);
});

void test('64-bit unsigned wrap-around, ~, unary minus and shifts past 63', () => {
  assert.equal(ev('~0'), (1n << 64n) - 1n);
  assert.equal(ev('-1'), (1n << 64n) - 1n);
  assert.equal(ev('0xffffffffffffffff + 2'), 1n);
  assert.equal(ev('1ULL << 64'), 0n);
  assert.equal(ev('(1ULL << 63) >> 63'), 1n);
});

void test('casts truncate to the kernel integer types', () => {
  assert.equal(ev('(u8)0x1ff'), 0xffn);
  assert.equal(ev('(u32)~0'), 0xffffffffn);
  assert.equal(ev('(unsigned long)~0'), (1n << 64n) - 1n);
  assert.equal(ev('(bool)0x100'), 1n);
  assert.equal(ev('(x)', { x: 5n }), 5n); // a parenthesised name is not a cast
});

void test('logical operators short-circuit and ?: picks one side', () => {
  assert.equal(ev('0 && undefined_name'), 0n);
  assert.equal(ev('1 || undefined_name'), 1n);
  assert.equal(ev('1 ? 7 : undefined_name'), 7n);
  assert.equal(ev('!!5'), 1n);
  assert.equal(ev('a >= b', { a: 3n, b: 3n }), 1n);
});

void test('member access with -> and . and helper calls', () => {
  assert.equal(ev('vmcs12->host_cr3 & BIT_ULL(62)', {}, { 'vmcs12->host_cr3': 1n << 62n }), 1n << 62n);
  assert.equal(ev('vmx->nested.msrs.ept_caps', {}, { 'vmx->nested.msrs.ept_caps': 0x40n }), 0x40n);
  assert.equal(ev('GENMASK_ULL(51, 12)'), 0xffffffffff000n);
  assert.equal(ev('twice(GENMASK(3, 0))'), 30n);
});

void test('condition text copied from a patch line tolerates a trailing operator or semicolon', () => {
  assert.equal(ev('a &&', { a: 1n }), 1n);
  assert.equal(ev('a ||', { a: 0n }), 0n);
  assert.equal(ev('a;', { a: 2n }), 2n);
});

void test('unknown names, fields and functions are clear errors', () => {
  assert.throws(() => ev('nosuch + 1'), (e: Error) => e instanceof ExprError && /unknown name "nosuch"/.test(e.message));
  assert.throws(() => ev('vmcs12->nosuch'), /unknown field "vmcs12->nosuch"/);
  assert.throws(() => ev('frob(1)'), /unknown function "frob"/);
});

void test('syntax errors name the column; assignments are refused', () => {
  assert.throws(() => parseExpr('a + (b'), /expected "\)"/);
  assert.throws(() => parseExpr('a $ b'), /unexpected character "\$" at column 3/);
  assert.throws(() => parseExpr('a <<= 2'), /assignment/);
  assert.throws(() => parseExpr('1 / 0 +'), /ends too early/);
});

void test('division by zero is an error, not Infinity', () => {
  assert.throws(() => ev('1 / 0'), /division by zero/);
});

void test('untrusted size is bounded: token count, nesting depth and evaluation steps', () => {
  const long = Array.from({ length: 30000 }, () => '1').join(' + ');
  assert.throws(() => parseExpr(long), /too long/);
  assert.throws(() => parseExpr('('.repeat(300) + '1' + ')'.repeat(300)), /nested deeper/);
  const sum = parseExpr(Array.from({ length: 1000 }, () => '1').join(' + '));
  assert.equal(evaluate(sum, env()), 1000n);
  assert.throws(() => evaluate(sum, env(), { steps: 100 }), /exceeded \d+ steps/);
});

void test('names that are Object.prototype keys are unknown, not functions', async () => {
  const { simulate } = await import('../../../src/sim');
  for (const nm of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.throws(() => simulate('nested-vmentry', {}, { overrides: { 'host-cr3': `${nm}` } }), /unknown name/, nm);
    assert.throws(() => simulate('nested-vmentry', {}, { overrides: { 'host-cr3': `${nm}(1)` } }), /unknown function/, nm);
  }
});

void test('CC() inside a condition is the identity on truth values', async () => {
  const { simulate } = await import('../../../src/sim');
  const r = simulate('nested-vmentry', { vmcs12: { HOST_CR3: '0x4000000000001000' } }, { overrides: { 'host-cr3': 'CC(kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->host_cr3))' } });
  assert.equal(r.outcome.kind, 'vmfail-valid');
});
