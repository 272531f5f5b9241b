// The boundary of the kernel engine: ONE table of function name → handler for everything the
// tree's code does that touches hardware (VMREAD/VMWRITE, RDMSR, the CPU's VM-entry), guest memory
// (kvm_vcpu_map, kvm_read_guest*), or KVM infrastructure (requests, tracepoints, the MMU, timers,
// CPUID tables built by cpuid.c), answered from the resolved scenario (World). Outcomes are
// recorded where KVM produces them (nested_vmx_failValid/failInvalid, nested_vmx_abort, exception
// injection, pr_warn text). Every entry says why it is a handler; an entry that does nothing says
// why doing nothing is right. Everything not in the table runs from the tree.
import type { World } from '../sim/scenario';
import type { Interp, LValue, Value, CallSite, Boundary, Handler, RawHandler } from './interp/interp';
import { INT, LONG, ULONG, UINT, VOID, BOOL } from './interp/ctype';
import { InterpError } from './interp/errors';

export interface Outcome { kind: string; [field: string]: unknown }

export interface TraceRow {
  function: string; check: string; result: 'pass' | 'fail' | 'skip'; values: Record<string, string>;
  location?: string; source?: string;
}

/** A recorded outcome and where KVM produced it. */
export interface Recorded { outcome: Outcome; function: string; location: string; line: number; /** trace rows before it */ traceIndex: number }

const M64 = (1n << 64n) - 1n;
const PAGE = 4096n;
const hex = (v: bigint): string => '0x' + v.toString(16);

/** Exception vector numbers → the contract's names. */
const VECTORS: Record<number, string> = { 0: 'DE', 1: 'DB', 2: 'NMI', 3: 'BP', 4: 'OF', 5: 'BR', 6: 'UD', 7: 'NM', 8: 'DF', 10: 'TS', 11: 'NP', 12: 'SS', 13: 'GP', 14: 'PF', 16: 'MF', 17: 'AC', 18: 'MC', 19: 'XM', 21: 'CP' };

/** Sparse guest-physical memory: pages written by the scenario setup, zero elsewhere; memslots cover [0, size). */
export class GuestMemory {
  private readonly pages = new Map<bigint, Uint8Array>();
  constructor(readonly size: bigint) {}
  backed(gpa: bigint, len = 1n): boolean { return gpa >= 0n && len >= 0n && gpa + len <= this.size; }
  private page(pfn: bigint): Uint8Array {
    let p = this.pages.get(pfn);
    if (!p) { p = new Uint8Array(4096); this.pages.set(pfn, p); }
    return p;
  }
  read(gpa: bigint, len: number): Uint8Array | null {
    if (!this.backed(gpa, BigInt(len))) return null;
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const a = gpa + BigInt(i);
      const p = this.pages.get(a / PAGE);
      out[i] = p ? p[Number(a % PAGE)] : 0;
    }
    return out;
  }
  write(gpa: bigint, bytes: Uint8Array): boolean {
    if (!this.backed(gpa, BigInt(bytes.length))) return false;
    for (let i = 0; i < bytes.length; i++) {
      const a = gpa + BigInt(i);
      this.page(a / PAGE)[Number(a % PAGE)] = bytes[i];
    }
    return true;
  }
  writeU(gpa: bigint, size: number, v: bigint): void {
    const b = new Uint8Array(size);
    for (let i = 0; i < size; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
    this.write(gpa, b);
  }
}

/** What the boundary knows about one simulation. */
export interface KernelState {
  world: World;
  /** module parameters as the path sees them (after hardware_setup, or as given for module-load) */
  params: Record<string, boolean>;
  guest: GuestMemory;
  /** VMCS contents by struct vmcs address; `current` is the loaded one (VMPTRLD) */
  vmcs: Map<bigint, Map<bigint, bigint>>;
  current: bigint;
  /** the first outcome KVM produced (later ones are kept in `later`) */
  recorded: Recorded | null;
  later: Recorded[];
  warnings: string[];
  trace: TraceRow[];
  /** requests made (kvm_make_request), by number */
  requests: Set<number>;
  /** feature number → X86_FEATURE_ name without prefix (from the tree's macros) */
  featureName: (n: number) => string | null;
  /** source line text of the tree ("" when unknown) */
  sourceLine: (file: string, line: number) => string;
  /** VMCS field encodings the path reads from the physical VMCS before anyone writes them (vmcs01 guest state of L1) */
  vmcs01: Map<bigint, bigint>;
}

function arg(args: Value[], i: number, site: CallSite): bigint {
  const a = args[i];
  if (!a) throw new InterpError(`${site.name}: missing argument ${i + 1}`, site.location);
  return a.v;
}

export function record(s: KernelState, it: Interp, outcome: Outcome, site: CallSite): void {
  const fn = it.current()?.name ?? site.name;
  const r: Recorded = { outcome, function: fn, location: site.location, line: site.line, traceIndex: s.trace.length };
  if (!s.recorded) s.recorded = r; else s.later.push(r);
}

/** A C string argument (printf formats, pr_warn). */
function cstr(it: Interp, addr: bigint): string {
  try { return it.mem.cString(addr, 1024); } catch { return '?'; }
}

/** printf-style formatting of kernel messages (%s %d %u %x %lx %llx %#x %08x %p, the KERN_ prefix dropped). */
export function formatPrintk(it: Interp, fmt: string, args: Value[]): string {
  let i = 0;
  const text = (fmt.charCodeAt(0) === 1 ? fmt.slice(2) : fmt).replace(/%([-#0 +]*)(\d*)(?:\.(\d+))?(hh|h|ll|l|z|j|t)?([diuxXscp%])/g, (_m, flags: string, width: string, _prec, len: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const a = args[i++];
    if (!a) return '';
    let s: string;
    const bits = len === 'll' || len === 'l' || len === 'z' || len === 'j' || len === 't' ? 64 : len === 'h' ? 16 : len === 'hh' ? 8 : 32;
    switch (conv) {
      case 's': s = cstr(it, a.v); break;
      case 'c': s = String.fromCharCode(Number(a.v & 0xffn)); break;
      case 'p': s = '0x' + BigInt.asUintN(64, a.v).toString(16); break;
      case 'd': case 'i': s = BigInt.asIntN(bits, a.v).toString(); break;
      case 'u': s = BigInt.asUintN(bits, a.v).toString(); break;
      default: s = BigInt.asUintN(bits, a.v).toString(16); if (conv === 'X') s = s.toUpperCase(); if (flags.includes('#') && a.v !== 0n) s = '0x' + s;
    }
    const w = Number(width || 0);
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : flags.includes('0') && conv !== 's' ? s.padStart(w, '0') : s.padStart(w);
    return s;
  });
  return text.replace(/\n+$/, '');
}

type H = (s: KernelState, it: Interp, args: Value[], site: CallSite) => Value;
interface Entry { why: string; h: H; /** the arguments are not evaluated (the call does nothing with them; their enums may be in unparsed headers) */ noArgs?: boolean }

const ret = (it: Interp, v: bigint | number | boolean, t: import('./ast').CType = INT): Value => it.int(v, t);
const nothing = (why: string): Entry => ({ why, h: (_s, it) => it.VOIDV, noArgs: true });
const returns = (v: bigint | number, why: string, t = INT): Entry => ({ why, h: (_s, it) => it.int(v, t), noArgs: true });

// ---- VMCS storage (VMREAD/VMWRITE are instructions) ----

function vmcsRead(s: KernelState, field: bigint): bigint {
  const v = s.vmcs.get(s.current);
  if (!v) return 0n;
  return v.get(field) ?? 0n;
}
function vmcsWrite(s: KernelState, field: bigint, value: bigint): void {
  let v = s.vmcs.get(s.current);
  if (!v) { v = new Map(); s.vmcs.set(s.current, v); }
  v.set(field, widthMask(field, value));
}
/** VMCS field width from its encoding (bits 14:13: 16-bit, 64-bit, 32-bit, natural width); bit 0 of a 64-bit field is its high half. */
export function widthMask(field: bigint, v: bigint): bigint {
  const w = Number((field >> 13n) & 3n);
  if (w === 0) return v & 0xffffn;
  if (w === 2) return v & 0xffffffffn;
  if (w === 1 && (field & 1n)) return v & 0xffffffffn;
  return v & M64;
}

// ---- guest memory handlers ----

function readGuestInto(s: KernelState, it: Interp, gpa: bigint, dst: bigint, len: number): boolean {
  if (len < 0 || len > 1 << 20) throw new InterpError(`guest read of ${len} bytes`);
  const bytes = s.guest.read(gpa, len);
  if (!bytes) return false;
  const { obj, off } = it.mem.locate(dst, len);
  obj.bytes.set(bytes, off);
  return true;
}

function mapPage(s: KernelState, it: Interp, gpa: bigint, mapAddr: bigint): boolean {
  const base = gpa & ~(PAGE - 1n);
  const bytes = s.guest.read(base, 4096);
  if (!bytes) return false;
  const obj = it.mem.alloc(4096, `guest page ${hex(base)}`);
  obj.bytes.set(bytes);
  const map: LValue = { t: { k: 'struct', tag: 'kvm_host_map', union: false }, addr: mapAddr, bitOff: 0, bits: null };
  setMember(it, map, 'hva', obj.addr);
  setMember(it, map, 'gfn', base >> 12n);
  setMember(it, map, 'pfn', base >> 12n);
  setMember(it, map, 'page', obj.addr);
  return true;
}

/** Stores into a member of the struct at lv, when the tree's struct has it. */
export function setMember(it: Interp, lv: LValue, path: string, v: bigint): boolean {
  let cur = lv;
  for (const name of path.split('.')) {
    const l = it.types.layout(cur.t);
    const f = l.fields.get(name);
    if (!f) return false;
    cur = { t: f.type, addr: cur.addr + BigInt(f.offset), bitOff: f.bitOffset, bits: f.bits };
  }
  it.store(cur, { t: ULONG, v });
  return true;
}
export function member(it: Interp, lv: LValue, path: string): LValue | null {
  let cur = lv;
  for (const name of path.split('.')) {
    let l;
    try { l = it.types.layout(cur.t); } catch { return null; }
    const f = l.fields.get(name);
    if (!f) return null;
    cur = { t: f.type, addr: cur.addr + BigInt(f.offset), bitOff: f.bitOffset, bits: f.bits };
  }
  return cur;
}

function errno(it: Interp, name: string): bigint {
  const v = it.program.enumerators.get(name) ?? macroNumber(it, name);
  if (v === null) throw new InterpError(`unknown errno ${name}`);
  return v;
}

/** The value of an object-like macro of the tree whose text is a small integer expression. */
export function macroNumber(it: Interp, name: string, depth = 0): bigint | null {
  const text = it.program.macros.get(name);
  if (text === undefined || depth > 8) return null;
  return constText(text, n => macroNumber(it, n, depth + 1) ?? it.program.enumerators.get(n) ?? null);
}

/** Evaluates a macro body such as "( 7*32+ 8)" or "BIT(3)"-free integer arithmetic; null if it is not one. */
export function constText(text: string, ident: (n: string) => bigint | null): bigint | null {
  // the few function-like macros bit definitions use (uapi/linux/const.h, linux/bits.h)
  let prev = '';
  while (prev !== text) {
    prev = text;
    text = text.replace(/\b(?:_BITUL|_BITULL|BIT|BIT_ULL)\(([^()]*)\)/g, '(1 << ($1))').replace(/\b_AC\(([^(),]*),\s*\w+\)/g, '($1)').replace(/\b(?:_UL|_ULL|UL|ULL)\(([^()]*)\)/g, '($1)');
  }
  const toks = text.replace(/\/\*.*?\*\//g, ' ').match(/0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[A-Za-z_]\w*|<<|>>|[()+\-*|&~]/g);
  if (!toks || toks.join('').length < text.replace(/\/\*.*?\*\//g, '').replace(/\s+/g, '').length) return null;
  let i = 0;
  const prim = (): bigint | null => {
    const t = toks[i++];
    if (t === undefined) return null;
    if (t === '(') { const v = or(); if (toks[i++] !== ')') return null; return v; }
    if (t === '-') { const v = prim(); return v === null ? null : -v; }
    if (t === '~') { const v = prim(); return v === null ? null : ~v; }
    if (/^\d/.test(t)) return BigInt(t.replace(/[uUlL]+$/, ''));
    if (/^[A-Za-z_]/.test(t)) return ident(t);
    return null;
  };
  const bin = (next: () => bigint | null, ops: string[], f: (op: string, a: bigint, b: bigint) => bigint) => (): bigint | null => {
    let a = next();
    while (a !== null && ops.includes(toks[i] ?? '')) { const op = toks[i++]; const b = next(); if (b === null) return null; a = f(op, a, b); }
    return a;
  };
  const mul = bin(prim, ['*'], (_o, a, b) => a * b);
  const add = bin(mul, ['+', '-'], (o, a, b) => o === '+' ? a + b : a - b);
  const sh = bin(add, ['<<', '>>'], (o, a, b) => b > 128n || b < 0n ? 0n : o === '<<' ? a << b : a >> b);
  const and = bin(sh, ['&'], (_o, a, b) => a & b);
  const or = bin(and, ['|'], (_o, a, b) => a | b);
  const v = or();
  return i === toks.length ? v : null;
}

function feature(s: KernelState, n: bigint): string | null { return s.featureName(Number(n)); }

// ---- the table ----

const TABLE: [string, Entry][] = [
  // Outcomes: where KVM reports the result of the VMX instruction or the ioctl.
  ['nested_vmx_failValid', { why: 'VMfailValid: the outcome (RFLAGS.ZF and VM-instruction error are L1-visible)', h: (s, it, a, site) => {
    const err = Number(arg(a, 1, site));
    record(s, it, { kind: 'vmfail-valid', vmInstructionError: err }, site);
    return ret(it, 1);
  } }],
  ['nested_vmx_failInvalid', { why: 'VMfailInvalid: the outcome (RFLAGS.CF)', h: (s, it, _a, site) => { record(s, it, { kind: 'vmfail-invalid' }, site); return ret(it, 1); } }],
  ['nested_vmx_abort', { why: 'VMX abort: the outcome (the abort indicator; KVM then shuts L1 down)', h: (s, it, a, site) => {
    record(s, it, { kind: 'abort', abortIndicator: Number(arg(a, 1, site)) }, site);
    return it.VOIDV;
  } }],
  ['kvm_queue_exception', { why: 'exception injection into L1: the outcome (fault with its vector)', h: (s, it, a, site) => {
    const nr = Number(arg(a, 1, site));
    record(s, it, { kind: 'fault', vector: VECTORS[nr] ?? String(nr) }, site);
    return it.VOIDV;
  } }],
  ['kvm_queue_exception_e', { why: 'exception injection with an error code: the outcome', h: (s, it, a, site) => {
    const nr = Number(arg(a, 1, site));
    record(s, it, { kind: 'fault', vector: VECTORS[nr] ?? String(nr) }, site);
    return it.VOIDV;
  } }],
  ['kvm_inject_gp', { why: '#GP injection: the outcome', h: (s, it, _a, site) => { record(s, it, { kind: 'fault', vector: 'GP' }, site); return it.VOIDV; } }],
  ['kvm_complete_insn_gp', { why: 'injects #GP when err != 0, else skips the instruction', h: (s, it, a, site) => {
    if (arg(a, 1, site) !== 0n) { record(s, it, { kind: 'fault', vector: 'GP' }, site); return ret(it, 1); }
    return ret(it, 1);
  } }],
  ['kvm_skip_emulated_instruction', returns(1, 'advances RIP past the VMX instruction (and would raise a single-step #DB, which no scenario sets); KVM returns 1 to re-enter the guest')],
  ['kvm_emulate_halt_noskip', returns(1, 'halts the vCPU until an event; not an outcome the contract reports')],
  ['__engine_nop', returns(0, 'an optional static call (static_call_cond) whose op the ops table leaves NULL')],

  // Messages
  ...['_printk', 'printk', '__warn_printk', 'pr_warn', 'pr_warn_once', 'pr_warn_ratelimited', 'pr_err', 'pr_info', 'pr_debug', 'pr_notice'].map((n): [string, Entry] => [n, { why: 'kernel log text: warnings (pr_warn*, WARN text); other levels are kept as warnings too when they reach the path', h: (s, it, a) => {
    const fmt = a[0] ? cstr(it, a[0].v) : '';
    const level = fmt.charCodeAt(0) === 1 ? fmt[1] : '4';
    // the module's pr_fmt prefix ("kvm_intel: ") is dropped, as the contract's warnings are the message text
    if (level <= '4') s.warnings.push(formatPrintk(it, fmt, a.slice(1)).replace(/^kvm(?:_intel)?: /, ''));
    return ret(it, 0);
  } }]),
  ['vmx_pr_unimpl_wrmsr', nothing('debug message for an unimplemented MSR write (vcpu_unimpl, ratelimited, off by default)')],
  ['kvm_pr_unimpl_wrmsr', nothing('debug message for an unimplemented MSR write (off by default: ignore_msrs report)')],

  // Hardware: the physical VMCS (VMREAD/VMWRITE/VMPTRLD/VMCLEAR are instructions)
  ['__vmcs_readl', { why: 'VMREAD of the current (loaded) VMCS', h: (s, it, a, site) => it.int(vmcsRead(s, arg(a, 0, site)), ULONG) }],
  ['__vmcs_writel', { why: 'VMWRITE to the current (loaded) VMCS', h: (s, it, a, site) => { vmcsWrite(s, arg(a, 0, site), arg(a, 1, site)); return it.VOIDV; } }],
  ['vmcs_load', { why: 'VMPTRLD: makes a VMCS current', h: (s, it, a, site) => { s.current = arg(a, 0, site); return it.VOIDV; } }],
  ['vmcs_clear', nothing('VMCLEAR: flushes the VMCS to memory; the storage here is the memory')],
  ['vmx_switch_vmcs', { why: 'switches loaded_vmcs (per-CPU VMPTRLD and host-state sync); the boundary does the switch itself', h: (s, it, a, site) => {
    const vcpu = arg(a, 0, site), lvmcs = arg(a, 1, site);
    const vmx = containerOfVcpu(it, vcpu);
    const loaded = member(it, vmx, 'loaded_vmcs');
    if (loaded) it.store(loaded, { t: ULONG, v: lvmcs });
    const vmcsPtr = member(it, { t: { k: 'struct', tag: 'loaded_vmcs', union: false }, addr: lvmcs, bitOff: 0, bits: null }, 'vmcs');
    if (vmcsPtr) s.current = it.load(vmcsPtr).v;
    return it.VOIDV;
  } }],
  ['vmx_vcpu_load_vmcs', nothing('per-CPU VMCS load bookkeeping (vmx_switch_vmcs is handled as a whole)')],
  ['vmx_sync_vmcs_host_state', nothing('copies host segment state between VMCSes for the physical CPU; no L1-visible effect')],
  ['vmcs_host_state_init', nothing('physical host state of vmcs02 (L0\'s own); no L1-visible effect')],

  // Hardware: MSRs (RDMSR/WRMSR are instructions)
  ['native_read_msr', { why: 'RDMSR of the host: the scenario\'s hostMsrs', h: (s, it, a, site) => it.int(hostMsr(s, it, arg(a, 0, site)), ULONG) }],
  ['native_read_msr_safe', { why: 'RDMSR (faulting variant) of the host', h: (s, it, a, site) => {
    const err = a[1]; if (err && err.v) it.store({ t: INT, addr: err.v, bitOff: 0, bits: null }, it.int(0));
    return it.int(hostMsr(s, it, arg(a, 0, site)), ULONG);
  } }],
  ['native_write_msr', nothing('WRMSR to the host CPU; not L1-visible')],
  ['rdmsrl_safe', { why: 'RDMSR (safe) of the host into *p', h: (s, it, a, site) => {
    it.store({ t: ULONG, addr: arg(a, 1, site), bitOff: 0, bits: null }, it.int(hostMsr(s, it, arg(a, 0, site)), ULONG));
    return ret(it, 0);
  } }],

  // Guest memory
  ['kvm_vcpu_map', { why: 'maps a guest page by frame number (memslots: scenario memory)', h: (s, it, a, site) => ret(it, mapPage(s, it, arg(a, 1, site) << 12n, arg(a, 2, site)) ? 0 : -errno(it, 'EFAULT')) }],
  ['kvm_vcpu_unmap', nothing('unmaps a guest page; dirty tracking is not L1-visible')],
  ['kvm_vcpu_read_guest', { why: 'reads guest memory', h: (s, it, a, site) => ret(it, readGuestInto(s, it, arg(a, 1, site), arg(a, 2, site), Number(arg(a, 3, site))) ? 0 : -errno(it, 'EFAULT')) }],
  ['kvm_read_guest', { why: 'reads guest memory', h: (s, it, a, site) => ret(it, readGuestInto(s, it, arg(a, 1, site), arg(a, 2, site), Number(arg(a, 3, site))) ? 0 : -errno(it, 'EFAULT')) }],
  ['kvm_vcpu_read_guest_page', { why: 'reads guest memory by page', h: (s, it, a, site) => ret(it, readGuestInto(s, it, (arg(a, 1, site) << 12n) + arg(a, 3, site), arg(a, 2, site), Number(arg(a, 4, site))) ? 0 : -errno(it, 'EFAULT')) }],
  ['kvm_vcpu_write_guest', { why: 'writes guest memory', h: (s, it, a, site) => {
    const len = Number(arg(a, 3, site));
    const { obj, off } = it.mem.locate(arg(a, 2, site), len);
    return ret(it, s.guest.write(arg(a, 1, site), obj.bytes.slice(off, off + len)) ? 0 : -errno(it, 'EFAULT'));
  } }],
  ['kvm_gfn_to_hva_cache_init', { why: 'a guest-memory cache: records the address; fails when no memslot backs it', h: (s, it, a, site) => {
    const ghc: LValue = { t: { k: 'struct', tag: 'gfn_to_hva_cache', union: false }, addr: arg(a, 1, site), bitOff: 0, bits: null };
    const gpa = arg(a, 2, site), len = arg(a, 3, site);
    setMember(it, ghc, 'gpa', gpa);
    setMember(it, ghc, 'len', len);
    return ret(it, s.guest.backed(gpa, len) ? 0 : -errno(it, 'EFAULT'));
  } }],
  ['kvm_read_guest_cached', { why: 'reads through a guest-memory cache', h: (s, it, a, site) => readCached(s, it, arg(a, 1, site), 0n, arg(a, 2, site), Number(arg(a, 3, site))) }],
  ['kvm_read_guest_offset_cached', { why: 'reads through a guest-memory cache at an offset', h: (s, it, a, site) => readCached(s, it, arg(a, 1, site), arg(a, 3, site), arg(a, 2, site), Number(arg(a, 4, site))) }],
  ['kvm_write_guest_cached', nothing('writes through a guest-memory cache (nothing reads it back on these paths)')],
  ['kvm_vcpu_is_visible_gfn', { why: 'is a guest frame backed by a memslot', h: (s, it, a, site) => ret(it, s.guest.backed(arg(a, 1, site) << 12n)) }],
  ['kvm_is_visible_gfn', { why: 'is a guest frame backed by a memslot', h: (s, it, a, site) => ret(it, s.guest.backed(arg(a, 1, site) << 12n)) }],
  ['copy_from_user', { why: 'userspace memory of the ioctl: the scenario\'s nested state', h: (s, it, a, site) => copyFromUser(s, it, arg(a, 0, site), arg(a, 1, site), Number(arg(a, 2, site))) }],
  ['_copy_from_user', { why: 'userspace memory of the ioctl', h: (s, it, a, site) => copyFromUser(s, it, arg(a, 0, site), arg(a, 1, site), Number(arg(a, 2, site))) }],

  // CPUID: the guest's (kvm_vcpu_after_set_cpuid builds the entries in cpuid.c) and the host's
  ['guest_cpuid_has', { why: 'L1\'s CPUID (cpuid.c builds the entries): the scenario\'s cpuid.features', h: (s, it, a, site) => ret(it, guestHas(s, arg(a, 1, site)), BOOL) }],
  ['guest_cpu_cap_has', { why: 'governed features (set by vmx_vcpu_after_set_cpuid): L1 has it in CPUID and KVM supports it (the host has it); VMX only with kvm_intel.nested', h: (s, it, a, site) => {
    const n = arg(a, 1, site);
    if (feature(s, n) === 'VMX') {
      const nested = it.global('nested');
      return ret(it, guestHas(s, n) && nested !== undefined && it.load(nested).v !== 0n, BOOL);
    }
    return ret(it, guestHas(s, n) && hostHas(s, n), BOOL);
  } }],
  ['kvm_cpu_cap_has', { why: 'what KVM supports (kvm_set_cpu_caps over the host): the scenario\'s host features', h: (s, it, a, site) => ret(it, hostHas(s, arg(a, 0, site)), BOOL) }],
  ['kvm_mpx_supported', { why: 'XFEATURE_* enumerators live in asm/fpu/types.h (not parsed): MPX state support is the host\'s MPX feature', h: (s, it) => ret(it, s.world.hostFeatures.has('MPX'), BOOL) }],
  ['kvm_hv_get_assist_page', { why: 'hyperv.c (not parsed) reads the VP assist page from guest memory: the scenario\'s evmcs.vp_assist_enabled and l1.evmcs_vmptr', h: (s, it, a, site) => {
    if (!s.world.evmcs.vpAssistEnabled) return ret(it, -errno(it, 'EFAULT'));
    const vcpu: LValue = { t: { k: 'struct', tag: 'kvm_vcpu', union: false }, addr: arg(a, 0, site), bitOff: 0, bits: null };
    const hvp = member(it, vcpu, 'arch.hyperv');
    if (!hvp) return ret(it, -errno(it, 'EFAULT'));
    const hv: LValue = { t: { k: 'struct', tag: 'kvm_vcpu_hv', union: false }, addr: it.load(hvp).v, bitOff: 0, bits: null };
    if (hv.addr === 0n) return ret(it, -errno(it, 'EFAULT'));
    setMember(it, hv, 'vp_assist_page.enlighten_vmentry', 1n);
    setMember(it, hv, 'vp_assist_page.current_nested_vmcs', s.world.l1.evmptr);
    return ret(it, 0);
  } }],
  ['kvm_hv_assist_page_enabled', { why: 'hyperv.c (not parsed): the VP assist page MSR is enabled', h: (s, it) => ret(it, s.world.evmcs.vpAssistEnabled, BOOL) }],
  ['kvm_pmu_is_valid_msr', { why: 'pmu.c / pmu_intel.c (not parsed): the Intel PMU\'s MSRs (counters, event selects, fixed counters, global control)', h: (_s, it, a, site) => {
    const m = Number(arg(a, 1, site) & 0xffffffffn);
    return ret(it, (m >= 0xc1 && m <= 0xc8) || (m >= 0x186 && m <= 0x18d) || (m >= 0x309 && m <= 0x30c) || (m >= 0x38d && m <= 0x391) || (m >= 0x4c1 && m <= 0x4c8), BOOL);
  } }],
  ['kvm_pmu_set_msr', { why: 'pmu_intel.c (not parsed): a write of IA32_PERF_GLOBAL_CTRL fails on reserved bits (pmu->global_ctrl_rsvd); other PMU MSRs are accepted', h: (s, it, a, site) => {
    const info: LValue = { t: { k: 'struct', tag: 'msr_data', union: false }, addr: arg(a, 1, site), bitOff: 0, bits: null };
    const idx = member(it, info, 'index'), data = member(it, info, 'data');
    if (idx && data && it.load(idx).v === 0x38fn && (it.load(data).v & s.world.pmu.globalCtrlRsvd)) return ret(it, 1);
    return ret(it, 0);
  } }],
  ['cpuid_maxphyaddr', { why: 'L1\'s MAXPHYADDR (CPUID 0x80000008)', h: (s, it) => ret(it, s.world.maxphyaddr) }],
  ['kvm_vcpu_after_set_cpuid', nothing('KVM_SET_CPUID processing happened before the scenario\'s instruction')],

  // vCPU register access that goes through the VMCS segment cache
  ['vmx_get_cpl', { why: 'CPL from the SS access rights of vmcs01 (segment cache): the scenario\'s l1.cpl', h: (s, it) => ret(it, s.world.l1.cpl) }],
  ['vmx_get_cpl_no_cache', { why: 'CPL: the scenario\'s l1.cpl', h: (s, it) => ret(it, s.world.l1.cpl) }],
  ['is_smm', { why: 'System Management Mode: the scenario\'s l1.smm', h: (s, it) => ret(it, s.world.l1.smm, BOOL) }],
  ['kvm_rip_read', { why: 'L1\'s RIP (not part of any outcome)', h: (_s, it) => ret(it, 0, ULONG) }],

  // KVM infrastructure that has no effect on the outcomes
  ['kvm_make_request', { why: 'a request bit for the next vcpu_run; recorded for trace rows', h: (s, it, a, site) => { s.requests.add(Number(arg(a, 0, site) & 0xffn)); return it.VOIDV; } }],
  ['kvm_clear_request', nothing('clears a request bit')],
  ['kvm_check_request', returns(0, 'no request is pending when the scenario\'s instruction runs')],
  ['kvm_test_request', returns(0, 'no request is pending when the scenario\'s instruction runs')],
  ['kvm_service_local_tlb_flush_requests', nothing('TLB flushes of the physical CPU')],
  ['kvm_pmu_trigger_event', nothing('PMU counting of the emulated instruction (no counter is programmed)')],
  ['kvm_mmu_reset_context', { why: 'MMU rebuild: recorded as the mmu field of cr0/cr3 writes', h: (s, it) => { s.requests.add(-1); return it.VOIDV; } }],
  ['kvm_init_mmu', { why: 'MMU re-init: recorded as the mmu field of cr0 writes', h: (s, it) => { s.requests.add(-2); return it.VOIDV; } }],
  ['kvm_mmu_new_pgd', { why: 'MMU root switch on a CR3 load', h: (s, it) => { s.requests.add(-3); return it.VOIDV; } }],
  ['kvm_mmu_free_roots', nothing('frees MMU roots of the physical host')],
  ['kvm_mmu_unload', nothing('frees MMU roots of the physical host')],
  ['nested_ept_init_mmu_context', nothing('builds the shadow EPT MMU for L2 (no L1-visible effect at entry)')],
  ['nested_ept_uninit_mmu_context', nothing('tears the shadow EPT MMU down')],
  ['kvm_init_shadow_ept_mmu', nothing('shadow EPT MMU construction')],
  ['vmx_start_preemption_timer', nothing('arms an hrtimer for the VMX-preemption timer')],
  ['hrtimer_cancel', returns(0, 'timer of the physical host')],
  ['kvm_vcpu_flush_tlb_current', nothing('TLB flush')],
  ['kvm_apic_has_interrupt', returns(-1, 'no interrupt is pending in L1\'s local APIC')],
  ['kvm_apic_has_pending_init_or_sipi', returns(0, 'no INIT or SIPI is pending')],
  ['vmx_has_apicv_interrupt', returns(0, 'no virtual interrupt is pending')],
  ['kvm_vcpu_apicv_active', returns(0, 'APICv state of the physical vCPU: not modeled; interrupt evaluation only')],
  ['kvm_lapic_set_base', nothing('APIC base of the physical vCPU')],
  ['kvm_apic_set_base', returns(0, 'lapic.c (not parsed): the APIC base KVM_SET_SREGS passes is L1\'s own (enabled xAPIC)')],
  ['kvm_apic_update_apicv', nothing('APICv state')],
  ['kvm_set_cr8', returns(0, 'TPR (lapic.c, not parsed)')],
  ['kvm_lapic_set_tpr', nothing('TPR (lapic.c, not parsed)')],
  ['kvm_x86_ops_update', nothing('module setup of the ops table')],
  ['vmx_update_cpu_dirty_logging', nothing('dirty logging (PML) of the physical host')],
  ['kvm_vcpu_reset', nothing('vCPU reset')],
  ['__kvm_request_immediate_exit', nothing('immediate exit request')],
  ['kvm_set_dr', returns(0, 'debug registers: DR7 loads are not checked on these paths')],
  ['kvm_update_cpuid_runtime', nothing('CPUID bits that follow CR4/MISC_ENABLE (OSXSAVE, OSPKE): not read by the checks')],
  ['kvm_hv_set_cpuid', nothing('Hyper-V CPUID state')],
  ['vmx_set_cr4_guest_host_mask', nothing('CR4 guest/host mask of the physical VMCS')],
  ['vmx_write_encls_bitmap', nothing('SGX exiting bitmap of the physical VMCS')],
  ['vmx_guest_debugctl_read', { why: 'DEBUGCTL of the physical CPU (L1\'s)', h: (_s, it) => it.int(0, ULONG) }],
  ['vmx_guest_debugctl_write', nothing('DEBUGCTL of the physical CPU')],
  ['kvm_async_pf_hash_reset', nothing('async page faults')],
  ['kvm_mmu_track_write_cr0', nothing('MMU tracking')],
  ['kvm_pmu_refresh', nothing('PMU of the vCPU')],
  ['vmx_passthrough_lbr_msrs', nothing('LBR MSR passthrough')],
  ['__preempt_count_add', nothing('preemption count (per-CPU, inline assembly): single-threaded simulation')],
  ['__preempt_count_sub', nothing('preemption count (per-CPU, inline assembly)')],
  ['__preempt_count_dec_and_test', returns(0, 'preemption count: never reaches a reschedule point')],
  ['preempt_count', returns(0, 'preemption count')],
  ['should_resched', returns(0, 'no reschedule pending')],
  ['preempt_schedule', nothing('scheduler')],
  ['preempt_schedule_notrace', nothing('scheduler')],
  ['preempt_disable', nothing('scheduler')],
  ['preempt_enable', nothing('scheduler')],
  ['might_sleep', nothing('debug annotation')],
  ['__might_sleep', nothing('debug annotation')],
  ['__might_fault', nothing('debug annotation')],
  ['might_fault', nothing('debug annotation')],
  ['check_object_size', nothing('hardened usercopy check')],
  ['__check_object_size', nothing('hardened usercopy check')],
  ['should_fail_usercopy', returns(0, 'fault injection is off')],
  ['_copy_to_user', returns(0, 'userspace memory of the ioctl (writes succeed)', ULONG)],
  ['copy_to_user', returns(0, 'userspace memory of the ioctl (writes succeed)', ULONG)],
  ['hrtimer_init', nothing('timer of the physical host')],
  ['hrtimer_setup', nothing('timer of the physical host')],
  ['alloc_loaded_vmcs', { why: 'allocates a VMCS region (and its MSR bitmap) for vmcs02', h: (s, it, a, site) => {
    const lv: LValue = { t: { k: 'struct', tag: 'loaded_vmcs', union: false }, addr: arg(a, 0, site), bitOff: 0, bits: null };
    const v = it.mem.alloc(4096, 'vmcs'); s.vmcs.set(v.addr, new Map());
    setMember(it, lv, 'vmcs', v.addr);
    setMember(it, lv, 'msr_bitmap', it.mem.alloc(4096, 'msr bitmap').addr);
    setMember(it, lv, 'cpu', M64);
    return ret(it, 0);
  } }],
  ['free_loaded_vmcs', nothing('memory is never freed in the simulation')],
  ['kvm_mmu_free_guest_mode_roots', nothing('MMU roots of the physical host')],
  ['vcpu_load', nothing('loads the vCPU on the physical CPU')],
  ['vcpu_put', nothing('puts the vCPU off the physical CPU')],
  ['lockdep_assert_held', nothing('lockdep annotation')],
  ['rcu_read_lock', nothing('RCU')],
  ['rcu_read_unlock', nothing('RCU')],
  ...['spin_lock', 'spin_unlock', 'spin_lock_irq', 'spin_unlock_irq', 'raw_spin_lock', 'raw_spin_unlock', '_raw_spin_lock', '_raw_spin_unlock', 'spin_lock_irqsave', 'spin_unlock_irqrestore', '_raw_spin_lock_irqsave', '_raw_spin_unlock_irqrestore', 'read_lock', 'read_unlock', 'write_lock', 'write_unlock']
    .map((n): [string, Entry] => [n, n.includes('irqsave') && !n.includes('unlock') ? returns(0, 'locking (single-threaded simulation)', ULONG) : nothing('locking (single-threaded simulation)')]),
  ['mutex_lock', nothing('locking (single-threaded simulation)')],
  ['mutex_unlock', nothing('locking (single-threaded simulation)')],
  ['kvm_vcpu_srcu_read_lock', nothing('SRCU (single-threaded simulation)')],
  ['kvm_vcpu_srcu_read_unlock', nothing('SRCU (single-threaded simulation)')],
  ['srcu_read_lock', returns(0, 'SRCU (single-threaded simulation)')],
  ['srcu_read_unlock', nothing('SRCU (single-threaded simulation)')],
  ['dump_stack', nothing('debug output')],
  ['kfree', nothing('memory is never freed in the simulation')],
  ['vfree', nothing('memory is never freed in the simulation')],
  ['free_page', nothing('memory is never freed in the simulation')],
  ['free_pages', nothing('memory is never freed in the simulation')],
  ['kvfree', nothing('memory is never freed in the simulation')],
  ['free_vmcs', nothing('memory is never freed in the simulation')],
  ['__free_pages', nothing('memory is never freed in the simulation')],
  ['kvm_release_page_clean', nothing('page reference of a mapping')],
  ['kvm_release_page_dirty', nothing('page reference of a mapping')],

  // bitops: the kernel's are inline assembly (BTS/BTR/BT); same semantics on simulated memory
  ...['set_bit', '__set_bit', '___set_bit', 'arch_set_bit', 'arch___set_bit', 'clear_bit', '__clear_bit', '___clear_bit', 'arch_clear_bit', 'arch___clear_bit'].map((n): [string, Entry] => [n, { why: 'bit operation on memory (the kernel\'s is inline assembly)', h: (_s, it, a, site) => {
    const nr = arg(a, 0, site), addr = arg(a, 1, site);
    const w = addr + (nr >> 6n) * 8n;
    const cur = it.mem.readUnsigned(w, 8);
    const bit = 1n << (nr & 63n);
    it.mem.writeUnsigned(w, 8, n.includes('set') ? cur | bit : cur & ~bit);
    return it.VOIDV;
  } }]),
  ...['test_and_set_bit', 'test_and_clear_bit', '__test_and_set_bit', '__test_and_clear_bit', 'arch_test_and_set_bit', 'arch_test_and_clear_bit', 'arch___test_and_set_bit', 'arch___test_and_clear_bit'].map((n): [string, Entry] => [n, { why: 'bit operation on memory (inline assembly in the kernel)', h: (_s, it, a, site) => {
    const nr = arg(a, 0, site), addr = arg(a, 1, site);
    const w = addr + (nr >> 6n) * 8n;
    const cur = it.mem.readUnsigned(w, 8);
    const bit = 1n << (nr & 63n);
    it.mem.writeUnsigned(w, 8, n.includes('set') ? cur | bit : cur & ~bit);
    return ret(it, (cur & bit) !== 0n, BOOL);
  } }]),
  ...['variable_test_bit', 'arch_test_bit', '_test_bit', '__test_bit', 'test_bit', 'generic_test_bit', 'const_test_bit', 'arch_test_bit_acquire', 'test_bit_acquire'].map((n): [string, Entry] => [n, { why: 'bit test on memory (BT is inline assembly in the kernel)', h: (_s, it, a, site) => {
    const nr = arg(a, 0, site), addr = arg(a, 1, site);
    const cur = it.mem.readUnsigned(addr + (nr >> 6n) * 8n, 8);
    return ret(it, (cur >> (nr & 63n)) & 1n, BOOL);
  } }]),
  ...['__ffs', 'variable__ffs', '__fls', 'variable__fls', 'ffs', 'fls', 'fls64', 'variable_ffs', 'variable_fls', '__ffs64'].map((n): [string, Entry] => [n, { why: 'bit scan (BSF/BSR are inline assembly in the kernel)', h: (_s, it, a, site) => {
    const x = BigInt.asUintN(64, arg(a, 0, site));
    const lowest = x === 0n ? -1 : x.toString(2).length - x.toString(2).lastIndexOf('1') - 1;
    const highest = x === 0n ? -1 : x.toString(2).length - 1;
    switch (n) {
      case '__ffs': case 'variable__ffs': case '__ffs64': return it.int(lowest < 0 ? 0 : lowest, ULONG);
      case '__fls': case 'variable__fls': return it.int(highest < 0 ? 0 : highest, ULONG);
      case 'ffs': case 'variable_ffs': return it.int(lowest + 1);
      default: return it.int(highest + 1);
    }
  } }]),
  // the host CPU's own registers (per-CPU or inline assembly); not part of any outcome
  ['cr4_read_shadow', { why: 'the host\'s CR4 (per-CPU shadow): L1\'s CR4 with VMXE, as a host running KVM has it', h: (s, it) => it.int(s.world.l1.cr4 | 0x2000n | 0x40n, ULONG) }],
  ['read_cr0', { why: 'the host\'s CR0 (inline assembly)', h: (_s, it) => it.int(0x80050033n, ULONG) }],
  ['__read_cr4', { why: 'the host\'s CR4 (inline assembly)', h: (s, it) => it.int(s.world.l1.cr4 | 0x2000n | 0x40n, ULONG) }],
  ['native_read_cr0', { why: 'the host\'s CR0 (inline assembly)', h: (_s, it) => it.int(0x80050033n, ULONG) }],
  ['native_read_cr4', { why: 'the host\'s CR4 (inline assembly)', h: (s, it) => it.int(s.world.l1.cr4 | 0x2000n | 0x40n, ULONG) }],
  ['__native_read_cr3', { why: 'the host\'s CR3 (inline assembly)', h: (_s, it) => it.int(0x1000n, ULONG) }],
  ['__read_cr3', { why: 'the host\'s CR3 (inline assembly)', h: (_s, it) => it.int(0x1000n, ULONG) }],
  ['native_store_gdt', nothing('SGDT of the host (inline assembly)')],
  ['native_store_idt', nothing('SIDT of the host')],
  ['store_idt', nothing('SIDT of the host')],
  ['rdtsc', { why: 'the host\'s time-stamp counter (RDTSC): 0 at the instruction', h: (_s, it) => it.int(0, ULONG) }],
  ['rdtsc_ordered', { why: 'the host\'s time-stamp counter: 0 at the instruction', h: (_s, it) => it.int(0, ULONG) }],
  // module setup that touches only the host or other subsystems
  ['native_write_msr_safe', returns(0, 'WRMSR to the host CPU (succeeds)')],
  ['wrmsrl_safe', returns(0, 'WRMSR to the host CPU (succeeds)')],
  ['ioremap', returns(0, 'maps device memory of the host (not used on these paths)', ULONG)],
  ['ioremap_wc', returns(0, 'maps device memory of the host', ULONG)],
  ['alloc_kvm_area', returns(0, 'per-CPU VMXON regions of the host')],
  ['kvm_configure_mmu', { why: 'mmu.c (not parsed): records TDP (tdp_enabled = enable_ept) as kvm_configure_mmu does', h: (_s, it, a, site) => {
    const g = it.global('tdp_enabled');
    if (g) it.store(g, it.int(arg(a, 0, site) !== 0n ? 1 : 0, BOOL));
    return it.VOIDV;
  } }],
  ['kvm_mmu_set_ept_masks', nothing('SPTE masks of the MMU')],
  ['kvm_mmu_set_me_spte_mask', nothing('SPTE masks of the MMU')],
  ['kvm_set_posted_intr_wakeup_handler', nothing('posted-interrupt wakeup IRQ of the host')],
  ['setup_default_sgx_lepubkeyhash', nothing('SGX launch-enclave key of the host')],
  ['kvm_set_cpu_caps', nothing('cpuid.c builds KVM\'s CPUID caps from the host: the boundary answers kvm_cpu_cap_has from the scenario\'s host features')],
  ['kvm_cpu_cap_clear', nothing('KVM CPUID caps are answered from the scenario\'s host features')],
  ['kvm_cpu_cap_set', nothing('KVM CPUID caps are answered from the scenario\'s host features')],
  ['kvm_cpu_cap_check_and_set', nothing('KVM CPUID caps are answered from the scenario\'s host features')],
  ['vmx_setup_user_return_msrs', nothing('user-return MSR slots of the host')],
  ['kvm_add_user_return_msr', returns(0, 'user-return MSR slots of the host')],
  ['kvm_find_user_return_msr', returns(-1, 'user-return MSR slots of the host')],
  ['nested_vmx_hardware_unsetup', nothing('frees bitmaps at unload')],
  ['hv_init_evmcs', nothing('KVM on Hyper-V only')],
  ['xgetbv', { why: 'XGETBV of the host: x87, SSE, AVX', h: (_s, it) => it.int(7, ULONG) }],
  ['x86_perf_get_lbr', { why: 'the host perf subsystem\'s LBR description: no LBRs (zeroed)', h: (_s, it) => it.int(-1) }],
  ['perf_get_x86_pmu_capability', nothing('host PMU capability (zeroed: no PMU to virtualize beyond the scenario\'s pmu)')],
  ['kvm_init_pmu_capability', nothing('PMU capability of the host')],
  // CPUID of the host (an instruction): the leaves KVM's setup code reads
  ['cpuid_eax', { why: 'host CPUID.EAX: leaf 0 (highest leaf 0x20), leaf 0x12 (SGX1 when the host has SGX)', h: (s, it, a, site) => {
    const leaf = arg(a, 0, site);
    return it.int(leaf === 0n ? 0x20n : leaf === 0x12n ? (s.world.hostFeatures.has('SGX') ? 1n : 0n) : leaf === 0x80000000n ? 0x80000008n : 0n, UINT);
  } }],
  ['cpuid_ebx', returns(0, 'host CPUID.EBX of leaves KVM reads at setup (none decides an outcome)', UINT)],
  ['cpuid_ecx', { why: 'host CPUID.ECX: leaf 1 bit 5 is VMX (the scenario\'s host.features)', h: (s, it, a, site) => it.int(arg(a, 0, site) === 1n && s.world.hostFeatures.has('VMX') ? 0x20n : 0n, UINT) }],
  ['migrate_disable', nothing('scheduler (single CPU)')],
  ['migrate_enable', nothing('scheduler (single CPU)')],
  ['smp_processor_id', returns(0, 'the one simulated CPU')],
  ['raw_smp_processor_id', returns(0, 'the one simulated CPU')],
  ['cpuid_edx', returns(0, 'host CPUID.EDX of leaves KVM reads at setup (none decides an outcome)', UINT)],
  // kernel virtual ↔ physical addresses (only ever written into the physical VMCS): identity
  ...['__phys_addr', '__phys_addr_nodebug', '__phys_addr_symbol', 'virt_to_phys', 'page_to_phys', 'slow_virt_to_phys'].map((n): [string, Entry] => [n, { why: 'host physical address of a kernel object (written into vmcs02 only): the address itself', h: (_s, it, a, site) => it.int(arg(a, 0, site), ULONG) }]),
  // atomics (linux/atomic headers are not parsed; single-threaded: plain loads and stores of ->counter)
  ...['atomic_read', 'raw_atomic_read', 'arch_atomic_read'].map((n): [string, Entry] => [n, { why: 'atomic_t load (single-threaded)', h: (_s, it, a, site) => it.int(it.mem.readUnsigned(arg(a, 0, site), 4), INT) }]),
  ...['atomic64_read', 'atomic_long_read', 'raw_atomic64_read', 'arch_atomic64_read'].map((n): [string, Entry] => [n, { why: 'atomic64_t load (single-threaded)', h: (_s, it, a, site) => it.int(it.mem.readUnsigned(arg(a, 0, site), 8), LONG) }]),
  ...['atomic_set', 'raw_atomic_set', 'arch_atomic_set'].map((n): [string, Entry] => [n, { why: 'atomic_t store (single-threaded)', h: (_s, it, a, site) => { it.mem.writeUnsigned(arg(a, 0, site), 4, arg(a, 1, site)); return it.VOIDV; } }]),
  ...['atomic_inc', 'atomic_dec'].map((n): [string, Entry] => [n, { why: 'atomic_t update (single-threaded)', h: (_s, it, a, site) => {
    const p = arg(a, 0, site); it.mem.writeUnsigned(p, 4, it.mem.readUnsigned(p, 4) + (n === 'atomic_inc' ? 1n : -1n)); return it.VOIDV;
  } }]),
  // small pure helpers of headers the front end reads for directives only (asm/page.h)
  ['__canonical_address', { why: 'asm/page.h (not parsed): sign-extends from bit vaddr_bits - 1', h: (_s, it, a, site) => {
    const bits = arg(a, 1, site), v = arg(a, 0, site);
    return it.int(BigInt.asUintN(64, BigInt.asIntN(Number(bits), v)), ULONG);
  } }],
  ['__is_canonical_address', { why: 'asm/page.h (not parsed): the address equals its sign extension', h: (_s, it, a, site) => {
    const bits = arg(a, 1, site), v = BigInt.asUintN(64, arg(a, 0, site));
    return it.int(BigInt.asUintN(64, BigInt.asIntN(Number(bits), v)) === v, BOOL);
  } }],
  ...['find_first_zero_bit', 'find_first_bit', '_find_first_zero_bit', '_find_first_bit'].map((n): [string, Entry] => [n, { why: 'bitmap search (lib/find_bit.c, not parsed)', h: (_s, it, a, site) => {
    const addr = arg(a, 0, site), size = arg(a, 1, site);
    const zero = n.includes('zero');
    for (let i = 0n; i < size && i < 1n << 20n; i++) {
      const w = it.mem.readUnsigned(addr + (i >> 6n) * 8n, 8);
      if ((((w >> (i & 63n)) & 1n) === 0n) === zero) return it.int(i, ULONG);
    }
    return it.int(size, ULONG);
  } }]),
  ['hweight32', { why: 'population count (POPCNT alternative is inline assembly)', h: (_s, it, a, site) => it.int(popcount(BigInt.asUintN(32, arg(a, 0, site))), UINT) }],
  ['hweight64', { why: 'population count (POPCNT alternative is inline assembly)', h: (_s, it, a, site) => it.int(popcount(BigInt.asUintN(64, arg(a, 0, site))), UINT) }],
  ['__arch_hweight32', { why: 'population count', h: (_s, it, a, site) => it.int(popcount(BigInt.asUintN(32, arg(a, 0, site))), UINT) }],
  ['__arch_hweight64', { why: 'population count', h: (_s, it, a, site) => it.int(popcount(BigInt.asUintN(64, arg(a, 0, site))), UINT) }],
  ['array_index_mask_nospec', { why: 'speculation barrier mask (inline assembly): ~0 when index < size', h: (_s, it, a, site) => it.int(arg(a, 0, site) < arg(a, 1, site) ? M64 : 0n, ULONG) }],
  ['native_save_fl', { why: 'host RFLAGS (inline assembly): interrupts enabled', h: (_s, it) => it.int(0x202, ULONG) }],
  ['arch_local_save_flags', { why: 'host RFLAGS (inline assembly)', h: (_s, it) => it.int(0x202, ULONG) }],
  ['arch_local_irq_save', { why: 'host interrupt flag (inline assembly)', h: (_s, it) => it.int(0x202, ULONG) }],
  ['arch_local_irq_restore', nothing('host interrupt flag (inline assembly)')],
  ['arch_local_irq_disable', nothing('host interrupt flag (inline assembly)')],
  ['arch_local_irq_enable', nothing('host interrupt flag (inline assembly)')],
  ['native_irq_disable', nothing('host interrupt flag (inline assembly)')],
  ['native_irq_enable', nothing('host interrupt flag (inline assembly)')],
  ['barrier_nospec', nothing('speculation barrier')],
  ['rep_nop', nothing('PAUSE')],
  ['cpu_relax', nothing('PAUSE')],
];

/** The boundary table (function name → entry with the reason it is a handler). */
export const BOUNDARY_TABLE: ReadonlyMap<string, Entry> = new Map(TABLE);

/** Names handled by prefix: tracepoints (trace_*) compile to static keys and ring buffers. */
function prefixEntry(name: string): Entry | undefined {
  if (name.startsWith('trace_') && !name.endsWith('_enabled')) return nothing('tracepoint (the CC() ones are recorded by the statement-expression hook)');
  if (name.startsWith('trace_') && name.endsWith('_enabled')) return returns(0, 'tracepoint enabled check');
  if (name.startsWith('__compiletime_assert_')) return { why: 'BUILD_BUG_ON: a compile-time assertion that failed', h: (_s, it, _a, site) => it.fail(`compile-time assertion ${site.name} failed`) };
  if (name.startsWith('__bad_') || name === '__xchg_wrong_size' || name === '__cmpxchg_wrong_size') return { why: 'link-time error helper', h: (_s, it, _a, site) => it.fail(`${site.name}: the kernel would not link`) };
  return undefined;
}

function popcount(x: bigint): number { let n = 0; while (x) { n += Number(x & 1n); x >>= 1n; } return n; }

function guestHas(s: KernelState, n: bigint): boolean {
  const f = feature(s, n);
  return f !== null && s.world.guestFeatures.has(f);
}
function hostHas(s: KernelState, n: bigint): boolean {
  const f = feature(s, n);
  return f !== null && s.world.hostFeatures.has(f);
}

/** MSR index → the scenario's host MSR value (VMX capability MSRs; others 0). */
const MSR_NAMES: Record<number, string> = {
  0x480: 'MSR_IA32_VMX_BASIC', 0x481: 'MSR_IA32_VMX_PINBASED_CTLS', 0x482: 'MSR_IA32_VMX_PROCBASED_CTLS', 0x483: 'MSR_IA32_VMX_EXIT_CTLS',
  0x484: 'MSR_IA32_VMX_ENTRY_CTLS', 0x485: 'MSR_IA32_VMX_MISC', 0x486: 'MSR_IA32_VMX_CR0_FIXED0', 0x487: 'MSR_IA32_VMX_CR0_FIXED1',
  0x488: 'MSR_IA32_VMX_CR4_FIXED0', 0x489: 'MSR_IA32_VMX_CR4_FIXED1', 0x48a: 'MSR_IA32_VMX_VMCS_ENUM', 0x48b: 'MSR_IA32_VMX_PROCBASED_CTLS2',
  0x48c: 'MSR_IA32_VMX_EPT_VPID_CAP', 0x48d: 'MSR_IA32_VMX_TRUE_PINBASED_CTLS', 0x48e: 'MSR_IA32_VMX_TRUE_PROCBASED_CTLS',
  0x48f: 'MSR_IA32_VMX_TRUE_EXIT_CTLS', 0x490: 'MSR_IA32_VMX_TRUE_ENTRY_CTLS', 0x491: 'MSR_IA32_VMX_VMFUNC', 0x492: 'MSR_IA32_VMX_PROCBASED_CTLS3',
};
function hostMsr(s: KernelState, it: Interp, index: bigint): bigint {
  const name = MSR_NAMES[Number(index & 0xffffffffn)];
  if (name) return s.world.hostMsrs.get(name) ?? 0n;
  void it;
  return 0n;
}

function readCached(s: KernelState, it: Interp, ghcAddr: bigint, offset: bigint, dst: bigint, len: number): Value {
  const ghc: LValue = { t: { k: 'struct', tag: 'gfn_to_hva_cache', union: false }, addr: ghcAddr, bitOff: 0, bits: null };
  const gpaLv = member(it, ghc, 'gpa');
  const gpa = gpaLv ? it.load(gpaLv).v : 0n;
  return ret(it, readGuestInto(s, it, gpa + offset, dst, len) ? 0 : -errno(it, 'EFAULT'));
}

/** Userspace memory (the ioctl's buffer is an object the path built): copied when the range is inside it, else -EFAULT. */
function copyFromUser(_s: KernelState, it: Interp, dst: bigint, src: bigint, len: number): Value {
  let from;
  try { from = it.mem.locate(src, len); } catch (e) { if (e instanceof InterpError) return it.int(len, ULONG); throw e; }
  const { obj, off } = it.mem.locate(dst, len);
  obj.bytes.set(from.obj.bytes.subarray(from.off, from.off + len), off);
  return it.int(0, ULONG);
}

/** vcpu (struct kvm_vcpu *) → its struct vcpu_vmx (container_of). */
export function containerOfVcpu(it: Interp, vcpu: bigint): LValue {
  const t: LValue['t'] = { k: 'struct', tag: 'vcpu_vmx', union: false };
  const off = it.types.field(t, 'vcpu').offset;
  return { t, addr: vcpu - BigInt(off), bitOff: 0, bits: null };
}

/** The Boundary the interpreter consults, bound to one simulation's state. */
export function makeBoundary(s: KernelState, globals: (name: string, it: Interp) => LValue | undefined): Boundary & { noArgs(name: string): RawHandler | undefined } {
  const cache = new Map<string, Handler | null>();
  return {
    noArgs(name: string): RawHandler | undefined {
      const e = BOUNDARY_TABLE.get(name) ?? prefixEntry(name);
      if (!e || !e.noArgs) return undefined;
      return (it, _args, site) => e.h(s, it, [], site);
    },
    handler(name: string): Handler | undefined {
      const hit = cache.get(name);
      if (hit !== undefined) return hit ?? undefined;
      const e = BOUNDARY_TABLE.get(name) ?? prefixEntry(name);
      const h: Handler | null = e ? (it, args, site) => e.h(s, it, args, site) : null;
      cache.set(name, h);
      return h ?? undefined;
    },
    global: globals,
  };
}

export { VOID, LONG };

/** The boundary table as documentation: every function the engine answers instead of the tree, with the reason. */
export function boundaryEntries(): { name: string; why: string; argumentsEvaluated: boolean }[] {
  return [...BOUNDARY_TABLE].map(([name, e]) => ({ name, why: e.why, argumentsEvaluated: !e.noArgs }));
}
