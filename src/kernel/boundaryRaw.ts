// The boundary's handlers for kernel macros the front end keeps as calls (src/kernel/front/config.ts
// KEPT_MACROS): they receive their arguments unevaluated, because the argument is a name
// (static_call(kvm_x86_cache_reg), this_cpu_read(var)) or because the macro decides whether to
// evaluate it. Part of the one boundary table (boundary.ts); each entry says why.
import type { Expr } from './ast';
import type { Interp, RawHandler, Value, CallSite, LValue } from './interp/interp';
import { INT, BOOL, ULONG, VOID } from './interp/ctype';
import { InterpError } from './interp/errors';
import { member, record, formatPrintk } from './boundary';
import type { Sim } from './paths';

function idName(e: Expr | undefined): string | null {
  if (!e) return null;
  if (e.k === 'id') return e.name;
  if (e.k === 'unary' && e.op === '&') return idName(e.arg);
  return null;
}

/** The kvm_x86_ops (or pmu ops) table's function for a static call key name. */
function opsFunction(sim: Sim, it: Interp, key: string, site: CallSite, optional: boolean): Value {
  const pmu = key.startsWith('kvm_x86_pmu_');
  const op = key.replace(/^kvm_x86_(pmu_)?/, '');
  for (const table of pmu ? ['intel_pmu_ops'] : ['vt_x86_ops', 'vmx_x86_ops']) {
    if (!it.program.globals.has(table)) continue;
    const g = it.global(table);
    if (!g) continue;
    const m = member(it, g, op);
    if (!m) continue;
    const v = it.load(m);
    // a NULL static call (KVM_X86_OP_OPTIONAL / _RET0 left unset) is a no-op returning 0
    if (v.v === 0n) return { t: { k: 'ptr', to: { k: 'func', ret: INT, params: [], variadic: true } }, v: it.mem.fnAddr('__engine_nop') };
    return v;
  }
  const guess = pmu ? `intel_pmu_${op}` : `vmx_${op}`;
  if (sim.program.functions.has(guess) || it.boundary.handler(guess)) return { t: { k: 'ptr', to: { k: 'func', ret: INT, params: [], variadic: true } }, v: it.mem.fnAddr(guess) };
  if (optional) return { t: { k: 'ptr', to: { k: 'func', ret: INT, params: [], variadic: true } }, v: it.mem.fnAddr('__engine_nop') };
  throw new InterpError(`cannot run static call ${key}: no ops table entry in the tree`, site.location);
}

function warn(sim: Sim, it: Interp, site: CallSite, cond: boolean, text: string | null): void {
  if (!cond) return;
  const fn = it.current()?.name ?? '?';
  const msg = `WARNING: ${fn} at ${site.location}${text ? `: ${text}` : ''}`;
  if (!sim.s.warnings.includes(msg)) sim.s.warnings.push(msg);
}

function fmtArgs(it: Interp, args: Expr[]): string {
  const fmt = it.evalExpr(args[0]);
  const vals = args.slice(1).map(a => it.evalExpr(a));
  return formatPrintk(it, it.mem.cString(fmt.v, 1024), vals);
}

/** The CPU feature a boot_cpu_has()-style macro names, answered from the host features. */
function hostFeature(sim: Sim, it: Interp, e: Expr | undefined): boolean {
  if (!e) return false;
  const n = Number(it.evalExpr(e).v);
  const name = sim.feature(n);
  if (name === null) return false;
  if (name === 'HYPERVISOR') return false;
  // IA32_FEAT_CTL exists (and enables VMX outside SMX) on every host that has VMX
  if (name === 'MSR_IA32_FEAT_CTL') return sim.world.hostFeatures.has('VMX');
  return sim.world.hostFeatures.has(name);
}

/** Static keys: the key's initial state as defined in the tree (DEFINE_STATIC_KEY_*), or false. */
function staticKey(it: Interp, e: Expr | undefined): boolean {
  const name = idName(e);
  if (name && STATIC_KEYS.has(name)) return STATIC_KEYS.get(name)!;
  if (!e) return false;
  try {
    const p = it.evalExpr(e);
    const t = it.types.resolve(p.t);
    if (t.k !== 'ptr') return false;
    const lv: LValue = { t: t.to, addr: p.v, bitOff: 0, bits: null };
    const enabled = member(it, lv, 'key.enabled.counter') ?? member(it, lv, 'enabled.counter');
    return enabled ? it.load(enabled).v > 0n : false;
  } catch (x) {
    if (x instanceof InterpError) return false;
    throw x;
  }
}

/** Static keys whose state the scenario decides (KVM not running on Hyper-V; no vCPU without an in-kernel APIC). */
const STATIC_KEYS = new Map<string, boolean>([
  ['__kvm_is_using_evmcs', false],
  ['kvm_has_noapic_vcpu', false],
  ['vmx_l1d_should_flush', false],
  ['vmx_l1d_flush_cond', false],
  ['mmio_stale_data_clear', false],
  ['cpu_buf_vm_clear', false],
  ['kvm_xen_enabled', false],
  ['apic_hw_disabled', false],
  ['apic_sw_disabled', false],
]);

type Raw = (sim: Sim, it: Interp, args: Expr[], site: CallSite) => Value;

const RAW: [string, string, Raw][] = [
  ['static_call', 'static-call trampoline: dispatch through the tree\'s ops table (vt_x86_ops)', (sim, it, a, site) => opsFunction(sim, it, idName(a[0]) ?? '', site, false)],
  ['static_call_cond', 'static call of an optional op (a missing op does nothing)', (sim, it, a, site) => opsFunction(sim, it, idName(a[0]) ?? '', site, true)],
  ['static_call_mod', 'as static_call', (sim, it, a, site) => opsFunction(sim, it, idName(a[0]) ?? '', site, false)],
  ['static_branch_unlikely', 'asm-goto static key: its state', (_sim, it, a) => it.int(staticKey(it, a[0]), BOOL)],
  ['static_branch_likely', 'asm-goto static key: its state', (_sim, it, a) => it.int(staticKey(it, a[0]), BOOL)],
  ['static_key_enabled', 'static key state', (_sim, it, a) => it.int(staticKey(it, a[0]), BOOL)],
  ['boot_cpu_has', 'host CPU feature (scenario host.features)', (sim, it, a) => it.int(hostFeature(sim, it, a[0]), BOOL)],
  ['static_cpu_has', 'host CPU feature', (sim, it, a) => it.int(hostFeature(sim, it, a[0]), BOOL)],
  ['cpu_feature_enabled', 'host CPU feature', (sim, it, a) => it.int(hostFeature(sim, it, a[0]), BOOL)],
  ['this_cpu_has', 'host CPU feature', (sim, it, a) => it.int(hostFeature(sim, it, a[0]), BOOL)],
  ['cpu_has', 'host CPU feature of a cpuinfo (the boot CPU)', (sim, it, a) => it.int(hostFeature(sim, it, a[1]), BOOL)],
  ['WARN_ON', 'a kernel warning when the condition holds (ud2 + bug table in the kernel)', (sim, it, a, site) => {
    const v = it.truthy(it.evalExpr(a[0])); warn(sim, it, site, v, null); return it.int(v, INT);
  }],
  ['WARN_ON_ONCE', 'as WARN_ON', (sim, it, a, site) => { const v = it.truthy(it.evalExpr(a[0])); warn(sim, it, site, v, null); return it.int(v, INT); }],
  ['WARN', 'a kernel warning with a message', (sim, it, a, site) => { const v = it.truthy(it.evalExpr(a[0])); warn(sim, it, site, v, v && a.length > 1 ? fmtArgs(it, a.slice(1)) : null); return it.int(v, INT); }],
  ['WARN_ONCE', 'as WARN', (sim, it, a, site) => { const v = it.truthy(it.evalExpr(a[0])); warn(sim, it, site, v, v && a.length > 1 ? fmtArgs(it, a.slice(1)) : null); return it.int(v, INT); }],
  ['KVM_BUG_ON', 'marks the VM bugged when the condition holds', (sim, it, a, site) => { const v = it.truthy(it.evalExpr(a[0])); warn(sim, it, site, v, 'KVM_BUG_ON'); return it.int(v, INT); }],
  ['BUG', 'a kernel BUG stops the run', (_sim, it, _a, site) => { throw new InterpError(`kernel BUG() reached`, site.location); }],
  ['BUG_ON', 'a kernel BUG when the condition holds', (_sim, it, a, site) => { if (it.truthy(it.evalExpr(a[0]))) throw new InterpError('kernel BUG_ON() fired', site.location); return it.VOIDV; }],
  ...['pr_warn_ratelimited', 'pr_warn_once', 'pr_err_ratelimited'].map((n): [string, string, Raw] => [n, 'a kernel warning: its text goes into warnings', (sim, it, a) => {
    const text = fmtArgs(it, a);
    if (!(n.endsWith('_once') && sim.s.warnings.includes(text))) sim.s.warnings.push(text);
    return it.int(0);
  }]),
  ['pr_info_ratelimited', 'informational log text (not a warning)', (_sim, it) => it.int(0)],
  ['kvm_pr_unimpl', 'debug text for unimplemented features (off by default)', (_sim, it) => it.int(0)],
  ['vcpu_unimpl', 'debug text for unimplemented features (off by default)', (_sim, it) => it.int(0)],
 ['smp_processor_id', 'the one simulated CPU', (_sim, it) => it.int(0)],
  ['raw_smp_processor_id', 'the one simulated CPU', (_sim, it) => it.int(0)],
  ['this_cpu_read', 'per-CPU data: the one simulated CPU\'s copy', (_sim, it, a) => it.evalExpr(a[0])],
  ['__this_cpu_read', 'per-CPU data: the one simulated CPU\'s copy', (_sim, it, a) => it.evalExpr(a[0])],
  ['this_cpu_write', 'per-CPU data: the one simulated CPU\'s copy', (_sim, it, a) => it.store(it.lval(a[0]), it.evalExpr(a[1]))],
  ['__this_cpu_write', 'per-CPU data: the one simulated CPU\'s copy', (_sim, it, a) => it.store(it.lval(a[0]), it.evalExpr(a[1]))],
  ['this_cpu_ptr', 'per-CPU data: the one simulated CPU\'s copy', (_sim, it, a) => it.evalExpr(a[0])],
  ['per_cpu', 'per-CPU data: the one simulated CPU\'s copy', (_sim, it, a) => it.evalExpr(a[0])],
  ['per_cpu_ptr', 'per-CPU data: the one simulated CPU\'s copy', (_sim, it, a) => it.evalExpr(a[0])],
  // memory allocation: the GFP flags argument is not evaluated (its enum lives in a header that is not parsed)
  ...['__get_free_page', 'get_zeroed_page'].map((n): [string, string, Raw] => [n, 'a zeroed page (GFP flags ignored)', (_sim, it) => it.int(it.mem.alloc(4096, n).addr, ULONG)]),
  ['__get_free_pages', 'zeroed pages (GFP flags ignored)', (_sim, it, a) => it.int(it.mem.alloc(4096 << Number(it.evalExpr(a[1]).v & 7n), '__get_free_pages').addr, ULONG)],
  ...['kzalloc', 'kmalloc', 'vzalloc', 'vmalloc', 'kvzalloc', 'kvmalloc'].map((n): [string, string, Raw] => [n, 'a zeroed object (GFP flags ignored)', (_sim, it, a) => {
    const size = Number(BigInt.asUintN(64, it.evalExpr(a[0]).v));
    if (size > 1 << 22) return it.ptr(0n, VOID);
    return it.ptr(it.mem.alloc(size, n).addr, VOID);
  }]),
  ...['kcalloc', 'kmalloc_array', 'kvcalloc', 'kvmalloc_array'].map((n): [string, string, Raw] => [n, 'a zeroed array (GFP flags ignored)', (_sim, it, a) => {
    const size = Number(BigInt.asUintN(64, it.evalExpr(a[0]).v * it.evalExpr(a[1]).v));
    if (size > 1 << 22) return it.ptr(0n, VOID);
    return it.ptr(it.mem.alloc(size, n).addr, VOID);
  }]),
  ['alloc_vmcs_cpu', 'allocates a VMCS region (the GFP flags are not evaluated)', (sim, it, a) => {
    const v = it.mem.alloc(4096, 'vmcs'); sim.s.vmcs.set(v.addr, new Map());
    void a; return it.ptr(v.addr, VOID);
  }],
  ['module_param', 'module metadata', (_sim, it) => it.VOIDV],
  ['module_param_named', 'module metadata', (_sim, it) => it.VOIDV],
  ['module_param_cb', 'module metadata', (_sim, it) => it.VOIDV],
];

const RAW_TABLE = new Map(RAW.map(([n, why, h]) => [n, { why, h }]));

/** Names of the raw (macro) handlers with the reason for each (the boundary's documentation). */
export function rawEntries(): [string, string][] { return RAW.map(([n, why]) => [n, why]); }

/** Allocators (6.12 names them *_noprof behind alloc_hooks()): zeroed memory; GFP flags are not evaluated. */
function allocator(name: string): { why: string; h: Raw } | undefined {
  if (!name.endsWith('_noprof')) return undefined;
  const base = name.replace(/^_+/, '').replace(/_noprof$/, '');
  const page = /pages?$/.test(base);
  const array = /array|calloc/.test(base);
  return { why: 'allocation: zeroed memory (GFP flags are not evaluated)', h: (_sim, it, a) => {
    let size: bigint;
    if (page) size = 4096n << (base.startsWith('get_free_pages') || base === 'alloc_pages' ? it.evalExpr(a[1]).v & 7n : 0n);
    else if (array) size = it.evalExpr(a[0]).v * it.evalExpr(a[1]).v;
    else size = it.evalExpr(a[0]).v;
    size = BigInt.asUintN(64, size);
    if (size > 1n << 22n) return it.ptr(0n, VOID);
    const addr = it.mem.alloc(Number(size), base).addr;
    return page && base.startsWith('get_free') ? it.int(addr, ULONG) : it.ptr(addr, VOID);
  } };
}

export function rawHandler(name: string, sim: Sim): RawHandler | undefined {
  const e = RAW_TABLE.get(name) ?? allocator(name);
  if (!e) return undefined;
  return (it, args, site) => e.h(sim, it, args, site);
}

export { VOID, ULONG, record };
