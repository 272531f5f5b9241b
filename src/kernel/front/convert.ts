// tree-sitter-c's concrete tree → the engine's plain-data syntax tree (src/kernel/ast.ts).
//
// The converter never throws on C it does not understand: such a construct becomes an
// `unsupported` node with a one-line reason (counted in UnitPieces.unsupported), which the
// interpreter reports only if a path reaches it. Every node carries the 1-based line of its
// first token; since the preprocessor keeps one output line per input line, that is the line of
// the original file.
//
// tree-sitter knows nothing of typedefs, so a few ambiguities are settled here with the set of
// typedef names seen so far (ConvertContext.typedefNames): `sizeof(x)`, `typeof(x)` and
// `(x) - y` (a cast of `-y` to type x, or a subtraction?).
import type { Node, Parser } from 'web-tree-sitter';
import type { Block, CType, Declarator, EnumMember, Expr, FunctionDef, GlobalDef, Param, Program, Stmt, StructDef, StructField } from '../ast';

/** An enum as written: members whose value is an expression or implicit (null: previous + 1). */
export interface EnumDef { tag: string | null; members: EnumMember[]; file: string; line: number }

/** What one translation unit (one prepared file) contributes to a Program. */
export interface UnitPieces {
  file: string;
  functions: FunctionDef[];
  structs: StructDef[];
  typedefs: [string, CType][];
  enums: EnumDef[];
  globals: GlobalDef[];
  /** function declarations without a body (name → signature), e.g. the boundary's externs */
  prototypes: [string, CType][];
  notes: string[];
  /** how many `unsupported` nodes this unit produced */
  unsupported: number;
}

/** State shared across the units of one program (typedef names decide tree-sitter's ambiguities). */
export interface ConvertContext {
  typedefNames: Set<string>;
  anon: number;
  /** the typeof(expression) operands of the file being converted (`__kvm_typeof_<i>`, see preprocess.ts) */
  typeofs?: Expr[];
}

/** Typedef names of the kernel's basic types, known before any header is read (snippet tests). */
export const KERNEL_BASIC_TYPEDEFS: [string, CType][] = [
  ...([8, 16, 32, 64] as const).flatMap(bits => [
    [`u${bits}`, { k: 'int', bits, signed: false }],
    [`s${bits}`, { k: 'int', bits, signed: true }],
    [`__u${bits}`, { k: 'int', bits, signed: false }],
    [`__s${bits}`, { k: 'int', bits, signed: true }],
    [`uint${bits}_t`, { k: 'int', bits, signed: false }],
    [`int${bits}_t`, { k: 'int', bits, signed: true }],
  ] as [string, CType][]),
  ['size_t', { k: 'int', bits: 64, signed: false }],
  ['ssize_t', { k: 'int', bits: 64, signed: true }],
  ['uintptr_t', { k: 'int', bits: 64, signed: false }],
  ['intptr_t', { k: 'int', bits: 64, signed: true }],
  ['ptrdiff_t', { k: 'int', bits: 64, signed: true }],
  ['gpa_t', { k: 'int', bits: 64, signed: false }],
  ['gva_t', { k: 'int', bits: 64, signed: false }],
  ['hpa_t', { k: 'int', bits: 64, signed: false }],
  ['gfn_t', { k: 'int', bits: 64, signed: false }],
];

export function newConvertContext(typedefNames: Iterable<string> = []): ConvertContext {
  return { typedefNames: new Set(typedefNames), anon: 0 };
}

const INT = (bits: 8 | 16 | 32 | 64 | 128, signed: boolean): CType => ({ k: 'int', bits, signed });

const PRIMITIVES: Record<string, CType> = {
  void: { k: 'void' }, bool: { k: 'bool' }, _Bool: { k: 'bool' },
  char: INT(8, true), int: INT(32, true),
  size_t: INT(64, false), ssize_t: INT(64, true), ptrdiff_t: INT(64, true), intptr_t: INT(64, true), uintptr_t: INT(64, false),
  int8_t: INT(8, true), int16_t: INT(16, true), int32_t: INT(32, true), int64_t: INT(64, true),
  uint8_t: INT(8, false), uint16_t: INT(16, false), uint32_t: INT(32, false), uint64_t: INT(64, false),
  __int128: INT(128, true),
};

const BIN_OPS = new Set(['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '&&', '||', '==', '!=', '<', '>', '<=', '>=']);
const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^=']);

/** Parses a C integer literal ("0x1fULL", "0777", "12u"); null for floats and junk. */
export function parseIntLiteral(text: string): { value: bigint; unsigned: boolean; long: number; decimal?: boolean } | null {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text.replace(/'/g, ''));
  if (!m) return null;
  const digits = m[1]!;
  const suffix = m[2]!.toLowerCase();
  if (!/^(u?l{0,2}|l{1,2}u)$/.test(suffix)) return null;
  let value: bigint;
  if (/^0[bB]/.test(digits)) value = BigInt(digits);
  else if (/^0[0-7]+$/.test(digits)) value = BigInt('0o' + digits.slice(1));
  else value = BigInt(digits);
  const r: { value: bigint; unsigned: boolean; long: number; decimal?: boolean } = { value, unsigned: suffix.includes('u'), long: (suffix.match(/l/g) ?? []).length };
  if (/^[1-9]/.test(digits) || digits === '0') r.decimal = true;
  return r;
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };

/** The code points of a C string/char literal body (escapes decoded). */
function decodeEscapes(body: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') { out.push(body.codePointAt(i)!); continue; }
    const n = body[i + 1];
    if (n === undefined) break;
    if (n === 'x') {
      const m = /^[0-9a-fA-F]+/.exec(body.slice(i + 2));
      out.push(m ? parseInt(m[0], 16) : 0); i += 1 + (m ? m[0].length : 0); continue;
    }
    if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i + 1))!;
      out.push(parseInt(m[0], 8)); i += m[0].length; continue;
    }
    out.push(SIMPLE_ESCAPES[n] ?? n.charCodeAt(0)); i++;
  }
  return out;
}

/** Converts one tree-sitter translation unit. Never throws on odd C (unsupported nodes instead). */
export function convertUnit(root: Node, file: string, ctx: ConvertContext = newConvertContext(KERNEL_BASIC_TYPEDEFS.map(t => t[0]))): UnitPieces {
  const pieces: UnitPieces = { file, functions: [], structs: [], typedefs: [], enums: [], globals: [], prototypes: [], notes: [], unsupported: 0 };
  const line = (n: Node): number => n.startPosition.row + 1;

  const unsupportedExpr = (n: Node, reason: string): Expr => {
    pieces.unsupported++;
    return { k: 'unsupported', line: line(n), reason: `${reason} (${file}:${line(n)})` };
  };
  const unsupportedStmt = (n: Node, reason: string): Stmt => {
    pieces.unsupported++;
    return { k: 'unsupported', line: line(n), reason: `${reason} (${file}:${line(n)})` };
  };
  const snippet = (n: Node): string => n.text.replace(/\s+/g, ' ').slice(0, 60);

  const isTypedefName = (name: string): boolean => ctx.typedefNames.has(name) || name in PRIMITIVES;

  // ---------------------------------------------------------------- types
  /** The base type of a declaration/field/parameter/type_descriptor (its `type` field). */
  function baseType(typeNode: Node | null, owner: Node): CType {
    if (!typeNode) {
      // `unsigned x;` and friends: sized_type_specifier without a type field is handled below;
      // a declaration with no type at all is implicit int.
      return INT(32, true);
    }
    switch (typeNode.type) {
      case 'primitive_type': return PRIMITIVES[typeNode.text] ?? (pieces.unsupported++, { k: 'named', name: typeNode.text });
      case 'type_identifier': {
        const name = typeNode.text;
        if (name === '_Bool') return { k: 'bool' };
        const m = /^__kvm_typeof_(\d+)$/.exec(name);
        if (m) {
          const e = ctx.typeofs?.[Number(m[1])];
          return { k: 'typeof', expr: e ?? unsupportedExpr(typeNode, 'typeof operand not prepared') };
        }
        return { k: 'named', name };
      }
      case 'sized_type_specifier': return sizedType(typeNode);
      case 'struct_specifier': case 'union_specifier': return structType(typeNode);
      case 'enum_specifier': return enumType(typeNode);
      case 'macro_type_specifier': {
        const name = typeNode.childForFieldName('name')?.text ?? '';
        const td = typeNode.childForFieldName('type');
        if (name === 'typeof' || name === '__typeof__' || name === '__typeof') {
          if (!td) return { k: 'named', name: '<typeof?>' };
          const inner = td.childForFieldName('type');
          const decl = td.childForFieldName('declarator');
          if (inner && !decl && inner.type === 'type_identifier' && !isTypedefName(inner.text)) {
            return { k: 'typeof', expr: { k: 'id', name: inner.text, line: line(inner) } };
          }
          return typeDescriptor(td);
        }
        pieces.unsupported++;
        pieces.notes.push(`${file}:${line(typeNode)}: type macro ${name}(…) left unexpanded`);
        return { k: 'named', name: typeNode.text };
      }
      default:
        pieces.unsupported++;
        pieces.notes.push(`${file}:${line(owner)}: type ${typeNode.type} not understood: ${snippet(typeNode)}`);
        return { k: 'named', name: typeNode.text };
    }
  }

  function sizedType(n: Node): CType {
    let unsigned = false, longs = 0, short = false, char = false;
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === 'unsigned') unsigned = true;
      else if (c.type === 'long') longs++;
      else if (c.type === 'short') short = true;
      else if (c.type === 'primitive_type' && c.text === 'char') char = true;
      else if (c.type === 'primitive_type' && c.text === '__int128') return INT(128, !unsigned);
      else if (c.type === 'type_identifier' && c.text === '__int128') return INT(128, !unsigned);
    }
    if (char) return INT(8, !unsigned);
    if (short) return INT(16, !unsigned);
    if (longs > 0) return INT(64, !unsigned);
    return INT(32, !unsigned);
  }

  function structType(n: Node): CType {
    const union = n.type === 'union_specifier';
    const nameNode = n.childForFieldName('name');
    const body = n.childForFieldName('body');
    const tag = nameNode ? nameNode.text : `<anon ${file}:${line(n)}:${n.startPosition.column}#${++ctx.anon}>`;
    if (body) {
      const fields: StructField[] = [];
      for (const fd of body.namedChildren) {
        if (!fd) continue;
        if (fd.type === 'field_declaration') fields.push(...fieldDeclaration(fd));
        else if (fd.type === 'comment' || fd.type === 'preproc_call') continue;
        else { pieces.unsupported++; pieces.notes.push(`${file}:${line(fd)}: struct member not understood: ${snippet(fd)}`); }
      }
      const def: StructDef = { tag, union, fields, file, line: line(n) };
      if (n.namedChildren.some(c => c?.type === 'attribute_specifier' && /\bpacked\b|__packed__/.test(c.text))) def.packed = true;
      pieces.structs.push(def);
    }
    return { k: 'struct', tag, union };
  }

  function enumType(n: Node): CType {
    const nameNode = n.childForFieldName('name');
    const body = n.childForFieldName('body');
    const tag = nameNode ? nameNode.text : null;
    if (body) {
      const members: EnumMember[] = [];
      for (const e of body.namedChildren) {
        if (!e || e.type !== 'enumerator') continue;
        const v = e.childForFieldName('value');
        members.push({ name: e.childForFieldName('name')?.text ?? '?', value: v ? expr(v) : null, line: line(e) });
      }
      pieces.enums.push({ tag, members, file, line: line(n) });
    }
    return { k: 'enum', tag };
  }

  /** Applies a declarator to a base type; returns the declared name (null when abstract). */
  function declare(base: CType, d: Node | null, guard = 0): { name: string | null; type: CType; params?: Param[]; variadic?: boolean } {
    if (!d || guard > 64) return { name: null, type: base };
    switch (d.type) {
      case 'identifier': case 'field_identifier': case 'type_identifier': case 'primitive_type':
        return { name: d.text, type: base };
      case 'pointer_declarator': case 'abstract_pointer_declarator':
        return declare({ k: 'ptr', to: base }, d.childForFieldName('declarator'), guard + 1);
      case 'array_declarator': case 'abstract_array_declarator': {
        const size = d.childForFieldName('size');
        let t: CType;
        if (!size) t = { k: 'array', of: base, length: null };
        else {
          const e = expr(size);
          const v = e.k === 'num' ? Number(e.value) : null;
          t = v === null ? { k: 'array', of: base, length: null, lengthExpr: e } : { k: 'array', of: base, length: v };
        }
        return declare(t, d.childForFieldName('declarator'), guard + 1);
      }
      case 'function_declarator': case 'abstract_function_declarator': {
        const { params, variadic } = parameterList(d.childForFieldName('parameters'));
        const ft: CType = { k: 'func', ret: base, params: params.map(p => p.type), variadic };
        const inner = d.childForFieldName('declarator');
        const r = declare(ft, inner, guard + 1);
        // keep the parameter names of the outermost function declarator that names the function
        if (inner && (inner.type === 'identifier' || inner.type === 'field_identifier' || inner.type === 'parenthesized_declarator' || inner.type === 'attributed_declarator')) return { ...r, params: r.params ?? params, variadic: r.variadic ?? variadic };
        return r;
      }
      case 'parenthesized_declarator': case 'abstract_parenthesized_declarator': case 'attributed_declarator': {
        const inner = d.namedChildren.find(c => c && c.type !== 'attribute_specifier' && c.type !== 'comment') ?? null;
        return declare(base, inner, guard + 1);
      }
      case 'init_declarator':
        return declare(base, d.childForFieldName('declarator'), guard + 1);
      default:
        pieces.unsupported++;
        pieces.notes.push(`${file}:${line(d)}: declarator ${d.type} not understood: ${snippet(d)}`);
        return { name: null, type: base };
    }
  }

  function parameterList(pl: Node | null): { params: Param[]; variadic: boolean } {
    const params: Param[] = [];
    let variadic = false;
    if (!pl) return { params, variadic };
    for (const p of pl.namedChildren) {
      if (!p) continue;
      if (p.type === 'variadic_parameter') { variadic = true; continue; }
      if (p.type !== 'parameter_declaration') continue;
      const base = baseType(p.childForFieldName('type'), p);
      const r = declare(base, p.childForFieldName('declarator'));
      let type = r.type;
      // array and function parameters decay to pointers
      if (type.k === 'array') type = { k: 'ptr', to: type.of };
      else if (type.k === 'func') type = { k: 'ptr', to: type };
      params.push({ name: r.name, type });
    }
    if (params.length === 1 && params[0]!.name === null && params[0]!.type.k === 'void') params.length = 0;
    if (pl.children.some(c => c?.type === '...')) variadic = true;
    return { params, variadic };
  }

  function typeDescriptor(td: Node): CType {
    return declare(baseType(td.childForFieldName('type'), td), td.childForFieldName('declarator')).type;
  }

  function fieldDeclaration(fd: Node): StructField[] {
    const base = baseType(fd.childForFieldName('type'), fd);
    const typeNode = fd.childForFieldName('type');
    // children in order: declarator [bitfield_clause] , declarator [bitfield_clause] ...
    const out: StructField[] = [];
    let pending: StructField | null = null;
    const width = (b: Node): number | null => {
      const e = b.namedChildren[0] ? expr(b.namedChildren[0]) : null;
      const v = e ? constEval(e, new Map()) : null;
      if (v === null) { pieces.unsupported++; pieces.notes.push(`${file}:${line(fd)}: bit-field width not a number: ${snippet(b)}`); return null; }
      return Number(v);
    };
    for (const c of fd.namedChildren) {
      if (!c || c.type === 'comment' || c.type === 'attribute_specifier' || (typeNode && c.id === typeNode.id)) continue;
      if (c.type === 'bitfield_clause') {
        if (pending) pending.bits = width(c);
        else out.push({ name: null, type: base, bits: width(c) }); // unnamed bit-field `u32 : 3;`
        pending = null;
        continue;
      }
      if (c.type === 'type_qualifier' || c.type === 'storage_class_specifier') continue;
      const r = declare(base, c);
      pending = { name: r.name, type: r.type, bits: null };
      out.push(pending);
    }
    // anonymous struct/union member
    if (out.length === 0) out.push({ name: null, type: base, bits: null });
    return out;
  }

  function hasSpecifier(n: Node, word: string): boolean {
    return n.children.some(c => c && (c.type === 'storage_class_specifier' || c.type === 'type_qualifier') && c.text === word);
  }
  function isInline(n: Node): boolean {
    return n.children.some(c => c && c.type === 'storage_class_specifier' && /^(__)?inline(__)?$|^__forceinline$/.test(c.text));
  }
  function isConst(n: Node): boolean {
    return n.children.some(c => c && c.type === 'type_qualifier' && c.text === 'const');
  }

  // ---------------------------------------------------------------- top level
  function topLevel(n: Node): void {
    switch (n.type) {
      case 'function_definition': functionDefinition(n); return;
      case 'declaration': fileScopeDeclaration(n); return;
      case 'type_definition': typeDefinition(n); return;
      case 'struct_specifier': case 'union_specifier': case 'enum_specifier': baseType(n, n); return;
      case 'comment': case ';': case 'expression_statement': return;
      case 'linkage_specification': { const b = n.childForFieldName('body'); if (b) for (const c of b.namedChildren) if (c) topLevel(c); return; }
      case 'declaration_list': for (const c of n.namedChildren) if (c) topLevel(c); return;
      case 'ERROR': {
        // error recovery: whatever tree-sitter could still recognise inside is kept
        pieces.unsupported++;
        pieces.notes.push(`${file}:${line(n)}: not parsed: ${snippet(n)}`);
        for (const c of n.namedChildren) if (c && (c.type === 'function_definition' || c.type === 'declaration' || c.type === 'type_definition')) topLevel(c);
        return;
      }
      default:
        if (n.type.startsWith('preproc_')) {
          pieces.notes.push(`${file}:${line(n)}: preprocessor line left in the text: ${snippet(n)}`);
          for (const c of n.namedChildren) if (c) topLevel(c);
          return;
        }
        pieces.unsupported++;
        pieces.notes.push(`${file}:${line(n)}: top-level ${n.type} not understood: ${snippet(n)}`);
    }
  }

  function functionDefinition(n: Node): void {
    const base = baseType(n.childForFieldName('type'), n);
    const r = declare(base, n.childForFieldName('declarator'));
    const bodyNode = n.childForFieldName('body');
    if (!r.name || r.type.k !== 'func' || !bodyNode) {
      pieces.unsupported++;
      pieces.notes.push(`${file}:${line(n)}: function definition not understood: ${snippet(n)}`);
      return;
    }
    const body = block(bodyNode);
    pieces.functions.push({
      name: r.name, file, line: line(n), endLine: n.endPosition.row + 1,
      ret: r.type.ret, params: r.params ?? [], variadic: r.variadic ?? r.type.variadic, body,
      static: hasSpecifier(n, 'static'), inline: isInline(n),
    });
  }

  function fileScopeDeclaration(n: Node): void {
    const base = baseType(n.childForFieldName('type'), n);
    const isStatic = hasSpecifier(n, 'static');
    const isExtern = hasSpecifier(n, 'extern');
    const cnst = isConst(n);
    for (const d of n.childrenForFieldName('declarator')) {
      if (!d) continue;
      const r = declare(base, d);
      if (!r.name) continue;
      if (r.type.k === 'func') { pieces.prototypes.push([r.name, r.type]); continue; }
      const initNode = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      const init = initNode ? expr(initNode) : null;
      const g: GlobalDef = { name: r.name, type: fixArrayLength(r.type, init), init, file, line: line(d), const: cnst, static: isStatic };
      if (isExtern && !init) g.extern = true;
      pieces.globals.push(g);
    }
  }

  function typeDefinition(n: Node): void {
    const base = baseType(n.childForFieldName('type'), n);
    for (const d of n.childrenForFieldName('declarator')) {
      if (!d) continue;
      const r = declare(base, d);
      if (!r.name || r.name === 'bool' || r.name in PRIMITIVES && r.name !== 'size_t' && r.name !== 'ssize_t') continue;
      ctx.typedefNames.add(r.name);
      pieces.typedefs.push([r.name, r.type]);
    }
  }

  /** `int a[] = {1, 2, 3}` gets its length from the initializer. */
  function fixArrayLength(t: CType, init: Expr | null): CType {
    if (t.k !== 'array' || t.length !== null || t.lengthExpr || !init) return t;
    if (init.k === 'str') return { ...t, length: init.value.length + 1 };
    if (init.k !== 'init') return t;
    let next = 0, max = 0, known = true;
    for (const it of init.items) {
      const d0 = it.designators[0];
      if (d0 !== undefined && typeof d0 !== 'string') {
        if (d0.k === 'num') next = Number(d0.value);
        else { known = false; break; }
      }
      next++;
      if (next > max) max = next;
    }
    // designators with constants the converter cannot see yet (macros expanded to enumerators):
    // mergeUnits computes the length from the initializer
    return known ? { ...t, length: max } : t;
  }

  // ---------------------------------------------------------------- statements
  function block(n: Node): Block {
    const body: Stmt[] = [];
    for (const c of n.namedChildren) if (c) stmtInto(c, body);
    return { k: 'block', line: line(n), body };
  }

  /** Converts a statement, flattening `case x: a; b;` (tree-sitter nests the statements). */
  function stmtInto(n: Node, out: Stmt[]): void {
    if (n.type === 'comment') return;
    if (n.type === 'case_statement') {
      const v0 = n.childForFieldName('value');
      // `case __kvm_case_range(a, b):` is the preprocessor's spelling of GNU `case a ... b:`
      if (v0 && v0.type === 'call_expression' && v0.childForFieldName('function')?.text === '__kvm_case_range') {
        const ab = named(v0.childForFieldName('arguments')!);
        out.push({ k: 'case', line: line(n), value: ab[0] ? expr(ab[0]) : unsupportedExpr(v0, 'case range'), rangeEnd: ab[1] ? expr(ab[1]) : unsupportedExpr(v0, 'case range') });
        for (const c of n.namedChildren) if (c && c.id !== v0.id && c.type !== 'comment') stmtInto(c, out);
        return;
      }
      const v = v0;
      let rangeEnd: Expr | null = null;
      let skipFirst = false;
      const rest = n.namedChildren.filter((c): c is Node => !!c && !(v && c.id === v.id) && c.type !== 'comment');
      // GNU `case a ... b:` comes out of tree-sitter as the value then an ERROR holding b
      const maybeRange = rest[0];
      if (maybeRange && maybeRange.type === 'ERROR' && /^\.\.\./.test(maybeRange.text.trim())) {
        const e = maybeRange.namedChildren[0];
        rangeEnd = e ? expr(e) : unsupportedExpr(maybeRange, 'case range not understood');
        skipFirst = true;
      }
      out.push({ k: 'case', line: line(n), value: v ? expr(v) : null, rangeEnd });
      for (const c of skipFirst ? rest.slice(1) : rest) stmtInto(c, out);
      return;
    }
    out.push(stmt(n));
  }

  function stmtOrEmpty(n: Node | null, at: Node): Stmt {
    return n ? stmt(n) : { k: 'empty', line: line(at) };
  }

  function stmt(n: Node): Stmt {
    const L = line(n);
    switch (n.type) {
      case 'compound_statement': return block(n);
      case 'expression_statement': {
        const e = n.namedChildren.find(c => c && c.type !== 'comment');
        if (!e) return { k: 'empty', line: L };
        if (e.type === 'gnu_asm_expression') return unsupportedStmt(n, 'inline assembly');
        return { k: 'expr', line: L, expr: expr(e) };
      }
      case 'declaration': return localDeclaration(n);
      case 'type_definition': typeDefinition(n); return { k: 'empty', line: L };
      case 'if_statement': {
        const alt = n.childForFieldName('alternative');
        const altStmt = alt ? (alt.type === 'else_clause' ? alt.namedChildren.find(c => c && c.type !== 'comment') ?? null : alt) : null;
        return { k: 'if', line: L, test: condition(n.childForFieldName('condition'), n), then: stmtOrEmpty(n.childForFieldName('consequence'), n), else: altStmt ? stmt(altStmt) : null };
      }
      case 'switch_statement': return { k: 'switch', line: L, test: condition(n.childForFieldName('condition'), n), body: stmtOrEmpty(n.childForFieldName('body'), n) };
      case 'while_statement': return { k: 'while', line: L, test: condition(n.childForFieldName('condition'), n), body: stmtOrEmpty(n.childForFieldName('body'), n) };
      case 'do_statement': return { k: 'do', line: L, body: stmtOrEmpty(n.childForFieldName('body'), n), test: condition(n.childForFieldName('condition'), n) };
      case 'for_statement': {
        const initNode = n.childForFieldName('initializer');
        let init: Stmt | null = null;
        if (initNode) init = initNode.type === 'declaration' ? localDeclaration(initNode) : { k: 'expr', line: line(initNode), expr: expr(initNode) };
        const test = n.childForFieldName('condition');
        const update = n.childForFieldName('update');
        return { k: 'for', line: L, init, test: test ? expr(test) : null, update: update ? expr(update) : null, body: stmtOrEmpty(n.childForFieldName('body'), n) };
      }
      case 'break_statement': return { k: 'break', line: L };
      case 'continue_statement': return { k: 'continue', line: L };
      case 'return_statement': {
        const v = n.namedChildren.find(c => c && c.type !== 'comment');
        return { k: 'return', line: L, value: v ? expr(v) : null };
      }
      case 'goto_statement': return { k: 'goto', line: L, label: n.childForFieldName('label')?.text ?? '?' };
      case 'labeled_statement': {
        const label = n.childForFieldName('label')?.text ?? '?';
        const inner = n.namedChildren.find(c => c && c.type !== 'statement_identifier' && c.type !== 'comment') ?? null;
        return { k: 'label', line: L, label, stmt: inner ? stmt(inner) : null };
      }
      case 'attributed_statement': {
        // `fallthrough;` is __attribute__((__fallthrough__)); — nothing to do
        const inner = n.namedChildren.find(c => c && c.type !== 'attribute_declaration' && c.type !== 'attribute_specifier') ?? null;
        return inner ? stmt(inner) : { k: 'empty', line: L };
      }
      case ';': return { k: 'empty', line: L };
      case 'gnu_asm_expression': return unsupportedStmt(n, 'inline assembly');
      case 'case_statement': { const out: Stmt[] = []; stmtInto(n, out); return { k: 'block', line: L, body: out }; }
      case 'ERROR': return unsupportedStmt(n, `statement not parsed: ${snippet(n)}`);
      default:
        if (n.type.startsWith('preproc_')) return unsupportedStmt(n, `preprocessor line left in a function: ${snippet(n)}`);
        return unsupportedStmt(n, `statement ${n.type} not understood: ${snippet(n)}`);
    }
  }

  function condition(n: Node | null, at: Node): Expr {
    if (!n) return unsupportedExpr(at, 'missing condition');
    if (n.type === 'parenthesized_expression') {
      const inner = n.namedChildren.filter(c => c && c.type !== 'comment');
      if (inner.length === 1) return expr(inner[0]!);
    }
    return expr(n);
  }

  function localDeclaration(n: Node): Stmt {
    const base = baseType(n.childForFieldName('type'), n);
    const decls: Declarator[] = [];
    for (const d of n.childrenForFieldName('declarator')) {
      if (!d) continue;
      const r = declare(base, d);
      if (!r.name) continue;
      if (r.type.k === 'func') continue; // a local prototype
      const initNode = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      const init = initNode ? expr(initNode) : null;
      let type = fixArrayLength(r.type, init);
      if (type.k === 'named' && type.name === '__auto_type' && init) type = { k: 'typeof', expr: init };
      decls.push({ name: r.name, type, init, line: line(d) });
    }
    return { k: 'decl', line: line(n), decls, static: hasSpecifier(n, 'static') };
  }

  // ---------------------------------------------------------------- expressions
  function named(n: Node): Node[] {
    return n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  }

  function expr(n: Node): Expr {
    const L = line(n);
    switch (n.type) {
      case 'number_literal': {
        if (/^[-+]/.test(n.text)) {
          const v = parseIntLiteral(n.text.slice(1));
          if (!v) return unsupportedExpr(n, `number ${n.text} (floating point?)`);
          const num: Expr = { k: 'num', line: L, ...v };
          return n.text[0] === '-' ? { k: 'unary', line: L, op: '-', arg: num } : num;
        }
        const v = parseIntLiteral(n.text);
        return v ? { k: 'num', line: L, ...v } : unsupportedExpr(n, `number ${n.text} (floating point?)`);
      }
      case 'char_literal': {
        const m = /^[LuU]?'([\s\S]*)'$/.exec(n.text);
        const cps = m ? decodeEscapes(m[1]!) : [];
        return cps.length ? { k: 'char', line: L, value: BigInt(cps[0]!) } : unsupportedExpr(n, `character ${n.text}`);
      }
      case 'string_literal': return { k: 'str', line: L, value: stringValue(n) };
      case 'concatenated_string': return { k: 'str', line: L, value: named(n).filter(c => c.type === 'string_literal').map(stringValue).join('') };
      case 'true': return { k: 'num', line: L, value: 1n, unsigned: false, long: 0 };
      case 'false': return { k: 'num', line: L, value: 0n, unsigned: false, long: 0 };
      case 'null': return { k: 'cast', line: L, type: { k: 'ptr', to: { k: 'void' } }, arg: { k: 'num', line: L, value: 0n, unsigned: false, long: 0 } };
      case 'identifier': case 'field_identifier': case 'type_identifier': return { k: 'id', line: L, name: n.text };
      case 'parenthesized_expression': {
        const inner = named(n);
        if (inner.length === 1 && inner[0]!.type === 'compound_statement') return { k: 'stmtexpr', line: L, body: block(inner[0]!) };
        if (inner.length === 1) return expr(inner[0]!);
        return unsupportedExpr(n, `parenthesised expression not understood: ${snippet(n)}`);
      }
      case 'unary_expression': {
        const op = n.childForFieldName('operator')?.type;
        const arg = n.childForFieldName('argument');
        if (!arg || (op !== '!' && op !== '~' && op !== '-' && op !== '+')) return unsupportedExpr(n, `unary ${op}`);
        return { k: 'unary', line: L, op, arg: expr(arg) };
      }
      case 'pointer_expression': {
        const op = n.childForFieldName('operator')?.type;
        const arg = n.childForFieldName('argument');
        if (!arg || (op !== '*' && op !== '&')) return unsupportedExpr(n, `pointer operator ${op}`);
        return { k: 'unary', line: L, op, arg: expr(arg) };
      }
      case 'update_expression': {
        const op = n.childForFieldName('operator')?.type;
        const arg = n.childForFieldName('argument');
        if (!arg || (op !== '++' && op !== '--')) return unsupportedExpr(n, `update ${op}`);
        const prefix = n.children[0]?.type === op;
        return { k: 'update', line: L, op, prefix, arg: expr(arg) };
      }
      case 'binary_expression': {
        const op = n.childForFieldName('operator')?.type ?? '';
        const l = n.childForFieldName('left'), r = n.childForFieldName('right');
        if (!l || !r || !BIN_OPS.has(op)) return unsupportedExpr(n, `binary ${op}`);
        return { k: 'bin', line: L, op: op as never, left: expr(l), right: expr(r) };
      }
      case 'assignment_expression': {
        const op = n.childForFieldName('operator')?.type ?? '';
        const l = n.childForFieldName('left'), r = n.childForFieldName('right');
        if (!l || !r || !ASSIGN_OPS.has(op)) return unsupportedExpr(n, `assignment ${op}`);
        return { k: 'assign', line: L, op: op as never, left: expr(l), right: expr(r) };
      }
      case 'conditional_expression': {
        const c = n.childForFieldName('condition'), t = n.childForFieldName('consequence'), a = n.childForFieldName('alternative');
        if (!c || !a) return unsupportedExpr(n, 'conditional expression not understood');
        return { k: 'cond', line: L, test: expr(c), then: t ? expr(t) : null, else: expr(a) };
      }
      case 'comma_expression': {
        const exprs: Expr[] = [];
        let cur: Node | null = n;
        while (cur && cur.type === 'comma_expression') {
          const l = cur.childForFieldName('left');
          if (l) exprs.push(expr(l));
          cur = cur.childForFieldName('right');
        }
        if (cur) exprs.push(expr(cur));
        return { k: 'comma', line: L, exprs };
      }
      case 'call_expression': return call(n);
      case 'field_expression': {
        const obj = n.childForFieldName('argument'), f = n.childForFieldName('field');
        if (!obj || !f) return unsupportedExpr(n, 'member access not understood');
        return { k: 'member', line: L, object: expr(obj), field: f.text, arrow: n.childForFieldName('operator')?.type === '->' };
      }
      case 'subscript_expression': {
        const obj = n.childForFieldName('argument'), i = n.childForFieldName('index');
        if (!obj || !i) return unsupportedExpr(n, 'subscript not understood');
        return { k: 'index', line: L, object: expr(obj), index: expr(i) };
      }
      case 'cast_expression': return cast(n);
      case 'sizeof_expression': {
        const td = n.childForFieldName('type');
        const v = n.childForFieldName('value');
        if (td) {
          const t = td.childForFieldName('type');
          if (t && t.type === 'type_identifier' && !td.childForFieldName('declarator') && !isTypedefName(t.text)) {
            return { k: 'sizeof', line: L, type: null, arg: { k: 'id', line: line(t), name: t.text } };
          }
          return { k: 'sizeof', line: L, type: typeDescriptor(td), arg: null };
        }
        if (v) {
          // `sizeof(u32)`: tree-sitter reads a parenthesised typedef name as an expression
          const inner = v.type === 'parenthesized_expression' ? named(v) : [];
          if (inner.length === 1 && inner[0]!.type === 'identifier' && isTypedefName(inner[0]!.text)) {
            return { k: 'sizeof', line: L, type: PRIMITIVES[inner[0]!.text] ?? { k: 'named', name: inner[0]!.text }, arg: null };
          }
          return { k: 'sizeof', line: L, type: null, arg: expr(v) };
        }
        return unsupportedExpr(n, 'sizeof not understood');
      }
      case 'alignof_expression': {
        const td = n.childForFieldName('type');
        return td ? { k: 'alignof', line: L, type: typeDescriptor(td) } : unsupportedExpr(n, 'alignof of an expression');
      }
      case 'offsetof_expression': {
        const td = n.childForFieldName('type'), m = n.childForFieldName('member');
        if (!td || !m) return unsupportedExpr(n, 'offsetof not understood');
        return { k: 'offsetof', line: L, type: typeDescriptor(td), path: [m.text] };
      }
      case 'compound_literal_expression': {
        const td = n.childForFieldName('type'), v = n.childForFieldName('value');
        if (!td || !v) return unsupportedExpr(n, 'compound literal not understood');
        return { k: 'compound', line: L, type: typeDescriptor(td), init: expr(v) };
      }
      case 'initializer_list': {
        const items: { designators: (string | Expr)[]; value: Expr }[] = [];
        for (const c of named(n)) {
          if (c.type === 'initializer_pair') {
            const designators: (string | Expr)[] = [];
            for (const d of c.childrenForFieldName('designator')) {
              if (!d) continue;
              if (d.type === 'field_designator') designators.push(d.namedChildren[0]?.text ?? '?');
              else if (d.type === 'subscript_designator') { const e = d.namedChildren[0]; designators.push(e ? expr(e) : unsupportedExpr(d, 'designator')); }
              else if (d.type === 'field_identifier') designators.push(d.text);
              else if (d.type === 'subscript_range_designator') designators.push(unsupportedExpr(d, 'range designator [a ... b]'));
              else designators.push(unsupportedExpr(d, `designator ${d.type}`));
            }
            const v = c.childForFieldName('value');
            items.push({ designators, value: v ? expr(v) : unsupportedExpr(c, 'initializer without value') });
          } else items.push({ designators: [], value: expr(c) });
        }
        return { k: 'init', line: L, items };
      }
      case 'extension_expression': { const e = named(n)[0]; return e ? expr(e) : unsupportedExpr(n, '__extension__'); }
      case 'gnu_asm_expression': return unsupportedExpr(n, 'inline assembly');
      case 'generic_expression': return unsupportedExpr(n, '_Generic');
      case 'compound_statement': return { k: 'stmtexpr', line: L, body: block(n) };
      case 'ERROR': return unsupportedExpr(n, `expression not parsed: ${snippet(n)}`);
      default: return unsupportedExpr(n, `expression ${n.type} not understood: ${snippet(n)}`);
    }
  }

  function stringValue(n: Node): string {
    const m = /^(?:L|u8|u|U)?"([\s\S]*)"$/.exec(n.text);
    return m ? String.fromCodePoint(...decodeEscapes(m[1]!)) : '';
  }

  /** A type written as a builtin's argument, which tree-sitter parses as an expression or ERROR. */
  function typeFromText(text: string): CType | null {
    const t = text.replace(/\s+/g, ' ').trim();
    const m = /^(?:const )?(struct|union|enum) ([A-Za-z_]\w*)((?: ?\*)*)$/.exec(t);
    const ptrs = (s: string, base: CType): CType => { let r = base; for (const _ of s.replace(/ /g, '')) r = { k: 'ptr', to: r }; return r; };
    if (m) return ptrs(m[3]!, m[1] === 'enum' ? { k: 'enum', tag: m[2]! } : { k: 'struct', tag: m[2]!, union: m[1] === 'union' });
    const m2 = /^(?:const )?([A-Za-z_]\w*)((?: ?\*)*)$/.exec(t);
    if (m2 && (isTypedefName(m2[1]!))) return ptrs(m2[2]!, PRIMITIVES[m2[1]!] ?? { k: 'named', name: m2[1]! });
    const m3 = /^((?:(?:unsigned|signed|long|short|int|char) ?)+)((?: ?\*)*)$/.exec(t);
    if (m3) {
      const w = m3[1]!.trim().split(' ');
      const uns = w.includes('unsigned');
      const base = w.includes('char') ? INT(8, !uns) : w.includes('short') ? INT(16, !uns) : w.includes('long') ? INT(64, !uns) : INT(32, !uns);
      return ptrs(m3[2]!, base);
    }
    return null;
  }

  /** Splits an argument_list's text at top-level commas (for builtins whose arguments are types). */
  function splitArgs(argsNode: Node): string[] {
    const t = argsNode.text.replace(/^\(/, '').replace(/\)$/, '');
    const out: string[] = [];
    let depth = 0, cur = '';
    for (const ch of t) {
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') depth--;
      if (ch === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
    }
    if (cur.trim()) out.push(cur);
    return out.map(s => s.trim());
  }

  function call(n: Node): Expr {
    const L = line(n);
    const fn = n.childForFieldName('function');
    const argsNode = n.childForFieldName('arguments');
    if (!fn || !argsNode) return unsupportedExpr(n, 'call not understood');
    const name = fn.type === 'identifier' ? fn.text : null;
    const argList = named(argsNode);
    const castType = (a: Node | undefined): CType | null => {
      // the preprocessor writes type operands as `((T *) 0)`
      let x = a;
      while (x && x.type === 'parenthesized_expression' && named(x).length === 1) x = named(x)[0];
      if (!x || x.type !== 'cast_expression') return null;
      const td = x.childForFieldName('type');
      if (!td) return null;
      const t = typeDescriptor(td);
      return t.k === 'ptr' ? t.to : null;
    };
    if (name === '__builtin_offsetof' && argList.length === 2 && castType(argList[0])) {
      const type = castType(argList[0])!;
      const path: (string | Expr)[] = [];
      let cur: Node | undefined = argList[1];
      let guard = 0;
      while (cur && guard++ < 32) {
        if (cur.type === 'identifier' || cur.type === 'field_identifier') { path.unshift(cur.text); break; }
        if (cur.type === 'field_expression') { const f = cur.childForFieldName('field'); if (!f) break; path.unshift(f.text); cur = cur.childForFieldName('argument') ?? undefined; continue; }
        if (cur.type === 'subscript_expression') { const ix = cur.childForFieldName('index'); if (!ix) break; path.unshift(expr(ix)); cur = cur.childForFieldName('argument') ?? undefined; continue; }
        return unsupportedExpr(n, `offsetof member not understood: ${snippet(n)}`);
      }
      if (!path.length || typeof path[0] !== 'string') return unsupportedExpr(n, `offsetof member not understood: ${snippet(n)}`);
      return { k: 'offsetof', line: L, type, path };
    }
    if (name === '__builtin_types_compatible_p' && argList.length === 2 && castType(argList[0]) && castType(argList[1])) {
      return { k: 'builtin', line: L, name, args: [castType(argList[0])!, castType(argList[1])!] };
    }
    if (name === '__builtin_offsetof' || name === 'offsetof') {
      const parts = splitArgs(argsNode);
      const type = parts[0] ? typeFromText(parts[0]) : null;
      const member = parts[1];
      if (!type || !member || parts.length !== 2) return unsupportedExpr(n, `offsetof not understood: ${snippet(n)}`);
      const path: (string | Expr)[] = [];
      const re = /\s*(?:\.?\s*([A-Za-z_]\w*)|\[([^\]]*)\])/y;
      let m: RegExpExecArray | null;
      let pos = 0;
      while (pos < member.length && (m = re.exec(member))) {
        pos = re.lastIndex;
        if (m[1]) path.push(m[1]);
        else {
          const v = parseIntLiteral(m[2]!.trim());
          if (!v) return unsupportedExpr(n, `offsetof with a computed index: ${snippet(n)}`);
          path.push({ k: 'num', line: L, ...v });
        }
      }
      if (pos < member.length || path.length === 0) return unsupportedExpr(n, `offsetof member not understood: ${snippet(n)}`);
      return { k: 'offsetof', line: L, type, path };
    }
    if (name && (name.startsWith('__builtin_') || name === '__is_constexpr')) {
      // most builtins take expressions; a few take types, which tree-sitter cannot know
      const argNodes = named(argsNode);
      const typed = name === '__builtin_types_compatible_p' || name === '__builtin_va_arg';
      if (typed || argNodes.some(a => a.type === 'ERROR')) {
        const parts = splitArgs(argsNode);
        const args: (Expr | CType)[] = [];
        for (let i = 0; i < parts.length; i++) {
          const t = typeFromText(parts[i]!);
          if (t && (typed || argNodes.some(a => a.type === 'ERROR'))) { args.push(t); continue; }
          const a = argNodes[i];
          if (!a || a.type === 'ERROR') return unsupportedExpr(n, `builtin ${name} arguments not understood`);
          args.push(expr(a));
        }
        return { k: 'builtin', line: L, name, args };
      }
      return { k: 'builtin', line: L, name, args: argNodes.map(expr) };
    }
    // `(u16)(x)`: tree-sitter reads a cast to a parenthesised typedef name as a call
    if (fn.type === 'parenthesized_expression') {
      const inner = named(fn);
      const an = named(argsNode);
      if (inner.length === 1 && inner[0]!.type === 'identifier' && isTypedefName(inner[0]!.text) && an.length === 1) {
        const tn = inner[0]!.text;
        return { k: 'cast', line: L, type: PRIMITIVES[tn] ?? { k: 'named', name: tn }, arg: expr(an[0]!) };
      }
    }
    const args: Expr[] = [];
    for (const a of named(argsNode)) args.push(a.type === 'ERROR' ? unsupportedExpr(a, `argument not parsed: ${snippet(a)}`) : expr(a));
    return { k: 'call', line: L, callee: expr(fn), args };
  }

  function cast(n: Node): Expr {
    const L = line(n);
    const td = n.childForFieldName('type'), v = n.childForFieldName('value');
    if (!td || !v) return unsupportedExpr(n, 'cast not understood');
    const t = td.childForFieldName('type');
    // `(a) - b`, `(a) & b`, `(a) * b`, `(a) + b` where a is no type: tree-sitter guessed a cast
    if (t && t.type === 'type_identifier' && !td.childForFieldName('declarator') && !isTypedefName(t.text)) {
      const id: Expr = { k: 'id', line: line(t), name: t.text };
      if (v.type === 'unary_expression' || v.type === 'pointer_expression') {
        const op = v.childForFieldName('operator')?.type;
        const arg = v.childForFieldName('argument');
        if (arg && (op === '-' || op === '+' || op === '&' || op === '*')) return { k: 'bin', line: L, op, left: id, right: expr(arg) };
      }
      if (v.type === 'parenthesized_expression') {
        // `(fn)(args)`: a call through a parenthesised name
        const inner = named(v);
        const args = inner.length === 1 && inner[0]!.type === 'comma_expression' ? (expr(inner[0]!) as Extract<Expr, { k: 'comma' }>).exprs : inner.map(expr);
        return { k: 'call', line: L, callee: id, args };
      }
    }
    return { k: 'cast', line: L, type: typeDescriptor(td), arg: expr(v) };
  }

  for (const c of root.namedChildren) if (c) topLevel(c);
  return pieces;
}

/** Evaluates an integer constant expression over known enumerators (null when it cannot). */
export function constEval(e: Expr, enumerators: Map<string, bigint>, guard = 0, typedefs?: Map<string, CType>): bigint | null {
  if (guard > 200) return null;
  const r = (x: Expr): bigint | null => constEval(x, enumerators, guard + 1, typedefs);
  switch (e.k) {
    case 'num': case 'char': return e.value;
    case 'id': return enumerators.get(e.name) ?? null;
    case 'unary': {
      const a = r(e.arg); if (a === null) return null;
      switch (e.op) { case '-': return -a; case '+': return a; case '~': return ~a; case '!': return a === 0n ? 1n : 0n; default: return null; }
    }
    case 'cast': {
      let t: CType | undefined = e.type;
      for (let k = 0; t && t.k === 'named' && k < 16; k++) t = typedefs?.get(t.name);
      const v = r(e.arg);
      if (v === null || !t) return t === undefined && e.type.k === 'named' ? v : null;
      if (t.k === 'bool') return v !== 0n ? 1n : 0n;
      if (t.k === 'enum') return v;
      if (t.k !== 'int') return null;
      const bits = BigInt(t.bits);
      const m = v & ((1n << bits) - 1n);
      return t.signed && m >= 1n << (bits - 1n) ? m - (1n << bits) : m;
    }
    case 'cond': { const t = r(e.test); if (t === null) return null; return t !== 0n ? (e.then ? r(e.then) : t) : r(e.else); }
    case 'bin': {
      const a = r(e.left); if (a === null) return null;
      if (e.op === '&&' && a === 0n) return 0n;
      if (e.op === '||' && a !== 0n) return 1n;
      const b = r(e.right); if (b === null) return null;
      switch (e.op) {
        case '+': return a + b; case '-': return a - b; case '*': return a * b;
        case '/': return b === 0n ? null : a / b; case '%': return b === 0n ? null : a % b;
        case '<<': return b < 0n || b > 127n ? null : a << b; case '>>': return b < 0n || b > 127n ? null : a >> b;
        case '&': return a & b; case '|': return a | b; case '^': return a ^ b;
        case '&&': return b !== 0n ? 1n : 0n; case '||': return b !== 0n ? 1n : 0n;
        case '==': return a === b ? 1n : 0n; case '!=': return a !== b ? 1n : 0n;
        case '<': return a < b ? 1n : 0n; case '>': return a > b ? 1n : 0n;
        case '<=': return a <= b ? 1n : 0n; case '>=': return a >= b ? 1n : 0n;
      }
      return null;
    }
    case 'comma': return e.exprs.length ? r(e.exprs[e.exprs.length - 1]!) : null;
    case 'builtin': return e.name === '__builtin_constant_p' ? 1n : null;
    default: return null;
  }
}

/** An empty Program. */
export function emptyProgram(): Program {
  return { functions: new Map(), structs: new Map(), typedefs: new Map(), enumerators: new Map(), globals: new Map(), macros: new Map(), moduleParams: new Map(), notes: [] };
}

/**
 * Merges units into one Program: later definitions of a function replace earlier ones only when
 * the earlier one has no body (never the case here) — the first definition wins, since headers are
 * converted before the .c files that include them. Enumerators are evaluated in order (implicit
 * values count on from the previous member); array lengths written with enumerators are computed.
 */
export function mergeUnits(units: UnitPieces[], into: Program = emptyProgram()): Program {
  const p = into;
  for (const u of units) {
    for (const [name, t] of u.typedefs) if (!p.typedefs.has(name)) p.typedefs.set(name, t);
    for (const s of u.structs) {
      const key = `${s.union ? 'union' : 'struct'} ${s.tag}`;
      if (!p.structs.has(key)) p.structs.set(key, s);
    }
    for (const en of u.enums) {
      let next = 0n;
      for (const m of en.members) {
        let v: bigint | null = next;
        if (m.value) {
          v = constEval(m.value, p.enumerators, 0, p.typedefs);
          if (v === null) { p.notes.push(`${en.file}:${m.line}: enumerator ${m.name} has a value the front end cannot compute`); v = next; }
        }
        if (!p.enumerators.has(m.name)) p.enumerators.set(m.name, v);
        next = v + 1n;
      }
    }
    for (const g of u.globals) {
      const old = p.globals.get(g.name);
      if (!old || (old.extern && !g.extern) || (!old.init && g.init)) p.globals.set(g.name, g);
    }
    for (const f of u.functions) {
      const old = p.functions.get(f.name);
      // a static function in a .c file wins over a same-named one elsewhere only if first
      if (!old) p.functions.set(f.name, f);
    }
    if (p.prototypes) for (const [name, t] of u.prototypes) if (!p.prototypes.has(name)) p.prototypes.set(name, t);
    p.notes.push(...u.notes);
  }
  resolveArrayLengths(p);
  return p;
}

/** Fills `length` of array types whose size was written with enumerators (walks all types once). */
export function resolveArrayLengths(p: Program): void {
  const seen = new Set<CType>();
  const fix = (t: CType): void => {
    if (seen.has(t)) return;
    seen.add(t);
    switch (t.k) {
      case 'array':
        if (t.length === null && t.lengthExpr) {
          const v = constEval(t.lengthExpr, p.enumerators, 0, p.typedefs);
          if (v !== null && v >= 0n) { t.length = Number(v); delete t.lengthExpr; }
        }
        fix(t.of); return;
      case 'ptr': fix(t.to); return;
      case 'func': fix(t.ret); t.params.forEach(fix); return;
      default: return;
    }
  };
  for (const s of p.structs.values()) for (const f of s.fields) fix(f.type);
  for (const g of p.globals.values()) {
    if (g.type.k === 'array' && g.type.length === null && !g.type.lengthExpr && g.init && g.init.k === 'init') {
      let next = 0n, max = 0n, ok = true;
      for (const it of g.init.items) {
        const d0 = it.designators[0];
        if (d0 !== undefined && typeof d0 !== 'string') { const v = constEval(d0, p.enumerators, 0, p.typedefs); if (v === null) { ok = false; break; } next = v; }
        next++;
        if (next > max) max = next;
      }
      if (ok) g.type = { ...g.type, length: Number(max) };
    }
    fix(g.type);
  }
  for (const t of p.typedefs.values()) fix(t);
}

/**
 * Parses one C text (no preprocessing) into a Program: for unit tests on small snippets. The
 * kernel's basic typedefs (u8…u64, s8…s64, size_t, …) are known unless the text defines them.
 */
export function parseCUnit(parser: Parser, text: string, file: string): Program {
  const tree = parser.parse(text);
  if (!tree) { const p = emptyProgram(); p.notes.push(`${file}: tree-sitter returned no tree`); return p; }
  try {
    const ctx = newConvertContext(KERNEL_BASIC_TYPEDEFS.map(t => t[0]));
    const unit = convertUnit(tree.rootNode, file, ctx);
    const p = emptyProgram();
    p.prototypes = new Map();
    // the text's own typedefs win over the basic ones
    for (const [name, t] of unit.typedefs) p.typedefs.set(name, t);
    for (const [name, t] of KERNEL_BASIC_TYPEDEFS) if (!p.typedefs.has(name)) p.typedefs.set(name, t);
    mergeUnits([unit], p);
    p.unsupported = unit.unsupported;
    return p;
  } finally { tree.delete(); }
}
