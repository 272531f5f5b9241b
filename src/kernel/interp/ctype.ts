// C types for the interpreter: typedef resolution, x86-64 (LP64, System V) sizes, alignment and
// struct/union layout (bit-fields included), and C's integer rules in ONE place: integer
// promotions, the usual arithmetic conversions, conversion (truncation / sign extension / bool)
// on store, and the type of an integer literal.
import type { CType, Expr, Program, StructDef } from '../ast';
import { InterpError } from './errors';

export type IntType = { k: 'int'; bits: 8 | 16 | 32 | 64 | 128; signed: boolean };

export const INT: IntType = { k: 'int', bits: 32, signed: true };
export const UINT: IntType = { k: 'int', bits: 32, signed: false };
export const LONG: IntType = { k: 'int', bits: 64, signed: true };
export const ULONG: IntType = { k: 'int', bits: 64, signed: false };
export const CHAR: IntType = { k: 'int', bits: 8, signed: true };
export const UCHAR: IntType = { k: 'int', bits: 8, signed: false };
export const BOOL: CType = { k: 'bool' };
export const VOID: CType = { k: 'void' };
export const VOIDP: CType = { k: 'ptr', to: VOID };
export const CHARP: CType = { k: 'ptr', to: CHAR };

export interface FieldLayout {
  name: string;
  type: CType;
  /** byte offset of the field (of its storage unit for a bit-field) */
  offset: number;
  /** bit-field: bit offset inside the unit at `offset` and width */
  bitOffset: number;
  bits: number | null;
}
export interface Layout {
  size: number; align: number;
  /** by name, anonymous members' fields included */
  fields: Map<string, FieldLayout>;
  order: FieldLayout[];
  /** one per StructDef field, in declaration order (anonymous members with name ''), for positional initializers */
  slots: FieldLayout[];
  def: StructDef;
}

/** Type services bound to one Program (typedefs and struct definitions), with caches. */
export class Types {
  private readonly resolved = new Map<string, CType>();
  private readonly layouts = new Map<string, Layout>();
  private readonly busy = new Set<string>();
  private typeofDepth = 0;
  /** struct definitions the engine supplies for types in headers the front end does not parse */
  readonly extraStructs = new Map<string, StructDef>();
  /** struct/union types used without a definition (laid out as opaque 64-byte objects) */
  readonly opaque = new Set<string>();
  constructor(readonly program: Program, private readonly typeofExpr: (e: Expr) => CType = () => { throw new InterpError('typeof needs the interpreter'); }) {}

  /** Strips typedef names (recursively); other types are returned as they are. */
  resolve(t: CType): CType {
    let guard = 0;
    if (t.k === 'typeof') {
      if (++this.typeofDepth > 32) { this.typeofDepth = 0; throw new InterpError(`typeof refers to itself (${JSON.stringify(t.expr, (_k, v) => typeof v === 'bigint' ? String(v) : v).slice(0, 200)})`); }
      try { return this.resolve(this.typeofExpr(t.expr)); } finally { this.typeofDepth = Math.max(0, this.typeofDepth - 1); }
    }
    while (t.k === 'named') {
      const cached = this.resolved.get(t.name);
      if (cached) return cached;
      const next = this.program.typedefs.get(t.name);
      if (!next) {
        // a typedef from a header the front end did not parse: an opaque object (see layout)
        const opaque: CType = { k: 'struct', tag: `(typedef ${t.name})`, union: false };
        this.resolved.set(t.name, opaque);
        return opaque;
      }
      if (++guard > 64) throw new InterpError(`typedef ${t.name} refers to itself`);
      if (next.k === 'typeof') return this.resolve(next);
      if (next.k !== 'named') { this.resolved.set(t.name, next); return next; }
      t = next;
    }
    return t;
  }

  structKey(t: { tag: string; union: boolean }): string { return `${t.union ? 'union' : 'struct'} ${t.tag}`; }

  layout(t: CType): Layout {
    const r = this.resolve(t);
    if (r.k !== 'struct') throw new InterpError(`not a struct or union: ${this.show(r)}`);
    const key = this.structKey(r);
    const hit = this.layouts.get(key);
    if (hit) return hit;
    const def = this.program.structs.get(key) ?? this.extraStructs.get(key);
    if (!def) {
      // A struct the front end did not parse (its header is read for directives only): an opaque
      // 64-byte object. Layouts only need to be self-consistent; a member access to it fails with
      // "has no member", naming the type.
      this.opaque.add(key);
      const l: Layout = { size: 64, align: 8, fields: new Map(), order: [], slots: [], def: { tag: r.tag, union: r.union, fields: [], file: '(not parsed)', line: 0 } };
      this.layouts.set(key, l);
      return l;
    }
    if (this.busy.has(key)) throw new InterpError(`${key} contains itself`);
    this.busy.add(key);
    try {
      const l = this.computeLayout(def);
      this.layouts.set(key, l);
      return l;
    } finally { this.busy.delete(key); }
  }

  private computeLayout(def: StructDef): Layout {
    const fields = new Map<string, FieldLayout>();
    const order: FieldLayout[] = [];
    const slots: FieldLayout[] = [];
    const packed = def.packed === true;
    let size = 0; // bytes used so far (structs) / max size (unions)
    let bitPos = 0; // bit position for bit-fields (structs)
    let align = def.aligned ?? 1;
    const add = (f: FieldLayout): void => {
      order.push(f);
      if (f.name) fields.set(f.name, f);
    };
    for (const f of def.fields) {
      const ft = this.resolve(f.type);
      const fsize = this.sizeof(ft);
      let falign = packed ? 1 : this.alignof(ft);
      if (f.aligned) falign = Math.max(falign, f.aligned);
      if (f.bits !== null) {
        const unitBits = fsize * 8;
        if (f.bits > unitBits) throw new InterpError(`bit-field ${f.name ?? '(anonymous)'} wider than its type`);
        if (def.union) {
          const fl = { name: f.name ?? '', type: f.type, offset: 0, bitOffset: 0, bits: f.bits };
          add(fl); slots.push(fl);
          size = Math.max(size, fsize);
        } else {
          if (f.bits === 0) { bitPos = Math.ceil(bitPos / (falign * 8)) * falign * 8; continue; }
          // GCC: a bit-field goes at the next bit unless it would cross its type's aligned unit
          const unitStart = Math.floor(bitPos / (falign * 8)) * falign * 8;
          if (!packed && bitPos + f.bits > unitStart + unitBits) bitPos = Math.ceil(bitPos / (falign * 8)) * falign * 8;
          const start = packed ? Math.floor(bitPos / 8) : Math.floor(bitPos / (falign * 8)) * falign;
          const fl = { name: f.name ?? '', type: f.type, offset: start, bitOffset: bitPos - start * 8, bits: f.bits };
          if (f.name) add(fl);
          slots.push(fl);
          bitPos += f.bits;
          size = Math.ceil(bitPos / 8);
        }
        if (f.name) align = Math.max(align, falign);
        continue;
      }
      let offset: number;
      if (def.union) offset = 0;
      else {
        const cur = Math.ceil(bitPos / 8);
        offset = Math.ceil(Math.max(size, cur) / falign) * falign;
      }
      align = Math.max(align, falign);
      if (f.name === null) {
        // anonymous struct/union member: its fields are the parent's
        if (ft.k !== 'struct') throw new InterpError('anonymous member that is not a struct or union');
        const inner = this.layout(ft);
        for (const g of inner.order) add({ ...g, offset: g.offset + offset });
        slots.push({ name: '', type: f.type, offset, bitOffset: 0, bits: null });
      } else {
        const fl = { name: f.name, type: f.type, offset, bitOffset: 0, bits: null };
        add(fl); slots.push(fl);
      }
      if (def.union) size = Math.max(size, fsize);
      else { size = offset + fsize; bitPos = size * 8; }
    }
    const total = Math.ceil(size / align) * align;
    return { size: total, align, fields, order, slots, def };
  }

  sizeof(t: CType): number {
    const r = this.resolve(t);
    switch (r.k) {
      case 'void': return 1; // GNU: arithmetic on void * is byte arithmetic
      case 'bool': return 1;
      case 'int': return r.bits / 8;
      case 'enum': return 4;
      case 'ptr': return 8;
      case 'func': return 1;
      case 'array': {
        const n = r.length ?? this.arrayLength(r);
        const s = this.sizeof(r.of) * n;
        if (!Number.isSafeInteger(s) || s > 1 << 30) throw new InterpError(`array too large (${n} elements)`);
        return s;
      }
      case 'struct': return this.layout(r).size;
      case 'named': case 'typeof': return this.sizeof(this.resolve(r));
    }
  }

  alignof(t: CType): number {
    const r = this.resolve(t);
    switch (r.k) {
      case 'int': return r.bits / 8;
      case 'array': return this.alignof(r.of);
      case 'struct': return this.layout(r).align;
      case 'void': case 'bool': case 'func': return 1;
      case 'enum': return 4;
      case 'ptr': return 8;
      case 'named': case 'typeof': return this.alignof(this.resolve(r));
    }
  }

  /** The length of an array whose size the front end could not fold (evaluated once per type node). */
  private readonly lengths = new WeakMap<object, number>();
  evalLength: ((e: Expr) => bigint) | null = null;
  arrayLength(t: Extract<CType, { k: 'array' }>): number {
    if (!t.lengthExpr || !this.evalLength) return 0;
    const hit = this.lengths.get(t);
    if (hit !== undefined) return hit;
    const n = this.evalLength(t.lengthExpr);
    if (n < 0n || n > 1n << 24n) throw new InterpError(`array length ${n}`);
    this.lengths.set(t, Number(n));
    return Number(n);
  }

  /** A field of a struct/union type (anonymous members flattened). */
  field(t: CType, name: string): FieldLayout {
    const l = this.layout(t);
    const f = l.fields.get(name);
    if (!f) throw new InterpError(`${this.structKey(l.def)} has no member ${name}${this.opaque.has(this.structKey(l.def)) ? ' (the type is not parsed from the tree)' : ''}`);
    return f;
  }

  /** The integer type of a scalar (bool, enum, pointer included) or null for other types. */
  intOf(t: CType): IntType | null {
    const r = this.resolve(t);
    if (r.k === 'int') return r;
    if (r.k === 'enum') return INT;
    if (r.k === 'bool') return UCHAR;
    if (r.k === 'ptr') return ULONG;
    return null;
  }

  isScalar(t: CType): boolean {
    const k = this.resolve(t).k;
    return k === 'int' || k === 'bool' || k === 'enum' || k === 'ptr';
  }

  show(t: CType): string {
    switch (t.k) {
      case 'void': return 'void';
      case 'bool': return 'bool';
      case 'int': return `${t.signed ? 's' : 'u'}${t.bits}`;
      case 'ptr': return `${this.show(t.to)} *`;
      case 'array': return `${this.show(t.of)}[${t.length ?? ''}]`;
      case 'struct': return this.structKey(t);
      case 'enum': return `enum ${t.tag ?? ''}`;
      case 'func': return `${this.show(t.ret)} (*)()`;
      case 'named': return t.name;
      case 'typeof': return 'typeof(...)';
    }
  }

  /** Are two types the same (for __builtin_types_compatible_p)? Top-level qualifiers are not modeled. */
  same(a: CType, b: CType): boolean {
    const x = this.resolve(a), y = this.resolve(b);
    if (x.k !== y.k) return false;
    switch (x.k) {
      case 'int': return x.bits === (y as IntType).bits && x.signed === (y as IntType).signed;
      case 'ptr': return this.same(x.to, (y as typeof x).to);
      case 'array': return this.same(x.of, (y as typeof x).of);
      case 'struct': return x.tag === (y as typeof x).tag && x.union === (y as typeof x).union;
      case 'enum': return x.tag === (y as typeof x).tag;
      default: return true;
    }
  }
}

// ---- C integer rules (the one place) ----

/** Integer promotion: bool, enums and types narrower than int become int. */
export function promote(t: IntType | CType): IntType {
  if (t.k === 'int') return t.bits < 32 ? INT : t;
  if (t.k === 'ptr') return ULONG;
  return INT;
}

/** The usual arithmetic conversions of two (already integer) operand types. */
export function usual(a: IntType, b: IntType): IntType {
  const x = promote(a), y = promote(b);
  if (x.bits === y.bits && x.signed === y.signed) return x;
  if (x.signed === y.signed) return x.bits > y.bits ? x : y;
  const u = x.signed ? y : x, s = x.signed ? x : y;
  if (u.bits >= s.bits) return u;
  return s; // the signed type is wider, so it represents every value of the unsigned one
}

/** Conversion of a value to an integer type: truncation, sign extension, or bool's != 0. */
export function convertInt(v: bigint, t: CType): bigint {
  switch (t.k) {
    case 'bool': return v !== 0n ? 1n : 0n;
    case 'int': return t.signed ? BigInt.asIntN(t.bits, v) : BigInt.asUintN(t.bits, v);
    case 'enum': return BigInt.asIntN(32, v);
    case 'ptr': return BigInt.asUintN(64, v);
    default: return v;
  }
}

/** The type of an integer literal (C11 6.4.4.1): the first of the candidate types that holds it. */
export function literalType(value: bigint, unsigned: boolean, long: number, decimal: boolean): IntType {
  const fits = (t: IntType): boolean => t.signed ? value <= (1n << BigInt(t.bits - 1)) - 1n : value <= (1n << BigInt(t.bits)) - 1n;
  const cands: IntType[] = [];
  if (long === 0) cands.push(...(unsigned ? [UINT] : decimal ? [INT] : [INT, UINT]));
  if (long <= 1) cands.push(...(unsigned ? [ULONG] : decimal ? [LONG] : [LONG, ULONG]));
  cands.push(...(unsigned ? [ULONG] : decimal ? [LONG] : [LONG, ULONG]));
  for (const t of cands) if (fits(t)) return t;
  return ULONG; // GCC: a too-large decimal literal is unsigned (with a warning)
}
