/** Growable typed-array columns (doubling), for loaders that do not know their row count ahead. */
export type TypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Float64Array;

/** `a` if it has room for `need` elements, else a copy twice as large (or more). */
export function grown<T extends TypedArray>(a: T, need: number): T {
  if (need <= a.length) return a;
  let n = Math.max(16, a.length * 2);
  while (n < need) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a as never);
  return b;
}
