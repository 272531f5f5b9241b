// Whether KVM's MSR emulation accepts a guest write or read of an MSR-list entry (the per-MSR rules
// are data: knowledge/data/msrAccess.ts). Pure: the caller passes what the value checks need.
import { msrAccess, type MsrAccess } from '../knowledge/data/msrAccess';

const M64 = (1n << 64n) - 1n;

/** What the value checks read from the simulated vCPU. */
export interface MsrContext {
  guestHas(feature: string): boolean;
  /** Host linear-address width for MSR canonical checks (57 with host LA57, else 48). */
  hostVirtBits: number;
  validEfer(v: bigint): boolean;
  validPat(v: bigint): boolean;
  validDebugctl(v: bigint): boolean;
  /** L1's IA32_APIC_BASE (x2APIC enable is bit 10, xAPIC enable bit 11). */
  apicBase: bigint;
  maxphyaddr: number;
  /** IA32_FEAT_CTL is locked (bit 0): guest writes fail. */
  featCtlLocked: boolean;
}

function canonical(v: bigint, bits: number): boolean {
  const sign = 1n << BigInt(bits - 1);
  const low = v & ((sign << 1n) - 1n);
  const ext = (low & sign) ? (low | (M64 ^ ((sign << 1n) - 1n))) : low;
  return ext === v;
}

function needsMet(a: MsrAccess, ctx: MsrContext): boolean {
  return !a.needs || a.needs.some(f => ctx.guestHas(f));
}

/** A guest write of `value` to MSR `index` through kvm_set_msr_with_filter succeeds. */
export function guestMsrWriteOk(index: bigint, value: bigint, ctx: MsrContext): boolean {
  const a = msrAccess(index);
  if (!a || !needsMet(a, ctx)) return false;
  switch (a.write) {
    case 'ok': case 'canonicalized': return true;
    case 'host-only': return false;
    case 'canonical': return canonical(value, ctx.hostVirtBits);
    case 'efer': return ctx.validEfer(value);
    case 'pat': return ctx.validPat(value);
    case 'debugctl': return ctx.validDebugctl(value);
    case 'bndcfgs': return canonical(value & ~0xfffn, ctx.hostVirtBits) && (value & 0xffcn) === 0n;
    case 'tsc-aux': return (value >> 32n) === 0n;
    case 'umwait': return (value & (2n | (0xffffffffn << 32n))) === 0n;
    case 'spec-ctrl': return (value & ~0x7fn) === 0n;
    case 'xss': return true;
    case 'cet': return true;
    case 'feat-ctl': return !ctx.featCtlLocked;
    case 'x2apic': return (ctx.apicBase & (1n << 10n)) !== 0n;   // x2APIC registers exist only in x2APIC mode
    case 'apic-base': {
      const reserved = ~((((1n << BigInt(ctx.maxphyaddr)) - 1n) & ~0xfffn) | (1n << 8n) | (1n << 10n) | (1n << 11n)) & M64;
      if (value & reserved) return false;
      if ((value & (1n << 10n)) && !ctx.guestHas('X2APIC')) return false;
      const en = (value >> 11n) & 1n, x2 = (value >> 10n) & 1n;
      if (x2 && !en) return false;                                    // x2APIC without the APIC enabled
      const wasX2 = (ctx.apicBase >> 10n) & 1n;
      if (wasX2 && en && !x2) return false;                           // x2APIC → xAPIC directly is refused
      return true;
    }
  }
}

/** A guest read of MSR `index` through kvm_get_msr_with_filter succeeds. */
export function guestMsrReadOk(index: bigint, ctx: MsrContext): boolean {
  const a = msrAccess(index);
  if (!a || !needsMet(a, ctx) || a.read === false) return false;
  if (a.write === 'x2apic') return (ctx.apicBase & (1n << 10n)) !== 0n;
  return true;
}
