// The interpreter's memory: every C object (a local, a global, a struct the boundary builds, a
// string literal) is its own zero-filled byte buffer with a fake kernel address. A pointer is a
// plain 64-bit integer: object id and offset are encoded in the address, so pointers can be stored
// in structs, cast to unsigned long, compared, offset (container_of) and turned back, exactly like
// in C. Function pointers live in their own address range. Reads and writes are little-endian.
import { InterpError } from './errors';

/** Objects are 16 MiB apart from this kernel-looking base address. */
export const OBJ_BASE = 0xffff_8880_0000_0000n;
const OBJ_SHIFT = 24n;
const OBJ_SPAN = 1 << 24;
/** Function "addresses": FN_BASE + index * 16. */
export const FN_BASE = 0xffff_ffff_c000_0000n;

export interface MemObject {
  id: number;
  name: string;
  bytes: Uint8Array;
  view: DataView;
  readonly: boolean;
  addr: bigint;
}

export interface MemLimits { maxBytes: number; maxObjects: number }
export interface MemSnapshot { objects: (MemObject | undefined)[]; fnNames: string[]; bytesUsed: number }

export class Memory {
  private readonly objects: (MemObject | undefined)[] = [undefined]; // id 0 is never used
  private readonly fnNames: string[] = [];
  private readonly fnIndex = new Map<string, number>();
  bytesUsed = 0;
  /** called on each read of an object (for trace values); null when not watching */
  onRead: ((obj: MemObject, off: number, size: number) => void) | null = null;
  constructor(readonly limits: MemLimits) {}

  alloc(size: number, name: string): MemObject {
    if (!Number.isSafeInteger(size) || size < 0) throw new InterpError(`bad object size ${size} for ${name}`);
    if (size > OBJ_SPAN) throw new InterpError(`object ${name} too large (${size} bytes)`);
    this.bytesUsed += Math.max(size, 1);
    if (this.bytesUsed > this.limits.maxBytes) throw new InterpError(`memory budget exhausted (${this.limits.maxBytes} bytes)`);
    if (this.objects.length > this.limits.maxObjects) throw new InterpError(`object budget exhausted (${this.limits.maxObjects} objects)`);
    const id = this.objects.length;
    const bytes = new Uint8Array(Math.max(size, 1));
    const obj: MemObject = { id, name, bytes, view: new DataView(bytes.buffer), readonly: false, addr: OBJ_BASE + (BigInt(id) << OBJ_SHIFT) };
    this.objects.push(obj);
    return obj;
  }

  /** The object and offset an address points into; throws for NULL, error pointers and wild addresses. */
  locate(addr: bigint, size: number): { obj: MemObject; off: number } {
    if (addr === 0n) throw new InterpError('NULL pointer dereference');
    const rel = addr - OBJ_BASE;
    if (rel < 0n || rel >> OBJ_SHIFT >= BigInt(this.objects.length)) {
      if (addr >= 0xffff_ffff_ffff_f001n) throw new InterpError(`dereference of an error pointer (${-Number(BigInt.asIntN(64, addr))})`);
      throw new InterpError(`dereference of address 0x${addr.toString(16)} that is no object`);
    }
    const obj = this.objects[Number(rel >> OBJ_SHIFT)];
    const off = Number(rel & BigInt(OBJ_SPAN - 1));
    if (!obj) throw new InterpError(`dereference of a freed object at 0x${addr.toString(16)}`);
    if (off + size > obj.bytes.length) throw new InterpError(`access past the end of ${obj.name} (offset ${off}, ${size} bytes of ${obj.bytes.length})`);
    return { obj, off };
  }

  /** Is this address inside some object (for pointer casts and comparisons)? */
  objectAt(addr: bigint): MemObject | null {
    const rel = addr - OBJ_BASE;
    if (rel < 0n || rel >> OBJ_SHIFT >= BigInt(this.objects.length)) return null;
    return this.objects[Number(rel >> OBJ_SHIFT)] ?? null;
  }

  readUnsigned(addr: bigint, size: number): bigint {
    const { obj, off } = this.locate(addr, size);
    if (this.onRead) this.onRead(obj, off, size);
    const v = obj.view;
    switch (size) {
      case 1: return BigInt(v.getUint8(off));
      case 2: return BigInt(v.getUint16(off, true));
      case 4: return BigInt(v.getUint32(off, true));
      case 8: return v.getBigUint64(off, true);
      case 16: return v.getBigUint64(off, true) | (v.getBigUint64(off + 8, true) << 64n);
      default: throw new InterpError(`bad access size ${size}`);
    }
  }

  writeUnsigned(addr: bigint, size: number, value: bigint): void {
    const { obj, off } = this.locate(addr, size);
    if (obj.readonly) throw new InterpError(`write to read-only ${obj.name}`);
    const v = obj.view;
    const x = BigInt.asUintN(size * 8, value);
    switch (size) {
      case 1: v.setUint8(off, Number(x)); return;
      case 2: v.setUint16(off, Number(x), true); return;
      case 4: v.setUint32(off, Number(x), true); return;
      case 8: v.setBigUint64(off, x, true); return;
      case 16: v.setBigUint64(off, x & ((1n << 64n) - 1n), true); v.setBigUint64(off + 8, x >> 64n, true); return;
      default: throw new InterpError(`bad access size ${size}`);
    }
  }

  copy(dst: bigint, src: bigint, size: number): void {
    if (size === 0) return;
    const s = this.locate(src, size), d = this.locate(dst, size);
    if (d.obj.readonly) throw new InterpError(`write to read-only ${d.obj.name}`);
    if (this.onRead) this.onRead(s.obj, s.off, size);
    d.obj.bytes.set(s.obj.bytes.subarray(s.off, s.off + size), d.off);
  }

  fill(dst: bigint, byte: number, size: number): void {
    if (size === 0) return;
    const d = this.locate(dst, size);
    if (d.obj.readonly) throw new InterpError(`write to read-only ${d.obj.name}`);
    d.obj.bytes.fill(byte & 0xff, d.off, d.off + size);
  }

  compare(a: bigint, b: bigint, size: number): number {
    if (size === 0) return 0;
    const x = this.locate(a, size), y = this.locate(b, size);
    for (let i = 0; i < size; i++) {
      const d = x.obj.bytes[x.off + i] - y.obj.bytes[y.off + i];
      if (d) return d < 0 ? -1 : 1;
    }
    return 0;
  }

  /** A NUL-terminated string at addr (at most `max` bytes). */
  cString(addr: bigint, max = 4096): string {
    const { obj, off } = this.locate(addr, 1);
    const end = obj.bytes.indexOf(0, off);
    const stop = Math.min(end < 0 ? obj.bytes.length : end, off + max);
    return new TextDecoder().decode(obj.bytes.subarray(off, stop));
  }

  // ---- snapshots (a state to start later runs from: e.g. after kvm_intel's module load) ----
  snapshot(): MemSnapshot {
    return {
      objects: this.objects.map(o => o && { ...o, bytes: o.bytes.slice() }),
      fnNames: [...this.fnNames], bytesUsed: this.bytesUsed,
    };
  }
  restore(snap: MemSnapshot): void {
    this.objects.length = 0;
    for (const o of snap.objects) {
      if (!o) { this.objects.push(undefined); continue; }
      const bytes = o.bytes.slice();
      this.objects.push({ ...o, bytes, view: new DataView(bytes.buffer) });
    }
    this.fnNames.length = 0;
    this.fnIndex.clear();
    snap.fnNames.forEach((n, i) => { this.fnNames.push(n); this.fnIndex.set(n, i); });
    this.bytesUsed = snap.bytesUsed;
  }

  // ---- function pointers ----
  fnAddr(name: string): bigint {
    let i = this.fnIndex.get(name);
    if (i === undefined) { i = this.fnNames.length; this.fnNames.push(name); this.fnIndex.set(name, i); }
    return FN_BASE + BigInt(i) * 16n;
  }
  fnName(addr: bigint): string | null {
    const rel = addr - FN_BASE;
    if (rel < 0n || rel % 16n !== 0n) return null;
    return this.fnNames[Number(rel / 16n)] ?? null;
  }
}
