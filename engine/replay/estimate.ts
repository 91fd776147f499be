/**
 * Estimates with their standard errors, as `fundcast calibrate` reports them (docs/replay.md,
 * "Calibrate"): every fitted number is an estimate, its standard error and the count it rests on.
 */

/** A fitted number: its estimate, standard error and the count of units (patients, visits …) behind it. */
export interface Estimate {
  value: number;
  se: number;
  n: number;
}

/** Share k/n with its binomial standard error √(p(1 − p)/n). */
export function shareEstimate(k: number, n: number): Estimate {
  if (!(n > 0)) return { value: 0, se: 0, n: 0 };
  const p = k / n;
  return { value: p, se: Math.sqrt((p * (1 - p)) / n), n };
}

/**
 * Ratio Σ y ÷ Σ x over units (patients) with the cluster (linearization) standard error: units are
 * independent, the events within a unit need not be — over-dispersion and persistence within a
 * patient widen it, as they should. Var = n/(n − 1) Σ (y − r x)² ÷ (Σ x)².
 */
export class RatioStats {
  n = 0;
  sy = 0;
  sx = 0;
  syy = 0;
  sxy = 0;
  sxx = 0;
  add(y: number, x: number): void {
    if (!(x > 0) && y === 0) return;
    this.n++;
    this.sy += y;
    this.sx += x;
    this.syy += y * y;
    this.sxy += x * y;
    this.sxx += x * x;
  }
  estimate(): Estimate {
    if (!(this.sx > 0)) return { value: 0, se: 0, n: this.n };
    const r = this.sy / this.sx;
    const ss = Math.max(0, this.syy - 2 * r * this.sxy + r * r * this.sxx);
    const se = this.n > 1 ? Math.sqrt((this.n / (this.n - 1)) * ss) / this.sx : 0;
    return { value: r, se, n: this.n };
  }
}

/** Mean and its standard error sd/√n. */
export class MeanStats {
  n = 0;
  s = 0;
  ss = 0;
  add(x: number): void {
    this.n++;
    this.s += x;
    this.ss += x * x;
  }
  estimate(): Estimate | null {
    if (this.n === 0) return null;
    const m = this.s / this.n;
    const v = this.n > 1 ? Math.max(0, (this.ss - this.n * m * m) / (this.n - 1)) : 0;
    return { value: m, se: Math.sqrt(v / this.n), n: this.n };
  }
}

/**
 * Lognormal fit over positive values: median = exp(mean log x) with standard error median·s/√n
 * (delta method), sigma = sd(log x) with standard error sigma/√(2(n − 1)) (normal theory).
 */
export class LogStats {
  n = 0;
  s = 0;
  ss = 0;
  add(x: number): void {
    if (!(x > 0)) return;
    const l = Math.log(x);
    this.n++;
    this.s += l;
    this.ss += l * l;
  }
  fit(): { median: Estimate; sigma: Estimate } | null {
    if (this.n === 0) return null;
    const m = this.s / this.n;
    const v = this.n > 1 ? Math.max(0, (this.ss - this.n * m * m) / (this.n - 1)) : 0;
    const sd = Math.sqrt(v);
    const median = Math.exp(m);
    return {
      median: { value: median, se: (median * sd) / Math.sqrt(this.n), n: this.n },
      sigma: { value: sd, se: this.n > 1 ? sd / Math.sqrt(2 * (this.n - 1)) : 0, n: this.n },
    };
  }
}
