// The fixed build configuration under which the kernel engine reads a tree: an x86-64 KVM host
// as Debian builds it (values checked against Debian's amd64 config for 6.12,
// /usr/src/linux-config-6.12/config.amd64_none_amd64.xz). An option not in the table is off (n),
// which is also what `#if CONFIG_X` gives for it. A few options Debian enables are deliberately
// left off where they only add instrumentation or compile-time checking around the code the engine
// runs; each such choice says so. Also here: the compiler's predefined macros, and the kernel
// macros the engine keeps as calls or replaces (both change no single-threaded meaning).

export type ConfigValue = 'y' | 'm' | number | string;
export interface ConfigRow { name: string; value: ConfigValue; why: string }

export const KERNEL_CONFIG: readonly ConfigRow[] = [
  // the machine
  { name: 'CONFIG_X86', value: 'y', why: 'x86 tree' },
  { name: 'CONFIG_X86_64', value: 'y', why: 'VMX nested virtualization is simulated for a 64-bit host (arch/x86/kvm code has 32-bit-only branches)' },
  { name: 'CONFIG_64BIT', value: 'y', why: 'implied by X86_64; sizes of long and pointers' },
  { name: 'CONFIG_X86_64_SMP', value: 'y', why: 'Debian: SMP 64-bit' },
  { name: 'CONFIG_SMP', value: 'y', why: 'Debian; per-CPU VMCS handling in vmx.c takes the SMP branches' },
  { name: 'CONFIG_NR_CPUS', value: 8192, why: 'Debian value; only sizes bitmaps' },
  { name: 'CONFIG_X86_LOCAL_APIC', value: 'y', why: 'APIC virtualization controls in nested.c depend on it' },
  { name: 'CONFIG_X86_X2APIC', value: 'y', why: 'Debian; x2APIC MSR interception bitmaps' },
  { name: 'CONFIG_X86_5LEVEL', value: 'y', why: 'Debian; 5-level paging (LA57) is a host capability the canonical-address checks consult' },
  { name: 'CONFIG_PGTABLE_LEVELS', value: 5, why: 'follows X86_5LEVEL (Debian value)' },
  { name: 'CONFIG_X86_PAT', value: 'y', why: 'Debian; IA32_PAT checks on VM entry' },
  { name: 'CONFIG_X86_MCE', value: 'y', why: 'Debian' },
  { name: 'CONFIG_X86_L1_CACHE_SHIFT', value: 6, why: 'Debian value; alignment macros' },
  { name: 'CONFIG_X86_MINIMUM_CPU_FAMILY', value: 64, why: 'Debian value' },
  { name: 'CONFIG_X86_CMPXCHG64', value: 'y', why: 'Debian' },
  { name: 'CONFIG_PHYS_ADDR_T_64BIT', value: 'y', why: 'phys_addr_t is 64-bit' },
  { name: 'CONFIG_MMU', value: 'y', why: 'always on x86' },
  { name: 'CONFIG_NUMA', value: 'y', why: 'Debian' },
  { name: 'CONFIG_NODES_SHIFT', value: 10, why: 'Debian value' },
  { name: 'CONFIG_HZ', value: 250, why: 'Debian value' },
  { name: 'CONFIG_PHYSICAL_START', value: 0x1000000, why: 'Debian value' },
  { name: 'CONFIG_ILLEGAL_POINTER_VALUE', value: '0xdead000000000000', why: 'Debian value (poison pointers)' },
  { name: 'CONFIG_MODULES', value: 'y', why: 'KVM is built as modules' },
  { name: 'CONFIG_PERF_EVENTS', value: 'y', why: 'Debian; PMU MSR handling (perf_global_ctrl controls) in nested.c' },
  { name: 'CONFIG_X86_SGX', value: 'y', why: 'Debian; ENCLS exiting control checks' },
  { name: 'CONFIG_X86_CET', value: 'y', why: 'Debian; the CR4.CET/CR0.WP rule and CET state' },
  { name: 'CONFIG_X86_USER_SHADOW_STACK', value: 'y', why: 'Debian' },
  { name: 'CONFIG_X86_INTEL_TSX_MODE_OFF', value: 'y', why: 'Debian' },
  { name: 'CONFIG_PARAVIRT', value: 'y', why: 'Debian' },
  { name: 'CONFIG_CPU_MITIGATIONS', value: 'y', why: 'Debian; L1TF/MDS flush decisions on entry' },
  { name: 'CONFIG_MITIGATION_PAGE_TABLE_ISOLATION', value: 'y', why: 'Debian' },
  { name: 'CONFIG_MITIGATION_RETPOLINE', value: 'y', why: 'Debian' },
  { name: 'CONFIG_MITIGATION_SPECTRE_BHI', value: 'y', why: 'Debian' },
  // KVM
  { name: 'CONFIG_VIRTUALIZATION', value: 'y', why: 'the KVM menu' },
  { name: 'CONFIG_KVM', value: 'm', why: 'Debian builds kvm.ko' },
  { name: 'CONFIG_KVM_INTEL', value: 'm', why: 'Debian builds kvm-intel.ko; the engine reads its VMX code' },
  { name: 'CONFIG_KVM_AMD', value: 'm', why: 'Debian; only affects shared x86.c branches' },
  { name: 'CONFIG_KVM_COMMON', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_KVM_X86', value: 'm', why: 'selected by KVM (6.12 Kconfig)' },
  { name: 'CONFIG_KVM_HYPERV', value: 'y', why: 'Debian; enlightened VMCS (eVMCS) handling on nested entry' },
  { name: 'CONFIG_KVM_SMM', value: 'y', why: 'Debian; SMM-related nested state checks' },
  { name: 'CONFIG_KVM_XEN', value: 'y', why: 'Debian' },
  { name: 'CONFIG_X86_SGX_KVM', value: 'y', why: 'Debian; SGX controls for nested guests' },
  { name: 'CONFIG_KVM_MAX_NR_VCPUS', value: 4096, why: 'Debian value' },
  { name: 'CONFIG_KVM_MMIO', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_KVM_ASYNC_PF', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_KVM_COMPAT', value: 'y', why: 'Debian' },
  { name: 'CONFIG_KVM_VFIO', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_KVM_GENERIC_HARDWARE_ENABLING', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_KVM_GENERIC_MMU_NOTIFIER', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_KVM_GENERIC_DIRTYLOG_READ_PROTECT', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_KVM_GENERIC_PRE_FAULT_MEMORY', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_KVM_GENERIC_MEMORY_ATTRIBUTES', value: 'y', why: 'Debian' },
  { name: 'CONFIG_KVM_PRIVATE_MEM', value: 'y', why: 'Debian' },
  { name: 'CONFIG_KVM_GENERIC_PRIVATE_MEM', value: 'y', why: 'Debian' },
  { name: 'CONFIG_KVM_EXTERNAL_WRITE_TRACKING', value: 'y', why: 'Debian' },
  { name: 'CONFIG_KVM_XFER_TO_GUEST_WORK', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM', value: 'y', why: 'x86 has KVM' },
  { name: 'CONFIG_HAVE_KVM_PFNCACHE', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM_IRQCHIP', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM_IRQ_ROUTING', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM_DIRTY_RING', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM_DIRTY_RING_TSO', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM_DIRTY_RING_ACQ_REL', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM_MSI', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM_READONLY_MEM', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM_CPU_RELAX_INTERCEPT', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM_NO_POLL', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM_PM_NOTIFIER', value: 'y', why: 'selected by KVM' },
  { name: 'CONFIG_HAVE_KVM_IRQ_BYPASS', value: 'm', why: 'Debian' },
  { name: 'CONFIG_HAVE_KVM_ARCH_GMEM_PREPARE', value: 'y', why: 'Debian' },
  { name: 'CONFIG_HAVE_KVM_ARCH_GMEM_INVALIDATE', value: 'y', why: 'Debian' },
  { name: 'CONFIG_KVM_GUEST', value: 'y', why: 'Debian (KVM as a guest too; para-virt bits in shared headers)' },
  { name: 'CONFIG_HYPERV', value: 'm', why: 'Debian; KVM-on-Hyper-V eVMCS helpers (vmx_onhyperv.h) take their module branch' },
  { name: 'CONFIG_PREEMPT_NOTIFIERS', value: 'y', why: 'selected by KVM' },
  // kernel infrastructure
  { name: 'CONFIG_BUG', value: 'y', why: 'WARN_ON/BUG_ON are real (the engine keeps them as calls, see KEPT_MACROS)' },
  { name: 'CONFIG_GENERIC_BUG', value: 'y', why: 'Debian' },
  { name: 'CONFIG_PRINTK', value: 'y', why: 'pr_warn*() text goes into the result\'s warnings' },
  { name: 'CONFIG_JUMP_LABEL', value: 'y', why: 'Debian; static keys (kept as calls)' },
  { name: 'CONFIG_TRACEPOINTS', value: 'y', why: 'Debian; trace_kvm_*() calls stay in the code (the boundary ignores them)' },
  { name: 'CONFIG_PREEMPTION', value: 'y', why: 'Debian' },
  { name: 'CONFIG_PREEMPT_COUNT', value: 'y', why: 'Debian' },
  { name: 'CONFIG_PREEMPT_RCU', value: 'y', why: 'Debian' },
  { name: 'CONFIG_PREEMPT_DYNAMIC', value: 'y', why: 'Debian' },
  { name: 'CONFIG_PREEMPT_VOLUNTARY', value: 'y', why: 'Debian' },
  { name: 'CONFIG_SPARSEMEM', value: 'y', why: 'Debian' },
  { name: 'CONFIG_SPARSEMEM_VMEMMAP', value: 'y', why: 'Debian' },
  { name: 'CONFIG_CC_IS_GCC', value: 'y', why: 'Debian builds with GCC 12' },
  { name: 'CONFIG_GCC_VERSION', value: 120200, why: 'Debian\'s GCC 12.2' },
  { name: 'CONFIG_CC_HAS_ASM_GOTO_OUTPUT', value: 'y', why: 'GCC 12' },
  { name: 'CONFIG_STACKPROTECTOR', value: 'y', why: 'Debian' },
  // deliberately off although Debian enables them: they only instrument or check at compile time
  // (listed as comments, not as rows, so that the table holds only what is on):
  //   CONFIG_FORTIFY_SOURCE — fortified memcpy/memset wrappers check sizes at compile time
  //   CONFIG_CC_HAS_ASM_INLINE — `asm inline` only hints GCC's inliner (asm stays asm)
  //   CONFIG_CC_HAS_NAMED_AS — __seg_gs per-CPU accessors; per-CPU data is outside the engine
  //   CONFIG_DEBUG_INFO_BTF, CONFIG_KASAN, CONFIG_KCSAN, CONFIG_PROVE_LOCKING, CONFIG_LOCKDEP,
  //   CONFIG_DEBUG_LOCK_ALLOC, CONFIG_PRINTK_INDEX, CONFIG_TRACE_BRANCH_PROFILING — instrumentation
  //   CONFIG_KVM_PROVE_MMU, CONFIG_KVM_WERROR — debugging/warning options
];

/** `#define` lines (as name → replacement text) that the config stands for (include/generated/autoconf.h). */
export function configMacros(rows: readonly ConfigRow[] = KERNEL_CONFIG): [string, string][] {
  const out: [string, string][] = [];
  for (const r of rows) {
    if (r.value === 'y') out.push([r.name, '1']);
    else if (r.value === 'm') out.push([`${r.name}_MODULE`, '1']);
    else if (typeof r.value === 'number') out.push([r.name, String(r.value)]);
    else out.push([r.name, /^0x[0-9a-f]+$/i.test(r.value) ? r.value : JSON.stringify(r.value)]);
  }
  return out;
}

/** The compiler's and Kbuild's predefined macros for every translation unit (GCC 12, x86-64, -D__KERNEL__). */
export const PREDEFINED_MACROS: readonly [string, string, string][] = [
  ['__STDC__', '1', 'ISO C'],
  ['__STDC_VERSION__', '201112L', 'the kernel builds with -std=gnu11'],
  ['__STDC_HOSTED__', '0', '-ffreestanding'],
  ['__GNUC__', '12', 'Debian\'s GCC 12.2'],
  ['__GNUC_MINOR__', '2', 'GCC 12.2'],
  ['__GNUC_PATCHLEVEL__', '0', 'GCC 12.2.0'],
  ['__x86_64__', '1', 'target'],
  ['__x86_64', '1', 'target'],
  ['__LP64__', '1', 'long and pointers are 64-bit'],
  ['_LP64', '1', 'long and pointers are 64-bit'],
  ['__CHAR_BIT__', '8', 'target'],
  ['__SIZEOF_INT__', '4', 'target'],
  ['__SIZEOF_LONG__', '8', 'target'],
  ['__SIZEOF_LONG_LONG__', '8', 'target'],
  ['__SIZEOF_POINTER__', '8', 'target'],
  ['__SIZEOF_INT128__', '16', 'GCC has __int128 on x86-64'],
  ['__ORDER_LITTLE_ENDIAN__', '1234', 'GCC'],
  ['__ORDER_BIG_ENDIAN__', '4321', 'GCC'],
  ['__BYTE_ORDER__', '__ORDER_LITTLE_ENDIAN__', 'x86 is little-endian'],
  ['__OPTIMIZE__', '1', 'the kernel builds with -O2'],
  ['__KERNEL__', '1', 'Kbuild: -D__KERNEL__'],
  ['MODULE', '1', 'KVM is built as modules (kvm.ko, kvm-intel.ko)'],
  ['__has_builtin(x)', '0', 'answered 0: the kernel then uses its portable fallbacks'],
  ['__has_attribute(x)', '0', 'answered 0: optional attributes (fallthrough, counted_by, …) become their empty fallbacks'],
  ['__has_c_attribute(x)', '0', 'as __has_attribute'],
  ['__has_cpp_attribute(x)', '0', 'as __has_attribute'],
  ['__has_feature(x)', '0', 'a clang extension'],
];

/**
 * Kernel macros the engine does NOT expand: their calls stay calls by that name in the syntax tree,
 * for the interpreter's boundary to answer (their expansions are inline assembly, per-CPU accessors,
 * static-key patching or module metadata, none of which the interpreter can run).
 */
export const KEPT_MACROS: readonly [string, string][] = [
  ['module_param', 'module metadata: recorded in Program.moduleParams, then dropped'],
  ['module_param_named', 'module metadata: recorded in Program.moduleParams, then dropped'],
  ['module_param_cb', 'module metadata: recorded in Program.moduleParams, then dropped'],
  ['WARN_ON', 'expands to ud2 + a bug-table entry; the boundary records a warning and returns the condition'],
  ['WARN_ON_ONCE', 'as WARN_ON'],
  ['WARN', 'as WARN_ON, with a message'],
  ['WARN_ONCE', 'as WARN'],
  ['BUG', 'ud2; the boundary stops the run with a reason'],
  ['BUG_ON', 'as BUG'],
  ['KVM_BUG_ON', 'marks the VM bugged; the boundary records it'],
  ['static_branch_unlikely', 'asm goto static key; the boundary answers from the scenario'],
  ['static_branch_likely', 'as static_branch_unlikely'],
  ['static_key_enabled', 'as static_branch_unlikely'],
  ['static_call', 'static-call trampoline; the boundary dispatches through the ops table (vt_x86_ops)'],
  ['static_call_cond', 'as static_call'],
  ['boot_cpu_has', 'host CPU feature: the boundary answers from the scenario'],
  ['static_cpu_has', 'as boot_cpu_has'],
  ['cpu_feature_enabled', 'as boot_cpu_has'],
  ['this_cpu_has', 'as boot_cpu_has'],
  ['this_cpu_read', 'per-CPU data'],
  ['this_cpu_write', 'per-CPU data'],
  ['__this_cpu_read', 'per-CPU data'],
  ['__this_cpu_write', 'per-CPU data'],
  ['this_cpu_ptr', 'per-CPU data'],
  ['per_cpu', 'per-CPU data'],
  ['current', 'the current task (get_current() is a per-CPU read)'],
  ['pr_warn_ratelimited', 'a warning: the boundary puts the formatted text into warnings'],
  ['pr_warn_once', 'as pr_warn_ratelimited'],
  ['pr_err_ratelimited', 'as pr_warn_ratelimited'],
  ['pr_info_ratelimited', 'as pr_warn_ratelimited'],
  ['kvm_pr_unimpl', 'as pr_warn_ratelimited'],
  ['vcpu_unimpl', 'as pr_warn_ratelimited'],
];

/**
 * Kernel macros the engine replaces with a plain-C definition of the same single-threaded meaning
 * (the tree's own definition is ignored): compile-time assertions vanish, once-accessors are plain
 * accesses, compiler barriers are no-ops.
 */
export const OVERRIDE_MACROS: readonly [string, string, string][] = [
  ['READ_ONCE(x)', '(x)', 'a volatile load; single-threaded it is the plain value'],
  ['WRITE_ONCE(x, val)', '((x) = (val))', 'a volatile store'],
  ['__unqual_scalar_typeof(x)', 'typeof(x)', 'its _Generic form only strips qualifiers'],
  ['barrier()', '((void)0)', 'a compiler barrier'],
  ['__compiletime_assert(condition, msg, prefix, suffix)', 'do { } while (0)', 'a compile-time check'],
  ['__static_assert(expr, ...)', '', 'a compile-time check (static_assert at any scope)'],
  ['__BUILD_BUG_ON_ZERO_MSG(e, msg, ...)', '(0)', 'a compile-time check that evaluates to 0'],
  ['BUILD_BUG_ON_ZERO(e)', '(0)', 'a compile-time check that evaluates to 0'],
  ['__must_be_array(a)', '0', 'a compile-time check that evaluates to 0'],
  ['__must_be_byte_array(a)', '0', 'a compile-time check that evaluates to 0'],
  ['__must_be_cstr(p)', '0', 'a compile-time check that evaluates to 0'],
  ['lockdep_assert_held(l)', 'do { } while (0)', 'lock debugging'],
  ['lockdep_assert_held_write(l)', 'do { } while (0)', 'lock debugging'],
  ['lockdep_assert_irqs_disabled()', 'do { } while (0)', 'lock debugging'],
  ['might_sleep()', 'do { } while (0)', 'debugging'],
  ['instrumentation_begin()', 'do { } while (0)', 'objtool annotation'],
  ['instrumentation_end()', 'do { } while (0)', 'objtool annotation'],
  ['_Pragma(x)', '', 'pragmas have no runtime meaning'],
  ['EXPORT_SYMBOL(sym)', '', 'module export metadata (an asm section entry)'],
  ['EXPORT_SYMBOL_GPL(sym)', '', 'module export metadata'],
  ['EXPORT_SYMBOL_NS(sym, ns)', '', 'module export metadata'],
  ['EXPORT_SYMBOL_NS_GPL(sym, ns)', '', 'module export metadata'],
  ['EXPORT_SYMBOL_FOR_KVM_INTERNAL(sym)', '', 'module export metadata'],
  ['DECLARE_STATIC_CALL(name, func)', '', 'static-call trampolines: calls go through static_call (kept)'],
  ['DEFINE_STATIC_CALL(name, func)', '', 'as DECLARE_STATIC_CALL'],
  ['DEFINE_STATIC_CALL_NULL(name, func)', '', 'as DECLARE_STATIC_CALL'],
  ['DEFINE_STATIC_CALL_RET0(name, func)', '', 'as DECLARE_STATIC_CALL'],
  ['EXPORT_STATIC_CALL(name)', '', 'as DECLARE_STATIC_CALL'],
  ['EXPORT_STATIC_CALL_GPL(name)', '', 'as DECLARE_STATIC_CALL'],
  ['EXPORT_STATIC_CALL_TRAMP(name)', '', 'as DECLARE_STATIC_CALL'],
  ['EXPORT_STATIC_CALL_TRAMP_GPL(name)', '', 'as DECLARE_STATIC_CALL'],
  ['alloc_hooks(_do_alloc)', '(_do_alloc)', 'allocation profiling wrapper: the allocation itself'],
  ['module_init(fn)', '', 'module entry metadata; the paths call the init functions directly'],
  ['module_exit(fn)', '', 'module exit metadata'],
  ['rcu_dereference(p)', '(p)', 'RCU read side: single-threaded, the plain pointer'],
  ['rcu_dereference_check(p, c)', '(p)', 'as rcu_dereference'],
  ['rcu_dereference_protected(p, c)', '(p)', 'as rcu_dereference'],
  ['rcu_dereference_raw(p)', '(p)', 'as rcu_dereference'],
  ['srcu_dereference(p, ssp)', '(p)', 'as rcu_dereference'],
  ['srcu_dereference_check(p, ssp, c)', '(p)', 'as rcu_dereference'],
  ['rcu_access_pointer(p)', '(p)', 'as rcu_dereference'],
  ['rcu_assign_pointer(p, v)', '((p) = (v))', 'RCU publish: a plain store'],
];
