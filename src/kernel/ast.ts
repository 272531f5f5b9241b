// The kernel engine's own C syntax tree: plain data, built once per prepared file from
// tree-sitter-c's tree of the preprocessed text (src/kernel/front/*), then walked by the
// interpreter (src/kernel/interp/*). Plain objects so that a prepared tree can be cached and a warm
// simulation does no parsing. Every node carries the 1-based line of the original file it came from
// (the preprocessor keeps one output line per input line, so tree-sitter rows map back directly).

/** A C type as the interpreter needs it (sizes, signedness, layout). */
export type CType =
  | { k: 'void' }
  | { k: 'bool' }
  | { k: 'int'; bits: 8 | 16 | 32 | 64 | 128; signed: boolean }
  | { k: 'ptr'; to: CType }
  /** length null: unsized (`x[]`) or not yet computed; lengthExpr: the size as written when the front
   *  end could not compute it (an enumerator from another file; mergeUnits fills `length` later) */
  | { k: 'array'; of: CType; length: number | null; lengthExpr?: Expr }
  /** struct or union by tag; its layout is Program.structs.get(`${union ? 'union' : 'struct'} ${tag}`) */
  | { k: 'struct'; tag: string; union: boolean }
  | { k: 'enum'; tag: string | null }
  | { k: 'func'; ret: CType; params: CType[]; variadic: boolean }
  /** a typedef name not yet resolved (Program.typedefs resolves it) */
  | { k: 'named'; name: string }
  /** typeof(expr) / __auto_type x = expr: the type of `expr`, which the interpreter knows when it
   *  evaluates it (the front end has no type inference). typeof(T) of a type is resolved to T. */
  | { k: 'typeof'; expr: Expr };

export interface Located { line: number }

export type Expr = Located & (
  /** `decimal`: written in base 10 (a literal without suffix that does not fit int is then long, not unsigned); absent = not decimal */
  | { k: 'num'; value: bigint; unsigned: boolean; long: number /* 0, 1 (l), 2 (ll) */; decimal?: boolean }
  | { k: 'str'; value: string }
  | { k: 'char'; value: bigint }
  | { k: 'id'; name: string }
  | { k: 'unary'; op: '!' | '~' | '-' | '+' | '*' | '&'; arg: Expr }
  | { k: 'update'; op: '++' | '--'; prefix: boolean; arg: Expr }
  | { k: 'bin'; op: '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^' | '&&' | '||' | '==' | '!=' | '<' | '>' | '<=' | '>='; left: Expr; right: Expr }
  | { k: 'assign'; op: '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '<<=' | '>>=' | '&=' | '|=' | '^='; left: Expr; right: Expr }
  | { k: 'cond'; test: Expr; then: Expr | null /* GNU a ?: b */; else: Expr }
  | { k: 'call'; callee: Expr; args: Expr[] }
  | { k: 'member'; object: Expr; field: string; arrow: boolean }
  | { k: 'index'; object: Expr; index: Expr }
  | { k: 'cast'; type: CType; arg: Expr }
  | { k: 'sizeof'; type: CType | null; arg: Expr | null }
  | { k: 'alignof'; type: CType }
  /** __builtin_offsetof(type, a.b[2]) */
  | { k: 'offsetof'; type: CType; path: (string | Expr)[] }
  | { k: 'comma'; exprs: Expr[] }
  | { k: 'init'; items: { designators: (string | Expr)[]; value: Expr }[] }
  | { k: 'compound'; type: CType; init: Expr }
  /** GNU statement expression ({ ...; value; }) — most kernel macros expand to one */
  | { k: 'stmtexpr'; body: Block }
  /** typeof(x) used where a type is expected is resolved by the front end; this is __builtin_* */
  | { k: 'builtin'; name: string; args: (Expr | CType)[] }
  /** something the front end could not turn into an expression: the interpreter reports `reason` */
  | { k: 'unsupported'; reason: string }
);

export interface Declarator { name: string; type: CType; init: Expr | null; line: number }

export interface Block extends Located { k: 'block'; body: Stmt[] }

export type Stmt = Block | (Located & (
  | { k: 'decl'; decls: Declarator[]; static: boolean }
  | { k: 'expr'; expr: Expr }
  | { k: 'if'; test: Expr; then: Stmt; else: Stmt | null }
  | { k: 'switch'; test: Expr; body: Stmt }
  | { k: 'case'; value: Expr | null /* default */; rangeEnd: Expr | null /* GNU case a ... b */ }
  | { k: 'while'; test: Expr; body: Stmt }
  | { k: 'do'; body: Stmt; test: Expr }
  | { k: 'for'; init: Stmt | null; test: Expr | null; update: Expr | null; body: Stmt }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'return'; value: Expr | null }
  | { k: 'goto'; label: string }
  | { k: 'label'; label: string; stmt: Stmt | null }
  | { k: 'empty' }
  /** inline assembly and anything else that cannot be interpreted: reported with `reason` when reached */
  | { k: 'unsupported'; reason: string }
));

export interface Param { name: string | null; type: CType }

/** A function with a body in the tree. */
export interface FunctionDef {
  name: string;
  /** path relative to the tree root */
  file: string;
  line: number;
  endLine: number;
  ret: CType;
  params: Param[];
  variadic: boolean;
  body: Block;
  static: boolean;
  inline: boolean;
}

export interface StructField { name: string | null /* anonymous struct/union member */; type: CType; bits: number | null; /** __aligned(n) on the member */ aligned?: number }
/** `packed`: __packed / __attribute__((packed)) (struct vmcs12 is); `aligned`: __aligned(n) on the type */
export interface StructDef { tag: string; union: boolean; fields: StructField[]; file: string; line: number; packed?: boolean; aligned?: number }

/** One enumerator as written (value null: previous + 1); Program.enumerators holds the values. */
export interface EnumMember { name: string; value: Expr | null; line: number }

/** A file-scope object: static const tables (vmcs_entry_exit_pairs), module parameters, globals. */
export interface GlobalDef {
  name: string; type: CType; init: Expr | null; file: string; line: number; const: boolean; static: boolean;
  /** only an `extern` declaration was seen (the definition is in a file not parsed) */
  extern?: boolean;
}

/** Everything the interpreter needs from a tree, after preprocessing and parsing. */
export interface Program {
  functions: Map<string, FunctionDef>;
  /** "struct vmcs12", "union foo" */
  structs: Map<string, StructDef>;
  typedefs: Map<string, CType>;
  /** enumerator name → value */
  enumerators: Map<string, bigint>;
  globals: Map<string, GlobalDef>;
  /** object-like macros still known after preprocessing (for explanations and patch #define overrides) */
  macros: Map<string, string>;
  /** module parameters: kernel variable name → parameter name (module_param_named(ept, enable_ept, ...)) */
  moduleParams: Map<string, string>;
  /** one-line reasons for what the front end skipped (a file not found, a construct not parsed) */
  notes: string[];
  /** functions declared without a body in the parsed files (name → func type): boundary candidates */
  prototypes?: Map<string, CType>;
  /** how many `unsupported` nodes the front end produced */
  unsupported?: number;
}
