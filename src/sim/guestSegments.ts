// KVM's own guest-state test for a guest VMX cannot run without unrestricted guest
// (__vmx_guest_state_valid in arch/x86/kvm/vmx/vmx.c, 6.12.118), restated over vmcs12's guest
// segment fields: prepare_vmcs02 copied them into vmcs02, so vmx_get_segment reads them back.
// Pure: the caller passes a reader of vmcs12 fields (lower-case member names).

/** A segment as vmx_get_segment decodes it from the VMCS: present is the inverse of "unusable". */
interface Segment { selector: bigint; base: bigint; limit: bigint; type: number; s: number; dpl: number; unusable: boolean; present: boolean; ar: bigint }

type SegName = 'es' | 'cs' | 'ss' | 'ds' | 'fs' | 'gs' | 'ldtr' | 'tr';

function segment(read: (field: string) => bigint, seg: SegName): Segment {
  const ar = read(`guest_${seg}_ar_bytes`);
  const unusable = ((ar >> 16n) & 1n) === 1n;
  return {
    selector: read(`guest_${seg}_selector`), base: read(`guest_${seg}_base`), limit: read(`guest_${seg}_limit`),
    type: Number(ar & 15n), s: Number((ar >> 4n) & 1n), dpl: Number((ar >> 5n) & 3n), unusable, present: !unusable, ar,
  };
}

/** vmx_segment_access_rights after rmode_segment_valid forced DPL 3 (and type 3 for CS). */
function rmodeAccessRights(v: Segment, seg: SegName): bigint {
  const type = seg === 'cs' ? 3 : v.type;
  let ar = BigInt(type) | (BigInt(v.s) << 4n) | (3n << 5n) | ((v.present ? 1n : 0n) << 7n);
  ar |= v.ar & (0xfn << 12n);           // AVL, L, D/B, G as read
  if (v.unusable || !v.present) ar |= 1n << 16n;
  return ar;
}

export interface GuestStateVerdict { valid: boolean; mode: 'real/virtual-8086' | 'protected'; failed?: string }

const CODE = 8, ACCESSED = 1, WRITEABLE = 4;   // VMX_AR_TYPE_*_MASK (bit 2 is "writeable" in KVM's naming; conforming for code)

/** __vmx_guest_state_valid over vmcs12's guest state: which rule (if any) a segment breaks. */
export function guestStateValid(read: (field: string) => bigint): GuestStateVerdict {
  const protmode = (read('guest_cr0') & 1n) !== 0n;
  const vm86 = (read('guest_rflags') & (1n << 17n)) !== 0n;
  if (!protmode || vm86) {
    for (const seg of ['cs', 'ss', 'ds', 'es', 'fs', 'gs'] as const) {
      const v = segment(read, seg);
      if (v.base !== (v.selector << 4n)) return { valid: false, mode: 'real/virtual-8086', failed: `${seg}: base != selector << 4` };
      if (v.limit !== 0xffffn) return { valid: false, mode: 'real/virtual-8086', failed: `${seg}: limit != 0xffff` };
      if (rmodeAccessRights(v, seg) !== 0xf3n) return { valid: false, mode: 'real/virtual-8086', failed: `${seg}: access rights != 0xf3` };
    }
    return { valid: true, mode: 'real/virtual-8086' };
  }
  const bad = (failed: string): GuestStateVerdict => ({ valid: false, mode: 'protected', failed });
  const cs = segment(read, 'cs'), ss = segment(read, 'ss');
  const csRpl = Number(cs.selector & 3n), ssRpl = Number(ss.selector & 3n);
  if (csRpl !== ssRpl) return bad('CS.RPL != SS.RPL');
  // code_segment_valid
  if (cs.unusable) return bad('CS unusable');
  if ((~cs.type & (CODE | ACCESSED)) !== 0) return bad('CS not an accessed code segment');
  if (!cs.s) return bad('CS is a system segment');
  if (cs.type & WRITEABLE ? cs.dpl > csRpl : cs.dpl !== csRpl) return bad('CS.DPL does not match CS.RPL');
  // stack_segment_valid
  if (!ss.unusable) {
    if (ss.type !== 3 && ss.type !== 7) return bad('SS not a writable data segment');
    if (!ss.s) return bad('SS is a system segment');
    if (ss.dpl !== ssRpl) return bad('SS.DPL != SS.RPL');
  }
  // data_segment_valid
  for (const seg of ['ds', 'es', 'fs', 'gs'] as const) {
    const v = segment(read, seg);
    if (v.unusable) continue;
    if (!v.s) return bad(`${seg.toUpperCase()} is a system segment`);
    if ((~v.type & (CODE | WRITEABLE)) !== 0 && v.dpl < Number(v.selector & 3n)) return bad(`${seg.toUpperCase()}.DPL < RPL`);
  }
  // tr_valid
  const tr = segment(read, 'tr');
  if (tr.unusable) return bad('TR unusable');
  if (tr.selector & 4n) return bad('TR selector in the LDT');
  if (tr.type !== 3 && tr.type !== 11) return bad('TR not a TSS');
  // ldtr_valid
  const ldtr = segment(read, 'ldtr');
  if (!ldtr.unusable) {
    if (ldtr.selector & 4n) return bad('LDTR selector in the LDT');
    if (ldtr.type !== 2) return bad('LDTR not an LDT');
  }
  return { valid: true, mode: 'protected' };
}
