/**
 * Interning of byte strings (ids, codes, place names) to dense integer ids, without making a JS
 * string per row: an open-addressing hash table (FNV-1a, linear probing) over a byte arena that
 * holds each distinct value once. Millions of claim ids cost a few bytes each, and a lookup is a
 * hash and a byte comparison.
 */

const utf8 = new TextDecoder('utf-8');
const enc = new TextEncoder();

export class ByteInterner {
  /** Number of distinct values. */
  n = 0;
  /** Whether the last `intern` call added a new value. */
  added = false;
  /** Open-addressing table of (id, hash) pairs: one cache line answers most probes. */
  private table: Int32Array;
  private mask: number;
  private hashes: Int32Array;
  private offs: Int32Array;
  private lens: Int32Array;
  private arena: Uint8Array;
  private used = 0;

  constructor(capacity = 1024) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.table = new Int32Array(size * 2).fill(-1);
    this.mask = size - 1;
    this.hashes = new Int32Array(capacity);
    this.offs = new Int32Array(capacity);
    this.lens = new Int32Array(capacity);
    this.arena = new Uint8Array(capacity * 16);
  }

  private static hash(buf: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    // murmur3's finaliser: spreads every input bit over the low bits the table indexes with.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  private equal(id: number, buf: Uint8Array, s: number, e: number): boolean {
    const len = e - s;
    if (this.lens[id] !== len) return false;
    const a = this.arena;
    const o = this.offs[id];
    for (let k = 0; k < len; k++) if (a[o + k] !== buf[s + k]) return false;
    return true;
  }

  /** The id of bytes [s, e) of `buf`, or -1 when never interned. */
  find(buf: Uint8Array, s: number, e: number): number {
    const h = ByteInterner.hash(buf, s, e);
    const t = this.table;
    let slot = h & this.mask;
    for (;;) {
      const id = t[slot * 2];
      if (id < 0) return -1;
      if (t[slot * 2 + 1] === h && this.equal(id, buf, s, e)) return id;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The id of bytes [s, e) of `buf`, adding them when new (`added` says which). */
  intern(buf: Uint8Array, s: number, e: number): number {
    const h = ByteInterner.hash(buf, s, e);
    const t = this.table;
    let slot = h & this.mask;
    for (;;) {
      const id = t[slot * 2];
      if (id < 0) break;
      if (t[slot * 2 + 1] === h && this.equal(id, buf, s, e)) {
        this.added = false;
        return id;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.n++;
    if (id === this.hashes.length) this.growIds();
    const len = e - s;
    if (this.used + len > this.arena.length) {
      let size = this.arena.length * 2;
      while (size < this.used + len) size *= 2;
      const a = new Uint8Array(size);
      a.set(this.arena.subarray(0, this.used));
      this.arena = a;
    }
    const a = this.arena;
    for (let k = 0, o = this.used; k < len; k++) a[o + k] = buf[s + k];
    this.offs[id] = this.used;
    this.lens[id] = len;
    this.hashes[id] = h;
    this.used += len;
    t[slot * 2] = id;
    t[slot * 2 + 1] = h;
    this.added = true;
    if (this.n * 2 > this.mask + 1) this.rehash();
    return id;
  }

  /** Intern a JS string. */
  internString(s: string): number {
    const b = enc.encode(s);
    return this.intern(b, 0, b.length);
  }

  /** The id of a JS string, or -1. */
  findString(s: string): number {
    const b = enc.encode(s);
    return this.find(b, 0, b.length);
  }

  /** The value of `id` as a string. */
  string(id: number): string {
    return utf8.decode(this.arena.subarray(this.offs[id], this.offs[id] + this.lens[id]));
  }

  /** Every value, in id order. */
  strings(): string[] {
    const out = new Array<string>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.string(i);
    return out;
  }

  private growIds(): void {
    const cap = this.hashes.length * 2;
    const g = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.hashes = g(this.hashes);
    this.offs = g(this.offs);
    this.lens = g(this.lens);
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const t = new Int32Array(size * 2).fill(-1);
    const mask = size - 1;
    for (let id = 0; id < this.n; id++) {
      const h = this.hashes[id];
      let slot = h & mask;
      while (t[slot * 2] >= 0) slot = (slot + 1) & mask;
      t[slot * 2] = id;
      t[slot * 2 + 1] = h;
    }
    this.table = t;
    this.mask = mask;
  }
}

/**
 * A categorical field: distinct byte values are interned and each is classified once by `classify`
 * (a function of the trimmed string), so a column of millions of tier or category labels costs one
 * hash lookup per row.
 */
export class Categorical {
  private interner = new ByteInterner(64);
  private codes: number[] = [];
  /** Values of up to 6 bytes, packed into a number, → code (no hashing of bytes). */
  private short = new Map<number, number>();
  constructor(private classify: (s: string) => number) {}

  code(buf: Uint8Array, s: number, e: number): number {
    const len = e - s;
    if (len <= 6) {
      let key = len;
      for (let i = s; i < e; i++) key = key * 256 + buf[i];
      const c = this.short.get(key);
      if (c !== undefined) return c;
      const code = this.long(buf, s, e);
      this.short.set(key, code);
      return code;
    }
    return this.long(buf, s, e);
  }

  private long(buf: Uint8Array, s: number, e: number): number {
    const id = this.interner.intern(buf, s, e);
    if (this.interner.added) this.codes[id] = this.classify(this.interner.string(id).trim());
    return this.codes[id];
  }
}
