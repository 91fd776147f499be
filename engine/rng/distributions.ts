/**
 * Continuous distributions for parameter uncertainty (probabilistic sensitivity analysis), drawn
 * from an {@link Rng}. Off the hot path: one draw per uncertain parameter per replication.
 *
 * Gamma by Marsaglia & Tsang, "A simple method for generating gamma variables", ACM TOMS 26(3),
 * 2000 (with the u^(1/a) boost for shape < 1); beta as X/(X+Y) of two gammas; triangular by inversion.
 */
import type { Rng } from './stream.ts';

export type Distribution =
  | { type: 'normal'; mean: number; sd: number }
  | { type: 'lognormal'; median: number; sigma: number }
  | { type: 'beta'; alpha: number; beta: number }
  | { type: 'gamma'; shape: number; scale: number }
  | { type: 'uniform'; min: number; max: number }
  | { type: 'triangular'; min: number; mode: number; max: number };

export function sample(d: Distribution, r: Rng): number {
  switch (d.type) {
    case 'normal':
      return d.mean + d.sd * r.normal();
    case 'lognormal':
      return d.median * Math.exp(d.sigma * r.normal());
    case 'gamma':
      return gamma(d.shape, r) * d.scale;
    case 'beta': {
      const x = gamma(d.alpha, r);
      const y = gamma(d.beta, r);
      return x / (x + y);
    }
    case 'uniform':
      return d.min + (d.max - d.min) * r.uniform();
    case 'triangular': {
      const u = r.uniform();
      const { min: a, mode: c, max: b } = d;
      const fc = (c - a) / (b - a);
      return u < fc ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
    }
  }
}

/** The distribution's mean (for documentation and tests). */
export function meanOf(d: Distribution): number {
  switch (d.type) {
    case 'normal':
      return d.mean;
    case 'lognormal':
      return d.median * Math.exp((d.sigma * d.sigma) / 2);
    case 'gamma':
      return d.shape * d.scale;
    case 'beta':
      return d.alpha / (d.alpha + d.beta);
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'triangular':
      return (d.min + d.mode + d.max) / 3;
  }
}

function gamma(shape: number, r: Rng): number {
  if (shape < 1) return gamma(shape + 1, r) * Math.pow(r.uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = r.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
