// Number decoding (pure): VMCS field encodings from their bits, C number expressions such as
// BIT_ULL(62), `1ULL << 61`, GENMASK(51, 12), and bit positions of masks.
// VMCS encoding layout: SDM Vol. 3C 25.11.2 and Vol. 3D Appendix B — bit 0 access type (0 full,
// 1 high), bits 9:1 index, bits 11:10 type (0 control, 1 VM-exit information, 2 guest state,
// 3 host state), bit 12 reserved (0), bits 14:13 width (0 16-bit, 1 64-bit, 2 32-bit, 3 natural),
// bits 31:15 reserved (0). "High" access exists only for 64-bit fields.

export const VMCS_ENCODING_SDM = 'SDM Vol. 3C 25.11.2 (VMREAD/VMWRITE encodings) and Vol. 3D Appendix B (field encodings)';

export interface VmcsEncoding {
  encoding: number;
  access: 'full' | 'high';
  index: number;
  type: 'control' | 'VM-exit information' | 'guest-state' | 'host-state';
  width: '16-bit' | '64-bit' | '32-bit' | 'natural-width';
}

const TYPES = ['control', 'VM-exit information', 'guest-state', 'host-state'] as const;
const WIDTHS = ['16-bit', '64-bit', '32-bit', 'natural-width'] as const;

/** Decodes a VMCS field encoding, or undefined when the bits cannot be one (reserved bits set, high access on a non-64-bit field). */
export function decodeVmcsEncoding(value: bigint): VmcsEncoding | undefined {
  if (value < 0n || value > 0x7fffn) return undefined;
  const v = Number(value);
  if (v & 0x1000) return undefined;
  const access = v & 1 ? 'high' : 'full';
  const width = WIDTHS[(v >> 13) & 3];
  if (access === 'high' && width !== '64-bit') return undefined;
  return { encoding: v, access, index: (v >> 1) & 0x1ff, type: TYPES[(v >> 10) & 3], width };
}

/** One line describing an encoding's parts. */
export function describeEncoding(e: VmcsEncoding): string {
  return `${e.width} ${e.type} field, index ${e.index}, ${e.access} access`;
}

/** The decoded parts as strings (for the `decoded` field). */
export function encodingParts(e: VmcsEncoding): Record<string, string> {
  return { encoding: hex(BigInt(e.encoding)), access: e.access, index: String(e.index), type: e.type, width: e.width };
}

/** `0x…` in upper-case digits, the form of the constants table. */
export function hex(v: bigint): string { return '0x' + v.toString(16).toUpperCase(); }

const MASK64 = (1n << 64n) - 1n;

/** A parsed number or number expression and how it was written. */
export interface ParsedNumber {
  value: bigint;
  /** 'hex' for 0x…, 'dec' for a plain decimal, 'bit' for BIT()/shift forms (a single-bit mask), 'mask' for GENMASK. */
  form: 'hex' | 'dec' | 'bit' | 'mask';
  /** For the 'bit' form: the bit number. */
  bit?: number;
}

const SUFFIX = '(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU]?)';
const RE_PLAIN = new RegExp(`^(0[xX][0-9a-fA-F]+|\\d+)${SUFFIX}$`);
const RE_BIT = /^BIT(?:_ULL)?\(\s*(\d+)\s*\)$/;
const RE_SHIFT = new RegExp(`^\\(?\\s*(?:\\(\\s*(?:u64|u32|unsigned long(?: long)?)\\s*\\)\\s*)?1${SUFFIX}\\s*<<\\s*(\\d+)\\s*\\)?$`);
const RE_GENMASK = /^GENMASK(?:_ULL)?\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

/** Parses `0x200a`, `0x0000200aULL`, `48BH` (SDM notation), `33`, `BIT(5)`, `BIT_ULL(62)`, `1ULL << 61`, `GENMASK_ULL(51, 12)`; undefined otherwise. */
export function parseNumber(text: string): ParsedNumber | undefined {
  const t = text.trim();
  let m = RE_PLAIN.exec(t);
  if (m) {
    const raw = m[1];
    if (raw.length > 20) return undefined;
    const value = BigInt(raw.toLowerCase());
    if (value > MASK64) return undefined;
    return { value, form: /^0x/i.test(raw) ? 'hex' : 'dec' };
  }
  m = /^([0-9][0-9A-Fa-f]*)[hH]$/.exec(t);
  if (m && m[1].length <= 16) return { value: BigInt('0x' + m[1]), form: 'hex' };
  m = RE_BIT.exec(t) ?? RE_SHIFT.exec(t);
  if (m) {
    const bit = Number(m[1]);
    return bit < 64 ? { value: 1n << BigInt(bit), form: 'bit', bit } : undefined;
  }
  m = RE_GENMASK.exec(t);
  if (m) {
    const h = Number(m[1]), l = Number(m[2]);
    if (h > 63 || l > h) return undefined;
    return { value: ((1n << BigInt(h - l + 1)) - 1n) << BigInt(l), form: 'mask' };
  }
  return undefined;
}


/** Bit positions set in a value, low to high. */
export function bitsOf(v: bigint): number[] {
  const out: number[] = [];
  const bin = v.toString(2);
  for (let i = 0; i < bin.length; i++) if (bin.charCodeAt(bin.length - 1 - i) === 49) out.push(i);
  return out;
}

/** The bit number of a single-bit value, else undefined. */
export function singleBit(v: bigint): number | undefined {
  return v > 0n && (v & (v - 1n)) === 0n ? v.toString(2).length - 1 : undefined;
}
