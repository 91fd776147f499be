/**
 * The reference workload W(P, R) of bench/reference/WORKLOAD.md, built from fundcast's primitives:
 * xoshiro128** streams seeded by `streamState(seed, replication, block, purpose)` (engine/rng), the
 * benefit functions of engine/benefits (`deductibleApplied`, `effectiveRatio`, `fundShare`) applied
 * in integer fen, and a piscina pool of worker threads (workers/bench-w.worker.mjs).
 *
 * W: patient i = 0..P−1 (k = i + 1) has tier i mod 3, signed = frac(k·φ⁻¹) < 0.4, monthly visit rate
 * λ = 0.5 + 1.5·frac(k·(√2−1)), log cost μ = 4 + frac(k·(√3−1)), log sd σ = 0.5 + 0.5·frac(k·(√5−2)).
 * Per replication and patient: visits N ~ Poisson(12λ) — drawn as 12 monthly Poisson(λ) counts
 * (`monthly`) or one annual Poisson(12λ) count (`annual`; the same distribution) — each visit costs
 * LogNormal(μ, σ); C = the sum; fund = min(3000, max(0, C − deductible) × ratio), deductible 200
 * (waived when signed), ratio 0.5 (tiers 0, 1) or 0.4 (tier 2). Output per replication: total cost
 * and the fund per tier.
 *
 * Streams: patients are cut into fixed blocks of {@link W_STREAM_BLOCK}; block b of replication r
 * draws from its own stream (seed, r, b, purpose). A task is a range of replications × a range of
 * blocks, and every per-replication total is a sum of integers (fen), so the output is identical
 * for any worker count and any task size (the tests check this).
 *
 * Kernels (all exact: no moment-matching or other distributional approximation):
 *  - `fast` (the default): one stream per block whose four state words live in local variables of
 *    the hot loop; normals by the Marsaglia–Tsang ziggurat (128 layers, one 32-bit output per
 *    normal in 98.8% of draws, exact rejection in the wedges and the tail); exp by a table-driven
 *    exp accurate to a few ulp (max relative error vs Math.exp ≈ 1e-15, tested); monthly Poisson by
 *    inversion against integer thresholds (no data-dependent branches); annual Poisson by
 *    inversion searching from the mode.
 *  - `buffered`: the structure of fundcast 0.1's simulation kernel — uniforms and normals taken
 *    from buffers filled in bulk from two streams — with each primitive selectable
 *    ({@link BufferedOptions}), to measure what each choice costs. With {@link BASELINE_OPTIONS}
 *    it uses exactly that kernel's primitives (bench/buffered.ts): fillUniforms, fillNormals (polar
 *    method), Poisson by sequential inversion (`poissonInv`), Math.exp. The engine's kernel
 *    (engine/utilization/kernel.ts) has since taken the fast kernel's primitives.
 */
import { deductibleApplied, effectiveRatio, fundShare } from '../engine/benefits/adjudicate.ts';
import { fillNormals, fillUniforms, poissonInv } from './buffered.ts';
import { streamState } from '../engine/rng/stream.ts';
import * as EXP from '../engine/rng/exp.ts';
import * as ZIG from '../engine/rng/ziggurat.ts';

export const expTable = EXP.expTable;
export const fillZiggurat = ZIG.fillZiggurat;
// Module-local copies: V8 optimizes reads of a module's own constants better than of imported
// bindings (measured: W monthly 202 → ~167 ns per patient-year).
const { EXP_FRAC, EXP_POW2, INV_LN2_64, LN2_64_HI, LN2_64_LO, ROUND_SHIFT } = EXP;
const { FN, KN, WN, ZR } = ZIG;

export type WAlgo = 'monthly' | 'annual';
export type WKernel = 'fast' | 'buffered';

/** Options of the `buffered` kernel: {@link BASELINE_OPTIONS} = what fundcast 0.1's kernel did. */
export interface BufferedOptions {
  /** Monthly Poisson: `sequential` inversion from 0 (0.1) or against integer `thresholds`. */
  poisson: 'sequential' | 'thresholds';
  /** Normals: `polar` (0.1's fillNormals) or `ziggurat` ({@link fillZiggurat}). */
  normals: 'polar' | 'ziggurat';
  /** exp: `math` (Math.exp, 0.1) or `table` ({@link expTable}). */
  exp: 'math' | 'table';
}
export const BASELINE_OPTIONS: BufferedOptions = { poisson: 'sequential', normals: 'polar', exp: 'math' };

/** Patients per stream block (part of W's definition in fundcast: it fixes which stream a patient draws from). */
export const W_STREAM_BLOCK = 1024;
/** Stream purposes of W (distinct from the engine's purposes). */
export const W_PURPOSE = 9001;
export const W_PURPOSE_NORMALS = 9002;
/** The numpy reference's default seed. */
export const W_DEFAULT_SEED = 20240601;

/** Deductible (fen), annual cap (fen), ratios by tier. */
const DED_FEN = 20_000;
const CAP_FEN = 300_000;
const RATIO = [0.5, 0.5, 0.4];
/** Poisson thresholds per patient for the monthly draw (counts 0..K−1 branch-free, the tail by a loop). */
const K = 8;

// ---------------------------------------------------------------------------------------------
// Population

/** W's population, precomputed once per P (the numpy reference precomputes its arrays the same way). */
export interface WPopulation {
  P: number;
  tier: Uint8Array;
  signed: Uint8Array;
  /** Deductible (fen): 200 yuan, 0 when signed; reimbursement ratio by tier. */
  dedFen: Float64Array;
  ratio: Float64Array;
  mu: Float64Array;
  sigma: Float64Array;
  /** Monthly rate λ and e^(−λ). */
  lam: Float64Array;
  expNegLam: Float64Array;
  /**
   * Monthly Poisson(λ) by inversion of a 31-bit uniform u = (r + ½)/2³¹: N ≥ j+1 ⟺ u > F(j) ⟺
   * r ≥ T[j] with T[j] = ⌊F(j)·2³¹ − ½⌋ + 1 (F the CDF), so N = #{j < K : r ≥ T[j]} plus a loop in the
   * tail (r ≥ T[K−1], probability ≤ 2.4e-4). Layout: patient i's K thresholds at i·K.
   */
  thresholds: Int32Array;
  /** pmf and CDF at K−1, to continue the inversion in the tail. */
  pK1: Float64Array;
  FK1: Float64Array;
  /** Annual: 12λ, its mode m = ⌊12λ⌋, pmf(m) and CDF(m), to search from the mode. */
  lam12: Float64Array;
  /** e^(−12λ), for the sequential inversion of the buffered kernel. */
  expNegLam12: Float64Array;
  mode: Int32Array;
  pMode: Float64Array;
  FMode: Float64Array;
}

const frac = (x: number) => x - Math.floor(x);

export function wPopulation(P: number): WPopulation {
  if (!Number.isInteger(P) || P < 1) throw new RangeError(`P must be a whole number ≥ 1, got ${P}`);
  const pop: WPopulation = {
    P,
    tier: new Uint8Array(P),
    signed: new Uint8Array(P),
    dedFen: new Float64Array(P),
    ratio: new Float64Array(P),
    mu: new Float64Array(P),
    sigma: new Float64Array(P),
    lam: new Float64Array(P),
    expNegLam: new Float64Array(P),
    thresholds: new Int32Array(P * K),
    pK1: new Float64Array(P),
    FK1: new Float64Array(P),
    lam12: new Float64Array(P),
    expNegLam12: new Float64Array(P),
    mode: new Int32Array(P),
    pMode: new Float64Array(P),
    FMode: new Float64Array(P),
  };
  for (let i = 0; i < P; i++) {
    const k = i + 1;
    pop.tier[i] = i % 3;
    pop.signed[i] = frac(k * 0.6180339887498949) < 0.4 ? 1 : 0;
    pop.dedFen[i] = pop.signed[i] === 1 ? 0 : DED_FEN;
    pop.ratio[i] = RATIO[i % 3];
    const lam = 0.5 + 1.5 * frac(k * 0.41421356237309515);
    pop.lam[i] = lam;
    pop.mu[i] = 4.0 + 1.0 * frac(k * 0.7320508075688772);
    pop.sigma[i] = 0.5 + 0.5 * frac(k * 0.2360679774997898);
    // monthly: CDF thresholds
    const L = Math.exp(-lam);
    pop.expNegLam[i] = L;
    let p = L;
    let F = L;
    for (let j = 0; j < K; j++) {
      if (j > 0) {
        p *= lam / j;
        F += p;
      }
      pop.thresholds[i * K + j] = Math.min(2 ** 31 - 1, Math.floor(F * 2 ** 31 - 0.5) + 1);
    }
    pop.pK1[i] = p;
    pop.FK1[i] = F;
    // annual: mode, pmf and CDF there
    const l12 = 12 * lam;
    const m = Math.floor(l12);
    pop.lam12[i] = l12;
    pop.expNegLam12[i] = Math.exp(-l12);
    pop.mode[i] = m;
    let q = Math.exp(-l12);
    let G = q;
    for (let j = 1; j <= m; j++) {
      q *= l12 / j;
      G += q;
    }
    pop.pMode[i] = q;
    pop.FMode[i] = G;
  }
  return pop;
}

/** The exact expected total cost of one replication, yuan: Σ 12λ·exp(μ + σ²/2). */
export function wExpectedCost(pop: WPopulation): number {
  let s = 0;
  for (let i = 0; i < pop.P; i++) s += 12 * pop.lam[i] * Math.exp(pop.mu[i] + (pop.sigma[i] * pop.sigma[i]) / 2);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Primitives: ziggurat normals and the table-driven exp are the engine's (engine/rng/)

const TWO_M32 = 2 ** -32;
const HALF_U = 2 ** -33;

const INVK = new Float64Array(4096);
for (let k = 1; k < INVK.length; k++) INVK[k] = 1 / k;

// ---------------------------------------------------------------------------------------------
// Kernels. `out` gets, in fen: [total cost, fund tier 0, fund tier 1, fund tier 2] (added to).

/**
 * The fast kernel on patients [p0, p1) (one stream block), drawing from `st` (advanced in place).
 * Every draw comes from one xoshiro128** stream whose state lives in the locals s0..s3.
 */
export function wBlockFast(pop: WPopulation, annual: boolean, st: Uint32Array, p0: number, p1: number, out: Float64Array): void {
  let s0 = st[0] | 0;
  let s1 = st[1] | 0;
  let s2 = st[2] | 0;
  let s3 = st[3] | 0;
  const { tier, dedFen, ratio, mu, sigma, lam, thresholds, pK1, FK1, lam12, mode, pMode, FMode } = pop;
  let cost = 0;
  let f0 = 0;
  let f1 = 0;
  let f2 = 0;
  for (let i = p0; i < p1; i++) {
    let n = 0;
    if (annual) {
      let x = Math.imul(s1, 5);
      const r = Math.imul((x << 7) | (x >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const u = (r >>> 0) * TWO_M32 + HALF_U;
      // Inversion from the mode: the smallest k with u ≤ F(k).
      const l = lam12[i];
      let k = mode[i];
      let p = pMode[i];
      let F = FMode[i];
      if (u <= F) {
        while (k > 0 && u <= F - p) {
          F -= p;
          p *= k / l;
          k--;
        }
      } else {
        do {
          k++;
          p *= l * INVK[k];
          F += p;
        } while (u > F && k < 4000);
      }
      n = k;
    } else {
      const ti = i * K;
      const T0 = thresholds[ti];
      const T1 = thresholds[ti + 1];
      const T2 = thresholds[ti + 2];
      const T3 = thresholds[ti + 3];
      const T4 = thresholds[ti + 4];
      const T5 = thresholds[ti + 5];
      const T6 = thresholds[ti + 6];
      const T7 = thresholds[ti + 7];
      for (let mo = 0; mo < 12; mo++) {
        let x = Math.imul(s1, 5);
        const r = Math.imul((x << 7) | (x >>> 25), 9);
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        const q = r >>> 1;
        // (T − q − 1) >> 31 is −1 when q ≥ T, else 0: integer arithmetic, no branches.
        n -= ((T0 - q - 1) >> 31) + ((T1 - q - 1) >> 31) + ((T2 - q - 1) >> 31) + ((T3 - q - 1) >> 31) + ((T4 - q - 1) >> 31) + ((T5 - q - 1) >> 31) + ((T6 - q - 1) >> 31) + ((T7 - q - 1) >> 31);
        if (q >= T7) n += poissonTail((q + 0.5) * 2 ** -31, lam[i], pK1[i], FK1[i]);
      }
    }
    const m = mu[i];
    const sg = sigma[i];
    let C = 0;
    for (let v = 0; v < n; v++) {
      let z: number;
      for (;;) {
        let x = Math.imul(s1, 5);
        const r = Math.imul((x << 7) | (x >>> 25), 9);
        let t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        const iz = r & 127;
        const j = r >> 7;
        z = j * WN[iz];
        if (Math.abs(j) < KN[iz]) break;
        x = Math.imul(s1, 5);
        const r2 = Math.imul((x << 7) | (x >>> 25), 9);
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        const ua = (r2 >>> 0) * TWO_M32 + HALF_U;
        if (iz === 0) {
          // The tail |z| > ZR (Marsaglia 1964): once here, draw until accepted — restarting the
          // ziggurat instead would thin the tail.
          let xt = -Math.log(ua) / ZR;
          for (;;) {
            x = Math.imul(s1, 5);
            const r3 = Math.imul((x << 7) | (x >>> 25), 9);
            t = s1 << 9;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = (s3 << 11) | (s3 >>> 21);
            const yt = -Math.log((r3 >>> 0) * TWO_M32 + HALF_U);
            if (yt + yt >= xt * xt) break;
            x = Math.imul(s1, 5);
            const r4 = Math.imul((x << 7) | (x >>> 25), 9);
            t = s1 << 9;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = (s3 << 11) | (s3 >>> 21);
            xt = -Math.log((r4 >>> 0) * TWO_M32 + HALF_U) / ZR;
          }
          z = j > 0 ? ZR + xt : -ZR - xt;
          break;
        } else if (FN[iz] + ua * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * z * z)) break;
      }
      // C += e^(μ + σz), the table exp inlined
      const y = m + sg * z;
      const e = y * INV_LN2_64 + ROUND_SHIFT - ROUND_SHIFT;
      const rr = y - e * LN2_64_HI - e * LN2_64_LO;
      const ei = e | 0;
      C += EXP_POW2[(ei >> 6) + 1022] * EXP_FRAC[ei & 63] * (1 + rr * (1 + rr * (0.5 + rr * (1 / 6 + rr * (1 / 24 + rr * (1 / 120))))));
    }
    // C ≥ 0, so ⌊100C + ½⌋ is Math.round(100C) — without the branch V8 compiles Math.round to
    // (≈ 10 ns when mispredicted).
    const costFen = Math.floor(C * 100 + 0.5);
    const ti = tier[i];
    const f = benefitFen(costFen, dedFen[i], ratio[i]);
    cost += costFen;
    if (ti === 0) f0 += f;
    else if (ti === 1) f1 += f;
    else f2 += f;
  }
  st[0] = s0;
  st[1] = s1;
  st[2] = s2;
  st[3] = s3;
  out[0] += cost;
  out[1] += f0;
  out[2] += f1;
  out[3] += f2;
}

/**
 * W's benefit through fundcast's claim functions, in fen: min(cap, max(0, C − deductible) × ratio).
 * The deductible is the patient's (0 when signed): passing `waived = signed` instead gives the same
 * amounts but adds a data-dependent branch per patient-year.
 */
function benefitFen(costFen: number, dedFen: number, ratio: number): number {
  const ded = deductibleApplied(costFen, dedFen, false);
  return fundShare(costFen, ded, CAP_FEN, effectiveRatio(ratio, 0));
}

/** Continue the monthly Poisson inversion past K−1 (rare). */
function poissonTail(u: number, lam: number, p: number, F: number): number {
  let k = K - 1;
  while (u > F && k < 4000) {
    k++;
    p *= lam * INVK[k];
    F += p;
  }
  return k - (K - 1);
}

const BUF = 1024;

/**
 * The buffered kernel: uniforms from `us`, normals from `zs` (two streams), taken from buffers
 * filled in bulk, as engine/utilization/kernel.ts does. Options select each primitive.
 */
export function wBlockBuffered(pop: WPopulation, annual: boolean, us: Uint32Array, zs: Uint32Array, p0: number, p1: number, out: Float64Array, o: BufferedOptions, ub: Float64Array, zb: Float64Array): void {
  const { tier, dedFen, ratio, mu, sigma, lam, expNegLam, thresholds, pK1, FK1, lam12, expNegLam12 } = pop;
  const thresholdsPoisson = o.poisson === 'thresholds';
  const zig = o.normals === 'ziggurat';
  const tableExp = o.exp === 'table';
  let ui = BUF;
  let zi = BUF;
  let cost = 0;
  let f0 = 0;
  let f1 = 0;
  let f2 = 0;
  for (let i = p0; i < p1; i++) {
    let n = 0;
    if (ui + 12 > BUF) {
      fillUniforms(us, ub);
      ui = 0;
    }
    if (annual) {
      n = poissonInv(ub[ui++], lam12[i], expNegLam12[i]);
    } else if (thresholdsPoisson) {
      const ti = i * K;
      for (let mo = 0; mo < 12; mo++) {
        const q = Math.floor(ub[ui++] * 2 ** 31); // the uniform's top 31 bits
        n -= ((thresholds[ti] - q - 1) >> 31) + ((thresholds[ti + 1] - q - 1) >> 31) + ((thresholds[ti + 2] - q - 1) >> 31) + ((thresholds[ti + 3] - q - 1) >> 31) + ((thresholds[ti + 4] - q - 1) >> 31) + ((thresholds[ti + 5] - q - 1) >> 31) + ((thresholds[ti + 6] - q - 1) >> 31) + ((thresholds[ti + 7] - q - 1) >> 31);
        if (q >= thresholds[ti + 7]) n += poissonTail((q + 0.5) * 2 ** -31, lam[i], pK1[i], FK1[i]);
      }
    } else {
      const l = lam[i];
      const L = expNegLam[i];
      for (let mo = 0; mo < 12; mo++) n += poissonInv(ub[ui++], l, L);
    }
    const m = mu[i];
    const sg = sigma[i];
    let C = 0;
    for (let v = 0; v < n; v++) {
      if (zi === BUF) {
        if (zig) fillZiggurat(zs, zb);
        else fillNormals(zs, zb);
        zi = 0;
      }
      const y = m + sg * zb[zi++];
      C += tableExp ? expTable(y) : Math.exp(y);
    }
    // C ≥ 0, so ⌊100C + ½⌋ is Math.round(100C) — without the branch V8 compiles Math.round to
    // (≈ 10 ns when mispredicted).
    const costFen = Math.floor(C * 100 + 0.5);
    const ti = tier[i];
    const f = benefitFen(costFen, dedFen[i], ratio[i]);
    cost += costFen;
    if (ti === 0) f0 += f;
    else if (ti === 1) f1 += f;
    else f2 += f;
  }
  out[0] += cost;
  out[1] += f0;
  out[2] += f1;
  out[3] += f2;
}

// ---------------------------------------------------------------------------------------------
// Tasks

/** A unit of work: replications [r0, r1) × stream blocks [b0, b1). */
export interface WTask {
  P: number;
  algo: WAlgo;
  seed: number;
  r0: number;
  r1: number;
  b0: number;
  b1: number;
  kernel?: WKernel;
  options?: BufferedOptions;
}

const popCache = new Map<number, WPopulation>();
/** The population of size P, built once per thread. */
export function cachedPopulation(P: number): WPopulation {
  let p = popCache.get(P);
  if (!p) {
    if (popCache.size > 4) popCache.clear();
    popCache.set(P, (p = wPopulation(P)));
  }
  return p;
}

export function wBlocks(P: number): number {
  return Math.ceil(P / W_STREAM_BLOCK);
}

/** Run a task: per replication r0..r1−1, [cost, fund0, fund1, fund2] in fen over its blocks (length 4·(r1−r0)). */
export function runWTask(t: WTask): Float64Array {
  const pop = cachedPopulation(t.P);
  const annual = t.algo === 'annual';
  if (t.algo !== 'annual' && t.algo !== 'monthly') throw new RangeError(`algo must be monthly or annual, got ${t.algo}`);
  const out = new Float64Array(4 * (t.r1 - t.r0));
  const ub = new Float64Array(BUF);
  const zb = new Float64Array(BUF);
  for (let r = t.r0; r < t.r1; r++) {
    const o = out.subarray(4 * (r - t.r0), 4 * (r - t.r0 + 1));
    for (let b = t.b0; b < t.b1; b++) {
      const p0 = b * W_STREAM_BLOCK;
      const p1 = Math.min(t.P, p0 + W_STREAM_BLOCK);
      if ((t.kernel ?? 'fast') === 'fast') {
        wBlockFast(pop, annual, streamState(t.seed, r, b, W_PURPOSE), p0, p1, o);
      } else {
        wBlockBuffered(pop, annual, streamState(t.seed, r, b, W_PURPOSE), streamState(t.seed, r, b, W_PURPOSE_NORMALS), p0, p1, o, t.options ?? BASELINE_OPTIONS, ub, zb);
      }
    }
  }
  return out;
}

/** Split W(P, R) into tasks: `repsPerTask` replications × `blocksPerTask` stream blocks each. */
export function wTasks(P: number, R: number, algo: WAlgo, seed: number, repsPerTask: number, blocksPerTask: number, kernel: WKernel = 'fast', options?: BufferedOptions): WTask[] {
  const nB = wBlocks(P);
  const tasks: WTask[] = [];
  for (let r = 0; r < R; r += repsPerTask) {
    for (let b = 0; b < nB; b += blocksPerTask) {
      tasks.push({ P, algo, seed, r0: r, r1: Math.min(R, r + repsPerTask), b0: b, b1: Math.min(nB, b + blocksPerTask), kernel, options });
    }
  }
  return tasks;
}

/** Merge task results into per-replication rows [cost, fund0, fund1, fund2] in fen (R × 4). */
export function mergeW(R: number, tasks: WTask[], results: Float64Array[]): Float64Array {
  const rows = new Float64Array(4 * R);
  tasks.forEach((t, k) => {
    const res = results[k];
    for (let r = t.r0; r < t.r1; r++) for (let c = 0; c < 4; c++) rows[4 * r + c] += res[4 * (r - t.r0) + c];
  });
  return rows;
}

/** Statistics of W's output across replications, in yuan (numpy's names). */
export interface WStats {
  R: number;
  meanFund: number;
  sdFund: number;
  meanCost: number;
  sdCost: number;
  q50: number;
  q95: number;
  q995: number;
  /** The first two rows [cost, fund0, fund1, fund2], yuan. */
  firstRows: number[];
}

export function wStats(rowsFen: Float64Array): WStats {
  const R = rowsFen.length / 4;
  const fund: number[] = [];
  const cost: number[] = [];
  for (let r = 0; r < R; r++) {
    cost.push(rowsFen[4 * r] / 100);
    fund.push((rowsFen[4 * r + 1] + rowsFen[4 * r + 2] + rowsFen[4 * r + 3]) / 100);
  }
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  const sd = (x: number[]) => {
    if (x.length < 2) return NaN;
    const m = mean(x);
    return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
  };
  const sorted = [...fund].sort((a, b) => a - b);
  const q7 = (q: number) => {
    const h = (sorted.length - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  };
  return {
    R,
    meanFund: mean(fund),
    sdFund: sd(fund),
    meanCost: mean(cost),
    sdCost: sd(cost),
    q50: q7(0.5),
    q95: q7(0.95),
    q995: q7(0.995),
    firstRows: Array.from(rowsFen.subarray(0, Math.min(8, rowsFen.length)), (x) => x / 100),
  };
}
