/**
 * Seeded random streams: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 2021) seeded through splitmix32 from a key (seed, replication, block, purpose).
 *
 * Every random draw in fundcast comes from a stream derived from such a key, never from Math.random,
 * so results are identical for any worker count, batch size or machine. Streams for different keys
 * are statistically independent for simulation purposes (distinct splitmix seeds).
 *
 * Hot loops copy the four state words into local variables (see `engine/utilization/kernel.ts`);
 * the {@link Rng} class below is for code off the hot path.
 */

/** What a stream is used for: separate purposes never share draws, so adding one changes no other. */
export const Purpose = {
  population: 1,
  utilization: 2,
  parameters: 3,
  bootstrap: 4,
  utilizationNormals: 5,
  populationDynamics: 6,
} as const;
export type PurposeName = keyof typeof Purpose;

/** splitmix32 step (a 32-bit variant of Steele, Lea & Flood's SplitMix, with murmur3's finaliser). */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Fold one more 32-bit word into a running hash (order matters). */
function fold(h: number, word: number): number {
  return splitmix32((h ^ Math.imul(word >>> 0, 0x27d4eb2d)) + 0x165667b1);
}

/**
 * The key (a 32-bit hash) of (seed, replication, block, purpose). `seed` may be any safe integer (its
 * high and low 32 bits both count).
 */
export function streamKey(seed: number, replication: number, block: number, purpose: number): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
  return fold(fold(fold(fold(fold(0x6a09e667, seed >>> 0), hi), replication), block), purpose);
}

/** Expand a key into a 4-word xoshiro128** state at `out[o..o+3]`. */
function expand(h: number, out: Uint32Array | Int32Array, o: number): void {
  for (let i = 0; i < 4; i++) {
    h = splitmix32(h);
    out[o + i] = h;
  }
  if ((out[o] | out[o + 1] | out[o + 2] | out[o + 3]) === 0) out[o] = 1; // the all-zero state is the one forbidden state
}

/** The 4-word xoshiro128** state of the stream for (seed, replication, block, purpose). */
export function streamState(seed: number, replication: number, block: number, purpose: number): Uint32Array {
  const s = new Uint32Array(4);
  expand(streamKey(seed, replication, block, purpose), s, 0);
  return s;
}

/**
 * The state of sub-stream `index` of the stream with key `key` (e.g. one patient's draws in one year
 * of a block), written to `out[o..o+3]`: the words are SplitMix outputs mix(h + i·γ), i = 1..4, of
 * h = the key with `index` folded in. They do not depend on one another, so the four are computed in
 * parallel: a hot loop seeds a patient-year in a few nanoseconds, and what one patient draws never
 * shifts another's draws.
 */
export function seedSubStream(key: number, index: number, out: Int32Array, o: number): void {
  const h = fold(key, index) | 0;
  const a = mix32((h + GOLDEN) | 0);
  const b = mix32((h + GOLDEN2) | 0);
  const c = mix32((h + GOLDEN3) | 0);
  const d = mix32((h + GOLDEN4) | 0);
  out[o] = (a | b | c | d) === 0 ? 1 : a; // the all-zero state is the one forbidden state
  out[o + 1] = b;
  out[o + 2] = c;
  out[o + 3] = d;
}

// γ = 2³²/φ and its multiples, as int32 (so that h + iγ is an int32 add modulo 2³²).
const GOLDEN = 0x9e3779b9 | 0;
const GOLDEN2 = (2 * 0x9e3779b9) | 0;
const GOLDEN3 = (3 * 0x9e3779b9) | 0;
const GOLDEN4 = (4 * 0x9e3779b9) | 0;

/** murmur3's 32-bit finaliser of the int32 x. */
function mix32(x: number): number {
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}

const TWO_M32 = 2 ** -32;

/**
 * A random stream for code off the hot path. Uniforms lie in the open interval (0, 1).
 * @example const r = Rng.of(42, 0, 0, Purpose.population); r.uniform();
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  constructor(state: Uint32Array) {
    this.s0 = state[0] | 0;
    this.s1 = state[1] | 0;
    this.s2 = state[2] | 0;
    this.s3 = state[3] | 0;
  }

  static of(seed: number, replication: number, block: number, purpose: number): Rng {
    return new Rng(streamState(seed, replication, block, purpose));
  }

  /** Next raw 32-bit output (unsigned). */
  nextU32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform on (0, 1). */
  uniform(): number {
    return (this.nextU32() + 0.5) * TWO_M32;
  }

  /** Standard normal by Marsaglia's polar method (one spare kept). */
  normal(): number {
    if (this.spare === this.spare) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    let u: number, v: number, q: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare = v * f;
    return u * f;
  }

  /** Lognormal with log-mean `mu` and log-sd `sigma`. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Bernoulli(p). */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Poisson(lambda): Knuth's product method for lambda < 30, normal approximation with continuity above. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const L = Math.exp(-lambda);
      let k = 0;
      let p = this.uniform();
      while (p > L) {
        k++;
        p *= this.uniform();
      }
      return k;
    }
    return poissonLarge(this, lambda);
  }

  /**
   * Poisson by Knuth's product method given L = exp(−lambda) precomputed (lambda < 30):
   * the hot loop's form, saving an exp per draw.
   */
  poissonL(L: number): number {
    let k = 0;
    let p = this.uniform();
    while (p > L) {
      k++;
      p *= this.uniform();
    }
    return k;
  }

  /** Binomial(n, p): by inversion for small n·p, otherwise a sum of Poisson-free Bernoulli blocks. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    let k = 0;
    for (let i = 0; i < n; i++) if (this.uniform() < p) k++;
    return k;
  }

  /** Integer uniform on [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

/** Poisson for large lambda by the PTRS transformed rejection method (Hörmann 1993). */
function poissonLarge(r: Rng, lambda: number): number {
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = r.uniform() - 0.5;
    const V = r.uniform();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
  }
}

function logFactorial(k: number): number {
  if (k < 2) return 0;
  // Stirling series, accurate to ~1e-10 for k ≥ 2 after the exact small table.
  if (k < 10) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  return (k + 0.5) * Math.log(k) - k + 0.9189385332046728 + 1 / (12 * k) - 1 / (360 * k * k * k);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
