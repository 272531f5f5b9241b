// The kernel engine's front end: a tree → a Program (preprocess the files the paths need, parse
// them with tree-sitter-c, convert to the engine's syntax tree, merge). Pure: the tree comes in as a
// TreeReader, tree-sitter's parser is passed in by the caller (who loads the wasm), and the
// persistent cache is an adapter the caller implements over its storage.
//
// Caching: per tree (TreeReader.root) in memory, and optionally across processes through
// PrepCache. Either is valid only while every file the preparation read has the same
// TreeReader.stamp; a warm preparation of an unchanged tree does no parsing.
import type { Parser } from 'web-tree-sitter';
import type { CType, Expr, Program } from '../ast';
import type { TreeReader } from '../types';
import { convertUnit, emptyProgram, KERNEL_BASIC_TYPEDEFS, mergeUnits, newConvertContext, type ConvertContext, type UnitPieces } from './convert';
import { Preprocessor, type PreprocessOptions } from './preprocess';

export { parseCUnit, convertUnit, mergeUnits, constEval, type UnitPieces } from './convert';
export { KERNEL_CONFIG, KEPT_MACROS, OVERRIDE_MACROS, PREDEFINED_MACROS } from './config';
export { Preprocessor, INCLUDE_PATH, FORCED_INCLUDES } from './preprocess';

/** Bumped whenever the prepared form changes (invalidates persistent caches). */
export const FRONT_END_VERSION = 'front-1';

/** The translation units the engine reads, in order, with the reason each is needed. */
export const UNITS: readonly { file: string; modname: string; why: string }[] = [
  { file: 'arch/x86/kvm/vmx/nested.c', modname: 'kvm_intel', why: 'nested VM-entry checks, nested VM-exit, nested state, nested capability MSRs: the paths\' core' },
  { file: 'arch/x86/kvm/vmx/vmx.c', modname: 'kvm_intel', why: 'vmx_set_cr0/cr3/cr4, setup_vmcs_config, hardware_setup, module parameters' },
  { file: 'arch/x86/kvm/vmx/vmcs12.c', modname: 'kvm_intel', why: 'vmcs12_field_offsets: VMCS field encoding → struct vmcs12 member' },
  { file: 'arch/x86/kvm/vmx/hyperv.c', modname: 'kvm_intel', why: 'enlightened VMCS checks on nested entry' },
  { file: 'arch/x86/kvm/vmx/hyperv_evmcs.c', modname: 'kvm_intel', why: 'eVMCS field table' },
  { file: 'arch/x86/kvm/vmx/main.c', modname: 'kvm_intel', why: 'vt_x86_ops: the kvm_x86_ops table behind static_call(kvm_x86_*)' },
  { file: 'arch/x86/kvm/x86.c', modname: 'kvm', why: 'EFER and MSR helpers, kvm_set_cr* in trees that keep them here' },
  { file: 'arch/x86/kvm/regs.c', modname: 'kvm', why: 'kvm_set_cr0/cr3/cr4 (Debian 6.12.118 moved them here from x86.c); absent in other trees' },
  { file: 'arch/x86/kvm/cpuid.c', modname: 'kvm', why: 'guest CPUID lookups (guest_cpuid_has, kvm_find_cpuid_entry)' },
];

/** Which headers are expanded and parsed (all others are read for their directives only). */
export const PARSED_HEADERS: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /^arch\/x86\/kvm\/(?!.*trace\.h$).*\.h$/, why: 'KVM\'s own headers: struct vcpu_vmx, nested helpers, capability inlines (not the tracepoint headers)' },
  { pattern: /^arch\/x86\/include\/asm\/(kvm_host|vmx|kvm-x86-ops|kvm-x86-pmu-ops|kvm_page_track|kvm_para|hyperv-tlfs|msr)\.h$/, why: 'struct kvm_vcpu_arch, vmcs_config bits, the ops tables, Hyper-V TLFS structures' },
  { pattern: /^arch\/x86\/include\/uapi\/asm\/(kvm|vmx)\.h$/, why: 'struct kvm_nested_state, exit reasons' },
  { pattern: /^include\/linux\/(kvm_host|kvm_types|err|types)\.h$/, why: 'struct kvm_vcpu, kvm_vcpu_map, IS_ERR, basic typedefs' },
  { pattern: /^include\/uapi\/linux\/kvm\.h$/, why: 'KVM uapi structures' },
  { pattern: /^include\/(uapi\/)?asm-generic\/int-ll64\.h$/, why: 'u8 … u64, s8 … s64' },
  { pattern: /^include\/uapi\/linux\/types\.h$/, why: '__le32 and friends' },
  { pattern: /^include\/hyperv\/.*\.h$|^include\/asm-generic\/hyperv-tlfs\.h$/, why: 'struct hv_enlightened_vmcs' },
];

export function isParsedHeader(path: string): boolean {
  return PARSED_HEADERS.some(h => h.pattern.test(path));
}

/** A cache across processes: values are opaque strings, keys are short. */
export interface PrepCache {
  get(key: string): string | undefined;
  put(key: string, value: string): void;
}

export interface PrepareOptions extends PreprocessOptions {
  /** tree-sitter with tree-sitter-c loaded */
  parser: Parser;
  /** translation units (default UNITS) */
  units?: readonly string[];
  /** which files to expand and parse (default: the units and PARSED_HEADERS) */
  parse?: (path: string) => boolean;
  cache?: PrepCache;
  /** progress lines (timings per unit) */
  trace?: (line: string) => void;
  /** for timing figures; default Date.now */
  now?: () => number;
}

export interface PrepareStats {
  /** where the Program came from */
  source: 'memory' | 'disk' | 'parsed';
  /** files expanded and parsed by tree-sitter in this call */
  filesParsed: number;
  /** files read for their directives */
  filesVisited: number;
  unsupported: number;
  ms: { total: number; preprocess: number; parse: number; convert: number };
}

/** What is kept about a prepared tree: enough to re-prepare single files after a patch. */
export interface PreparedTree {
  root: string;
  program: Program;
  stats: PrepareStats;
  /** path → stamp of every file read */
  manifest: Map<string, string>;
  /** per translation unit: the files it read and the files it expanded */
  units: { file: string; visited: string[]; parsed: string[] }[];
  /** pieces by file, in merge order */
  pieces: Map<string, UnitPieces>;
  moduleParams: [string, string][];
  macros: [string, string][];
  notes: string[];
}

const memory = new Map<string, PreparedTree>();

function modnameOf(file: string): string {
  return UNITS.find(u => u.file === file)?.modname ?? (file.startsWith('arch/x86/kvm/vmx/') ? 'kvm_intel' : 'kvm');
}

function unitDefines(file: string): [string, string][] {
  const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.c$/, '').replace(/-/g, '_');
  return [['KBUILD_MODNAME', JSON.stringify(modnameOf(file))], ['KBUILD_BASENAME', JSON.stringify(base)]];
}

function stillValid(tree: TreeReader, manifest: Map<string, string>): boolean {
  for (const [path, stamp] of manifest) if (tree.stamp(path) !== stamp) return false;
  return true;
}

/**
 * Prepares the Program of a tree (memory cache → persistent cache → full preparation). Never
 * throws for odd C: what could not be read or converted is in program.notes / `unsupported`.
 */
export function prepareTree(tree: TreeReader, opts: PrepareOptions): PreparedTree {
  const { key, t0, hit } = fromCaches(tree, opts);
  if (hit) return hit;
  return finishFresh(drive(prepareSteps(tree, opts, unitsOf(opts), new Map(), null)), opts, key, t0);
}

/**
 * prepareTree without blocking its thread for long: `pause()` is awaited between translation
 * units and between parsed files (the editor passes a macrotask, so the extension host stays
 * responsive while a tree is prepared the first time).
 */
export async function prepareTreeAsync(tree: TreeReader, opts: PrepareOptions & { pause: () => Promise<void> }): Promise<PreparedTree> {
  const { key, t0, hit } = fromCaches(tree, opts);
  if (hit) return hit;
  const gen = prepareSteps(tree, opts, unitsOf(opts), new Map(), null);
  for (;;) {
    const r = gen.next();
    if (r.done) return finishFresh(r.value, opts, key, t0);
    await opts.pause();
  }
}

const unitsOf = (opts: PrepareOptions): readonly string[] => opts.units ?? UNITS.map(u => u.file);

function drive<T>(gen: Generator<void, T>): T {
  for (;;) { const r = gen.next(); if (r.done) return r.value; }
}

/** The memory cache, then the persistent one. */
function fromCaches(tree: TreeReader, opts: PrepareOptions): { key: string; t0: number; hit: PreparedTree | null } {
  const now = opts.now ?? Date.now;
  const t0 = now();
  const key = `${FRONT_END_VERSION}|${tree.root}|${unitsOf(opts).join(',')}`;
  const mem = memory.get(key);
  if (mem && stillValid(tree, mem.manifest)) {
    // a cache passed only now gets the program too (so that the next process finds it)
    if (opts.cache && !storedIn.get(mem)?.has(opts.cache)) store(mem, opts.cache, key);
    return { key, t0, hit: { ...mem, stats: { ...mem.stats, source: 'memory', filesParsed: 0, ms: { total: now() - t0, preprocess: 0, parse: 0, convert: 0 } } } };
  }
  if (opts.cache) {
    const text = opts.cache.get(cacheKey(key));
    if (text) {
      const loaded = deserialise(text);
      if (loaded && loaded.root === tree.root && stillValid(tree, loaded.manifest)) {
        loaded.stats = { ...loaded.stats, source: 'disk', filesParsed: 0, ms: { total: now() - t0, preprocess: 0, parse: 0, convert: 0 } };
        memory.set(key, loaded);
        storedIn.set(loaded, new WeakSet([opts.cache]));
        return { key, t0, hit: loaded };
      }
    }
  }
  return { key, t0, hit: null };
}

function finishFresh(prepared: PreparedTree, opts: PrepareOptions, key: string, t0: number): PreparedTree {
  prepared.stats.ms.total = (opts.now ?? Date.now)() - t0;
  memory.set(key, prepared);
  if (opts.cache) store(prepared, opts.cache, key);
  return prepared;
}

const storedIn = new WeakMap<PreparedTree, WeakSet<PrepCache>>();
function store(p: PreparedTree, cache: PrepCache, key: string): void {
  try { cache.put(cacheKey(key), serialise(p)); } catch { /* a cache that cannot store is no cache */ }
  const set = storedIn.get(p) ?? new WeakSet<PrepCache>();
  set.add(cache);
  storedIn.set(p, set);
}

/** The Program of a tree (see prepareTree). */
export function prepareProgram(tree: TreeReader, opts: PrepareOptions): Program {
  return prepareTree(tree, opts).program;
}

/**
 * Re-prepares a tree after some files changed (a patch applied in memory): only the translation
 * units that read a changed file are preprocessed again, and only the changed files (and the
 * units' .c files) are parsed again; everything else is taken from `base`.
 */
export function prepareFiles(base: PreparedTree, after: TreeReader, changed: readonly string[], opts: PrepareOptions): PreparedTree {
  const now = opts.now ?? Date.now;
  const t0 = now();
  const changedSet = new Set(changed);
  const affected = base.units.filter(u => u.visited.some(v => changedSet.has(v)) || changedSet.has(u.file)).map(u => u.file);
  if (affected.length === 0) return { ...base, stats: { ...base.stats, source: 'memory', filesParsed: 0, ms: { total: now() - t0, preprocess: 0, parse: 0, convert: 0 } } };
  const keepPieces = new Map([...base.pieces].filter(([path]) => !changedSet.has(path) && !affected.includes(path)));
  const res = drive(prepareSteps(after, opts, base.units.map(u => u.file), keepPieces, { base, affected: new Set(affected) }));
  res.stats.ms.total = now() - t0;
  return res;
}

/** The preparation, as steps (a yield after each unit's preprocessing and each parsed file). */
function* prepareSteps(tree: TreeReader, opts: PrepareOptions, units: readonly string[], keepPieces: Map<string, UnitPieces>, partial: { base: PreparedTree; affected: Set<string> } | null): Generator<void, PreparedTree> {
  const now = opts.now ?? Date.now;
  const parse = opts.parse ?? ((p: string) => units.includes(p) || isParsedHeader(p));
  const pp = new Preprocessor(tree, opts);
  const stats: PrepareStats = { source: 'parsed', filesParsed: 0, filesVisited: 0, unsupported: 0, ms: { total: 0, preprocess: 0, parse: 0, convert: 0 } };
  const ctx: ConvertContext = newConvertContext(KERNEL_BASIC_TYPEDEFS.map(t => t[0]));
  // typedef names of the pieces we keep are known up front
  for (const p of keepPieces.values()) for (const [n] of p.typedefs) ctx.typedefNames.add(n);
  const pieces = new Map<string, UnitPieces>();
  const unitRecords: PreparedTree['units'] = [];
  const moduleParams: [string, string][] = [];
  const macros = new Map<string, string>();
  const notes: string[] = [];
  const done = new Set<string>(keepPieces.keys());
  for (const file of units) {
    if (partial && !partial.affected.has(file)) {
      const rec = partial.base.units.find(u => u.file === file)!;
      unitRecords.push(rec);
      for (const p of rec.parsed) { const pc = keepPieces.get(p); if (pc) pieces.set(p, pc); }
      continue;
    }
    const tp = now();
    const r = pp.run(file, parse, done, unitDefines(file));
    stats.ms.preprocess += now() - tp;
    if (opts.trace) opts.trace(`${file}: preprocessed in ${now() - tp} ms`);
    yield;
    notes.push(...r.notes);
    moduleParams.push(...r.moduleParams);
    for (const [n, v] of r.macros) if (!macros.has(n)) macros.set(n, v);
    const parsed: string[] = [];
    for (const prep of r.prepared) {
      ctx.typeofs = typeofOperands(opts.parser, prep.typeofs, prep.path, ctx);
      const tpar = now();
      const treeSitter = opts.parser.parse(prep.text);
      stats.ms.parse += now() - tpar;
      if (!treeSitter) { notes.push(`${prep.path}: tree-sitter returned no tree`); continue; }
      const tc = now();
      try {
        const unit = convertUnit(treeSitter.rootNode, prep.path, ctx);
        pieces.set(prep.path, unit);
      } finally { treeSitter.delete(); }
      stats.ms.convert += now() - tc;
      done.add(prep.path);
      parsed.push(prep.path);
      stats.filesParsed++;
      yield;
    }
    // a unit that re-ran keeps the headers other units parsed
    if (partial) {
      const old = partial.base.units.find(u => u.file === file);
      for (const p of old?.parsed ?? []) if (!parsed.includes(p) && keepPieces.has(p)) { parsed.push(p); pieces.set(p, keepPieces.get(p)!); }
    }
    unitRecords.push({ file, visited: r.visited, parsed });
  }
  // merge order: headers first (in the order they were finished), then the .c files
  const ordered = [...pieces.values()].sort((a, b) => Number(a.file.endsWith('.c')) - Number(b.file.endsWith('.c')));
  const program = emptyProgram();
  program.prototypes = new Map<string, CType>();
  mergeUnits(ordered, program);
  if (partial) {
    for (const [v, p] of partial.base.moduleParams) if (!moduleParams.some(m => m[0] === v)) moduleParams.push([v, p]);
    for (const [n, v] of partial.base.macros) if (!macros.has(n)) macros.set(n, v);
  }
  for (const [v, p] of moduleParams) if (!program.moduleParams.has(v)) program.moduleParams.set(v, p);
  for (const [n, v] of macros) program.macros.set(n, v);
  program.notes.unshift(...notes);
  program.unsupported = ordered.reduce((s, u) => s + u.unsupported, 0);
  stats.unsupported = program.unsupported;
  const manifest = new Map<string, string>();
  for (const path of new Set(unitRecords.flatMap(u => u.visited))) {
    const s = tree.stamp(path);
    if (s !== undefined) manifest.set(path, s);
  }
  stats.filesVisited = manifest.size;
  return { root: tree.root, program, stats, manifest, units: unitRecords, pieces: new Map(ordered.map(u => [u.file, u])), moduleParams, macros: [...macros], notes };
}

/** Parses the typeof(expression) operands of a prepared file, in order (inner ones come first). */
function typeofOperands(parser: Parser, texts: string[], file: string, ctx: ConvertContext): Expr[] {
  const out: Expr[] = [];
  ctx.typeofs = out;
  for (const text of texts) {
    const tree = parser.parse(`void __kvm_typeof(void) { (${text}); }`);
    let e: Expr = { k: 'unsupported', line: 0, reason: `typeof operand not parsed (${file})` };
    if (tree) {
      try {
        const unit = convertUnit(tree.rootNode, file, ctx);
        const s = unit.functions[0]?.body.body[0];
        if (s && s.k === 'expr') e = s.expr;
      } finally { tree.delete(); }
    }
    out.push(e);
  }
  return out;
}

/** Forgets the in-memory preparations (tests). */
export function clearPrepared(): void { memory.clear(); }

// ------------------------------------------------------------------------------------------ serialisation

function cacheKey(key: string): string {
  // a short stable key: FNV-1a of the full key
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) { h ^= key.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return `${FRONT_END_VERSION}-${h.toString(16).padStart(8, '0')}`;
}

/** JSON with bigint values as {"$n":"…"}. */
export function serialise(p: PreparedTree): string {
  return JSON.stringify({
    v: FRONT_END_VERSION, root: p.root, stats: p.stats, manifest: [...p.manifest], units: p.units,
    pieces: [...p.pieces.values()], moduleParams: p.moduleParams, macros: p.macros, notes: p.notes,
  }, (_k, v: unknown) => (typeof v === 'bigint' ? { $n: v.toString() } : v));
}

export function deserialise(text: string): PreparedTree | null {
  try {
    const o = JSON.parse(text, (_k, v: unknown) => (v && typeof v === 'object' && '$n' in v && Object.keys(v).length === 1 ? BigInt((v as { $n: string }).$n) : v)) as {
      v: string; root: string; stats: PrepareStats; manifest: [string, string][]; units: PreparedTree['units'];
      pieces: UnitPieces[]; moduleParams: [string, string][]; macros: [string, string][]; notes: string[];
    };
    if (o.v !== FRONT_END_VERSION) return null;
    const program = emptyProgram();
    program.prototypes = new Map();
    mergeUnits(o.pieces, program);
    for (const [v, p] of o.moduleParams) if (!program.moduleParams.has(v)) program.moduleParams.set(v, p);
    for (const [n, v] of o.macros) program.macros.set(n, v);
    program.notes.unshift(...o.notes);
    program.unsupported = o.pieces.reduce((s, u) => s + u.unsupported, 0);
    return { root: o.root, program, stats: o.stats, manifest: new Map(o.manifest), units: o.units, pieces: new Map(o.pieces.map(u => [u.file, u])), moduleParams: o.moduleParams, macros: o.macros, notes: o.notes };
  } catch { return null; }
}

export type { Expr };
