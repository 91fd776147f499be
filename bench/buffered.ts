/**
 * Bulk draws into buffers: the primitives of fundcast 0.1's simulation kernel, kept for the
 * benchmark's ablation (the engine now draws with the stream state in locals: engine/utilization/kernel.ts).
 *
 * Bulk draws for hot loops. Filling a buffer of draws in one tight loop keeps the generator state in
 * local variables (registers) — WORKLOAD.md measures generators held in closures or objects at 20–45%
 * of a whole run — and the consumer pays one array load per draw.
 *
 * Uniforms and normals come from two separate streams, so how many of each a consumer takes, and when
 * buffers are refilled, never changes any value drawn: results do not depend on the buffer size.
 */

export const BUFFER_SIZE = 1024;
const TWO_M32 = 2 ** -32;

/** Fill `out` with uniforms on (0, 1) from xoshiro128** `state` (advanced in place). */
export function fillUniforms(state: Uint32Array, out: Float64Array): void {
  let s0 = state[0] | 0;
  let s1 = state[1] | 0;
  let s2 = state[2] | 0;
  let s3 = state[3] | 0;
  for (let i = 0; i < out.length; i++) {
    const x = Math.imul(s1, 5);
    const r = Math.imul((x << 7) | (x >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    out[i] = ((r >>> 0) + 0.5) * TWO_M32;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/**
 * Fill `out` with standard normals by Marsaglia's polar method (both members of each accepted pair
 * are used), from xoshiro128** `state` (advanced in place). `out.length` must be even.
 */
export function fillNormals(state: Uint32Array, out: Float64Array): void {
  let s0 = state[0] | 0;
  let s1 = state[1] | 0;
  let s2 = state[2] | 0;
  let s3 = state[3] | 0;
  let i = 0;
  const n = out.length;
  while (i < n) {
    let x = Math.imul(s1, 5);
    let r = Math.imul((x << 7) | (x >>> 25), 9);
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const u = ((r >>> 0) + 0.5) * TWO_M32 * 2 - 1;
    x = Math.imul(s1, 5);
    r = Math.imul((x << 7) | (x >>> 25), 9);
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const v = ((r >>> 0) + 0.5) * TWO_M32 * 2 - 1;
    const q = u * u + v * v;
    if (q >= 1 || q === 0) continue;
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    out[i++] = u * f;
    out[i++] = v * f;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/** Poisson by sequential inversion from one uniform `u`, given lambda and L = exp(−lambda) (fundcast 0.1's kernel). */
export function poissonInv(u: number, lambda: number, L: number): number {
  let k = 0;
  let p = L;
  let F = L;
  while (u > F && k < 1000) {
    k++;
    p *= lambda / k;
    F += p;
  }
  return k;
}
