// The kernel interpreter: walks the plain-data C syntax tree (src/kernel/ast.ts) of a tree's
// functions. Values are { type, 64/128-bit integer }: integers, bools, enums and pointers (a pointer
// is an address, see memory.ts); a struct value is the address of its bytes. C's integer rules are
// in ctype.ts (one place). Calls go to, in order: the builtin table (builtins.ts), the boundary
// (what touches hardware or KVM infrastructure, answered from the scenario), the tree's function.
// Bounded: steps charged by cost, wall time, memory and objects, call depth, expression depth.
// Every failure is an InterpError; nothing else leaves run().
import type { Block, CType, Declarator, Expr, FunctionDef, GlobalDef, Program, Stmt } from '../ast';
import { InterpError } from './errors';
import { BOOL, CHAR, INT, LONG, Types, ULONG, VOID, convertInt, literalType, promote, usual, type IntType } from './ctype';
import { Memory, type MemObject, type MemSnapshot } from './memory';
import { BUILTINS, isConstant } from './builtins';

export interface Value { t: CType; v: bigint }
export interface LValue { t: CType; addr: bigint; bitOff: number; bits: number | null }

export interface CallSite { name: string; args: Expr[]; location: string; line: number }
/** A boundary handler: gets the evaluated arguments, returns the call's value. */
export type Handler = (it: Interp, args: Value[], site: CallSite) => Value;

export interface Boundary {
  /** The handler for a function name (one table), or undefined: the tree's body runs. */
  handler(name: string): Handler | undefined;
  /** A global the boundary defines or overrides (module parameters, vmcs_config, ...). */
  global?(name: string, it: Interp): LValue | undefined;
  /** A handler that gets the unevaluated arguments (kernel macros kept as calls: static_call(x), WARN_ON(c), boot_cpu_has(f)). */
  raw?(name: string): RawHandler | undefined;
}
export type RawHandler = (it: Interp, args: Expr[], site: CallSite) => Value;

export interface Budget {
  /** interpreter steps, each charged by cost (default 5,000,000) */
  steps?: number;
  /** wall time in ms (default 10000) */
  ms?: number;
  /** bytes of objects (default 64 MiB) */
  bytes?: number;
  /** objects (default 500,000) */
  objects?: number;
  /** call depth (default 128) */
  depth?: number;
}

export interface Hooks {
  /** Every GNU statement expression evaluates through this when set (the CC() consistency checks). */
  stmtExpr?(e: Extract<Expr, { k: 'stmtexpr' }>, evaluate: () => Value, it: Interp): Value;
  /** Called before each call of a tree function (for trace rows of decisions). */
  enter?(fn: FunctionDef, it: Interp): void;
  /** Called on `return <constant>` (the value as returned, before conversion), with the call depth. */
  constReturn?(fn: FunctionDef, line: number, value: Value, frame: { id: number; parent: number; callLine: number }): void;
  /** Called after each call of a tree function returns normally. */
  leave?(fn: FunctionDef, value: Value, it: Interp): void;
  /** Called before each statement runs, with its function and line (to watch changed lines). */
  line?(fn: FunctionDef, line: number): void;
}

const enum C { NORMAL, BREAK, CONTINUE, RETURN, GOTO }

interface Frame { fn: FunctionDef; scopes: Map<string, LValue>[]; ret: Value | null; line: number; lastIf: number; id?: number; parent?: number; callLine?: number }

/** Thrown to leave a statement expression with return/goto (caught at the function boundary). */
class Leave { constructor(readonly code: C) {} }

const MAX_EXPR_DEPTH = 600;

export class Interp {
  readonly types: Types;
  readonly mem: Memory;
  hooks: Hooks = {};
  steps = 0;
  /** enumerators of headers the front end does not parse, supplied by the engine */
  readonly extraEnumerators = new Map<string, bigint>();
  /** one-line notes about defaults the run relied on (extern data not parsed, opaque types) */
  readonly notes: string[] = [];
  private readonly maxSteps: number;
  private readonly deadline: number;
  private readonly maxDepth: number;
  private readonly frames: Frame[] = [];
  private readonly globals = new Map<string, LValue>();
  private readonly statics = new Map<Declarator, LValue>();
  private readonly strings = new Map<Expr, LValue>();
  private readonly typeCache = new WeakMap<Expr, CType>();
  private readonly labelCache = new WeakMap<Stmt, Set<string>>();
  private gotoLabel = '';
  private frameIds = 0;
  private seeking: string | null = null;
  private exprDepth = 0;

  constructor(readonly program: Program, readonly boundary: Boundary, budget: Budget = {}) {
    this.types = new Types(program, e => this.typeOf(e));
    this.types.evalLength = e => this.evalExpr(e).v;
    this.mem = new Memory({ maxBytes: budget.bytes ?? 64 << 20, maxObjects: budget.objects ?? 500_000 });
    this.maxSteps = budget.steps ?? 5_000_000;
    this.deadline = Date.now() + (budget.ms ?? 10_000);
    this.maxDepth = budget.depth ?? 128;
  }

  /** The interpreter's state (memory, globals, static locals, string literals) to restore in another Interp of the same Program. */
  snapshot(): InterpSnapshot {
    return { mem: this.mem.snapshot(), globals: new Map(this.globals), statics: new Map(this.statics), strings: new Map(this.strings), notes: [...this.notes] };
  }
  restore(snap: InterpSnapshot): void {
    this.mem.restore(snap.mem);
    this.globals.clear(); for (const [k, v] of snap.globals) this.globals.set(k, v);
    this.statics.clear(); for (const [k, v] of snap.statics) this.statics.set(k, v);
    this.strings.clear(); for (const [k, v] of snap.strings) this.strings.set(k, v);
    this.notes.length = 0; this.notes.push(...snap.notes);
  }

  // ---- public entry points ----

  /** Calls a function by name with values; every failure comes out as an InterpError. */
  run(name: string, args: Value[]): Value {
    return this.guard(() => this.callNamed(name, args, { name, args: [], location: this.where(), line: 0 }));
  }

  /**
   * Runs one statement of a tree function in a frame of that function whose parameters are bound
   * to the given values (e.g. one assignment of kvm_vcpu_after_set_cpuid). Locals the statement
   * needs must be parameters.
   */
  execIn(fn: FunctionDef, args: Value[], stmt: Stmt, locals: [string, CType, Value][] = []): Map<string, LValue> {
    return this.guard(() => {
      const frame: Frame = { fn, scopes: [new Map()], ret: null, line: stmt.line, lastIf: 0 };
      this.frames.push(frame);
      try {
        fn.params.forEach((p, i) => {
          if (!p.name || !args[i]) return;
          const lv = this.allocate(this.types.resolve(p.type), p.name);
          this.store(lv, args[i]);
          frame.scopes[0].set(p.name, lv);
        });
        for (const [name, t, v] of locals) {
          const lv = this.allocate(this.types.resolve(t), name);
          this.store(lv, v);
          frame.scopes[0].set(name, lv);
        }
        let c: C;
        try { c = this.exec(stmt); } catch (x) { if (x instanceof Leave) c = x.code; else throw x; }
        if (c === C.RETURN && frame.ret) {
          const lv = this.allocate(frame.ret.t, '(return value)');
          this.store(lv, frame.ret);
          frame.scopes[0].set('(return)', lv);
        }
        return frame.scopes[0];
      } finally { this.frames.pop(); }
    });
  }

  /** Runs `f` converting anything unexpected into an InterpError with the current location. */
  guard<T>(f: () => T): T {
    try { return f(); }
    catch (e) {
      if (e instanceof InterpError) throw e.location ? e : new InterpError(e.reason, this.where());
      if (e instanceof Leave) throw new InterpError('return or goto out of a statement expression at top level', this.where());
      if (e instanceof RangeError) { throw new InterpError(`stack exhausted (${e.message})`, this.where()); }
      throw new InterpError(`internal error: ${e instanceof Error ? e.message : String(e)}`, this.where());
    }
  }

  /** "arch/x86/kvm/vmx/nested.c:3054" of the statement being run. */
  where(): string {
    const f = this.frames[this.frames.length - 1];
    return f ? `${f.fn.file}:${f.line}` : '(no function)';
  }
  /** The line of the last `if` whose test was true in the innermost function (0: none). */
  lastTakenIf(): number { return this.frames[this.frames.length - 1]?.lastIf ?? 0; }
  /** The function being run (innermost), or null. */
  current(): FunctionDef | null { return this.frames[this.frames.length - 1]?.fn ?? null; }
  /** Names of the functions on the call stack, outermost first. */
  stack(): string[] { return this.frames.map(f => f.fn.name); }

  fail(reason: string): never { throw new InterpError(reason, this.where()); }

  tick(cost = 1): void {
    this.steps += cost;
    if (this.steps > this.maxSteps) this.fail(`step budget exhausted (${this.maxSteps} steps)`);
    if ((this.steps & 0x1fff) < cost && Date.now() > this.deadline) this.fail('time budget exhausted');
  }

  // ---- values ----

  int(v: bigint | number | boolean, t: CType = INT): Value {
    const n = typeof v === 'bigint' ? v : typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v);
    return { t, v: convertInt(n, this.types.resolve(t)) };
  }
  ptr(addr: bigint, to: CType): Value { return { t: { k: 'ptr', to }, v: addr }; }
  readonly VOIDV: Value = { t: VOID, v: 0n };

  /** A fresh zeroed object of a type; returns its lvalue. */
  allocate(t: CType, name: string): LValue {
    const size = this.types.sizeof(t);
    this.tick(1 + (size >> 6));
    const o = this.mem.alloc(size, name);
    return { t, addr: o.addr, bitOff: 0, bits: null };
  }
  objectOf(addr: bigint): MemObject | null { return this.mem.objectAt(addr); }

  load(lv: LValue): Value {
    const t = this.types.resolve(lv.t);
    switch (t.k) {
      case 'int': case 'bool': case 'enum': case 'ptr': {
        const size = this.types.sizeof(t);
        let raw = this.mem.readUnsigned(lv.addr, size);
        if (lv.bits !== null) raw = (raw >> BigInt(lv.bitOff)) & ((1n << BigInt(lv.bits)) - 1n);
        if (lv.bits !== null && t.k === 'int' && t.signed) raw = BigInt.asIntN(lv.bits, raw);
        return { t, v: convertInt(raw, t) };
      }
      case 'array': return { t: { k: 'ptr', to: t.of }, v: lv.addr };
      case 'func': return { t: { k: 'ptr', to: t }, v: lv.addr };
      case 'struct': return { t, v: lv.addr };
      case 'void': return this.VOIDV;
      default: return this.fail(`cannot read a value of type ${this.types.show(t)}`);
    }
  }

  store(lv: LValue, val: Value): Value {
    const t = this.types.resolve(lv.t);
    if (t.k === 'struct') {
      const vt = this.types.resolve(val.t);
      if (vt.k !== 'struct' || vt.tag !== t.tag) this.fail(`cannot assign ${this.types.show(vt)} to ${this.types.show(t)}`);
      const size = this.types.sizeof(t);
      this.tick(1 + (size >> 6));
      this.mem.copy(lv.addr, val.v, size);
      return { t, v: lv.addr };
    }
    if (t.k === 'array') {
      // char buf[] = "..." and array copies inside struct copies arrive here
      const size = this.types.sizeof(t);
      this.mem.copy(lv.addr, val.v, size);
      return { t, v: lv.addr };
    }
    const c = this.convert(val, t);
    const size = this.types.sizeof(t);
    if (lv.bits !== null) {
      const mask = ((1n << BigInt(lv.bits)) - 1n) << BigInt(lv.bitOff);
      const old = this.mem.readUnsigned(lv.addr, size);
      this.mem.writeUnsigned(lv.addr, size, (old & ~mask) | ((c.v << BigInt(lv.bitOff)) & mask));
      const back = lv.bits < size * 8 && t.k === 'int' && t.signed ? BigInt.asIntN(lv.bits, c.v) : BigInt.asUintN(lv.bits, c.v);
      return { t, v: back };
    }
    this.mem.writeUnsigned(lv.addr, size, c.v);
    return c;
  }

  /** Conversion as by assignment or cast. */
  convert(val: Value, to: CType): Value {
    const t = this.types.resolve(to);
    if (t.k === 'void') return this.VOIDV;
    const from = this.types.resolve(val.t);
    if (t.k === 'struct') {
      if (from.k === 'struct' && from.tag === t.tag) return val;
      return this.fail(`cannot convert ${this.types.show(from)} to ${this.types.show(t)}`);
    }
    if (t.k === 'int' || t.k === 'bool' || t.k === 'enum' || t.k === 'ptr') {
      if (from.k === 'struct' || from.k === 'void') this.fail(`cannot convert ${this.types.show(from)} to ${this.types.show(t)}`);
      return { t, v: convertInt(val.v, t) };
    }
    return { t, v: val.v };
  }

  truthy(val: Value): boolean {
    const t = this.types.resolve(val.t);
    if (t.k === 'struct' || t.k === 'void') this.fail(`${this.types.show(t)} used as a condition`);
    return val.v !== 0n;
  }

  // ---- names ----

  private lookupLocal(name: string): LValue | undefined {
    const f = this.frames[this.frames.length - 1];
    if (!f) return undefined;
    for (let i = f.scopes.length - 1; i >= 0; i--) {
      const lv = f.scopes[i].get(name);
      if (lv) return lv;
    }
    return undefined;
  }

  /** The lvalue of a global (materialized on first use: storage, then its initializer). */
  global(name: string): LValue | undefined {
    const hit = this.globals.get(name);
    if (hit) return hit;
    const b = this.boundary.global?.(name, this);
    if (b) { this.globals.set(name, b); return b; }
    const def = this.program.globals.get(name);
    if (!def) return undefined;
    if (def.extern) {
      // defined in a file the front end does not read: a zeroed object, said in notes
      this.notes.push(`extern ${name} is defined in a file the engine does not read: zero-initialized`);
      return this.materialize({ ...def, init: null });
    }
    return this.materialize(def);
  }

  private materialize(def: GlobalDef): LValue {
    let t = this.types.resolve(def.type);
    if (t.k === 'array' && t.length === null && def.init) t = { ...t, length: this.initLength(def.init, t) };
    const lv = this.allocate(t, def.name);
    this.globals.set(def.name, lv);
    if (def.init) {
      const saved = this.frames.length;
      this.frames.push({ fn: { name: `(initializer of ${def.name})`, file: def.file, line: def.line, endLine: def.line, ret: VOID, params: [], variadic: false, body: { k: 'block', line: def.line, body: [] }, static: true, inline: false }, scopes: [new Map()], ret: null, line: def.line, lastIf: 0 });
      try { this.initialize(lv, def.init); } finally { this.frames.length = saved; }
    }
    return lv;
  }

  // ---- expressions ----

  evalExpr(e: Expr): Value {
    if (++this.exprDepth > MAX_EXPR_DEPTH) { this.exprDepth = 0; this.fail('expression nested too deeply'); }
    try { return this.evalInner(e); } finally { this.exprDepth--; }
  }

  private evalInner(e: Expr): Value {
    this.tick();
    switch (e.k) {
      case 'num': {
        const t = literalType(e.value, e.unsigned, e.long, e.decimal === true);
        return { t, v: convertInt(e.value, t) };
      }
      case 'char': return { t: INT, v: BigInt.asIntN(8, e.value) };
      case 'str': return this.load(this.lval(e));
      case 'id': {
        const lv = this.lookupLocal(e.name);
        if (lv) return this.load(lv);
        const en = this.program.enumerators.get(e.name) ?? this.extraEnumerators.get(e.name);
        if (en !== undefined) return { t: INT, v: en };
        if (!this.program.functions.has(e.name)) {
          const g = this.global(e.name);
          if (g) return this.load(g);
        }
        if (this.program.functions.has(e.name) || this.boundary.handler(e.name) || BUILTINS.has(e.name) || this.program.prototypes?.has(e.name) || this.boundary.raw?.(e.name)) {
          return { t: { k: 'ptr', to: { k: 'func', ret: INT, params: [], variadic: true } }, v: this.mem.fnAddr(e.name) };
        }
        return this.fail(`unknown identifier ${e.name}`);
      }
      case 'unary': return this.unary(e);
      case 'update': {
        const lv = this.lval(e.arg);
        const cur = this.load(lv);
        const t = this.types.resolve(cur.t);
        let next: Value;
        if (t.k === 'ptr') next = { t, v: BigInt.asUintN(64, cur.v + (e.op === '++' ? 1n : -1n) * BigInt(this.elemSize(t))) };
        else next = this.binary(e.op === '++' ? '+' : '-', cur, { t: INT, v: 1n });
        const stored = this.store(lv, next);
        return e.prefix ? stored : cur;
      }
      case 'bin': {
        if (e.op === '&&') return { t: INT, v: this.truthy(this.evalExpr(e.left)) && this.truthy(this.evalExpr(e.right)) ? 1n : 0n };
        if (e.op === '||') return { t: INT, v: this.truthy(this.evalExpr(e.left)) || this.truthy(this.evalExpr(e.right)) ? 1n : 0n };
        return this.binary(e.op, this.evalExpr(e.left), this.evalExpr(e.right));
      }
      case 'assign': {
        const lv = this.lval(e.left);
        if (e.op === '=') return this.store(lv, this.evalExpr(e.right));
        const cur = this.load(lv);
        const op = e.op.slice(0, -1) as BinOp;
        const rhs = this.evalExpr(e.right);
        const ct = this.types.resolve(cur.t);
        if (ct.k === 'ptr' && (op === '+' || op === '-')) return this.store(lv, this.binary(op, cur, rhs));
        return this.store(lv, this.binary(op, cur, rhs));
      }
      case 'cond': {
        const test = this.evalExpr(e.test);
        const t = this.condType(e);
        let v: Value;
        if (this.truthy(test)) v = e.then ? this.evalExpr(e.then) : test;
        else v = this.evalExpr(e.else);
        return t ? this.convert(v, t) : v;
      }
      case 'call': return this.call(e);
      case 'member': case 'index': return this.load(this.lval(e));
      case 'cast': {
        const to = this.types.resolve(e.type);
        if (e.arg.k === 'init') return this.load(this.compoundLiteral(to, e.arg));
        return this.convert(this.evalExpr(e.arg), to);
      }
      case 'sizeof': {
        const t = e.type ?? this.typeOf(e.arg!);
        return { t: ULONG, v: BigInt(this.types.sizeof(t)) };
      }
      case 'alignof': return { t: ULONG, v: BigInt(this.types.alignof(e.type)) };
      case 'offsetof': return { t: ULONG, v: BigInt(this.offsetOf(e.type, e.path)) };
      case 'comma': {
        let v: Value = this.VOIDV;
        for (const x of e.exprs) v = this.evalExpr(x);
        return v;
      }
      case 'init': return this.fail('initializer list used as a value');
      case 'compound': return this.load(this.compoundLiteral(this.types.resolve(e.type), e.init));
      case 'stmtexpr': {
        const run = (): Value => this.stmtExpr(e.body);
        return this.hooks.stmtExpr ? this.hooks.stmtExpr(e, run, this) : run();
      }
      case 'builtin': {
        const b = BUILTINS.get(e.name);
        if (!b) return this.fail(`unsupported builtin ${e.name}`);
        return b(this, e.args, e);
      }
      case 'unsupported': return this.fail(e.reason);
    }
  }

  private unary(e: Extract<Expr, { k: 'unary' }>): Value {
    switch (e.op) {
      case '&': {
        if (e.arg.k === 'id' && !this.lookupLocal(e.arg.name) && !this.global(e.arg.name) && (this.program.functions.has(e.arg.name) || this.boundary.handler(e.arg.name))) {
          return { t: { k: 'ptr', to: { k: 'func', ret: INT, params: [], variadic: true } }, v: this.mem.fnAddr(e.arg.name) };
        }
        const lv = this.lval(e.arg);
        if (lv.bits !== null) this.fail('address of a bit-field');
        return { t: { k: 'ptr', to: lv.t }, v: lv.addr };
      }
      case '*': return this.load(this.lval(e));
      case '!': return { t: INT, v: this.truthy(this.evalExpr(e.arg)) ? 0n : 1n };
      default: {
        const a = this.evalExpr(e.arg);
        const it = this.intType(a);
        const pt = promote(it);
        const x = convertInt(a.v, pt);
        const v = e.op === '-' ? -x : e.op === '~' ? ~x : x;
        return { t: pt, v: convertInt(v, pt) };
      }
    }
  }

  private intType(a: Value): IntType {
    const t = this.types.intOf(a.t);
    if (!t) this.fail(`${this.types.show(a.t)} used as a number`);
    return t;
  }

  private elemSize(t: CType): number {
    const r = this.types.resolve(t);
    if (r.k !== 'ptr') return 1;
    return this.types.sizeof(r.to);
  }

  /** Binary arithmetic, comparison and bit operators (pointer arithmetic included). */
  binary(op: BinOp, a: Value, b: Value): Value {
    const ta = this.types.resolve(a.t), tb = this.types.resolve(b.t);
    if (ta.k === 'ptr' || tb.k === 'ptr' || ta.k === 'array' || tb.k === 'array') {
      if (op === '+' && ta.k === 'ptr' && tb.k !== 'ptr') return { t: ta, v: BigInt.asUintN(64, a.v + this.signedOf(b) * BigInt(this.elemSize(ta))) };
      if (op === '+' && tb.k === 'ptr' && ta.k !== 'ptr') return { t: tb, v: BigInt.asUintN(64, b.v + this.signedOf(a) * BigInt(this.elemSize(tb))) };
      if (op === '-' && ta.k === 'ptr' && tb.k !== 'ptr') return { t: ta, v: BigInt.asUintN(64, a.v - this.signedOf(b) * BigInt(this.elemSize(ta))) };
      if (op === '-' && ta.k === 'ptr' && tb.k === 'ptr') {
        const size = BigInt(this.elemSize(ta) || 1);
        return { t: LONG, v: BigInt.asIntN(64, BigInt.asIntN(64, a.v - b.v) / size) };
      }
      switch (op) {
        case '==': return { t: INT, v: a.v === b.v ? 1n : 0n };
        case '!=': return { t: INT, v: a.v !== b.v ? 1n : 0n };
        case '<': return { t: INT, v: BigInt.asUintN(64, a.v) < BigInt.asUintN(64, b.v) ? 1n : 0n };
        case '>': return { t: INT, v: BigInt.asUintN(64, a.v) > BigInt.asUintN(64, b.v) ? 1n : 0n };
        case '<=': return { t: INT, v: BigInt.asUintN(64, a.v) <= BigInt.asUintN(64, b.v) ? 1n : 0n };
        case '>=': return { t: INT, v: BigInt.asUintN(64, a.v) >= BigInt.asUintN(64, b.v) ? 1n : 0n };
        default: return this.intBinary(op, { t: ULONG, v: BigInt.asUintN(64, a.v) }, { t: ULONG, v: BigInt.asUintN(64, b.v) });
      }
    }
    return this.intBinary(op, a, b);
  }

  private signedOf(v: Value): bigint {
    const it = this.intType(v);
    return it.signed ? v.v : BigInt.asIntN(64, v.v);
  }

  private intBinary(op: BinOp, a: Value, b: Value): Value {
    const ia = this.intType(a), ib = this.intType(b);
    if (op === '<<' || op === '>>') {
      const t = promote(ia);
      const n = b.v;
      if (n < 0n || n >= BigInt(t.bits)) this.fail(`shift count ${n} out of range for a ${t.bits}-bit ${t.signed ? 'signed' : 'unsigned'} value`);
      const x = convertInt(a.v, t);
      this.tick(t.bits > 64 ? 2 : 1);
      return { t, v: convertInt(op === '<<' ? x << n : x >> n, t) };
    }
    const t = usual(ia, ib);
    const x = convertInt(a.v, t), y = convertInt(b.v, t);
    if (t.bits > 64) this.tick(1);
    switch (op) {
      case '+': return { t, v: convertInt(x + y, t) };
      case '-': return { t, v: convertInt(x - y, t) };
      case '*': return { t, v: convertInt(x * y, t) };
      case '/': if (y === 0n) this.fail('division by zero'); return { t, v: convertInt(x / y, t) };
      case '%': if (y === 0n) this.fail('division by zero (modulo)'); return { t, v: convertInt(x % y, t) };
      case '&': return { t, v: convertInt(x & y, t) };
      case '|': return { t, v: convertInt(x | y, t) };
      case '^': return { t, v: convertInt(x ^ y, t) };
      case '==': return { t: INT, v: x === y ? 1n : 0n };
      case '!=': return { t: INT, v: x !== y ? 1n : 0n };
      case '<': return { t: INT, v: x < y ? 1n : 0n };
      case '>': return { t: INT, v: x > y ? 1n : 0n };
      case '<=': return { t: INT, v: x <= y ? 1n : 0n };
      case '>=': return { t: INT, v: x >= y ? 1n : 0n };
      default: return this.fail(`operator ${op} not supported here`);
    }
  }

  /** The type of a ?: expression when both arms are arithmetic (usual conversions), else null. */
  private condType(e: Extract<Expr, { k: 'cond' }>): CType | null {
    let a: CType, b: CType;
    try {
      a = this.types.resolve(e.then ? this.typeOf(e.then) : this.typeOf(e.test));
      b = this.types.resolve(this.typeOf(e.else));
    } catch { return null; }
    const ia = a.k === 'int' || a.k === 'bool' || a.k === 'enum' ? this.types.intOf(a) : null;
    const ib = b.k === 'int' || b.k === 'bool' || b.k === 'enum' ? this.types.intOf(b) : null;
    if (ia && ib) return usual(ia, ib);
    return null;
  }

  /** An lvalue expression's place. */
  lval(e: Expr): LValue {
    switch (e.k) {
      case 'id': {
        const lv = this.lookupLocal(e.name) ?? this.global(e.name);
        if (!lv) return this.fail(this.program.enumerators.has(e.name) ? `enumerator ${e.name} is not an lvalue` : `unknown identifier ${e.name}`);
        return lv;
      }
      case 'unary': {
        if (e.op !== '*') break;
        const p = this.evalExpr(e.arg);
        const t = this.types.resolve(p.t);
        if (t.k !== 'ptr') return this.fail(`dereference of a non-pointer (${this.types.show(t)})`);
        const to = this.types.resolve(t.to);
        if (to.k === 'func') return { t: to, addr: p.v, bitOff: 0, bits: null };
        return { t: t.to, addr: p.v, bitOff: 0, bits: null };
      }
      case 'member': {
        let base: bigint, st: CType;
        if (e.arrow) {
          const p = this.evalExpr(e.object);
          const t = this.types.resolve(p.t);
          if (t.k !== 'ptr') return this.fail(`-> on a non-pointer (${this.types.show(t)})`);
          base = p.v; st = t.to;
        } else {
          const o = this.structPlace(e.object);
          base = o.addr; st = o.t;
        }
        const f = this.types.field(st, e.field);
        if (base === 0n) this.fail(`NULL pointer dereference (->${e.field})`);
        return { t: f.type, addr: BigInt.asUintN(64, base + BigInt(f.offset)), bitOff: f.bitOffset, bits: f.bits };
      }
      case 'index': {
        let p = this.evalExpr(e.object), i = this.evalExpr(e.index);
        if (this.types.resolve(p.t).k !== 'ptr') [p, i] = [i, p];
        const t = this.types.resolve(p.t);
        if (t.k !== 'ptr') return this.fail('subscript of a non-array');
        const size = this.types.sizeof(t.to);
        return { t: t.to, addr: BigInt.asUintN(64, p.v + this.signedOf(i) * BigInt(size)), bitOff: 0, bits: null };
      }
      case 'str': {
        let lv = this.strings.get(e);
        if (!lv) {
          const bytes = new TextEncoder().encode(e.value);
          const t: CType = { k: 'array', of: CHAR, length: bytes.length + 1 };
          lv = this.allocate(t, 'string literal');
          const o = this.mem.objectAt(lv.addr)!;
          o.bytes.set(bytes, 0);
          o.readonly = true;
          this.strings.set(e, lv);
        }
        return lv;
      }
      case 'compound': return this.compoundLiteral(this.types.resolve(e.type), e.init);
      case 'cast': if (e.arg.k === 'init') return this.compoundLiteral(this.types.resolve(e.type), e.arg); break;
      case 'stmtexpr': case 'call': case 'cond': case 'comma': case 'assign': {
        // a struct-valued expression used as an object (f().x, ({ s; }).y)
        const v = this.evalExpr(e);
        if (this.types.resolve(v.t).k === 'struct') return { t: v.t, addr: v.v, bitOff: 0, bits: null };
        break;
      }
      default: break;
    }
    return this.fail(`expression is not an lvalue (${e.k})`);
  }

  private structPlace(e: Expr): { addr: bigint; t: CType } {
    const lv = this.lval(e);
    return { addr: lv.addr, t: lv.t };
  }

  private compoundLiteral(t: CType, init: Expr): LValue {
    let tt = t;
    if (tt.k === 'array' && tt.length === null) tt = { ...tt, length: this.initLength(init, tt) };
    const lv = this.allocate(tt, 'compound literal');
    this.initialize(lv, init);
    return lv;
  }

  private offsetOf(type: CType, path: (string | Expr)[]): number {
    let t = this.types.resolve(type);
    let off = 0;
    for (const p of path) {
      if (typeof p === 'string') {
        const f = this.types.field(t, p);
        off += f.offset;
        t = this.types.resolve(f.type);
      } else {
        if (t.k !== 'array') this.fail('offsetof subscript of a non-array');
        off += Number(this.evalExpr(p).v) * this.types.sizeof(t.of);
        t = this.types.resolve(t.of);
      }
    }
    return off;
  }

  // ---- static types (sizeof, typeof, ?:) ----

  typeOf(e: Expr): CType {
    const hit = this.typeCache.get(e);
    if (hit && e.k !== 'id') return hit;
    const t = this.typeOfInner(e);
    this.typeCache.set(e, t);
    return t;
  }

  private typeOfInner(e: Expr): CType {
    switch (e.k) {
      case 'num': return literalType(e.value, e.unsigned, e.long, e.decimal === true);
      case 'char': return INT;
      case 'str': return { k: 'array', of: CHAR, length: new TextEncoder().encode(e.value).length + 1 };
      case 'id': {
        const lv = this.lookupLocal(e.name);
        if (lv) return lv.t;
        if (this.program.enumerators.has(e.name) || this.extraEnumerators.has(e.name)) return INT;
        const g = this.program.globals.get(e.name);
        if (g) {
          // an unsized array's length comes from its initializer: materialize it for sizeof
          const t = this.types.resolve(g.type);
          if (t.k === 'array' && t.length === null && g.init) return this.global(e.name)?.t ?? g.type;
          return this.globals.get(e.name)?.t ?? g.type;
        }
        const b = this.boundary.global?.(e.name, this);
        if (b) return b.t;
        const f = this.program.functions.get(e.name);
        if (f) return { k: 'func', ret: f.ret, params: f.params.map(p => p.type), variadic: f.variadic };
        return this.fail(`unknown identifier ${e.name}`);
      }
      case 'unary': {
        if (e.op === '&') return { k: 'ptr', to: this.typeOf(e.arg) };
        if (e.op === '*') {
          const t = this.types.resolve(this.typeOf(e.arg));
          if (t.k === 'ptr') return t.to;
          if (t.k === 'array') return t.of;
          return this.fail('dereference of a non-pointer');
        }
        if (e.op === '!') return INT;
        return promote(this.types.intOf(this.typeOf(e.arg)) ?? INT);
      }
      case 'update': return this.typeOf(e.arg);
      case 'bin': {
        if (['&&', '||', '==', '!=', '<', '>', '<=', '>='].includes(e.op)) return INT;
        const a = this.types.resolve(this.typeOf(e.left)), b = this.types.resolve(this.typeOf(e.right));
        if (e.op === '-' && (a.k === 'ptr' || a.k === 'array') && (b.k === 'ptr' || b.k === 'array')) return LONG;
        if (a.k === 'ptr') return a;
        if (a.k === 'array') return { k: 'ptr', to: a.of };
        if (b.k === 'ptr') return b;
        if (b.k === 'array') return { k: 'ptr', to: b.of };
        const ia = this.types.intOf(a) ?? INT, ib = this.types.intOf(b) ?? INT;
        if (e.op === '<<' || e.op === '>>') return promote(ia);
        return usual(ia, ib);
      }
      case 'assign': return this.typeOf(e.left);
      case 'cond': {
        const t = this.condType(e);
        if (t) return t;
        return this.typeOf(e.then ?? e.test);
      }
      case 'call': {
        if (e.callee.k === 'id') {
          const f = this.program.functions.get(e.callee.name);
          if (f) return f.ret;
          const p = this.program.prototypes?.get(e.callee.name);
          if (p && p.k === 'func') return p.ret;
          if (BUILTINS.has(e.callee.name)) return LONG;
        }
        const t = this.types.resolve(this.typeOf(e.callee));
        if (t.k === 'func') return t.ret;
        if (t.k === 'ptr') { const f = this.types.resolve(t.to); if (f.k === 'func') return f.ret; }
        return INT;
      }
      case 'member': {
        let st: CType;
        if (e.arrow) {
          const t = this.types.resolve(this.typeOf(e.object));
          if (t.k !== 'ptr') return this.fail('-> on a non-pointer');
          st = t.to;
        } else st = this.typeOf(e.object);
        return this.types.field(st, e.field).type;
      }
      case 'index': {
        let t = this.types.resolve(this.typeOf(e.object));
        if (t.k !== 'ptr' && t.k !== 'array') t = this.types.resolve(this.typeOf(e.index));
        if (t.k === 'ptr') return t.to;
        if (t.k === 'array') return t.of;
        return this.fail('subscript of a non-array');
      }
      case 'cast': return e.type;
      case 'sizeof': case 'alignof': case 'offsetof': return ULONG;
      case 'comma': return this.typeOf(e.exprs[e.exprs.length - 1]);
      case 'compound': return e.type;
      case 'stmtexpr': {
        const last = e.body.body[e.body.body.length - 1];
        if (last && last.k === 'expr') {
          // the last expression may name the block's own locals: evaluate its type in a scope with them
          return this.withBlockScope(e.body, () => this.typeOf(last.expr));
        }
        return VOID;
      }
      case 'builtin': return e.name === '__builtin_constant_p' || e.name === '__builtin_types_compatible_p' ? INT : LONG;
      case 'init': return this.fail('initializer list has no type');
      case 'unsupported': return this.fail(e.reason);
    }
  }

  /** Declares (without running) a block's locals, for typeof of a statement expression's value. */
  private withBlockScope<T>(b: Block, f: () => T): T {
    const frame = this.frames[this.frames.length - 1];
    if (!frame) return f();
    const scope = new Map<string, LValue>();
    for (const s of b.body) if (s.k === 'decl') for (const d of s.decls) scope.set(d.name, { t: d.type.k === 'typeof' ? this.typeOf(d.type.expr) : d.type, addr: 0n, bitOff: 0, bits: null });
    frame.scopes.push(scope);
    try { return f(); } finally { frame.scopes.pop(); }
  }

  // ---- calls ----

  private call(e: Extract<Expr, { k: 'call' }>): Value {
    // `(typeof(x))(a)` read by tree-sitter as a call of typeof(x): a cast of a to x's type
    const c = e.callee;
    if (c.k === 'call' && c.callee.k === 'id' && (c.callee.name === 'typeof' || c.callee.name === '__typeof__') && c.args.length === 1 && e.args.length === 1) {
      return this.convert(this.evalExpr(e.args[0]), this.types.resolve(this.typeOf(c.args[0])));
    }
    // `(gfn_t)(x)` read as a call of a typedef name: a cast
    if (c.k === 'id' && e.args.length === 1 && this.program.typedefs.has(c.name) && !this.program.functions.has(c.name) && !this.lookupLocal(c.name)) {
      return this.convert(this.evalExpr(e.args[0]), this.types.resolve({ k: 'named', name: c.name }));
    }
    let name: string | null = null;
    if (e.callee.k === 'id' && !this.lookupLocal(e.callee.name)) {
      const n = e.callee.name;
      if (this.program.functions.has(n) || !this.program.globals.has(n) || this.program.globals.get(n)!.extern) name = n;
    }
    if (name !== null) {
      const b = BUILTINS.get(name);
      if (b) return b(this, e.args, e);
      const raw = this.boundary.raw?.(name);
      if (raw) {
        const frame = this.frames[this.frames.length - 1];
        if (frame) frame.line = e.line;
        this.tick();
        return raw(this, e.args, { name, args: e.args, location: this.where(), line: e.line });
      }
    } else {
      const f = this.evalExpr(e.callee);
      name = this.mem.fnName(f.v);
      if (name === null) return this.fail(f.v === 0n ? 'call through a NULL function pointer' : `call through a pointer that is no function (0x${f.v.toString(16)})`);
      const b = BUILTINS.get(name);
      if (b) return b(this, e.args, e);
    }
    const args = e.args.map(a => this.evalExpr(a));
    const frame = this.frames[this.frames.length - 1];
    if (frame) frame.line = e.line;
    return this.callNamed(name, args, { name, args: e.args, location: this.where(), line: e.line });
  }

  /** Calls by name: the boundary's handler, else the tree's function. */
  callNamed(name: string, args: Value[], site: CallSite): Value {
    const h = this.boundary.handler(name);
    if (h) { this.tick(); return h(this, args, site); }
    const fn = this.program.functions.get(name);
    if (!fn) return this.fail(`cannot run ${name}: no body in the tree${this.frames.length ? ` (called from ${this.frames[this.frames.length - 1].fn.name})` : ''}`);
    return this.callFunction(fn, args);
  }

  callFunction(fn: FunctionDef, args: Value[]): Value {
    if (this.frames.length >= this.maxDepth) this.fail(`call depth budget exhausted (${this.maxDepth}) calling ${fn.name}`);
    if (args.length < fn.params.length && !(fn.params.length === 1 && this.types.resolve(fn.params[0].type).k === 'void')) this.fail(`${fn.name} called with ${args.length} arguments, needs ${fn.params.length}`);
    const frame: Frame = { fn, scopes: [new Map()], ret: null, line: fn.line, lastIf: 0, id: ++this.frameIds, parent: this.frames[this.frames.length - 1]?.id ?? 0, callLine: this.frames[this.frames.length - 1]?.line ?? 0 };
    this.frames.push(frame);
    try {
      this.hooks.enter?.(fn, this);
      fn.params.forEach((p, i) => {
        if (!p.name) return;
        const t = this.types.resolve(p.type);
        const pt: CType = t.k === 'array' ? { k: 'ptr', to: t.of } : t;
        const lv = this.allocate(pt, p.name);
        this.store(lv, args[i]);
        frame.scopes[0].set(p.name, lv);
      });
      let c: C;
      try { c = this.execBlock(fn.body, false); }
      catch (x) { if (x instanceof Leave) c = x.code; else throw x; }
      if (c === C.GOTO) this.fail(`goto ${this.gotoLabel}: label not found in ${fn.name}`);
      if (c === C.BREAK || c === C.CONTINUE) this.fail(`break/continue outside a loop in ${fn.name}`);
      const rt = this.types.resolve(fn.ret);
      let out: Value;
      if (rt.k === 'void') out = this.VOIDV;
      else if (!frame.ret) out = { t: rt, v: 0n };
      else if (rt.k === 'struct') {
        const copy = this.allocate(rt, `${fn.name}() result`);
        this.store(copy, frame.ret);
        out = { t: rt, v: copy.addr };
      } else out = this.convert(frame.ret, rt);
      this.hooks.leave?.(fn, out, this);
      return out;
    } catch (x) {
      if (x instanceof InterpError && !x.location) throw new InterpError(x.reason, this.where());
      throw x;
    } finally { this.frames.pop(); }
  }

  // ---- statements ----

  private stmtExpr(b: Block): Value {
    const frame = this.frames[this.frames.length - 1];
    if (!frame) return this.fail('statement expression outside a function');
    frame.scopes.push(new Map());
    try {
      const n = b.body.length;
      for (let i = 0; i < n; i++) {
        const s = b.body[i];
        if (i === n - 1 && s.k === 'expr') { frame.line = s.line; return this.evalExpr(s.expr); }
        const c = this.exec(s);
        if (c === C.GOTO) {
          const j = this.findLabel(b.body, this.gotoLabel);
          if (j >= 0) { i = j - 1; continue; }
        }
        if (c !== C.NORMAL) throw new Leave(c);
      }
      return this.VOIDV;
    } finally { frame.scopes.pop(); }
  }

  private labelsIn(s: Stmt): Set<string> {
    let set = this.labelCache.get(s);
    if (set) return set;
    set = new Set();
    const walk = (x: Stmt | null): void => {
      if (!x) return;
      switch (x.k) {
        case 'label': set!.add(x.label); walk(x.stmt); break;
        case 'block': for (const y of x.body) walk(y); break;
        case 'if': walk(x.then); walk(x.else); break;
        case 'while': case 'do': case 'for': case 'switch': walk(x.body); break;
        default: break;
      }
    };
    walk(s);
    this.labelCache.set(s, set);
    return set;
  }

  private findLabel(body: Stmt[], label: string): number {
    for (let i = 0; i < body.length; i++) if (this.labelsIn(body[i]).has(label)) return i;
    return -1;
  }

  private execBlock(b: Block, scope = true): C {
    const frame = this.frames[this.frames.length - 1];
    if (scope) frame.scopes.push(new Map());
    try { return this.execList(b.body, 0); } finally { if (scope) frame.scopes.pop(); }
  }

  private execList(body: Stmt[], start: number): C {
    let i = start;
    if (this.seeking !== null) {
      i = this.findLabel(body, this.seeking);
      if (i < 0) return C.NORMAL;
    }
    for (; i < body.length; i++) {
      const c = this.exec(body[i]);
      if (c === C.NORMAL) continue;
      if (c === C.GOTO) {
        const j = this.findLabel(body, this.gotoLabel);
        if (j >= 0) { this.seeking = this.gotoLabel; i = j - 1; continue; }
      }
      return c;
    }
    return C.NORMAL;
  }

  private exec(s: Stmt): C {
    this.tick();
    const frame = this.frames[this.frames.length - 1];
    if (this.seeking !== null) return this.seek(s);
    frame.line = s.line;
    this.hooks.line?.(frame.fn, s.line);
    switch (s.k) {
      case 'block': return this.execBlock(s);
      case 'decl': for (const d of s.decls) this.declare(d, s.static); return C.NORMAL;
      case 'expr': this.evalExpr(s.expr); return C.NORMAL;
      case 'if': {
        if (this.truthy(this.evalExpr(s.test))) { frame.lastIf = s.line; return this.exec(s.then); }
        return s.else ? this.exec(s.else) : C.NORMAL;
      }
      case 'switch': return this.execSwitch(s);
      case 'case': return C.NORMAL; // reached by fallthrough
      case 'while':
        while (this.truthy(this.evalExpr(s.test))) {
          const c = this.exec(s.body);
          if (c === C.BREAK) break;
          if (c === C.CONTINUE || c === C.NORMAL) continue;
          return c;
        }
        return C.NORMAL;
      case 'do':
        do {
          const c = this.exec(s.body);
          if (c === C.BREAK) break;
          if (c !== C.CONTINUE && c !== C.NORMAL) return c;
        } while (this.truthy(this.evalExpr(s.test)));
        return C.NORMAL;
      case 'for': {
        frame.scopes.push(new Map());
        try {
          if (s.init) this.exec(s.init);
          while (!s.test || this.truthy(this.evalExpr(s.test))) {
            const c = this.exec(s.body);
            if (c === C.BREAK) break;
            if (c !== C.CONTINUE && c !== C.NORMAL) return c;
            if (s.update) this.evalExpr(s.update);
          }
          return C.NORMAL;
        } finally { frame.scopes.pop(); }
      }
      case 'break': return C.BREAK;
      case 'continue': return C.CONTINUE;
      case 'return':
        frame.ret = s.value ? this.evalExpr(s.value) : null;
        if (this.hooks.constReturn && s.value && frame.ret && isConstant(this, s.value)) this.hooks.constReturn(frame.fn, frame.lastIf || s.line, frame.ret, { id: frame.id ?? 0, parent: frame.parent ?? 0, callLine: frame.callLine ?? 0 });
        return C.RETURN;
      case 'goto': this.gotoLabel = s.label; return C.GOTO;
      case 'label': return s.stmt ? this.exec(s.stmt) : C.NORMAL;
      case 'empty': return C.NORMAL;
      case 'unsupported': return this.fail(`cannot run ${frame.fn.name}: ${s.reason}`);
    }
  }

  /** Looking for the label of a goto inside this statement: enter it without running what precedes. */
  private seek(s: Stmt): C {
    const label = this.seeking!;
    if (!this.labelsIn(s).has(label)) return C.NORMAL;
    switch (s.k) {
      case 'label':
        if (s.label === label) { this.seeking = null; return s.stmt ? this.exec(s.stmt) : C.NORMAL; }
        return s.stmt ? this.exec(s.stmt) : C.NORMAL;
      case 'block': return this.execBlock(s);
      case 'if': return this.labelsIn(s.then).has(label) ? this.exec(s.then) : s.else ? this.exec(s.else) : C.NORMAL;
      case 'while': case 'do': case 'for': case 'switch': {
        // enter the loop body at the label, then continue the loop normally
        let c = this.exec(s.body);
        if (s.k === 'switch') return c === C.BREAK ? C.NORMAL : c;
        for (;;) {
          if (c === C.BREAK) return C.NORMAL;
          if (c !== C.CONTINUE && c !== C.NORMAL) return c;
          if (s.k === 'for' && s.update) this.evalExpr(s.update);
          const test = s.k === 'for' ? s.test : s.test;
          if (test && !this.truthy(this.evalExpr(test))) return C.NORMAL;
          c = this.exec(s.body);
        }
      }
      default: return C.NORMAL;
    }
  }

  private execSwitch(s: Extract<Stmt, { k: 'switch' }>): C {
    const v = this.evalExpr(s.test);
    const it = promote(this.intType(v));
    const x = convertInt(v.v, it);
    const body = s.body.k === 'block' ? s.body.body : [s.body];
    let start = -1, dflt = -1;
    for (let i = 0; i < body.length && start < 0; i++) {
      const c = body[i];
      if (c.k !== 'case') continue;
      if (c.value === null) { dflt = i; continue; }
      const lo = convertInt(this.evalExpr(c.value).v, it);
      if (c.rangeEnd) {
        const hi = convertInt(this.evalExpr(c.rangeEnd).v, it);
        if (x >= lo && x <= hi) start = i;
      } else if (lo === x) start = i;
    }
    if (start < 0) start = dflt;
    if (start < 0) return C.NORMAL;
    const frame = this.frames[this.frames.length - 1];
    frame.scopes.push(new Map());
    try {
      const c = this.execList(body, start);
      return c === C.BREAK ? C.NORMAL : c;
    } finally { frame.scopes.pop(); }
  }

  private declare(d: Declarator, isStatic: boolean): void {
    const frame = this.frames[this.frames.length - 1];
    if (isStatic) {
      let lv = this.statics.get(d);
      if (!lv) {
        lv = this.allocate(this.declType(d), d.name);
        this.statics.set(d, lv);
        if (d.init) this.initialize(lv, d.init);
      }
      frame.scopes[frame.scopes.length - 1].set(d.name, lv);
      return;
    }
    const lv = this.allocate(this.declType(d), d.name);
    // the name is visible in its own initializer (C scope rule), after the storage exists
    frame.scopes[frame.scopes.length - 1].set(d.name, lv);
    if (d.init) this.initialize(lv, d.init);
  }

  private declType(d: Declarator): CType {
    let t = d.type.k === 'typeof' ? this.typeOf(d.type.expr) : this.types.resolve(d.type);
    t = this.types.resolve(t);
    if (t.k === 'array' && t.length === null && d.init) t = { ...t, length: this.initLength(d.init, t) };
    else if (t.k === 'array' && t.length === null && t.lengthExpr) {
      // a length the front end could not fold (e.g. ARRAY_SIZE(mmu->pdptrs)): evaluated here
      t = { ...t, length: this.types.arrayLength(t) };
    }
    return t;
  }

  private initLength(init: Expr, t: Extract<CType, { k: 'array' }>): number {
    if (init.k === 'str') return new TextEncoder().encode(init.value).length + 1;
    if (init.k !== 'init') return 1;
    let n = 0, next = 0;
    for (const it of init.items) {
      const d = it.designators[0];
      if (d !== undefined && typeof d !== 'string') next = Number(this.evalExpr(d).v);
      next++;
      n = Math.max(n, next);
    }
    void t;
    return n;
  }

  /** Stores an initializer (expression, string, or braced list with designators) into an object. */
  initialize(lv: LValue, init: Expr): void {
    const t = this.types.resolve(lv.t);
    if (init.k !== 'init') {
      if (t.k === 'array' && init.k === 'str') {
        const bytes = new TextEncoder().encode(init.value);
        const o = this.mem.locate(lv.addr, 1);
        const n = Math.min(bytes.length, (t.length ?? bytes.length + 1));
        o.obj.bytes.set(bytes.subarray(0, n), o.off);
        return;
      }
      if (t.k === 'array') { this.fail('array initialized from an expression'); }
      this.store(lv, this.evalExpr(init));
      return;
    }
    if (t.k === 'struct') {
      const l = this.types.layout(t);
      // a type the front end did not parse (spinlock_t = __SPIN_LOCK_UNLOCKED(...)): left zeroed
      if (this.types.opaque.has(this.types.structKey(l.def))) return;
      let pos = 0;
      for (const item of init.items) {
        let target: LValue;
        if (item.designators.length) {
          target = this.designate(lv, item.designators);
          const first = item.designators[0];
          if (typeof first === 'string') {
            const k = l.slots.findIndex(f => f.name === first);
            pos = k >= 0 ? k + 1 : l.slots.findIndex(f => f.name === '' && this.hasField(f.type, first)) + 1;
          }
        } else {
          // positional: the next member in declaration order (unnamed bit-fields skipped)
          while (pos < l.slots.length && l.slots[pos].name === '' && l.slots[pos].bits !== null) pos++;
          const f = l.slots[pos++];
          if (!f) this.fail('too many initializers for the struct');
          target = { t: f.type, addr: lv.addr + BigInt(f.offset), bitOff: f.bitOffset, bits: f.bits };
          if (t.union) pos = l.slots.length;
        }
        this.initialize(target, item.value);
      }
      return;
    }
    if (t.k === 'array') {
      let idx = 0;
      const size = this.types.sizeof(t.of);
      for (const item of init.items) {
        let target: LValue;
        if (item.designators.length) {
          target = this.designate(lv, item.designators);
          const first = item.designators[0];
          if (typeof first !== 'string') idx = Number(this.evalExpr(first).v) + 1;
        } else {
          if (t.length !== null && idx >= t.length) this.fail('too many initializers for the array');
          target = { t: t.of, addr: lv.addr + BigInt(idx * size), bitOff: 0, bits: null };
          idx++;
        }
        this.initialize(target, item.value);
      }
      return;
    }
    // scalar in braces: { x }
    if (init.items.length) this.initialize(lv, init.items[0].value);
  }

  private hasField(t: CType, name: string): boolean {
    try { return this.types.layout(t).fields.has(name); } catch { return false; }
  }

  private designate(lv: LValue, path: (string | Expr)[]): LValue {
    let cur = lv;
    for (const d of path) {
      const t = this.types.resolve(cur.t);
      if (typeof d === 'string') {
        const f = this.types.field(t, d);
        cur = { t: f.type, addr: cur.addr + BigInt(f.offset), bitOff: f.bitOffset, bits: f.bits };
      } else {
        if (t.k !== 'array') this.fail('[index] designator on a non-array');
        const i = Number(this.evalExpr(d).v);
        if (i < 0 || (t.length !== null && i >= t.length)) this.fail(`designator index ${i} out of range`);
        cur = { t: t.of, addr: cur.addr + BigInt(i * this.types.sizeof(t.of)), bitOff: 0, bits: null };
      }
    }
    return cur;
  }
}

export interface InterpSnapshot { mem: MemSnapshot; globals: Map<string, LValue>; statics: Map<Declarator, LValue>; strings: Map<Expr, LValue>; notes: string[] }

export type BinOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^' | '==' | '!=' | '<' | '>' | '<=' | '>=';

export { BOOL, INT, LONG, ULONG, VOID };
