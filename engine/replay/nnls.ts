/**
 * Non-negative least squares (Lawson & Hanson, "Solving Least Squares Problems", 1974, ch. 23) on
 * the normal equations G x = h (G = AᵀA, h = Aᵀb), with the linear systems of the passive set
 * solved by mathjs (`lusolve`, LU with partial pivoting). Used by `fundcast calibrate` for rates that
 * add up over a patient's conditions (docs/replay.md, "Calibrate").
 */
import { createRequire } from 'node:module';

type LuSolve = (a: number[][], b: number[]) => number[][];
let luSolve: LuSolve | undefined;
/** mathjs, loaded on first use (it takes about a second to load; most commands never need it). */
function lusolve(a: number[][], b: number[]): number[] {
  luSolve ??= (createRequire(import.meta.url)('mathjs') as typeof import('mathjs')).lusolve as unknown as LuSolve;
  return luSolve(a, b).map((r) => r[0]);
}

/** Solve the square system a x = b (mathjs lusolve). */
export function solve(a: number[][], b: number[]): number[] {
  return lusolve(a, b);
}

/**
 * min ‖A x − b‖² subject to x ≥ 0, given G = AᵀA and h = Aᵀb (K × K, K small). A variable whose
 * column is zero (G[j][j] = 0) stays at 0. Returns x and the passive set (the variables > 0).
 */
export function nnlsNormal(G: number[][], h: number[], tol = 1e-12): { x: number[]; passive: boolean[] } {
  const K = h.length;
  const x = new Array<number>(K).fill(0);
  const passive = new Array<boolean>(K).fill(false);
  // A variable whose column depends on the passive ones (a singular subsystem) cannot enter: it stays 0.
  const blocked = new Array<boolean>(K).fill(false);
  const scale = Math.max(1e-300, ...G.map((r, i) => Math.abs(r[i])), ...h.map(Math.abs));
  const gradient = () => h.map((hj, j) => hj - G[j].reduce((a, g, k) => a + g * x[k], 0));
  const solvePassive = (): number[] => {
    const P = [...passive.keys()].filter((j) => passive[j]);
    const z = new Array<number>(K).fill(0);
    if (P.length === 0) return z;
    const sol = lusolve(P.map((i) => P.map((j) => G[i][j])), P.map((i) => h[i]));
    P.forEach((j, a) => (z[j] = sol[a]));
    return z;
  };
  for (let outer = 0; outer < 3 * K + 3; outer++) {
    const w = gradient();
    let t = -1;
    for (let j = 0; j < K; j++) if (!passive[j] && !blocked[j] && G[j][j] > 0 && w[j] > tol * scale && (t < 0 || w[j] > w[t])) t = j;
    if (t < 0) break;
    passive[t] = true;
    for (let inner = 0; inner <= K; inner++) {
      let z: number[];
      try {
        z = solvePassive();
      } catch {
        passive[t] = false;
        blocked[t] = true;
        break;
      }
      const bad = [...passive.keys()].filter((j) => passive[j] && z[j] <= 0);
      if (bad.length === 0) {
        for (let j = 0; j < K; j++) x[j] = z[j];
        break;
      }
      // Step from x towards z as far as feasibility allows; variables reaching 0 leave the passive set.
      let alpha = Infinity;
      for (const j of bad) alpha = Math.min(alpha, x[j] / (x[j] - z[j]));
      for (let j = 0; j < K; j++) x[j] += alpha * (z[j] - x[j]);
      const big = Math.max(...x.map(Math.abs));
      for (let j = 0; j < K; j++) {
        if (passive[j] && x[j] <= 1e-12 * big) {
          passive[j] = false;
          x[j] = 0;
        }
      }
    }
  }
  return { x, passive };
}
